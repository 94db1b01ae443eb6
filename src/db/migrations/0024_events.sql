-- Trainings and community events, their one-off changes and cancellations, and registrations.
--
-- `events`: one event or a series. Times are wall-clock times in `timezone` (America/Chicago): the
-- first date `starts_on`, the start and end time of each occurrence (an occurrence ends on the day it
-- starts). `rrule`: an RFC 5545 recurrence rule without DTSTART (e.g. `FREQ=MONTHLY;INTERVAL=2;BYDAY=3WE`),
-- null for a single event; its occurrences are worked out, never stored. An occurrence is named by the
-- local date it falls on in the rule (`occurrence_date`), as RECURRENCE-ID does in iCalendar.
-- `registration`: `public` (anyone, on the public page), `staff` (staff register people), `none`.
-- A public event's place is public. `origin`: `pack` rows come from data/<jurisdiction>/events.json with
-- their source; `edited_at` marks a pack row a person changed since (the next import keeps it).
create table events (
  id uuid primary key,
  kind text not null check (kind in ('training', 'community')),
  title text not null check (length(title) between 1 and 200),
  description text not null default '' check (length(description) <= 4000),
  course_code text check (course_code is null or length(course_code) between 1 and 40),
  place_kind text not null check (place_kind in ('in_person', 'online')),
  place_name text check (place_name is null or length(place_name) <= 200),
  place_address text check (place_address is null or length(place_address) <= 300),
  online_url text check (online_url is null or length(online_url) <= 500),
  region_id text references regions (id),
  capacity integer check (capacity is null or capacity between 1 and 10000),
  registration text not null check (registration in ('public', 'staff', 'none')),
  organizer_organization_id uuid references member_organizations (id),
  organizer_name text not null check (length(organizer_name) between 1 and 200),
  timezone text not null default 'America/Chicago',
  starts_on date not null,
  start_time text not null check (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  end_time text not null check (end_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and end_time > start_time),
  rrule text check (rrule is null or length(rrule) <= 300),
  status text not null default 'scheduled' check (status in ('scheduled', 'cancelled')),
  -- Bumped on every change, for iCalendar's SEQUENCE.
  sequence integer not null default 0,
  origin text not null default 'staff' check (origin in ('staff', 'pack')),
  source text,
  retrieved date,
  verified boolean,
  note text,
  edited_at timestamptz,
  created_by uuid references staff_users (id),
  created_at timestamptz not null default now(),
  updated_by uuid references staff_users (id),
  updated_at timestamptz not null default now()
);
create index events_region on events (region_id) where status = 'scheduled';
create index events_course on events (course_code) where status = 'scheduled';

-- One occurrence of a series changed (another date, time or place) or cancelled (EXDATE).
create table event_occurrence_changes (
  event_id uuid not null references events (id) on delete cascade,
  occurrence_date date not null,
  cancelled boolean not null default false,
  moved_to date,
  start_time text check (start_time is null or start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  end_time text check (end_time is null or end_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  place_name text check (place_name is null or length(place_name) <= 200),
  place_address text check (place_address is null or length(place_address) <= 300),
  updated_by uuid references staff_users (id),
  updated_at timestamptz not null default now(),
  primary key (event_id, occurrence_date)
);

-- A person's place at one occurrence. Name, email and organization are personal data: encrypted under
-- the shared data key, bound to row and column. `email_index`: a blind index, so one email registers
-- once per occurrence. `cancel_token_hash`: SHA-256 of the unguessable token in the person's link.
-- `status`: `registered` (has a place), `waitlisted` (in line by `waitlisted_at`), `cancelled`.
-- Attendance: `attended` (null: not taken yet), who took it and when — the hook the training
-- completions read (docs/events.md).
create table event_registrations (
  id uuid primary key,
  event_id uuid not null references events (id) on delete cascade,
  occurrence_date date not null,
  status text not null check (status in ('registered', 'waitlisted', 'cancelled')),
  name_encrypted bytea not null,
  email_encrypted bytea not null,
  organization_encrypted bytea,
  email_index text not null,
  cancel_token_hash text not null unique,
  -- The token itself, encrypted, so later emails (promotion, reminder) can carry the person's link.
  token_encrypted bytea not null,
  channel text not null check (channel in ('public', 'staff')),
  created_by uuid references staff_users (id),
  created_at timestamptz not null default now(),
  waitlisted_at timestamptz,
  promoted_at timestamptz,
  cancelled_at timestamptz,
  reminded_at timestamptz,
  attended boolean,
  attendance_by uuid references staff_users (id),
  attendance_at timestamptz
);
create unique index event_registrations_once on event_registrations (event_id, occurrence_date, email_index)
  where status <> 'cancelled';
create index event_registrations_occurrence on event_registrations (event_id, occurrence_date, status, created_at);
