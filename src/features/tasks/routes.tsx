/**
 * The staff pages of tasks: `/staff/tasks` (the signed-in navigator's tasks — overdue, due today,
 * upcoming — or every open task of their regions, and a form for a task without a case), and a case's
 * tasks tab `/staff/cases/:id/tasks` (open and done tasks, a task by hand, tasks from the pathway's
 * duties). Thin: every read and change goes through `service.ts`; the pages are in `views/`.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, Feature } from '../../app-types.ts';
import { POLICY, can, regionScope, type Actor } from '../../platform/access.ts';
import type { ServiceError } from '../../platform/errors.ts';
import { staffAction } from '../../platform/policy.ts';
import { renderPage } from '../../web/http.ts';
import {
  doneNote,
  formList,
  formStatus,
  formText,
  freshForm,
  loadOr,
  messagePage,
  readForm,
  roleRefusal,
  serviceError,
  type FieldError,
  type Form,
  type FormState,
  type Guarded,
} from '../../web/page.tsx';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import { caseNotFound } from '../cases/index.ts';
import {
  assignableGroups,
  caseTasks,
  coordinationContext,
  createTask,
  createTasksFromPathway,
  listTasks,
  parseLocalDateTime,
  setTaskDone,
  taskableActions,
  type TaskScope,
} from './service.ts';
import { CaseTasksPage, EMPTY_PATHWAY, type PathwayValues } from './views/case-tasks-page.tsx';
import { DONE_MESSAGES, EMPTY_TASK, type TaskFormValues } from './views/task-table.tsx';
import { TasksPage } from './views/tasks-page.tsx';

/** A refusal of the service as a page: the status and title for each kind, with a link back. */
function refusedPage(
  c: Context,
  g: Guarded,
  error: ServiceError,
  back: { href: string; text: string },
  conflictTitle = 'The task did not change',
): Promise<Response> {
  if (error.code === 'not_found') return messagePage(c, g.frame, 404, 'Task not found', error.message, back);
  if (error.code === 'forbidden')
    return messagePage(c, g.frame, 403, 'You cannot do that', error.message, back);
  return messagePage(c, g.frame, 409, conflictTitle, error.message, back);
}

const errorOf = (error: ServiceError, fallback: string): FieldError => ({
  field: error.field ?? fallback,
  message: error.message,
});

