-- Safe housing: the housing programs of provider organizations and their beds.
--
-- `housing_programs`: what a program is (its type, the ages and genders it serves, who else it serves,
-- where it serves) and its beds now. The address is confidential: encrypted under the shared data key,
-- shown only to the program's own organization, never on the bed board or through the API. The beds now
-- (`beds_available`, `beds_total`, per bed type in `bed_types`) are copied from the latest row of
-- `housing_availability_updates`, so the bed board reads one row per program. `stale_reminded_at`: when
-- the organization was last told its availability is out of date (the reminder job).
create table housing_programs (
  id uuid primary key,
  organization_id uuid not null references member_organizations (id),
  name text not null check (length(name) between 1 and 200),
  program_type text not null check (program_type in ('emergency_shelter', 'transitional', 'supportive_housing',
    'host_home', 'specialized_foster_care')),
  min_age integer not null check (min_age between 0 and 24),
  max_age integer not null check (max_age between 0 and 24 and max_age >= min_age),
  genders text[] not null check (cardinality(genders) >= 1),
  serves text[] not null default '{}',
  culturally_specific_for text check (length(culturally_specific_for) <= 200),
  languages text[] not null default '{}',
  region_ids text[] not null default '{}',
  county_fips text[] not null default '{}',
  address_encrypted bytea,
  beds_total integer not null check (beds_total between 0 and 500),
  beds_available integer check (beds_available between 0 and 500 and beds_available <= beds_total),
  bed_types jsonb not null default '[]',
  availability_updated_at timestamptz,
  availability_updated_by uuid references staff_users (id),
  stale_reminded_at timestamptz,
  created_by uuid references staff_users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index housing_programs_organization on housing_programs (organization_id, name);
create index housing_programs_freshness on housing_programs (availability_updated_at);

-- Every availability update, kept: who, when, how (page, api, synthetic) and the counts then.
create table housing_availability_updates (
  id uuid primary key,
  program_id uuid not null references housing_programs (id) on delete cascade,
  beds_available integer not null check (beds_available >= 0),
  beds_total integer not null check (beds_total >= beds_available),
  bed_types jsonb not null default '[]',
  via text not null check (via in ('page', 'api', 'synthetic')),
  updated_by uuid references staff_users (id),
  created_at timestamptz not null default now()
);
create index housing_availability_updates_program on housing_availability_updates (program_id, created_at desc);
