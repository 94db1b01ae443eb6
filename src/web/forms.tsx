/**
 * The form kit, public and staff alike: labelled fields with a hint and an inline error joined to the
 * field by `aria-describedby`, the error summary that links to them, and the step from a zod error to
 * one problem per field in the form's order.
 *
 * Every field is named by its `id` (its `name` too), so the summary's `#id` link lands on it. A group
 * of radio buttons gives its first button the group's name as id for the same reason.
 */
import type { Child, FC } from 'hono/jsx';
import type { z } from 'zod';
import { Choice, Options, type FieldError as FieldProblem } from './page.tsx';
import { isStaffSkin } from './skin.ts';
import { CsrfField } from './staff-layout.tsx';

export { ErrorSummary } from './staff-layout.tsx';
export type { FieldProblem };

/** Text as posted, one value per field. */
export type FormValues = Record<string, string>;

/** The message for one field, if it has one. */
export const errorFor = (errors: readonly FieldProblem[], field: string): string | undefined =>
  errors.find((e) => e.field === field)?.message;

/**
 * The props a field takes from the form's values and problems, by its id.
 *
 * @example
 * const f = fieldsOf(values, errors);
 * <TextField {...f('contact')} label="Your phone number" maxlength={200} />
 */
export const fieldsOf =
  (values: FormValues, errors: readonly FieldProblem[]) =>
  (id: string): { id: string; value: string; error: string | undefined } => ({
    id,
    value: values[id] ?? '',
    error: errorFor(errors, id),
  });

/** Problems sorted in the order the fields appear on the form (unknown fields first). */
export function inFormOrder(errors: FieldProblem[], order: readonly string[]): FieldProblem[] {
  return errors.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
}

/** A zod error as one problem per field (the first issue of each), in the form's order. */
export function fieldProblems(error: z.ZodError, order: readonly string[]): FieldProblem[] {
  const seen = new Set<string>();
  const errors: FieldProblem[] = [];
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ field, message: issue.message });
  }
  return inFormOrder(errors, order);
}

/** The posted text of the named fields, each cut to `max` characters ('' when absent). */
export function pickValues(body: FormValues, fields: readonly string[], max = 5000): FormValues {
  const out: FormValues = {};
  for (const f of fields) out[f] = (body[f] ?? '').slice(0, max);
  return out;
}

/** The ids a field is described by: its hint and its error, when it has them. */
export const describedBy = (id: string, hint: boolean, error: boolean): string | undefined =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

/** An inline error, above the field. */
export const FieldError: FC<{ id: string; message: string | undefined }> = ({ id, message }) =>
  message ? (
    isStaffSkin() ? (
      <span class="usa-error-message" id={`${id}-error`}>
        {message}
      </span>
    ) : (
      <p class="error" id={`${id}-error`}>
        {message}
      </p>
    )
  ) : null;

export const Hint: FC<{ id: string; hint: string | undefined }> = ({ id, hint }) =>
  hint ? (
    <p class={isStaffSkin() ? 'usa-hint' : 'hint'} id={`${id}-hint`}>
      {hint}
    </p>
  ) : null;

/** The design system's class of a control on a staff page (none on a public page). */
const control = (name: 'input' | 'select' | 'textarea', error?: string): string | undefined =>
  isStaffSkin() ? `usa-${name}${error ? ' usa-input--error' : ''}` : undefined;

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  value: string;
  error?: string | undefined;
  required?: boolean;
}

/** What a control tells assistive technology: the ids of its hint and error, and whether it is in error. */
const aria = (p: { id: string; hint?: string | undefined; error?: string | undefined }) => ({
  'aria-describedby': describedBy(p.id, Boolean(p.hint), Boolean(p.error)),
  'aria-invalid': p.error ? ('true' as const) : undefined,
});

/** The label, hint and inline error above a control. */
const Labelled: FC<{ p: FieldProps; children?: Child }> = ({ p, children }) => {
  const staff = isStaffSkin();
  return (
    <div class={staff ? `usa-form-group${p.error ? ' usa-form-group--error' : ''}` : undefined}>
      <label for={p.id} class={staff ? `usa-label${p.error ? ' usa-label--error' : ''}` : undefined}>
        {p.label}
      </label>
      <Hint id={p.id} hint={p.hint} />
      <FieldError id={p.id} message={p.error} />
      {children}
    </div>
  );
};

