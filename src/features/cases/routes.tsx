/**
 * The staff pages of cases: the dashboard (`/staff/cases`: my open cases, my regions' open or closed
 * cases, a page at a time), opening a case (`/staff/cases/new`, directly or from a referral in the
 * queue), a case's overview (`/staff/cases/:id`: details, navigators, the duplicate notice, notes,
 * services delivered, the timeline, reopening), editing its details and closing it. Thin: every read and
 * change goes through `service.ts`, and every form posts with the session's CSRF token.
 *
 * A case outside the person's regions answers 404 like a missing one, so its existence is not told.
 */
import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, Feature } from '../../app-types.ts';
import { can, type Actor } from '../../platform/access.ts';
import { renderPage } from '../../web/http.ts';
import { staffAction } from '../../platform/policy.ts';
import { AGE_BAND_NAMES, QueueError } from '../queue/service.ts';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../web/staff-layout.tsx';
import {
  HistoryTable,
  Success,
  Time,
  formList,
  formText,
  guardStaffPage,
  messagePage,
  readForm,
  type BackLink,
  type Form,
} from '../../web/page.tsx';
import { requestOrigin } from '../../web/session.ts';
import { CaseTabs, casePath } from './views/layout.tsx';
import { CaseError, caseScopeOf } from './core.ts';
import {
  CASE_LIST_VIEWS,
  CASE_STATUS_NAMES,
  CONTACT_METHODS,
  CONTACT_METHOD_NAMES,
  CaseInputError,
  DEFAULT_CASE_RETENTION_DAYS,
  NOTE_MAX,
  SURVEY_ANSWERS,
  SURVEY_ANSWER_NAMES,
  SURVEY_QUESTIONS,
  addNote,
  ageOn,
  assignNavigator,
  closeCase,
  detailsInputOf,
  getCase,
  listCases,
  openCase,
  recordService,
  referralDraft,
  regionNavigators,
  reopenCase,
  unassignNavigator,
  updateCaseDetails,
  versionOf,
  type CaseDetail,
  type CaseDetailsInput,
  type CaseList,
  type CaseListView,
  type CaseServiceContext,
  type FieldProblem,
  type ReferralDraft,
  type SurveyQuestion,
  type TimelineEntry,
} from './service.ts';
import { labelOf, type Vocabularies } from './vocabularies.ts';

export const CONSENT_LINE =
  'Consent is never a condition of service: a young person can decline any question, or to share anything, and still get help.';

const caseContext = (deps: AppDeps): CaseServiceContext => ({
  db: deps.db,
  keyring: deps.keyring,
  calendar: deps.rules.calendar,
  vocabularies: deps.rules.vocabularies,
  retentionDays: deps.config.caseRetentionDays ?? DEFAULT_CASE_RETENTION_DAYS,
});

/** The person, when their role may read (or write) cases somewhere; otherwise the answer to give. */
const guard = (c: Context, deps: AppDeps, action: 'cases.read' | 'cases.write') =>
  guardStaffPage(
    c,
    deps,
    (actor) => caseScopeOf(actor, action) !== null,
    action === 'cases.read'
      ? 'Your role does not include cases. Regional navigators and state administrators use them.'
      : 'Your role does not include opening or changing cases. Regional navigators do.',
  );

const message = (
  c: Context,
  frame: StaffFrame,
  status: 403 | 404 | 409,
  title: string,
  text: string,
  back: BackLink = { href: '/staff/cases', text: 'Go back to cases' },
) => messagePage(c, frame, status, title, text, back);

const notFound = (c: Context, frame: StaffFrame) =>
  message(c, frame, 404, 'Case not found', 'There is no such case, or it is not in your regions.');

/** An inline error under a field's label, joined to the field by `aria-describedby`. */
const FieldError: FC<{ field: string; errors: FieldProblem[] }> = ({ field, errors }) => {
  const e = errors.find((x) => x.field === field);
  return e ? (
    <p class="hint" id={`${field}-error`}>
      <strong>Error: {e.message}</strong>
    </p>
  ) : null;
};

const describedBy = (field: string, errors: FieldProblem[], ...others: string[]) => {
  const ids = [...others, ...(errors.some((e) => e.field === field) ? [`${field}-error`] : [])];
  return ids.length ? ids.join(' ') : undefined;
};
const invalid = (field: string, errors: FieldProblem[]) =>
  errors.some((e) => e.field === field) ? 'true' : undefined;

