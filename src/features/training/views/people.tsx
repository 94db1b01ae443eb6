/**
 * The pages of an organization's training: the list of organizations the person may open
 * (`/staff/training/organizations`), one organization (`/staff/training/organizations/:id`: its people
 * with their state against each requirement and their completions, the forms that add a person to the
 * roster, record a completion and — for state administrators — set the organization's regions), and the
 * CSV import (`/staff/training/organizations/:id/import`) with its per-row error report.
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
  type FieldProblem,
  type FormValues,
} from '../../../web/forms.tsx';
import { Success, type StaffView } from '../../../web/page.tsx';
import { CsrfField, StaffLayout } from '../../../web/staff-layout.tsx';
import { Button, Counts, DataTable, Panel, RowsToFix, Tag, type Tone } from '../../../web/ui.tsx';
import type { RowProblem } from '../csv-import.ts';
import type { OrganizationRow } from '../queries.ts';
import {
  SOURCES,
  STATES,
  certificateLink,
  dateInWords,
  organizationLink,
  type ComplianceState,
  type StateCounts,
} from '../rules.ts';
import type { myTraining, organizationTraining } from '../service.ts';

type OrganizationTraining = Awaited<ReturnType<typeof organizationTraining>>;

export const DONE_MESSAGES: Record<string, string> = {
  roster: 'Person added to the roster.',
  removed: 'Person taken off the roster. Their completions stay on record.',
  completion: 'Completion recorded.',
  regions: 'Regions saved.',
};

const TONES: Record<ComplianceState, Tone> = {
  complete: 'success',
  due: 'info',
  overdue: 'error',
  started: 'base',
  never_started: 'warning',
};

export const StateTag: FC<{ state: ComplianceState }> = ({ state }) => (
  <Tag tone={TONES[state]}>{STATES[state]}</Tag>
);

export const StateCountsList: FC<{ label: string; counts: StateCounts; href: string }> = ({
  label,
  counts,
  href,
}) => (
  <Counts
    label={label}
    counts={(Object.keys(STATES) as ComplianceState[]).map((k) => ({
      href,
      label: STATES[k],
      count: counts[k],
      warn: k === 'overdue' || k === 'due',
    }))}
  />
);

const typeName = (t: string) => ORGANIZATION_TYPES[t as keyof typeof ORGANIZATION_TYPES] ?? t;

export const OrganizationsPage: FC<StaffView & { organizations: OrganizationRow[] }> = (p) => (
  <StaffLayout frame={p.frame} title="Training by organization">
    {p.organizations.length ? (
      <DataTable label="Organizations" caption="Organizations you may open" head={['Organization', 'Type']}>
        {p.organizations.map((o) => (
          <tr>
            <th scope="row">
              <a href={organizationLink(o.id)}>{o.name}</a>
            </th>
            <td>{typeName(o.type)}</td>
          </tr>
        ))}
      </DataTable>
    ) : (
      <p>There are no organizations for you here.</p>
    )}
  </StaffLayout>
);

export const ROSTER_FIELDS = ['name', 'email', 'role', 'title', 'startedOn'] as const;
export const COMPLETION_FIELDS = ['person', 'courseCode', 'completedOn'] as const;

export const OrganizationPage: FC<
  StaffView & {
    training: OrganizationTraining;
    roster: { values: FormValues; errors: FieldProblem[] };
    completion: { values: FormValues; errors: FieldProblem[] };
    done: string | null;
  }
> = (p) => {
  const { organization: org, people, requirements } = p.training;
  const link = organizationLink(org.id);
  const r = fieldsOf(p.roster.values, p.roster.errors);
  const c = fieldsOf(p.completion.values, p.completion.errors);
  const titleOf = (id: string) => requirements.find((x) => x.id === id)?.title ?? id;
  return (
    <StaffLayout frame={p.frame} title={`Training: ${org.name}`}>
      <Success message={p.done} />
      <ErrorSummary errors={[...p.roster.errors, ...p.completion.errors]} />
      <p>
        {typeName(org.type)}. {people.length} {people.length === 1 ? 'person' : 'people'} listed: staff
        accounts and roster entries.
      </p>
      {p.training.showsStates ? (
        <StateCountsList label="Where the organization stands" counts={p.training.counts} href="#people" />
      ) : null}
      {p.training.keepsRoster ? (
        <p>
          <a href={`${link}/import`}>Import completions from a CSV file</a>
        </p>
      ) : null}
      <Panel id="people" heading="People and their trainings">
        {people.length ? (
          <DataTable
            label="People"
            caption="People of the organization"
            head={[
              'Name',
              'Role or title',
              'Started',
              p.training.showsStates ? 'Required trainings' : null,
              'Completed',
              p.training.keepsRoster ? 'Roster' : null,
            ]}
          >
            {people.map((person) => (
              <tr>
                <th scope="row">
                  {person.name}
                  {person.kind === 'roster' ? <span class="nwd-muted"> (roster, no account)</span> : null}
                </th>
                <td>{person.title ?? ROLE_NAMES[person.role as keyof typeof ROLE_NAMES] ?? person.role}</td>
                <td>{dateInWords(person.startedOn)}</td>
                {p.training.showsStates ? (
                  <td>
                    {person.states.length
                      ? person.states.map((s) => (
                          <div>
                            <StateTag state={s.state} /> {titleOf(s.requirementId)}
                            {s.dueOn && s.state !== 'complete' ? `, due ${dateInWords(s.dueOn)}` : ''}
                            {s.dueOn && s.state === 'complete' ? `, renew by ${dateInWords(s.dueOn)}` : ''}
                          </div>
                        ))
                      : 'None required'}
                  </td>
                ) : null}
                <td>
                  {person.completions.length
                    ? person.completions.map((x) => (
                        <div>
                          <a href={certificateLink(x.id)}>
                            {x.course_code}, {dateInWords(x.completed_on)}
                          </a>{' '}
                          <span class="nwd-muted">({SOURCES[x.source]})</span>
                        </div>
                      ))
                    : 'None yet'}
                </td>
                {p.training.keepsRoster ? (
                  <td>
                    {person.kind === 'roster' ? (
                      <form method="post" action={`${link}/roster/${person.id}/remove`}>
                        <CsrfField token={p.frame.csrf} />
                        <Button type="submit" variant="unstyled">
                          Take {person.name} off the roster
                        </Button>
                      </form>
                    ) : (
                      'Staff account'
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </DataTable>
        ) : (
          <p>No one is listed yet.</p>
        )}
      </Panel>
      {p.training.recordable.length && people.length ? (
        <Panel id="record" heading="Record a completion">
          <form method="post" action={`${link}/completions`} class="usa-form" novalidate>
            <CsrfField token={p.frame.csrf} />
            <Select
              {...c('person')}
              label="Person"
              placeholder="Choose the person"
              options={people.map((x) => ({ value: `${x.kind}:${x.id}`, label: x.name }))}
            />
            <Select
              {...c('courseCode')}
              label="Course"
              placeholder="Choose the course"
              options={p.training.recordable.map((k) => ({ value: k.code, label: `${k.code}: ${k.title}` }))}
            />
            <TextField {...c('completedOn')} type="date" label="Completed on" />
            <Button type="submit">Record the completion</Button>
          </form>
        </Panel>
      ) : null}
      {p.training.keepsRoster ? (
        <Panel id="roster" heading="Add a person without an account">
          <p>
            For people who do not use No Wrong Door, such as a county’s child-protection staff. Their name and
            email are stored encrypted.
          </p>
          <form method="post" action={`${link}/roster`} class="usa-form" novalidate>
            <CsrfField token={p.frame.csrf} />
            <TextField {...r('name')} label="Name" maxlength={200} />
            <TextField
              {...r('email')}
              type="email"
              label="Email (optional)"
              hint="Used to match completions from a CSV file or an event."
              maxlength={254}
            />
            <Select
              {...r('role')}
              label="Role"
              placeholder="Choose the role"
              options={ROLES.map((x) => ({ value: x, label: ROLE_NAMES[x] }))}
            />
            <TextField {...r('title')} label="Job title (optional)" maxlength={100} />
            <TextField
              {...r('startedOn')}
              type="date"
              label="Started on (optional)"
              hint="Required trainings are due counted from this day."
            />
            <Button type="submit">Add the person</Button>
          </form>
        </Panel>
      ) : null}
      {p.training.setsRegions ? (
        <Panel id="regions" heading="Regions the organization works in">
          <form method="post" action={`${link}/regions`} class="usa-form">
            <CsrfField token={p.frame.csrf} />
            <fieldset class="usa-fieldset">
              <legend class="usa-legend">Regions (the regions’ navigators see its training)</legend>
              <Ticks
                type="checkbox"
                name="regionIds"
                options={p.training.regions.map((x) => ({ value: x.id, label: x.name }))}
                checked={(v) => org.region_ids.includes(v)}
              />
            </fieldset>
            <Button type="submit">Save the regions</Button>
          </form>
        </Panel>
      ) : null}
    </StaffLayout>
  );
};

export const ImportPage: FC<
  StaffView & {
    organization: OrganizationRow;
    csv: string;
    error: string | null;
    problems: RowProblem[];
    result: { rows: number; recorded: number; already: number; rosterAdded: number } | null;
  }
> = (p) => {
  const link = organizationLink(p.organization.id);
  return (
    <StaffLayout frame={p.frame} title={`Import completions: ${p.organization.name}`}>
      <ErrorSummary errors={p.error ? [{ field: 'csv', message: p.error }] : []} />
      {p.result ? (
        <Success
          message={`Imported ${p.result.rows} rows: ${p.result.recorded} completions recorded, ${p.result.already} already on record, ${p.result.rosterAdded} people added to the roster.`}
        />
      ) : null}
      <RowsToFix problems={p.problems} />
      <p>
        Paste the export of the state’s learning system, or any CSV file whose first line names the columns:{' '}
        <code>email</code> (or <code>staff id</code>), <code>course code</code>, <code>completed on</code> (a
        date like 2026-03-31), and optionally <code>name</code>. Someone not yet listed is added to the roster
        when the row gives a name. If any row is wrong, nothing is written.
      </p>
      <form
        method="post"
        action={`${link}/import`}
        enctype="multipart/form-data"
        class="usa-form usa-form--large"
        novalidate
      >
        <CsrfField token={p.frame.csrf} />
        <div class="usa-form-group">
          <label class="usa-label" for="file">
            Choose a CSV file
          </label>
          <input class="usa-file-input" id="file" name="file" type="file" accept=".csv,text/csv" />
        </div>
        <TextArea
          id="csv"
          value={p.csv}
          label="Or paste the CSV text"
          maxlength={2_000_000}
          rows={8}
          error={p.error ?? undefined}
        />
        <Button type="submit">Import</Button>
      </form>
      <p>
        <a href={link}>Back to the organization’s training</a>
      </p>
    </StaffLayout>
  );
};

export const MyTrainingPage: FC<StaffView & { mine: Awaited<ReturnType<typeof myTraining>> }> = (p) => (
  <StaffLayout frame={p.frame} title="Your trainings">
    {p.mine.states.length ? (
      <DataTable
        label="Your required trainings"
        caption="Trainings you must complete"
        head={['Training', 'Where you stand', 'Due']}
      >
        {p.mine.states.map((s) => (
          <tr>
            <th scope="row">{s.title}</th>
            <td>
              <StateTag state={s.state} />
            </td>
            <td>{s.dueOn ? dateInWords(s.dueOn) : 'No renewal'}</td>
          </tr>
        ))}
      </DataTable>
    ) : (
      <p>No training is required of you here.</p>
    )}
    <h2>Completed</h2>
    {p.mine.completions.length ? (
      <ul class="usa-list">
        {p.mine.completions.map((c) => (
          <li>
            {c.course_code}: {c.title}, {dateInWords(c.completed_on)} (certificate code{' '}
            <code>{c.certificate_code}</code>)
          </li>
        ))}
      </ul>
    ) : (
      <p>None recorded yet. Your organization’s administrator or a trainer records completions.</p>
    )}
  </StaffLayout>
);
