/**
 * The `/identify` answer page: first what the person asking must do, each with its deadline and how to
 * do it; then the referral to a navigator; the rest (other people's steps, what the answers point to,
 * the navigator, the answers themselves) folded below. One block of lines to call (the page's help box);
 * the contact lists name the statewide line without repeating its numbers.
 */
import type { Context } from 'hono';
import { frameFor, type AppDeps } from '../../app-types.ts';
import { renderPage } from '../../web/http.ts';
import { Layout } from '../../web/public-layout.tsx';
import { todayIn } from '../help/index.ts';
import {
  answerPathway,
  deadlineOf,
  parsePathwayInput,
  ScreeningHandoffSchema,
  UNKNOWN_AGE_NOTE,
  type PathwayAction,
  type ScreeningHandoff,
} from '../pathway/index.ts';
import { answerFields, notSure, pathwayInput, plainAnswers, type Answers } from './rules.ts';
import { instrumentKey, type Instrument } from './schema.ts';
import { Bullets } from '../../web/page.tsx';
import {
  ActionList,
  AnswerList,
  ClassificationList,
  Folded,
  Hidden,
  IDENTIFY_CSS,
  IDENTIFY_JS,
  InstrumentBanner,
  NavigatorSection,
  type DueAction,
} from './views.tsx';

const MAX_ANSWER_TEXT = 2000;

export interface OralReport {
  at: Date | null;
  value: string;
  problem?: string;
}

/** "By Tuesday, November 24 at 14:05 (within 24 hours)", "Now", or null. */
export function dueText(action: PathwayAction, from: Date, deps: AppDeps): string | null {
  const due = deadlineOf(action, from, deps.rules.calendar);
  if (due === null || action.deadlineHours === undefined) return null;
  if (action.deadlineHours === 0) return 'Now';
  const within = `within ${action.deadlineHours} hours${action.deadlineBusinessDays ? ', not counting weekends and holidays' : ''}`;
  // A deadline at midnight reads as the last minute of the day before ("Wednesday at 23:59", not
  // "Thursday at 00:00"), so nobody takes Thursday to be included.
  const local = deps.rules.calendar.local(due);
  const shown = local.hour === 0 && local.minute === 0 ? new Date(due.getTime() - 60_000) : due;
  return `By ${deps.rules.calendar.describe(shown)} (${within})`;
}

/** The person's own duties: a call to 911, and what the law requires of them. */
export const isOwnDuty = (a: PathwayAction): boolean =>
  a.code === 'CALL_911' || (a.required && a.binds === 'reporter');

/** Duties first: what the person asking must do, then other required steps, then guidance. */
export function dutiesFirst(actions: PathwayAction[]): PathwayAction[] {
  const rank = (a: PathwayAction) =>
    a.code === 'CALL_911' ? 0 : a.required ? (a.binds === 'reporter' ? 1 : 2) : 3;
  return [...actions].sort((a, b) => rank(a) - rank(b));
}

/** How to make a report to child protection, for the county given (none of our sources has its number). */
function reportHow(county: string | null): string {
  const where = county ? `${county} County` : 'the county where the young person lives';
  return (
    `Call the child protection intake line of ${where} (its social services or human services office). ` +
    'We do not have that number from a source we trust yet: look on the county’s website for “report ' +
    'child abuse”, or call the county’s main number and ask for child protection intake. The police or ' +
    'sheriff also take reports. If the young person is in danger now, call 911.'
  );
}

