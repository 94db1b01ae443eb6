-- Why a shelter request closed without a placement. `no_bed_found` is the unmet need the housing
-- reports count; `found_elsewhere` (a bed found outside the request), `no_longer_needed`, and
-- `case_closed` (the case was closed while the request was open) are not. A placed request has none.
alter table shelter_requests
  add column close_reason text
    check (close_reason in ('no_bed_found', 'found_elsewhere', 'no_longer_needed', 'case_closed'));
alter table shelter_requests
  add constraint shelter_requests_close_reason check ((status = 'withdrawn') = (close_reason is not null));
create index shelter_requests_created on shelter_requests (created_at);
