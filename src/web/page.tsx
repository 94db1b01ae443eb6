/**
 * What every signed-in staff page shares: the page frame, the guard that turns the permission model
 * into a page (sign in first, or a 403 page that says who uses it), the short message pages (not found,
 * refused, conflict), the form readers, the success note and dates in the pack's time zone.
 *
 * Pages render with `renderPage` (src/platform/http.ts). Which roles may use a page stays with the
 * page: the guard is given the rule and the words.
 */
import type { Context } from 'hono';
import type { Child, FC } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps } from '../app-types.ts';
import type { Actor } from '../platform/access.ts';
import { ServiceError } from '../platform/errors.ts';
import { renderPage } from './http.ts';
import { isStaffSkin } from './skin.ts';
import { Actions, Alert, DataTable, LinkButton } from './ui.tsx';
import type { CurrentSession } from '../features/accounts/service.ts';
import { StaffLayout, type StaffFrame } from './staff-layout.tsx';
import { csrfToken, requireStaff } from './session.ts';

export interface FieldError {
  field: string;
  message: string;
}

/** A link back, at the foot of a message page. */
export interface BackLink {
  href: string;
  text: string;
}

export const STAFF_HOME: BackLink = { href: '/staff', text: 'Go to the staff home page' };

/** The frame of a page for this request: its nonce, the form token and who is signed in. */
export async function staffFrame(
  c: Context,
  deps: AppDeps,
  session: CurrentSession | null,
): Promise<StaffFrame> {
  return { nonce: c.get('nonce'), csrf: await csrfToken(c, deps), session, path: c.req.path };
}

export interface Guarded {
  session: CurrentSession;
  frame: StaffFrame;
  actor: Actor;
}

/** What every staff page's view is given: the app, the page frame and who is signed in. */
export interface StaffView {
  deps: AppDeps;
  frame: StaffFrame;
  actor: Actor;
}

/** The view basics of a guarded request, to spread into a page: `<Page {...staffView(deps, g)} … />`. */
export const staffView = (deps: AppDeps, { frame, actor }: Pick<Guarded, 'frame' | 'actor'>): StaffView => ({
  deps,
  frame,
  actor,
});

/**
 * The signed-in person and the page frame when `allowed` says their role may use the page; otherwise
 * the answer to give: the next sign-in step, or a 403 page with `refusal` (and a link home unless
 * `back` is null) — or, for a record page (`status` 404), the page of a record that does not exist.
 */
export async function guardStaffPage(
  c: Context,
  deps: AppDeps,
  allowed: (actor: Actor) => boolean,
  refusal: string,
  back: BackLink | null = STAFF_HOME,
  status: 403 | 404 = 403,
): Promise<Guarded | Response> {
  const session = requireStaff(c);
  if (session instanceof Response) return session;
  const frame = await staffFrame(c, deps, session);
  if (!allowed(session.actor))
    return status === 404
      ? messagePage(c, frame, 404, 'Not found', refusal, STAFF_HOME)
      : messagePage(c, frame, 403, 'You cannot see this page', refusal, back);
  return { session, frame, actor: session.actor };
}

/** A page with a title, one paragraph and (unless null) a link back. */
export function messagePage(
  c: Context,
  frame: StaffFrame,
  status: ContentfulStatusCode,
  title: string,
  message: string,
  back: BackLink | null,
): Promise<Response> {
  return renderPage(
    c,
    <StaffLayout frame={frame} title={title}>
      <Alert type={status === 404 ? 'info' : 'warning'}>
        <p class="margin-0">{message}</p>
      </Alert>
      {back ? (
        <Actions>
          <LinkButton href={back.href}>{back.text}</LinkButton>
        </Actions>
      ) : null}
    </StaffLayout>,
    status,
  );
}

/** The words of a 403 page for a role that may never use a page, for the route helper's options. */
export const roleRefusal = (who: string) => ({ refusal: `Your role does not include this page. ${who}` });

/**
 * What `load` gives; when it throws a not_found ServiceError, the page `notFound` makes of it instead.
 * Any other failure is thrown on.
 */
export async function loadOr<T>(
  load: Promise<T>,
  notFound: (error: ServiceError) => Promise<Response>,
): Promise<T | Response> {
  try {
    return await load;
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'not_found') return notFound(error);
    throw error;
  }
}

/** A thrown ServiceError, to be answered as a page; any other failure is thrown on. */
export function serviceError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  throw error;
}

/** The 403 page of a change the service refused to this person, with a link back. */
export const cannotDoPage = (c: Context, frame: StaffFrame, error: ServiceError, back: BackLink) =>
  messagePage(c, frame, 403, 'You cannot do that', error.message, back);

// ---------------------------------------------------------------------------------------------------
// Forms

/** How a form page is shown: the faults to name, the values typed in, the status of the answer. */
export interface FormState<V> {
  errors: FieldError[];
  values: V;
  status: ContentfulStatusCode;
}

/** A form page as first shown: no faults, the given values, 200. */
export const freshForm = <V,>(values: V): FormState<V> => ({ errors: [], values, status: 200 });

/** The status of a form page shown again after the service refused its input: 400 invalid, else 409. */
export const formStatus = (error: ServiceError): ContentfulStatusCode =>
  error.code === 'invalid' ? 400 : 409;

/** The note a `?done=` link announces, from `messages`; none on a page shown with faults (`status` ≠ 200). */
export const doneNote = (c: Context, messages: Record<string, string>, status: ContentfulStatusCode = 200) =>
  status === 200 ? (messages[c.req.query('done') ?? ''] ?? null) : null;

export type Form = Record<string, string | File | (string | File)[]>;

/** The posted form, every value of every field; an unreadable body reads as an empty form. */
export const readForm = (c: Context): Promise<Form> => c.req.parseBody({ all: true }).catch(() => ({}));

