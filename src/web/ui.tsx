/**
 * The staff pages' components, on the US Web Design System: every staff page builds from these, so
 * tables scroll inside their own box, records read as summary lists, statuses are tags and messages
 * are alerts, the same everywhere. (The form kit, src/web/forms.tsx, takes the staff look by itself
 * inside a staff page.)
 */
import type { Child, FC } from 'hono/jsx';

/** Text for screen readers only. */
export const SrOnly: FC<{ children?: Child }> = ({ children }) => <span class="usa-sr-only">{children}</span>;

/**
 * A table that fits, or scrolls sideways inside its own box (which a keyboard can reach and scroll),
 * never widening the page. `label` names the box for screen readers; `caption` is shown.
 */
export const DataTable: FC<{
  label: string;
  caption?: Child;
  head: readonly (string | false | null)[];
  id?: string;
  children?: Child;
}> = ({ label, caption, head, id, children }) => (
  <div class="usa-table-container--scrollable" role="region" aria-label={label} tabindex={0}>
    <table class="usa-table usa-table--borderless" id={id}>
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>{head.map((name) => (name === false || name === null ? null : <th scope="col">{name}</th>))}</tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  </div>
);

/** A `DataTable` of `items`, a row each, or a paragraph of the words for none. */
export function TableOrNone<T>({
  items,
  row,
  none,
  ...table
}: Omit<Parameters<typeof DataTable>[0], 'children'> & {
  items: readonly T[];
  row: (item: T) => Child;
  none: Child;
}) {
  return items.length ? <DataTable {...table}>{items.map((item) => row(item))}</DataTable> : <p>{none}</p>;
}

/** One row of a summary list: its label and what it says; a false or null row is left out. */
export type SummaryRow = readonly [label: string, value: Child] | false | null | undefined;

/** A record's facts as label and value pairs (a description list). */
export const SummaryList: FC<{ rows: readonly SummaryRow[]; label?: string }> = ({ rows, label }) => (
  <dl class="nwd-summary" aria-label={label}>
    {rows.map((row) =>
      row ? (
        <div>
          <dt>{row[0]}</dt>
          <dd>{row[1]}</dd>
        </div>
      ) : null,
    )}
  </dl>
);

export type Tone = 'info' | 'success' | 'warning' | 'error' | 'base';

/** A status as a tag; the tone is colour, never the only sign (the words say it). */
export const Tag: FC<{ tone?: Tone; children?: Child }> = ({ tone = 'base', children }) => (
  <span class={`usa-tag nwd-tag-${tone}`}>{children}</span>
);

/**
 * A message box. Success and information are announced politely (`role="status"`), errors and
 * warnings at once (`role="alert"`) only when `urgent`.
 */
export const Alert: FC<{
  type: 'success' | 'info' | 'warning' | 'error';
  heading?: string;
  slim?: boolean;
  urgent?: boolean;
  id?: string;
  children?: Child;
}> = ({ type, heading, slim, urgent, id, children }) => (
  <div
    class={`usa-alert usa-alert--${type}${slim ? ' usa-alert--slim' : ''}`}
    role={urgent ? 'alert' : type === 'success' || type === 'info' ? 'status' : undefined}
    id={id}
    tabindex={urgent ? -1 : undefined}
  >
    <div class="usa-alert__body">
      {heading ? <h2 class="usa-alert__heading">{heading}</h2> : null}
      <div class="usa-alert__text">{children}</div>
    </div>
  </div>
);

export type ButtonVariant = 'primary' | 'secondary' | 'outline' | 'unstyled' | 'danger';

const buttonClass = (variant: ButtonVariant = 'primary'): string =>
  ({
    primary: 'usa-button',
    secondary: 'usa-button usa-button--outline',
    outline: 'usa-button usa-button--outline',
    unstyled: 'usa-button usa-button--unstyled',
    danger: 'usa-button usa-button--secondary',
  })[variant];

/** A button (submit by default). */
export const Button: FC<{
  variant?: ButtonVariant;
  type?: 'submit' | 'button';
  name?: string;
  value?: string;
  id?: string;
  children?: Child;
}> = ({ variant, type = 'submit', name, value, id, children }) => (
  <button type={type} class={buttonClass(variant)} name={name} value={value} id={id}>
    {children}
  </button>
);

/** A link that looks like a button: for a way to another page. */
export const LinkButton: FC<{ href: string; variant?: ButtonVariant; children?: Child }> = ({
  href,
  variant,
  children,
}) => (
  <a href={href} class={buttonClass(variant)}>
    {children}
  </a>
);

/** Buttons and links side by side, wrapping on a narrow screen. */
export const Actions: FC<{ children?: Child }> = ({ children }) => <div class="nwd-actions">{children}</div>;

/** A titled white box grouping part of a page. */
export const Panel: FC<{ id: string; heading: string; children?: Child }> = ({ id, heading, children }) => (
  <section class="nwd-panel" aria-labelledby={id}>
    <h2 id={id}>{heading}</h2>
    {children}
  </section>
);

/** A count that links to its list, for a dashboard; `warn` marks one that needs action now. */
export interface Count {
  href: string;
  label: string;
  count: number;
  warn?: boolean;
}

export const Counts: FC<{ label: string; counts: readonly Count[] }> = ({ label, counts }) => (
  <ul class="nwd-counts" aria-label={label}>
    {counts.map((c) => (
      <li>
        <a href={c.href} class={`nwd-count${c.count === 0 ? ' nwd-zero' : c.warn ? ' nwd-warn' : ''}`}>
          <b>{c.count.toLocaleString('en-US')}</b>
          {c.label}
        </a>
      </li>
    ))}
  </ul>
);

/** Previous and next page links of a list paged by cursor. */
export const Pager: FC<{ label: string; previous?: string | null; next?: string | null }> = ({
  label,
  previous,
  next,
}) =>
  previous || next ? (
    <nav class="nwd-pager" aria-label={label}>
      {previous ? <a href={previous}>Previous page</a> : <span />}
      {next ? <a href={next}>Next page</a> : <span />}
    </nav>
  ) : null;

/** A row of an imported file that stopped the import: where it is, what it is about, what is wrong. */
export interface RowToFix {
  line: number;
  key?: string;
  message: string;
}

/**
 * An import refused whole: the alert that nothing was imported, and the table of the rows to fix (the
 * first 500), each with its row number (and its key, when the file's rows have one).
 */
export const RowsToFix: FC<{ problems: readonly RowToFix[]; rowLabel?: string }> = ({
  problems,
  rowLabel = 'Line',
}) => {
  if (problems.length === 0) return null;
  const keyed = problems.some((p) => p.key !== undefined);
  return (
    <>
      <Alert type="error" heading="Nothing was imported" urgent>
        {problems.length} {problems.length === 1 ? 'row needs' : 'rows need'} fixing. Fix them and import the
        whole file again.
      </Alert>
      <DataTable label="Rows to fix" caption="Rows to fix" head={[rowLabel, keyed && 'Key', 'What is wrong']}>
        {problems.slice(0, 500).map((x) => (
          <tr>
            <th scope="row">{x.line}</th>
            {keyed ? (
              <td>
                <code>{x.key}</code>
              </td>
            ) : null}
            <td>{x.message}</td>
          </tr>
        ))}
      </DataTable>
    </>
  );
};
