-- The evaluation's reporting facts (docs/evaluation.md): de-identified facts about each case, written
-- after every change to it, so that the evaluation's reports count from these tables without
-- decrypting any case.
--
-- What they hold: codes, dates (days, not times) and numbers. Never a name, contact detail, free text,
-- case id or referral id. A case appears under `subject`, a keyed hash (HMAC, the keyring's index key
-- for the purpose `report-subject`) of its id, so a copy of these tables cannot be joined to the cases
-- without the keys. `person` is a keyed hash (purpose `report-person`) of the case's duplicate index
-- (chosen name and date of birth), or the subject when that is not known: it counts a young person once
-- across regions.
--
-- The facts of a case are refreshed by the `evaluation-facts` job from `report_stale`, which a trigger
-- fills whenever the case's timeline (case_events) grows: every change to a case writes its timeline.
-- When a case's personal data is destroyed (retention), its facts stay as they were last written:
-- they are de-identified counts' raw material, and nothing in them leads back to the person.

create table report_youth (
  subject text primary key check (subject ~ '^[A-Za-z0-9_-]{20,100}$'),
  person text not null check (person ~ '^[A-Za-z0-9_-]{20,100}$'),
  jurisdiction text not null references packs (jurisdiction),
  region_id text not null references regions (id),
  county_fips char(5) references counties (fips),
  age_band text not null check (age_band in ('under18', '18to24', '25plus', 'unknown')),
  -- Age in whole years on the day the case opened (from the date of birth or the age given); null when
  -- neither is known.
  age_at_entry smallint check (age_at_entry between 0 and 120),
  -- Codes from the pack's case vocabularies (multi-select: empty when not recorded).
  genders text[] not null default '{}',
  races text[] not null default '{}',
  -- Whether a tribal affiliation is recorded (the affiliation itself is never copied); null: not asked.
  tribal boolean,
  -- How the young person came in (the "door"), the types of exploitation, housing at entry and exit.
  door text check (door ~ '^[a-z][a-z0-9_]{0,62}$'),
  exploitation text[] not null default '{}',
  entry_housing text check (entry_housing ~ '^[a-z][a-z0-9_]{0,62}$'),
  exit_housing text check (exit_housing ~ '^[a-z][a-z0-9_]{0,62}$'),
  -- Minnesota dates.
  opened_on date not null,
  closed_on date,
  close_reason text check (close_reason ~ '^[a-z][a-z0-9_]{0,62}$'),
  survey_feels_safer text check (survey_feels_safer in ('yes', 'no', 'unsure', 'not_asked')),
  survey_more_hopeful text check (survey_more_hopeful in ('yes', 'no', 'unsure', 'not_asked')),
  survey_knows_where_help text check (survey_knows_where_help in ('yes', 'no', 'unsure', 'not_asked')),
  -- The member organizations that took the young person on (a referral accepted, in service or
  -- completed): an organization's own clients.
  organizations uuid[] not null default '{}',
  refreshed_at timestamptz not null default now(),
  constraint report_youth_closed check (closed_on is null or closed_on >= opened_on)
);
comment on table report_youth is
  'De-identified facts of each case for the evaluation: codes and days only, under a keyed hash of the case id.';
create index report_youth_period on report_youth (jurisdiction, opened_on, closed_on);
create index report_youth_person on report_youth (person, opened_on);
create index report_youth_region on report_youth (region_id, opened_on);
create index report_youth_organizations on report_youth using gin (organizations);

-- Services delivered, one row per service and day.
create table report_services (
  subject text not null references report_youth (subject) on delete cascade,
  service_code text not null check (service_code ~ '^[a-z][a-z0-9_]{0,62}$'),
  delivered_on date not null
);
create index report_services_subject on report_services (subject);
create index report_services_day on report_services (delivered_on);

-- Referrals sent from the case (drafts left out).
create table report_referrals (
  -- A keyed hash of the referral id (purpose `report-subject`).
  referral text primary key check (referral ~ '^[A-Za-z0-9_-]{20,100}$'),
  subject text not null references report_youth (subject) on delete cascade,
  to_organization_id uuid not null references member_organizations (id),
  service_type text not null check (service_type ~ '^[a-z][a-z0-9_]{0,62}$'),
  status text not null check (status in ('sent', 'accepted', 'declined', 'no_response', 'in_service',
    'completed', 'closed', 'withdrawn')),
  sent_on date not null,
  -- Whether the organization ever accepted it (accepted, then perhaps in service, completed or closed).
  accepted boolean not null default false,
  completed boolean not null default false,
  -- Days from sending to the organization's answer (accept or decline), to two decimals.
  days_to_answer numeric(8, 2) check (days_to_answer >= 0),
  -- The code of the reason given for declining (the pack's decline reasons), when declined.
  decline_reason text check (decline_reason ~ '^[a-z][a-z0-9_]{0,62}$')
);
create index report_referrals_subject on report_referrals (subject);
create index report_referrals_sent on report_referrals (sent_on);

-- Cases whose facts wait to be written again.
create table report_stale (
  case_id uuid primary key references cases (id) on delete cascade,
  since timestamptz not null default now()
);

create function report_mark_stale() returns trigger language plpgsql as $$
begin
  insert into report_stale (case_id) values (new.case_id) on conflict (case_id) do nothing;
  return new;
end;
$$;
create trigger case_events_report_stale after insert on case_events
  for each row execute function report_mark_stale();

-- Every case that exists now waits for its first facts.
insert into report_stale (case_id) select id from cases;
