/**
 * The staff pages of tasks: `/staff/tasks` (the signed-in navigator's tasks — overdue, due today,
 * upcoming — or every open task of their regions, and a form for a task without a case), and a case's
 * tasks tab `/staff/cases/:id/tasks` (open and done tasks, a task by hand, tasks from the pathway's
 * duties). Thin: every read and change goes through `tasks.ts`.
 */
import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, Feature } from '../../app-types.ts';
import { POLICY, can, type Actor } from '../../platform/access.ts';
import { renderPage } from '../../web/http.ts';
import { staffAction } from '../../platform/policy.ts';
import { durationInWords } from '../queue/service.ts';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../web/staff-layout.tsx';
import {
  Success,
  Time,
  formList,
  formText,
  messagePage,
  readForm,
  type FieldError,
  type Form,
} from '../../web/page.tsx';
import { requestOrigin } from '../../web/session.ts';
import { CaseHeading, caseNotFound, guardCasePage } from '../cases/views/layout.tsx';
import { CaseError, caseScopeOf } from '../cases/core.ts';
import {
  SOURCE_NAMES,
  assignableNavigators,
  caseTasks,
  coordinationContext,
  createTask,
  createTasksFromPathway,
  deadlineWords,
  dueState,
  listTasks,
  localDateTimeValue,
  parseLocalDateTime,
  setTaskDone,
  taskableActions,
  type Assignable,
  type CaseTasks,
  type Task,
  type TaskScope,
} from './service.ts';