function counties(deps: AppDeps): { fips: string; name: string }[] {
  return [...deps.geography.get().counties.values()]
    .map((c) => ({ fips: c.fips, name: c.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function regionsOf(deps: AppDeps, actor: Actor, action: 'cases.read' | 'cases.write') {
  const scope = caseScopeOf(actor, action);
  return [...deps.geography.get().regions.values()]
    .filter((r) => scope && (scope.all || scope.regions.includes(r.id)))
    .map((r) => ({ id: r.id, name: r.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function problemsOf(error: unknown): FieldProblem[] | null {
  if (error instanceof CaseInputError) return error.problems;
  if (error instanceof CaseError && error.code === 'invalid')
    return [{ field: error.field ?? 'summary', message: error.message }];
  return null;
}

// ---------------------------------------------------------------------------------------------------
// The dashboard

const CaseTable: FC<{ deps: AppDeps; list: CaseList; view: CaseListView; actor: Actor }> = ({
  deps,
  list,
  view,
  actor,
}) => (
  <table id="cases" tabindex={0}>
    <caption>
      {list.total === 0
        ? 'No cases'
        : `${list.total} ${list.total === 1 ? 'case' : 'cases'}, ${view === 'closed' ? 'most recently closed' : 'newest'} first${list.total > list.cases.length ? ` (showing ${list.cases.length})` : ''}`}
    </caption>
    <thead>
      <tr>
        <th scope="col">Name they use</th>
        <th scope="col">Age</th>
        <th scope="col">County</th>
        <th scope="col">Region</th>
        <th scope="col">{view === 'closed' ? 'Closed' : 'Opened'}</th>
        <th scope="col">Navigators</th>
      </tr>
    </thead>
    <tbody>
      {list.cases.map((c) => (
        <tr>
          <th scope="row">
            <a href={casePath(c.id)}>{c.chosenName ?? 'Name not available'}</a>
          </th>
          <td>{AGE_BAND_NAMES[c.ageBand]}</td>
          <td>{c.countyName ?? 'Not known'}</td>
          <td>{c.regionName}</td>
          <td>
            <Time deps={deps} at={view === 'closed' && c.closedAt ? c.closedAt : c.openedAt} show="date" />
          </td>
          <td>
            {c.assigned.length
              ? c.assigned.map((a) => (a.userId === actor.userId ? 'You' : a.name)).join(', ')
              : 'Nobody'}
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);

async function dashboard(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guard(c, deps, 'cases.read');
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const scope = caseScopeOf(actor, 'cases.read')!;
  const mayWrite = caseScopeOf(actor, 'cases.write') !== null;
  const q = (name: string) => (c.req.query(name) ?? '').trim();
  const defaultView: CaseListView = scope.all ? 'open' : 'mine';
  const rawView = q('view') || defaultView;
  const region = q('region');
  const after = q('after');
  const view = (Object.hasOwn(CASE_LIST_VIEWS, rawView) ? rawView : defaultView) as CaseListView;
  let errors: FieldProblem[] = Object.hasOwn(CASE_LIST_VIEWS, rawView)
    ? []
    : [{ field: 'views', message: 'Choose which cases to show from the list.' }];
  let list: CaseList = { cases: [], total: 0, next: null };
  if (!errors.length) {
    try {
      list = await listCases(caseContext(deps), actor, { view, region, after }, requestOrigin(c));
    } catch (error) {
      const p = problemsOf(error);
      if (!p) throw error;
      errors = p.map((e) => ({ ...e, field: e.field === 'after' ? 'cases' : e.field }));
    }
  }
  const regions = regionsOf(deps, actor, 'cases.read');
  const link = (params: Record<string, string>) => {
    const s = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ''));
    return s.size ? `/staff/cases?${s.toString()}` : '/staff/cases';
  };
  const views = (Object.keys(CASE_LIST_VIEWS) as CaseListView[]).filter((v) => v !== 'mine' || !scope.all);
  return renderPage(
    c,
    <StaffLayout frame={frame} title="Cases">
      <ErrorSummary errors={errors} />
      <p>
        {scope.all
          ? 'Cases of every region. You can read them; regional navigators open and change them.'
          : regions.length
            ? `Cases of ${regions.map((r) => r.name).join(', ')}.`
            : 'You have no regions yet: ask your organisation’s administrator to assign yours.'}{' '}
        The names on this list are shown to you alone, and each list you open is recorded in the audit log.
      </p>
      {mayWrite ? (
        <p>
          <a class="btn" href="/staff/cases/new">
            Open a case
          </a>
        </p>
      ) : null}
      <nav aria-label="Which cases" id="views">
        <ul class="plain">
          {views.map((v) => (
            <li>
              <a href={link({ view: v, region })} aria-current={v === view ? 'page' : undefined}>
                {v === 'open' && scope.all ? 'Open cases, every region' : CASE_LIST_VIEWS[v]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {regions.length > 1 ? (
        <form method="get" action="/staff/cases" aria-labelledby="filter-h" novalidate>
          <h2 id="filter-h">Filter by region</h2>
          <input type="hidden" name="view" value={view} />
          <label for="region">Region</label>
          <select id="region" name="region" aria-invalid={invalid('region', errors)}>
            <option value="">{scope.all ? 'Every region' : 'All your regions'}</option>
            {regions.map((r) => (
              <option value={r.id} selected={region === r.id}>
                {r.name}
              </option>
            ))}
          </select>{' '}
          <button type="submit">Show cases</button>
        </form>
      ) : null}
      <h2>{view === 'open' && scope.all ? 'Open cases, every region' : CASE_LIST_VIEWS[view]}</h2>
      <CaseTable deps={deps} list={list} view={view} actor={actor} />
      <nav aria-label="Pages of cases" class="pager">
        {after ? <a href={link({ view, region })}>First page</a> : null}
        {list.next ? <a href={link({ view, region, after: list.next })}>Next page</a> : null}
      </nav>
    </StaffLayout>,
    errors.length ? 400 : 200,
  );
}

// ---------------------------------------------------------------------------------------------------
// The details form (opening and editing)

/** Form values as text, the way the form shows them back. */
type DetailValues = Record<string, string | string[]>;

function valuesOf(input: CaseDetailsInput): DetailValues {
  const out: DetailValues = {};
  for (const [k, v] of Object.entries(input)) {
    if (v === null || v === undefined) out[k] = '';
    else if (Array.isArray(v)) out[k] = k === 'languages' ? v.join(', ') : [...(v as string[])];
    else out[k] = String(v);
  }
  return out;
}

function detailsFromForm(form: Form): CaseDetailsInput {
  return {
    chosenName: formText(form, 'chosenName'),
    legalName: formText(form, 'legalName'),
    dateOfBirth: formText(form, 'dateOfBirth'),
    age: formText(form, 'age'),
    pronouns: formText(form, 'pronouns'),
    genderIdentity: formList(form, 'genderIdentity'),
    raceEthnicity: formList(form, 'raceEthnicity'),
    sexualOrientation: formText(form, 'sexualOrientation'),
    languages: formText(form, 'languages'),
    tribalAffiliation: formText(form, 'tribalAffiliation'),
    contactMethod: formText(form, 'contactMethod'),
    contactValue: formText(form, 'contactValue'),
    contactTimes: formText(form, 'contactTimes'),
    codeWord: formText(form, 'codeWord'),
    countyFips: formText(form, 'countyFips'),
  };
}

const one = (v: DetailValues, k: string) => (typeof v[k] === 'string' ? v[k] : '');
const many = (v: DetailValues, k: string) => (Array.isArray(v[k]) ? v[k] : v[k] ? [v[k]] : []);

const TextField: FC<{
  id: string;
  label: string;
  values: DetailValues;
  errors: FieldProblem[];
  hint?: string;
  max: number;
  type?: string;
  autocomplete?: string;
  inputmode?: 'numeric';
}> = ({ id, label, values, errors, hint, max, type, autocomplete, inputmode }) => (
  <>
    <label for={id}>{label}</label>
    {hint ? (
      <p class="hint" id={`${id}-hint`}>
        {hint}
      </p>
    ) : null}
    <FieldError field={id} errors={errors} />
    <input
      id={id}
      name={id}
      type={type ?? 'text'}
      value={one(values, id)}
      maxlength={max}
      autocomplete={autocomplete ?? 'off'}
      inputmode={inputmode}
      aria-describedby={describedBy(id, errors, ...(hint ? [`${id}-hint`] : []))}
      aria-invalid={invalid(id, errors)}
    />
  </>
);

const Checkboxes: FC<{
  id: 'genderIdentity' | 'raceEthnicity';
  legend: string;
  hint: string;
  vocabularies: Vocabularies;
  values: DetailValues;
  errors: FieldProblem[];
}> = ({ id, legend, hint, vocabularies, values, errors }) => (
  <fieldset id={id} aria-describedby={describedBy(id, errors, `${id}-hint`)}>
    <legend>{legend}</legend>
    <p class="hint" id={`${id}-hint`}>
      {hint}
    </p>
    <FieldError field={id} errors={errors} />
    {vocabularies[id].map((e) => (
      <label>
        <input type="checkbox" name={id} value={e.code} checked={many(values, id).includes(e.code)} />{' '}
        {e.label}
      </label>
    ))}
  </fieldset>
);

const DetailsFields: FC<{
  deps: AppDeps;
  values: DetailValues;
  errors: FieldProblem[];
}> = ({ deps, values, errors }) => {
  const v = deps.rules.vocabularies;
  return (
    <>
      <p>
        <strong>{CONSENT_LINE}</strong> Ask only what the young person is comfortable sharing and leave the
        rest empty. Everything on this form is kept encrypted.
      </p>
      <TextField
        id="chosenName"
        label="The name they choose to be called"
        hint="A first name, a nickname or initials is enough."
        values={values}
        errors={errors}
        max={100}
      />
      <TextField
        id="legalName"
        label="Legal name (optional)"
        hint="Only if the young person wants to give it, or a service needs it."
        values={values}
        errors={errors}
        max={200}
      />
      <TextField
        id="dateOfBirth"
        label="Date of birth (optional)"
        hint="For example 2008-04-30. With the name, it lets other regions learn only that a possible match exists."
        values={values}
        errors={errors}
        max={10}
        type="date"
      />
      <TextField
        id="age"
        label="Age in years, if the date of birth is not known (optional)"
        values={values}
        errors={errors}
        max={3}
        inputmode="numeric"
      />
      <TextField
        id="pronouns"
        label="Pronouns (optional)"
        hint="For example she/her, he/him, they/them."
        values={values}
        errors={errors}
        max={50}
      />
      <Checkboxes
        id="genderIdentity"
        legend="Gender identity (optional, choose any that apply)"
        hint="As the young person describes themselves."
        vocabularies={v}
        values={values}
        errors={errors}
      />
      <Checkboxes
        id="raceEthnicity"
        legend="Race and ethnicity (optional, choose all that apply)"
        hint="The categories the Safe Harbor evaluation reports. As the young person describes themselves."
        vocabularies={v}
        values={values}
        errors={errors}
      />
      <label for="sexualOrientation">Sexual orientation (optional)</label>
      <FieldError field="sexualOrientation" errors={errors} />
      <select
        id="sexualOrientation"
        name="sexualOrientation"
        aria-describedby={describedBy('sexualOrientation', errors)}
        aria-invalid={invalid('sexualOrientation', errors)}
      >
        <option value="">Not asked</option>
        {v.sexualOrientation.map((e) => (
          <option value={e.code} selected={one(values, 'sexualOrientation') === e.code}>
            {e.label}
          </option>
        ))}
      </select>
      <TextField
        id="languages"
        label="Languages (optional)"
        hint="Separate them with commas, for example Somali, English."
        values={values}
        errors={errors}
        max={600}
      />
      <TextField
        id="tribalAffiliation"
        label="Tribal affiliation (optional)"
        values={values}
        errors={errors}
        max={200}
      />
      <fieldset>
        <legend>Safe contact</legend>
        <p class="hint">How, when and with what word it is safe to reach the young person.</p>
        <label for="contactMethod">How to contact them</label>
        <FieldError field="contactMethod" errors={errors} />
        <select
          id="contactMethod"
          name="contactMethod"
          aria-describedby={describedBy('contactMethod', errors)}
          aria-invalid={invalid('contactMethod', errors)}
        >
          <option value="">Not known</option>
          {CONTACT_METHODS.map((m) => (
            <option value={m} selected={one(values, 'contactMethod') === m}>
              {CONTACT_METHOD_NAMES[m]}
            </option>
          ))}
        </select>
        <TextField
          id="contactValue"
          label="Number, address or person to go through"
          values={values}
          errors={errors}
          max={200}
        />
        <TextField
          id="contactTimes"
          label="Safe times to contact"
          values={values}
          errors={errors}
          max={200}
        />
        <TextField
          id="codeWord"
          label="Code word"
          hint="A word the young person will recognise, so they know it is safe to talk."
          values={values}
          errors={errors}
          max={100}
        />
      </fieldset>
      <label for="countyFips">County (optional)</label>
      <FieldError field="countyFips" errors={errors} />
      <select
        id="countyFips"
        name="countyFips"
        aria-describedby={describedBy('countyFips', errors)}
        aria-invalid={invalid('countyFips', errors)}
      >
        <option value="">Not known</option>
        {counties(deps).map((co) => (
          <option value={co.fips} selected={one(values, 'countyFips') === co.fips}>
            {co.name}
          </option>
        ))}
      </select>
    </>
  );
};

// ---------------------------------------------------------------------------------------------------
// Opening a case

interface NewState {
  values: DetailValues;
  regionId: string;
  errors: FieldProblem[];
  status: ContentfulStatusCode;
}

async function newCasePage(c: Context, deps: AppDeps, state: NewState | null = null): Promise<Response> {
  const g = await guard(c, deps, 'cases.write');
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const from = state ? (state.values.intakeItemId as string) || '' : (c.req.query('from') ?? '').trim();
  let draft: ReferralDraft | null = null;
  if (from) {
    try {
      draft = await referralDraft(caseContext(deps), actor, from, requestOrigin(c));
    } catch (error) {
      if (error instanceof QueueError && error.code === 'not_found')
        return message(c, frame, 404, 'Referral not found', error.message, {
          href: '/staff/queue',
          text: 'Go back to the queue',
        });
      if (error instanceof QueueError && error.code === 'forbidden')
        return message(c, frame, 403, 'You cannot do that', error.message);
      throw error;
    }
    if (draft.existingCaseId || draft.existingElsewhere)
      return renderPage(
        c,
        <StaffLayout frame={frame} title="A case is already open">
          <p>A case has already been opened from this referral.</p>
          <p>
            {draft.existingCaseId ? (
              <a href={casePath(draft.existingCaseId)}>Go to the case</a>
            ) : (
              'It is now held by another region.'
            )}
          </p>
        </StaffLayout>,
        409,
      );
    if (draft.claimedByOther)
      return message(
        c,
        frame,
        409,
        'Someone else has this referral',
        'Someone else has claimed this referral: only they can open a case from it, or it can be released back to the queue first.',
        { href: `/staff/queue/${draft.itemId}`, text: 'Go back to the referral' },
      );
  }
  const regions = regionsOf(deps, actor, 'cases.write');
  const values = state?.values ?? (draft ? valuesOf(draft.values) : {});
  const errors = state?.errors ?? [];
  return renderPage(
    c,
    <StaffLayout frame={frame} title="Open a case">
      <ErrorSummary errors={errors} />
      <p>
        <a href={draft ? `/staff/queue/${draft.itemId}` : '/staff/cases'}>
          {draft ? 'Back to the referral' : 'Back to cases'}
        </a>
      </p>
      {draft ? (
        <p>
          From a referral in {draft.regionName ?? 'no region'}: what it says about the young person is filled
          in below. Check it with them. Opening the case closes the referral in the queue as “connected to
          services”.
        </p>
      ) : null}
      <form method="post" action="/staff/cases" novalidate aria-label="Open a case">
        <CsrfField token={frame.csrf} />
        {draft ? <input type="hidden" name="intakeItemId" value={draft.itemId} /> : null}
        {draft ? (
          <p>The case will belong to {draft.regionName}.</p>
        ) : regions.length > 1 ? (
          <>
            <label for="regionId">Region the case belongs to</label>
            <FieldError field="regionId" errors={errors} />
            <select
              id="regionId"
              name="regionId"
              aria-describedby={describedBy('regionId', errors)}
              aria-invalid={invalid('regionId', errors)}
            >
              <option value="">Choose a region</option>
              {regions.map((r) => (
                <option value={r.id} selected={state?.regionId === r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </>
        ) : regions[0] ? (
          <p id="regionId">The case will belong to {regions[0].name}.</p>
        ) : (
          <p id="regionId">You have no regions yet: ask your organisation’s administrator to assign yours.</p>
        )}
        <DetailsFields deps={deps} values={values} errors={errors} />
        <p>
          <button type="submit">Open the case</button>
        </p>
      </form>
    </StaffLayout>,
    state?.status ?? 200,
  );
}

async function openAction(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guard(c, deps, 'cases.write');
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const form = await readForm(c);
  const details = detailsFromForm(form);
  const intakeItemId = formText(form, 'intakeItemId').trim();
  const regionId = formText(form, 'regionId').trim();
  const state = (errors: FieldProblem[], status: ContentfulStatusCode): NewState => ({
    values: { ...valuesOf(details), intakeItemId },
    regionId,
    errors,
    status,
  });
  try {
    const opened = await openCase(
      caseContext(deps),
      actor,
      { ...details, regionId: regionId || null, intakeItemId: intakeItemId || null },
      requestOrigin(c),
    );
    return c.redirect(`${casePath(opened.id)}?done=opened`, 303);
  } catch (error) {
    const problems = problemsOf(error);
    if (problems) {
      // A referral that is gone or out of reach: say so rather than show its form again.
      if (problems.some((p) => p.field === 'intakeItemId'))
        return message(c, frame, 404, 'Referral not found', problems[0]!.message, {
          href: '/staff/queue',
          text: 'Go back to the queue',
        });
      return newCasePage(c, deps, state(problems, 400));
    }
    if (error instanceof CaseError && error.code === 'conflict')
      return message(c, frame, 409, 'The case was not opened', error.message, {
        href: intakeItemId ? `/staff/queue/${intakeItemId}` : '/staff/cases',
        text: intakeItemId ? 'Go back to the referral' : 'Go back to cases',
      });
    if (error instanceof CaseError && error.code === 'forbidden')
      return message(c, frame, 403, 'You cannot do that', error.message);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// One case

const OVERVIEW_DONE: Record<string, string> = {
  opened: 'The case is open. You are assigned to it.',
  details: 'The details are saved.',
  assigned: 'The navigator is assigned and has been told.',
  unassigned: 'The assignment has ended.',
  note: 'The note is added.',
  service: 'The service is recorded.',
  closed: 'The case is closed.',
  reopened: 'The case is open again.',
};

const EVENT_NAMES: Record<string, string> = {
  'case.opened': 'Case opened',
  'case.details_updated': 'Details changed',
  'case.closed': 'Case closed',
  'case.reopened': 'Case reopened',
  'navigator.assigned': 'Navigator assigned',
  'navigator.unassigned': 'Navigator assignment ended',
  'note.added': 'Note added',
  'service.recorded': 'Service recorded',
};

const FIELD_NAMES: Record<string, string> = {
  chosenName: 'name',
  legalName: 'legal name',
  dateOfBirth: 'date of birth',
  age: 'age',
  pronouns: 'pronouns',
  genderIdentity: 'gender identity',
  raceEthnicity: 'race and ethnicity',
  sexualOrientation: 'sexual orientation',
  languages: 'languages',
  tribalAffiliation: 'tribal affiliation',
  contactMethod: 'how to contact',
  contactValue: 'contact details',
  contactTimes: 'safe times',
  codeWord: 'code word',
  countyFips: 'county',
};

/** An event code in words: a known one by name, another module's by its code ("referral.sent" → "Referral sent"). */
function eventText(deps: AppDeps, entry: TimelineEntry, names: Map<string, string>): string {
  const v = deps.rules.vocabularies;
  const d = entry.detail;
  const known = EVENT_NAMES[entry.event];
  const base = known ?? entry.event.replace(/[._]/g, ' ').replace(/^./, (ch) => ch.toUpperCase());
  const code = (name: 'noteCategories' | 'services' | 'closeReasons' | 'exitHousing', value: unknown) =>
    typeof value === 'string' ? labelOf(v, name, value) : null;
  switch (entry.event) {
    case 'case.details_updated':
      return Array.isArray(d.fields)
        ? `${base}: ${d.fields.map((f) => FIELD_NAMES[String(f)] ?? String(f)).join(', ')}`
        : base;
    case 'case.closed':
      return `${base}: ${code('closeReasons', d.reason) ?? ''}; housing at exit: ${code('exitHousing', d.exit_housing) ?? 'not known'}`;
    case 'case.opened':
      return d.intake_item ? `${base} from a referral` : base;
    case 'navigator.assigned':
    case 'navigator.unassigned':
      return typeof d.user === 'string' ? `${base}: ${names.get(d.user) ?? 'a colleague'}` : base;
    case 'note.added':
      return `${base}: ${code('noteCategories', d.category) ?? ''}`;
    case 'service.recorded':
      return `${base}: ${code('services', d.code) ?? ''}`;
    default:
      return base;
  }
}

const Detail: FC<{ label: string; value: string | null | undefined }> = ({ label, value }) => (
  <>
    <dt>{label}</dt>
    <dd>{value === null || value === undefined || value === '' ? 'Not given' : value}</dd>
  </>
);

const Paragraphs: FC<{ text: string }> = ({ text }) => (
  <>
    {text
      .split(/\r?\n\s*\r?\n/)
      .filter((p) => p.trim())
      .map((p) => (
        <p>{p}</p>
      ))}
  </>
);

interface OverviewState {
  errors: FieldProblem[];
  values: Record<string, string>;
  status: ContentfulStatusCode;
}

const EMPTY: OverviewState = { errors: [], values: {}, status: 200 };

function ageText(detail: CaseDetail, today: string): string | null {
  const p = detail.personal;
  if (p.dateOfBirth) return `${p.dateOfBirth} (${ageOn(p.dateOfBirth, today)} years old)`;
  return p.age !== null ? `${p.age} years old when the case was opened (date of birth not known)` : null;
}

async function overviewPage(c: Context, deps: AppDeps, state: OverviewState = EMPTY): Promise<Response> {
  const g = await guard(c, deps, 'cases.read');
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const before = c.req.query('before') ?? null;
  let detail: CaseDetail;
  try {
    detail = await getCase(caseContext(deps), actor, c.req.param('id') ?? '', requestOrigin(c), {
      timelineBefore: before,
    });
  } catch (error) {
    if (error instanceof CaseError && error.code === 'not_found') return notFound(c, frame);
    if (error instanceof CaseError && error.code === 'invalid')
      return message(c, frame, 404, 'Page not found', 'That page of the timeline does not exist.', {
        href: c.req.path,
        text: 'Go to the newest entries',
      });
    throw error;
  }
  const mayWrite = can(actor, 'cases.write', { regionId: detail.regionId });
  const open = detail.status === 'open';
  const today = deps.rules.calendar.local(new Date()).date;
  const p = detail.personal;
  const v = deps.rules.vocabularies;
  const age = ageText(detail, today);
  const errors = state.errors;
  const done = state.status === 200 ? (OVERVIEW_DONE[c.req.query('done') ?? ''] ?? null) : null;
  const navigators = mayWrite && open ? await regionNavigators(deps, detail.regionId) : [];
  const assignable = navigators.filter((n) => !detail.assigned.some((a) => a.userId === n.userId));
  const names = new Map<string, string>([
    ...navigators.map((n) => [n.userId, n.name] as [string, string]),
    ...detail.assigned.map((a) => [a.userId, a.name] as [string, string]),
    ...detail.timeline
      .filter((e) => e.actor)
      .map((e) => [e.actor!.userId, e.actor!.name] as [string, string]),
  ]);
  const path = casePath(detail.id);
  return renderPage(
    c,
    <StaffLayout frame={frame} title="Case overview">
      <ErrorSummary errors={errors} />
      <Success message={done} />
      <p id="summary" tabindex={-1}>
        Case of <strong>{p.chosenName}</strong>
        {p.pronouns ? ` (${p.pronouns})` : ''} · {detail.regionName} · {CASE_STATUS_NAMES[detail.status]}
      </p>
      <CaseTabs caseId={detail.id} current="overview" label={p.chosenName} />
      {detail.possibleDuplicateRegions.length ? (
        <div class="flag" id="duplicates">
          <h2>A possible match in another region</h2>
          {detail.possibleDuplicateRegions.map((r) => (
            <p>A possible match exists in {r} — request a consult with that region’s navigator.</p>
          ))}
          <p class="hint">
            Another case there has the same name and date of birth. Nothing else about it is shown, and
            nothing about this case is shown there. Share details only with the young person’s consent.
          </p>
        </div>
      ) : null}
      <p>
        {open ? (
          <>
            Opened <Time deps={deps} at={detail.openedAt} show="date" />
            {detail.openedBy
              ? ` by ${detail.openedBy.userId === actor.userId ? 'you' : detail.openedBy.name}`
              : ''}
            {detail.intakeItemId ? ' from a referral' : ''}.
          </>
        ) : (
          <>
            Closed <Time deps={deps} at={detail.closedAt!} show="date" />
            {detail.closedBy
              ? ` by ${detail.closedBy.userId === actor.userId ? 'you' : detail.closedBy.name}`
              : ''}
            : {detail.closeReason ? labelOf(v, 'closeReasons', detail.closeReason) : 'no reason given'}.
            {detail.purgeAfter ? (
              <>
                {' '}
                Its personal details will be erased after{' '}
                <Time deps={deps} at={detail.purgeAfter} show="date" /> unless it is reopened.
              </>
            ) : null}
          </>
        )}
      </p>

      <section aria-labelledby="details-h">
        <h2 id="details-h">About the young person</h2>
        <dl>
          <Detail label="Name they choose" value={p.chosenName} />
          <Detail label="Legal name" value={p.legalName} />
          <Detail label="Date of birth or age" value={age} />
          <Detail label="Age group when opened" value={AGE_BAND_NAMES[detail.ageBand]} />
          <Detail label="Pronouns" value={p.pronouns} />
          <Detail
            label="Gender identity"
            value={p.genderIdentity.map((g) => labelOf(v, 'genderIdentity', g)).join('; ')}
          />
          <Detail
            label="Race and ethnicity"
            value={p.raceEthnicity.map((r) => labelOf(v, 'raceEthnicity', r)).join('; ')}
          />
          <Detail
            label="Sexual orientation"
            value={p.sexualOrientation ? labelOf(v, 'sexualOrientation', p.sexualOrientation) : null}
          />
          <Detail label="Languages" value={p.languages.join(', ')} />
          <Detail label="Tribal affiliation" value={p.tribalAffiliation} />
          <Detail label="County" value={detail.countyName} />
        </dl>
        <h3>Safe contact</h3>
        <dl>
          <Detail
            label="How to contact them"
            value={p.safeContact.method ? CONTACT_METHOD_NAMES[p.safeContact.method] : null}
          />
          <Detail label="Contact details" value={p.safeContact.value} />
          <Detail label="Safe times" value={p.safeContact.times} />
          <Detail label="Code word" value={p.safeContact.codeWord} />
        </dl>
        {mayWrite && open ? (
          <p>
            <a href={`${path}/edit`}>Change the details</a>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="navigators-h">
        <h2 id="navigators-h">Assigned navigators</h2>
        {detail.assigned.length ? (
          <ul class="plain">
            {detail.assigned.map((a) => (
              <li>
                {a.userId === actor.userId ? 'You' : a.name}, since{' '}
                <Time deps={deps} at={a.assignedAt} show="date" />
                {mayWrite && open ? (
                  <form method="post" action={`${path}/unassign`}>
                    <CsrfField token={frame.csrf} />
                    <input type="hidden" name="userId" value={a.userId} />
                    <button type="submit" class="btn alt">
                      End the assignment
                      <span class="skip"> of {a.userId === actor.userId ? 'you' : a.name}</span>
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>Nobody is assigned.</p>
        )}
        {mayWrite && open && assignable.length ? (
          <form method="post" action={`${path}/assign`} novalidate>
            <CsrfField token={frame.csrf} />
            <label for="userId">Assign a navigator of {detail.regionName}</label>
            <FieldError field="userId" errors={errors} />
            <select
              id="userId"
              name="userId"
              aria-describedby={describedBy('userId', errors)}
              aria-invalid={invalid('userId', errors)}
            >
              <option value="">Choose a navigator</option>
              {assignable.map((n) => (
                <option value={n.userId}>{n.userId === actor.userId ? `${n.name} (you)` : n.name}</option>
              ))}
            </select>{' '}
            <button type="submit">Assign</button>
          </form>
        ) : null}
      </section>

      <section aria-labelledby="notes-h">
        <h2 id="notes-h">Notes</h2>
        {mayWrite && open ? (
          <form method="post" action={`${path}/notes`} novalidate aria-labelledby="note-form-h">
            <h3 id="note-form-h">Add a note</h3>
            <CsrfField token={frame.csrf} />
            <label for="category">What it is about</label>
            <FieldError field="category" errors={errors} />
            <select
              id="category"
              name="category"
              aria-describedby={describedBy('category', errors)}
              aria-invalid={invalid('category', errors)}
            >
              <option value="">Choose one</option>
              {v.noteCategories.map((e) => (
                <option value={e.code} selected={state.values.category === e.code}>
                  {e.label}
                </option>
              ))}
            </select>
            <label for="body">Note</label>
            <p class="hint" id="body-hint">
              Kept encrypted; seen only by people who can open this case. Write what the next person needs, in
              the young person’s own words where you can.
            </p>
            <FieldError field="body" errors={errors} />
            <textarea
              id="body"
              name="body"
              rows={5}
              cols={40}
              maxlength={NOTE_MAX}
              aria-describedby={describedBy('body', errors, 'body-hint')}
              aria-invalid={invalid('body', errors)}
            >
              {state.values.body ?? ''}
            </textarea>
            <p>
              <button type="submit">Add the note</button>
            </p>
          </form>
        ) : null}
        {detail.notes.length ? (
          <ul class="plain" id="notes">
            {detail.notes.map((n) => (
              <li class="card">
                <p>
                  <strong>{labelOf(v, 'noteCategories', n.category)}</strong> ·{' '}
                  <Time deps={deps} at={n.createdAt} show="date-time" /> ·{' '}
                  {n.author.userId === actor.userId ? 'You' : n.author.name}
                </p>
                <Paragraphs text={n.body} />
              </li>
            ))}
          </ul>
        ) : (
          <p>No notes yet.</p>
        )}
        {detail.notesTotal > detail.notes.length ? (
          <p>
            Showing the newest {detail.notes.length} of {detail.notesTotal} notes.
          </p>
        ) : null}
      </section>

      <section aria-labelledby="services-h">
        <h2 id="services-h">Services delivered</h2>
        {mayWrite && open ? (
          <form method="post" action={`${path}/services`} novalidate aria-labelledby="service-form-h">
            <h3 id="service-form-h">Record a service</h3>
            <CsrfField token={frame.csrf} />
            <label for="serviceCode">Service</label>
            <FieldError field="serviceCode" errors={errors} />
            <select
              id="serviceCode"
              name="serviceCode"
              aria-describedby={describedBy('serviceCode', errors)}
              aria-invalid={invalid('serviceCode', errors)}
            >
              <option value="">Choose a service</option>
              {v.services.map((e) => (
                <option value={e.code} selected={state.values.serviceCode === e.code}>
                  {e.label}
                </option>
              ))}
            </select>
            <label for="deliveredOn">Date</label>
            <p class="hint" id="deliveredOn-hint">
              Leave it as today, or give the day it was delivered.
            </p>
            <FieldError field="deliveredOn" errors={errors} />
            <input
              type="date"
              id="deliveredOn"
              name="deliveredOn"
              value={state.values.deliveredOn ?? today}
              max={today}
              aria-describedby={describedBy('deliveredOn', errors, 'deliveredOn-hint')}
              aria-invalid={invalid('deliveredOn', errors)}
            />{' '}
            <button type="submit">Record the service</button>
          </form>
        ) : null}
        {detail.services.length ? (
          <table tabindex={0} id="services">
            <caption>Services delivered, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Service</th>
                <th scope="col">Recorded by</th>
              </tr>
            </thead>
            <tbody>
              {detail.services.map((s) => (
                <tr>
                  <td>{deps.rules.calendar.formatDate(s.deliveredOn)}</td>
                  <td>{labelOf(v, 'services', s.serviceCode)}</td>
                  <td>{s.recordedBy.userId === actor.userId ? 'You' : s.recordedBy.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>No services recorded yet.</p>
        )}
      </section>

      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Timeline</h2>
        <HistoryTable
          deps={deps}
          caption="Everything that happened on the case, newest first"
          id="timeline"
          show="date-time"
          entries={detail.timeline.map((e) => ({
            at: e.at,
            what: eventText(deps, e, names),
            who: e.actor ? (e.actor.userId === actor.userId ? 'You' : e.actor.name) : 'The system',
          }))}
        />
        <nav aria-label="Pages of the timeline" class="pager">
          {before ? <a href={`${path}#timeline-h`}>Newest entries</a> : null}
          {detail.timelineNext ? (
            <a href={`${path}?before=${detail.timelineNext}#timeline-h`}>Older entries</a>
          ) : null}
        </nav>
      </section>

      {mayWrite ? (
        <section aria-labelledby="status-h">
          <h2 id="status-h">{open ? 'Closing the case' : 'Reopening the case'}</h2>
          {open ? (
            <p>
              <a href={`${path}/close`}>Close the case</a> when work with the young person ends.
            </p>
          ) : (
            <form method="post" action={`${path}/reopen`}>
              <CsrfField token={frame.csrf} />
              <p>If the young person comes back, reopen the case rather than opening a new one.</p>
              <button type="submit">Reopen the case</button>
            </form>
          )}
        </section>
      ) : null}
    </StaffLayout>,
    state.status,
  );
}

type Change = 'assign' | 'unassign' | 'notes' | 'services' | 'reopen';

async function changeAction(c: Context, deps: AppDeps, change: Change): Promise<Response> {
  const g = await guard(c, deps, 'cases.write');
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const id = c.req.param('id') ?? '';
  const ctx = caseContext(deps);
  const origin = requestOrigin(c);
  const form = await readForm(c);
  const values: Record<string, string> = {};
  for (const k of ['userId', 'category', 'body', 'serviceCode', 'deliveredOn']) values[k] = formText(form, k);
  const done: Record<Change, string> = {
    assign: 'assigned',
    unassign: 'unassigned',
    notes: 'note',
    services: 'service',
    reopen: 'reopened',
  };
  try {
    switch (change) {
      case 'assign':
        await assignNavigator(ctx, actor, id, values.userId!, origin);
        break;
      case 'unassign':
        await unassignNavigator(ctx, actor, id, values.userId!, origin);
        break;
      case 'notes':
        await addNote(ctx, actor, id, { category: values.category, body: values.body }, origin);
        break;
      case 'services':
        await recordService(
          ctx,
          actor,
          id,
          { serviceCode: values.serviceCode, deliveredOn: values.deliveredOn },
          origin,
        );
        break;
      case 'reopen':
        await reopenCase(ctx, actor, id, origin);
        break;
    }
  } catch (error) {
    if (!(error instanceof CaseError)) throw error;
    switch (error.code) {
      case 'not_found':
        return notFound(c, frame);
      case 'forbidden':
        return message(c, frame, 403, 'You cannot do that', error.message);
      case 'conflict':
        return overviewPage(c, deps, {
          errors: [{ field: 'summary', message: error.message }],
          values,
          status: 409,
        });
      case 'invalid':
        return overviewPage(c, deps, { errors: problemsOf(error) ?? [], values, status: 400 });
    }
  }
  return c.redirect(`${casePath(id.toLowerCase())}?done=${done[change]}`, 303);
}

// ---------------------------------------------------------------------------------------------------
// Editing the details

/**
 * The case of the request, read (audited) for a form that changes it: someone who may write cases and
 * whose region holds it; otherwise the answer (a case they may not change is not found, like a missing one).
 */
async function caseToChange(
  c: Context,
  deps: AppDeps,
): Promise<{ actor: Actor; frame: StaffFrame; detail: CaseDetail } | Response> {
  const g = await guard(c, deps, 'cases.write');
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  let detail: CaseDetail;
  try {
    detail = await getCase(caseContext(deps), actor, c.req.param('id') ?? '', requestOrigin(c));
  } catch (error) {
    if (error instanceof CaseError && error.code === 'not_found') return notFound(c, frame);
    throw error;
  }
  if (!can(actor, 'cases.write', { regionId: detail.regionId })) return notFound(c, frame);
  return { actor, frame, detail };
}

async function editPage(
  c: Context,
  deps: AppDeps,
  state: { values: DetailValues | null; errors: FieldProblem[]; status: ContentfulStatusCode } | null = null,
): Promise<Response> {
  const loaded = await caseToChange(c, deps);
  if (loaded instanceof Response) return loaded;
  const { frame, detail } = loaded;
  const path = casePath(detail.id);
  if (detail.status !== 'open')
    return message(c, frame, 409, 'This case is closed', 'Reopen the case to change its details.', {
      href: path,
      text: 'Go back to the case',
    });
  const values = state?.values ?? {
    ...valuesOf(detailsInputOf(detail.personal, detail.countyFips)),
    version: versionOf(detail.updatedAt),
  };
  const errors = state?.errors ?? [];
  return renderPage(
    c,
    <StaffLayout frame={frame} title="Change the details">
      <ErrorSummary errors={errors} />
      <p id="summary" tabindex={-1}>
        Case of <strong>{detail.personal.chosenName}</strong> · {detail.regionName}
      </p>
      <CaseTabs caseId={detail.id} current="overview" label={detail.personal.chosenName} />
      <p>
        <a href={path}>Back to the case</a>
      </p>
      <form method="post" action={`${path}/details`} novalidate aria-label="Change the details">
        <CsrfField token={frame.csrf} />
        <input type="hidden" name="version" value={one(values, 'version')} />
        <DetailsFields deps={deps} values={values} errors={errors} />
        <p>
          <button type="submit">Save the details</button>
        </p>
      </form>
    </StaffLayout>,
    state?.status ?? 200,
  );
}

async function detailsAction(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guard(c, deps, 'cases.write');
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const id = c.req.param('id') ?? '';
  const form = await readForm(c);
  const details = detailsFromForm(form);
  const version = formText(form, 'version');
  try {
    await updateCaseDetails(caseContext(deps), actor, id, { ...details, version }, requestOrigin(c));
  } catch (error) {
    const problems = problemsOf(error);
    if (problems)
      return editPage(c, deps, { values: { ...valuesOf(details), version }, errors: problems, status: 400 });
    if (!(error instanceof CaseError)) throw error;
    if (error.code === 'not_found') return notFound(c, frame);
    if (error.code === 'forbidden') return message(c, frame, 403, 'You cannot do that', error.message);
    // A stale form: show the current details again (with a fresh version), and say why.
    return editPage(c, deps, {
      values: null,
      errors: [{ field: 'summary', message: error.message }],
      status: 409,
    });
  }
  return c.redirect(`${casePath(id.toLowerCase())}?done=details`, 303);
}

// ---------------------------------------------------------------------------------------------------
// Closing

const SurveyQuestionField: FC<{
  q: SurveyQuestion;
  values: Record<string, string>;
  errors: FieldProblem[];
}> = ({ q, values, errors }) => (
  <fieldset id={q} aria-describedby={describedBy(q, errors)}>
    <legend>{SURVEY_QUESTIONS[q]}</legend>
    <FieldError field={q} errors={errors} />
    {SURVEY_ANSWERS.map((a) => (
      <label>
        <input type="radio" name={q} value={a} checked={(values[q] || 'not_asked') === a} />{' '}
        {SURVEY_ANSWER_NAMES[a]}
      </label>
    ))}
  </fieldset>
);

async function closePage(
  c: Context,
  deps: AppDeps,
  state: { values: Record<string, string>; errors: FieldProblem[]; status: ContentfulStatusCode } = {
    values: {},
    errors: [],
    status: 200,
  },
): Promise<Response> {
  const loaded = await caseToChange(c, deps);
  if (loaded instanceof Response) return loaded;
  const { frame, detail } = loaded;
  const path = casePath(detail.id);
  if (detail.status !== 'open')
    return message(c, frame, 409, 'This case is already closed', 'It was closed earlier.', {
      href: path,
      text: 'Go back to the case',
    });
  const v = deps.rules.vocabularies;
  const { values, errors } = state;
  const days = deps.config.caseRetentionDays ?? DEFAULT_CASE_RETENTION_DAYS;
  return renderPage(
    c,
    <StaffLayout frame={frame} title="Close the case">
      <ErrorSummary errors={errors} />
      <p id="summary" tabindex={-1}>
        Case of <strong>{detail.personal.chosenName}</strong> · {detail.regionName}
      </p>
      <CaseTabs caseId={detail.id} current="overview" label={detail.personal.chosenName} />
      <p>
        <a href={path}>Back to the case</a>
      </p>
      <p>
        A closed case can be reopened if the young person comes back. After {days} days (
        {Math.round(days / 365)} years) closed, its personal details are erased.
      </p>
      <form method="post" action={`${path}/close`} novalidate aria-label="Close the case">
        <CsrfField token={frame.csrf} />
        <label for="reason">Why the case is closing</label>
        <FieldError field="reason" errors={errors} />
        <select
          id="reason"
          name="reason"
          aria-describedby={describedBy('reason', errors)}
          aria-invalid={invalid('reason', errors)}
        >
          <option value="">Choose a reason</option>
          {v.closeReasons.map((e) => (
            <option value={e.code} selected={values.reason === e.code}>
              {e.label}
            </option>
          ))}
        </select>
        <label for="exitHousing">Where the young person is living now</label>
        <FieldError field="exitHousing" errors={errors} />
        <select
          id="exitHousing"
          name="exitHousing"
          aria-describedby={describedBy('exitHousing', errors)}
          aria-invalid={invalid('exitHousing', errors)}
        >
          <option value="">Choose one</option>
          {v.exitHousing.map((e) => (
            <option value={e.code} selected={values.exitHousing === e.code}>
              {e.label}
            </option>
          ))}
        </select>
        <h2>The young person’s own answers (optional)</h2>
        <p>
          If it is safe and the young person wants to, ask them these three questions in private and record
          their own answers. They can skip any of them:{' '}
          {CONSENT_LINE.charAt(0).toLowerCase() + CONSENT_LINE.slice(1)}
        </p>
        {(Object.keys(SURVEY_QUESTIONS) as SurveyQuestion[]).map((q) => (
          <SurveyQuestionField q={q} values={values} errors={errors} />
        ))}
        <p>
          <button type="submit">Close the case</button>
        </p>
      </form>
    </StaffLayout>,
    state.status,
  );
}

async function closeAction(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guard(c, deps, 'cases.write');
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const id = c.req.param('id') ?? '';
  const form = await readForm(c);
  const values: Record<string, string> = {};
  for (const k of ['reason', 'exitHousing', 'feelsSafer', 'moreHopeful', 'knowsWhereHelp'])
    values[k] = formText(form, k);
  try {
    await closeCase(caseContext(deps), actor, id, values, requestOrigin(c));
  } catch (error) {
    const problems = problemsOf(error);
    if (problems) return closePage(c, deps, { values, errors: problems, status: 400 });
    if (!(error instanceof CaseError)) throw error;
    if (error.code === 'not_found') return notFound(c, frame);
    if (error.code === 'forbidden') return message(c, frame, 403, 'You cannot do that', error.message);
    return message(c, frame, 409, 'The case was not closed', error.message, {
      href: casePath(id.toLowerCase()),
      text: 'Go back to the case',
    });
  }
  return c.redirect(`${casePath(id.toLowerCase())}?done=closed`, 303);
}

// ---------------------------------------------------------------------------------------------------

export const casePages: Feature = (app, deps, policies) => {
  const read = staffAction('cases.read');
  const write = staffAction('cases.write');
  policies.declare('GET', '/staff/cases', read);
  policies.declare('GET', '/staff/cases/new', write);
  policies.declare('POST', '/staff/cases', write);
  policies.declare('GET', '/staff/cases/:id', read);
  policies.declare('GET', '/staff/cases/:id/edit', write);
  policies.declare('POST', '/staff/cases/:id/details', write);
  policies.declare('POST', '/staff/cases/:id/assign', write);
  policies.declare('POST', '/staff/cases/:id/unassign', write);
  policies.declare('POST', '/staff/cases/:id/notes', write);
  policies.declare('POST', '/staff/cases/:id/services', write);
  policies.declare('GET', '/staff/cases/:id/close', write);
  policies.declare('POST', '/staff/cases/:id/close', write);
  policies.declare('POST', '/staff/cases/:id/reopen', write);
  app.get('/staff/cases', (c) => dashboard(c, deps));
  app.get('/staff/cases/new', (c) => newCasePage(c, deps));
  app.post('/staff/cases', (c) => openAction(c, deps));
  app.get('/staff/cases/:id', (c) => overviewPage(c, deps));
  app.get('/staff/cases/:id/edit', (c) => editPage(c, deps));
  app.post('/staff/cases/:id/details', (c) => detailsAction(c, deps));
  app.post('/staff/cases/:id/assign', (c) => changeAction(c, deps, 'assign'));
  app.post('/staff/cases/:id/unassign', (c) => changeAction(c, deps, 'unassign'));
  app.post('/staff/cases/:id/notes', (c) => changeAction(c, deps, 'notes'));
  app.post('/staff/cases/:id/services', (c) => changeAction(c, deps, 'services'));
  app.get('/staff/cases/:id/close', (c) => closePage(c, deps));
  app.post('/staff/cases/:id/close', (c) => closeAction(c, deps));
  app.post('/staff/cases/:id/reopen', (c) => changeAction(c, deps, 'reopen'));
};
