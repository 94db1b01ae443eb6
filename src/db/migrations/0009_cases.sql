-- Navigator case coordination: a young person's case, what they agreed to share and with whom
-- (consents), closed-loop referrals to providers, transfers between regions, tasks and deadlines,
-- versioned safety plans, notes, services delivered, and the case's timeline.
--
-- Every personal field is encrypted under the case's own data key (scope `case:<id>`, AAD
-- `<table>|<record id>|<column>`), so destroying that key (crypto-shredding) erases the case's personal
-- data everywhere at once. Columns in clear hold only what routing, permissions, deadlines and
-- de-identified reporting need: region, county, age band, statuses, codes and times.

create table cases (
  id uuid primary key,
  jurisdiction text not null references packs (jurisdiction),
  region_id text not null references regions (id),
  county_fips char(5) references counties (fips),
  status text not null default 'open' check (status in ('open', 'closed')),
  age_band text not null check (age_band in ('under18', '18to24', '25plus', 'unknown')),
  intake_item_id uuid unique references intake_items (id),
  -- Blind index (HMAC) of the normalised chosen name and date of birth: finds a possible duplicate in
  -- another region without revealing anything. Null when the date of birth is not known.
  duplicate_index text,
  personal_encrypted bytea not null check (length(personal_encrypted) > 0),
  opened_by uuid references staff_users (id),
  opened_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  closed_at timestamptz,
  closed_by uuid references staff_users (id),
  close_reason text check (close_reason ~ '^[a-z][a-z0-9_]{0,62}$'),
  exit_housing text check (exit_housing ~ '^[a-z][a-z0-9_]{0,62}$'),
  -- The young person's own answers at closing (optional): yes / no / unsure / not_asked.
  survey_feels_safer text check (survey_feels_safer in ('yes', 'no', 'unsure', 'not_asked')),
  survey_more_hopeful text check (survey_more_hopeful in ('yes', 'no', 'unsure', 'not_asked')),
  survey_knows_where_help text check (survey_knows_where_help in ('yes', 'no', 'unsure', 'not_asked')),
  purge_after timestamptz,
  purged_at timestamptz,
  constraint cases_closed check ((status = 'closed') = (closed_at is not null)),
  constraint cases_purged_closed check (purged_at is null or status = 'closed')
);
comment on table cases is 'A young person''s case, owned by one region. Personal fields: personal_encrypted (scope case:<id>).';
comment on column cases.personal_encrypted is
  'Encrypted JSON: chosen and legal name, date of birth or age, pronouns, gender identity, race and ethnicity, sexual orientation, languages, tribal affiliation, safe contact details.';
comment on column cases.purge_after is 'When a closed case''s data key is destroyed (crypto-shredding) by the retention job.';
create index cases_region_open on cases (region_id, opened_at desc) where status = 'open';
create index cases_duplicate on cases (duplicate_index) where duplicate_index is not null and purged_at is null;
create index cases_purge_due on cases (purge_after) where purged_at is null and purge_after is not null;

create table case_assignments (
  case_id uuid not null references cases (id) on delete cascade,
  user_id uuid not null references staff_users (id),
  assigned_by uuid references staff_users (id),
  assigned_at timestamptz not null default now(),
  ended_at timestamptz,
  primary key (case_id, user_id, assigned_at)
);
create index case_assignments_user on case_assignments (user_id) where ended_at is null;

-- What the young person agreed to share, with which organisation, for what, until when.
create table consents (
  id uuid primary key,
  case_id uuid not null references cases (id) on delete cascade,
  organization_id uuid not null references member_organizations (id),
  purpose text not null check (purpose ~ '^[a-z][a-z0-9_]{0,62}$'),
  categories text[] not null check (cardinality(categories) > 0
    and categories <@ array['contact', 'identity', 'demographics', 'screening', 'safety_plan', 'notes', 'services']::text[]),
  method text not null check (method in ('written', 'verbal')),
  -- Who witnessed it (a name, for verbal consent): encrypted.
  witness_encrypted bytea,
  starts_on date not null,
  expires_on date not null,
  recorded_by uuid not null references staff_users (id),
  recorded_at timestamptz not null default now(),
  revoked_at timestamptz,
  revoked_by uuid references staff_users (id),
  constraint consents_dates check (expires_on > starts_on),
  constraint consents_revoked check ((revoked_at is null) = (revoked_by is null))
);
create index consents_case on consents (case_id, organization_id);

