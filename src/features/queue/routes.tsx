/**
 * The navigator queue's staff pages: the list of referrals and self-referrals with filters and the
 * signed-in person's notifications; one item's page with its decrypted details, notes and history, and
 * the forms to claim it, record contact and its outcome, or release it. Thin: every read and change
 * goes through `service.ts`, every page is a view.
 *
 * An item outside the person's regions answers 404 like a missing one, so its existence is not told.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, Feature } from '../../app-types.ts';
import type { Actor } from '../../platform/access.ts';
import { staffAction } from '../../platform/policy.ts';
import { fieldProblems, type FieldProblem } from '../../web/forms.tsx';
import { renderPage } from '../../web/http.ts';
import { formText, messagePage, readForm, type Guarded } from '../../web/page.tsx';
import { router, type StaffRouteOptions } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import { listNotifications } from '../notifications/service.ts';
import { NOT_FOUND, QueueError, queueScope } from './rules.ts';
import { listFiltersForm } from './schema.ts';
import * as queue from './service.ts';
import { EMPTY_OUTCOME, ItemPage, type OutcomeValues } from './views/item.tsx';
import { QueueListPage, type ListValues } from './views/list.tsx';

export { Notifications } from '../notifications/index.ts';

const queueContext = (deps: AppDeps): queue.QueueContext => ({ db: deps.db, keyring: deps.keyring });

/** Who may use the queue's pages, and what anyone else is told. */
const QUEUE_PAGE: StaffRouteOptions = {
  allowed: (actor) => queueScope(actor, 'intake.read') !== null,
  refusal:
    'Your role does not include the referral queue. Regional navigators and state administrators use it.',
};

const BACK_TO_QUEUE = { href: '/staff/queue', text: 'Go back to the queue' };

const LIST_DONE: Record<string, string> = { read: 'Marked as read.' };

const DETAIL_DONE: Record<string, string> = {
  claimed: 'You have claimed this referral. Record what happens when you try to make contact.',
  released: 'The referral is back in the queue for the region’s navigators.',
  contacted: 'Contact recorded.',
  could_not_reach: 'Recorded that you could not reach them.',
  closed: 'The referral is closed.',
};

/** The regions the person may filter by (and, for state administrators, items with no region). */
function regionOptions(deps: AppDeps, actor: Actor): { id: string; name: string }[] {
  const scope = queueScope(actor, 'intake.read');
  const regions = [...deps.geography.get().regions.values()]
    .filter((r) => scope && (scope.all || scope.regions.includes(r.id)))
    .map((r) => ({ id: r.id, name: r.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return scope?.all ? [...regions, { id: 'none', name: 'No region (county not known)' }] : regions;
}

async function queuePage(c: Context, deps: AppDeps, guarded: Guarded): Promise<Response> {
  const { actor } = guarded;
  const q = (name: string) => (c.req.query(name) ?? '').trim();
  const values: ListValues = { view: q('view'), region: q('region'), urgency: q('urgency') };
  const regions = regionOptions(deps, actor);
  const parsed = listFiltersForm(regions.map((r) => r.id)).safeParse(values);
  const errors = parsed.success ? [] : fieldProblems(parsed.error, ['view', 'region', 'urgency']);
  const now = new Date();
  const [items, notes] = await Promise.all([
    parsed.success
      ? queue.listQueue(queueContext(deps), actor, parsed.data as queue.QueueFilters)
      : Promise.resolve([]),
    listNotifications(deps.db, actor.userId),
  ]);
  return renderPage(
    c,
    <QueueListPage
      {...guarded}
      deps={deps}
      values={values}
      errors={errors}
      done={LIST_DONE[c.req.query('done') ?? ''] ?? null}
      items={items}
      notes={notes}
      regions={regions}
      allRegions={queueScope(actor, 'intake.read')?.all === true}
      now={now}
    />,
    errors.length ? 400 : 200,
  );
}

const notFound = (c: Context, { frame }: Guarded) =>
  messagePage(c, frame, 404, 'Referral not found', NOT_FOUND, BACK_TO_QUEUE);

async function itemPage(
  c: Context,
  deps: AppDeps,
  guarded: Guarded,
  state: { errors: FieldProblem[]; values: OutcomeValues; status: ContentfulStatusCode } = {
    errors: [],
    values: EMPTY_OUTCOME,
    status: 200,
  },
): Promise<Response> {
  let item;
  try {
    item = await queue.openItem(queueContext(deps), guarded.actor, c.req.param('id') ?? '', requestOrigin(c));
  } catch (error) {
    if (error instanceof QueueError && error.code === 'not_found') return notFound(c, guarded);
    throw error;
  }
  return renderPage(
    c,
    <ItemPage
      {...guarded}
      deps={deps}
      item={item}
      errors={state.errors}
      values={state.values}
      done={state.status === 200 ? (DETAIL_DONE[c.req.query('done') ?? ''] ?? null) : null}
      now={new Date()}
    />,
    state.status,
  );
}

async function changeAction(
  c: Context,
  deps: AppDeps,
  guarded: Guarded,
  change: 'claim' | 'release' | 'outcome',
): Promise<Response> {
  const { actor, frame } = guarded;
  const id = c.req.param('id') ?? '';
  const ctx = queueContext(deps);
  const origin = requestOrigin(c);
  let values = EMPTY_OUTCOME;
  let done: string = change === 'claim' ? 'claimed' : 'released';
  try {
    if (change === 'claim') await queue.claimItem(ctx, actor, id, origin);
    else if (change === 'release') await queue.releaseItem(ctx, actor, id, origin);
    else {
      const form = await readForm(c);
      values = {
        status: formText(form, 'status'),
        outcome: formText(form, 'outcome'),
        note: formText(form, 'note'),
      };
      await queue.recordOutcome(ctx, actor, id, values, origin);
      done = values.status;
    }
  } catch (error) {
    if (!(error instanceof QueueError)) throw error;
    switch (error.code) {
      case 'not_found':
        return notFound(c, guarded);
      case 'forbidden':
        return messagePage(c, frame, 403, 'You cannot do that', error.message, BACK_TO_QUEUE);
      case 'conflict':
        return itemPage(c, deps, guarded, {
          errors: [{ field: change === 'outcome' ? 'status' : 'summary', message: error.message }],
          values,
          status: 409,
        });
      case 'invalid':
        return itemPage(c, deps, guarded, {
          errors: [{ field: error.field ?? 'status', message: error.message }],
          values,
          status: 400,
        });
    }
  }
  return c.redirect(`/staff/queue/${id.toLowerCase()}?done=${done}`, 303);
}

export const queuePages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const read = staffAction('intake.read');
  const handle = staffAction('intake.handle');
  r.staff('get', '/staff/queue', read, (c, g) => queuePage(c, deps, g), QUEUE_PAGE);
  r.staff('get', '/staff/queue/:id', read, (c, g) => itemPage(c, deps, g), QUEUE_PAGE);
  for (const change of ['claim', 'release', 'outcome'] as const)
    r.staff(
      'post',
      `/staff/queue/:id/${change}`,
      handle,
      (c, g) => changeAction(c, deps, g, change),
      QUEUE_PAGE,
    );
};
