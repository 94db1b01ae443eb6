/**
 * The receiving region's pages: `/staff/transfers` (what waits for a decision, and recent transfers
 * out of the person's regions) and one transfer's decision page `/staff/transfers/:id`.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import { can, type Actor } from '../../../platform/access.ts';
import { ColumnHeads, Success, Time, type FieldError } from '../../../web/page.tsx';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { AGE_BAND_NAMES } from '../../queue/service.ts';
import {
  DECLINE_REASONS,
  outcomeText,
  type DeclineReason,
  type IncomingTransfer,
  type TransferSummary,
} from '../rules.ts';

export const Paragraphs: FC<{ text: string }> = ({ text }) => (
  <>
    {text
      .split(/\r?\n\r?\n/)
      .filter((p) => p.trim())
      .map((p) => (
        <p>{p}</p>
      ))}
  </>
);

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

/** The head of a table of transfers: when asked, from, to, by whom, (the reason,) the outcome. */
export const TransferHead: FC<{ reason?: boolean }> = ({ reason }) => (
  <ColumnHeads names={['Asked', 'From', 'To', 'Asked by', reason === true && 'Reason', 'Outcome']} />
);

/** The first cells of a transfer's row: when asked, from, to, by whom. */
export const TransferCells: FC<{ deps: AppDeps; actor: Actor; t: TransferSummary }> = ({
  deps,
  actor,
  t,
}) => (
  <>
    <td>
      <Time deps={deps} at={t.requestedAt} />
    </td>
    <td>{t.fromRegionName}</td>
    <td>{t.toRegionName}</td>
    <td>{t.requestedBy.id === actor.userId ? 'You' : t.requestedBy.name}</td>
  </>
);

export const TransfersPage: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  actor: Actor;
  waiting: IncomingTransfer[];
  outgoing: TransferSummary[];
  message: string | null;
}> = ({ deps, frame, actor, waiting, outgoing, message }) => (
  <StaffLayout frame={frame} title="Transfers">
    <Success message={message} />
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
        <TransferHead />
        <tbody>
          {outgoing.map((t) => (
            <tr>
              <TransferCells deps={deps} actor={actor} t={t} />
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
  </StaffLayout>
);

export const DecisionPage: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  actor: Actor;
  t: IncomingTransfer;
  errors: FieldError[];
  reason: string;
}> = ({ deps, frame, actor, t, errors, reason }) => {
  const waiting = t.status === 'requested';
  return (
    <StaffLayout frame={frame} title={`Transfer from ${t.fromRegionName}`}>
      <ErrorSummary errors={errors} />
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
                  <input type="radio" name="reason" value={code} checked={reason === code} />{' '}
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
    </StaffLayout>
  );
};
