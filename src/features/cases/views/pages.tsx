/**
 * The case pages other than the overview: the dashboard (`/staff/cases`: my open cases, my regions'
 * open or closed cases, a page at a time), opening a case (directly, or from a referral in the queue),
 * changing its details, and closing it.
 */
import type { FC, Child } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import type { Actor, RegionScope } from '../../../platform/access.ts';
import { Time } from '../../../web/page.tsx';
import { Select, namedOptions, type Option } from '../../../web/forms.tsx';
import { Actions, Alert, Button, DataTable, LinkButton, Pager, Tag } from '../../../web/ui.tsx';
import { type StaffFrame, CsrfField, ErrorSummary, StaffLayout } from '../../../web/staff-layout.tsx';
import { AGE_BAND_NAMES } from '../../queue/service.ts';
import {
  ACTIVITY_FILTERS,
  ASSIGNED_FILTERS,
  CASE_LIST_VIEWS,
  CASE_SORTS,
  CASE_STATUS_FILTERS,
  type CaseListView,
  type CaseSort,
  SURVEY_ANSWERS,
  SURVEY_ANSWER_NAMES,
  SURVEY_QUESTIONS,
  type SurveyQuestion,
} from '../rules.ts';
import type { FieldProblem } from '../schema.ts';
import type { CaseList, CaseDetail, ReferralDraft } from '../service.ts';
import {
  CONSENT_LINE,
  DetailsFields,
  FieldError,
  SelectField,
  describedBy,
  one,
  type DetailValues,
} from './fields.tsx';
import { CaseHeading, casePath } from './layout.tsx';

const SORT_WORDS: Record<CaseSort, string> = {
  activity: 'most recent activity first',
  opened: 'newest first',
  closed: 'most recently closed first',
  number: 'highest case number first',
};

const CaseTable: FC<{ deps: AppDeps; list: CaseList; sort: CaseSort; searched: boolean; actor: Actor }> = ({
  deps,
  list,
  sort,
  searched,
  actor,
}) => (
  <DataTable
    id="cases"
    label="Cases"
    caption={
      list.total === 0
        ? searched
          ? 'No cases found'
          : 'No cases'
        : `${list.totalCapped ? `More than ${list.total.toLocaleString('en-US')}` : list.total.toLocaleString('en-US')} ${list.total === 1 && !list.totalCapped ? 'case' : 'cases'}${searched ? ' found' : ''}, ${SORT_WORDS[sort]}${list.total > list.cases.length ? ` (showing ${list.cases.length})` : ''}`
    }
    head={[
      'Name they use',
      'Case number',
      'Age',
      'County',
      'Region',
      sort === 'closed' ? 'Closed' : 'Opened',
      'Last activity',
      'Navigators',
    ]}
  >
    {list.cases.map((c) => (
      <tr>
        <th scope="row">
          <a href={casePath(c.id)}>{c.chosenName ?? 'Name not available'}</a>
          {c.status === 'closed' && sort !== 'closed' ? (
            <>
              {' '}
              <Tag>Closed</Tag>
            </>
          ) : null}
        </th>
        <td class="case-number">{c.caseNumber}</td>
        <td>{AGE_BAND_NAMES[c.ageBand]}</td>
        <td>{c.countyName ?? 'Not known'}</td>
        <td>{c.regionName}</td>
        <td>
          <Time deps={deps} at={sort === 'closed' && c.closedAt ? c.closedAt : c.openedAt} show="date" />
        </td>
        <td>
          <Time deps={deps} at={c.updatedAt} show="date" />
        </td>
        <td>
          {c.assigned.length
            ? c.assigned.map((a) => (a.userId === actor.userId ? 'You' : a.name)).join(', ')
            : 'Nobody'}
        </td>
      </tr>
    ))}
  </DataTable>
);

/** The list's query parameters as sent (trimmed; empty when left out). */
export type CaseListParams = Record<
  | 'view'
  | 'q'
  | 'status'
  | 'assigned'
  | 'region'
  | 'county'
  | 'ageBand'
  | 'activity'
  | 'sort'
  | 'after'
  | 'before',
  string
>;

