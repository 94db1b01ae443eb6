/**
 * The fields of the case forms: an inline error under a label, text fields, checkboxes and selects
 * (each joined to its error by `aria-describedby`), and the case's details as one group of fields,
 * shared by opening a case and changing its details.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import { CONTACT_METHODS, CONTACT_METHOD_NAMES, type CaseDetailsInput } from '../rules.ts';
import type { FieldProblem } from '../schema.ts';
import { SrOnly } from '../../../web/ui.tsx';

export const CONSENT_LINE =
  'Consent is never a condition of service: a young person can decline any question, or to share anything, and still get help.';

/** Form values as text, the way the form shows them back. */
export type DetailValues = Record<string, string | string[]>;

export function valuesOf(input: CaseDetailsInput): DetailValues {
  const out: DetailValues = {};
  for (const [k, v] of Object.entries(input)) {
    if (v === null || v === undefined) out[k] = '';
    else if (Array.isArray(v)) out[k] = k === 'languages' ? v.join(', ') : [...(v as string[])];
    else out[k] = String(v);
  }
  return out;
}

export const one = (v: DetailValues, k: string) => (typeof v[k] === 'string' ? v[k] : '');
const many = (v: DetailValues, k: string) => (Array.isArray(v[k]) ? v[k] : v[k] ? [v[k]] : []);

/** An inline error under a field's label, joined to the field by `aria-describedby`. */
export const FieldError: FC<{ field: string; errors: FieldProblem[] }> = ({ field, errors }) => {
  const e = errors.find((x) => x.field === field);
  return e ? (
    <span class="usa-error-message" id={`${field}-error`}>
      <SrOnly>Error: </SrOnly>
      {e.message}
    </span>
  ) : null;
};

export const describedBy = (field: string, errors: FieldProblem[], ...others: string[]) => {
  const ids = [...others, ...(errors.some((e) => e.field === field) ? [`${field}-error`] : [])];
  return ids.length ? ids.join(' ') : undefined;
};
export const invalid = (field: string, errors: FieldProblem[]) =>
  errors.some((e) => e.field === field) ? 'true' : undefined;

/** The design system's group around a field, marked when the field is in error. */
const group = (field: string, errors: FieldProblem[]) =>
  `usa-form-group${invalid(field, errors) ? ' usa-form-group--error' : ''}`;

/** A labelled select of `options` (the first, empty, says `empty`), with its error. */
export const SelectField: FC<{
  id: string;
  label: string;
  empty: string;
  options: readonly { code: string; label: string }[];
  selected?: string;
  errors: FieldProblem[];
}> = ({ id, label, empty, options, selected, errors }) => (
  <div class={group(id, errors)}>
    <label for={id} class="usa-label">
      {label}
    </label>
    <FieldError field={id} errors={errors} />
    <select
      id={id}
      name={id}
      class="usa-select"
      aria-describedby={describedBy(id, errors)}
      aria-invalid={invalid(id, errors)}
    >
      <option value="">{empty}</option>
      {options.map((o) => (
        <option value={o.code} selected={selected === o.code}>
          {o.label}
        </option>
      ))}
    </select>
  </div>
);

const TextField: FC<{
  id: string;
  label: string;
  values: DetailValues;
  errors: FieldProblem[];
  hint?: string;
  max: number;
  type?: string;
  inputmode?: 'numeric';
}> = ({ id, label, values, errors, hint, max, type, inputmode }) => (
  <div class={group(id, errors)}>
    <label for={id} class="usa-label">
      {label}
    </label>
    {hint ? (
      <div class="usa-hint" id={`${id}-hint`}>
        {hint}
      </div>
    ) : null}
    <FieldError field={id} errors={errors} />
    <input
      class={`usa-input${invalid(id, errors) ? ' usa-input--error' : ''}`}
      id={id}
      name={id}
      type={type ?? 'text'}
      value={one(values, id)}
      maxlength={max}
      autocomplete="off"
      inputmode={inputmode}
      aria-describedby={describedBy(id, errors, ...(hint ? [`${id}-hint`] : []))}
      aria-invalid={invalid(id, errors)}
    />
  </div>
);

