/**
 * The safety plan's staff pages: the case's tab `/staff/cases/:id/safety-plan` (the plan as it stands,
 * the form pre-filled with the latest version, every earlier version) and the young person's printable
 * copy `/staff/cases/:id/safety-plan/print` — "My safety plan" in large plain words, tap-to-call
 * numbers, no case number, region or agency words, made to fit on one or two pages. Thin: reads and
 * saves go through `safety-plan.ts`.
 */
import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, Feature } from '../../app-types.ts';
import { can } from '../../platform/access.ts';
import { renderPage } from '../../web/http.ts';
import { staffAction } from '../../platform/policy.ts';
import { SITE_CSS } from '../../web/assets.ts';
import type { Line } from '../help/rules.ts';
import { CsrfField, ErrorSummary, StaffLayout } from '../../web/staff-layout.tsx';
import {
  Success,
  Time,
  formList,
  formText,
  messagePage,
  readForm,
  type FieldError,
  type Form,
  type Guarded,
} from '../../web/page.tsx';
import { requestOrigin } from '../../web/session.ts';
import { CaseHeading, caseNotFound, guardCasePage } from '../cases/views/layout.tsx';
import { CaseError } from '../cases/core.ts';
import {
  EMPTY_PLAN,
  SAFETY_PLAN_LIMITS,
  readSafetyPlan,
  saveSafetyPlan,
  type CaseSafetyPlan,
  type SafetyPlanContent,
} from './service.ts';
import { coordinationContext } from '../tasks/service.ts';

/** What the form holds: rows as typed, so a refused form comes back as it was. */
interface PlanForm {
  warningSigns: string;
  safePeople: { name: string; contact: string }[];
  safePlaces: string;
  codeWord: string;
  inDanger: string;
  lines: string[];
  customLines: { name: string; phone: string }[];
}

const rows = <T,>(list: T[], empty: T, limit: number, spare: number, min: number): T[] => {
  const out = [...list];
  while (out.length < Math.min(Math.max(list.length + spare, min), limit)) out.push(empty);
  return out;
};

