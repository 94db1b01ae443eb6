/**
 * The catalogue pages: `/staff/training` (the courses and the rules of who must complete what, with
 * links to the compliance views), one course (`/staff/training/courses/:code`: its facts, where they come
 * from, who teaches it, and the form that changes it), and the forms that add a course and add or change
 * a requirement.
 */
import type { FC } from 'hono/jsx';
import { ORGANIZATION_TYPES, ROLES, ROLE_NAMES } from '../../../platform/access.ts';
import {
  ErrorSummary,
  Select,
  TextArea,
  TextField,
  Ticks,
  fieldsOf,
  labelledOptions,
  type FieldProblem,
  type FormValues,
} from '../../../web/forms.tsx';
import { Success, type StaffView } from '../../../web/page.tsx';
import { CsrfField, StaffLayout } from '../../../web/staff-layout.tsx';
import { Actions, Button, DataTable, LinkButton, Panel, SummaryList, Tag } from '../../../web/ui.tsx';
import type { TrainerChoice } from '../catalogue.ts';
import type { CourseRow, RequirementRow } from '../queries.ts';
import { FORMATS, RENEWALS, courseLink, dateInWords } from '../rules.ts';

export const DONE_MESSAGES: Record<string, string> = {
  course: 'Course saved.',
  requirement: 'Requirement saved.',
  trainer: 'Trainers saved.',
};

const NOT_GIVEN = 'Not given by the source';

export const renewalInWords = (c: Pick<CourseRow, 'renewal' | 'renewal_years'>) =>
  c.renewal === null
    ? NOT_GIVEN
    : c.renewal === 'every_n_years'
      ? `Every ${c.renewal_years} years`
      : RENEWALS[c.renewal];

const Checked: FC<{ verified: boolean }> = ({ verified }) =>
  verified ? <Tag tone="success">Checked</Tag> : <Tag tone="warning">Not checked</Tag>;

export const equivalentsInWords = (c: Pick<CourseRow, 'equivalents'>) =>
  c.equivalents.length ? c.equivalents.map((set) => set.join(' + ')).join('; or ') : 'None';

const whoInWords = (r: RequirementRow) => {
  const types = r.organization_types.map(
    (t) => ORGANIZATION_TYPES[t as keyof typeof ORGANIZATION_TYPES] ?? t,
  );
  const roles = r.roles.map((x) => ROLE_NAMES[x as keyof typeof ROLE_NAMES] ?? x);
  return `${roles.length ? roles.join(', ') : 'Everyone'} in ${types.length ? types.join(', ') : 'any organization'}`;
};

export const TrainingHome: FC<
  StaffView & {
    courses: CourseRow[];
    requirements: RequirementRow[];
    manages: boolean;
    links: [href: string, text: string][];
    dueDays: number;
    done: string | null;
  }
> = (p) => (
  <StaffLayout frame={p.frame} title="Training">
    <Success message={p.done} />
    <p>
      The trainings people in the network must complete, who must complete them, and who has. Facts a source
      does not give are left empty and marked “not checked”.
    </p>
    {p.links.length ? (
      <nav aria-label="Training pages">
        <ul class="usa-list">
          {p.links.map(([href, text]) => (
            <li>
              <a href={href}>{text}</a>
            </li>
          ))}
        </ul>
      </nav>
    ) : null}
    <h2>Courses</h2>
    {p.manages ? (
      <Actions>
        <LinkButton href="/staff/training/courses/new" variant="outline">
          Add a course
        </LinkButton>
      </Actions>
    ) : null}
    <DataTable
      label="Courses"
      caption="The training catalogue"
      head={['Code', 'Course', 'Provider', 'Renewal', 'Counts as it too', 'Source']}
    >
      {p.courses.map((c) => (
        <tr>
          <th scope="row">
            <a href={courseLink(c.code)}>{c.code}</a>
          </th>
          <td>{c.title}</td>
          <td>{c.provider}</td>
          <td>{renewalInWords(c)}</td>
          <td>{equivalentsInWords(c)}</td>
          <td>
            <Checked verified={c.verified} />
          </td>
        </tr>
      ))}
    </DataTable>
    <h2>Who must complete what</h2>
    {p.manages ? (
      <Actions>
        <LinkButton href="/staff/training/requirements/new" variant="outline">
          Add a requirement
        </LinkButton>
      </Actions>
    ) : null}
    <DataTable
      label="Requirements"
      caption="Requirements"
      head={['Requirement', 'Who', 'Any of these courses', 'Due', 'Source']}
    >
      {p.requirements.map((r) => (
        <tr>
          <th scope="row">
            {p.manages ? <a href={`/staff/training/requirements/${r.id}`}>{r.title}</a> : r.title}
            {r.retired_at ? (
              <>
                {' '}
                <Tag>No longer applies</Tag>
              </>
            ) : null}
          </th>
          <td>{whoInWords(r)}</td>
          <td>{r.course_codes.join(', ')}</td>
          <td>
            {r.within_days !== null
              ? `Within ${r.within_days} days of starting`
              : `Not given by the source: ${p.dueDays} days (local setting)`}
          </td>
          <td>
            {r.source} <Checked verified={r.verified} />
          </td>
        </tr>
      ))}
    </DataTable>
  </StaffLayout>
);

