/**
 * Table pieces the staff pages share: a row of column headers, and a two-column table of facts about one
 * record (a row header and its value on each line).
 */
import type { Child, FC } from 'hono/jsx';

/** A table's head: one row of column headers, in order; a column given as null or false is left out. */
export const ColumnHeads: FC<{ columns: readonly (string | null | false)[] }> = ({ columns }) => (
  <thead>
    <tr>{columns.map((name) => (name ? <th scope="col">{name}</th> : null))}</tr>
  </thead>
);

/** One record's facts as a table: a caption, then a row header and a value on each line. */
export const FactTable: FC<{ caption: string; rows: readonly [string, Child][] }> = ({ caption, rows }) => (
  <table tabindex={0}>
    <caption>{caption}</caption>
    <tbody>
      {rows.map(([label, value]) => (
        <tr>
          <th scope="row">{label}</th>
          <td>{value}</td>
        </tr>
      ))}
    </tbody>
  </table>
);
