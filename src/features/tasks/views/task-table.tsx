/**
 * The pieces of the task pages: the open-task table (due words, assignee, the done button), the done
 * table of a case, and the form fields of a task (title, due time, assignee).
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import { can, type Actor } from '../../../platform/access.ts';
import { ColumnHeads, Time } from '../../../web/page.tsx';
import { CsrfField, type StaffFrame } from '../../../web/staff-layout.tsx';
import { durationInWords } from '../../queue/service.ts';
import { SOURCE_NAMES, TASK_TITLE_MAX, dueState } from '../rules.ts';
import type { Assignable, Task } from '../rules.ts';

export type AssigneeGroups = { regionName: string; navigators: Assignable[] }[];

/** The select of people a task can be assigned to. */
export const AssigneeSelect: FC<{
  id: string;
  people: AssigneeGroups;
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

/** "You", the person's name, or `none`. */
const personWords = (person: Assignable | null, actor: Actor, none: string) =>
  person ? (person.id === actor.userId ? 'You' : person.name) : none;

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

/** Whether the person may mark the task done or reopen it here. */
const changeable = (task: Task, actor: Actor) =>
  task.source !== 'transfer' && can(actor, 'cases.write', { regionId: task.regionId });

export const OpenTasks: FC<{
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
    <ColumnHeads names={['Due', 'Task', showRegion && 'Region', 'Assigned to', 'Done?']} />
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
          <td>{personWords(task.assignee, actor, 'Nobody yet')}</td>
          <td>
            {changeable(task, actor) ? (
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

export const DoneTasks: FC<{
  deps: AppDeps;
  tasks: Task[];
  frame: StaffFrame;
  actor: Actor;
  back: string;
  writable: boolean;
}> = ({ deps, tasks, frame, actor, back, writable }) => (
  <table id="done-tasks" tabindex={0}>
    <caption>Done tasks, most recent first</caption>
    <ColumnHeads names={['Done', 'Task', 'By', 'Reopen']} />
    <tbody>
      {tasks.map((task) => (
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
          <td>{personWords(task.completedBy, actor, '—')}</td>
          <td>
            {writable && changeable(task, actor) ? (
              <DoneButton task={task} frame={frame} back={back} done={false} />
            ) : (
              '—'
            )}
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);

/** What the task form holds, as typed. */
export interface TaskFormValues {
  title: string;
  due: string;
  assignee: string;
  region: string;
}

export const EMPTY_TASK: TaskFormValues = { title: '', due: '', assignee: '', region: '' };

export const TaskFields: FC<{
  deps: AppDeps;
  values: TaskFormValues;
  people: AssigneeGroups;
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
      maxlength={TASK_TITLE_MAX}
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

/** The note after a change, from the `done` query. */
export const DONE_MESSAGES: Record<string, string> = {
  added: 'Task added.',
  completed: 'Task marked done.',
  reopened: 'Task reopened.',
  pathway: 'Tasks added from the pathway’s duties.',
  none: 'Those duties already have tasks on this case: nothing was added.',
};
