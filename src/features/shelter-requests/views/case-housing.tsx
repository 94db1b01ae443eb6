/**
 * A case's Housing tab: its placements (each with a form to end it, and a form to record a stay by
 * hand), its shelter requests, and the form that asks every fitting program for a bed at once. The
 * request form says only what a program needs: never a name or anything that identifies the young person.
 */
import type { FC } from 'hono/jsx';
import { CaseTabTop } from '../../cases/index.ts';
import { GENDERS, NEEDS } from '../../housing/index.ts';
import {
  Radios,
  Select,
  TextField,
  Ticks,
  codeOptions,
  errorFor,
  labelledOptions,
  type FieldProblem,
} from '../../../web/forms.tsx';
import { Time, type StaffView } from '../../../web/page.tsx';
import { CsrfField, StaffLayout } from '../../../web/staff-layout.tsx';
import { Button, Panel, Tag } from '../../../web/ui.tsx';
import {
  AGE_BANDS,
  CLOSE_REASONS,
  END_REASONS,
  URGENCY,
  requestLink,
  type AgeBand,
  type EndReason,
} from '../rules.ts';
import type { CaseHousing } from '../service.ts';
import { RequestSummary } from './pages.tsx';

export interface RequestValues {
  ageBand: string;
  gender: string;
  needs: string[];
  county: string;
  urgency: string;
  holdMinutes: string;
}

/** A stay recorded by hand: the program and the day it began. */
export interface StayValues {
  programId: string;
  startedOn: string;
}

export const CaseHousingPage: FC<
  StaffView & {
    housing: CaseHousing;
    counties: { fips: string; name: string }[];
    wentTo: { code: string; label: string }[];
    values: RequestValues;
    stay: StayValues;
    errors: FieldProblem[];
    message: string | null;
  }