export interface DashboardProps {
  deps: AppDeps;
  frame: StaffFrame;
  actor: Actor;
  scope: RegionScope;
  mayWrite: boolean;
  regions: { id: string; name: string }[];
  counties: { fips: string; name: string }[];
  params: CaseListParams;
  list: CaseList;
  errors: FieldProblem[];
}

const options = (names: Record<string, string>) =>
  Object.entries(names).map(([value, label]) => ({ value, label }));

export const DashboardPage: FC<DashboardProps> = (p) => {
  const { scope, regions, params, errors } = p;
  const applied = p.list.filters;
  const link = (values: Partial<CaseListParams>) => {
    const s = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== '' && v !== undefined));
    return s.size ? `/staff/cases?${s.toString()}` : '/staff/cases';
  };
  const error = (field: string) => errors.find((e) => e.field === field)?.message;
  // The filters as the form shows them: as the list applied them, or as sent when they were refused.
  const shown = (name: keyof CaseListParams): string =>
    applied && name !== 'after' && name !== 'before' && name !== 'view'
      ? String(applied[name as keyof typeof applied] ?? '')
      : params[name];
  const view = applied ? applied.view : null;
  const sort: CaseSort = applied?.sort ?? 'opened';
  const defaultSort = shown('status') === 'closed' ? 'closed' : 'opened';
  const { after: _after, before: _before, ...unpaged } = params;
  const views = (Object.keys(CASE_LIST_VIEWS) as CaseListView[]).filter((v) => v !== 'mine' || !scope.all);
  const viewName = (v: CaseListView) =>
    v === 'open' && scope.all ? 'Open cases, every region' : CASE_LIST_VIEWS[v];
  const heading = applied?.q ? 'Search results' : view ? viewName(view) : 'Cases matching your filters';
  const qError = error('q');
  /** A filter's drop-down list, showing the filter as applied (or `value`) and its error. */
  const filter = (
    id: keyof CaseListParams,
    label: string,
    placeholder: string,
    choices: Option[],
    value = shown(id),
  ) => (
    <Select
      id={id}
      label={label}
      placeholder={placeholder}
      options={choices}
      value={value}
      error={error(id)}
    />
  );
  return (
    <StaffLayout frame={p.frame} title="Cases">
      <ErrorSummary errors={errors} />
      <p>
        {scope.all
          ? 'Cases of every region. You can read them; regional navigators open and change them.'
          : regions.length
            ? `Cases of ${regions.map((r) => r.name).join(', ')}.`
            : 'You have no regions yet: ask your organization’s administrator to assign yours.'}{' '}
        The names on this list are shown to you alone, and each list you open is recorded in the audit log.
      </p>
      {p.mayWrite ? (
        <Actions>
          <LinkButton href="/staff/cases/new">Open a case</LinkButton>
        </Actions>
      ) : null}
      <form method="get" action="/staff/cases" role="search" aria-labelledby="find-h" novalidate>
        <h2 id="find-h">Find a case</h2>
        {/* The filters below stand on their own: "Anyone or nobody" means every case, not the person's own. */}
        <input type="hidden" name="view" value="open" />
        <div class={`usa-form-group${qError ? ' usa-form-group--error' : ''}`}>
          <label for="q" class={`usa-label${qError ? ' usa-label--error' : ''}`}>
            Case number, name or date of birth
          </label>
          <p class="usa-hint" id="q-hint">
            For example WM-2026-0042, the name they use or their legal name, or a date of birth like
            2009-04-12 or 04/12/2009. A name must be complete; capitals, accents and extra spaces do not
            matter.
          </p>
          {qError ? (
            <span class="usa-error-message" id="q-error">
              Error: {qError}
            </span>
          ) : null}
          <input
            class={`usa-input${qError ? ' usa-input--error' : ''}`}
            type="search"
            id="q"
            name="q"
            maxlength={200}
            autocomplete="off"
            spellcheck={false}
            value={shown('q')}
            aria-describedby={qError ? 'q-hint q-error' : 'q-hint'}
            aria-invalid={qError ? 'true' : undefined}
          />
        </div>
        <fieldset class="usa-fieldset">
          <legend class="usa-legend">Filters</legend>
          {filter(
            'status',
            'Status',
            'Open (any status when searching)',
            options(CASE_STATUS_FILTERS),
            params.status ||
              (applied && applied.status !== (applied.q ? 'all' : 'open') ? applied.status : ''),
          )}
          {filter(
            'assigned',
            'Assigned to',
            'Anyone or nobody',
            options(ASSIGNED_FILTERS).filter((o) => o.value !== 'all'),
            shown('assigned') === 'all' ? '' : shown('assigned'),
          )}
          {regions.length > 1
            ? filter(
                'region',
                'Region',
                scope.all ? 'Every region' : 'All your regions',
                namedOptions(regions),
              )
            : null}
          {filter(
            'county',
            'County',
            'Any county',
            p.counties.map((c) => ({ value: c.fips, label: c.name })),
          )}
          {filter('ageBand', 'Age', 'Any age', options(AGE_BAND_NAMES))}
          {filter('activity', 'Last activity', 'Any time', options(ACTIVITY_FILTERS))}
          {filter(
            'sort',
            'Sort by',
            CASE_SORTS[defaultSort],
            options(CASE_SORTS).filter((o) => o.value !== defaultSort),
            shown('sort') === defaultSort ? '' : shown('sort'),
          )}
        </fieldset>
        <Actions>
          <Button>Find cases</Button>
          <a href="/staff/cases">Clear the search and filters</a>
        </Actions>
      </form>
      <nav aria-label="Which cases" id="views" class="nwd-views">
        <ul>
          {views.map((v) => (
            <li>
              <a href={link({ view: v })} aria-current={v === view ? 'page' : undefined}>
                {viewName(v)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h2>{heading}</h2>
      <CaseTable deps={p.deps} list={p.list} sort={sort} searched={Boolean(applied?.q)} actor={p.actor} />
      <Pager
        label="Pages of cases"
        previous={p.list.previous ? link({ ...unpaged, before: p.list.previous }) : null}
        next={p.list.next ? link({ ...unpaged, after: p.list.next }) : null}
      />
    </StaffLayout>
  );
};

export const AlreadyOpenPage: FC<{ frame: StaffFrame; existingCaseId: string | null }> = ({
  frame,
  existingCaseId,
}) => (
  <StaffLayout frame={frame} title="A case is already open">
    <Alert type="info">
      A case has already been opened from this referral.{' '}
      {existingCaseId ? '' : 'It is now held by another region.'}
    </Alert>
    {existingCaseId ? (
      <Actions>
        <LinkButton href={casePath(existingCaseId)}>Go to the case</LinkButton>
      </Actions>
    ) : null}
  </StaffLayout>
);

export const NewCasePage: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  draft: ReferralDraft | null;
  regions: { id: string; name: string }[];
  regionId: string | undefined;
  values: DetailValues;
  errors: FieldProblem[];
}> = ({ deps, frame, draft, regions, regionId, values, errors }) => (
  <StaffLayout frame={frame} title="Open a case">
    <ErrorSummary errors={errors} />
    <p>
      <a href={draft ? `/staff/queue/${draft.itemId}` : '/staff/cases'}>
        {draft ? 'Back to the referral' : 'Back to cases'}
      </a>
    </p>
    {draft ? (
      <Alert type="info" slim>
        From a referral in {draft.regionName ?? 'no region'}: what it says about the young person is filled in
        below. Check it with them. Opening the case closes the referral in the queue as “connected to
        services”.
      </Alert>
    ) : null}
    <form method="post" action="/staff/cases" novalidate aria-label="Open a case" class="usa-form nwd-panel">
      <CsrfField token={frame.csrf} />
      {draft ? <input type="hidden" name="intakeItemId" value={draft.itemId} /> : null}
      {draft ? (
        <p>The case will belong to {draft.regionName}.</p>
      ) : regions.length > 1 ? (
        <SelectField
          id="regionId"
          label="Region the case belongs to"
          empty="Choose a region"
          options={regions.map((r) => ({ code: r.id, label: r.name }))}
          selected={regionId}
          errors={errors}
        />
      ) : regions[0] ? (
        <p id="regionId">The case will belong to {regions[0].name}.</p>
      ) : (
        <p id="regionId">You have no regions yet: ask your organization’s administrator to assign yours.</p>
      )}
      <DetailsFields deps={deps} values={values} errors={errors} />
      <Actions>
        <Button>Open the case</Button>
      </Actions>
    </form>
  </StaffLayout>
);

/** A page of one form about a case: its heading, the tabs and a link back above the form. */
const CaseFormPage: FC<{
  frame: StaffFrame;
  detail: CaseDetail;
  title: string;
  errors: FieldProblem[];
  children?: Child;
}> = ({ frame, detail, title, errors, children }) => (
  <StaffLayout frame={frame} title={title}>
    <ErrorSummary errors={errors} />
    <CaseHeading
      caseId={detail.id}
      label={detail.personal.chosenName}
      regionName={detail.regionName}
      current="overview"
      closed={detail.status !== 'open'}
      id="summary"
      caseNumber={detail.caseNumber}
    />
    <p>
      <a href={casePath(detail.id)}>Back to the case</a>
    </p>
    {children}
  </StaffLayout>
);

export const EditPage: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  detail: CaseDetail;
  values: DetailValues;
  errors: FieldProblem[];
}> = ({ deps, frame, detail, values, errors }) => (
  <CaseFormPage frame={frame} detail={detail} title="Change the details" errors={errors}>
    <form
      method="post"
      action={`${casePath(detail.id)}/details`}
      novalidate
      aria-label="Change the details"
      class="usa-form nwd-panel"
    >
      <CsrfField token={frame.csrf} />
      <input type="hidden" name="version" value={one(values, 'version')} />
      <DetailsFields deps={deps} values={values} errors={errors} />
      <Actions>
        <Button>Save the details</Button>
      </Actions>
    </form>
  </CaseFormPage>
);

const SurveyQuestionField: FC<{
  q: SurveyQuestion;
  values: Record<string, string>;
  errors: FieldProblem[];
}> = ({ q, values, errors }) => (
  <fieldset id={q} aria-describedby={describedBy(q, errors)} class="usa-fieldset usa-form-group">
    <legend class="usa-legend">{SURVEY_QUESTIONS[q]}</legend>
    <FieldError field={q} errors={errors} />
    {SURVEY_ANSWERS.map((a) => (
      <div class="usa-radio">
        <input
          class="usa-radio__input"
          type="radio"
          id={`${q}-${a}`}
          name={q}
          value={a}
          checked={(values[q] || 'not_asked') === a}
        />
        <label class="usa-radio__label" for={`${q}-${a}`}>
          {SURVEY_ANSWER_NAMES[a]}
        </label>
      </div>
    ))}
  </fieldset>
);

export const ClosePage: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  detail: CaseDetail;
  days: number;
  values: Record<string, string>;
  errors: FieldProblem[];
}> = ({ deps, frame, detail, days, values, errors }) => {
  const v = deps.rules.vocabularies;
  return (
    <CaseFormPage frame={frame} detail={detail} title="Close the case" errors={errors}>
      <p>
        A closed case can be reopened if the young person comes back. After {days} days (
        {Math.round(days / 365)} years) closed, its personal details are erased.
      </p>
      <form
        method="post"
        action={`${casePath(detail.id)}/close`}
        novalidate
        aria-label="Close the case"
        class="usa-form nwd-panel"
      >
        <CsrfField token={frame.csrf} />
        <SelectField
          id="reason"
          label="Why the case is closing"
          empty="Choose a reason"
          options={v.closeReasons}
          selected={values.reason}
          errors={errors}
        />
        <SelectField
          id="exitHousing"
          label="Where the young person is living now"
          empty="Choose one"
          options={v.exitHousing}
          selected={values.exitHousing}
          errors={errors}
        />
        <h2>The young person’s own answers (optional)</h2>
        <p>
          If it is safe and the young person wants to, ask them these three questions in private and record
          their own answers. They can skip any of them:{' '}
          {CONSENT_LINE.charAt(0).toLowerCase() + CONSENT_LINE.slice(1)}
        </p>
        {(Object.keys(SURVEY_QUESTIONS) as SurveyQuestion[]).map((q) => (
          <SurveyQuestionField q={q} values={values} errors={errors} />
        ))}
        <Actions>
          <Button>Close the case</Button>
        </Actions>
      </form>
    </CaseFormPage>
  );
};
