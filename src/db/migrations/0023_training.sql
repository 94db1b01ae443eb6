-- Required trainings: the catalogue of courses, the rules of who must complete what, the people an
-- organization lists (staff accounts and roster entries without accounts), completions with their
-- certificate codes, which trainers teach which course, the regions an organization works in (for the
-- regional compliance view), and the reminders already sent.
--
-- `training_courses`: one course. Rows from the pack carry its provenance (`source`, `retrieved`,
-- `verified`, `note`); an edit in the product sets `edited_at`/`edited_by`, and a later pack import
-- keeps it. Facts a source does not give stay null (`format`, `length_text`, `modules`, `renewal`).
-- `equivalents`: sets of other course codes that, all completed, count as this course (X203 + X204 ≡
-- X205), as a JSON array of arrays.
create table training_courses (
  code text primary key check (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$'),
  title text not null check (length(title) between 1 and 200),
  provider text not null check (length(provider) between 1 and 200),
  format text check (format in ('online', 'in_person', 'online_or_in_person')),
  length_text text check (length(length_text) between 1 and 100),
  modules integer check (modules between 1 and 100),
  required_by text check (length(required_by) between 1 and 300),
  renewal text check (renewal in ('once', 'yearly', 'every_n_years')),
  renewal_years integer check (renewal_years between 1 and 20),
  equivalents jsonb not null default '[]',
  source text not null,
  retrieved date not null,
  verified boolean not null,
  note text,
  origin text not null check (origin in ('pack', 'staff')),
  edited_at timestamptz,
  edited_by uuid references staff_users (id),
  created_at timestamptz not null default now(),
  check ((renewal = 'every_n_years') = (renewal_years is not null))
);

-- `training_requirements`: who must complete which course. `course_codes`: any one of them (or its
-- equivalents) satisfies the rule. Empty `roles` / `organization_types`: every role / type.
-- `within_days`: days after the person's start; null when the source does not say (the local default
-- NWD_TRAINING_DUE_DAYS applies and the page says so).
create table training_requirements (
  id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{0,59}$'),
  title text not null check (length(title) between 1 and 200),
  course_codes text[] not null check (cardinality(course_codes) between 1 and 10),
  roles text[] not null default '{}',
  organization_types text[] not null default '{}',
  within_days integer check (within_days between 1 and 3650),
  source text not null,
  retrieved date not null,
  verified boolean not null,
  note text,
  origin text not null check (origin in ('pack', 'staff')),
  retired_at timestamptz,
  edited_at timestamptz,
  edited_by uuid references staff_users (id),
  created_at timestamptz not null default now()
);

-- Which trainers teach which course: a trainer records completions only of these.
create table training_course_trainers (
  course_code text not null references training_courses (code) on delete cascade,
  user_id uuid not null references staff_users (id),
  assigned_by uuid references staff_users (id),
  created_at timestamptz not null default now(),
  primary key (course_code, user_id)
);

-- The regions an organization works in, for the regional view (set by a state administrator).
create table training_organization_regions (
  organization_id uuid not null references member_organizations (id),
  region_id text not null references regions (id) on delete cascade,
  primary key (organization_id, region_id)
);

-- People an organization lists without an account (a county's whole child-protection staff). Name and
-- email are personal data: encrypted under the shared data key, bound to row and column; the email's
-- blind index (`email_index`) finds a person again without decrypting. `initials` (e.g. "J. D.") is what
-- the public certificate check shows. `staff_user_id`: the account, when the person has one.
create table training_roster (
  id uuid primary key,
  organization_id uuid not null references member_organizations (id),
  name_encrypted bytea not null,
  email_encrypted bytea,
  email_index text,
  initials text not null check (length(initials) between 1 and 20),
  role text not null check (role in ('state_admin', 'org_admin', 'navigator', 'provider_staff',
    'child_protection', 'professional', 'trainer', 'evaluator')),
  title text check (length(title) between 1 and 100),
  started_on date,
  removed_at timestamptz,
  created_by uuid references staff_users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index training_roster_email on training_roster (organization_id, email_index)
  where email_index is not null and removed_at is null;
create index training_roster_organization on training_roster (organization_id) where removed_at is null;

-- A completed course: of a staff account or of a roster entry (exactly one), how it was recorded, and its
-- certificate code (public verification shows the initials, the course and the date only).
create table training_completions (
  id uuid primary key,
  organization_id uuid not null references member_organizations (id),
  staff_user_id uuid references staff_users (id),
  roster_id uuid references training_roster (id),
  course_code text not null references training_courses (code),
  completed_on date not null,
  source text not null check (source in ('trainer', 'organization', 'import', 'event')),
  event_id uuid,
  certificate_code text not null unique check (certificate_code ~ '^[A-Z0-9-]{8,20}$'),
  initials text not null check (length(initials) between 1 and 20),
  recorded_by uuid references staff_users (id),
  created_at timestamptz not null default now(),
  check ((staff_user_id is null) <> (roster_id is null))
);
create unique index training_completions_once on training_completions
  (coalesce(staff_user_id, roster_id), course_code, completed_on);
create index training_completions_organization on training_completions (organization_id, course_code);

-- Reminders sent: once per person, requirement, state ('due' or 'overdue') and due date.
create table training_reminders (
  person_id uuid not null,
  requirement_id text not null references training_requirements (id) on delete cascade,
  state text not null check (state in ('due', 'overdue')),
  due_on date not null,
  sent_at timestamptz not null default now(),
  primary key (person_id, requirement_id, state, due_on)
);