export const TextField: FC<
  FieldProps & {
    type?: 'text' | 'tel' | 'email' | 'date';
    inputmode?: 'numeric' | 'tel' | 'email' | 'text';
    autocomplete?: string;
    maxlength?: number;
    size?: number;
  }
> = (p) => (
  <Labelled p={p}>
    <input
      class={control('input', p.error)}
      id={p.id}
      name={p.id}
      type={p.type ?? 'text'}
      value={p.value}
      maxlength={p.maxlength}
      size={p.size}
      inputmode={p.inputmode}
      autocomplete={p.autocomplete ?? 'off'}
      {...aria(p)}
      required={p.required}
    />
  </Labelled>
);

/** A text field as data: everything but its value and error. */
export type TextFieldSpec = Omit<Parameters<typeof TextField>[0], 'value' | 'error'>;

/** Text fields one after another, each with its value and error from the form. */
export const TextFields: FC<{
  fields: readonly TextFieldSpec[];
  values: FormValues;
  errors: readonly FieldProblem[];
}> = ({ fields, values, errors }) => {
  const f = fieldsOf(values, errors);
  return (
    <>
      {fields.map((spec) => (
        <TextField {...spec} {...f(spec.id)} />
      ))}
    </>
  );
};

export const TextArea: FC<FieldProps & { maxlength: number; rows?: number }> = (p) => (
  <Labelled p={p}>
    <textarea
      class={control('textarea', p.error)}
      id={p.id}
      name={p.id}
      rows={p.rows ?? 5}
      cols={28}
      maxlength={p.maxlength}
      autocomplete="off"
      {...aria(p)}
      required={p.required}
    >
      {p.value}
    </textarea>
  </Labelled>
);

export type Option = { value: string; label: string };

/** Radio buttons in a fieldset; the first button carries the field's id, so an error links to it. */
export const Radios: FC<{
  id: string;
  legend: string;
  hint?: string;
  options: readonly Option[];
  value: string;
  error?: string | undefined;
  required?: boolean;
}> = (p) => {
  const idOf = (value: string, i: number) => (i === 0 ? p.id : `${p.id}-${value}`);
  return isStaffSkin() ? (
    <fieldset class={`usa-fieldset usa-form-group${p.error ? ' usa-form-group--error' : ''}`} {...aria(p)}>
      <legend class="usa-legend">{p.legend}</legend>
      <Hint id={p.id} hint={p.hint} />
      <FieldError id={p.id} message={p.error} />
      <Ticks
        type="radio"
        name={p.id}
        options={p.options}
        checked={(value) => p.value === value}
        idOf={idOf}
        required={p.required}
      />
    </fieldset>
  ) : (
    <fieldset {...aria(p)}>
      <legend>{p.legend}</legend>
      <Hint id={p.id} hint={p.hint} />
      <FieldError id={p.id} message={p.error} />
      {p.options.map((o, i) => (
        <label>
          <input
            type="radio"
            id={idOf(o.value, i)}
            name={p.id}
            value={o.value}
            checked={p.value === o.value}
            required={p.required}
          />{' '}
          {o.label}
        </label>
      ))}
    </fieldset>
  );
};

/**
 * Radio buttons or checkboxes in the staff look, one a line, for inside a fieldset. Each button's id is
 * `name-value` unless `idOf` says otherwise.
 */
export const Ticks: FC<{
  type: 'radio' | 'checkbox';
  name: string;
  options: readonly (Option & { disabled?: boolean })[];
  checked: (value: string) => boolean;
  idOf?: (value: string, i: number) => string;
  required?: boolean;
}> = ({ type, name, options, checked, idOf = (value) => `${name}-${value}`, required }) => (
  <>
    {options.map((o, i) => (
      <div class={`usa-${type}`}>
        <input
          class={`usa-${type}__input`}
          type={type}
          id={idOf(o.value, i)}
          name={name}
          value={o.value}
          checked={checked(o.value)}
          required={required}
          disabled={o.disabled}
        />
        <label class={`usa-${type}__label`} for={idOf(o.value, i)}>
          {o.label}
        </label>
      </div>
    ))}
  </>
);

