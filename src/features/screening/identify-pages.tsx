/**
 * `/identify`: a professional answers the screening instrument one question group per page, then sees
 * what the answers point to, what to do by when (absolute deadlines), on what legal basis, and the
 * regional navigator.
 *
 * Public and stateless: no sign-in, no cookie, no name asked, nothing stored or logged. Each page is a
 * form that posts every answer so far (the other pages' answers in hidden fields), so it works without
 * JavaScript and the answers never appear in an address. A changed hidden field gets a clear page, not
 * an error.
 */
import type { Context } from 'hono';
import { frameFor, type AppDeps } from '../../app-types.ts';
import { renderPage } from '../../web/http.ts';
import { PUBLIC, type PolicyRegistry } from '../../platform/policy.ts';
import { Layout } from '../../web/public-layout.tsx';
import type { App } from '../../app-types.ts';
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
import { ErrorSummary } from '../../web/staff-layout.tsx';
import {
  answerFields,
  dangerNow,
  notSure,
  pathwayInput,
  plainAnswers,
  rawAnswersFrom,
  readGroups,
  type Answers,
  type GroupReading,
  type RawAnswers,
} from './rules.ts';
import { instrumentKey, type Instrument } from './schema.ts';
import type { InstrumentCatalogue } from './service.ts';
import {
  ActionList,
  AnswerList,
  ClassificationList,
  DangerNow,
  fieldAnchor,
  Hidden,
  IDENTIFY_CSS,
  InstrumentBanner,
  NavigatorSection,
  StepForm,
  type DueAction,
} from './views.tsx';

/** The print view's "Print this page" button appears only when the script runs. */
const PRINT_JS =
  "var b=document.getElementById('print-now');if(b){b.hidden=false;b.addEventListener('click',function(){window.print()})}";

const MAX_ANSWER_TEXT = 2000;

type Go = 'next' | 'back' | 'print';

function firstText(form: Record<string, unknown>, name: string): string {
  const v = form[name];
  const first: unknown = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : '';
}

function styles(nonce: string) {
  return <style nonce={nonce} dangerouslySetInnerHTML={{ __html: IDENTIFY_CSS }} />;
}

function sortedCounties(deps: AppDeps) {
  return [...deps.geography.get().counties.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** A form that cannot be read (changed by hand, or from an instrument no longer in use): start again. */
function startAgainPage(c: Context, deps: AppDeps, title: string, message: string): Promise<Response> {
  return renderPage(
    c,
    <Layout frame={frameFor(c, deps)} title={title}>
      <p>{message}</p>
      <p>Nothing you entered was kept.</p>
      <p>
        <a class="btn" href="/identify">
          Start again
        </a>
      </p>
    </Layout>,
    400,
  );
}

function stepPage(
  c: Context,
  deps: AppDeps,
  instrument: Instrument,
  step: number,
  answers: Answers,
  raw: RawAnswers | null,
  errors: Map<string, string>,
): Promise<Response> {
  const frame = frameFor(c, deps);
  const group = instrument.groups[step - 1]!;
  const total = instrument.groups.length;
  const ownErrors = new Map([...errors].filter(([id]) => group.items.some((i) => i.id === id)));
  // A number typed wrong is shown again as typed, to be corrected.
  const shown = new Map(answers);
  for (const item of group.items)
    if (raw && ownErrors.has(item.id) && item.answer.type === 'number')
      shown.set(item.id, (raw.values.get(item.id)?.[0] ?? '').slice(0, 20));
  const summary = group.items.flatMap((item) => {
    const message = ownErrors.get(item.id);
    return message ? [{ field: fieldAnchor(item), message }] : [];
  });
  return renderPage(
    c,
    <Layout
      frame={frame}
      title={group.title}
      description="Questions to help you decide what to do when you are worried about a young person in Minnesota."
    >
      {styles(frame.nonce)}
      <ErrorSummary errors={summary} />
      <p class="step">
        Step {step} of {total}
      </p>
      <InstrumentBanner instrument={instrument} />
      {dangerNow(instrument, answers) ? <DangerNow emergency={frame.emergency} /> : null}
      {step === 1 ? (
        <>
          <p>
            These questions help you work out what is happening to a young person you are worried about, what
            the law asks of you and by when, and who can help. We do not ask for their name, and we keep
            nothing you enter.
          </p>
          <p>
            Is this about you? <a href="/learn/your-rights">Read about your rights</a> or call{' '}
            {frame.statewide.name}.
          </p>
        </>
      ) : null}
      {group.intro ? <p>{group.intro}</p> : null}
      <StepForm
        instrument={instrument}
        formKey={instrumentKey(instrument)}
        step={step}
        group={group}
        values={shown}
        zips={raw?.zips ?? new Map()}
        errors={ownErrors}
        carried={answerFields(instrument, answers, group)}
        counties={sortedCounties(deps)}
      />
    </Layout>,
    summary.length ? 400 : 200,
  );
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

/** "2026-11-20T14:05" read as a wall-clock time in `timeZone`. */
export function zonedTime(local: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  if (Number.isNaN(guess) || new Date(guess).getUTCDate() !== d) return null;
  const offsetAt = (t: number) => {
    const p = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      })
        .formatToParts(new Date(t))
        .map((x) => [x.type, x.value]),
    );
    return Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!) - t;
  };
  const first = guess - offsetAt(guess);
  return new Date(guess - offsetAt(first));
}

