/**
 * A case's transfer tab `/staff/cases/:id/transfer`: ask another region to take the case, cancel the
 * request, the case's transfer history.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import { can, type Actor } from '../../../platform/access.ts';
import { Choice, Success, Time, type FieldError } from '../../../web/page.tsx';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { CaseHeading } from '../../cases/index.ts';
import { DECISION_BUSINESS_DAYS, outcomeText, type CaseTransfers } from '../rules.ts';
import { Paragraphs, TransferCells, TransferHead } from './decide-pages.tsx';

export interface RequestValues {
  toRegion: string;
  reason: string;
}

export const CaseTransferPage: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  actor: Actor;
  view: CaseTransfers;
  errors: FieldError[];
  values: RequestValues;
  message: string | null;
}> = ({ deps, frame, actor, view, errors, values, message }) => {
  const caseId = view.case.id;
  const pending = view.transfers.find((t) => t.status === 'requested') ?? null;
  const writable =
    view.case.status === 'open' && can(actor, 'cases.write', { regionId: view.case.region_id });
  return (
    <StaffLayout frame={frame} title="Transfer">
      <ErrorSummary errors={errors} />
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
            selected={values.toRegion}
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
            {values.reason}
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
          <TransferHead reason />
          <tbody>
            {view.transfers.map((t) => (
              <tr>
                <TransferCells deps={deps} actor={actor} t={t} />
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
    </StaffLayout>
  );
};
