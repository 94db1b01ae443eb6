-- Referrals as a conversation, and referrals to services outside the network.
--
-- `referral_messages`: the thread on a referral between the sending navigators and the receiving
-- organisation. The body is encrypted under the case's data key (like every other case field); who wrote
-- it, for which organisation and on which side are kept in clear so the page can say who wrote it without
-- decrypting anything. `kind` says whether the message is a note given with an answer (accept, decline)
-- or an ordinary message. Deleted with the referral (and so with the case).
create table referral_messages (
  id uuid primary key,
  referral_id uuid not null references referrals (id) on delete cascade,
  author_user_id uuid not null references staff_users (id),
  author_organization_id uuid not null references member_organizations (id),
  side text not null check (side in ('sender', 'receiver')),
  kind text not null default 'message' check (kind in ('message', 'accepted', 'declined')),
  body_encrypted bytea not null,
  created_at timestamptz not null default now()
);
create index referral_messages_referral on referral_messages (referral_id, created_at, id);

-- `outside_referrals`: a referral to a directory service whose organisation has no account here. Nobody
-- answers it in the product: the navigator records what happened by hand, so every referral in the
-- network is counted. The service's and organisation's names are public directory facts, copied when the
-- referral is made (the directory may change later); nothing personal is stored in clear.
create table outside_referrals (
  id uuid primary key,
  case_id uuid not null references cases (id) on delete cascade,
  from_region_id text not null references regions (id),
  directory_service_id text not null check (length(directory_service_id) between 1 and 200),
  service_name text not null check (length(service_name) between 1 and 300),
  organization_name text check (length(organization_name) between 1 and 300),
  service_type text not null check (service_type ~ '^[a-z][a-z0-9_]{0,62}$'),
  status text not null default 'sent' check (status in ('sent', 'accepted', 'declined', 'completed', 'withdrawn')),
  note_encrypted bytea,
  created_by uuid not null references staff_users (id),
  created_at timestamptz not null default now(),
  updated_by uuid not null references staff_users (id),
  updated_at timestamptz not null default now()
);
create index outside_referrals_case on outside_referrals (case_id, created_at);
create index outside_referrals_region on outside_referrals (from_region_id, status, created_at);