/**
 * When the person says they made the oral report (`oral`, a local date and time), if plausible: not in
 * the future and not more than 30 days ago. Returns the moment, nothing, or a problem to show.
 */
export function oralReportTime(
  form: Record<string, unknown>,
  now: Date,
  timeZone: string,
): { at: Date | null; value: string; problem?: string } {
  const value = firstText(form, 'oral').trim().slice(0, 16);
  if (value === '') return { at: null, value };
  const at = zonedTime(value, timeZone);
  if (!at)
    return {
      at: null,
      value,
      problem: 'Enter the date and time of your oral report, for example 2026-11-20 14:05.',
    };
  if (at.getTime() > now.getTime() + 5 * 60_000)
    return { at: null, value, problem: 'The oral report time is in the future. Enter when you made it.' };
  if (at.getTime() < now.getTime() - 30 * 24 * 3_600_000)
    return { at: null, value, problem: 'The oral report time is more than 30 days ago. Check the date.' };
  return { at, value };
}

/** Duties first: what the person asking must do, then other required steps, then guidance. */
export function dutiesFirst(actions: PathwayAction[]): PathwayAction[] {
  const rank = (a: PathwayAction) =>
    a.code === 'CALL_911' ? 0 : a.required ? (a.binds === 'reporter' ? 1 : 2) : 3;
  return [...actions].sort((a, b) => rank(a) - rank(b));
}

/** The time deadlines count from: the first time the result was shown, if the form says so plausibly. */
function resultTime(form: Record<string, unknown>, now: Date): Date {
  const at = new Date(firstText(form, 'at'));
  const t = at.getTime();
  if (Number.isNaN(t) || t > now.getTime() + 60_000 || t < now.getTime() - 24 * 3_600_000) return now;
  return at;
}

