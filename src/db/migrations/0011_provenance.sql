-- Provenance of every public fact an administrator maintains: who checked it and when, and whether an
-- administrator (rather than the jurisdiction pack) last wrote it. `edited_at` is what a re-import of
-- the pack compares with: a row edited after the pack's source was read is kept and reported.
-- `checked_at` is the day the fact was last checked against its source: the pack's `retrieved` date, or
-- the day an administrator confirmed it (who did is `checked_by`).

alter table organizations
  add column checked_by text not null default 'Jurisdiction pack',
  add column checked_at date not null generated always as (retrieved) stored,
  add column edited_by uuid,
  add column edited_at timestamptz;

alter table regions
  add column checked_by text not null default 'Jurisdiction pack',
  add column checked_at date not null generated always as (retrieved) stored,
  add column edited_by uuid,
  add column edited_at timestamptz;

alter table region_counties
  add column checked_by text not null default 'Jurisdiction pack',
  add column checked_at date not null generated always as (retrieved) stored,
  add column edited_by uuid,
  add column edited_at timestamptz;

alter table directory_services
  add column checked_by text not null default 'Jurisdiction pack',
  add column checked_at date not null generated always as (retrieved) stored,
  add column edited_by uuid,
  add column edited_at timestamptz;
