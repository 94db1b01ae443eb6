/**
 * The pages with one form about a case's details: opening a case (directly, or from a referral in the
 * queue), changing its details, and closing it.
 */
import type { FC } from 'hono/jsx';
import type { Child } from 'hono/jsx';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import type { AppDeps } from '../../../app-types.ts';
import { SURVEY_ANSWERS, SURVEY_ANSWER_NAMES, SURVEY_QUESTIONS, type SurveyQuestion } from '../rules.ts';
import type { FieldProblem } from '../schema.ts';
import type { CaseDetail, ReferralDraft } from '../service.ts';
import {
  CONSENT_LINE,
  DetailsFields,
  FieldError,
  SelectField,
  describedBy,
  one,
  type DetailValues,
} from './fields.tsx';
import { CaseTabs, casePath } from './layout.tsx';

export const AlreadyOpenPage: FC<{ frame: StaffFrame; existingCaseId: string | null }> = ({
  frame,
  existingCaseId,
}) => (
  <StaffLayout frame={frame} title="A case is already open">
    <p>A case has already been opened from this referral.</p>
    <p>
      {existingCaseId ? (
        <a href={casePath(existingCaseId)}>Go to the case</a>
      ) : (
        'It is now held by another region.'
      )}
    </p>
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
      <p>
        From a referral in {draft.regionName ?? 'no region'}: what it says about the young person is filled in
        below. Check it with them. Opening the case closes the referral in the queue as “connected to
        services”.
      </p>
    ) : null}
    <form method="post" action="/staff/cases" novalidate aria-label="Open a case">
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
        <p id="regionId">You have no regions yet: ask your organisation’s administrator to assign yours.</p>
      )}
      <DetailsFields deps={deps} values={values} errors={errors} />
      <p>
        <button type="submit">Open the case</button>
      </p>
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
    <p id="summary" tabindex={-1}>
      Case of <strong>{detail.personal.chosenName}</strong> · {detail.regionName}
    </p>
    <CaseTabs caseId={detail.id} current="overview" label={detail.personal.chosenName} />
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
    <form method="post" action={`${casePath(detail.id)}/details`} novalidate aria-label="Change the details">
      <CsrfField token={frame.csrf} />
      <input type="hidden" name="version" value={one(values, 'version')} />
      <DetailsFields deps={deps} values={values} errors={errors} />
      <p>
        <button type="submit">Save the details</button>
      </p>
    </form>
  </CaseFormPage>
);

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
      <form method="post" action={`${casePath(detail.id)}/close`} novalidate aria-label="Close the case">
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
        <p>
          <button type="submit">Close the case</button>
        </p>
      </form>
    </CaseFormPage>
  );
};