/** The select of people a task can be assigned to. */
const AssigneeSelect: FC<{
  id: string;
  people: { regionName: string; navigators: Assignable[] }[];
  actor: Actor;
  value: string;
}> = ({ id, people, actor, value }) => (
  <>
    <label for={id}>Assigned to</label>
    <select id={id} name="assignee">
      <option value="" selected={value === ''}>
        Nobody yet (every navigator of the region sees it)
      </option>
      {people.map((group) => (
        <optgroup label={group.regionName}>
          {group.navigators.map((p) => (
            <option value={p.id} selected={value === p.id}>
              {p.id === actor.userId ? `Me (${p.name})` : p.name}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  </>
);

// ---------------------------------------------------------------------------------------------------
// Task tables

/**
 * Where a task's link takes this person: a transfer's decision task opens the decision page for the
 * receiving region's navigators, and the case's transfer tab for everyone else.
 */
export function taskHref(task: Task, actor: Actor): string {
  if (
    task.source === 'transfer' &&
    task.caseId &&
    !can(actor, 'transfers.decide', { regionId: task.regionId })
  )
    return `/staff/cases/${task.caseId}/transfer`;
  return task.link;
}

function dueWords(deps: AppDeps, task: Task, now: Date): string {
  switch (dueState(deps.rules.calendar, task, now)) {
    case 'done':
      return 'Done';
    case 'overdue':
      return `Overdue by ${durationInWords(now.getTime() - task.dueAt.getTime())}`;
    case 'today':
      return `Due today, in ${durationInWords(task.dueAt.getTime() - now.getTime())}`;
    case 'upcoming':
      return `Due in ${durationInWords(task.dueAt.getTime() - now.getTime())}`;
  }
}

const DoneButton: FC<{ task: Task; frame: StaffFrame; back: string; done: boolean }> = ({
  task,
  frame,
  back,
  done,
}) => (
  <form method="post" action={`/staff/tasks/${task.id}/${done ? 'complete' : 'reopen'}`}>
    <CsrfField token={frame.csrf} />
    <input type="hidden" name="back" value={back} />
    <button type="submit" class={done ? undefined : 'btn alt'}>
      {done ? 'Mark done' : 'Reopen'}
      <span class="skip">: {task.title}</span>
    </button>
  </form>
);

const OpenTasks: FC<{
  deps: AppDeps;
  id: string;
  caption: string;
  tasks: Task[];
  now: Date;
  frame: StaffFrame;
  actor: Actor;
  back: string;
  showRegion: boolean;
  showCaseLink: boolean;
}> = ({ deps, id, caption, tasks, now, frame, actor, back, showRegion, showCaseLink }) => (
  <table id={id} tabindex={0}>
    <caption>{caption}</caption>
    <thead>
      <tr>
        <th scope="col">Due</th>
        <th scope="col">Task</th>
        {showRegion ? <th scope="col">Region</th> : null}
        <th scope="col">Assigned to</th>
        <th scope="col">Done?</th>
      </tr>
    </thead>
    <tbody>
      {tasks.map((task) => (
        <tr>
          <td>
            <Time deps={deps} at={task.dueAt} />
            <br />
            {dueState(deps.rules.calendar, task, now) === 'overdue' ? (
              <strong>{dueWords(deps, task, now)}</strong>
            ) : (
              dueWords(deps, task, now)
            )}
          </td>
          <th scope="row">
            {task.title}
            <br />
            <span class="hint">{SOURCE_NAMES[task.source]}</span>
            {showCaseLink && (task.caseId || task.source === 'transfer') ? (
              <>
                {' · '}
                <a href={taskHref(task, actor)}>
                  {task.source === 'transfer' ? 'Open the transfer' : 'Open the case’s tasks'}
                  <span class="skip">: {task.title}</span>
                </a>
              </>
            ) : null}
          </th>
          {showRegion ? <td>{task.regionName}</td> : null}
          <td>
            {task.assignee ? (task.assignee.id === actor.userId ? 'You' : task.assignee.name) : 'Nobody yet'}
          </td>
          <td>
            {task.source !== 'transfer' && can(actor, 'cases.write', { regionId: task.regionId }) ? (
              <DoneButton task={task} frame={frame} back={back} done />
            ) : task.source === 'transfer' ? (
              'When decided'
            ) : (
              '—'
            )}
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);

// ---------------------------------------------------------------------------------------------------
// /staff/tasks

const DONE_MESSAGES: Record<string, string> = {
  added: 'Task added.',
  completed: 'Task marked done.',
  reopened: 'Task reopened.',
  pathway: 'Tasks added from the pathway’s duties.',
  none: 'Those duties already have tasks on this case: nothing was added.',
};

interface TaskFormValues {
  title: string;
  due: string;
  assignee: string;
  region: string;
}

const EMPTY_TASK: TaskFormValues = { title: '', due: '', assignee: '', region: '' };

async function assigneeGroups(deps: AppDeps, regionIds: string[]) {
  const geo = deps.geography.get();
  const groups = [];
  for (const id of regionIds)
    groups.push({
      regionName: geo.regions.get(id)?.name ?? id,
      navigators: await assignableNavigators(deps, id),
    });
  return groups;
}

function writableRegions(deps: AppDeps, actor: Actor): { id: string; name: string }[] {
  return [...deps.geography.get().regions.values()]
    .filter((r) => can(actor, 'cases.write', { regionId: r.id }))
    .map((r) => ({ id: r.id, name: r.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const TaskFields: FC<{
  deps: AppDeps;
  values: TaskFormValues;
  people: { regionName: string; navigators: Assignable[] }[];
  actor: Actor;
}> = ({ deps, values, people, actor }) => (
  <>
    <label for="title">What needs doing</label>
    <p class="hint" id="title-hint">
      Kept encrypted. Write what the next person needs, not more.
    </p>
    <input
      id="title"
      name="title"
      type="text"
      maxlength={200}
      size={40}
      value={values.title}
      aria-describedby="title-hint"
    />
    <label for="due">Due</label>
    <p class="hint" id="due-hint">
      Date and time in Minnesota ({deps.rules.calendar.timezone}).
    </p>
    <input id="due" name="due" type="datetime-local" value={values.due} aria-describedby="due-hint" />
    <AssigneeSelect id="assignee" people={people} actor={actor} value={values.assignee} />
  </>
);

function parseScope(raw: string | undefined, actor: Actor): TaskScope | null {
  if (raw === undefined || raw === '') return POLICY['cases.write'][actor.role] ? 'mine' : 'region';
  return raw === 'mine' || raw === 'region' ? raw : null;
}

async function tasksPage(
  c: Context,
  deps: AppDeps,
  state: { errors: FieldError[]; values: TaskFormValues; status: ContentfulStatusCode } = {
    errors: [],
    values: EMPTY_TASK,
    status: 200,
  },
): Promise<Response> {
  const g = await guardCasePage(
    c,
    deps,
    'cases.read',
    'Regional navigators and state administrators see tasks.',
  );
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const errors = [...state.errors];
  const scope = parseScope(c.req.query('view'), actor);
  if (!scope) errors.push({ field: 'views', message: 'Choose your tasks or your regions’ tasks.' });
  const now = new Date();
  const tasks = scope
    ? await listTasks(coordinationContext(deps), actor, { scope, due: 'all' }, requestOrigin(c))
    : [];
  const bucket = (s: string) => tasks.filter((task) => dueState(deps.rules.calendar, task, now) === s);
  const back = `/staff/tasks?view=${scope ?? 'mine'}`;
  const regions = writableRegions(deps, actor);
  const people = regions.length
    ? await assigneeGroups(
        deps,
        regions.map((r) => r.id),
      )
    : [];
  const showRegion =
    scope === 'region' || caseScopeOf(actor, 'cases.read')?.all === true || actor.regions.length > 1;
  const table = (id: string, caption: string, list: Task[]) => (
    <OpenTasks
      deps={deps}
      id={id}
      caption={caption}
      tasks={list}
      now={now}
      frame={frame}
      actor={actor}
      back={back}
      showRegion={showRegion}
      showCaseLink
    />
  );
  const count = (n: number) => `${n} ${n === 1 ? 'task' : 'tasks'}`;
  const done = state.status === 200 ? (DONE_MESSAGES[c.req.query('done') ?? ''] ?? null) : null;
  return renderPage(
    c,
    <StaffLayout frame={frame} title={scope === 'region' ? 'Tasks of your regions' : 'Your tasks'}>
      <ErrorSummary errors={errors} />
      <Success message={done} />
      <nav aria-label="Which tasks" id="views">
        <ul class="plain">
          {POLICY['cases.write'][actor.role] ? (
            <li>
              <a href="/staff/tasks?view=mine" aria-current={scope === 'mine' ? 'page' : undefined}>
                Tasks assigned to you
              </a>
            </li>
          ) : null}
          <li>
            <a href="/staff/tasks?view=region" aria-current={scope === 'region' ? 'page' : undefined}>
              {caseScopeOf(actor, 'cases.read')?.all
                ? 'Open tasks of every region'
                : 'Every open task of your regions'}
            </a>
          </li>
        </ul>
      </nav>
      <p>
        Soonest due first. Times are Minnesota time; business days skip weekends and Minnesota holidays.
        Showing these tasks is recorded in the audit log.
      </p>
      <h2 id="overdue-h">Overdue ({bucket('overdue').length})</h2>
      {bucket('overdue').length ? (
        table('overdue', `Overdue: ${count(bucket('overdue').length)}`, bucket('overdue'))
      ) : (
        <p>Nothing overdue.</p>
      )}
      <h2 id="today-h">Due today ({bucket('today').length})</h2>
      {bucket('today').length ? (
        table('today', `Due today: ${count(bucket('today').length)}`, bucket('today'))
      ) : (
        <p>Nothing else due today.</p>
      )}
      <h2 id="upcoming-h">Upcoming ({bucket('upcoming').length})</h2>
      {bucket('upcoming').length ? (
        table('upcoming', `Upcoming: ${count(bucket('upcoming').length)}`, bucket('upcoming'))
      ) : (
        <p>Nothing upcoming.</p>
      )}
      {regions.length ? (
        <form method="post" action="/staff/tasks" aria-labelledby="add-h" novalidate>
          <h2 id="add-h">Add a task without a case</h2>
          <p class="hint">
            For work of the region that is not about one young person. Tasks about a case are added on the
            case.
          </p>
          <CsrfField token={frame.csrf} />
          {regions.length > 1 ? (
            <>
              <label for="region">Region</label>
              <select id="region" name="region">
                {regions.map((r) => (
                  <option value={r.id} selected={state.values.region === r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </>
          ) : (
            <input type="hidden" name="region" value={regions[0]!.id} />
          )}
          <TaskFields deps={deps} values={state.values} people={people} actor={actor} />
          <p>
            <button type="submit">Add the task</button>
          </p>
        </form>
      ) : null}
    </StaffLayout>,
    errors.length && state.status === 200 ? 400 : state.status,
  );
}

function taskValues(form: Form): TaskFormValues {
  return {
    title: formText(form, 'title'),
    due: formText(form, 'due'),
    assignee: formText(form, 'assignee'),
    region: formText(form, 'region'),
  };
}

function errorOf(error: CaseError, fallback: string): FieldError {
  return { field: error.field ?? fallback, message: error.message };
}

async function addRegionTask(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guardCasePage(c, deps, 'cases.write', 'Regional navigators add tasks.');
  if (g instanceof Response) return g;
  const form = await readForm(c);
  const values = taskValues(form);
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
  } catch (error) {
    if (!(error instanceof CaseError)) throw error;
    if (error.code === 'forbidden')
      return messagePage(c, g.frame, 403, 'You cannot do that', error.message, {
        href: '/staff/tasks',
        text: 'Go back to your tasks',
      });
    return tasksPage(c, deps, {
      errors: [errorOf(error, 'title')],
      values,
      status: error.code === 'invalid' ? 400 : 409,
    });
  }
  return c.redirect('/staff/tasks?done=added', 303);
}

const BACK = /^\/staff\/(tasks(\?view=(mine|region))?|cases\/[0-9a-f-]{36}\/tasks)$/;

async function doneAction(c: Context, deps: AppDeps, done: boolean): Promise<Response> {
  const g = await guardCasePage(c, deps, 'cases.write', 'Regional navigators change tasks.');
  if (g instanceof Response) return g;
  const form = await readForm(c);
  const back = BACK.test(formText(form, 'back')) ? formText(form, 'back') : '/staff/tasks';
  try {
    await setTaskDone(coordinationContext(deps), g.actor, c.req.param('id') ?? '', done, requestOrigin(c));
  } catch (error) {
    if (!(error instanceof CaseError)) throw error;
    const backLink = { href: back, text: 'Go back' };
    switch (error.code) {
      case 'not_found':
        return messagePage(c, g.frame, 404, 'Task not found', error.message, backLink);
      case 'forbidden':
        return messagePage(c, g.frame, 403, 'You cannot do that', error.message, backLink);
      default:
        return messagePage(c, g.frame, 409, 'The task did not change', error.message, backLink);
    }
  }
  return c.redirect(`${back}${back.includes('?') ? '&' : '?'}done=${done ? 'completed' : 'reopened'}`, 303);
}

// ---------------------------------------------------------------------------------------------------
// /staff/cases/:id/tasks

interface PathwayValues {
  codes: string[];
  from: string;
  assignee: string;
}

async function caseTasksPage(
  c: Context,
  deps: AppDeps,
  state: {
    errors: FieldError[];
    task: TaskFormValues;
    pathway: PathwayValues;
    status: ContentfulStatusCode;
  } = { errors: [], task: EMPTY_TASK, pathway: { codes: [], from: '', assignee: '' }, status: 200 },
): Promise<Response> {
  const g = await guardCasePage(
    c,
    deps,
    'cases.read',
    'Regional navigators and state administrators see cases.',
  );
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  let view: CaseTasks;
  try {
    view = await caseTasks(coordinationContext(deps), actor, c.req.param('id') ?? '', requestOrigin(c));
  } catch (error) {
    if (error instanceof CaseError && error.code === 'not_found') return caseNotFound(c, frame);
    throw error;
  }
  const now = new Date();
  const caseId = view.case.id;
  const back = `/staff/cases/${caseId}/tasks`;
  const writable =
    view.case.status === 'open' && can(actor, 'cases.write', { regionId: view.case.region_id });
  const open = view.tasks.filter((task) => !task.completedAt);
  const done = view.tasks.filter((task) => task.completedAt);
  const people = writable ? await assigneeGroups(deps, [view.case.region_id]) : [];
  const actions = taskableActions(deps.rules.pathway, deps.rules.calendar.local(now).date);
  const message = state.status === 200 ? (DONE_MESSAGES[c.req.query('done') ?? ''] ?? null) : null;
  return renderPage(
    c,
    <StaffLayout frame={frame} title="Tasks">
      <ErrorSummary errors={state.errors} />
      <Success message={message} />
      <CaseHeading
        caseId={caseId}
        label={view.label}
        regionName={view.regionName}
        current="tasks"
        closed={view.case.status !== 'open'}
      />
      <h2>Open tasks ({open.length})</h2>
      {open.length ? (
        <OpenTasks
          deps={deps}
          id="open-tasks"
          caption="Open tasks, soonest due first"
          tasks={open}
          now={now}
          frame={frame}
          actor={actor}
          back={back}
          showRegion={open.some((task) => task.regionId !== view.case.region_id)}
          showCaseLink={open.some((task) => task.source === 'transfer')}
        />
      ) : (
        <p>No open tasks.</p>
      )}
      {writable ? (
        <>
          <form method="post" action={`/staff/cases/${caseId}/tasks`} aria-labelledby="add-h" novalidate>
            <h2 id="add-h">Add a task</h2>
            <CsrfField token={frame.csrf} />
            <TaskFields deps={deps} values={state.task} people={people} actor={actor} />
            <p>
              <button type="submit">Add the task</button>
            </p>
          </form>
          <form
            method="post"
            action={`/staff/cases/${caseId}/tasks/pathway`}
            aria-labelledby="pathway-h"
            novalidate
          >
            <h2 id="pathway-h">Add tasks from the pathway’s duties</h2>
            <p class="hint">
              Each task is due at the duty’s deadline, counted from the time below. A duty already added to
              this case is not added again.
            </p>
            <CsrfField token={frame.csrf} />
            <fieldset id="codes">
              <legend>Duties with a deadline</legend>
              {actions.map((a) => (
                <label>
                  <input
                    type="checkbox"
                    name="codes"
                    value={a.code}
                    checked={state.pathway.codes.includes(a.code)}
                    disabled={view.pathwayDone.includes(a.code)}
                  />{' '}
                  {a.title} ({deadlineWords(a)}){view.pathwayDone.includes(a.code) ? ' — already a task' : ''}
                </label>
              ))}
            </fieldset>
            <label for="from">Count the deadlines from (optional)</label>
            <p class="hint" id="from-hint">
              When it happened, for example when the young person was found. Leave empty for now.
            </p>
            <input
              id="from"
              name="from"
              type="datetime-local"
              value={state.pathway.from}
              max={localDateTimeValue(deps.rules.calendar, now)}
              aria-describedby="from-hint"
            />
            <AssigneeSelect
              id="pathway-assignee"
              people={people}
              actor={actor}
              value={state.pathway.assignee}
            />
            <p>
              <button type="submit">Add these tasks</button>
            </p>
          </form>
        </>
      ) : null}
      <h2>Done ({done.length})</h2>
      {done.length ? (
        <table id="done-tasks" tabindex={0}>
          <caption>Done tasks, most recent first</caption>
          <thead>
            <tr>
              <th scope="col">Done</th>
              <th scope="col">Task</th>
              <th scope="col">By</th>
              <th scope="col">Reopen</th>
            </tr>
          </thead>
          <tbody>
            {done.map((task) => (
              <tr>
                <td>
                  <Time deps={deps} at={task.completedAt!} />
                </td>
                <th scope="row">
                  {task.title}
                  <br />
                  <span class="hint">
                    {SOURCE_NAMES[task.source]}, was due <Time deps={deps} at={task.dueAt} />
                  </span>
                </th>
                <td>
                  {task.completedBy
                    ? task.completedBy.id === actor.userId
                      ? 'You'
                      : task.completedBy.name
                    : '—'}
                </td>
                <td>
                  {writable &&
                  task.source !== 'transfer' &&
                  can(actor, 'cases.write', { regionId: task.regionId }) ? (
                    <DoneButton task={task} frame={frame} back={back} done={false} />
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>Nothing done yet.</p>
      )}
    </StaffLayout>,
    state.status,
  );
}

async function addCaseTask(c: Context, deps: AppDeps, fromPathway: boolean): Promise<Response> {
  const g = await guardCasePage(c, deps, 'cases.write', 'Regional navigators add tasks.');
  if (g instanceof Response) return g;
  const caseId = c.req.param('id') ?? '';
  const form = await readForm(c);
  const task = fromPathway ? EMPTY_TASK : taskValues(form);
  const pathway: PathwayValues = fromPathway
    ? { codes: formList(form, 'codes'), from: formText(form, 'from'), assignee: formText(form, 'assignee') }
    : { codes: [], from: '', assignee: '' };
  const ctx = coordinationContext(deps);
  let done = 'added';
  try {
    if (fromPathway) {
      const from = pathway.from.trim() ? parseLocalDateTime(deps.rules.calendar, pathway.from) : null;
      if (pathway.from.trim() && !from)
        throw new CaseError(
          'invalid',
          'Enter the time the deadlines count from as a date and a time.',
          'from',
        );
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
          dueAt: parseLocalDateTime(deps.rules.calendar, task.due),
          assigneeUserId: task.assignee || null,
        },
        requestOrigin(c),
      );
    }
  } catch (error) {
    if (!(error instanceof CaseError)) throw error;
    if (error.code === 'not_found') return caseNotFound(c, g.frame);
    if (error.code === 'forbidden')
      return messagePage(c, g.frame, 403, 'You cannot do that', error.message, {
        href: '/staff/tasks',
        text: 'Go to your tasks',
      });
    // The pathway form's assignee select has its own id.
    const fallback = fromPathway ? 'codes' : 'title';
    const e = errorOf(error, fallback);
    if (fromPathway && e.field === 'assignee') e.field = 'pathway-assignee';
    return caseTasksPage(c, deps, {
      errors: [e],
      task,
      pathway,
      status: error.code === 'invalid' ? 400 : 409,
    });
  }
  return c.redirect(`/staff/cases/${caseId.toLowerCase()}/tasks?done=${done}`, 303);
}

export const tasksPages: Feature = (app, deps, policies) => {
  const read = staffAction('cases.read');
  const write = staffAction('cases.write');
  policies.declare('GET', '/staff/tasks', read);
  policies.declare('POST', '/staff/tasks', write);
  policies.declare('POST', '/staff/tasks/:id/complete', write);
  policies.declare('POST', '/staff/tasks/:id/reopen', write);
  policies.declare('GET', '/staff/cases/:id/tasks', read);
  policies.declare('POST', '/staff/cases/:id/tasks', write);
  policies.declare('POST', '/staff/cases/:id/tasks/pathway', write);
  app.get('/staff/tasks', (c) => tasksPage(c, deps));
  app.post('/staff/tasks', (c) => addRegionTask(c, deps));
  app.post('/staff/tasks/:id/complete', (c) => doneAction(c, deps, true));
  app.post('/staff/tasks/:id/reopen', (c) => doneAction(c, deps, false));
  app.get('/staff/cases/:id/tasks', (c) => caseTasksPage(c, deps));
  app.post('/staff/cases/:id/tasks', (c) => addCaseTask(c, deps, false));
  app.post('/staff/cases/:id/tasks/pathway', (c) => addCaseTask(c, deps, true));
};
