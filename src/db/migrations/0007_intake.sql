-- Identification and response: warm referrals from professionals, anonymous consultations and
-- self-referrals from young people ("intake items"), and the navigator queue that answers them.
-- Every personal field (name or initials, safe contact details, code word, what was observed, the
-- screening answers, the referrer's name and call-back details, outcome notes) is encrypted under a data
-- key of its own scope `intake:<id>`, so that one item can be crypto-shredded. Columns in clear hold only
-- what routing and the queue need: region, county, age band, urgency, status and times.
-- The referrer's reference code is stored hashed: the status page shows received / contacted / closed.

create table intake_items (
  id uuid primary key,
  kind text not null check (kind in ('professional_referral', 'consultation', 'self_referral')),
  jurisdiction text not null references packs (jurisdiction),
  region_id text references regions (id),
  county_fips char(5) references counties (fips),
  age smallint check (age between 0 and 120),
  age_band text not null check (age_band in ('under18', '18to24', '25plus', 'unknown')),
  urgency text not null check (urgency in ('immediate', 'soon', 'routine')),
  status text not null default 'new'
    check (status in ('new', 'claimed', 'contacted', 'could_not_reach', 'closed')),
  reference_hash text unique,
  payload_encrypted bytea not null check (length(payload_encrypted) > 0),
  claimed_by uuid references staff_users (id),
  claimed_at timestamptz,
  outcome text check (outcome ~ '^[a-z][a-z0-9_]{0,62}$'),
  outcome_note_encrypted bytea,
  escalation_level smallint not null default 0 check (escalation_level between 0 and 2),
  escalated_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  closed_at timestamptz,
  constraint intake_items_claim check ((claimed_by is null) = (claimed_at is null)),
  constraint intake_items_closed check ((status = 'closed') = (closed_at is not null)),
  constraint intake_items_new_unclaimed check (status <> 'new' or claimed_by is null)
);

comment on table intake_items is
  'Referrals, consultations and self-referrals waiting for or handled by a regional navigator.';
comment on column intake_items.payload_encrypted is
  'Encrypted (scope intake:<id>) JSON of every personal field of the item; never in clear.';
comment on column intake_items.reference_hash is
  'SHA-256 of the reference code given to the person who sent the item (status page); null when none.';
comment on column intake_items.region_id is
  'The region whose navigators see the item; null when the county is unknown (state administrators see it).';
comment on column intake_items.escalation_level is
  '0: the region''s navigators; 1: escalated to all of the region''s navigators; 2: escalated to the state administrators.';

create index intake_items_queue on intake_items (region_id, created_at) where status <> 'closed';
create index intake_items_unclaimed on intake_items (created_at) where status = 'new';

-- What happened to an item, in order: who did what and when (no personal data in `detail`).
create table intake_events (
  id bigint generated always as identity primary key,
  item_id uuid not null references intake_items (id) on delete cascade,
  at timestamptz not null default now(),
  actor_user_id uuid references staff_users (id),
  event text not null check (event ~ '^[a-z][a-z0-9_]{0,62}$'),
  detail jsonb not null default '{}'::jsonb
);
create index intake_events_item on intake_events (item_id, at);

-- In-app notifications for staff ("a referral waits in your region"): never personal data.
create table staff_notifications (
  id uuid primary key,
  user_id uuid not null references staff_users (id),
  kind text not null check (kind ~ '^[a-z][a-z0-9_]{0,62}$'),
  text text not null check (length(text) between 1 and 500),
  link text check (link ~ '^/staff/'),
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index staff_notifications_unread on staff_notifications (user_id, created_at) where read_at is null;
