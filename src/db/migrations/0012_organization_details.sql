-- What the public sees of an organisation beyond its name and phones: its type, a text number, hours,
-- the languages it answers in, whether its address is confidential, and which member organisation's
-- administrators may keep these facts up to date.

alter table organizations
  add column type text not null default 'navigator_host',
  add column text_dial text,
  add column text_display text,
  add column hours text,
  add column languages text[] not null default '{}',
  add column address_confidential boolean not null default false,
  add column member_organization_id uuid references member_organizations (id);
create index organizations_member on organizations (member_organization_id);
