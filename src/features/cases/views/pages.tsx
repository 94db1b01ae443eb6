/**
 * The case pages other than the overview: the dashboard (`/staff/cases`: my open cases, my regions'
 * open or closed cases, a page at a time), opening a case (directly, or from a referral in the queue),
 * changing its details, and closing it.
 */
import type { FC, Child } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import type { Actor, RegionScope } from '../../../platform/access.ts';
import { Time } from '../../../web/page.tsx';
import { type StaffFrame, CsrfField, ErrorSummary, StaffLayout } from '../../../web/staff-layout.tsx';
import { AGE_BAND_NAMES } from '../../queue/service.ts';
import {
  CASE_LIST_VIEWS,
  type CaseListView,
  SURVEY_ANSWERS,
  SURVEY_ANSWER_NAMES,
  SURVEY_QUESTIONS,
  type SurveyQuestion,
} from '../rules.ts';
import type { FieldProblem } from '../schema.ts';
import type { CaseList, CaseDetail, ReferralDraft } from '../service.ts';
import {
  invalid,
  CONSENT_LINE,
  DetailsFields,
  FieldError,
  SelectField,
  describedBy,
  one,
  type DetailValues,
} from './fields.tsx';
import { CaseHeading, casePath } from './layout.tsx';
import { Actions, Alert, Button, LinkButton } from '../../../web/ui.tsx';

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

export interface DashboardProps {
  deps: AppDeps;
  frame: StaffFrame;
  actor: Actor;
  scope: RegionScope;
  mayWrite: boolean;
  regions: { id: string; name: string }[];
  view: CaseListView;
  region: string;
  after: string;
  list: CaseList;
  errors: FieldProblem[];
}

export const DashboardPage: FC<DashboardProps> = (p) => {
  const { scope, regions, view, region, errors } = p;
  const link = (params: Record<string, string>) => {
    const s = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ''));
    return s.size ? `/staff/cases?${s.toString()}` : '/staff/cases';
  };
  const views = (Object.keys(CASE_LIST_VIEWS) as CaseListView[]).filter((v) => v !== 'mine' || !scope.all);
  const viewName = (v: CaseListView) =>
    v === 'open' && scope.all ? 'Open cases, every region' : CASE_LIST_VIEWS[v];
  return (
    <StaffLayout frame={p.frame} title="Cases">
      <ErrorSummary errors={errors} />
      <p>
        {scope.all
          ? 'Cases of every region. You can read them; regional navigators open and change them.'
          : regions.length
            ? `Cases of ${regions.map((r) => r.name).join(', ')}.`
            : 'You have no regions yet: ask your organisation’s administrator to assign yours.'}{' '}
        The names on this list are shown to you alone, and each list you open is recorded in the audit log.
      </p>
      {p.mayWrite ? (
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
                {viewName(v)}
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
      <h2>{viewName(view)}</h2>
      <CaseTable deps={p.deps} list={p.list} view={view} actor={p.actor} />
      <nav aria-label="Pages of cases" class="pager">
        {p.after ? <a href={link({ view, region })}>First page</a> : null}
        {p.list.next ? <a href={link({ view, region, after: p.list.next })}>Next page</a> : null}
      </nav>
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
