/**
 * The staff pages of cases: the dashboard (`/staff/cases`: my open cases, my regions' open or closed
 * cases, a page at a time), opening a case (`/staff/cases/new`, directly or from a referral in the
 * queue), a case's overview (`/staff/cases/:id`: details, navigators, the duplicate notice, notes,
 * services delivered, the timeline, reopening), editing its details and closing it. Thin: every read and
 * change goes through `service.ts`, every page is a view, and every form posts with the session's CSRF
 * token.
 *
 * A case outside the person's regions answers 404 like a missing one, so its existence is not told.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, Feature } from '../../app-types.ts';
import { can, regionScope, type Actor } from '../../platform/access.ts';
import { ServiceError } from '../../platform/errors.ts';
import { recordAction, staffAction } from '../../platform/policy.ts';
import { renderPage } from '../../web/http.ts';
import {
  formList,
  formText,
  messagePage,
  readForm,
  type BackLink,
  type Form,
  type Guarded,
} from '../../web/page.tsx';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import type { StaffFrame } from '../../web/staff-layout.tsx';
import { QueueError } from '../queue/service.ts';
import { caseServiceContext } from './api.ts';
import {
  DETAIL_FIELDS,
  DEFAULT_CASE_RETENTION_DAYS,
  detailsInputOf,
  versionOf,
  type CaseDetailsInput,
  type CaseListView,
} from './rules.ts';
import { CaseInputError, type FieldProblem } from './schema.ts';
import { CASE_NOT_FOUND } from './core.ts';
import {
  addNote,
  assignNavigator,
  closeCase,
  getCase,
  listCases,
  openCase,
  recordService,
  referralDraft,
  regionNavigators,
  reopenCase,
  unassignNavigator,
  updateCaseDetails,
  type CaseDetail,
  type CaseList,
  type ReferralDraft,
} from './service.ts';
import { DashboardPage, type CaseListParams } from './views/pages.tsx';
import { valuesOf, type DetailValues } from './views/fields.tsx';
import { AlreadyOpenPage, ClosePage, EditPage, NewCasePage } from './views/pages.tsx';
import { casePath } from './views/layout.tsx';
import { OVERVIEW_DONE, OverviewPage } from './views/overview.tsx';

const READ_REFUSAL =
  'Your role does not include cases. Regional navigators and state administrators use them.';
const WRITE_REFUSAL = 'Your role does not include opening or changing cases. Regional navigators do.';

const message = (
  c: Context,
  frame: StaffFrame,
  status: 403 | 404 | 409,
  title: string,
  text: string,
  back: BackLink = { href: '/staff/cases', text: 'Go back to cases' },
) => messagePage(c, frame, status, title, text, back);

const notFound = (c: Context, frame: StaffFrame) =>
  message(c, frame, 404, 'Case not found', 'There is no such case, or it is not in your regions.');

const forbidden = (c: Context, frame: StaffFrame, error: ServiceError) =>
  message(c, frame, 403, 'You cannot do that', error.message);

/** The problems of a refused input, each naming its field; null for another answer. */
function problemsOf(error: unknown): FieldProblem[] | null {
  if (error instanceof CaseInputError) return error.problems;
  if (error instanceof ServiceError && error.code === 'invalid')
    return [{ field: error.field ?? 'summary', message: error.message }];
  return null;
}

/** A service's refusal as the page every case form answers it with: 404 or 403; null for the others. */
function refusal(c: Context, frame: StaffFrame, error: unknown): Promise<Response> | null {
  if (!(error instanceof ServiceError)) throw error;
  if (error.code === 'not_found') return notFound(c, frame);
  if (error.code === 'forbidden') return forbidden(c, frame, error);
  return null;
}