export const COURSE_FIELDS = [
  'code',
  'title',
  'provider',
  'format',
  'length',
  'modules',
  'requiredBy',
  'renewal',
  'renewalYears',
  'equivalents',
  'source',
  'verified',
  'note',
] as const;

export function courseValues(c: CourseRow): FormValues {
  return {
    code: c.code,
    title: c.title,
    provider: c.provider,
    format: c.format ?? '',
    length: c.length_text ?? '',
    modules: c.modules === null ? '' : String(c.modules),
    requiredBy: c.required_by ?? '',
    renewal: c.renewal ?? '',
    renewalYears: c.renewal_years === null ? '' : String(c.renewal_years),
    equivalents: c.equivalents.map((s) => s.join(' + ')).join('\n'),
    source: c.source,
    verified: c.verified ? 'yes' : 'no',
    note: c.note ?? '',
  };
}

const YES_NO = [
  { value: 'yes', label: 'Yes: checked against the source' },
  { value: 'no', label: 'No: not checked yet' },
];

const CourseForm: FC<{
  action: string;
  csrf: string;
  values: FormValues;
  errors: FieldProblem[];
  isNew: boolean;
}> = (p) => {
  const f = fieldsOf(p.values, p.errors);
  return (
    <form method="post" action={p.action} class="usa-form usa-form--large" novalidate>
      <CsrfField token={p.csrf} />
      {p.isNew ? <TextField {...f('code')} label="Course code" hint="Like X205." maxlength={40} /> : null}
      <TextField {...f('title')} label="Title" maxlength={200} />
      <TextField {...f('provider')} label="Provider" maxlength={200} />
      <Select
        {...f('format')}
        label="Format"
        placeholder="Not given by the source"
        options={labelledOptions(FORMATS)}
      />
      <TextField
        {...f('length')}
        label="Length (optional)"
        hint="As the source says it, like “Under 4 hours”."
        maxlength={100}
      />
      <TextField {...f('modules')} label="Number of modules (optional)" inputmode="numeric" maxlength={3} />
      <TextField {...f('requiredBy')} label="Statute or rule that requires it (optional)" maxlength={300} />
      <Select
        {...f('renewal')}
        label="Renewal"
        placeholder="Not given by the source"
        options={labelledOptions(RENEWALS)}
      />
      <TextField
        {...f('renewalYears')}
        label="Every how many years (only for “every few years”)"
        inputmode="numeric"
        maxlength={2}
      />
      <TextArea
        {...f('equivalents')}
        label="Courses that together count as this one (optional)"
        hint="One set a line, codes joined by +, like X203 + X204."
        maxlength={500}
        rows={3}
      />
      <TextArea {...f('source')} label="Source of these facts" maxlength={500} rows={2} />
      <Select {...f('verified')} label="Checked against the source?" placeholder="Choose" options={YES_NO} />
      <TextArea {...f('note')} label="Note (optional)" maxlength={1000} rows={3} />
      <Button type="submit">Save the course</Button>
    </form>
  );
};

export const CoursePage: FC<
  StaffView & {
    course: CourseRow;
    trainers: TrainerChoice[];
    choices: TrainerChoice[];
    manages: boolean;
    values: FormValues;
    errors: FieldProblem[];
    done: string | null;
  }
> = (p) => {
  const c = p.course;
  return (
    <StaffLayout frame={p.frame} title={`${c.code}: ${c.title}`}>
      <Success message={p.done} />
      <ErrorSummary errors={p.errors} />
      <Panel id="facts" heading="The course">
        <SummaryList
          rows={[
            ['Provider', c.provider],
            ['Format', c.format ? FORMATS[c.format] : NOT_GIVEN],
            ['Length', c.length_text ?? NOT_GIVEN],
            ['Modules', c.modules === null ? NOT_GIVEN : String(c.modules)],
            ['Required by', c.required_by ?? NOT_GIVEN],
            ['Renewal', renewalInWords(c)],
            ['Also counts as this course', equivalentsInWords(c)],
            ['Source', c.source],
            ['Checked', <Checked verified={c.verified} />],
            ['Last checked or changed', dateInWords(c.retrieved)],
            c.note ? ['Note', c.note] : null,
          ]}
        />
      </Panel>
      {p.manages ? (
        <>
          <Panel id="trainers" heading="Who teaches it">
            <p>A trainer records completions only of the courses they teach.</p>
            {p.trainers.length ? (
              <DataTable label="Trainers" caption="Trainers of this course" head={['Trainer', 'Change']}>
                {p.trainers.map((t) => (
                  <tr>
                    <th scope="row">{t.name}</th>
                    <td>
                      <form method="post" action={`${courseLink(c.code)}/trainers`}>
                        <CsrfField token={p.frame.csrf} />
                        <input type="hidden" name="userId" value={t.id} />
                        <input type="hidden" name="teaches" value="no" />
                        <Button type="submit" variant="unstyled">
                          Stop: {t.name} no longer teaches it
                        </Button>
                      </form>
                    </td>
                  </tr>
                ))}
              </DataTable>
            ) : (
              <p>No trainer is assigned yet.</p>
            )}
            {p.choices.length ? (
              <form method="post" action={`${courseLink(c.code)}/trainers`} class="usa-form">
                <CsrfField token={p.frame.csrf} />
                <input type="hidden" name="teaches" value="yes" />
                <Select
                  id="userId"
                  value=""
                  error={p.errors.find((e) => e.field === 'userId')?.message}
                  label="Add a trainer"
                  placeholder="Choose a trainer"
                  options={p.choices.map((t) => ({ value: t.id, label: t.name }))}
                />
                <Button type="submit">Add the trainer</Button>
              </form>
            ) : (
              <p>There are no accounts with the trainer role yet.</p>
            )}
          </Panel>
          <Panel id="change" heading="Change the course">
            <CourseForm
              action={courseLink(c.code)}
              csrf={p.frame.csrf}
              values={p.values}
              errors={p.errors}
              isNew={false}
            />
          </Panel>
        </>
      ) : null}
    </StaffLayout>
  );
};

