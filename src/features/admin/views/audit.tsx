/** The audit log page: filters, the events (newest first), the CSV download and the pager. */
import type { FC } from 'hono/jsx';
import { WITHHELD, type AuditEvent } from '../../../platform/audit/audit.ts';
import { ColumnHeads, type FieldError } from '../../../web/page.tsx';
import { ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AuditQueryValues {
  action: string;
  actor: string;
  subjectType: string;
  subjectId: string;
  organization: string;
  from: string;
  to: string;
}

export const AUDIT_FIELDS: (keyof AuditQueryValues)[] = [
  'action',
  'actor',
  'subjectType',
  'subjectId',
  'organization',
  'from',
  'to',
];

export function auditSearch(values: AuditQueryValues, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const f of AUDIT_FIELDS) if (values[f]) params.set(f, values[f]);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

const shortId = (id: string) => (UUID.test(id) ? id.slice(0, 8) : id);

function detailsText(details: Record<string, unknown>): string {
  const json = JSON.stringify(details);
  if (json === '{}') return '';
  return json.length > 300 ? `${json.slice(0, 299)}…` : json;
}

const AuditRow: FC<{ e: AuditEvent }> = ({ e }) => (
  <tr>
    <td>
      <time datetime={e.occurredAt}>{`${e.occurredAt.slice(0, 19).replace('T', ' ')} UTC`}</time>
    </td>
    <td>
      {e.actorUserId ? (
        <a href={`/staff/admin/audit?actor=${e.actorUserId}`}>
          {e.actorKind} {shortId(e.actorUserId)}
        </a>
      ) : (
        e.actorKind
      )}
    </td>
    <td>
      <code>{e.action}</code>
    </td>
    <td>
      {e.subjectType ?? ''}
      {e.subjectId === WITHHELD ? ' (id withheld)' : e.subjectId ? ` ${shortId(e.subjectId)}` : ''}
    </td>
    <td>{e.ip ?? ''}</td>
    <td>{e.reason ?? ''}</td>
    <td>
      <code>{detailsText(e.details)}</code>
    </td>
  </tr>
);

export const AuditView: FC<{
  frame: StaffFrame;
  /** Statewide access: every organisation's events, record ids shown. */
  everyone: boolean;
  mayExport: boolean;
  organizations: { id: string; name: string }[];
  values: AuditQueryValues;
  errors: FieldError[];
  before: number | undefined;
  result: { events: AuditEvent[]; nextBefore: number | null };
}> = ({ frame, everyone, mayExport, organizations, values, errors, before, result }) => (
  <StaffLayout frame={frame} title="Audit log">
    <ErrorSummary errors={errors} />
    <p>
      Every sign-in, permission change, export and read or change of personal data, newest first.
      {everyone
        ? null
        : " You see the events of your organization, without the ids of young people's records."}
    </p>
    <form method="get" action="/staff/admin/audit" aria-labelledby="audit-filter-h" novalidate>
      <h2 id="audit-filter-h">Filter events</h2>
      <div class="filters">
        <div>
          <label for="action">Action</label>
          <p class="hint">For example sign_in.failure or role.change</p>
          <input id="action" name="action" type="text" value={values.action} spellcheck={false} />
        </div>
        <div>
          <label for="actor">Done by (person id)</label>
          <input id="actor" name="actor" type="text" value={values.actor} spellcheck={false} />
        </div>
        <div>
          <label for="subjectType">Kind of record</label>
          <p class="hint">For example staff_user or organization</p>
          <input
            id="subjectType"
            name="subjectType"
            type="text"
            value={values.subjectType}
            spellcheck={false}
          />
        </div>
        <div>
          <label for="subjectId">Record id</label>
          <input id="subjectId" name="subjectId" type="text" value={values.subjectId} spellcheck={false} />
        </div>
        {everyone ? (
          <div>
            <label for="organization">Organisation</label>
            <select id="organization" name="organization">
              <option value="">All organisations</option>
              {organizations.map((o) => (
                <option value={o.id} selected={o.id === values.organization}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div>
          <label for="from">From (first day, YYYY-MM-DD)</label>
          <input id="from" name="from" type="date" value={values.from} />
        </div>
        <div>
          <label for="to">To (last day, YYYY-MM-DD)</label>
          <input id="to" name="to" type="date" value={values.to} />
        </div>
      </div>
      <button type="submit">Show events</button> <a href="/staff/admin/audit">Clear filters</a>
    </form>
    {mayExport && errors.length === 0 ? (
      <p>
        <a href={`/staff/admin/audit.csv${auditSearch(values)}`}>Download these events as CSV</a> (you may be
        asked to sign in again; the download is recorded)
      </p>
    ) : null}
    <table tabindex={0}>
      <caption>
        {result.events.length === 0
          ? 'No events match'
          : `${result.events.length} ${result.events.length === 1 ? 'event' : 'events'}${before ? ' (older page)' : ''}`}
      </caption>
      <ColumnHeads names={['Time', 'Done by', 'Action', 'Record', 'From where', 'Reason', 'Details']} />
      <tbody>
        {result.events.map((e) => (
          // Without statewide access, the ids of young people's records are withheld.
          <AuditRow e={e} />
        ))}
      </tbody>
    </table>
    <nav class="pager" aria-label="Pages">
      {before ? <a href={`/staff/admin/audit${auditSearch(values)}`}>Newest</a> : null}
      {result.nextBefore ? (
        <a href={`/staff/admin/audit${auditSearch(values, { before: String(result.nextBefore) })}`}>Older</a>
      ) : null}
    </nav>
  </StaffLayout>
);
