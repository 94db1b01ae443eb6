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
import type { Child } from 'hono/jsx';
import type { Translator } from '../../platform/i18n/index.ts';
import { todayIn } from '../help/index.ts';
import {
  answerPathway,
  deadlineOf,
  parsePathwayInput,
  reconciledExchange,
  ScreeningHandoffSchema,
  type Notice,
  type PathwayAction,
  type PathwayFacts,
  type Ruleset,
  type ScreeningHandoff,
} from '../pathway/index.ts';
import { answerFields, notSure, pathwayInput, plainAnswers, type Answers } from './rules.ts';
import { instrumentKey, type Instrument } from './schema.ts';
import { READING_GRADES } from './reading-levels.ts';
import { instrumentWords } from './words.ts';
import { Bullets } from '../../web/page.tsx';
import {
  ActionList,
  AnswerList,
  ClassificationList,
  NavigatorSection,
  type DueAction,
} from './answer-views.tsx';
import { Folded, Hidden, IDENTIFY_CSS, IdentifyScript, InstrumentBanner } from './views.tsx';

const MAX_ANSWER_TEXT = 2000;

export interface OralReport {
  at: Date | null;
  value: string;
  problem?: 'identify.oral.format' | 'identify.oral.future' | 'identify.oral.old';
}

/** A moment in the page's language: "Tuesday, Nov 24, 2026 at 2:05 PM", "martes, 24 de noviembre de 2026, 14:05". */
export function momentText(t: Translator, at: Date, deps: AppDeps): string {
  return t.locale === 'en'
    ? deps.rules.calendar.describe(at)
    : t.text('identify.moment', { date: t.date(at, true), time: t.time(at) });
}

/** "By Tuesday, November 24 at 14:05 (within 24 hours)", "Now", or null, in the page's language. */
export function dueText(t: Translator, action: PathwayAction, from: Date, deps: AppDeps): string | null {
  const due = deadlineOf(action, from, deps.rules.calendar);
  if (due === null || action.deadlineHours === undefined) return null;
  if (action.deadlineHours === 0) return t.text('identify.due.now');
  const hours = action.deadlineHours;
  const within = action.deadlineBusinessDays
    ? t.text('identify.due.withinBusiness', { hours })
    : t.text('identify.due.within', { hours });
  // A deadline at midnight reads as the last minute of the day before ("Wednesday at 23:59", not
  // "Thursday at 00:00"), so nobody takes Thursday to be included.
  const local = deps.rules.calendar.local(due);
  const shown = local.hour === 0 && local.minute === 0 ? new Date(due.getTime() - 60_000) : due;
  return t.text('identify.due.by', { when: momentText(t, shown, deps), within });
}

