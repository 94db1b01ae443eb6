/** The audit log page: filters, the events (newest first) in words, the CSV download and the pager. */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import { WITHHELD, type AuditEvent } from '../../../platform/audit/audit.ts';
import { Select, TextField, fieldsOf, namedOptions } from '../../../web/forms.tsx';
import type { FieldError } from '../../../web/page.tsx';
import { ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { Actions, Button, DataTable, Pager } from '../../../web/ui.tsx';
import { ACTION_NAMES, ACTOR_KIND_NAMES, SUBJECT_NAMES, actionInWords } from './audit-words.ts';

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

/** The names the page shows instead of ids: people the reader may see, and organizations. */
export interface AuditNames {
  people: Map<string, string>;
  organizations: Map<string, string>;
}

/** The event's details as "key: value" pairs, cut to 300 characters. */
function detailsText(details: Record<string, unknown>): string {
  const text = Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

const utc = (at: string) => `${at.slice(0, 19).replace('T', ' ')} UTC`;

function recordOf(e: AuditEvent, names: AuditNames): string {
  const kind = e.subjectType ? (SUBJECT_NAMES[e.subjectType] ?? e.subjectType.replace(/_/g, ' ')) : '';
  if (!e.subjectId) return kind;
  if (e.subjectId === WITHHELD) return `${kind} (not shown outside statewide access)`;
  const named =
    e.subjectType === 'staff_user'
      ? names.people.get(e.subjectId)
      : e.subjectType === 'organization' || e.subjectType === 'member_organization'
        ? names.organizations.get(e.subjectId)
        : undefined;
  return named ? `${kind}: ${named}` : `${kind} ${e.subjectId.slice(0, 8)}`;
}

const AuditRow: FC<{ deps: AppDeps; e: AuditEvent; names: AuditNames }> = ({ deps, e, names }) => {
  const at = new Date(e.occurredAt);
  const who = e.actorUserId
    ? (names.people.get(e.actorUserId) ?? 'Someone outside your organization')
    : (ACTOR_KIND_NAMES[e.actorKind] ?? e.actorKind);
  return (
    <tr>
      <td>
        <time datetime={e.occurredAt} title={utc(e.occurredAt)}>
          {deps.rules.calendar.formatDateTime(at)}
        </time>
      </td>
      <td>
        {e.actorUserId && names.people.has(e.actorUserId) ? (
          <a href={`/staff/admin/audit?actor=${e.actorUserId}`}>{who}</a>
        ) : (
          who
        )}
      </td>
      <td>{actionInWords(e.action)}</td>
      <td>{recordOf(e, names)}</td>
      <td>{e.organizationId ? (names.organizations.get(e.organizationId) ?? '') : ''}</td>
      <td>{e.ip ?? ''}</td>
      <td>{e.reason ?? ''}</td>
      <td class="nwd-details">{detailsText(e.details)}</td>
    </tr>
  );
};

export const AuditView: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  /** Statewide access: every organization's events, record ids shown. */
  everyone: boolean;
  mayExport: boolean;
  organizations: { id: string; name: string }[];
  people: { id: string; name: string }[];
  names: AuditNames;
  values: AuditQueryValues;
  errors: FieldError[];
  before: number | undefined;
  result: { events: AuditEvent[]; nextBefore: number | null };
}> = (p) => {
  const { values, errors, result } = p;
  const f = fieldsOf({ ...values }, errors);
  const actions = Object.entries(ACTION_NAMES)
    .map(([value, label]) => ({ value, label }))
    .sort((a, b) => a.label.localeCompare(b.label));
  // An action chosen by its code (a link from elsewhere) stays chosen even without words for it.
  if (values.action && !ACTION_NAMES[values.action])
    actions.unshift({ value: values.action, label: actionInWords(values.action) });
  return (
    <StaffLayout frame={p.frame} title="Audit log">
      <ErrorSummary errors={errors} />
      <p class="measure-6">
        Every sign-in, permission change, export and read or change of personal data, newest first. Times are
        in Minnesota time; point at one to see it in UTC. Looking at this page is recorded too.
        {p.everyone
          ? null
          : " You see the events of your organization, without the ids of young people's records."}
      </p>
      <form method="get" action="/staff/admin/audit" aria-labelledby="audit-filter-h" novalidate>
        <h2 id="audit-filter-h">Filter events</h2>
        <div class="nwd-filters">
          <Select {...f('actor')} label="Done by" placeholder="Anyone" options={namedOptions(p.people)} />
          {p.everyone ? (
            <Select
              {...f('organization')}
              label="Organization"
              placeholder="All organizations"
              options={namedOptions(p.organizations)}
            />
          ) : null}
          <Select {...f('action')} label="What they did" placeholder="Anything" options={actions} />
          <TextField {...f('from')} type="date" label="From (first day)" />
          <TextField {...f('to')} type="date" label="To (last day)" />
        </div>
        {values.subjectType || values.subjectId ? (
          <div class="nwd-filters">
            <TextField {...f('subjectType')} label="Kind of record" maxlength={64} />
            <TextField {...f('subjectId')} label="Record" maxlength={200} />
          </div>
        ) : null}
        <Actions>
          <Button>Show events</Button>
          <a href="/staff/admin/audit">Clear filters</a>
        </Actions>
      </form>
      {p.mayExport && errors.length === 0 ? (
        <p>
          <a href={`/staff/admin/audit.csv${auditSearch(values)}`}>Download these events as CSV</a> (times in
          UTC; you may be asked to sign in again; the download is recorded)
        </p>
      ) : null}
      <DataTable
        label="Audit events"
        caption={
          result.events.length === 0
            ? 'No events match'
            : `${result.events.length} ${result.events.length === 1 ? 'event' : 'events'}${p.before ? ' (older page)' : ''}`
        }
        head={['When', 'Who', 'What they did', 'Record', 'Organization', 'From where', 'Reason', 'Details']}
      >
        {result.events.map((e) => (
          <AuditRow deps={p.deps} e={e} names={p.names} />
        ))}
      </DataTable>
      <Pager
        label="Pages of events"
        previous={p.before ? `/staff/admin/audit${auditSearch(values)}` : null}
        next={
          result.nextBefore
            ? `/staff/admin/audit${auditSearch(values, { before: String(result.nextBefore) })}`
            : null
        }
      />
    </StaffLayout>
  );
};
