-- Broadcast shelter requests, their answers (offers with held beds) and placements.
--
-- `shelter_requests`: one de-identified request of a navigator for a case (age band, gender, needs,
-- county, how soon), sent at once to every housing program that fits. Never free text: nothing here
-- identifies the young person. `escalated_at`: when nobody had answered in time and the region's other
-- navigators and the state administrators were told.
create table shelter_requests (
  id uuid primary key,
  case_id uuid not null references cases (id) on delete cascade,
  region_id text not null,
  county_fips text not null,
  age_band text not null check (age_band in ('10-13', '14-15', '16-17', '18-20', '21-24')),
  gender text not null check (gender in ('female', 'male', 'transgender', 'nonbinary')),
  needs text[] not null default '{}',
  urgency text not null check (urgency in ('tonight', 'this_week')),
  hold_minutes integer not null check (hold_minutes between 15 and 1440),
  status text not null default 'open' check (status in ('open', 'placed', 'withdrawn')),
  confirmed_offer_id uuid,
  referral_id uuid,
  escalated_at timestamptz,
  created_by uuid not null references staff_users (id),
  created_at timestamptz not null default now(),
  closed_at timestamptz
);
create index shelter_requests_case on shelter_requests (case_id, created_at desc);
create index shelter_requests_open on shelter_requests (created_at) where status = 'open';

-- One row per program the request went to: waiting for an answer, holding a bed until `held_until`,
-- declined (with a reason), confirmed, released (another offer was confirmed, or the request closed),
-- or expired (the hold ran out and its bed went back to the program's count).
create table shelter_offers (
  id uuid primary key,
  request_id uuid not null references shelter_requests (id) on delete cascade,
  program_id uuid not null references housing_programs (id),
  organization_id uuid not null references member_organizations (id),
  status text not null default 'waiting'
    check (status in ('waiting', 'holding', 'declined', 'confirmed', 'released', 'expired')),
  decline_reason text check (decline_reason in ('full', 'age', 'gender', 'safety', 'other')),
  held_until timestamptz,
  answered_by uuid references staff_users (id),
  answered_at timestamptz,
  unique (request_id, program_id)
);
create index shelter_offers_organization on shelter_offers (organization_id, status);
create index shelter_offers_holding on shelter_offers (held_until) where status = 'holding';

-- A young person's stay in a housing program: from a confirmed shelter request (or recorded by hand),
-- ended with the reason for leaving and where they went (the exit-housing answer list).
create table housing_placements (
  id uuid primary key,
  case_id uuid not null references cases (id) on delete cascade,
  program_id uuid not null references housing_programs (id),
  request_id uuid references shelter_requests (id) on delete set null,
  started_at timestamptz not null,
  ended_at timestamptz,
  end_reason text check (end_reason in ('planned_move', 'left_on_own', 'asked_to_leave', 'safety', 'other')),
  went_to text,
  created_by uuid references staff_users (id),
  ended_by uuid references staff_users (id),
  created_at timestamptz not null default now(),
  check ((ended_at is null) = (end_reason is null))
);
create index housing_placements_case on housing_placements (case_id, started_at desc);