function writableRegions(deps: AppDeps, actor: Actor): { id: string; name: string }[] {
  return [...deps.geography.get().regions.values()]
    .filter((r) => can(actor, 'cases.write', { regionId: r.id }))
    .map((r) => ({ id: r.id, name: r.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const writes = (actor: Actor) => POLICY['cases.write'][actor.role] !== undefined;

function parseScope(raw: string | undefined, actor: Actor): TaskScope | null {
  if (raw === undefined || raw === '') return writes(actor) ? 'mine' : 'region';
  return raw === 'mine' || raw === 'region' ? raw : null;
}

function taskValues(form: Form): TaskFormValues {
  return {
    title: formText(form, 'title'),
    due: formText(form, 'due'),
    assignee: formText(form, 'assignee'),
    region: formText(form, 'region'),
  };
}

// ---------------------------------------------------------------------------------------------------
// /staff/tasks

async function tasksPage(
  c: Context,
  deps: AppDeps,
  { actor, frame }: Guarded,
  state: FormState<TaskFormValues> = freshForm(EMPTY_TASK),
): Promise<Response> {
  const ctx = coordinationContext(deps);
  const errors = [...state.errors];
  const scope = parseScope(c.req.query('view'), actor);
  if (!scope) errors.push({ field: 'views', message: 'Choose your tasks or your regions’ tasks.' });
  const tasks = scope ? await listTasks(ctx, actor, { scope, due: 'all' }, requestOrigin(c)) : [];
  const regions = writableRegions(deps, actor);
  const people = regions.length ? await assignableGroups(ctx, actor, regions) : [];
  return renderPage(
    c,
    <TasksPage
      deps={deps}
      frame={frame}
      actor={actor}
      scope={scope}
      writes={writes(actor)}
      everyRegion={regionScope(actor, 'cases.read')?.all === true}
      tasks={tasks}
      now={new Date()}
      regions={regions}
      people={people}
      errors={errors}
      values={state.values}
      done={doneNote(c, DONE_MESSAGES, state.status)}
    />,
    errors.length && state.status === 200 ? 400 : state.status,
  );
}

async function addRegionTask(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const values = taskValues(await readForm(c));
  try {
    await createTask(
      coordinationContext(deps),
      g.actor,
      {
        caseId: null,
        regionId: values.region,
        title: values.title,
        dueAt: parseLocalDateTime(deps.rules.calendar, values.due),
        assigneeUserId: values.assignee || null,
      },
      requestOrigin(c),
    );
  } catch (thrown) {
    const error = serviceError(thrown);
    if (error.code === 'forbidden')
      return refusedPage(c, g, error, { href: '/staff/tasks', text: 'Go back to your tasks' });
    return tasksPage(c, deps, g, { errors: [errorOf(error, 'title')], values, status: formStatus(error) });
  }
  return c.redirect('/staff/tasks?done=added', 303);
}

const BACK = /^\/staff\/(tasks(\?view=(mine|region))?|cases\/[0-9a-f-]{36}\/tasks)$/;

async function doneAction(c: Context, deps: AppDeps, g: Guarded, done: boolean): Promise<Response> {
  const form = await readForm(c);
  const back = BACK.test(formText(form, 'back')) ? formText(form, 'back') : '/staff/tasks';
  try {
    await setTaskDone(coordinationContext(deps), g.actor, c.req.param('id') ?? '', done, requestOrigin(c));
  } catch (thrown) {
    const error = serviceError(thrown);
    return refusedPage(c, g, error, { href: back, text: 'Go back' });
  }
  return c.redirect(`${back}${back.includes('?') ? '&' : '?'}done=${done ? 'completed' : 'reopened'}`, 303);
}

// ---------------------------------------------------------------------------------------------------
// /staff/cases/:id/tasks

async function caseTasksPage(
  c: Context,
  deps: AppDeps,
  { actor, frame }: Guarded,
  state: {
    errors: FieldError[];
    task: TaskFormValues;
    pathway: PathwayValues;
    status: ContentfulStatusCode;
  } = { errors: [], task: EMPTY_TASK, pathway: EMPTY_PATHWAY, status: 200 },
): Promise<Response> {
  const ctx = coordinationContext(deps);
  const view = await loadOr(caseTasks(ctx, actor, c.req.param('id') ?? '', requestOrigin(c)), () =>
    caseNotFound(c, frame),
  );
  if (view instanceof Response) return view;
  const now = new Date();
  const region = view.case.region_id;
  const writable = view.case.status === 'open' && can(actor, 'cases.write', { regionId: region });
  return renderPage(
    c,
    <CaseTasksPage
      deps={deps}
      frame={frame}
      actor={actor}
      view={view}
      writable={writable}
      now={now}
      people={
        writable ? await assignableGroups(ctx, actor, [{ id: region, name: regionName(deps, region) }]) : []
      }
      actions={taskableActions(deps.rules.pathway, deps.rules.calendar.local(now).date)}
      errors={state.errors}
      task={state.task}
      pathway={state.pathway}
      message={doneNote(c, DONE_MESSAGES, state.status)}
    />,
    state.status,
  );
}

const regionName = (deps: AppDeps, id: string) => deps.geography.get().regions.get(id)?.name ?? id;

async function addCaseTask(c: Context, deps: AppDeps, g: Guarded, fromPathway: boolean): Promise<Response> {
  const caseId = c.req.param('id') ?? '';
  const form = await readForm(c);
  const task = fromPathway ? EMPTY_TASK : taskValues(form);
  const pathway: PathwayValues = fromPathway
    ? { codes: formList(form, 'codes'), from: formText(form, 'from'), assignee: formText(form, 'assignee') }
    : EMPTY_PATHWAY;
  const ctx = coordinationContext(deps);
  const calendar = deps.rules.calendar;
  let done = 'added';
  try {
    if (fromPathway) {
      // A time that cannot be read goes on as an invalid date: the service says so, after its access check.
      const from = pathway.from.trim() ? (parseLocalDateTime(calendar, pathway.from) ?? new Date(NaN)) : null;
      const result = await createTasksFromPathway(
        ctx,
        g.actor,
        caseId,
        { codes: pathway.codes, from, assigneeUserId: pathway.assignee || null },
        requestOrigin(c),
      );
      done = result.created.length ? 'pathway' : 'none';
    } else {
      await createTask(
        ctx,
        g.actor,
        {
          caseId,
          title: task.title,
          dueAt: parseLocalDateTime(calendar, task.due),
          assigneeUserId: task.assignee || null,
        },
        requestOrigin(c),
      );
    }
  } catch (thrown) {
    const error = serviceError(thrown);
    if (error.code === 'not_found') return caseNotFound(c, g.frame);
    if (error.code === 'forbidden')
      return refusedPage(c, g, error, { href: '/staff/tasks', text: 'Go to your tasks' });
    const e = errorOf(error, fromPathway ? 'codes' : 'title');
    // The pathway form's assignee select has its own id.
    if (fromPathway && e.field === 'assignee') e.field = 'pathway-assignee';
    return caseTasksPage(c, deps, g, { errors: [e], task, pathway, status: formStatus(error) });
  }
  return c.redirect(`/staff/cases/${caseId.toLowerCase()}/tasks?done=${done}`, 303);
}

export const tasksPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const read = staffAction('cases.read');
  const write = staffAction('cases.write');
  const adds = roleRefusal('Regional navigators add tasks.');
  r.staff('get', '/staff/tasks', read, (c, g) => tasksPage(c, deps, g), {
    ...roleRefusal('Regional navigators and state administrators see tasks.'),
  });
  r.staff('post', '/staff/tasks', write, (c, g) => addRegionTask(c, deps, g), adds);
  const changes = roleRefusal('Regional navigators change tasks.');
  r.staff('post', '/staff/tasks/:id/complete', write, (c, g) => doneAction(c, deps, g, true), changes);
  r.staff('post', '/staff/tasks/:id/reopen', write, (c, g) => doneAction(c, deps, g, false), changes);
  r.staff('get', '/staff/cases/:id/tasks', read, (c, g) => caseTasksPage(c, deps, g), {
    ...roleRefusal('Regional navigators and state administrators see cases.'),
  });
  r.staff('post', '/staff/cases/:id/tasks', write, (c, g) => addCaseTask(c, deps, g, false), adds);
  r.staff('post', '/staff/cases/:id/tasks/pathway', write, (c, g) => addCaseTask(c, deps, g, true), adds);
};
