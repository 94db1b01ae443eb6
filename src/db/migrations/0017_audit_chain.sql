-- Audit appends without a global lock. A row takes its seq from a sequence and is written without
-- hashes; a background chainer (src/platform/audit/chain.ts, every second, one instance at a time)
-- links committed rows in seq order into audit_chain with the same hash formula as before. Rows
-- written before this migration keep their prev_hash and hash and verify exactly as before; the first
-- link's prev_hash is the hash of the last of them.

create sequence audit_events_seq as bigint minvalue 1 owned by audit_events.seq;
select setval('audit_events_seq', coalesce((select max(seq) from audit_events), 0) + 1, false);
alter table audit_events alter column seq set default nextval('audit_events_seq');

alter table audit_events alter column prev_hash drop not null;
alter table audit_events alter column hash drop not null;
alter table audit_events add constraint audit_events_hashes_together
  check ((prev_hash is null) = (hash is null));

comment on column audit_events.seq is
  'Position in the log, from the sequence audit_events_seq at insert. A rolled-back transaction leaves a gap, which `nwd audit verify` reports.';
comment on column audit_events.prev_hash is
  'Rows written before migration 0017 only: hash of the row with seq - 1; 64 zeros for the first row. Null for later rows (their link is in audit_chain).';
comment on column audit_events.hash is
  'Rows written before migration 0017 only: SHA-256 (hex) of the canonical JSON of every other column, prev_hash included (src/platform/audit/canonical.ts). Null for later rows.';

create table audit_chain (
  seq bigint primary key references audit_events (seq),
  prev_hash text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text not null check (hash ~ '^[0-9a-f]{64}$'),
  chained_at timestamptz not null default now()
);

comment on table audit_chain is
  'Append-only links of the audit chain, one per audit_events row written since migration 0017, in seq order. Never update or delete: a trigger refuses it, and `nwd audit verify` detects it.';
comment on column audit_chain.seq is 'The audit_events row this link seals.';
comment on column audit_chain.prev_hash is
  'hash of the previous link (or of the last row hashed at write time, or 64 zeros for the first row of the log).';
comment on column audit_chain.hash is
  'SHA-256 (hex) of the canonical JSON of the audit_events row with this prev_hash (src/platform/audit/canonical.ts): the same formula as audit_events.hash.';
comment on column audit_chain.chained_at is 'When the chainer linked the row.';

-- One refusal for both tables, naming the table (the message for audit_events is unchanged).
create or replace function audit_events_refuse_change() returns trigger
language plpgsql
as $$
begin
  raise exception '% is append-only: % refused', tg_table_name, tg_op
    using errcode = 'insufficient_privilege',
          hint = 'Audit rows are never changed or removed.';
  return null;
end;
$$;

create trigger audit_chain_append_only
  before update or delete or truncate on audit_chain
  for each statement execute function audit_events_refuse_change();

-- For deployments where the application connects as a role other than the owner: grant it
-- select and insert only (`grant select, insert on audit_chain to nwd_app`) and usage of the sequence.
revoke update, delete, truncate on audit_chain from public;
