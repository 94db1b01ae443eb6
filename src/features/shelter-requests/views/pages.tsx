/**
 * The staff pages of shelter requests: a case's Housing tab (its placements, with a form to end one, its
 * requests, and the form that asks every fitting shelter for a bed), the requests to a provider's programs
 * (each answered "we can take them" or "we cannot" with a reason) and one request with its answers, where
 * the navigator confirms an offer. Never anything that identifies the young person beyond the case tab.
 */
import type { FC } from 'hono/jsx';
import { CaseTabTop } from '../../cases/index.ts';
import { GENDERS, NEEDS } from '../../housing/index.ts';
import {
  Radios,
  Select,
  Ticks,
  codeOptions,
  errorFor,
  labelledOptions,
  type FieldProblem,
} from '../../../web/forms.tsx';
import { Success, Time, type StaffView } from '../../../web/page.tsx';
import { CsrfField, StaffLayout } from '../../../web/staff-layout.tsx';
import { Actions, Button, DataTable, LinkButton, Panel, Tag } from '../../../web/ui.tsx';
import {
  AGE_BANDS,
  DECLINE_REASONS,
  END_REASONS,
  OFFER_STATUS,
  URGENCY,
  requestLink,
  type AgeBand,
  type DeclineReason,
  type EndReason,
} from '../rules.ts';
import type { CaseHousing, OfferView, RequestView } from '../service.ts';

export interface RequestValues {
  ageBand: string;
  gender: string;
  needs: string[];
  county: string;
  urgency: string;
  holdMinutes: string;
}

export const DONE_MESSAGES: Record<string, string> = {
  sent: 'Request sent to every program that fits. You will be told as they answer.',
  answered: 'Answer sent. Thank you.',
  confirmed: 'Bed confirmed: the placement has started and the referral is sent.',
  ended: 'Placement ended.',
};

/** What the request asks, in one line: never anything that identifies the young person. */
export const RequestSummary: FC<{ r: RequestView; countyName: string }> = ({ r, countyName }) => (
  <span>
    Age {AGE_BANDS[r.ageBand].label} · {GENDERS[r.gender]}
    {r.needs.length ? ` · ${r.needs.map((n) => NEEDS[n]).join(', ')}` : ''} · {countyName} ·{' '}
    <strong>{URGENCY[r.urgency]}</strong>
  </span>
);

const offerTone = (o: OfferView) =>
  o.status === 'confirmed' || o.holding ? 'success' : o.status === 'declined' ? 'warning' : 'base';

const OfferStatus: FC<{ o: OfferView; deps: StaffView['deps'] }> = ({ o, deps }) => (
  <>
    <Tag tone={offerTone(o)}>
      {o.status === 'holding' && !o.holding ? OFFER_STATUS.expired : OFFER_STATUS[o.status]}
    </Tag>
    {o.declineReason ? ` ${DECLINE_REASONS[o.declineReason as DeclineReason]}` : null}
    {o.holding && o.heldUntil ? (
      <>
        {' '}
        until <Time deps={deps} at={o.heldUntil} show="date-time" />
      </>
    ) : null}
  </>
);

export const CaseHousingPage: FC<
  StaffView & {
    housing: CaseHousing;
    counties: { fips: string; name: string }[];
    wentTo: { code: string; label: string }[];
    values: RequestValues;
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
                  : 'Withdrawn'}
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

/** One program's answer form: "we can take them" holds a bed; "we cannot" needs a reason. */
const AnswerForm: FC<{ r: RequestView; o: OfferView; csrf: string }> = ({ r, o, csrf }) => (
  <form
    method="post"
    action={`${requestLink(r.id)}/answer`}
    class="usa-form"
    aria-label={`Answer for ${o.programName}`}
  >
    <CsrfField token={csrf} />
    <input type="hidden" name="programId" value={o.programId} />
    <Actions>
      <Button name="answer" value="offer">
        We can take them (hold a bed{' '}
        {r.holdMinutes >= 60 ? `${r.holdMinutes / 60} hours` : `${r.holdMinutes} minutes`})
      </Button>
    </Actions>
    <Select
      id={`reason-${o.id}`}
      label="Or: why you cannot take them"
      placeholder="Choose a reason"
      options={labelledOptions(DECLINE_REASONS)}
      value=""
    />
    <Button name="answer" value="decline" variant="outline">
      We cannot take them
    </Button>
  </form>
);

