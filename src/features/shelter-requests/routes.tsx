/**
 * The staff pages of shelter requests: a case's Housing tab `/staff/cases/:id/housing` (placements,
 * requests, the form that asks for a bed), `/staff/shelter-requests` (the open requests to the provider's
 * programs), one request `/staff/shelter-requests/:id` (its answers; the navigator confirms one), and the
 * posts that send, answer, confirm and end a placement. Thin: every read and change goes through the
 * service; the pages are in `views/`.
 */
import type { Context } from 'hono';
import type { AppDeps, Feature } from '../../app-types.ts';
import { can } from '../../platform/access.ts';
import { staffAction } from '../../platform/policy.ts';
import { renderPage } from '../../web/http.ts';
import {
  doneNote,
  formList,
  formText,
  loadOr,
  messagePage,
  readForm,
  roleRefusal,
  serviceError,
  staffView,
  type FieldError,
  type Form,
  type Guarded,
} from '../../web/page.tsx';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import { caseNotFound } from '../cases/index.ts';
import { requestLink } from './rules.ts';
import { answerRequest, closeRequest, confirmOffer } from './offers.ts';
import { endPlacement, recordPlacement } from './placements.ts';
import { caseHousing, providerInbox, requestDetail, sendRequest, shelterContext } from './service.ts';
import { CaseHousingPage, type RequestValues, type StayValues } from './views/case-housing.tsx';
import { DONE_MESSAGES, InboxPage, RequestPage } from './views/pages.tsx';

const countiesOf = (deps: AppDeps) =>
  [...deps.geography.get().counties.values()]
    .map((c) => ({ fips: c.fips, name: c.name }))
    .sort((a, b) => a.name.localeCompare(b.name));

const countyName = (deps: AppDeps) => (fips: string) => deps.geography.get().counties.get(fips)?.name ?? fips;

function requestValues(form: Form): RequestValues {
  return {
    ageBand: formText(form, 'ageBand'),
    gender: formText(form, 'gender'),
    needs: formList(form, 'needs'),
    county: formText(form, 'county'),
    urgency: formText(form, 'urgency'),
    holdMinutes: formText(form, 'holdMinutes'),
  };
}

async function housingTab(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  state: { values?: RequestValues; stay?: StayValues; errors?: FieldError[]; status?: 200 | 400 | 409 } = {},
): Promise<Response> {
  const housing = await loadOr(
    caseHousing(shelterContext(deps), g.actor, c.req.param('id') ?? '', requestOrigin(c)),
    () => caseNotFound(c, g.frame),
  );
  if (housing instanceof Response) return housing;
  return renderPage(
    c,
    <CaseHousingPage
      {...staffView(deps, g)}
      housing={housing}
      counties={countiesOf(deps)}
      wentTo={deps.rules.vocabularies.exitHousing}
      values={
        state.values ?? {
          ageBand: '',
          gender: '',
          needs: [],
          county: housing.case.county_fips ?? '',
          urgency: 'tonight',
          holdMinutes: '',
        }
      }
      stay={state.stay ?? { programId: '', startedOn: '' }}
      errors={state.errors ?? []}
      message={doneNote(c, DONE_MESSAGES)}
    />,
    state.status ?? 200,
  );
}

async function sendPost(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const values = requestValues(await readForm(c));
  const caseId = c.req.param('id') ?? '';
  let id: string;
  try {
    ({ id } = await sendRequest(
      shelterContext(deps),
      g.actor,
      caseId,
      { ...values, holdMinutes: values.holdMinutes || undefined },
      requestOrigin(c),
    ));
  } catch (thrown) {
    const error = serviceError(thrown);
    if (error.code === 'not_found') return caseNotFound(c, g.frame);
    if (error.code === 'forbidden') throw error;
    const field = (error.field ?? 'ageBand').split('.')[0]!;
    return housingTab(c, deps, g, {
      values,
      errors: [{ field, message: error.message }],
      status: error.code === 'invalid' ? 400 : 409,
    });
  }
  return c.redirect(`/staff/shelter-requests/${id}?done=sent`, 303);
}

async function stayPost(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const form = await readForm(c);
  const stay = { programId: formText(form, 'programId'), startedOn: formText(form, 'startedOn') };
  const caseId = c.req.param('id') ?? '';
  try {
    await recordPlacement(shelterContext(deps), g.actor, caseId, stay, requestOrigin(c));
  } catch (thrown) {
    const error = serviceError(thrown);
    if (error.code === 'not_found') return caseNotFound(c, g.frame);
    if (error.code === 'forbidden') throw error;
    const field = (error.field ?? 'programId').split('.')[0]!;
    return housingTab(c, deps, g, {
      stay,
      errors: [{ field, message: error.message }],
      status: error.code === 'invalid' ? 400 : 409,
    });
  }
  return c.redirect(`/staff/cases/${caseId}/housing?done=recorded#placements`, 303);
}

async function requestPage(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  error: string | null = null,
  status = 200,
  closeError: string | null = null,
) {
  const ctx = shelterContext(deps);
  const request = await loadOr(requestDetail(ctx, g.actor, c.req.param('id') ?? ''), (e) =>
    messagePage(c, g.frame, 404, 'Request not found', e.message, {
      href: '/staff',
      text: 'Go to the staff home page',
    }),
  );
  if (request instanceof Response) return request;
  return renderPage(
    c,
    <RequestPage
      {...staffView(deps, g)}
      request={request}
      countyName={countyName(deps)(request.countyFips)}
      mayConfirm={can(g.actor, 'cases.write', { regionId: request.regionId })}
      done={doneNote(c, DONE_MESSAGES)}
      error={error}
      closeError={closeError}
    />,
    status as 200,
  );
}

