/**
 * Referral pages:
 * - the case's Referrals tab (`/staff/cases/:id/referrals`): the case's referrals and what each shows its
 *   organization today, and the form to refer (de-identified, or with identifying details when an
 *   active consent covers the organization);
 * - the referrals inbox (`/staff/referrals`): received by the person's organization, or sent from their
 *   regions (navigators), with status filters and the person's referral notifications;
 * - one referral (`/staff/referrals/:id`): for the receiving organization only what consent allows
 *   (re-checked at every read), the message, the history, and the steps the viewer may take.
 *
 * Thin: every read and change goes through `service.ts`, audited there. A referral or case the person
 * may not see answers 404, like a missing one.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, Feature } from '../../app-types.ts';
import { mayTake, type Actor } from '../../platform/access.ts';
import { ServiceError } from '../../platform/errors.ts';
import { staffAction } from '../../platform/policy.ts';
import { renderPage } from '../../web/http.ts';
import {
  doneNote,
  formText,
  freshForm,
  messagePage,
  readForm,
  type Form,
  type FormState,
  type Guarded,
} from '../../web/page.tsx';
import { router, type StaffHandler } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import type { RequestOrigin } from '../accounts/service.ts';
import { forbiddenPage, notFoundPage, respondRole } from '../cases/index.ts';
import { coveringOrganizations } from '../consents/service.ts';
import { inboxFilters } from './schema.ts';
import {
  listOutsideReferrals,
  outsideServices,
  recordOutsideReferral,
  updateOutsideReferral,
} from './outside.ts';
import {
  createReferral,
  listCaseReferrals,
  openReferral,
  postMessage,
  referralContext,
  referralInbox,
  referralTargets,
  transitionReferral,
  type ReferralContext,
} from './service.ts';
import {
  CaseReferralsTab,
  EMPTY,
  OUTSIDE_EMPTY,
  type OutsideValues,
  type ReferralValues,
} from './views/case-referrals.tsx';
import { Inbox } from './views/inbox.tsx';
import { ReferralPage, type ReferralFormValues } from './views/referral.tsx';

const CASE_DONE: Record<string, string> = {
  outside: 'Outside referral recorded. Update its status here when you hear back.',
  outside_status: 'Outside referral updated.',
  sent: 'Referral sent. The organization has been told, and you will be told when they answer.',
  draft: 'Referral saved as a draft. Open it to send it.',
};

const DETAIL_DONE: Record<string, string> = {
  draft: 'Saved as a draft. The organization does not see it until you send it.',
  sent: 'Referral sent. The organization has been told.',
  accepted: 'Accepted. The sending navigator has been told.',
  declined: 'Declined. The sending navigator has been told.',
  no_response: 'Marked as no answer.',
  in_service: 'Recorded that the service has started.',
  completed: 'Completed.',
  closed: 'Closed.',
  withdrawn: 'Withdrawn.',
  message: 'Message sent. The other side has been told there is a new message.',
};

const NO_VALUES: ReferralFormValues = { to: '', reason: '', note: '', body: '' };

const refusal = (who: string) => `Your role does not include this page. ${who}`;
const ANSWERERS = {
  refusal: refusal('Provider staff, organization administrators and navigators answer referrals.'),
  allowed: respondRole,
};
/** Reading a referral: both sides, and state administrators, who oversee the network (read only). */
const READERS = {
  refusal: refusal(
    'Provider staff, organization administrators and navigators answer referrals; state administrators read them.',
  ),
  allowed: (actor: Actor) => respondRole(actor) || mayTake(actor, 'cases.read'),
};

/**
 * A refused change or read as the page says it: 404 (and 403 for a change) with a link back; for a
 * change, `again` shows the form again with the error (409, 400). Anything else goes on.
 */
function refused(
  c: Context,
  { frame }: Guarded,
  error: unknown,
  back: { notFound: string; forbidden?: string },
  again?: (error: ServiceError) => Promise<Response>,
): Promise<Response> {
  if (!(error instanceof ServiceError)) throw error;
  if (error.code === 'not_found') return notFoundPage(c, frame, error.message, back.notFound);
  if (!again) throw error;
  if (error.code === 'forbidden')
    return forbiddenPage(c, frame, error.message, back.forbidden ?? back.notFound);
  return again(error);
}

const statusOf = (error: ServiceError): ContentfulStatusCode => (error.code === 'conflict' ? 409 : 400);

/** Where a refused change about a case links back to. */
const CASE_BACK = { notFound: '/staff' };

/** Where a refused change to a referral links back to. */
const referralBack = (id: string) => ({
  notFound: '/staff/referrals',
  forbidden: `/staff/referrals/${id.toLowerCase()}`,
});