function formOf(plan: SafetyPlanContent): PlanForm {
  return {
    warningSigns: plan.warningSigns.join('\n'),
    safePeople: plan.safePeople,
    safePlaces: plan.safePlaces.join('\n'),
    codeWord: plan.codeWord ?? '',
    inDanger: plan.inDanger ?? '',
    lines: plan.lines,
    customLines: plan.customLines,
  };
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

function readPlanForm(form: Form): PlanForm {
  const people = [];
  for (let i = 0; i < SAFETY_PLAN_LIMITS.safePeople; i++)
    people.push({
      name: formText(form, `safePeople-${i}-name`),
      contact: formText(form, `safePeople-${i}-contact`),
    });
  const custom = [];
  for (let i = 0; i < SAFETY_PLAN_LIMITS.customLines; i++)
    custom.push({
      name: formText(form, `customLines-${i}-name`),
      phone: formText(form, `customLines-${i}-phone`),
    });
  return {
    warningSigns: formText(form, 'warningSigns'),
    safePeople: people,
    safePlaces: formText(form, 'safePlaces'),
    codeWord: formText(form, 'codeWord'),
    inDanger: formText(form, 'inDanger'),
    lines: formList(form, 'lines'),
    customLines: custom,
  };
}

/**
 * The plan a form describes, and the form row of each kept row (empty rows are left out, so an error
 * on the n-th kept row names the row the person sees).
 */
function planOf(f: PlanForm): { plan: unknown; peopleRows: number[]; customRows: number[] } {
  const peopleRows: number[] = [];
  const customRows: number[] = [];
  const safePeople = f.safePeople.filter((p, i) => {
    const keep = p.name.trim() !== '' || p.contact.trim() !== '';
    if (keep) peopleRows.push(i);
    return keep;
  });
  const customLines = f.customLines.filter((l, i) => {
    const keep = l.name.trim() !== '' || l.phone.trim() !== '';
    if (keep) customRows.push(i);
    return keep;
  });
  return {
    plan: {
      warningSigns: lines(f.warningSigns),
      safePeople,
      safePlaces: lines(f.safePlaces),
      codeWord: f.codeWord.trim() || null,
      inDanger: f.inDanger.trim() || null,
      lines: f.lines,
      customLines,
    },
    peopleRows,
    customRows,
  };
}

/** The page's field id and message for an error of `checkSafetyPlan`. */
function pageError(error: CaseError, peopleRows: number[], customRows: number[]): FieldError {
  const field = error.field ?? 'warningSigns';
  const [name, index, part] = field.split('-');
  const n = Number(index);
  if ((name === 'warningSigns' || name === 'safePlaces') && index !== undefined) {
    const what = name === 'warningSigns' ? 'Warning signs' : 'Safe places';
    return { field: name, message: `${what}, line ${n + 1}: ${error.message}` };
  }
  if (name === 'warningSigns' || name === 'safePlaces')
    return { field: name, message: `${error.message} (at most ${SAFETY_PLAN_LIMITS[name]} lines)` };
  if (name === 'safePeople' && part)
    return { field: `safePeople-${peopleRows[n] ?? n}-${part}`, message: error.message };
  if (name === 'customLines' && part)
    return { field: `customLines-${customRows[n] ?? n}-${part}`, message: error.message };
  if (name === 'safePeople') return { field: 'safePeople-0-name', message: error.message };
  if (name === 'customLines') return { field: 'customLines-0-name', message: error.message };
  return { field: name ?? 'warningSigns', message: error.message };
}

const telOf = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;
const looksLikePhone = (text: string) => /^\+?[0-9 ().-]{7,20}$/.test(text.trim());

// ---------------------------------------------------------------------------------------------------
// The tab

const PlanView: FC<{ plan: SafetyPlanContent; packLines: Line[] }> = ({ plan, packLines }) => (
  <dl id="plan">
    <dt>Warning signs</dt>
    <dd>
      {plan.warningSigns.length ? (
        <ul>
          {plan.warningSigns.map((s) => (
            <li>{s}</li>
          ))}
        </ul>
      ) : (
        'None written'
      )}
    </dd>
    <dt>Safe people</dt>
    <dd>
      {plan.safePeople.length ? (
        <ul>
          {plan.safePeople.map((p) => (
            <li>
              {p.name}: {p.contact}
            </li>
          ))}
        </ul>
      ) : (
        'None written'
      )}
    </dd>
    <dt>Safe places</dt>
    <dd>
      {plan.safePlaces.length ? (
        <ul>
          {plan.safePlaces.map((s) => (
            <li>{s}</li>
          ))}
        </ul>
      ) : (
        'None written'
      )}
    </dd>
    <dt>Code word</dt>
    <dd>{plan.codeWord ?? 'None'}</dd>
    <dt>What to do in danger</dt>
    <dd>{plan.inDanger ?? 'Not written'}</dd>
    <dt>Lines to call</dt>
    <dd>
      {plan.lines.length || plan.customLines.length ? (
        <ul>
          {plan.lines.map((id) => {
            const line = packLines.find((l) => l.id === id);
            return <li>{line ? `${line.name}${line.call ? `: ${line.call.display}` : ''}` : id}</li>;
          })}
          {plan.customLines.map((l) => (
            <li>
              {l.name}: {l.phone}
            </li>
          ))}
        </ul>
      ) : (
        'None chosen'
      )}
    </dd>
  </dl>
);

const PlanFormView: FC<{ caseId: string; csrf: string; values: PlanForm; packLines: Line[] }> = ({
  caseId,
  csrf,
  values,
  packLines,
}) => {
  const people = rows(values.safePeople, { name: '', contact: '' }, SAFETY_PLAN_LIMITS.safePeople, 2, 3);
  const custom = rows(values.customLines, { name: '', phone: '' }, SAFETY_PLAN_LIMITS.customLines, 1, 2);
  return (
    <form method="post" action={`/staff/cases/${caseId}/safety-plan`} aria-labelledby="edit-h" novalidate>
      <h2 id="edit-h">Change the plan</h2>
      <p class="hint">
        Write it with the young person, in their words. Saving keeps the earlier versions. Everything is kept
        encrypted.
      </p>
      <CsrfField token={csrf} />
      <label for="warningSigns">Warning signs</label>
      <p class="hint" id="warningSigns-hint">
        What tells them things are getting unsafe. One per line, up to {SAFETY_PLAN_LIMITS.warningSigns}.
      </p>
      <textarea id="warningSigns" name="warningSigns" rows={4} cols={40} aria-describedby="warningSigns-hint">
        {values.warningSigns}
      </textarea>
      <fieldset>
        <legend>Safe people: who they can reach, and how</legend>
        {people.map((p, i) => (
          <div class="filters">
            <div>
              <label for={`safePeople-${i}-name`}>Person {i + 1}: name</label>
              <input
                id={`safePeople-${i}-name`}
                name={`safePeople-${i}-name`}
                type="text"
                maxlength={100}
                value={p.name}
              />
            </div>
            <div>
              <label for={`safePeople-${i}-contact`}>Person {i + 1}: how to reach them</label>
              <input
                id={`safePeople-${i}-contact`}
                name={`safePeople-${i}-contact`}
                type="text"
                maxlength={200}
                value={p.contact}
              />
            </div>
          </div>
        ))}
      </fieldset>
      <label for="safePlaces">Safe places</label>
      <p class="hint" id="safePlaces-hint">
        Where they can go to be safe. One per line, up to {SAFETY_PLAN_LIMITS.safePlaces}.
      </p>
      <textarea id="safePlaces" name="safePlaces" rows={3} cols={40} aria-describedby="safePlaces-hint">
        {values.safePlaces}
      </textarea>
      <label for="codeWord">Code word</label>
      <p class="hint" id="codeWord-hint">
        A word that tells a safe person “I need help” without saying it.
      </p>
      <input
        id="codeWord"
        name="codeWord"
        type="text"
        maxlength={100}
        value={values.codeWord}
        aria-describedby="codeWord-hint"
      />
      <label for="inDanger">What to do in danger</label>
      <p class="hint" id="inDanger-hint">
        Their steps when they are in danger, for example where to go and who to call first.
      </p>
      <textarea
        id="inDanger"
        name="inDanger"
        rows={4}
        cols={40}
        maxlength={2000}
        aria-describedby="inDanger-hint"
      >
        {values.inDanger}
      </textarea>
      <fieldset id="lines">
        <legend>Lines to call or text</legend>
        {packLines.map((line) => (
          <label>
            <input type="checkbox" name="lines" value={line.id} checked={values.lines.includes(line.id)} />{' '}
            {line.name}
            {line.call ? ` (${line.call.display})` : ''}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Other numbers (a counsellor, a shelter)</legend>
        {custom.map((l, i) => (
          <div class="filters">
            <div>
              <label for={`customLines-${i}-name`}>Number {i + 1}: who it is</label>
              <input
                id={`customLines-${i}-name`}
                name={`customLines-${i}-name`}
                type="text"
                maxlength={100}
                value={l.name}
              />
            </div>
            <div>
              <label for={`customLines-${i}-phone`}>Number {i + 1}: phone</label>
              <input
                id={`customLines-${i}-phone`}
                name={`customLines-${i}-phone`}
                type="tel"
                maxlength={30}
                value={l.phone}
                autocomplete="off"
              />
            </div>
          </div>
        ))}
      </fieldset>
      <p>
        <button type="submit">Save a new version</button>
      </p>
    </form>
  );
};

function parseVersion(raw: string | undefined): number | undefined | null {
  if (raw === undefined || raw === '') return undefined;
  return /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : null;
}

async function load(
  c: Context,
  deps: AppDeps,
  purpose: 'read' | 'print',
): Promise<{ g: Guarded; plan: CaseSafetyPlan } | Response> {
  const g = await guardCasePage(
    c,
    deps,
    'cases.read',
    'Regional navigators and state administrators see cases.',
  );
  if (g instanceof Response) return g;
  const version = parseVersion(c.req.query('version'));
  if (version === null) return caseNotFound(c, g.frame);
  try {
    const plan = await readSafetyPlan(
      coordinationContext(deps),
      g.actor,
      c.req.param('id') ?? '',
      requestOrigin(c),
      {
        ...(version !== undefined ? { version } : {}),
        purpose,
      },
    );
    return { g, plan };
  } catch (error) {
    if (error instanceof CaseError && error.code === 'not_found') {
      if (error.message.includes('version'))
        return messagePage(c, g.frame, 404, 'Version not found', error.message, {
          href: `/staff/cases/${c.req.param('id')}/safety-plan`,
          text: 'Go to the safety plan',
        });
      return caseNotFound(c, g.frame);
    }
    throw error;
  }
}

async function planPage(
  c: Context,
  deps: AppDeps,
  state: { errors: FieldError[]; values: PlanForm | null; status: ContentfulStatusCode } = {
    errors: [],
    values: null,
    status: 200,
  },
): Promise<Response> {
  const loaded = await load(c, deps, 'read');
  if (loaded instanceof Response) return loaded;
  const { g, plan } = loaded;
  const { actor, frame } = g;
  const caseId = plan.case.id;
  const packLines = deps.geography.get().lines;
  const current = plan.current;
  const latest = current !== null && current.version === plan.latestVersion;
  const writable =
    plan.case.status === 'open' && can(actor, 'cases.write', { regionId: plan.case.region_id });
  const saved =
    state.status === 200 && c.req.query('done') === 'saved'
      ? 'The safety plan is saved as a new version.'
      : null;
  const region = deps.geography.get().regions.get(plan.case.region_id)?.name ?? plan.case.region_id;
  return renderPage(
    c,
    <StaffLayout frame={frame} title="Safety plan">
      <ErrorSummary errors={state.errors} />
      <Success message={saved} />
      <CaseHeading
        caseId={caseId}
        label={plan.label}
        regionName={region}
        current="safety-plan"
        closed={plan.case.status !== 'open'}
      />
      {current ? (
        <section aria-labelledby="current-h">
          <h2 id="current-h">
            {latest ? 'The plan now' : `Version ${current.version} (an earlier version)`}
          </h2>
          <p>
            Version {current.version}, saved <Time deps={deps} at={current.createdAt} /> by{' '}
            {current.createdBy.id === actor.userId ? 'you' : current.createdBy.name}.{' '}
            <a
              href={`/staff/cases/${caseId}/safety-plan/print${latest ? '' : `?version=${current.version}`}`}
            >
              Printable copy for the young person
              {latest ? '' : <span class="skip"> (version {current.version})</span>}
            </a>
          </p>
          {latest ? null : (
            <p>
              <a href={`/staff/cases/${caseId}/safety-plan`}>Go to the latest version</a>
            </p>
          )}
          <PlanView plan={current.content} packLines={packLines} />
        </section>
      ) : (
        <p>There is no safety plan yet. Make one together: what to watch for, who to reach, where to go.</p>
      )}
      {writable && (latest || !current) ? (
        <PlanFormView
          caseId={caseId}
          csrf={frame.csrf}
          values={state.values ?? formOf(current?.content ?? EMPTY_PLAN)}
          packLines={packLines}
        />
      ) : null}
      {plan.versions.length ? (
        <table id="versions" tabindex={0}>
          <caption>Every version, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Saved</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {plan.versions.map((v) => (
              <tr>
                <th scope="row">
                  {v.version === current?.version ? (
                    `${v.version} (shown)`
                  ) : (
                    <a href={`/staff/cases/${caseId}/safety-plan?version=${v.version}`}>
                      <span class="skip">See version </span>
                      {v.version}
                    </a>
                  )}
                </th>
                <td>
                  <Time deps={deps} at={v.createdAt} />
                </td>
                <td>{v.createdBy.id === actor.userId ? 'You' : v.createdBy.name}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </StaffLayout>,
    state.status,
  );
}

async function saveAction(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guardCasePage(c, deps, 'cases.write', 'Regional navigators write safety plans.');
  if (g instanceof Response) return g;
  const caseId = c.req.param('id') ?? '';
  const values = readPlanForm(await readForm(c));
  const { plan, peopleRows, customRows } = planOf(values);
  try {
    await saveSafetyPlan(
      coordinationContext(deps),
      g.actor,
      caseId,
      plan,
      deps.geography.get().lines,
      requestOrigin(c),
    );
  } catch (error) {
    if (!(error instanceof CaseError)) throw error;
    if (error.code === 'not_found') return caseNotFound(c, g.frame);
    if (error.code === 'forbidden')
      return messagePage(c, g.frame, 403, 'You cannot do that', error.message, {
        href: `/staff/cases/${caseId}/safety-plan`,
        text: 'Go back to the safety plan',
      });
    return planPage(c, deps, {
      errors: [pageError(error, peopleRows, customRows)],
      values,
      status: error.code === 'invalid' ? 400 : 409,
    });
  }
  return c.redirect(`/staff/cases/${caseId.toLowerCase()}/safety-plan?done=saved`, 303);
}

// ---------------------------------------------------------------------------------------------------
// The printable copy

/** Large plain text; no page margins, so the browser prints no address or title around the plan. */
const PRINT_CSS = `
body{font-size:1.3rem;line-height:1.45}
main.plan{max-width:40rem;padding:1.5rem}
.plan h1{font-size:2rem;margin:0 0 .25rem}
.plan h2{font-size:1.35rem;margin:1rem 0 .3rem;border-bottom:2px solid var(--line)}
.plan ul{margin:.2rem 0;padding-left:1.4rem}
.plan li{margin:.15rem 0}
.plan .code{font-size:1.8rem;font-weight:700;letter-spacing:.05em}
.plan a{font-weight:700}
.plan section{break-inside:avoid}
.staff-only{background:var(--soft);padding:.5rem 1rem;margin:0 0 1rem}
@page{margin:0}
@media print{.staff-only{display:none}body{font-size:13pt}main.plan{padding:1.2cm 1.5cm;max-width:none}a{color:#000;text-decoration:none}}
`;

const PhoneText: FC<{ text: string }> = ({ text }) =>
  looksLikePhone(text) ? <a href={telOf(text)}>{text}</a> : <>{text}</>;

async function printPage(c: Context, deps: AppDeps): Promise<Response> {
  const loaded = await load(c, deps, 'print');
  if (loaded instanceof Response) return loaded;
  const { plan } = loaded;
  const nonce = c.get('nonce');
  const geo = deps.geography.get();
  const current = plan.current;
  const back = `/staff/cases/${plan.case.id}/safety-plan`;
  if (!current)
    return messagePage(
      c,
      loaded.g.frame,
      404,
      'No safety plan yet',
      'This case has no safety plan to print yet.',
      {
        href: back,
        text: 'Go to the safety plan',
      },
    );
  const p = current.content;
  const chosen = p.lines
    .map((id) => geo.lines.find((l) => l.id === id))
    .filter((l): l is Line => l !== undefined);
  const emergency = geo.emergencyLine;
  const made = deps.rules.calendar.formatDate(current.createdAt);
  return renderPage(
    c,
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex" />
        <title>My safety plan</title>
        <link rel="icon" href="data:," />
        <style nonce={nonce} dangerouslySetInnerHTML={{ __html: SITE_CSS + PRINT_CSS }} />
      </head>
      <body>
        <main class="plan" id="main">
          <p class="staff-only">
            For staff: print this page with your browser (Ctrl+P or ⌘P), or show it on the young person’s own
            phone. Nothing on it names the young person, your agency or the case.{' '}
            <a href={back}>Back to the plan</a>
          </p>
          <h1>My safety plan</h1>
          <p>Made on {made}.</p>
          {emergency.call ? (
            <p>
              <strong>
                In danger right now? Call <a href={`tel:${emergency.call.dial}`}>{emergency.call.display}</a>.
              </strong>
            </p>
          ) : null}
          {p.warningSigns.length ? (
            <section>
              <h2>Signs that things are getting unsafe</h2>
              <ul>
                {p.warningSigns.map((s) => (
                  <li>{s}</li>
                ))}
              </ul>
            </section>
          ) : null}
          {p.inDanger ? (
            <section>
              <h2>What I will do if I am in danger</h2>
              {p.inDanger
                .split(/\r?\n/)
                .filter((l) => l.trim())
                .map((l) => (
                  <p>{l}</p>
                ))}
            </section>
          ) : null}
          {p.safePeople.length ? (
            <section>
              <h2>People I can reach</h2>
              <ul>
                {p.safePeople.map((person) => (
                  <li>
                    {person.name}: <PhoneText text={person.contact} />
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {p.safePlaces.length ? (
            <section>
              <h2>Places where I am safe</h2>
              <ul>
                {p.safePlaces.map((s) => (
                  <li>{s}</li>
                ))}
              </ul>
            </section>
          ) : null}
          {p.codeWord ? (
            <section>
              <h2>My code word</h2>
              <p class="code">{p.codeWord}</p>
              <p>When I say or text it, the people I trust know I need help.</p>
            </section>
          ) : null}
          {chosen.length || p.customLines.length ? (
            <section>
              <h2>People I can call or text</h2>
              <ul>
                {chosen.map((line) => (
                  <li>
                    {line.name}
                    {line.call ? (
                      <>
                        {': call '}
                        <a href={`tel:${line.call.dial}`}>{line.call.display}</a>
                      </>
                    ) : null}
                    {line.text ? (
                      <>
                        {line.call ? ', or text ' : ': text '}
                        <a href={`sms:${line.text.dial}`}>{line.text.display}</a>
                      </>
                    ) : null}
                  </li>
                ))}
                {p.customLines.map((l) => (
                  <li>
                    {l.name}: <a href={telOf(l.phone)}>{l.phone}</a>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <p>You deserve to be safe. You can change this plan any time.</p>
        </main>
      </body>
    </html>,
  );
}

export const safetyPlanPages: Feature = (app, deps, policies) => {
  policies.declare('GET', '/staff/cases/:id/safety-plan', staffAction('cases.read'));
  policies.declare('POST', '/staff/cases/:id/safety-plan', staffAction('cases.write'));
  policies.declare('GET', '/staff/cases/:id/safety-plan/print', staffAction('cases.read'));
  app.get('/staff/cases/:id/safety-plan', (c) => planPage(c, deps));
  app.post('/staff/cases/:id/safety-plan', (c) => saveAction(c, deps));
  app.get('/staff/cases/:id/safety-plan/print', (c) => printPage(c, deps));
};
