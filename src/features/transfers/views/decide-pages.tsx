/**
 * The receiving region's pages: `/staff/transfers` (what waits for a decision, and recent transfers
 * out of the person's regions) and one transfer's decision page `/staff/transfers/:id`; and the state
 * administrators' read-only view of every region's transfers.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import { can, type Actor } from '../../../platform/access.ts';
import { Success, Time, type FieldError, type StaffView } from '../../../web/page.tsx';
import { Ticks, labelledOptions } from '../../../web/forms.tsx';
import { CsrfField, ErrorSummary, StaffLayout } from '../../../web/staff-layout.tsx';
import {
  Actions,
  Button,
  Panel,
  SrOnly,
  SummaryList,
  TableOrNone,
  Tag,
  type Tone,
} from '../../../web/ui.tsx';
import { AGE_BAND_NAMES } from '../../queue/service.ts';
import { DECLINE_REASONS, outcomeText, type IncomingTransfer, type TransferSummary } from '../rules.ts';

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

const TONES: Record<TransferSummary['status'], Tone> = {
  requested: 'warning',
  accepted: 'success',
  declined: 'error',
  cancelled: 'base',
};

/** A transfer's outcome as a tag (the words say it; the colour only helps). */
export const Outcome: FC<{ t: Pick<TransferSummary, 'status' | 'declineReason'> }> = ({ t }) => (
  <Tag tone={TONES[t.status]}>{outcomeText(t)}</Tag>
);

const IncomingFacts: FC<{ deps: AppDeps; t: IncomingTransfer }> = ({ deps, t }) => (
  <div id="facts" tabindex={-1}>
    <SummaryList
      label="The transfer"
      rows={[
        ['From', t.fromRegionName],
        ['To', t.toRegionName],
        [
          'Asked',
          <>
            <Time deps={deps} at={t.requestedAt} />, by {t.requestedBy.name}
          </>,
        ],
        ['Age', AGE_BAND_NAMES[t.ageBand]],
        ['County on the case', t.countyName ?? 'Not known'],
        ['Status', <Outcome t={t} />],
      ]}
    />
  </div>
);

/** The column names of a table of transfers: when asked, from, to, by whom, (the reason,) the outcome. */
export const transferHead = (reason = false) => [
  'Asked',
  'From',
  'To',
  'Asked by',
  reason && 'Reason',
  'Outcome',
];

/** The first cells of a transfer's row: when asked, from, to, by whom. */
export const TransferCells: FC<{ deps: AppDeps; actor: Actor; t: TransferSummary }> = ({
  deps,
  actor,
  t,
}) => (
  <>
    <td>
      <Time deps={deps} at={t.requestedAt} show="date-time" />
    </td>
    <td>{t.fromRegionName}</td>
    <td>{t.toRegionName}</td>
    <td>{t.requestedBy.id === actor.userId ? 'You' : t.requestedBy.name}</td>
  </>
);

/** A transfer waiting for the reader's decision, as a row. */
const IncomingRow: FC<{ deps: AppDeps; t: IncomingTransfer }> = ({ deps, t }) => (
  <tr>
    <th scope="row">
      <a href={`/staff/transfers/${t.id}`} class="text-bold">
        From {t.fromRegionName}
        <SrOnly>, asked {deps.rules.calendar.describe(t.requestedAt)}: decide</SrOnly>
      </a>
    </th>
    <td>
      <Time deps={deps} at={t.requestedAt} show="date-time" />
    </td>
    <td>{AGE_BAND_NAMES[t.ageBand]}</td>
    <td>{t.countyName ?? 'Not known'}</td>
    <td>{t.reason ? <Paragraphs text={t.reason} /> : 'No reason given'}</td>
  </tr>
);

/** A transfer asked for by the reader's regions, as a row, with a link to it where they may open the case. */
const OutgoingRow: FC<{ deps: AppDeps; actor: Actor; t: TransferSummary }> = ({ deps, actor, t }) => (
  <tr>
    <TransferCells deps={deps} actor={actor} t={t} />
    <td>
      <Outcome t={t} />
      {can(actor, 'cases.read', { regionId: t.fromRegionId }) && t.status !== 'accepted' ? (
        <>
          {' '}
          <a href={`/staff/cases/${t.caseId}/transfer`}>
            Open
            <SrOnly> the transfer asked {deps.rules.calendar.describe(t.requestedAt)}</SrOnly>
          </a>
        </>
      ) : null}
    </td>
  </tr>
);

export const TransfersPage: FC<
  StaffView & {
    waiting: IncomingTransfer[];
    outgoing: TransferSummary[];
    message: string | null;
  }
