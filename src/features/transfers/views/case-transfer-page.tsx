/**
 * A case's transfer tab `/staff/cases/:id/transfer`: ask another region to take the case, cancel the
 * request, the case's transfer history.
 */
import type { FC } from 'hono/jsx';
import { can } from '../../../platform/access.ts';
import { Time, type FieldError, type StaffView } from '../../../web/page.tsx';
import { Select, TextArea, errorFor } from '../../../web/forms.tsx';
import { CsrfField, StaffLayout } from '../../../web/staff-layout.tsx';
import { Actions, Alert, Button, DataTable, Panel } from '../../../web/ui.tsx';
import { CaseTabTop } from '../../cases/index.ts';
import { DECISION_BUSINESS_DAYS, type CaseTransfers } from '../rules.ts';
import { Outcome, Paragraphs, TransferCells, transferHead } from './decide-pages.tsx';

export interface RequestValues {
  toRegion: string;
  reason: string;
}

export const CaseTransferPage: FC<
  StaffView & {
    view: CaseTransfers;
    errors: FieldError[];
    values: RequestValues;
    message: string | null;
  }
> = ({ deps, frame, actor, view, errors, values, message }) => {
  const caseId = view.case.id;
  const pending = view.transfers.find((t) => t.status === 'requested') ?? null;
  const writable =
    view.case.status === 'open' && can(actor, 'cases.write', { regionId: view.case.region_id });
  return (
    <StaffLayout frame={frame} title="Transfer">
      <CaseTabTop view={view} current="transfer" errors={errors} message={message} />
      {pending ? (
        <Panel id="pending-h" heading={`Waiting for ${pending.toRegionName} to decide`}>
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
              <Actions>
                <Button variant="outline">Cancel the request</Button>
              </Actions>
            </form>
          ) : null}
        </Panel>
      ) : writable ? (
        <Panel id="request-h" heading="Ask another region to take this case">
          <form
            method="post"
            action={`/staff/cases/${caseId}/transfer`}
            aria-labelledby="request-h"
            novalidate
            class="usa-form"
          >
            <p>
              When a young person moves, their case can move with them. The receiving region’s navigators see
              the age band, the county and your reason, then accept or decline. If they accept:
            </p>
            <ul class="usa-list">
              <li>the case moves to their region, and you and your region’s navigators no longer see it;</li>
              <li>its open tasks move to them, unassigned;</li>
              <li>its history — notes, timeline, safety plan, transfers — stays with the case.</li>
            </ul>
            <CsrfField token={frame.csrf} />
            <Select
              id="toRegion"
              label="Region the young person has moved to"
              placeholder="Choose a region"
              options={view.regions.map((r) => ({ value: r.id, label: r.name }))}
              value={values.toRegion}
              error={errorFor(errors, 'toRegion')}
            />
            <TextArea
              id="reason"
              label="Why the case should move"
              hint="Kept encrypted. Say what the receiving navigators need to decide, for example where the young person now stays — not more."
              rows={4}
              maxlength={1000}
              value={values.reason}
              error={errorFor(errors, 'reason')}
            />
            <Actions>
              <Button>Ask for the transfer</Button>
            </Actions>
          </form>
        </Panel>
      ) : (
        <Alert type="info" slim>
          {view.case.status !== 'open'
            ? 'This case is closed: it cannot be transferred.'
            : 'Only the navigators of the case’s region can ask for a transfer.'}
        </Alert>
      )}
      <Panel id="history-h" heading="Transfer history">
        {view.transfers.length ? (
          <DataTable
            label="Transfers of this case"
            caption="Transfers of this case, newest first"
            head={transferHead(true)}
            id="transfers"
          >
            {view.transfers.map((t) => (
              <tr>
                <TransferCells deps={deps} actor={actor} t={t} />
                <td>{t.reason ?? '—'}</td>
                <td>
                  <Outcome t={t} />
                  {t.decidedAt ? (
                    <>
                      {' '}
                      (<Time deps={deps} at={t.decidedAt} show="date-time" />
                      {t.decidedBy ? `, ${t.decidedBy.id === actor.userId ? 'you' : t.decidedBy.name}` : ''})
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p>This case has not been transferred.</p>
        )}
      </Panel>
    </StaffLayout>
  );
};