/** The outside-referral form's fields, by the names the service gives them. */
const OUTSIDE_FIELDS: Record<string, string> = {
  directoryServiceId: 'directoryServiceId',
  serviceType: 'outsideServiceType',
  note: 'outsideNote',
};

/**
 * A form posted about the record of the path's `:id`, in one shape: `read` takes the form's values,
 * `change` makes the change through the service, then the person goes to `next` (303); a refused change
 * answers 404 or 403 linking `back`, or shows the page `again` with the error (409, 400).
 */
function formPost<V, T>(
  deps: AppDeps,
  post: {
    read: (form: Form) => V;
    change: (ctx: ReferralContext, actor: Actor, id: string, values: V, origin: RequestOrigin) => Promise<T>;
    back: (id: string) => { notFound: string; forbidden?: string };
    again: (c: Context, guarded: Guarded, error: ServiceError, values: V) => Promise<Response>;
    next: (id: string, values: V, result: T) => string;
  },
): StaffHandler {
  return async (c, guarded) => {
    const id = c.req.param('id') ?? '';
    const values = post.read(await readForm(c));
    let result: T;
    try {
      result = await post.change(referralContext(deps), guarded.actor, id, values, requestOrigin(c));
    } catch (error) {
      return refused(c, guarded, error, post.back(id), (e) => post.again(c, guarded, e, values));
    }
    return c.redirect(post.next(id, values, result), 303);
  };
}

async function caseReferralsPage(
  c: Context,
  deps: AppDeps,
  guarded: Guarded,
  state: FormState<ReferralValues> & { outside?: OutsideValues } = freshForm(EMPTY),
): Promise<Response> {
  const ctx = referralContext(deps);
  let data;
  try {
    data = await listCaseReferrals(ctx, guarded.actor, c.req.param('id') ?? '', requestOrigin(c));
  } catch (error) {
    return refused(c, guarded, error, { notFound: '/staff' });
  }
  const mayWrite = data.mayWrite && data.caseOpen;
  const [organizations, covering, services] = mayWrite
    ? await Promise.all([referralTargets(ctx), coveringOrganizations(ctx, data.caseId), outsideServices(ctx)])
    : [[], [], []];
  const outside = await listOutsideReferrals(ctx, guarded.actor, data.caseId);
  return renderPage(
    c,
    <CaseReferralsTab
      deps={deps}
      frame={guarded.frame}
      data={data}
      mayWrite={mayWrite}
      organizations={organizations}
      covering={covering}
      outside={outside}
      services={services}
      outsideValues={state.outside ?? OUTSIDE_EMPTY}
      errors={state.errors}
      done={doneNote(c, CASE_DONE, state.status)}
      values={state.values}
    />,
    state.status,
  );
}

async function referralPage(
  c: Context,
  deps: AppDeps,
  guarded: Guarded,
  state: FormState<ReferralFormValues> = freshForm(NO_VALUES),
): Promise<Response> {
  let view;
  try {
    view = await openReferral(
      referralContext(deps),
      guarded.actor,
      c.req.param('id') ?? '',
      requestOrigin(c),
    );
  } catch (error) {
    return refused(c, guarded, error, { notFound: '/staff/referrals' });
  }
  return renderPage(
    c,
    <ReferralPage
      deps={deps}
      frame={guarded.frame}
      view={view}
      userId={guarded.actor.userId}
      errors={state.errors}
      done={doneNote(c, DETAIL_DONE, state.status)}
      values={state.values}
      now={new Date()}
    />,
    state.status,
  );
}

