-- Indexes for the case dashboards, so that a page of cases is read from an index at any size:
-- every open case newest first (state administrators, across regions) and a region's closed cases,
-- most recently closed first. The keyset cursor is (opened_at, id) or (closed_at, id).

create index cases_open_recent on cases (opened_at desc, id desc) where status = 'open';
create index cases_region_closed on cases (region_id, closed_at desc, id desc)
  where status = 'closed' and purged_at is null;
