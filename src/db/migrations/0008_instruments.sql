-- Screening instruments an administrator loaded for /identify (the shipped Safe Harbor indicators
-- checklist is read from the pack and is always available, so it is not stored here). An instrument is
-- versioned data: (id, version) is written once and never changed. At most one is published: the one
-- the public flow uses; with none published, the flow uses the shipped checklist.
-- No personal data: an instrument holds questions and how answers map onto the pathway's facts.

create table screening_instruments (
  id text not null check (id ~ '^[a-z0-9][a-z0-9-]{0,99}$'),
  version text not null check (version ~ '^[0-9A-Za-z][0-9A-Za-z.-]{0,49}$'),
  name text not null check (length(name) between 1 and 120),
  validated boolean not null,
  definition jsonb not null,
  checksum text not null check (checksum ~ '^[0-9a-f]{64}$'),
  status text not null default 'loaded' check (status in ('loaded', 'published', 'retired')),
  loaded_by uuid references staff_users (id),
  loaded_at timestamptz not null default now(),
  status_changed_at timestamptz not null default now(),
  primary key (id, version)
);

comment on table screening_instruments is
  'Screening instruments loaded by an administrator: loaded (available), published (used by /identify), retired.';
comment on column screening_instruments.definition is
  'The instrument as checked against the format (src/features/screening/schema.ts); never edited in place.';
comment on column screening_instruments.checksum is
  'SHA-256 of the definition as stored, so loading the same file twice is recognised.';

create unique index screening_instruments_one_published on screening_instruments ((true))
  where status = 'published';
