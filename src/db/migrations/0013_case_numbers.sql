-- Finding a case in seconds: a human-readable case number per region and year (shown as
-- `WM-2026-0042`: the region's short code, the year the case was opened, its place in that year) and
-- blind indexes of the young person's names and date of birth, so a case can be found by them without
-- decrypting every case.
--
-- The number is stored as its parts; the region's short code is added when it is shown (one list in
-- src/features/cases/numbers.ts). `number_region_id` is the region that opened the case: a transfer to
-- another region keeps the case's number.

create table case_number_counters (
  region_id text not null references regions (id),
  year integer not null check (year between 2000 and 9999),
  last_number integer not null check (last_number > 0),
  primary key (region_id, year)
);
comment on table case_number_counters is
  'The last case number given per region and year. Taken and raised in the transaction that opens the case, so numbers have no gaps and never repeat.';

alter table cases
  add column number_region_id text references regions (id),
  add column number_year integer,
  add column number_seq integer;

-- Existing cases: numbered per region and year in the order they were opened (the year in the pack's
-- time zone).
with numbered as (
  select c.id,
    c.region_id,
    extract(year from c.opened_at at time zone p.timezone)::integer as year,
    row_number() over (
      partition by c.region_id, extract(year from c.opened_at at time zone p.timezone)
      order by c.opened_at, c.id
    ) as seq
  from cases c
  join packs p on p.jurisdiction = c.jurisdiction
)
update cases c
set number_region_id = n.region_id, number_year = n.year, number_seq = n.seq
from numbered n
where n.id = c.id;

insert into case_number_counters (region_id, year, last_number)
select number_region_id, number_year, max(number_seq) from cases group by number_region_id, number_year;

alter table cases
  alter column number_region_id set not null,
  alter column number_year set not null,
  alter column number_seq set not null,
  add constraint cases_number_seq check (number_seq > 0),
  add constraint cases_number unique (number_region_id, number_year, number_seq);
comment on column cases.number_seq is
  'The case number within its region (number_region_id) and year (number_year): shown as <region code>-<year>-<seq, 4 digits or more>.';

-- Every new case takes the next number of its region and year, whichever code path inserts it: the
-- counter row is raised (and stays locked) in the inserting transaction, so two cases opened at once
-- wait for each other and get consecutive numbers, and a transaction that rolls back gives its number
-- back.
create function cases_assign_number() returns trigger
language plpgsql as $$
begin
  if new.number_seq is null then
    new.number_region_id := new.region_id;
    new.number_year := extract(year from new.opened_at at time zone
      (select p.timezone from packs p where p.jurisdiction = new.jurisdiction))::integer;
    insert into case_number_counters as k (region_id, year, last_number)
    values (new.number_region_id, new.number_year, 1)
    on conflict (region_id, year) do update set last_number = k.last_number + 1
    returning k.last_number into new.number_seq;
  end if;
  return new;
end;
$$;
create trigger cases_number before insert on cases for each row execute function cases_assign_number();

-- Blind indexes for the case list's search: HMAC-SHA256 (truncated to 16 bytes, in hex) under the
-- `case-search` index key, of the normalised chosen name, legal name and date of birth. One term per
-- kind per case; written in the transaction that writes the case's personal data. The application fills
-- in cases that have none yet (cases opened before this migration) in the background.
create table case_search_terms (
  case_id uuid not null references cases (id) on delete cascade,
  kind text not null check (kind in ('chosen_name', 'legal_name', 'date_of_birth')),
  digest text not null check (digest ~ '^[0-9a-f]{32}$'),
  primary key (case_id, kind)
);
comment on table case_search_terms is
  'Blind indexes (keyed hashes) of a case''s normalised names and date of birth, for exact-match search. Removed when the case is purged or erased.';
create index case_search_terms_digest on case_search_terms (kind, digest);

-- A purged or erased case cannot be found again: its terms go when `purged_at` is set, whichever code
-- path sets it (the retention job, an erasure request).
create function cases_purge_search_terms() returns trigger
language plpgsql as $$
begin
  delete from case_search_terms where case_id = new.id;
  return new;
end;
$$;
create trigger cases_purged_search after update of purged_at on cases
  for each row when (new.purged_at is not null and old.purged_at is null)
  execute function cases_purge_search_terms();

-- The case list's orders: by case number, and by last activity (updated_at) across regions.
create index cases_number_order on cases (number_year desc, number_seq desc, id desc) where purged_at is null;
create index cases_region_activity on cases (region_id, updated_at desc, id desc) where purged_at is null;