/** The first text value of a form field ('' when absent). */
export function formText(form: Form, name: string): string {
  const v = form[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : '';
}

/** The first text value of each of these fields. */
export const formValues = <K extends string>(form: Form, fields: readonly K[]): Record<K, string> =>
  Object.fromEntries(fields.map((f) => [f, formText(form, f)])) as Record<K, string>;

/**
 * A refusal of a form's input as an error on the field it names (renamed as the page names it; the first
 * of `fields` when it names none of them): for invalid input, and for a conflict when `conflicts` is set.
 * Any other failure is thrown on, to be answered as a refusal page.
 */
export function fieldProblem(
  thrown: unknown,
  fields: readonly string[],
  options: { conflicts?: boolean; rename?: Record<string, string> } = {},
): FieldError {
  const error = serviceError(thrown);
  if (error.code !== 'invalid' && !(options.conflicts && error.code === 'conflict')) throw error;
  const field = (error.field ?? '').split('.')[0] ?? '';
  const named = options.rename?.[field] ?? field;
  return { field: fields.includes(named) ? named : (fields[0] ?? ''), message: error.message };
}

/** Every text value of a form field (checkboxes). */
export function formList(form: Form, name: string): string[] {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
    (x): x is string => typeof x === 'string',
  );
}

// ---------------------------------------------------------------------------------------------------
// Page pieces

/**
 * A labelled drop-down list whose first option is empty (`placeholder`: "Choose a region", "Any
 * urgency"), with the option whose value is `selected` chosen.
 */
export const Choice: FC<{
  id: string;
  label: string;
  placeholder: string;
  options: readonly { value: string; label: string }[];
  selected: string;
}> = ({ id, label, placeholder, options, selected }) => (
  <>
    <label for={id} class={isStaffSkin() ? 'usa-label' : undefined}>
      {label}
    </label>
    <select id={id} name={id} class={isStaffSkin() ? 'usa-select' : undefined}>
      <Options placeholder={placeholder} options={options} selected={selected} />
    </select>
  </>
);

/** A drop-down list's options: first an empty one that says what to choose, then `options`. */
export const Options: FC<{
  placeholder: string;
  options: readonly { value: string; label: string }[];
  selected: string | undefined;
}> = ({ placeholder, options, selected }) => (
  <>
    <option value="">{placeholder}</option>
    {options.map((o) => (
      <option value={o.value} selected={selected === o.value}>
        {o.label}
      </option>
    ))}
  </>
);

/** What a change just did, announced to screen readers. */
export const Success: FC<{ message: string | null }> = ({ message }) =>
  message ? (
    isStaffSkin() ? (
      <div class="usa-alert usa-alert--success usa-alert--slim" role="status">
        <div class="usa-alert__body">
          <p class="usa-alert__text">{message}</p>
        </div>
      </div>
    ) : (
      <div class="ok" role="status">
        <p>{message}</p>
      </div>
    )
  ) : null;

export type TimeShow = 'moment' | 'date' | 'date-time';

/**
 * A moment in a `<time>` element, as people read it in the pack's time zone (src/platform/calendar.ts):
 * `moment` "Tuesday, Nov 24, 2026 at 2:05 PM" (the default), `date` "Nov 24, 2026", `date-time`
 * "Nov 24, 2026, 9:05 AM". On staff pages the exact moment (UTC) shows as a tooltip.
 */
export const Time: FC<{ deps: AppDeps; at: Date; show?: TimeShow }> = ({ deps, at, show = 'moment' }) => {
  const calendar = deps.rules.calendar;
  const words =
    show === 'date'
      ? calendar.formatDate(at)
      : show === 'date-time'
        ? calendar.formatDateTime(at)
        : calendar.describe(at);
  const iso = at.toISOString();
  return (
    <time datetime={iso} title={isStaffSkin() ? iso : undefined}>
      {words}
    </time>
  );
};

/** A table's head: one column header a name, in order; a false name is a column left out. */
export const ColumnHeads: FC<{ names: readonly (string | false)[] }> = ({ names }) => (
  <thead>
    <tr>{names.map((name) => (name === false ? null : <th scope="col">{name}</th>))}</tr>
  </thead>
);

/** A multi-line text field, described by the hint whose id is `<id>-hint`. */
export const TextBox: FC<{ id: string; rows: number; maxlength?: number; value: string }> = ({
  id,
  rows,
  maxlength,
  value,
}) => (
  <textarea id={id} name={id} rows={rows} cols={40} maxlength={maxlength} aria-describedby={`${id}-hint`}>
    {value}
  </textarea>
);

/** A bulleted list, one item a line. */
export const Bullets: FC<{ items: readonly Child[] }> = ({ items }) => (
  <ul>
    {items.map((item) => (
      <li>{item}</li>
    ))}
  </ul>
);

/** One row of a facts table: the row's heading, then what it says. */
export const FactRow: FC<{ head: string; children: Child }> = ({ head, children }) => (
  <tr>
    <th scope="row">{head}</th>
    <td>{children}</td>
  </tr>
);

/** A record's history as a table: when (shown as `show` says), what happened and who did it. */
export const HistoryTable: FC<{
  deps: AppDeps;
  caption: string;
  id?: string;
  show?: TimeShow;
  entries: { at: Date; what: Child; who: Child }[];
}> = ({ deps, caption, id, show, entries }) => (
  <DataTable label={caption} caption={caption} head={['When', 'What', 'Who']} id={id}>
    {entries.map((e) => (
      <tr>
        <td>
          <Time deps={deps} at={e.at} show={show} />
        </td>
        <td>{e.what}</td>
        <td>{e.who}</td>
      </tr>
    ))}
  </DataTable>
);
