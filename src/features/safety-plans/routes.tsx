/**
 * The safety plan's staff pages: the case's tab `/staff/cases/:id/safety-plan` and the young person's
 * printable copy `/staff/cases/:id/safety-plan/print`. Thin: reads and saves go through `service.ts`;
 * the pages are in `views/`.
 */
import type { Context } from 'hono';
import type { AppDeps, Feature } from '../../app-types.ts';
import { can } from '../../platform/access.ts';
import { staffAction } from '../../platform/policy.ts';
import type { Line } from '../help/index.ts';
import { renderPage } from '../../web/http.ts';
import {
  cannotDoPage,
  formList,
  formStatus,
  formText,
  freshForm,
  loadOr,
  messagePage,
  readForm,
  roleRefusal,
  serviceError,
  type Form,
  type FormState,
  type Guarded,
} from '../../web/page.tsx';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import { caseNotFound } from '../cases/index.ts';
import { coordinationContext } from '../tasks/service.ts';
import { pageError, parseVersion, planOf, type PlanForm } from './rules.ts';
import { SAFETY_PLAN_LIMITS } from './schema.ts';
import { readSafetyPlan, saveSafetyPlan, type CaseSafetyPlan } from './service.ts';
import { PlanPage } from './views/plan-page.tsx';
import { PrintPage } from './views/print-page.tsx';

const toPlan = (caseId: string) => ({
  href: `/staff/cases/${caseId}/safety-plan`,
  text: 'Go to the safety plan',
});

function readPlanForm(form: Form): PlanForm {
  const people = [];
  for (let i = 0; i < SAFETY_PLAN_LIMITS.safePeople; i++)
    people.push({
      name: formText(form, `safePeople-${i}-name`),
      contact: formText(form, `safePeople-${i}-contact`),
    });
  const custom = [];
  for (let i = 0; i < SAFETY_PLAN_LIMITS.customLines; i++)
    custom.push({
      name: formText(form, `customLines-${i}-name`),
      phone: formText(form, `customLines-${i}-phone`),
    });
  return {
    warningSigns: formText(form, 'warningSigns'),
    safePeople: people,
    safePlaces: formText(form, 'safePlaces'),
    codeWord: formText(form, 'codeWord'),
    inDanger: formText(form, 'inDanger'),
    lines: formList(form, 'lines'),
    customLines: custom,
  };
}

async function load(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  purpose: 'read' | 'print',
): Promise<CaseSafetyPlan | Response> {
  const version = parseVersion(c.req.query('version'));
  if (version === null) return caseNotFound(c, g.frame);
  const caseId = c.req.param('id') ?? '';
  return loadOr(
    readSafetyPlan(coordinationContext(deps), g.actor, caseId, requestOrigin(c), {
      ...(version !== undefined ? { version } : {}),
      purpose,
    }),
    (error) =>
      error.message.includes('version')
        ? messagePage(c, g.frame, 404, 'Version not found', error.message, toPlan(caseId))
        : caseNotFound(c, g.frame),
  );
}

async function planPage(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  state: FormState<PlanForm | null> = freshForm(null),
): Promise<Response> {
  const plan = await load(c, deps, g, 'read');
  if (plan instanceof Response) return plan;
  return renderPage(
    c,
    <PlanPage
      deps={deps}
      frame={g.frame}
      actor={g.actor}
      plan={plan}
      writable={plan.case.status === 'open' && can(g.actor, 'cases.write', { regionId: plan.case.region_id })}
      region={deps.geography.get().regions.get(plan.case.region_id)?.name ?? plan.case.region_id}
      errors={state.errors}
      values={state.values}
      saved={
        state.status === 200 && c.req.query('done') === 'saved'
          ? 'The safety plan is saved as a new version.'
          : null
      }
    />,
    state.status,
  );
}

async function saveAction(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const caseId = c.req.param('id') ?? '';
  const values = readPlanForm(await readForm(c));
  const { plan, peopleRows, customRows } = planOf(values);
  try {
    await saveSafetyPlan(
      coordinationContext(deps),
      g.actor,
      caseId,
      plan,
      deps.geography.get().lines,
      requestOrigin(c),
    );
  } catch (thrown) {
    const error = serviceError(thrown);
    if (error.code === 'not_found') return caseNotFound(c, g.frame);
    if (error.code === 'forbidden')
      return cannotDoPage(c, g.frame, error, {
        href: `/staff/cases/${caseId}/safety-plan`,
        text: 'Go back to the safety plan',
      });
    return planPage(c, deps, g, {
      errors: [pageError(error, peopleRows, customRows)],
      values,
      status: formStatus(error),
    });
  }
  return c.redirect(`/staff/cases/${caseId.toLowerCase()}/safety-plan?done=saved`, 303);
}

async function printPage(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const plan = await load(c, deps, g, 'print');
  if (plan instanceof Response) return plan;
  const geo = deps.geography.get();
  const current = plan.current;
  const back = `/staff/cases/${plan.case.id}/safety-plan`;
  if (!current)
    return messagePage(c, g.frame, 404, 'No safety plan yet', 'This case has no safety plan to print yet.', {
      href: back,
      text: 'Go to the safety plan',
    });
  return renderPage(
    c,
    <PrintPage
      nonce={c.get('nonce')}
      back={back}
      made={deps.rules.calendar.formatDate(current.createdAt)}
      p={current.content}
      chosen={current.content.lines
        .map((id) => geo.lines.find((l) => l.id === id))
        .filter((l): l is Line => l !== undefined)}
      emergency={geo.emergencyLine}
    />,
  );
}

export const safetyPlanPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const seeCases = roleRefusal('Regional navigators and state administrators see cases.');
  r.staff(
    'get',
    '/staff/cases/:id/safety-plan',
    staffAction('cases.read'),
    (c, g) => planPage(c, deps, g),
    seeCases,
  );
  r.staff(
    'post',
    '/staff/cases/:id/safety-plan',
    staffAction('cases.write'),
    (c, g) => saveAction(c, deps, g),
    {
      ...roleRefusal('Regional navigators write safety plans.'),
    },
  );
  r.staff(
    'get',
    '/staff/cases/:id/safety-plan/print',
    staffAction('cases.read'),
    (c, g) => printPage(c, deps, g),
    seeCases,
  );
};
