/**
 * `/staff/tasks`: the signed-in navigator's tasks (overdue, due today, upcoming) or every open task of
 * their regions, and the form for a task without a case.
 */
import type { FC } from 'hono/jsx';
import { Success, type FieldError, type StaffView } from '../../../web/page.tsx';
import { CsrfField, ErrorSummary, StaffLayout } from '../../../web/staff-layout.tsx';
import { Actions, Button, Panel } from '../../../web/ui.tsx';
import { dueState, type TaskScope } from '../rules.ts';
import type { Task } from '../rules.ts';
import { OpenTasks, TaskFields, type AssigneeGroups, type TaskFormValues } from './task-table.tsx';

export interface TasksPageProps extends StaffView {
  scope: TaskScope | null;
  /** Whether the person adds tasks (and so has tasks of their own). */
  writes: boolean;
  /** Whether they see every region. */
  everyRegion: boolean;
  tasks: Task[];
  now: Date;
  regions: { id: string; name: string }[];
  people: AssigneeGroups;
  errors: FieldError[];
  values: TaskFormValues;
  done: string | null;
}

const count = (n: number) => `${n} ${n === 1 ? 'task' : 'tasks'}`;

const BUCKETS = [
  { id: 'overdue', heading: 'Overdue', none: 'Nothing overdue.' },
  { id: 'today', heading: 'Due today', none: 'Nothing else due today.' },
  { id: 'upcoming', heading: 'Upcoming', none: 'Nothing upcoming.' },
] as const;

export const TasksPage: FC<TasksPageProps> = (p) => {
  const back = `/staff/tasks?view=${p.scope ?? 'mine'}`;
  const showRegion = p.scope === 'region' || p.everyRegion || p.actor.regions.length > 1;
  return (
    <StaffLayout frame={p.frame} title={p.scope === 'region' ? 'Tasks of your regions' : 'Your tasks'}>
      <ErrorSummary errors={p.errors} />
      <Success message={p.done} />
      <nav aria-label="Which tasks" id="views" class="nwd-views">
        <ul>
          {p.writes ? (
            <li>
              <a href="/staff/tasks?view=mine" aria-current={p.scope === 'mine' ? 'page' : undefined}>
                Tasks assigned to you
              </a>
            </li>
          ) : null}
          <li>
            <a href="/staff/tasks?view=region" aria-current={p.scope === 'region' ? 'page' : undefined}>
              {p.everyRegion ? 'Open tasks of every region' : 'Every open task of your regions'}
            </a>
          </li>
        </ul>
      </nav>
      <p class="nwd-muted">
        Soonest due first. Times are Minnesota time; business days skip weekends and Minnesota holidays.
        Showing these tasks is recorded in the audit log.
      </p>
      {BUCKETS.map((b) => {
        const list = p.tasks.filter((task) => dueState(p.deps.rules.calendar, task, p.now) === b.id);
        return (
          <Panel id={`${b.id}-h`} heading={`${b.heading} (${list.length})`}>
            {list.length ? (
              <OpenTasks
                deps={p.deps}
                id={b.id}
                caption={`${b.heading}: ${count(list.length)}`}
                tasks={list}
                now={p.now}
                frame={p.frame}
                actor={p.actor}
                back={back}
                showRegion={showRegion}
                showCaseLink
              />
            ) : (
              <p>{b.none}</p>
            )}
          </Panel>
        );
      })}
      {p.regions.length ? (
        <form
          method="post"
          action="/staff/tasks"
          aria-labelledby="add-h"
          novalidate
          class="usa-form nwd-panel"
        >
          <h2 id="add-h">Add a task without a case</h2>
          <p class="usa-hint">
            For work of the region that is not about one young person. Tasks about a case are added on the
            case.
          </p>
          <CsrfField token={p.frame.csrf} />
          {p.regions.length > 1 ? (
            <div class="usa-form-group">
              <label for="region" class="usa-label">
                Region
              </label>
              <select id="region" name="region" class="usa-select">
                {p.regions.map((r) => (
                  <option value={r.id} selected={p.values.region === r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <input type="hidden" name="region" value={p.regions[0]!.id} />
          )}
          <TaskFields deps={p.deps} values={p.values} people={p.people} actor={p.actor} />
          <Actions>
            <Button>Add the task</Button>
          </Actions>
        </form>
      ) : null}
    </StaffLayout>
  );
};