async function answerPost(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const form = await readForm(c);
  const reasonKey = Object.keys(form).find((k) => k.startsWith('reason'));
  const answer = formText(form, 'answer');
  const input =
    answer === 'decline'
      ? {
          answer,
          programId: formText(form, 'programId'),
          reason: (reasonKey && formText(form, reasonKey)) || undefined,
        }
      : { answer, programId: formText(form, 'programId') };
  try {
    await answerRequest(shelterContext(deps), g.actor, c.req.param('id') ?? '', input, requestOrigin(c));
  } catch (thrown) {
    const error = serviceError(thrown);
    if (error.code === 'not_found')
      return messagePage(c, g.frame, 404, 'Request not found', error.message, BACK_INBOX);
    return messagePage(
      c,
      g.frame,
      error.code === 'invalid' ? 400 : 409,
      'Your answer was not sent',
      error.message,
      BACK_INBOX,
    );
  }
  return c.redirect('/staff/shelter-requests?done=answered', 303);
}

const BACK_INBOX = { href: '/staff/shelter-requests', text: 'Go back to the shelter requests' };

async function confirmPost(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const form = await readForm(c);
  const id = c.req.param('id') ?? '';
  let caseId: string;
  try {
    const request = await requestDetail(shelterContext(deps), g.actor, id);
    caseId = request.caseId;
    const done = await confirmOffer(
      shelterContext(deps),
      g.actor,
      id,
      { offerId: formText(form, 'offerId'), shareIdentifying: formText(form, 'shareIdentifying') === 'yes' },
      requestOrigin(c),
    );
    if (done.referralProblem)
      return messagePage(
        c,
        g.frame,
        200,
        'Bed confirmed',
        `The placement has started. The referral was not sent: ${done.referralProblem}`,
        {
          href: `/staff/cases/${caseId}/referrals`,
          text: 'Go to the case’s referrals',
        },
      );
  } catch (thrown) {
    const error = serviceError(thrown);
    if (error.code === 'not_found' && !error.field) return requestPage(c, deps, g);
    return requestPage(c, deps, g, error.message, error.code === 'invalid' ? 400 : 409);
  }
  return c.redirect(`/staff/cases/${caseId}/housing?done=confirmed`, 303);
}

async function closePost(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const form = await readForm(c);
  const id = c.req.param('id') ?? '';
  try {
    await closeRequest(
      shelterContext(deps),
      g.actor,
      id,
      { reason: formText(form, 'reason') || undefined },
      requestOrigin(c),
    );
  } catch (thrown) {
    const error = serviceError(thrown);
    if (error.code === 'not_found') return requestPage(c, deps, g);
    if (error.code === 'invalid') return requestPage(c, deps, g, null, 400, error.message);
    return requestPage(c, deps, g, error.message, 409);
  }
  return c.redirect(`${requestLink(id)}?done=closed`, 303);
}

async function endPost(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const form = await readForm(c);
  let caseId: string;
  try {
    ({ caseId } = await endPlacement(
      shelterContext(deps),
      g.actor,
      c.req.param('id') ?? '',
      { reason: formText(form, 'reason') || undefined, wentTo: formText(form, 'wentTo') },
      requestOrigin(c),
    ));
  } catch (thrown) {
    const error = serviceError(thrown);
    const status = error.code === 'not_found' ? 404 : error.code === 'invalid' ? 400 : 409;
    return messagePage(c, g.frame, status, 'The placement did not change', error.message, {
      href: '/staff/cases',
      text: 'Go to the cases',
    });
  }
  return c.redirect(`/staff/cases/${caseId}/housing?done=ended`, 303);
}

export const shelterRequestPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const read = staffAction('cases.read');
  const write = staffAction('cases.write');
  const manage = staffAction('housing.manage');
  const navigators = roleRefusal('Regional navigators see and change a case’s housing.');
  const providers = roleRefusal('Provider staff answer shelter requests for their programs.');
  r.staff('get', '/staff/cases/:id/housing', read, (c, g) => housingTab(c, deps, g), navigators);
  r.staff('post', '/staff/cases/:id/housing/requests', write, (c, g) => sendPost(c, deps, g), navigators);
  r.staff('post', '/staff/placements/:id/end', write, (c, g) => endPost(c, deps, g), navigators);
  r.staff('post', '/staff/cases/:id/housing/placements', write, (c, g) => stayPost(c, deps, g), navigators);
  r.staff(
    'get',
    '/staff/shelter-requests',
    manage,
    async (c, g) =>
      renderPage(
        c,
        <InboxPage
          {...staffView(deps, g)}
          requests={await providerInbox(shelterContext(deps), g.actor)}
          countyName={countyName(deps)}
          done={doneNote(c, DONE_MESSAGES)}
        />,
      ),
    providers,
  );
  r.staff(
    'get',
    '/staff/shelter-requests/:id',
    staffAction('cases.read', 'housing.manage'),
    (c, g) => requestPage(c, deps, g),
    roleRefusal('Navigators and the programs asked see a shelter request.'),
  );
  r.staff('post', '/staff/shelter-requests/:id/answer', manage, (c, g) => answerPost(c, deps, g), providers);
  r.staff(
    'post',
    '/staff/shelter-requests/:id/confirm',
    write,
    (c, g) => confirmPost(c, deps, g),
    navigators,
  );
  r.staff('post', '/staff/shelter-requests/:id/close', write, (c, g) => closePost(c, deps, g), navigators);
};