/**
 * A staff form group without an error: the label, the hint (`hintId`, `id-hint` by default), then the
 * control, which names the hint in its `aria-describedby`.
 */
export const HintedGroup: FC<{
  id: string;
  label: Child;
  hint?: Child;
  hintId?: string;
  children?: Child;
}> = ({ id, label, hint, hintId = `${id}-hint`, children }) => (
  <div class="usa-form-group">
    <label for={id} class="usa-label">
      {label}
    </label>
    {hint ? (
      <div class="usa-hint" id={hintId}>
        {hint}
      </div>
    ) : null}
    {children}
  </div>
);

/** A staff text, date or date-and-time input in a `HintedGroup`. */
export const Input: FC<{
  id: string;
  label: Child;
  hint?: Child;
  hintId?: string;
  type?: 'text' | 'tel' | 'date' | 'datetime-local';
  maxlength?: number;
  size?: number;
  value: string;
  max?: string;
  autocomplete?: 'off';
}> = ({ id, label, hint, hintId = `${id}-hint`, type = 'text', ...control }) => (
  <HintedGroup id={id} label={label} hint={hint} hintId={hintId}>
    <input
      class="usa-input"
      id={id}
      name={id}
      type={type}
      {...control}
      aria-describedby={hint ? hintId : undefined}
    />
  </HintedGroup>
);

/** One yes-or-nothing box (it posts `yes` when ticked). */
export const Checkbox: FC<{ name: string; label: string; checked: boolean }> = ({ name, label, checked }) =>
  isStaffSkin() ? (
    <div class="usa-checkbox">
      <input
        class="usa-checkbox__input"
        type="checkbox"
        id={name}
        name={name}
        value="yes"
        checked={checked}
      />
      <label class="usa-checkbox__label" for={name}>
        {label}
      </label>
    </div>
  ) : (
    <label>
      <input type="checkbox" id={name} name={name} value="yes" checked={checked} /> {label}
    </label>
  );

/** A drop-down list whose first option is empty and says what to choose. */
export const Select: FC<FieldProps & { placeholder: string; options: readonly Option[] }> = (p) => (
  <Labelled p={p}>
    <select class={control('select', p.error)} id={p.id} name={p.id} required={p.required} {...aria(p)}>
      <Options placeholder={p.placeholder} options={p.options} selected={p.value} />
    </select>
  </Labelled>
);

/** A drop-down list by position: its id, label, placeholder, options and the chosen value. */
export type ChoiceRow = readonly [
  id: string,
  label: string,
  placeholder: string,
  options: readonly Option[],
  selected: string,
];

/** Named things (organizations, regions) as options. */
export const namedOptions = (items: readonly { id: string; name: string }[]): Option[] =>
  items.map((o) => ({ value: o.id, label: o.name }));

/** Codes as options, each labelled by its name in `names` (all of them when `codes` is left out). */
export const labelledOptions = <K extends string>(
  names: Readonly<Record<K, string>>,
  codes: readonly K[] = Object.keys(names) as K[],
): Option[] => codes.map((value) => ({ value, label: names[value] }));

/** A vocabulary's codes as options. */
export const codeOptions = (items: readonly { code: string; label: string }[]): Option[] =>
  items.map((o) => ({ value: o.code, label: o.label }));

/**
 * A staff form that posts to `action`: its heading (labelling the form), an optional hint, the CSRF
 * field, its drop-down lists, then the rest of its fields.
 */
export const StaffForm: FC<{
  action: string;
  heading: readonly [id: string, text: string];
  csrf: string;
  hint?: Child;
  choices: readonly ChoiceRow[];
  children?: Child;
}> = ({ action, heading, csrf, hint, choices, children }) => (
  <form method="post" action={action} aria-labelledby={heading[0]} novalidate class="usa-form">
    <h2 id={heading[0]}>{heading[1]}</h2>
    {hint}
    <CsrfField token={csrf} />
    {choices.map(([id, label, placeholder, options, selected]) => (
      <Choice id={id} label={label} placeholder={placeholder} options={options} selected={selected} />
    ))}
    {children}
  </form>
);