function resultPage(
  c: Context,
  deps: AppDeps,
  instrument: Instrument,
  answers: Answers,
  at: Date,
  print: boolean,
  oral: { at: Date | null; value: string; problem?: string } = { at: null, value: '' },
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
  if (!parsed.ok)
    return renderPage(
      c,
      <Layout frame={frame} title="We could not use these answers">
        <p>
          The pathway could not use these answers ({parsed.field}: {parsed.detail}). Change your answers, or
          call {frame.statewide.name} for help.
        </p>
        {back}
      </Layout>,
      400,
    );
  const answer = answerPathway(geo, ruleset, parsed.facts);
  const due: DueAction[] = dutiesFirst(answer.actions).map((action) => ({
    action,
    due:
      action.deadlineFrom === 'oral_report'
        ? oral.at
          ? `${dueText(action, oral.at, deps)}, counted from your oral report`
          : `Within ${action.deadlineHours} hours of your oral report, not counting weekends and holidays: enter when you made it below to see the date`
        : dueText(action, at, deps),
  }));
  const oralAsked = answer.actions.some((a) => a.deadlineFrom === 'oral_report');
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
    <Layout frame={frame} title={print ? 'What to do next (print view)' : 'What to do next'} urgent={!print}>
      {styles(frame.nonce)}
      {print ? (
        <div class="noprint">
          <p>
            This view leaves out the buttons. Use your browser's Print command (Ctrl+P, or Cmd+P on a Mac; on
            a phone, Share and then Print). The printout shows the young person's situation: keep it safe.
          </p>
          <button type="button" id="print-now" hidden>
            Print this page
          </button>
          <script nonce={frame.nonce} dangerouslySetInnerHTML={{ __html: PRINT_JS }} />
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
          <ul>
            {answer.notices.map((n) => (
              <li>{n.text}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="what-h">
        <h2 id="what-h">What the answers point to</h2>
        <ClassificationList
          c={answer.classification}
          riskFactors={parsed.facts.riskFactors.length}
          unknownAgeNote={
            answer.notices.some((n) => n.text === UNKNOWN_AGE_NOTE)
              ? 'not known (see the note above).'
              : UNKNOWN_AGE_NOTE
          }
        />
      </section>
      <section aria-labelledby="do-h">
        <h2 id="do-h">What to do, and by when</h2>
        <ActionList actions={due} />
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
                <span class="skip">Error: </span>
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
        <p class="src">
          Rules version {answer.rulesVersion}. <a href="/rules">Every rule and its source</a>.
        </p>
      </section>
      {tribal && nations.length ? (
        <section aria-labelledby="tribes-h">
          <h2 id="tribes-h">Minnesota's tribal nations</h2>
          <p>
            Contacts for each nation's social services are not confirmed in our sources yet:{' '}
            <a href="/services?type=tribal_partner">tribal partners in the directory</a>, a navigator or{' '}
            {frame.statewide.name} can connect you.
          </p>
          <ul>
            {nations.map((n) => (
              <li>{n.name}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <NavigatorSection answer={answer} statewide={geo.statewideLine} showStatewide={print} />
      {unsure.length ? (
        <section aria-labelledby="unsure-h">
          <h2 id="unsure-h">What you were not sure about</h2>
          <p>
            If it is safe to find out, the answers may change what to do. Do not question the young person to
            get them.
          </p>
          <ul>
            {unsure.map((item) => (
              <li>{item.question}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="answers-h">
        <h2 id="answers-h">Your answers</h2>
        <AnswerList answers={plain} />
      </section>
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
      {back}
      <p class="noprint">
        <a href="/identify">Start again</a>
      </p>
    </Layout>,
  );
}

async function firstPage(c: Context, deps: AppDeps, catalogue: InstrumentCatalogue): Promise<Response> {
  const instrument = await catalogue.current();
  return stepPage(c, deps, instrument, 1, new Map(), null, new Map());
}

/** The first group, in order, holding an error. */
function firstGroupWithErrors(instrument: Instrument, reading: GroupReading, upTo: number): number | null {
  for (let g = 0; g < Math.min(upTo, instrument.groups.length); g++)
    if (instrument.groups[g]!.items.some((item) => reading.errors.has(item.id))) return g + 1;
  return null;
}

async function answerStep(c: Context, deps: AppDeps, catalogue: InstrumentCatalogue): Promise<Response> {
  const form = (await c.req.parseBody({ all: true }).catch(() => ({}))) as Record<string, unknown>;
  const key = firstText(form, 'instrument');
  const instrument = key ? await catalogue.usable(key) : null;
  if (!instrument)
    return startAgainPage(
      c,
      deps,
      'Please start again',
      'The questions have changed since this page was opened, or the page could not be read.',
    );
  const total = instrument.groups.length;
  const stepText = firstText(form, 'step');
  const step = /^\d{1,3}$/.test(stepText) ? Number(stepText) : NaN;
  if (!(step >= 1 && step <= total + 1))
    return startAgainPage(c, deps, 'Please start again', 'This page could not be read.');
  const goText = firstText(form, 'go');
  const go: Go = goText === 'back' || goText === 'print' ? goText : 'next';
  const raw = rawAnswersFrom(form);
  const geo = deps.geography.get();
  const reading = readGroups(instrument.groups, raw, geo);
  if (go === 'back')
    return stepPage(c, deps, instrument, Math.max(1, step - 1), reading.answers, null, new Map());
  // This page's answers first, then any earlier page whose carried answers do not check.
  const own = step <= total && instrument.groups[step - 1]!.items.some((item) => reading.errors.has(item.id));
  const wrong = own ? step : firstGroupWithErrors(instrument, reading, Math.min(step, total));
  if (wrong !== null) return stepPage(c, deps, instrument, wrong, reading.answers, raw, reading.errors);
  if (step < total) return stepPage(c, deps, instrument, step + 1, reading.answers, null, new Map());
  const now = new Date();
  const at = step === total + 1 ? resultTime(form, now) : now;
  const oral = oralReportTime(form, now, deps.rules.calendar.timezone);
  return resultPage(c, deps, instrument, reading.answers, at, go === 'print' && step === total + 1, oral);
}

export function identifyPages(
  app: App,
  deps: AppDeps,
  policies: PolicyRegistry,
  catalogue: InstrumentCatalogue,
): void {
  policies.declare('GET', '/identify', PUBLIC);
  policies.declare('POST', '/identify', PUBLIC);
  app.get('/identify', (c) => firstPage(c, deps, catalogue));
  app.post('/identify', (c) => answerStep(c, deps, catalogue));
}