> = (p) => {
  const h = p.housing;
  const countyName = (fips: string) => p.counties.find((c) => c.fips === fips)?.name ?? fips;
  return (
    <StaffLayout frame={p.frame} title={`Housing: ${h.chosenName}`}>
      <CaseTabTop
        view={{
          label: h.chosenName,
          regionName: h.regionName,
          case: { id: h.caseId, status: h.case.status },
        }}
        current="housing"
        errors={p.errors}
        message={p.message}
      />
      <Panel id="placements" heading="Placements">
        {h.placements.length === 0 ? <p>No placements yet.</p> : null}
        {h.placements.map((pl) => (
          <div class="margin-bottom-2" id={`placement-${pl.id}`}>
            <p class="margin-bottom-0">
              <strong>{pl.programName}</strong> ({pl.organizationName}) · from{' '}
              <Time deps={p.deps} at={pl.startedAt} show="date-time" />
              {pl.endedAt ? (
                <>
                  {' '}
                  to <Time deps={p.deps} at={pl.endedAt} show="date-time" /> ·{' '}
                  {END_REASONS[pl.endReason as EndReason] ?? pl.endReason} · went to{' '}
                  {p.wentTo.find((w) => w.code === pl.wentTo)?.label ?? pl.wentTo}
                </>
              ) : (
                <>
                  {' '}
                  <Tag tone="success">Staying now</Tag>
                </>
              )}
            </p>
            {!pl.endedAt && h.mayWrite ? (
              <form
                method="post"
                action={`/staff/placements/${pl.id}/end`}
                class="usa-form"
                aria-label={`End the stay at ${pl.programName}`}
              >
                <CsrfField token={p.frame.csrf} />
                <Select
                  id={`reason`}
                  label="Why the stay ended"
                  placeholder="Choose a reason"
                  options={labelledOptions(END_REASONS)}
                  value=""
                />
                <Select
                  id={`wentTo`}
                  label="Where they went"
                  placeholder="Choose where"
                  options={codeOptions(p.wentTo)}
                  value=""
                />
                <Button variant="outline">End the placement</Button>
              </form>
            ) : null}
          </div>
        ))}
        {h.mayWrite && h.programs.length ? (
          <>
            <h3 id="record-stay" class="margin-top-3">
              Record a stay that did not come from a shelter request
            </h3>
            <form
              method="post"
              action={`/staff/cases/${h.caseId}/housing/placements`}
              class="usa-form"
              aria-labelledby="record-stay"
              novalidate
            >
              <CsrfField token={p.frame.csrf} />
              <Select
                id="programId"
                label="Program"
                placeholder="Choose a program"
                options={h.programs.map((pr) => ({
                  value: pr.id,
                  label: `${pr.name} (${pr.organizationName})`,
                }))}
                value={p.stay.programId}
                error={errorFor(p.errors, 'programId')}
              />
              <TextField
                id="startedOn"
                type="date"
                label="The day the stay began"
                value={p.stay.startedOn}
                error={errorFor(p.errors, 'startedOn')}
              />
              <Button variant="outline">Record the stay</Button>
            </form>
          </>
        ) : null}
      </Panel>
      <Panel id="requests" heading="Shelter requests">
        {h.requests.length === 0 ? <p>No shelter requests yet.</p> : null}
        <ul>
          {h.requests.map((r) => (
            <li>
              <a href={requestLink(r.id)}>
                <Time deps={p.deps} at={r.createdAt} show="date-time" />
              </a>{' '}
              <RequestSummary r={r} countyName={countyName(r.countyFips)} /> ·{' '}
              {r.status === 'placed'
                ? 'Bed confirmed'
                : r.status === 'open'
                  ? `${r.offers.filter((o) => o.holding).length} offers`
                  : `Closed: ${CLOSE_REASONS[r.closeReason ?? 'no_longer_needed']}`}
            </li>
          ))}
        </ul>
      </Panel>
      {h.mayWrite ? (
        <form
          method="post"
          action={`/staff/cases/${h.caseId}/housing/requests`}
          class="usa-form"
          aria-labelledby="ask"
          novalidate
        >
          <h2 id="ask">Ask shelters for a bed</h2>
          <p>
            One request goes to every program that fits, at once. It says only what is below: never a name or
            anything else that identifies the young person.
          </p>
          <CsrfField token={p.frame.csrf} />
          <Radios
            id="ageBand"
            legend="Age"
            options={labelledOptions(
              Object.fromEntries(Object.entries(AGE_BANDS).map(([k, v]) => [k, v.label])) as Record<
                AgeBand,
                string
              >,
            )}
            value={p.values.ageBand}
            error={errorFor(p.errors, 'ageBand')}
          />
          <Radios
            id="gender"
            legend="Gender"
            options={labelledOptions(GENDERS)}
            value={p.values.gender}
            error={errorFor(p.errors, 'gender')}
          />
          <fieldset class="usa-fieldset usa-form-group">
            <legend class="usa-legend">Needs (optional)</legend>
            <Ticks
              type="checkbox"
              name="needs"
              options={labelledOptions(NEEDS)}
              checked={(v) => p.values.needs.includes(v)}
            />
          </fieldset>
          <Select
            id="county"
            label="County"
            placeholder="Choose a county"
            options={p.counties.map((c) => ({ value: c.fips, label: c.name }))}
            value={p.values.county}
            error={errorFor(p.errors, 'county')}
          />
          <Radios
            id="urgency"
            legend="How soon"
            options={labelledOptions(URGENCY)}
            value={p.values.urgency}
            error={errorFor(p.errors, 'urgency')}
          />
          <Select
            id="holdMinutes"
            label="Hold an offered bed for"
            placeholder="2 hours (the usual)"
            options={[
              { value: '60', label: '1 hour' },
              { value: '240', label: '4 hours' },
              { value: '720', label: '12 hours' },
            ]}
            value={p.values.holdMinutes}
            error={errorFor(p.errors, 'holdMinutes')}
          />
          <Button>Send the request</Button>
        </form>
      ) : null}
    </StaffLayout>
  );
};