/** How the answers were read, in the page's language. */
function noticeText(t: Translator, notice: Notice, facts: PathwayFacts, ruleset: Ruleset): Child {
  if (notice.code === 'unknown_age') return t('pathway.notice.unknownAge');
  if (notice.code === 'recruitment') return t('pathway.notice.recruitment');
  const labels = reconciledExchange(facts, ruleset.riskFactors).raisedBy.map((code) => {
    const label = ruleset.riskFactors.find((f) => f.code === code)?.label ?? code;
    return t.dataText(`data.pathway.riskFactor.${code}.label`, label);
  });
  return t('pathway.notice.exchangeReconciled', {
    answer: facts.exchangeForValue === 'no' ? 'no' : 'unknown',
    labels: labels.join('; '),
  });
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
function reportHow(t: Translator, county: string | null): Child {
  const where = county ? t.text('identify.answer.county', { county }) : t.text('identify.how.countyUnknown');
  return t('identify.how.report', { where });
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
  const { t } = frame;
  const action = t.path('/identify');
  const geo = deps.geography.get();
  const ruleset = deps.rules.pathway;
  const input = pathwayInput(instrument, answers, todayIn(deps.rules.calendar.timezone, at));
  const parsed = parsePathwayInput(input, ruleset, at, geo);
  const key = instrumentKey(instrument);
  const total = instrument.groups.length;
  const carried = answerFields(instrument, answers);
  const words = instrumentWords(t, instrument);
  const back = (
    <form method="post" action={action}>
      <input type="hidden" name="instrument" value={key} />
      <input type="hidden" name="step" value={String(total + 1)} />
      <input type="hidden" name="at" value={at.toISOString()} />
      {oral.at ? <input type="hidden" name="oral" value={oral.value} /> : null}
      <Hidden fields={carried} />
      {print ? (
        <button type="submit" name="go" value="next" class="btn alt">
          {t('identify.answer.backToFull')}
        </button>
      ) : (
        <>
          <button type="submit" name="go" value="print" class="btn alt">
            {t('identify.answer.printView')}
          </button>
          <button type="submit" name="go" value="back" class="btn alt">
            {t('identify.answer.change')}
          </button>
        </>
      )}
    </form>
  );
  const script = <IdentifyScript nonce={frame.nonce} />;
  if (!parsed.ok)
    return renderPage(
      c,
      <Layout frame={frame} title={t.text('identify.answer.unusableTitle')} css={IDENTIFY_CSS}>
        <p>
          {t('identify.answer.unusable', { statewide: frame.statewide.name })}{' '}
          <span lang={t.locale === 'en' ? undefined : 'en'}>
            ({parsed.field}: {parsed.detail})
          </span>
        </p>
        {back}
        {script}
      </Layout>,
      400,
    );
  const answer = answerPathway(geo, ruleset, parsed.facts);
  const county = answer.navigator?.results[0]?.county.name ?? null;
  const statewideId = geo.statewideLine.id;
  const due: DueAction[] = dutiesFirst(answer.actions).map((a) => ({
    action: a,
    due:
      a.deadlineFrom === 'oral_report'
        ? oral.at
          ? t.text('identify.due.fromOral', { due: dueText(t, a, oral.at, deps) ?? '' })
          : t.text('identify.due.oralPending', { hours: a.deadlineHours ?? 72 })
        : dueText(t, a, at, deps),
    how: a.code === 'REPORT_CHILD_PROTECTION' ? reportHow(t, county) : null,
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
  const unknownAgeShown = answer.notices.some((n) => n.code === 'unknown_age');
  return renderPage(
    c,
    <Layout
      frame={frame}
      title={print ? t.text('identify.answer.titlePrint') : t.text('identify.answer.title')}
      urgent={!print}
      css={IDENTIFY_CSS}
    >
      {print ? (
        <div class="noprint">
          <p>{t('identify.answer.printHelp')}</p>
          <button type="button" id="print-now" hidden>
            {t('identify.answer.printNow')}
          </button>
        </div>
      ) : null}
      <InstrumentBanner instrument={instrument} />
      <p class="hint">
        {t('identify.answer.workedOut', {
          when: momentText(t, at, deps),
          zone: deps.rules.calendar.timezone.replace('_', ' '),
        })}
      </p>
      {answer.notices.length ? (
        <section aria-labelledby="notes-h" class="flag">
          <h2 id="notes-h">{t('identify.answer.notices')}</h2>
          <ul>
            {answer.notices.map((n) => (
              <li>{noticeText(t, n, parsed.facts, ruleset)}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="do-h">
        <h2 id="do-h">{t('identify.answer.yourSteps')}</h2>
        {own.length ? (
          <ActionList actions={own} ruleset={ruleset} skipContact={statewideId} />
        ) : (
          <p>{t('identify.answer.noDuty')}</p>
        )}
        {oralAsked && !print ? (
          <form method="post" action={action} class="card">
            <input type="hidden" name="instrument" value={key} />
            <input type="hidden" name="step" value={String(total + 1)} />
            <input type="hidden" name="at" value={at.toISOString()} />
            <Hidden fields={carried} />
            <label for="oral">{t('identify.oral.label')}</label>
            <p class="hint" id="oral-h">
              {t('identify.oral.hint')}
            </p>
            {oral.problem ? (
              <p class="err" id="oral-e">
                <span class="vh">{t('identify.error.prefix')} </span>
                {t(oral.problem)}
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
              {t('identify.oral.submit')}
            </button>
          </form>
        ) : null}
      </section>
      <NavigatorSection answer={answer} statewide={geo.statewideLine} showStatewide={print} />
      {print ? null : (
        <form method="post" action={t.path('/identify/refer')} aria-labelledby="refer-h">
          <h2 id="refer-h">{t('identify.refer.title')}</h2>
          <p>{t('identify.refer.text')}</p>
          <input type="hidden" name="screening" value={JSON.stringify(handoff)} />
          <button type="submit">{t('identify.refer.button')}</button>
        </form>
      )}
      {rest.length ? (
        <Folded id="more" title={t.text('identify.answer.otherSteps', { count: rest.length })} open={print}>
          <ActionList actions={rest} ruleset={ruleset} skipContact={statewideId} start={own.length} />
        </Folded>
      ) : null}
      <Folded id="what" title={t.text('identify.answer.pointTo')} open={print}>
        <ClassificationList
          c={answer.classification}
          riskFactors={parsed.facts.riskFactors.length}
          unknownAgeNote={
            unknownAgeShown ? t('identify.age.unknownSeeAbove') : t('pathway.notice.unknownAge')
          }
        />
      </Folded>
      {tribal && nations.length ? (
        <Folded id="tribes" title={t.text('identify.answer.tribes')} open={print}>
          <p>
            {t('identify.answer.tribesText', {
              statewide: frame.statewide.name,
              link: (chunks: Child[]) => <a href={t.path('/services?type=tribal_partner')}>{chunks}</a>,
            })}
          </p>
          <Bullets items={nations.map((n) => n.name)} />
        </Folded>
      ) : null}
      {unsure.length ? (
        <Folded id="unsure" title={t.text('identify.answer.unsure')} open={print}>
          <p>{t('identify.answer.unsureText')}</p>
          <ul>
            {unsure.map((item) => (
              <li>{words.question(item)}</li>
            ))}
          </ul>
        </Folded>
      ) : null}
      <Folded id="answers" title={t.text('identify.answer.yourAnswers')} open={print}>
        <AnswerList
          instrument={instrument}
          answers={answers}
          countyName={(fips) => geo.counties.get(fips)?.name}
        />
      </Folded>
      <p class="src">
        {t('identify.answer.rulesVersion', {
          version: answer.rulesVersion,
          link: (chunks: Child[]) => <a href="/rules">{chunks}</a>,
        })}
      </p>
      {back}
      <p class="noprint">
        <a href={action}>{t('identify.startAgain.button')}</a>
      </p>
      <p class="hint">{t('identify.readingLevel', { grade: READING_GRADES.answer! })}</p>
      {script}
    </Layout>,
  );
}
