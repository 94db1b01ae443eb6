-- The public help finder: jurisdiction packs, geography, lines to call and the service directory.
-- Every row of pack data keeps its provenance (source, retrieved, verified, note).

create table packs (
  jurisdiction text primary key,
  name text not null,
  timezone text not null,
  statewide_line_id text not null,
  emergency_line_id text not null,
  version text not null,
  checksum text not null,
  source text not null,
  retrieved date not null,
  verified boolean not null,
  imported_at timestamptz not null default now()
);

create table counties (
  fips char(5) primary key,
  jurisdiction text not null references packs (jurisdiction),
  name text not null,
  slug text not null,
  source text not null,
  retrieved date not null,
  verified boolean not null,
  note text
);
create unique index counties_slug on counties (jurisdiction, slug);

create table organizations (
  id text primary key,
  jurisdiction text not null references packs (jurisdiction),
  name text not null,
  description text not null,
  city text,
  website text,
  email text,
  phones jsonb not null default '[]',
  source text not null,
  retrieved date not null,
  verified boolean not null,
  note text
);

create table regions (
  id text primary key,
  jurisdiction text not null references packs (jurisdiction),
  name text not null,
  navigator_organization_id text references organizations (id),
  effective_from date not null,
  effective_to date,
  source text not null,
  retrieved date not null,
  verified boolean not null,
  note text,
  check (effective_to is null or effective_to > effective_from)
);

create table region_counties (
  region_id text not null references regions (id) on delete cascade,
  county_fips char(5) not null references counties (fips),
  effective_from date not null,
  effective_to date,
  source text not null,
  retrieved date not null,
  verified boolean not null,
  note text,
  primary key (region_id, county_fips, effective_from),
  check (effective_to is null or effective_to > effective_from)
);
create index region_counties_county on region_counties (county_fips);

create table lines_to_call (
  id text primary key,
  jurisdiction text not null references packs (jurisdiction),
  name text not null,
  description text not null,
  scope text not null check (scope in ('emergency', 'statewide', 'national')),
  call_dial text,
  call_display text,
  text_dial text,
  text_display text,
  text_body text,
  url text,
  hours text,
  sort_order integer not null,
  source text not null,
  retrieved date not null,
  verified boolean not null,
  note text
);

create table zip_counties (
  zip char(5) not null,
  county_fips char(5) not null references counties (fips),
  city text not null,
  share numeric(5, 2) not null check (share >= 0 and share <= 100),
  source text not null,
  retrieved date not null,
  verified boolean not null,
  primary key (zip, county_fips)
);

create table directory_services (
  id text primary key,
  jurisdiction text not null references packs (jurisdiction),
  name text not null,
  organization_name text,
  description text,
  program_types text[] not null default '{}',
  genders text[] not null default '{}',
  minimum_age integer,
  maximum_age integer,
  languages text[] not null default '{}',
  county_fips text[] not null default '{}',
  statewide boolean not null default false,
  culturally_specific boolean not null default false,
  culturally_specific_for text,
  lgbtq_affirming boolean not null default false,
  confidential_location boolean not null default false,
  hsds jsonb not null,
  origin text not null check (origin in ('pack', 'hsds-import')),
  source text not null,
  retrieved date not null,
  verified boolean not null,
  note text,
  updated_at timestamptz not null default now()
);
create index directory_services_program_types on directory_services using gin (program_types);
create index directory_services_county_fips on directory_services using gin (county_fips);
create index directory_services_languages on directory_services using gin (languages);

-- Bumped whenever reference data changes, so every instance reloads its in-memory copy.
create table data_versions (
  name text primary key,
  version bigint not null default 1,
  changed_at timestamptz not null default now()
);
insert into data_versions (name) values ('geography'), ('directory');