> = ({ deps, frame, actor, waiting, outgoing, message }) => (
  <StaffLayout frame={frame} title="Transfers">
    <Success message={message} />
    <Panel id="incoming-h" heading={`Waiting for your decision (${waiting.length})`}>
      <TableOrNone
        label="Transfers waiting for your decision"
        head={['From', 'Asked', 'Age', 'County', 'Reason']}
        id="incoming"
        items={waiting}
        none="No transfers are waiting for your regions."
        row={(t) => <IncomingRow deps={deps} t={t} />}
      />
    </Panel>
    <Panel id="outgoing-h" heading="Asked for by your regions">
      <TableOrNone
        label="Transfers out of your regions"
        caption="Recent transfers out of your regions, newest first"
        head={transferHead()}
        id="outgoing"
        items={outgoing}
        none="Your regions have not asked for transfers recently."
        row={(t) => <OutgoingRow deps={deps} actor={actor} t={t} />}
      />
    </Panel>
  </StaffLayout>
);

/** A state administrator's view of the network's transfers: read-only, no personal data. */
export const NetworkTransfersPage: FC<
  StaffView & { waiting: TransferSummary[]; recent: TransferSummary[] }
> = ({ deps, frame, actor, waiting, recent }) => {
  const row = (t: TransferSummary) => (
    <tr>
      <TransferCells deps={deps} actor={actor} t={t} />
      <td>
        <Outcome t={t} />
      </td>
    </tr>
  );
  return (
    <StaffLayout frame={frame} title="Transfers across the network">
      <p>
        Cases moving between regions. The receiving region’s navigators decide; this view is for oversight and
        cannot change a transfer.
      </p>
      {[
        {
          id: 'waiting',
          heading: `Waiting for a decision (${waiting.length})`,
          label: 'Transfers waiting for a decision',
          items: waiting,
          none: 'No transfers are waiting for a decision.',
        },
        {
          id: 'recent',
          heading: 'Recently decided or cancelled',
          label: 'Recent transfers',
          caption: 'Newest first',
          items: recent,
          none: 'No transfers yet.',
        },
      ].map(({ id, heading, ...table }) => (
        <Panel id={`${id}-h`} heading={heading}>
          <TableOrNone {...table} head={transferHead()} id={id} row={row} />
        </Panel>
      ))}
    </StaffLayout>
  );
};

export const DecisionPage: FC<
  StaffView & {
    t: IncomingTransfer;
    errors: FieldError[];
    reason: string;
  }
> = ({ deps, frame, actor, t, errors, reason }) => {
  const waiting = t.status === 'requested';
  const reasonError = errors.find((e) => e.field === 'reason');
  return (
    <StaffLayout frame={frame} title={`Transfer from ${t.fromRegionName}`}>
      <ErrorSummary errors={errors} />
      <p>
        <a href="/staff/transfers">Back to transfers</a>
      </p>
      <div class="nwd-columns">
        <div>
          <Panel id="facts-h" heading="The transfer">
            <IncomingFacts deps={deps} t={t} />
          </Panel>
          <Panel id="why-h" heading="Why the case should move">
            {t.reason ? <Paragraphs text={t.reason} /> : <p>No reason given.</p>}
          </Panel>
        </div>
        <div>
          {waiting ? (
            <>
              <Panel id="accept-h" heading="Accept">
                <form method="post" action={`/staff/transfers/${t.id}/accept`} aria-labelledby="accept-h">
                  <p>
                    The case moves to {t.toRegionName}: you become its navigator, its open tasks come to your
                    region unassigned, and {t.fromRegionName} no longer sees it. Its history comes with it.
                  </p>
                  <CsrfField token={frame.csrf} />
                  <Button>Accept the transfer</Button>
                </form>
              </Panel>
              <Panel id="decline-h" heading="Decline">
                <form
                  method="post"
                  action={`/staff/transfers/${t.id}/decline`}
                  aria-labelledby="decline-h"
                  novalidate
                  class="usa-form"
                >
                  <CsrfField token={frame.csrf} />
                  <fieldset
                    id="reason"
                    class={`usa-fieldset usa-form-group${reasonError ? ' usa-form-group--error' : ''}`}
                  >
                    <legend class="usa-legend">Why you decline (the region that asked sees this)</legend>
                    {reasonError ? <span class="usa-error-message">{reasonError.message}</span> : null}
                    <Ticks
                      type="radio"
                      name="reason"
                      options={labelledOptions(DECLINE_REASONS)}
                      checked={(code) => reason === code}
                    />
                  </fieldset>
                  <Actions>
                    <Button variant="danger">Decline the transfer</Button>
                  </Actions>
                </form>
              </Panel>
            </>
          ) : t.status === 'accepted' && can(actor, 'cases.read', { regionId: t.toRegionId }) ? (
            <Actions>
              <a class="usa-button" href={`/staff/cases/${t.caseId}/tasks`}>
                Open the case’s tasks
              </a>
            </Actions>
          ) : null}
        </div>
      </div>
    </StaffLayout>
  );
};