create table referrals (
  id uuid primary key,
  case_id uuid not null references cases (id) on delete cascade,
  from_region_id text not null references regions (id),
  to_organization_id uuid not null references member_organizations (id),
  service_type text not null check (service_type ~ '^[a-z][a-z0-9_]{0,62}$'),
  share_identifying boolean not null,
  consent_id uuid references consents (id),
  message_encrypted bytea,
  status text not null default 'draft' check (status in ('draft', 'sent', 'accepted', 'declined', 'no_response',
    'in_service', 'completed', 'closed', 'withdrawn')),
  status_reason text check (length(status_reason) <= 500),
  sent_at timestamptz,
  responded_at timestamptz,
  -- The next reminder (2 business days after sending, configurable) and the escalation after it.
  remind_at timestamptz,
  reminded_at timestamptz,
  escalated_at timestamptz,
  created_by uuid not null references staff_users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint referrals_identifying_consent check (not share_identifying or consent_id is not null)
);
comment on column referrals.status_reason is 'The reason given for declining, closing or withdrawing: a code or short words, never personal data.';
create index referrals_case on referrals (case_id, created_at);
create index referrals_inbox on referrals (to_organization_id, status, sent_at);
create index referrals_remind on referrals (remind_at) where status = 'sent';

create table referral_transitions (
  id bigint generated always as identity primary key,
  referral_id uuid not null references referrals (id) on delete cascade,
  from_status text not null,
  to_status text not null,
  reason text check (length(reason) <= 500),
  actor_user_id uuid references staff_users (id),
  actor_organization_id uuid references member_organizations (id),
  at timestamptz not null default now()
);
create index referral_transitions_referral on referral_transitions (referral_id, at);

create table case_transfers (
  id uuid primary key,
  case_id uuid not null references cases (id) on delete cascade,
  from_region_id text not null references regions (id),
  to_region_id text not null references regions (id),
  status text not null default 'requested' check (status in ('requested', 'accepted', 'declined', 'cancelled')),
  reason_encrypted bytea,
  decline_reason text check (length(decline_reason) <= 500),
  requested_by uuid not null references staff_users (id),
  requested_at timestamptz not null default now(),
  decided_by uuid references staff_users (id),
  decided_at timestamptz,
  constraint case_transfers_regions check (from_region_id <> to_region_id),
  constraint case_transfers_decided check ((status = 'requested') = (decided_at is null))
);
create unique index case_transfers_one_pending on case_transfers (case_id) where status = 'requested';
create index case_transfers_to on case_transfers (to_region_id) where status = 'requested';

create table tasks (
  id uuid primary key,
  case_id uuid references cases (id) on delete cascade,
  region_id text not null references regions (id),
  assignee_user_id uuid references staff_users (id),
  source text not null check (source in ('pathway', 'referral', 'manual', 'intake', 'transfer')),
  source_ref text check (length(source_ref) <= 100),
  -- Encrypted under the case's key (or the shared key for a task without a case).
  title_encrypted bytea not null,
  due_at timestamptz not null,
  completed_at timestamptz,
  completed_by uuid references staff_users (id),
  reminded_at timestamptz,
  escalated_at timestamptz,
  created_by uuid references staff_users (id),
  created_at timestamptz not null default now(),
  constraint tasks_completed check ((completed_at is null) = (completed_by is null))
);
create index tasks_open_assignee on tasks (assignee_user_id, due_at) where completed_at is null;
create index tasks_open_region on tasks (region_id, due_at) where completed_at is null;
create index tasks_case on tasks (case_id, due_at);

create table safety_plans (
  id uuid primary key,
  case_id uuid not null references cases (id) on delete cascade,
  version integer not null check (version > 0),
  content_encrypted bytea not null,
  created_by uuid not null references staff_users (id),
  created_at timestamptz not null default now(),
  unique (case_id, version)
);

create table case_notes (
  id uuid primary key,
  case_id uuid not null references cases (id) on delete cascade,
  category text not null check (category ~ '^[a-z][a-z0-9_]{0,62}$'),
  body_encrypted bytea not null,
  author_id uuid not null references staff_users (id),
  created_at timestamptz not null default now()
);
create index case_notes_case on case_notes (case_id, created_at);

create table services_delivered (
  id uuid primary key,
  case_id uuid not null references cases (id) on delete cascade,
  service_code text not null check (service_code ~ '^[a-z][a-z0-9_]{0,62}$'),
  delivered_on date not null,
  recorded_by uuid not null references staff_users (id),
  created_at timestamptz not null default now()
);
create index services_delivered_case on services_delivered (case_id, delivered_on);

-- The timeline: everything that happened on a case, in order (no personal data in `detail`).
create table case_events (
  id bigint generated always as identity primary key,
  case_id uuid not null references cases (id) on delete cascade,
  at timestamptz not null default now(),
  actor_user_id uuid references staff_users (id),
  event text not null check (event ~ '^[a-z][a-z0-9_.]{0,62}$'),
  detail jsonb not null default '{}'::jsonb
);
create index case_events_case on case_events (case_id, at desc);
