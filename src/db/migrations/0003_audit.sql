-- The audit log: an append-only, hash-chained record of sign-ins, permission changes, exports and every
-- read or change of a record holding personal data. Written only by src/platform/audit (recordAudit),
-- inside the transaction of the change it records; checked by `nwd audit verify`.

create table audit_events (
  seq bigint primary key check (seq > 0),
  id uuid not null unique,
  occurred_at timestamptz not null,
  actor_user_id uuid,
  actor_kind text not null check (actor_kind in ('user', 'token', 'system', 'anonymous')),
  action text not null check (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'),
  subject_type text,
  subject_id text,
  organization_id uuid,
  ip text,
  user_agent text,
  reason text,
  details jsonb not null default '{}' check (jsonb_typeof(details) = 'object'),
  prev_hash text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text not null check (hash ~ '^[0-9a-f]{64}$')
);

comment on table audit_events is
  'Append-only, hash-chained audit log. Never update or delete: a trigger refuses it, and `nwd audit verify` detects it.';
comment on column audit_events.seq is
  'Gap-free position in the chain: max(seq) + 1 under pg_advisory_xact_lock(727003), not a sequence, so a rollback leaves no gap.';
comment on column audit_events.occurred_at is
  'Database clock (clock_timestamp()) when the event was appended; hashed as UTC ISO text with microseconds.';
comment on column audit_events.actor_user_id is 'Who: the signed-in user or the owner of the API token; null for anonymous and system.';
comment on column audit_events.action is 'What: area.verb, e.g. sign_in.failure, role.change, record.read, export.audit_csv.';
comment on column audit_events.subject_id is 'Which record: its id. Never personal data itself.';
comment on column audit_events.ip is 'From where: the client address as the caller decided to record it, stored as given.';
comment on column audit_events.reason is 'Why, when the person was asked for a reason.';
comment on column audit_events.details is 'Extra facts about the event (filters, counts, old and new role). Never personal data.';
comment on column audit_events.prev_hash is 'hash of the row with seq - 1; 64 zeros for the first row.';
comment on column audit_events.hash is
  'SHA-256 (hex) of the canonical JSON of every other column, prev_hash included (src/platform/audit/canonical.ts).';

-- Browsing filters, newest first.
create index audit_events_actor on audit_events (actor_user_id, seq desc);
create index audit_events_subject on audit_events (subject_type, subject_id, seq desc);
create index audit_events_action on audit_events (action, seq desc);
create index audit_events_organization on audit_events (organization_id, seq desc);
create index audit_events_occurred_at on audit_events (occurred_at);

-- Append-only. The application's role may own the table (the bundled default connects as the owner),
-- and owners bypass grants, so this trigger is the real guard. A superuser or the owner can still
-- disable it; the hash chain makes that visible to `nwd audit verify`.
create function audit_events_refuse_change() returns trigger
language plpgsql
as $$
begin
  raise exception 'audit_events is append-only: % refused', tg_op
    using errcode = 'insufficient_privilege',
          hint = 'Audit rows are never changed or removed.';
  return null;
end;
$$;

create trigger audit_events_append_only
  before update or delete or truncate on audit_events
  for each statement execute function audit_events_refuse_change();

-- For deployments where the application connects as a role other than the owner: grant it
-- select and insert only (`grant select, insert on audit_events to nwd_app`).
revoke update, delete, truncate on audit_events from public;