export const NewCoursePage: FC<StaffView & { values: FormValues; errors: FieldProblem[] }> = (p) => (
  <StaffLayout frame={p.frame} title="Add a course">
    <ErrorSummary errors={p.errors} />
    <CourseForm
      action="/staff/training/courses"
      csrf={p.frame.csrf}
      values={p.values}
      errors={p.errors}
      isNew
    />
  </StaffLayout>
);

export const REQUIREMENT_FIELDS = [
  'id',
  'title',
  'courseCodes',
  'roles',
  'organizationTypes',
  'withinDays',
  'source',
  'verified',
  'note',
  'retired',
] as const;

export function requirementValues(r: RequirementRow): FormValues {
  return {
    id: r.id,
    title: r.title,
    courseCodes: r.course_codes.join(', '),
    roles: r.roles.join(' '),
    organizationTypes: r.organization_types.join(' '),
    withinDays: r.within_days === null ? '' : String(r.within_days),
    source: r.source,
    verified: r.verified ? 'yes' : 'no',
    note: r.note ?? '',
    retired: r.retired_at ? 'yes' : '',
  };
}

export const RequirementPage: FC<
  StaffView & { id: string | null; values: FormValues; errors: FieldProblem[] }
> = (p) => {
  const f = fieldsOf(p.values, p.errors);
  const roles = (p.values.roles ?? '').split(' ');
  const types = (p.values.organizationTypes ?? '').split(' ');
  return (
    <StaffLayout frame={p.frame} title={p.id ? 'Change a requirement' : 'Add a requirement'}>
      <ErrorSummary errors={p.errors} />
      <form
        method="post"
        action={p.id ? `/staff/training/requirements/${p.id}` : '/staff/training/requirements'}
        class="usa-form usa-form--large"
        novalidate
      >
        <CsrfField token={p.frame.csrf} />
        {p.id ? null : (
          <TextField
            {...f('id')}
            label="Short name"
            hint="Lower-case letters, digits and dashes, like county-intake-staff."
            maxlength={60}
          />
        )}
        <TextField {...f('title')} label="What the rule asks" maxlength={200} />
        <TextField
          {...f('courseCodes')}
          label="Courses"
          hint="Any one of these satisfies it, with the courses that count as it. Codes separated by commas."
          maxlength={200}
        />
        <fieldset class="usa-fieldset usa-form-group">
          <legend class="usa-legend">Roles it binds (none ticked: every role)</legend>
          <Ticks
            type="checkbox"
            name="roles"
            options={ROLES.map((r) => ({ value: r, label: ROLE_NAMES[r] }))}
            checked={(v) => roles.includes(v)}
          />
        </fieldset>
        <fieldset class="usa-fieldset usa-form-group">
          <legend class="usa-legend">Organization types it binds (none ticked: every type)</legend>
          <Ticks
            type="checkbox"
            name="organizationTypes"
            options={labelledOptions(ORGANIZATION_TYPES)}
            checked={(v) => types.includes(v)}
          />
        </fieldset>
        <TextField
          {...f('withinDays')}
          label="Days after starting (optional)"
          hint="Leave empty when the rule does not say."
          inputmode="numeric"
          maxlength={4}
        />
        <TextArea {...f('source')} label="Source of the rule" maxlength={500} rows={2} />
        <Select
          {...f('verified')}
          label="Checked against the source?"
          placeholder="Choose"
          options={YES_NO}
        />
        <TextArea {...f('note')} label="Note (optional)" maxlength={1000} rows={3} />
        {p.id ? (
          <div class="usa-checkbox">
            <input
              class="usa-checkbox__input"
              type="checkbox"
              id="retired"
              name="retired"
              value="yes"
              checked={p.values.retired === 'yes'}
            />
            <label class="usa-checkbox__label" for="retired">
              This rule no longer applies
            </label>
          </div>
        ) : null}
        <Button type="submit">Save the requirement</Button>
      </form>
    </StaffLayout>
  );
};