const Checkboxes: FC<{
  id: 'genderIdentity' | 'raceEthnicity' | 'exploitation';
  legend: string;
  hint: string;
  deps: AppDeps;
  values: DetailValues;
  errors: FieldProblem[];
}> = ({ id, legend, hint, deps, values, errors }) => (
  <fieldset
    id={id}
    class={`usa-fieldset ${group(id, errors)}`}
    aria-describedby={describedBy(id, errors, `${id}-hint`)}
  >
    <legend class="usa-legend">{legend}</legend>
    <div class="usa-hint" id={`${id}-hint`}>
      {hint}
    </div>
    <FieldError field={id} errors={errors} />
    {deps.rules.vocabularies[id === 'exploitation' ? 'exploitationTypes' : id].map((e) => (
      <div class="usa-checkbox">
        <input
          class="usa-checkbox__input"
          type="checkbox"
          id={`${id}-${e.code}`}
          name={id}
          value={e.code}
          checked={many(values, id).includes(e.code)}
        />
        <label class="usa-checkbox__label" for={`${id}-${e.code}`}>
          {e.label}
        </label>
      </div>
    ))}
  </fieldset>
);

const counties = (deps: AppDeps) =>
  [...deps.geography.get().counties.values()]
    .map((c) => ({ code: c.fips, label: c.name }))
    .sort((a, b) => a.label.localeCompare(b.label));

const CONTACT_OPTIONS = CONTACT_METHODS.map((m) => ({ code: m, label: CONTACT_METHOD_NAMES[m] }));

/** The case's details, as opening a case and changing its details ask them. */
export const DetailsFields: FC<{ deps: AppDeps; values: DetailValues; errors: FieldProblem[] }> = ({
  deps,
  values,
  errors,
}) => {
  const common = { values, errors };
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
        max={100}
        {...common}
      />
      <TextField
        id="legalName"
        label="Legal name (optional)"
        hint="Only if the young person wants to give it, or a service needs it."
        max={200}
        {...common}
      />
      <TextField
        id="dateOfBirth"
        label="Date of birth (optional)"
        hint="For example 2008-04-30. With the name, it lets other regions learn only that a possible match exists."
        max={10}
        type="date"
        {...common}
      />
      <TextField
        id="age"
        label="Age in years, if the date of birth is not known (optional)"
        max={3}
        inputmode="numeric"
        {...common}
      />
      <TextField
        id="pronouns"
        label="Pronouns (optional)"
        hint="For example she/her, he/him, they/them."
        max={50}
        {...common}
      />
      <Checkboxes
        id="genderIdentity"
        legend="Gender identity (optional, choose any that apply)"
        hint="As the young person describes themselves."
        deps={deps}
        {...common}
      />
      <Checkboxes
        id="raceEthnicity"
        legend="Race and ethnicity (optional, choose all that apply)"
        hint="The categories the Safe Harbor evaluation reports. As the young person describes themselves."
        deps={deps}
        {...common}
      />
      <SelectField
        id="sexualOrientation"
        label="Sexual orientation (optional)"
        empty="Not asked"
        options={deps.rules.vocabularies.sexualOrientation}
        selected={one(values, 'sexualOrientation')}
        errors={errors}
      />
      <TextField
        id="languages"
        label="Languages (optional)"
        hint="Separate them with commas, for example Somali, English."
        max={600}
        {...common}
      />
      <TextField id="tribalAffiliation" label="Tribal affiliation (optional)" max={200} {...common} />
      <SelectField
        id="door"
        label="How they came to us (optional)"
        empty="Not known"
        options={deps.rules.vocabularies.doors}
        selected={one(values, 'door')}
        errors={errors}
      />
      <Checkboxes
        id="exploitation"
        legend="Type of exploitation (optional, choose all that apply)"
        hint="What is known so far. Choose “At risk” when no exploitation is known."
        deps={deps}
        {...common}
      />
      <SelectField
        id="entryHousing"
        label="Where they were living when the case opened (optional)"
        empty="Not asked"
        options={deps.rules.vocabularies.exitHousing}
        selected={one(values, 'entryHousing')}
        errors={errors}
      />
      <fieldset class="usa-fieldset margin-top-4">
        <legend class="usa-legend usa-legend--large">Safe contact</legend>
        <p class="usa-hint">How, when and with what word it is safe to reach the young person.</p>
        <SelectField
          id="contactMethod"
          label="How to contact them"
          empty="Not known"
          options={CONTACT_OPTIONS}
          selected={one(values, 'contactMethod')}
          errors={errors}
        />
        <TextField id="contactValue" label="Number, address or person to go through" max={200} {...common} />
        <TextField id="contactTimes" label="Safe times to contact" max={200} {...common} />
        <TextField
          id="codeWord"
          label="Code word"
          hint="A word the young person will recognise, so they know it is safe to talk."
          max={100}
          {...common}
        />
      </fieldset>
      <SelectField
        id="countyFips"
        label="County (optional)"
        empty="Not known"
        options={counties(deps)}
        selected={one(values, 'countyFips')}
        errors={errors}
      />
    </>
  );
};