function regionsOf(deps: AppDeps, actor: Actor, action: 'cases.read' | 'cases.write') {
  const scope = regionScope(actor, action);
  return [...deps.geography.get().regions.values()]
    .filter((r) => scope && (scope.all || scope.regions.includes(r.id)))
    .map((r) => ({ id: r.id, name: r.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const caseId = (c: Context) => c.req.param('id') ?? '';
const done = (c: Context, id: string, what: string) =>
  c.redirect(`${casePath(id.toLowerCase())}?done=${what}`, 303);

// ---------------------------------------------------------------------------------------------------
// The dashboard

/** The list's query parameters, as sent (trimmed). */
const LIST_PARAMS = [
  'view',
  'q',
  'status',
  'assigned',
  'region',
  'county',
  'ageBand',
  'activity',
  'sort',
  'after',
  'before',
] as const;

async function dashboard(c: Context, deps: AppDeps, { actor, frame }: Guarded): Promise<Response> {
  const scope = regionScope(actor, 'cases.read')!;
  const params = Object.fromEntries(
    LIST_PARAMS.map((name) => [name, (c.req.query(name) ?? '').trim()]),
  ) as CaseListParams;
  let errors: FieldProblem[] = [];
  let list: CaseList = { cases: [], total: 0, next: null };
  try {
    list = await listCases(
      caseServiceContext(deps),
      actor,
      { ...params, view: (params.view || undefined) as CaseListView | undefined },
      requestOrigin(c),
    );
  } catch (error) {
    const p = problemsOf(error);
    if (!p) throw error;
    errors = p.map((e) => ({
      ...e,
      field: e.field === 'after' || e.field === 'before' ? 'cases' : e.field === 'view' ? 'views' : e.field,
    }));
  }
  const regions = regionsOf(deps, actor, 'cases.read');
  const page = (
    <DashboardPage
      deps={deps}
      frame={frame}
      actor={actor}
      scope={scope}
      mayWrite={regionScope(actor, 'cases.write') !== null}
      regions={regions}
      counties={countiesOf(deps, regions)}
      params={params}
      list={list}
      errors={errors}
    />
  );
  return renderPage(c, page, errors.length ? 400 : 200);
}

/** The counties of the regions (ever a member of one), by name. */
function countiesOf(deps: AppDeps, regions: { id: string }[]) {
  const geo = deps.geography.get();
  const ids = new Set(regions.map((r) => r.id));
  return [...geo.counties.values()]
    .filter((county) => (geo.membershipsByCounty.get(county.fips) ?? []).some((m) => ids.has(m.regionId)))
    .map((county) => ({ fips: county.fips, name: county.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

// ---------------------------------------------------------------------------------------------------
// Opening a case

function detailsFromForm(form: Form): CaseDetailsInput {
  const lists: readonly string[] = ['genderIdentity', 'raceEthnicity', 'exploitation'];
  return Object.fromEntries(
    DETAIL_FIELDS.map((f) => [f, lists.includes(f) ? formList(form, f) : formText(form, f)]),
  ) as CaseDetailsInput;
}

interface NewState {
  values: DetailValues;
  regionId: string;
  errors: FieldProblem[];
  status: ContentfulStatusCode;
}

async function newCasePage(
  c: Context,
  deps: AppDeps,
  { actor, frame }: Guarded,
  state: NewState | null = null,
): Promise<Response> {
  const from = state ? (state.values.intakeItemId as string) || '' : (c.req.query('from') ?? '').trim();
  let draft: ReferralDraft | null = null;
  if (from) {
    try {
      draft = await referralDraft(caseServiceContext(deps), actor, from, requestOrigin(c));
    } catch (error) {
      if (error instanceof QueueError && error.code === 'not_found')
        return message(c, frame, 404, 'Referral not found', error.message, {
          href: '/staff/queue',
          text: 'Go back to the queue',
        });
      if (error instanceof ServiceError && error.code === 'forbidden') return forbidden(c, frame, error);
      throw error;
    }
    if (draft.existingCaseId || draft.existingElsewhere)
      return renderPage(c, <AlreadyOpenPage frame={frame} existingCaseId={draft.existingCaseId} />, 409);
    if (draft.claimedByOther)
      return message(
        c,
        frame,
        409,
        'Someone else has this referral',
        'Someone else has claimed this referral: only they can open a case from it, or it can be released back to the queue first.',
        { href: `/staff/queue/${draft.itemId}`, text: 'Go back to the referral' },
      );
  }
  const page = (
    <NewCasePage
      deps={deps}
      frame={frame}
      draft={draft}
      regions={regionsOf(deps, actor, 'cases.write')}
      regionId={state?.regionId}
      values={state?.values ?? (draft ? valuesOf(draft.values) : {})}
      errors={state?.errors ?? []}
    />
  );
  return renderPage(c, page, state?.status ?? 200);
}

async function openAction(c: Context, deps: AppDeps, guarded: Guarded): Promise<Response> {
  const { actor, frame } = guarded;
  const form = await readForm(c);
  const details = detailsFromForm(form);
  const intakeItemId = formText(form, 'intakeItemId').trim();
  const regionId = formText(form, 'regionId').trim();
  try {
    const input = { ...details, regionId: regionId || null, intakeItemId: intakeItemId || null };
    const opened = await openCase(caseServiceContext(deps), actor, input, requestOrigin(c));
    return c.redirect(`${casePath(opened.id)}?done=opened`, 303);
  } catch (error) {
    const problems = problemsOf(error);
    if (problems) {
      // A referral that is gone or out of reach: say so rather than show its form again.
      if (problems.some((p) => p.field === 'intakeItemId'))
        return message(c, frame, 404, 'Referral not found', problems[0]!.message, {
          href: '/staff/queue',
          text: 'Go back to the queue',
        });
      const values = { ...valuesOf(details), intakeItemId };
      return newCasePage(c, deps, guarded, { values, regionId, errors: problems, status: 400 });
    }
    if (error instanceof ServiceError && error.code === 'conflict')
      return message(c, frame, 409, 'The case was not opened', error.message, {
        href: intakeItemId ? `/staff/queue/${intakeItemId}` : '/staff/cases',
        text: intakeItemId ? 'Go back to the referral' : 'Go back to cases',
      });
    if (error instanceof ServiceError && error.code === 'forbidden') return forbidden(c, frame, error);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// One case

interface OverviewState {
  errors: FieldProblem[];
  values: Record<string, string>;
  status: ContentfulStatusCode;
}

const EMPTY: OverviewState = { errors: [], values: {}, status: 200 };

async function overviewPage(
  c: Context,
  deps: AppDeps,
  { actor, frame }: Guarded,
  state: OverviewState = EMPTY,
): Promise<Response> {
  const before = c.req.query('before') ?? null;
  let detail: CaseDetail;
  try {
    detail = await getCase(caseServiceContext(deps), actor, caseId(c), requestOrigin(c), {
      timelineBefore: before,
    });
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'not_found') return notFound(c, frame);
    if (error instanceof ServiceError && error.code === 'invalid')
      return message(c, frame, 404, 'Page not found', 'That page of the timeline does not exist.', {
        href: c.req.path,
        text: 'Go to the newest entries',
      });
    throw error;
  }
  const mayWrite = can(actor, 'cases.write', { regionId: detail.regionId });
  const editable = mayWrite && detail.status === 'open';
  const page = (
    <OverviewPage
      deps={deps}
      frame={frame}
      actor={actor}
      csrf={frame.csrf}
      detail={detail}
      mayWrite={mayWrite}
      editable={editable}
      errors={state.errors}
      values={state.values}
      done={state.status === 200 ? (OVERVIEW_DONE[c.req.query('done') ?? ''] ?? null) : null}
      today={deps.rules.calendar.local(new Date()).date}
      before={before}
      navigators={editable ? await regionNavigators(deps, detail.regionId) : []}
    />
  );
  return renderPage(c, page, state.status);
}

type Change = 'assign' | 'unassign' | 'notes' | 'services' | 'reopen';

const CHANGE_DONE: Record<Change, string> = {
  assign: 'assigned',
  unassign: 'unassigned',
  notes: 'note',
  services: 'service',
  reopen: 'reopened',
};

async function changeAction(c: Context, deps: AppDeps, guarded: Guarded, change: Change): Promise<Response> {
  const { actor, frame } = guarded;
  const id = caseId(c);
  const ctx = caseServiceContext(deps);
  const origin = requestOrigin(c);
  const form = await readForm(c);
  const values: Record<string, string> = {};
  for (const k of ['userId', 'category', 'body', 'serviceCode', 'deliveredOn']) values[k] = formText(form, k);
  try {
    if (change === 'assign') await assignNavigator(ctx, actor, id, values.userId!, origin);
    if (change === 'unassign') await unassignNavigator(ctx, actor, id, values.userId!, origin);
    if (change === 'notes') await addNote(ctx, actor, id, values, origin);
    if (change === 'services') await recordService(ctx, actor, id, values, origin);
    if (change === 'reopen') await reopenCase(ctx, actor, id, origin);
  } catch (error) {
    const refused = refusal(c, frame, error);
    if (refused) return refused;
    const problems = problemsOf(error);
    if (problems) return overviewPage(c, deps, guarded, { errors: problems, values, status: 400 });
    const conflict = [{ field: 'summary', message: (error as ServiceError).message }];
    return overviewPage(c, deps, guarded, { errors: conflict, values, status: 409 });
  }
  return done(c, id, CHANGE_DONE[change]);
}

// ---------------------------------------------------------------------------------------------------
// Editing the details, and closing

/**
 * The case of the request, read (audited) for a form that changes it, when it is open and the person
 * may change it; otherwise the answer (a case they may not change is not found, like a missing one).
 */
async function caseToChange(
  c: Context,
  deps: AppDeps,
  { actor, frame }: Guarded,
  closed: { title: string; text: string },
): Promise<CaseDetail | Response> {
  let detail: CaseDetail;
  try {
    detail = await getCase(caseServiceContext(deps), actor, caseId(c), requestOrigin(c));
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'not_found') return notFound(c, frame);
    throw error;
  }
  if (!can(actor, 'cases.write', { regionId: detail.regionId })) return notFound(c, frame);
  if (detail.status !== 'open')
    return message(c, frame, 409, closed.title, closed.text, {
      href: casePath(detail.id),
      text: 'Go back to the case',
    });
  return detail;
}

interface FormState<V> {
  values: V;
  errors: FieldProblem[];
  status: ContentfulStatusCode;
}

async function editPage(
  c: Context,
  deps: AppDeps,
  guarded: Guarded,
  state: FormState<DetailValues | null> | null = null,
): Promise<Response> {
  const closed = { title: 'This case is closed', text: 'Reopen the case to change its details.' };
  const detail = await caseToChange(c, deps, guarded, closed);
  if (detail instanceof Response) return detail;
  const values = state?.values ?? {
    ...valuesOf(detailsInputOf(detail.personal, detail.countyFips)),
    version: versionOf(detail.updatedAt),
  };
  const page = (
    <EditPage
      deps={deps}
      frame={guarded.frame}
      detail={detail}
      values={values}
      errors={state?.errors ?? []}
    />
  );
  return renderPage(c, page, state?.status ?? 200);
}

async function detailsAction(c: Context, deps: AppDeps, guarded: Guarded): Promise<Response> {
  const id = caseId(c);
  const form = await readForm(c);
  const details = detailsFromForm(form);
  const version = formText(form, 'version');
  try {
    await updateCaseDetails(
      caseServiceContext(deps),
      guarded.actor,
      id,
      { ...details, version },
      requestOrigin(c),
    );
  } catch (error) {
    const problems = problemsOf(error);
    if (problems)
      return editPage(c, deps, guarded, {
        values: { ...valuesOf(details), version },
        errors: problems,
        status: 400,
      });
    const refused = refusal(c, guarded.frame, error);
    if (refused) return refused;
    // A stale form: show the current details again (with a fresh version), and say why.
    const errors = [{ field: 'summary', message: (error as ServiceError).message }];
    return editPage(c, deps, guarded, { values: null, errors, status: 409 });
  }
  return done(c, id, 'details');
}

const NO_STATE: FormState<Record<string, string>> = { values: {}, errors: [], status: 200 };

async function closePage(c: Context, deps: AppDeps, guarded: Guarded, state = NO_STATE): Promise<Response> {
  const closed = { title: 'This case is already closed', text: 'It was closed earlier.' };
  const detail = await caseToChange(c, deps, guarded, closed);
  if (detail instanceof Response) return detail;
  const page = (
    <ClosePage
      deps={deps}
      frame={guarded.frame}
      detail={detail}
      days={deps.config.caseRetentionDays ?? DEFAULT_CASE_RETENTION_DAYS}
      values={state.values}
      errors={state.errors}
    />
  );
  return renderPage(c, page, state.status);
}

async function closeAction(c: Context, deps: AppDeps, guarded: Guarded): Promise<Response> {
  const id = caseId(c);
  const form = await readForm(c);
  const values: Record<string, string> = {};
  for (const k of ['reason', 'exitHousing', 'feelsSafer', 'moreHopeful', 'knowsWhereHelp'])
    values[k] = formText(form, k);
  try {
    await closeCase(caseServiceContext(deps), guarded.actor, id, values, requestOrigin(c));
  } catch (error) {
    const problems = problemsOf(error);
    if (problems) return closePage(c, deps, guarded, { values, errors: problems, status: 400 });
    const refused = refusal(c, guarded.frame, error);
    if (refused) return refused;
    return message(c, guarded.frame, 409, 'The case was not closed', (error as ServiceError).message, {
      href: casePath(id.toLowerCase()),
      text: 'Go back to the case',
    });
  }
  return done(c, id, 'closed');
}

// ---------------------------------------------------------------------------------------------------

export const casePages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const read = staffAction('cases.read');
  const write = staffAction('cases.write');
  const reading = { refusal: READ_REFUSAL };
  const writing = { refusal: WRITE_REFUSAL };
  const change = (what: Change) => (c: Context, g: Guarded) => changeAction(c, deps, g, what);
  r.staff('get', '/staff/cases', read, (c, g) => dashboard(c, deps, g), reading);
  r.staff('get', '/staff/cases/new', write, (c, g) => newCasePage(c, deps, g), writing);
  r.staff('post', '/staff/cases', write, (c, g) => openAction(c, deps, g), writing);
  // A role without cases (an evaluator, a trainer) is answered as for a case that does not exist.
  r.staff('get', '/staff/cases/:id', recordAction('cases.read'), (c, g) => overviewPage(c, deps, g), {
    refusal: CASE_NOT_FOUND,
  });
  r.staff('get', '/staff/cases/:id/edit', write, (c, g) => editPage(c, deps, g), writing);
  r.staff('post', '/staff/cases/:id/details', write, (c, g) => detailsAction(c, deps, g), writing);
  r.staff('post', '/staff/cases/:id/assign', write, change('assign'), writing);
  r.staff('post', '/staff/cases/:id/unassign', write, change('unassign'), writing);
  r.staff('post', '/staff/cases/:id/notes', write, change('notes'), writing);
  r.staff('post', '/staff/cases/:id/services', write, change('services'), writing);
  r.staff('get', '/staff/cases/:id/close', write, (c, g) => closePage(c, deps, g), writing);
  r.staff('post', '/staff/cases/:id/close', write, (c, g) => closeAction(c, deps, g), writing);
  r.staff('post', '/staff/cases/:id/reopen', write, change('reopen'), writing);
};
