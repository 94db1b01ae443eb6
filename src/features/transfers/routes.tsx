/**
 * The staff pages of transfers: a case's transfer tab `/staff/cases/:id/transfer` (ask another region
 * to take the case, cancel the request, the case's transfer history), and the receiving region's
 * `/staff/transfers` (what waits for a decision, and recent transfers out of the person's regions) with
 * one transfer's decision page `/staff/transfers/:id` (accept, or decline with a reason). Thin: every
 * read and change goes through `transfers.ts`.
 */
import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, Feature } from '../../app-types.ts';
import { can } from '../../platform/access.ts';
import { renderPage } from '../../web/http.ts';
import { staffAction } from '../../platform/policy.ts';
import { AGE_BAND_NAMES } from '../queue/service.ts';
import { CsrfField, ErrorSummary, StaffLayout } from '../../web/staff-layout.tsx';
import { Choice, Success, Time, formText, messagePage, readForm, type FieldError } from '../../web/page.tsx';
import { requestOrigin } from '../../web/session.ts';
import { CaseHeading, caseNotFound, guardCasePage } from '../cases/views/layout.tsx';
import { CaseError } from '../cases/core.ts';
import { coordinationContext } from '../tasks/service.ts';
import {
  DECISION_BUSINESS_DAYS,
  DECLINE_REASONS,
  TRANSFER_STATUS_NAMES,
  cancelTransfer,
  caseTransfers,
  decideTransfer,
  incomingTransfers,
  openTransfer,
  outgoingTransfers,
  requestTransfer,
  type CaseTransfers,
  type DeclineReason,
  type IncomingTransfer,
  type TransferSummary,
} from './service.ts';

const Paragraphs: FC<{ text: string }> = ({ text }) => (
  <>
    {text
      .split(/\r?\n\r?\n/)
      .filter((p) => p.trim())
      .map((p) => (
        <p>{p}</p>
      ))}
  </>
);

function outcomeText(t: TransferSummary): string {
  const status = TRANSFER_STATUS_NAMES[t.status];
  return t.status === 'declined' && t.declineReason
    ? `${status}: ${DECLINE_REASONS[t.declineReason]}`
    : status;
}

// ---------------------------------------------------------------------------------------------------
// The case's transfer tab

interface RequestValues {
  toRegion: string;
  reason: string;
}

const CASE_DONE: Record<string, string> = {
  requested: 'The transfer is asked for. The receiving region’s navigators have been told.',
  cancelled: 'The transfer request is cancelled. The case stays with your region.',
  accepted: 'You accepted the transfer: the case is now in your region, and you are its navigator.',
};

