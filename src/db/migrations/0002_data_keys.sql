-- Encryption of personal data at rest (src/platform/crypto).
-- data_keys: one data key per scope (a case, a person, or the shared scope), stored only wrapped under a
-- master key (AES-256-GCM, AAD `dek:<scope>:<version>`). Destroying a key (crypto-shredding) empties
-- `wrapped` and sets `destroyed_at`: every value encrypted under it is then unreadable.
-- index_keys: one random blind-index key per purpose, wrapped the same way, so that rotating the master
-- key re-wraps it and leaves every blind index value unchanged.

create table data_keys (
  id uuid primary key default gen_random_uuid(),
  scope text not null unique check (scope <> ''),
  wrapped bytea not null,
  master_key_id text not null,
  created_at timestamptz not null default now(),
  rotated_at timestamptz,
  destroyed_at timestamptz,
  constraint data_keys_destroyed_means_empty check ((destroyed_at is null) = (length(wrapped) > 0))
);
create index data_keys_master_key_id on data_keys (master_key_id);

create table index_keys (
  purpose text primary key,
  wrapped bytea not null check (length(wrapped) > 0),
  master_key_id text not null,
  created_at timestamptz not null default now(),
  rotated_at timestamptz
);
