/**
 * The staff pages of transfers: a case's transfer tab `/staff/cases/:id/transfer` (ask another region
 * to take the case, cancel the request, the case's transfer history), and the receiving region's
 * `/staff/transfers` (what waits for a decision, and recent transfers out of the person's regions) with
 * one transfer's decision page `/staff/transfers/:id` (accept, or decline with a reason). Thin: every
 * read and change goes through `service.ts`; the pages are in `views/`.
 */
import type { Context } from 'hono';
import type { AppDeps, Feature } from '../../app-types.ts';
import { mayTake } from '../../platform/access.ts';
import { staffAction } from '../../platform/policy.ts';
import { renderPage } from '../../web/http.ts';
import {
  cannotDoPage,
  doneNote,
  formStatus,
  formText,
  freshForm,
  loadOr,
  messagePage,
  readForm,
  roleRefusal,
  serviceError,
  staffView,
  type FormState,
  type Guarded,
} from '../../web/page.tsx';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import { caseNotFound } from '../cases/index.ts';
import { coordinationContext } from '../tasks/service.ts';
import {
  cancelTransfer,
  caseTransfers,
  decideTransfer,
  incomingTransfers,
  networkTransfers,
  openTransfer,
  outgoingTransfers,
  requestTransfer,
} from './service.ts';
import { CaseTransferPage, type RequestValues } from './views/case-transfer-page.tsx';
import { DecisionPage, NetworkTransfersPage, TransfersPage } from './views/decide-pages.tsx';

const CASE_DONE: Record<string, string> = {
  requested: 'The transfer is asked for. The receiving region’s navigators have been told.',
  cancelled: 'The transfer request is cancelled. The case stays with your region.',
  accepted: 'You accepted the transfer: the case is now in your region, and you are its navigator.',
};

const LIST_DONE: Record<string, string> = {
  declined: 'You declined the transfer. The region that asked has been told; the case stays with them.',
};

const TO_TRANSFERS = { href: '/staff/transfers', text: 'Go to transfers' };

async function caseTransferPage(
  c: Context,
  deps: AppDeps,
  { actor, frame }: Guarded,
  state: FormState<RequestValues> = freshForm({ toRegion: '', reason: '' }),
): Promise<Response> {
  const view = await loadOr(
    caseTransfers(coordinationContext(deps), actor, c.req.param('id') ?? '', requestOrigin(c)),
    () => caseNotFound(c, frame),
  );
  if (view instanceof Response) return view;
  return renderPage(
    c,
    <CaseTransferPage
      {...staffView(deps, { frame, actor })}
      view={view}
      errors={state.errors}
      values={state.values}
      message={doneNote(c, CASE_DONE, state.status)}
    />,
    state.status,
  );
}

async function requestAction(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
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
  } catch (thrown) {
    const error = serviceError(thrown);
    if (error.code === 'not_found') return caseNotFound(c, g.frame);
    if (error.code === 'forbidden')
      return cannotDoPage(c, g.frame, error, { href: `/staff/cases/${caseId}/transfer`, text: 'Go back' });
    return caseTransferPage(c, deps, g, {
      errors: [{ field: error.field ?? 'toRegion', message: error.message }],
      values,
      status: formStatus(error),
    });
  }
  return c.redirect(`/staff/cases/${caseId.toLowerCase()}/transfer?done=requested`, 303);
}

async function cancelAction(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const caseId = c.req.param('id') ?? '';
  try {
    await cancelTransfer(coordinationContext(deps), g.actor, caseId, requestOrigin(c));
  } catch (thrown) {
    const error = serviceError(thrown);
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

async function transfersPage(c: Context, deps: AppDeps, { actor, frame }: Guarded): Promise<Response> {
  const ctx = coordinationContext(deps);
  if (!mayTake(actor, 'transfers.decide')) {
    // A state administrator oversees the network: every region's transfers, read-only.
    const network = await networkTransfers(ctx, actor, requestOrigin(c));
    return renderPage(c, <NetworkTransfersPage {...staffView(deps, { frame, actor })} {...network} />);
  }
  const [waiting, outgoing] = await Promise.all([
    incomingTransfers(ctx, actor, requestOrigin(c)),
    outgoingTransfers(ctx, actor),
  ]);
  return renderPage(
    c,
    <TransfersPage
      {...staffView(deps, { frame, actor })}
      waiting={waiting}
      outgoing={outgoing}
      message={doneNote(c, LIST_DONE)}
    />,
  );
}

async function transferPage(
  c: Context,
  deps: AppDeps,
  { actor, frame }: Guarded,
  state: FormState<string> = freshForm(''),
): Promise<Response> {
  const t = await loadOr(
    openTransfer(coordinationContext(deps), actor, c.req.param('id') ?? '', requestOrigin(c)),
    (error) => messagePage(c, frame, 404, 'Transfer not found', error.message, TO_TRANSFERS),
  );
  if (t instanceof Response) return t;
  return renderPage(
    c,
    <DecisionPage {...staffView(deps, { frame, actor })} t={t} errors={state.errors} reason={state.values} />,
    state.status,
  );
}

async function decideAction(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  decision: 'accept' | 'decline',
): Promise<Response> {
  const id = c.req.param('id') ?? '';
  const reason = formText(await readForm(c), 'reason');
  let caseId: string;
  try {
    ({ caseId } = await decideTransfer(
      coordinationContext(deps),
      g.actor,
      id,
      { decision, reason },
      requestOrigin(c),
    ));
  } catch (thrown) {
    const error = serviceError(thrown);
    if (error.code === 'not_found')
      return messagePage(c, g.frame, 404, 'Transfer not found', error.message, TO_TRANSFERS);
    if (error.code === 'forbidden') return cannotDoPage(c, g.frame, error, TO_TRANSFERS);
    return transferPage(c, deps, g, {
      errors: [{ field: error.field ?? 'facts', message: error.message }],
      values: reason,
      status: formStatus(error),
    });
  }
  return decision === 'accept'
    ? c.redirect(`/staff/cases/${caseId}/transfer?done=accepted`, 303)
    : c.redirect('/staff/transfers?done=declined', 303);
}

export const transfersPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const read = staffAction('cases.read');
  const write = staffAction('cases.write');
  const decide = staffAction('transfers.decide');
  const seeCases = roleRefusal('Regional navigators and state administrators see cases.');
  const transfer = roleRefusal('Regional navigators transfer cases.');
  const decides = roleRefusal('Regional navigators decide transfers into their regions.');
  r.staff('get', '/staff/cases/:id/transfer', read, (c, g) => caseTransferPage(c, deps, g), seeCases);
  r.staff('post', '/staff/cases/:id/transfer', write, (c, g) => requestAction(c, deps, g), transfer);
  r.staff('post', '/staff/cases/:id/transfer/cancel', write, (c, g) => cancelAction(c, deps, g), transfer);
  r.staff(
    'get',
    '/staff/transfers',
    read,
    (c, g) => transfersPage(c, deps, g),
    roleRefusal('Regional navigators decide transfers; state administrators oversee them.'),
  );
  r.staff('get', '/staff/transfers/:id', decide, (c, g) => transferPage(c, deps, g), decides);
  const accept = (c: Context, g: Guarded) => decideAction(c, deps, g, 'accept');
  r.staff('post', '/staff/transfers/:id/accept', decide, accept, decides);
  r.staff(
    'post',
    '/staff/transfers/:id/decline',
    decide,
    (c, g) => decideAction(c, deps, g, 'decline'),
    decides,
  );
};