async function caseTransferPage(
  c: Context,
  deps: AppDeps,
  state: { errors: FieldError[]; values: RequestValues; status: ContentfulStatusCode } = {
    errors: [],
    values: { toRegion: '', reason: '' },
    status: 200,
  },
): Promise<Response> {
  const g = await guardCasePage(
    c,
    deps,
    'cases.read',
    'Regional navigators and state administrators see cases.',
  );
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  let view: CaseTransfers;
  try {
    view = await caseTransfers(coordinationContext(deps), actor, c.req.param('id') ?? '', requestOrigin(c));
  } catch (error) {
    if (error instanceof CaseError && error.code === 'not_found') return caseNotFound(c, frame);
    throw error;
  }
  const caseId = view.case.id;
  const pending = view.transfers.find((t) => t.status === 'requested') ?? null;
  const writable =
    view.case.status === 'open' && can(actor, 'cases.write', { regionId: view.case.region_id });
  const message = state.status === 200 ? (CASE_DONE[c.req.query('done') ?? ''] ?? null) : null;
  return renderPage(
    c,
    <StaffLayout frame={frame} title="Transfer">
      <ErrorSummary errors={state.errors} />
      <Success message={message} />
      <CaseHeading
        caseId={caseId}
        label={view.label}
        regionName={view.regionName}
        current="transfer"
        closed={view.case.status !== 'open'}
      />
      {pending ? (
        <section aria-labelledby="pending-h" class="card">
          <h2 id="pending-h">Waiting for {pending.toRegionName} to decide</h2>
          <p>
            Asked by {pending.requestedBy.id === actor.userId ? 'you' : pending.requestedBy.name} on{' '}
            <Time deps={deps} at={pending.requestedAt} />. Their navigators have been told; if nobody decides
            within {DECISION_BUSINESS_DAYS} business days, the others are reminded.
          </p>
          {pending.reason ? (
            <>
              <h3>The reason you gave</h3>
              <Paragraphs text={pending.reason} />
            </>
          ) : null}
          {writable && pending.requestedBy.id === actor.userId ? (
            <form method="post" action={`/staff/cases/${caseId}/transfer/cancel`}>
              <CsrfField token={frame.csrf} />
              <button type="submit" class="btn alt">
                Cancel the request
              </button>
            </form>
          ) : null}
        </section>
      ) : writable ? (
        <form method="post" action={`/staff/cases/${caseId}/transfer`} aria-labelledby="request-h" novalidate>
          <h2 id="request-h">Ask another region to take this case</h2>
          <p>
            When a young person moves, their case can move with them. The receiving region’s navigators see
            the age band, the county and your reason, then accept or decline. If they accept:
          </p>
          <ul>
            <li>the case moves to their region, and you and your region’s navigators no longer see it;</li>
            <li>its open tasks move to them, unassigned;</li>
            <li>its history — notes, timeline, safety plan, transfers — stays with the case.</li>
          </ul>
          <CsrfField token={frame.csrf} />
          <Choice
            id="toRegion"
            label="Region the young person has moved to"
            placeholder="Choose a region"
            options={view.regions.map((r) => ({ value: r.id, label: r.name }))}
            selected={state.values.toRegion}
          />
          <label for="reason">Why the case should move</label>
          <p class="hint" id="reason-hint">
            Kept encrypted. Say what the receiving navigators need to decide, for example where the young
            person now stays — not more.
          </p>
          <textarea
            id="reason"
            name="reason"
            rows={4}
            cols={40}
            maxlength={1000}
            aria-describedby="reason-hint"
          >
            {state.values.reason}
          </textarea>
          <p>
            <button type="submit">Ask for the transfer</button>
          </p>
        </form>
      ) : (
        <p>
          {view.case.status !== 'open'
            ? 'This case is closed: it cannot be transferred.'
            : 'Only the navigators of the case’s region can ask for a transfer.'}
        </p>
      )}
      <h2>Transfer history</h2>
      {view.transfers.length ? (
        <table id="transfers" tabindex={0}>
          <caption>Transfers of this case, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Asked</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Asked by</th>
              <th scope="col">Reason</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {view.transfers.map((t) => (
              <tr>
                <td>
                  <Time deps={deps} at={t.requestedAt} />
                </td>
                <td>{t.fromRegionName}</td>
                <td>{t.toRegionName}</td>
                <td>{t.requestedBy.id === actor.userId ? 'You' : t.requestedBy.name}</td>
                <td>{t.reason ?? '—'}</td>
                <td>
                  {outcomeText(t)}
                  {t.decidedAt ? (
                    <>
                      {' '}
                      (<Time deps={deps} at={t.decidedAt} />
                      {t.decidedBy ? `, ${t.decidedBy.id === actor.userId ? 'you' : t.decidedBy.name}` : ''})
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>This case has not been transferred.</p>
      )}
    </StaffLayout>,
    state.status,
  );
}

async function requestAction(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guardCasePage(c, deps, 'cases.write', 'Regional navigators transfer cases.');
  if (g instanceof Response) return g;
  const caseId = c.req.param('id') ?? '';
  const form = await readForm(c);
  const values = { toRegion: formText(form, 'toRegion'), reason: formText(form, 'reason') };
  try {
    await requestTransfer(
      coordinationContext(deps),
      g.actor,
      caseId,
      { toRegionId: values.toRegion, reason: values.reason },
      requestOrigin(c),
    );
  } catch (error) {
    if (!(error instanceof CaseError)) throw error;
    if (error.code === 'not_found') return caseNotFound(c, g.frame);
    if (error.code === 'forbidden')
      return messagePage(c, g.frame, 403, 'You cannot do that', error.message, {
        href: `/staff/cases/${caseId}/transfer`,
        text: 'Go back',
      });
    return caseTransferPage(c, deps, {
      errors: [{ field: error.field ?? 'toRegion', message: error.message }],
      values,
      status: error.code === 'invalid' ? 400 : 409,
    });
  }
  return c.redirect(`/staff/cases/${caseId.toLowerCase()}/transfer?done=requested`, 303);
}

async function cancelAction(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guardCasePage(c, deps, 'cases.write', 'Regional navigators transfer cases.');
  if (g instanceof Response) return g;
  const caseId = c.req.param('id') ?? '';
  try {
    await cancelTransfer(coordinationContext(deps), g.actor, caseId, requestOrigin(c));
  } catch (error) {
    if (!(error instanceof CaseError)) throw error;
    if (error.code === 'not_found') return caseNotFound(c, g.frame);
    return messagePage(
      c,
      g.frame,
      error.code === 'forbidden' ? 403 : 409,
      'The transfer did not change',
      error.message,
      { href: `/staff/cases/${caseId}/transfer`, text: 'Go back to the transfer' },
    );
  }
  return c.redirect(`/staff/cases/${caseId.toLowerCase()}/transfer?done=cancelled`, 303);
}

// ---------------------------------------------------------------------------------------------------
// The receiving region

const IncomingFacts: FC<{ deps: AppDeps; t: IncomingTransfer }> = ({ deps, t }) => (
  <dl id="facts" tabindex={-1}>
    <dt>From</dt>
    <dd>{t.fromRegionName}</dd>
    <dt>To</dt>
    <dd>{t.toRegionName}</dd>
    <dt>Asked</dt>
    <dd>
      <Time deps={deps} at={t.requestedAt} />, by {t.requestedBy.name}
    </dd>
    <dt>Age</dt>
    <dd>{AGE_BAND_NAMES[t.ageBand]}</dd>
    <dt>County on the case</dt>
    <dd>{t.countyName ?? 'Not known'}</dd>
    <dt>Status</dt>
    <dd>{outcomeText(t)}</dd>
  </dl>
);

const LIST_DONE: Record<string, string> = {
  declined: 'You declined the transfer. The region that asked has been told; the case stays with them.',
};

async function transfersPage(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guardCasePage(
    c,
    deps,
    'transfers.decide',
    'Regional navigators decide transfers into their regions.',
  );
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const ctx = coordinationContext(deps);
  const [waiting, outgoing] = await Promise.all([
    incomingTransfers(ctx, actor, requestOrigin(c)),
    outgoingTransfers(ctx, actor),
  ]);
  return renderPage(
    c,
    <StaffLayout frame={frame} title="Transfers">
      <Success message={LIST_DONE[c.req.query('done') ?? ''] ?? null} />
      <h2 id="incoming-h">Waiting for your decision ({waiting.length})</h2>
      {waiting.length ? (
        <ul class="plain" aria-labelledby="incoming-h">
          {waiting.map((t) => (
            <li class="card">
              <h3>
                <a href={`/staff/transfers/${t.id}`}>
                  From {t.fromRegionName}, asked <Time deps={deps} at={t.requestedAt} />
                </a>
              </h3>
              <p>
                {AGE_BAND_NAMES[t.ageBand]} · {t.countyName ? `${t.countyName} County` : 'county not known'}
              </p>
              {t.reason ? <Paragraphs text={t.reason} /> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>No transfers are waiting for your regions.</p>
      )}
      <h2>Asked for by your regions</h2>
      {outgoing.length ? (
        <table id="outgoing" tabindex={0}>
          <caption>Recent transfers out of your regions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Asked</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Asked by</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {outgoing.map((t) => (
              <tr>
                <td>
                  <Time deps={deps} at={t.requestedAt} />
                </td>
                <td>{t.fromRegionName}</td>
                <td>{t.toRegionName}</td>
                <td>{t.requestedBy.id === actor.userId ? 'You' : t.requestedBy.name}</td>
                <td>
                  {outcomeText(t)}
                  {can(actor, 'cases.read', { regionId: t.fromRegionId }) && t.status !== 'accepted' ? (
                    <>
                      {' · '}
                      <a href={`/staff/cases/${t.caseId}/transfer`}>
                        Open
                        <span class="skip">
                          {' '}
                          the transfer asked {deps.rules.calendar.describe(t.requestedAt)}
                        </span>
                      </a>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>Your regions have not asked for transfers recently.</p>
      )}
    </StaffLayout>,
  );
}

async function transferPage(
  c: Context,
  deps: AppDeps,
  state: { errors: FieldError[]; reason: string; status: ContentfulStatusCode } = {
    errors: [],
    reason: '',
    status: 200,
  },
): Promise<Response> {
  const g = await guardCasePage(
    c,
    deps,
    'transfers.decide',
    'Regional navigators decide transfers into their regions.',
  );
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  let t: IncomingTransfer;
  try {
    t = await openTransfer(coordinationContext(deps), actor, c.req.param('id') ?? '', requestOrigin(c));
  } catch (error) {
    if (error instanceof CaseError && error.code === 'not_found')
      return messagePage(c, frame, 404, 'Transfer not found', error.message, {
        href: '/staff/transfers',
        text: 'Go to transfers',
      });
    throw error;
  }
  const waiting = t.status === 'requested';
  return renderPage(
    c,
    <StaffLayout frame={frame} title={`Transfer from ${t.fromRegionName}`}>
      <ErrorSummary errors={state.errors} />
      <p>
        <a href="/staff/transfers">Back to transfers</a>
      </p>
      <IncomingFacts deps={deps} t={t} />
      <h2>Why the case should move</h2>
      {t.reason ? <Paragraphs text={t.reason} /> : <p>No reason given.</p>}
      {waiting ? (
        <>
          <form method="post" action={`/staff/transfers/${t.id}/accept`} aria-labelledby="accept-h">
            <h2 id="accept-h">Accept</h2>
            <p>
              The case moves to {t.toRegionName}: you become its navigator, its open tasks come to your region
              unassigned, and {t.fromRegionName} no longer sees it. Its history comes with it.
            </p>
            <CsrfField token={frame.csrf} />
            <button type="submit">Accept the transfer</button>
          </form>
          <form
            method="post"
            action={`/staff/transfers/${t.id}/decline`}
            aria-labelledby="decline-h"
            novalidate
          >
            <h2 id="decline-h">Decline</h2>
            <CsrfField token={frame.csrf} />
            <fieldset id="reason">
              <legend>Why you decline (the region that asked sees this)</legend>
              {(Object.keys(DECLINE_REASONS) as DeclineReason[]).map((code) => (
                <label>
                  <input type="radio" name="reason" value={code} checked={state.reason === code} />{' '}
                  {DECLINE_REASONS[code]}
                </label>
              ))}
            </fieldset>
            <p>
              <button type="submit" class="btn alt">
                Decline the transfer
              </button>
            </p>
          </form>
        </>
      ) : t.status === 'accepted' && can(actor, 'cases.read', { regionId: t.toRegionId }) ? (
        <p>
          <a href={`/staff/cases/${t.caseId}/tasks`}>Open the case’s tasks</a>
        </p>
      ) : null}
    </StaffLayout>,
    state.status,
  );
}

async function decideAction(c: Context, deps: AppDeps, decision: 'accept' | 'decline'): Promise<Response> {
  const g = await guardCasePage(
    c,
    deps,
    'transfers.decide',
    'Regional navigators decide transfers into their regions.',
  );
  if (g instanceof Response) return g;
  const id = c.req.param('id') ?? '';
  const form = await readForm(c);
  const reason = formText(form, 'reason');
  let caseId: string;
  try {
    ({ caseId } = await decideTransfer(
      coordinationContext(deps),
      g.actor,
      id,
      { decision, reason },
      requestOrigin(c),
    ));
  } catch (error) {
    if (!(error instanceof CaseError)) throw error;
    switch (error.code) {
      case 'not_found':
        return messagePage(c, g.frame, 404, 'Transfer not found', error.message, {
          href: '/staff/transfers',
          text: 'Go to transfers',
        });
      case 'forbidden':
        return messagePage(c, g.frame, 403, 'You cannot do that', error.message, {
          href: '/staff/transfers',
          text: 'Go to transfers',
        });
      default:
        return transferPage(c, deps, {
          errors: [{ field: error.field ?? 'facts', message: error.message }],
          reason,
          status: error.code === 'invalid' ? 400 : 409,
        });
    }
  }
  return decision === 'accept'
    ? c.redirect(`/staff/cases/${caseId}/transfer?done=accepted`, 303)
    : c.redirect('/staff/transfers?done=declined', 303);
}

export const transfersPages: Feature = (app, deps, policies) => {
  const read = staffAction('cases.read');
  const write = staffAction('cases.write');
  const decide = staffAction('transfers.decide');
  policies.declare('GET', '/staff/cases/:id/transfer', read);
  policies.declare('POST', '/staff/cases/:id/transfer', write);
  policies.declare('POST', '/staff/cases/:id/transfer/cancel', write);
  policies.declare('GET', '/staff/transfers', decide);
  policies.declare('GET', '/staff/transfers/:id', decide);
  policies.declare('POST', '/staff/transfers/:id/accept', decide);
  policies.declare('POST', '/staff/transfers/:id/decline', decide);
  app.get('/staff/cases/:id/transfer', (c) => caseTransferPage(c, deps));
  app.post('/staff/cases/:id/transfer', (c) => requestAction(c, deps));
  app.post('/staff/cases/:id/transfer/cancel', (c) => cancelAction(c, deps));
  app.get('/staff/transfers', (c) => transfersPage(c, deps));
  app.get('/staff/transfers/:id', (c) => transferPage(c, deps));
  app.post('/staff/transfers/:id/accept', (c) => decideAction(c, deps, 'accept'));
  app.post('/staff/transfers/:id/decline', (c) => decideAction(c, deps, 'decline'));
};