export const InboxPage: FC<
  StaffView & { requests: RequestView[]; countyName: (f: string) => string; done: string | null }
> = (p) => (
  <StaffLayout frame={p.frame} title="Shelter requests">
    <Success message={p.done} />
    <p>Navigators ask for a bed here. Please answer quickly, even when you cannot take them.</p>
    {p.requests.length === 0 ? <p>No open requests for your programs.</p> : null}
    {p.requests.map((r) => (
      <Panel
        id={`request-${r.id}`}
        heading={`${URGENCY[r.urgency]}: a bed for a young person aged ${AGE_BANDS[r.ageBand].label} in ${p.countyName(r.countyFips)}`}
      >
        <p>
          <RequestSummary r={r} countyName={p.countyName(r.countyFips)} /> · sent{' '}
          <Time deps={p.deps} at={r.createdAt} show="date-time" />
        </p>
        {r.offers.map((o) => (
          <div>
            <h3>{o.programName}</h3>
            {o.status === 'waiting' ? (
              <AnswerForm r={r} o={o} csrf={p.frame.csrf} />
            ) : (
              <OfferStatus o={o} deps={p.deps} />
            )}
          </div>
        ))}
      </Panel>
    ))}
  </StaffLayout>
);

export const RequestPage: FC<
  StaffView & {
    request: RequestView;
    countyName: string;
    mayConfirm: boolean;
    done: string | null;
    error: string | null;
  }
> = (p) => {
  const r = p.request;
  const confirmable = (o: OfferView) =>
    p.mayConfirm && r.status === 'open' && (o.status === 'holding' || o.status === 'expired');
  return (
    <StaffLayout frame={p.frame} title="Shelter request">
      <Success message={p.done} />
      {p.error ? (
        <div class="usa-alert usa-alert--warning usa-alert--slim" role="alert">
          <div class="usa-alert__body">
            <p class="usa-alert__text">{p.error}</p>
          </div>
        </div>
      ) : null}
      <p>
        <RequestSummary r={r} countyName={p.countyName} /> · sent{' '}
        <Time deps={p.deps} at={r.createdAt} show="date-time" />
        {r.escalated ? (
          <>
            {' '}
            <Tag tone="warning">No answer in time: escalated</Tag>
          </>
        ) : null}
      </p>
      {r.status === 'placed' ? <p>A bed is confirmed for this request.</p> : null}
      {r.offers.length === 0 ? <p>No program fits this request.</p> : null}
      <DataTable
        label="Programs asked"
        head={['Program', 'Organization', 'Answer', p.mayConfirm ? 'Confirm' : null]}
      >
        {r.offers.map((o) => (
          <tr id={`offer-${o.id}`}>
            <td>{o.programName}</td>
            <td>{o.organizationName}</td>
            <td>
              <OfferStatus o={o} deps={p.deps} />
            </td>
            {p.mayConfirm ? (
              <td>
                {confirmable(o) ? (
                  <form
                    method="post"
                    action={`${requestLink(r.id)}/confirm`}
                    aria-label={`Confirm ${o.programName}`}
                  >
                    <CsrfField token={p.frame.csrf} />
                    <input type="hidden" name="offerId" value={o.id} />
                    <div class="usa-checkbox">
                      <input
                        class="usa-checkbox__input"
                        type="checkbox"
                        id={`share-${o.id}`}
                        name="shareIdentifying"
                        value="yes"
                      />
                      <label class="usa-checkbox__label" for={`share-${o.id}`}>
                        Share who they are (needs their active consent)
                      </label>
                    </div>
                    <Button>Confirm this bed</Button>
                  </form>
                ) : null}
              </td>
            ) : null}
          </tr>
        ))}
      </DataTable>
      {p.mayConfirm ? (
        <Actions>
          <LinkButton href={`/staff/cases/${r.caseId}/housing`} variant="outline">
            Back to the case’s housing
          </LinkButton>
        </Actions>
      ) : null}
    </StaffLayout>
  );
};
