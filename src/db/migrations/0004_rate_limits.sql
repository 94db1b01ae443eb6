-- Rate-limit counters and sign-in lockouts, shared by every instance of the service (written only by
-- src/platform/rate-limit). Each hit is one atomic upsert, so instances never lose each other's counts.
--
-- Counting is a sliding-window estimate over fixed windows: a hit increments the row of the current
-- window, and the previous window's count is weighted by how much of it still falls within one window
-- of now. Two rows per key at most, no burst of twice the limit at a window boundary.
--
-- Privacy: key_hash is an HMAC-SHA256 of the bucket and the key (a client address, an account's blind
-- index) under a secret kept outside the database (wrapped by the master key). An address is personal
-- data and, for a young person, can point to where they are; a plain hash of an IPv4 address is undone
-- by trying all 2^32 of them, and a keyed hash is not, so a dump of this table reveals no address or
-- account. Rows live only while they matter (expires_at) and are then deleted.

create table rate_limits (
  bucket text not null check (bucket ~ '^[a-z][a-z0-9_.:-]{0,62}$'),
  key_hash text not null check (key_hash ~ '^[0-9a-f]{32}$'),
  window_start timestamptz not null,
  count integer not null check (count >= 0),
  expires_at timestamptz not null check (expires_at > window_start),
  primary key (bucket, key_hash, window_start)
) with (fillfactor = 70);
-- fillfactor leaves room on each page so that the count updates stay HOT (no index changes).

comment on table rate_limits is
  'Rate-limit counters (one row per bucket, hashed key and window) and sign-in locks. Short-lived: rows are deleted once expires_at passes.';
comment on column rate_limits.bucket is 'What is counted, e.g. sign-in.address-failures; a name fixed in the code.';
comment on column rate_limits.key_hash is
  'HMAC-SHA256 (first 16 bytes, hex) of the bucket and the key under a secret outside the database. Never the raw address, email or account.';
comment on column rate_limits.window_start is 'Start of the counting window (aligned to the Unix epoch); for a lock, when it began.';
comment on column rate_limits.count is 'Hits in the window, refused ones included.';
comment on column rate_limits.expires_at is
  'When the row stops mattering: window_start plus two windows (the next window still weighs it), or the end of a lock.';

-- Pruning: rows past expires_at, oldest first.
create index rate_limits_expires_at on rate_limits (expires_at);
