-- Certified specialized residential settings (FFPSA): residential settings the state certifies for youth
-- who are, or are at risk of becoming, victims of sex trafficking or commercial sexual exploitation, and
-- the direct-contact staff of each with the date they completed the commissioner-approved training
-- (5 modules, under 4 hours).
--
-- `certified_settings`: a setting of a member organization (optionally one of its housing programs) and
-- its certification, which only a state administrator records and changes: license and certification
-- numbers, certified and expiry dates, status. "Expired" is not stored: it follows from `expires_on`.
-- `notes_encrypted`: notes for staff, encrypted under the shared data key (free text may name a person).
-- `reminded_60_for` / `reminded_30_for`: the expiry date for which the 60-day and the 30-day reminder went
-- out, so each goes once per expiry date and a renewal (a new expiry date) starts them again.
create table certified_settings (
  id uuid primary key,
  organization_id uuid not null references member_organizations (id),
  program_id uuid references housing_programs (id) on delete set null,
  name text not null check (length(name) between 1 and 200),
  license_number text not null check (length(license_number) between 1 and 60),
  certification_number text not null check (length(certification_number) between 1 and 60),
  certified_on date not null,
  expires_on date not null check (expires_on > certified_on),
  status text not null check (status in ('certified', 'renewal_pending', 'suspended', 'revoked')),
  notes_encrypted bytea,
  reminded_60_for date,
  reminded_30_for date,
  created_by uuid references staff_users (id),
  created_at timestamptz not null default now(),
  updated_by uuid references staff_users (id),
  updated_at timestamptz not null default now()
);
create index certified_settings_organization on certified_settings (organization_id, name);
create index certified_settings_expiry on certified_settings (expires_on) where status <> 'revoked';

-- The setting's direct-contact staff, kept by its organization. The name is personal data of the
-- provider's staff: encrypted under the shared data key, bound to its row and column, as staff names are
-- in `staff_users`. `trained_on`: when the person completed the 5-module training (null: not yet).
create table certified_setting_staff (
  id uuid primary key,
  setting_id uuid not null references certified_settings (id) on delete cascade,
  name_encrypted bytea not null,
  role_title text not null check (length(role_title) between 1 and 100),
  started_on date not null,
  trained_on date,
  created_by uuid references staff_users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index certified_setting_staff_setting on certified_setting_staff (setting_id, started_on);
