/**
 * The pages of a provider organization's housing programs: `/staff/housing/programs` (every program with
 * its compact availability form), one program (`/staff/housing/programs/:id`: the form, its description
 * with the confidential address, and its history of updates) and the form that describes a program
 * (new, or a change).
 */
import type { FC } from 'hono/jsx';
import {
  ErrorSummary,
  TextArea,
  TextField,
  Ticks,
  errorFor,
  fieldsOf,
  type FieldProblem,
} from '../../../web/forms.tsx';
import { Success, Time, type StaffView } from '../../../web/page.tsx';
import { CsrfField, StaffLayout } from '../../../web/staff-layout.tsx';
import { Actions, Alert, Button, DataTable, LinkButton, Panel, SummaryList } from '../../../web/ui.tsx';
import { GENDERS, NEEDS, PROGRAM_TYPES } from '../rules.ts';
import type { ProgramDetail, ProgramView } from '../service.ts';
import { AvailabilityForm, Freshness } from './availability-form.tsx';

export const DONE_MESSAGES: Record<string, string> = {
  updated: 'Beds available saved. Thank you.',
  added: 'Program added. Tell us how many beds are free now.',
  changed: 'Program description saved.',
};

const list = (codes: readonly string[], names: Record<string, string>) =>
  codes.map((c) => names[c] ?? c).join(', ') || 'None';

export const ProgramsPage: FC<StaffView & { programs: ProgramView[]; done: string | null }> = (p) => (
  <StaffLayout frame={p.frame} title="Your housing programs">
    <Success message={p.done} />
    <p>
      Keep the beds available up to date: navigators look for a bed here, often for tonight. A count older
      than a day shows as out of date, and we remind you.
    </p>
    <Actions>
      <LinkButton href="/staff/housing/programs/new" variant="outline">
        Add a program
      </LinkButton>
    </Actions>
    {p.programs.length === 0 ? <p>Your organization has no housing programs here yet.</p> : null}
    {p.programs.map((program) => (
      <Panel id={`program-${program.id}`} heading={program.name}>
        <p class="margin-top-0">
          {PROGRAM_TYPES[program.type]} · ages {program.minAge}–{program.maxAge} ·{' '}
          <a href={`/staff/housing/programs/${program.id}`}>Details and history</a>
        </p>
        <AvailabilityForm program={program} csrf={p.frame.csrf} back="list" />
      </Panel>
    ))}
  </StaffLayout>
);

export const ProgramPage: FC<
  StaffView & { detail: ProgramDetail; regionNames: string[]; countyNames: string[]; done: string | null }
