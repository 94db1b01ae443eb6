/**
 * `/identify`: a professional answers the screening instrument one question group per page, then sees
 * what the answers point to, what to do by when (absolute deadlines), on what legal basis, and the
 * regional navigator.
 *
 * Public and stateless: no sign-in, no cookie, no name asked, nothing stored or logged. Each page is a
 * form that posts every answer so far (the other pages' answers in hidden fields), so it works without
 * JavaScript and the answers never appear in an address. With JavaScript the forms are sent with fetch
 * and each page is a history entry of one document (IDENTIFY_JS), so Back never asks to resend a form.
 * A changed hidden field gets a clear page, not an error.
 */
import type { Context } from 'hono';
import { frameFor, type AppDeps } from '../../app-types.ts';
import { renderPage } from '../../web/http.ts';
import { PUBLIC, type PolicyRegistry } from '../../platform/policy.ts';
import { Layout } from '../../web/public-layout.tsx';
import { ErrorSummary } from '../../web/forms.tsx';
import type { App } from '../../app-types.ts';
import {
  answerFields,
  dangerNow,
  rawAnswersFrom,
  readGroups,
  type Answers,
  type GroupReading,
  type Problem,
  type RawAnswers,
} from './rules.ts';
import { instrumentKey, type Instrument } from './schema.ts';
import type { InstrumentCatalogue } from './service.ts';
import { resultPage, type OralReport } from './answer-page.tsx';
import type { MessageKey } from '../../platform/i18n/index.ts';
import {
  DangerNow,
  fieldAnchor,
  IDENTIFY_CSS,
  IdentifyScript,
  InstrumentBanner,
  StepForm,
} from './views.tsx';
import { stepGrade } from './reading-levels.ts';
import { instrumentWords } from './words.ts';

type Go = 'next' | 'back' | 'print';

function firstText(form: Record<string, unknown>, name: string): string {
  const v = form[name];
  const first: unknown = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : '';
}

function sortedCounties(deps: AppDeps) {
  return [...deps.geography.get().counties.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** A form that cannot be read (changed by hand, or from an instrument no longer in use): start again. */
function startAgainPage(c: Context, deps: AppDeps, message: MessageKey): Promise<Response> {
  const frame = frameFor(c, deps);
  const { t } = frame;
  return renderPage(
    c,
    <Layout frame={frame} title={t.text('identify.startAgain.title')}>
      <p>{t(message)}</p>
      <p>{t('identify.startAgain.nothingKept')}</p>
      <p>
        <a class="btn" href={t.path('/identify')}>
          {t('identify.startAgain.button')}
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
  problems: Map<string, Problem>,
): Promise<Response> {
  const frame = frameFor(c, deps);
  const { t } = frame;
  const words = instrumentWords(t, instrument);
  const group = instrument.groups[step - 1]!;
  const grade = stepGrade(instrument.id, group.id);
  const total = instrument.groups.length;
  // What is wrong with this group's answers, in the page's language (a unit in a message too).
  const ownErrors = new Map<string, string>();
  for (const item of group.items) {
    const problem = problems.get(item.id);
    if (!problem) continue;
    const values =
      problem.values?.unit !== undefined ? { ...problem.values, unit: words.unit(item) } : problem.values;
    ownErrors.set(item.id, t.text(problem.key, values));
  }
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
      title={words.title(group)}
      description={t.text('identify.description')}
      urgent={step === 1}
      css={IDENTIFY_CSS}
    >
      <ErrorSummary errors={summary} />
      <p class="step">{t('identify.step', { step, total })}</p>
      {/* Once a flow: the help box and what the checklist is, on its first page and the answer page. */}
      {step === 1 ? <InstrumentBanner instrument={instrument} /> : null}
      {dangerNow(instrument, answers) ? <DangerNow emergency={frame.emergency} /> : null}
      {step === 1 ? (
        <>
          <p>{t('identify.intro')}</p>
          <p>
            {t('identify.aboutYou', {
              statewide: frame.statewide.name,
              link: (chunks) => <a href={t.path('/learn/your-rights')}>{chunks}</a>,
            })}
          </p>
        </>
      ) : null}
      {group.intro ? <p>{words.intro(group)}</p> : null}
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
      {grade === undefined ? null : <p class="hint">{t('identify.readingLevel', { grade })}</p>}
      <IdentifyScript nonce={frame.nonce} />
    </Layout>,
    summary.length ? 400 : 200,
  );
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
export function oralReportTime(form: Record<string, unknown>, now: Date, timeZone: string): OralReport {
  const value = firstText(form, 'oral').trim().slice(0, 16);
  if (value === '') return { at: null, value };
  const at = zonedTime(value, timeZone);
  if (!at) return { at: null, value, problem: 'identify.oral.format' };
  if (at.getTime() > now.getTime() + 5 * 60_000) return { at: null, value, problem: 'identify.oral.future' };
  if (at.getTime() < now.getTime() - 30 * 24 * 3_600_000)
    return { at: null, value, problem: 'identify.oral.old' };
  return { at, value };
}

/** The time deadlines count from: the first time the result was shown, if the form says so plausibly. */
function resultTime(form: Record<string, unknown>, now: Date): Date {
  const at = new Date(firstText(form, 'at'));
  const t = at.getTime();
  if (Number.isNaN(t) || t > now.getTime() + 60_000 || t < now.getTime() - 24 * 3_600_000) return now;
  return at;
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
  if (!instrument) return startAgainPage(c, deps, 'identify.startAgain.changed');
  const total = instrument.groups.length;
  const stepText = firstText(form, 'step');
  const step = /^\d{1,3}$/.test(stepText) ? Number(stepText) : NaN;
  if (!(step >= 1 && step <= total + 1)) return startAgainPage(c, deps, 'identify.startAgain.unreadable');
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
  if (wrong !== null) return stepPage(c, deps, instrument, wrong, reading.answers, raw, reading.problems);
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
