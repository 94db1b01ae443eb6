-- Translations of the public pages' messages made after the product shipped (docs/languages.md): what
-- translators send back through `/staff/translations` or `nwd i18n import`. Each row stands over the
-- shipped catalogue's entry (src/platform/i18n/catalogue/<locale>.json) for its language and key.
-- `source` is the English the translation was made from: when the shipped English changes, the row is
-- out of date and listed for review again. No personal data: messages are the site's own words.

create table translations (
  locale text not null check (locale in ('es', 'so', 'hmn')),
  key text not null check (key ~ '^[a-zA-Z0-9_.-]{1,200}$'),
  text text check (text is null or length(text) between 1 and 20000),
  status text not null check (status in ('untranslated', 'machine', 'drafted', 'reviewed', 'approved')),
  source text not null check (length(source) <= 20000),
  updated_by uuid references staff_users (id) on delete set null,
  updated_at timestamptz not null default now(),
  primary key (locale, key),
  check ((text is null) = (status = 'untranslated'))
);