> = (p) => {
  const { program, address, history } = p.detail;
  return (
    <StaffLayout frame={p.frame} title={program.name}>
      <Success message={p.done} />
      <AvailabilityForm program={program} csrf={p.frame.csrf} back="program" />
      <Panel id="description" heading="About the program">
        <SummaryList
          rows={[
            ['Type', PROGRAM_TYPES[program.type]],
            ['Ages', `${program.minAge} to ${program.maxAge}`],
            ['Genders', list(program.genders, GENDERS)],
            ['Also serves', list(program.serves, NEEDS)],
            program.culturallySpecificFor ? ['Culturally specific for', program.culturallySpecificFor] : null,
            ['Languages', program.languages.join(', ') || 'None listed'],
            ['Regions', p.regionNames.join(', ') || 'None'],
            ['Counties', p.countyNames.join(', ') || 'None'],
            ['Beds in all', String(program.bedsTotal)],
            program.bedTypes.length
              ? ['Types of bed', program.bedTypes.map((t) => `${t.name}: ${t.total}`).join(', ')]
              : null,
            ['Address (confidential)', address ?? 'Not given'],
          ]}
        />
        <p class="nwd-muted">The address is seen only by your organization. The bed board never shows it.</p>
        <Actions>
          <LinkButton href={`/staff/housing/programs/${program.id}/edit`} variant="outline">
            Change the description
          </LinkButton>
        </Actions>
      </Panel>
      <Panel id="history" heading="Updates of beds available">
        {history.length ? (
          <DataTable label="Updates of beds available" head={['When', 'Available', 'In all', 'From']}>
            {history.map((h) => (
              <tr>
                <td>
                  <Time deps={p.deps} at={h.created_at} show="date-time" />
                </td>
                <td>{String(h.beds_available)}</td>
                <td>{String(h.beds_total)}</td>
                <td>{h.via === 'api' ? 'API' : h.via === 'page' ? 'This page' : 'Synthetic data'}</td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p>No updates yet.</p>
        )}
      </Panel>
      <p>
        <a href="/staff/housing/programs">All your programs</a> · <Freshness program={program} />
      </p>
    </StaffLayout>
  );
};

/** The program form's fields as posted. */
export interface ProgramFormValues {
  name: string;
  type: string;
  minAge: string;
  maxAge: string;
  genders: string[];
  serves: string[];
  culturallySpecificFor: string;
  languages: string;
  regionIds: string[];
  countyFips: string[];
  address: string;
  bedsTotal: string;
  bedTypes: string;
}

export const EMPTY_PROGRAM: ProgramFormValues = {
  name: '',
  type: '',
  minAge: '12',
  maxAge: '17',
  genders: [],
  serves: [],
  culturallySpecificFor: '',
  languages: 'English',
  regionIds: [],
  countyFips: [],
  address: '',
  bedsTotal: '',
  bedTypes: '',
};

const options = (names: Record<string, string>) =>
  Object.entries(names).map(([value, label]) => ({ value, label }));

export const ProgramFormPage: FC<
  StaffView & {
    programId: string | null;
    values: ProgramFormValues;
    errors: FieldProblem[];
    regions: { id: string; name: string }[];
    counties: { fips: string; name: string }[];
  }
> = (p) => {
  const v = p.values;
  const f = fieldsOf(
    { ...v, genders: '', serves: '', regionIds: '', countyFips: '' } as unknown as Record<string, string>,
    p.errors,
  );
  const fieldset = (id: string, legend: string, children: unknown) => (
    <fieldset
      class={`usa-fieldset usa-form-group${errorFor(p.errors, id) ? ' usa-form-group--error' : ''}`}
      id={id}
    >
      <legend class="usa-legend">{legend}</legend>
      {errorFor(p.errors, id) ? <span class="usa-error-message">{errorFor(p.errors, id)}</span> : null}
      {children}
    </fieldset>
  );
  return (
    <StaffLayout frame={p.frame} title={p.programId ? 'Change the program' : 'Add a housing program'}>
      <ErrorSummary errors={p.errors} />
      <form
        method="post"
        action={p.programId ? `/staff/housing/programs/${p.programId}/edit` : '/staff/housing/programs'}
        class="usa-form usa-form--large"
        novalidate
      >
        <CsrfField token={p.frame.csrf} />
        <TextField {...f('name')} label="Name of the program" maxlength={200} />
        {fieldset(
          'type',
          'Type of program',
          <Ticks
            type="radio"
            name="type"
            options={options(PROGRAM_TYPES)}
            checked={(x) => x === v.type}
            idOf={(x, i) => (i === 0 ? 'type' : `type-${x}`)}
          />,
        )}
        <TextField {...f('minAge')} label="Youngest age served" inputmode="numeric" size={3} maxlength={2} />
        <TextField
          {...f('maxAge')}
          label="Oldest age served"
          hint="Safe Harbor serves young people up to 24."
          inputmode="numeric"
          size={3}
          maxlength={2}
        />
        {fieldset(
          'genders',
          'Genders served',
          <Ticks
            type="checkbox"
            name="genders"
            options={options(GENDERS)}
            checked={(x) => v.genders.includes(x)}
          />,
        )}
        {fieldset(
          'serves',
          'Who else the program serves',
          <Ticks
            type="checkbox"
            name="serves"
            options={options(NEEDS)}
            checked={(x) => v.serves.includes(x)}
          />,
        )}
        <TextField
          {...f('culturallySpecificFor')}
          label="Culturally specific for (if it is)"
          hint="For example: Native youth, Somali youth."
          maxlength={200}
        />
        <TextField
          {...f('languages')}
          label="Languages staff speak"
          hint="Separate them with commas."
          maxlength={400}
        />
        {fieldset(
          'regionIds',
          'Regions served (every county of each)',
          <Ticks
            type="checkbox"
            name="regionIds"
            options={p.regions.map((r) => ({ value: r.id, label: r.name }))}
            checked={(x) => v.regionIds.includes(x)}
          />,
        )}
        <div class={`usa-form-group${errorFor(p.errors, 'countyFips') ? ' usa-form-group--error' : ''}`}>
          <label class="usa-label" for="countyFips">
            Other counties served
          </label>
          <div class="usa-hint" id="countyFips-hint">
            Choose several with Ctrl or ⌘, or leave empty.
          </div>
          {errorFor(p.errors, 'countyFips') ? (
            <span class="usa-error-message">{errorFor(p.errors, 'countyFips')}</span>
          ) : null}
          <select
            class="usa-select"
            id="countyFips"
            name="countyFips"
            multiple
            size={6}
            aria-describedby="countyFips-hint"
          >
            {p.counties.map((c) => (
              <option value={c.fips} selected={v.countyFips.includes(c.fips)}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <TextField {...f('bedsTotal')} label="Beds in all" inputmode="numeric" size={4} maxlength={3} />
        <TextArea
          {...f('bedTypes')}
          label="Types of bed (optional)"
          hint="One a line, its name then how many, e.g. “Parenting room: 2”. With types, the beds in all are their sum."
          maxlength={800}
          rows={3}
        />
        <TextArea
          {...f('address')}
          label="Address (confidential)"
          hint="Only your organization sees it. The bed board and the API never show it."
          maxlength={300}
          rows={2}
        />
        <Alert type="info" slim>
          <p class="margin-0">
            Navigators see the program’s type, ages, genders, who it serves, where, and its beds — never its
            address.
          </p>
        </Alert>
        <Actions>
          <Button>{p.programId ? 'Save the changes' : 'Add the program'}</Button>
          <LinkButton
            href={p.programId ? `/staff/housing/programs/${p.programId}` : '/staff/housing/programs'}
            variant="unstyled"
          >
            Cancel
          </LinkButton>
        </Actions>
      </form>
    </StaffLayout>
  );
};
