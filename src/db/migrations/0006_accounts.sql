-- Staff accounts: the organisations of the network, the people who sign in, their sessions,
-- single-use links (first set-up, invitations, password resets) and API tokens.
-- Personal data of staff (email, name, two-factor secret) is stored encrypted; emails are found through
-- a blind index. Secrets that prove something (session ids, link and API tokens) are stored hashed.

create table member_organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  type text not null check (type in ('state_agency', 'child_protection', 'navigator_host', 'service_provider',
    'shelter_housing', 'law_enforcement', 'school', 'health_care', 'other')),
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);
create unique index member_organizations_name on member_organizations (lower(name));

create table staff_users (
  id uuid primary key,
  organization_id uuid not null references member_organizations (id),
  email_index text not null unique,
  email_encrypted bytea not null,
  display_name_encrypted bytea,
  role text not null check (role in ('state_admin', 'org_admin', 'navigator', 'provider_staff',
    'child_protection', 'professional', 'trainer', 'evaluator')),
  regions text[] not null default '{}',
  password_hash text,
  totp_secret_encrypted bytea,
  totp_pending_encrypted bytea,
  totp_enabled_at timestamptz,
  totp_last_step bigint,
  recovery_code_hashes text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  disabled_at timestamptz
);
create index staff_users_organization on staff_users (organization_id);

create table staff_sessions (
  id_hash text primary key,
  user_id uuid not null references staff_users (id),
  stage text not null check (stage in ('second_factor', 'enrol_second_factor', 'complete')),
  csrf_token text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  reauthenticated_at timestamptz,
  ended_at timestamptz,
  ip text,
  user_agent text
);
create index staff_sessions_user on staff_sessions (user_id) where ended_at is null;

create table one_time_links (
  token_hash text primary key,
  purpose text not null check (purpose in ('setup', 'invitation', 'password_reset')),
  user_id uuid references staff_users (id),
  created_by uuid references staff_users (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  check (purpose = 'setup' or user_id is not null)
);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references staff_users (id),
  token_hash text not null unique,
  scopes text[] not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  last_used_at timestamptz
);
create index api_tokens_user on api_tokens (user_id);