export const referralsPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);

  r.staff(
    'get',
    '/staff/cases/:id/referrals',
    staffAction('cases.read'),
    (c, guarded) => caseReferralsPage(c, deps, guarded),
    { refusal: refusal('Regional navigators and state administrators see cases.') },
  );

  r.staff(
    'post',
    '/staff/cases/:id/referrals',
    staffAction('cases.write'),
    formPost(deps, {
      read: (form) => ({
        values: {
          toOrganizationId: formText(form, 'toOrganizationId').trim(),
          serviceType: formText(form, 'serviceType'),
          shareIdentifying: formText(form, 'shareIdentifying'),
          message: formText(form, 'message'),
        },
        send: formText(form, 'send') === 'yes',
      }),
      change: (ctx, actor, caseId, { values, send }, origin) =>
        createReferral(
          ctx,
          actor,
          caseId,
          { ...values, shareIdentifying: values.shareIdentifying === 'yes', send },
          origin,
        ),
      back: () => CASE_BACK,
      again: (c, guarded, e, { values }) =>
        caseReferralsPage(c, deps, guarded, {
          errors: [{ field: e.field ?? 'refer-h', message: e.message }],
          values,
          status: statusOf(e),
        }),
      next: (caseId, { send }, created) =>
        send
          ? `/staff/cases/${caseId.toLowerCase()}/referrals?done=sent`
          : `/staff/referrals/${created.id}?done=draft`,
    }),
    { refusal: refusal('Regional navigators make referrals.') },
  );

  r.staff(
    'post',
    '/staff/cases/:id/outside-referrals',
    staffAction('cases.write'),
    formPost(deps, {
      read: (form): OutsideValues => ({
        directoryServiceId: formText(form, 'directoryServiceId'),
        outsideServiceType: formText(form, 'outsideServiceType'),
        outsideNote: formText(form, 'outsideNote'),
      }),
      change: (ctx, actor, caseId, outside, origin) =>
        recordOutsideReferral(
          ctx,
          actor,
          caseId,
          {
            directoryServiceId: outside.directoryServiceId,
            serviceType: outside.outsideServiceType,
            note: outside.outsideNote,
          },
          origin,
        ),
      back: () => CASE_BACK,
      again: (c, guarded, e, outside) =>
        caseReferralsPage(c, deps, guarded, {
          errors: [{ field: OUTSIDE_FIELDS[e.field ?? ''] ?? 'outside-h', message: e.message }],
          values: EMPTY,
          outside,
          status: statusOf(e),
        }),
      next: (caseId) => `/staff/cases/${caseId.toLowerCase()}/referrals?done=outside#outside-h`,
    }),
    { refusal: refusal('Regional navigators make referrals.') },
  );

  r.staff(
    'post',
    '/staff/outside-referrals/:id/status',
    staffAction('cases.write'),
    formPost(deps, {
      read: (form) => ({ status: formText(form, 'status') }),
      change: updateOutsideReferral,
      back: () => ({ notFound: '/staff/cases' }),
      again: (c, guarded, e) =>
        messagePage(c, guarded.frame, statusOf(e), 'This referral cannot change', e.message, {
          href: '/staff/cases',
          text: 'Go to cases',
        }),
      next: (_id, _values, { caseId }) => `/staff/cases/${caseId}/referrals?done=outside_status#outside-h`,
    }),
    { refusal: refusal('Regional navigators update referrals.') },
  );

  r.staff(
    'get',
    '/staff/referrals',
    staffAction('referrals.respond', 'cases.read'),
    async (c, { actor, frame }) => {
      const inbox = await referralInbox(referralContext(deps), actor, (boxes) =>
        inboxFilters(boxes, { box: c.req.query('box') ?? '', view: c.req.query('view') ?? '' }),
      );
      return renderPage(
        c,
        <Inbox deps={deps} frame={frame} now={new Date()} {...inbox} />,
        inbox.errors.length ? 400 : 200,
      );
    },
    READERS,
  );

  r.staff(
    'get',
    '/staff/referrals/:id',
    staffAction('referrals.respond', 'cases.read'),
    (c, guarded) => referralPage(c, deps, guarded),
    READERS,
  );

  r.staff(
    'post',
    '/staff/referrals/:id/messages',
    staffAction('referrals.respond'),
    formPost(deps, {
      read: (form) => ({ ...NO_VALUES, body: formText(form, 'body') }),
      change: (ctx, actor, id, values, origin) => postMessage(ctx, actor, id, { body: values.body }, origin),
      back: referralBack,
      again: (c, guarded, e, values) =>
        referralPage(c, deps, guarded, {
          errors: [{ field: e.field === 'body' ? 'body' : 'summary', message: e.message }],
          values,
          status: statusOf(e),
        }),
      next: (id) => `/staff/referrals/${id.toLowerCase()}?done=message#thread`,
    }),
    ANSWERERS,
  );

  r.staff(
    'post',
    '/staff/referrals/:id/transitions',
    staffAction('referrals.respond'),
    formPost(deps, {
      read: (form) => ({
        ...NO_VALUES,
        to: formText(form, 'to'),
        reason: formText(form, 'reason'),
        note: formText(form, 'note'),
      }),
      change: (ctx, actor, id, values, origin) =>
        transitionReferral(
          ctx,
          actor,
          id,
          { to: values.to, reason: values.reason || null, note: values.note },
          origin,
        ),
      back: referralBack,
      again: (c, guarded, e, values) =>
        referralPage(c, deps, guarded, {
          errors: [
            {
              field: e.field === 'reason' || e.field === 'note' ? `${e.field}-${values.to}` : 'summary',
              message: e.message,
            },
          ],
          values,
          status: statusOf(e),
        }),
      next: (id, values) => `/staff/referrals/${id.toLowerCase()}?done=${encodeURIComponent(values.to)}`,
    }),
    ANSWERERS,
  );
};
