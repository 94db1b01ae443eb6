/**
 * The staff pages of shelter requests (a case's Housing tab is in `case-housing.tsx`): the requests to a
 * provider's programs (each answered "we can take them" or "we cannot" with a reason) and one request with
 * its answers, where the navigator confirms an offer or closes the request. Never anything that identifies
 * the young person.
 */
import type { FC } from 'hono/jsx';
import { GENDERS, NEEDS } from '../../housing/index.ts';
import { Radios, Select, labelledOptions } from '../../../web/forms.tsx';
import { Success, Time, type StaffView } from '../../../web/page.tsx';
import { CsrfField, StaffLayout } from '../../../web/staff-layout.tsx';
import { Actions, Button, DataTable, LinkButton, Panel, Tag } from '../../../web/ui.tsx';
import {
  AGE_BANDS,
  CHOSEN_CLOSE_REASONS,
  CLOSE_REASONS,
  DECLINE_REASONS,
  OFFER_STATUS,
  URGENCY,
  requestLink,
  type DeclineReason,
} from '../rules.ts';
import type { OfferView, RequestView } from '../service.ts';

export const DONE_MESSAGES: Record<string, string> = {
  sent: 'Request sent to every program that fits. You will be told as they answer.',
  answered: 'Answer sent. Thank you.',
  confirmed: 'Bed confirmed: the placement has started and the referral is sent.',
  ended: 'Placement ended.',
  recorded: 'Stay recorded.',
  closed: 'Request closed. The programs asked were told, and any bed held went back.',
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

export const OfferStatus: FC<{ o: OfferView; deps: StaffView['deps'] }> = ({ o, deps }) => (
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
    /** The close form's problem (no reason chosen). */
    closeError?: string | null;
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
      {r.status === 'withdrawn' ? (
        <p>
          Closed without a bed: {CLOSE_REASONS[r.closeReason ?? 'no_longer_needed']}
          {r.closedAt ? (
            <>
              {' '}
              (<Time deps={p.deps} at={r.closedAt} show="date-time" />)
            </>
          ) : null}
          .
        </p>
      ) : null}
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
      {p.mayConfirm && r.status === 'open' ? (
        <form
          method="post"
          action={`${requestLink(r.id)}/close`}
          class="usa-form"
          aria-labelledby="close-request"
        >
          <h2 id="close-request">Close this request</h2>
          <p>When no bed is confirmed here. Every program still asked is told, and any bed held goes back.</p>
          <CsrfField token={p.frame.csrf} />
          <Radios
            id="reason"
            legend="Why it is closing"
            options={labelledOptions(CHOSEN_CLOSE_REASONS)}
            value=""
            error={p.closeError ?? undefined}
          />
          <Button variant="outline">Close the request</Button>
        </form>
      ) : null}
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