export function resultPage(
  c: Context,
  deps: AppDeps,
  instrument: Instrument,
  answers: Answers,
  at: Date,
  print: boolean,
  oral: OralReport = { at: null, value: '' },
): Promise<Response> {
  const frame = frameFor(c, deps);
  const geo = deps.geography.get();
  const ruleset = deps.rules.pathway;
  const input = pathwayInput(instrument, answers, todayIn(deps.rules.calendar.timezone, at));
  const parsed = parsePathwayInput(input, ruleset, at, geo);
  const key = instrumentKey(instrument);
  const total = instrument.groups.length;
  const carried = answerFields(instrument, answers);
  const back = (
    <form method="post" action="/identify">
      <input type="hidden" name="instrument" value={key} />
      <input type="hidden" name="step" value={String(total + 1)} />
      <input type="hidden" name="at" value={at.toISOString()} />
      {oral.at ? <input type="hidden" name="oral" value={oral.value} /> : null}
      <Hidden fields={carried} />
      {print ? (
        <button type="submit" name="go" value="next" class="btn alt">
          Back to the full page
        </button>
      ) : (
        <>
          <button type="submit" name="go" value="print" class="btn alt">
            Print view
          </button>
          <button type="submit" name="go" value="back" class="btn alt">
            Change answers
          </button>
        </>
      )}
    </form>
  );
  const script = <script nonce={frame.nonce} dangerouslySetInnerHTML={{ __html: IDENTIFY_JS }} />;
  if (!parsed.ok)
    return renderPage(
      c,
      <Layout frame={frame} title="We could not use these answers" css={IDENTIFY_CSS}>
        <p>
          The pathway could not use these answers ({parsed.field}: {parsed.detail}). Change your answers, or
          call {frame.statewide.name} for help.
        </p>
        {back}
        {script}
      </Layout>,
      400,
    );
  const answer = answerPathway(geo, ruleset, parsed.facts);
  const county = answer.navigator?.results[0]?.county.name ?? null;
  const statewideId = geo.statewideLine.id;
  const due: DueAction[] = dutiesFirst(answer.actions).map((action) => ({
    action,
    due:
      action.deadlineFrom === 'oral_report'
        ? oral.at
          ? `${dueText(action, oral.at, deps)}, counted from your oral report`
          : `Within ${action.deadlineHours} hours of your oral report, not counting weekends and holidays: enter when you made it below to see the date`
        : dueText(action, at, deps),
    how: action.code === 'REPORT_CHILD_PROTECTION' ? reportHow(county) : null,
  }));
  const own = due.filter((d) => isOwnDuty(d.action));
  const rest = due.filter((d) => !isOwnDuty(d.action));
  const oralAsked = own.some((d) => d.action.deadlineFrom === 'oral_report');
  const tribal = answer.actions.some(
    (a) => a.code === 'TRIBAL_CHILD_WELFARE' || a.code === 'TRIBAL_SERVICES',
  );
  const nations = deps.rules.tribalNations.nations;
  const plain = plainAnswers(instrument, answers, geo);
  const handoff: ScreeningHandoff = ScreeningHandoffSchema.parse({
    instrument: { id: instrument.id, version: instrument.version },
    answers: plain.map((a) => ({
      ...a,
      answer: a.answer.length > MAX_ANSWER_TEXT ? `${a.answer.slice(0, MAX_ANSWER_TEXT - 1)}…` : a.answer,
    })),
    facts: input,
  });
  const unsure = notSure(instrument, answers);
  return renderPage(
    c,
    <Layout
      frame={frame}
      title={print ? 'What to do next (print view)' : 'What to do next'}
      urgent={!print}
      css={IDENTIFY_CSS}
    >
      {print ? (
        <div class="noprint">
          <p>
            This view leaves out the buttons. Use your browser's Print command (Ctrl+P, or Cmd+P on a Mac; on
            a phone, Share and then Print). The printout shows the young person's situation: keep it safe.
          </p>
          <button type="button" id="print-now" hidden>
            Print this page
          </button>
        </div>
      ) : null}
      <InstrumentBanner instrument={instrument} />
      <p class="hint">
        Worked out {deps.rules.calendar.describe(at)} ({deps.rules.calendar.timezone.replace('_', ' ')} time).
        Deadlines count from then; if you learned of this earlier, they may be sooner.
      </p>
      {answer.notices.length ? (
        <section aria-labelledby="notes-h" class="flag">
          <h2 id="notes-h">How your answers were read</h2>
          <Bullets items={answer.notices.map((n) => n.text)} />
        </section>
      ) : null}
      <section aria-labelledby="do-h">
        <h2 id="do-h">What you need to do</h2>
        {own.length ? (
          <ActionList actions={own} skipContact={statewideId} />
        ) : (
          <p>
            From your answers, the law does not ask you to do anything by a deadline. The steps below can
            still help the young person.
          </p>
        )}
        {oralAsked && !print ? (
          <form method="post" action="/identify" class="card">
            <input type="hidden" name="instrument" value={key} />
            <input type="hidden" name="step" value={String(total + 1)} />
            <input type="hidden" name="at" value={at.toISOString()} />
            <Hidden fields={carried} />
            <label for="oral">When did you make your oral report (by phone or in person)?</label>
            <p class="hint" id="oral-h">
              The written report is due 72 hours after it, not counting weekends and holidays. Your local
              time.
            </p>
            {oral.problem ? (
              <p class="err" id="oral-e">
                <span class="vh">Error: </span>
                {oral.problem}
              </p>
            ) : null}
            <input
              type="datetime-local"
              id="oral"
              name="oral"
              value={oral.value}
              aria-describedby={oral.problem ? 'oral-h oral-e' : 'oral-h'}
              aria-invalid={oral.problem ? 'true' : undefined}
            />{' '}
            <button type="submit" name="go" value="next" class="btn alt">
              Count from this time
            </button>
          </form>
        ) : null}
      </section>
      <NavigatorSection answer={answer} statewide={geo.statewideLine} showStatewide={print} />
      {print ? null : (
        <form method="post" action="/identify/refer" aria-labelledby="refer-h">
          <h2 id="refer-h">Refer to a navigator</h2>
          <p>
            A regional navigator can contact the young person, or call you back, and connect them with
            services and safe housing. The next page asks for what the navigator needs; nothing is sent before
            you send that form.
          </p>
          <input type="hidden" name="screening" value={JSON.stringify(handoff)} />
          <button type="submit">Refer this young person to a navigator</button>
        </form>
      )}
      {rest.length ? (
        <Folded id="more" title={`Other steps and help (${rest.length})`} open={print}>
          <ActionList actions={rest} skipContact={statewideId} start={own.length} />
        </Folded>
      ) : null}
      <Folded id="what" title="What the answers point to" open={print}>
        <ClassificationList
          c={answer.classification}
          riskFactors={parsed.facts.riskFactors.length}
          unknownAgeNote={
            answer.notices.some((n) => n.text === UNKNOWN_AGE_NOTE)
              ? 'not known (see the note above).'
              : UNKNOWN_AGE_NOTE
          }
        />
      </Folded>
      {tribal && nations.length ? (
        <Folded id="tribes" title="Minnesota's tribal nations" open={print}>
          <p>
            Contacts for each nation's social services are not confirmed in our sources yet:{' '}
            <a href="/services?type=tribal_partner">tribal partners in the directory</a>, a navigator or{' '}
            {frame.statewide.name} can connect you.
          </p>
          <Bullets items={nations.map((n) => n.name)} />
        </Folded>
      ) : null}
      {unsure.length ? (
        <Folded id="unsure" title="What you were not sure about" open={print}>
          <p>
            If it is safe to find out, the answers may change what to do. Do not question the young person to
            get them.
          </p>
          <Bullets items={unsure.map((item) => item.question)} />
        </Folded>
      ) : null}
      <Folded id="answers" title="Your answers" open={print}>
        <AnswerList answers={plain} />
      </Folded>
      <p class="src">
        Rules version {answer.rulesVersion}. <a href="/rules">Every rule and its source</a>.
      </p>
      {back}
      <p class="noprint">
        <a href="/identify">Start again</a>
      </p>
      {script}
    </Layout>,
  );
}
