/**
 * The pieces of the task pages: the open-task table (due words, assignee, the done button), the done
 * table of a case, and the form fields of a task (title, due time, assignee).
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import { can, type Actor } from '../../../platform/access.ts';
import { Time } from '../../../web/page.tsx';
import { HintedGroup, Input } from '../../../web/forms.tsx';
import { CsrfField, type StaffFrame } from '../../../web/staff-layout.tsx';
import { Button, DataTable, SrOnly, Tag } from '../../../web/ui.tsx';
import { durationInWords } from '../../queue/service.ts';
import { SOURCE_NAMES, TASK_TITLE_MAX, dueState } from '../rules.ts';
import type { Assignable, Task } from '../rules.ts';

export type AssigneeGroups = { regionName: string; navigators: Assignable[] }[];

/** The select of people a task can be assigned to. */
export const AssigneeSelect: FC<{ id: string; people: AssigneeGroups; actor: Actor; value: string }> = ({
  id,
  people,
  actor,
  value,
}) => (
  <HintedGroup id={id} label="Assigned to">
    <select id={id} name="assignee" class="usa-select">
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
  </HintedGroup>
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
    <Button variant={done ? 'primary' : 'outline'}>
      {done ? 'Mark done' : 'Reopen'}
      <SrOnly>: {task.title}</SrOnly>
    </Button>
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
  <DataTable
    label={caption}
    caption={caption}
    head={['Due', 'Task', showRegion && 'Region', 'Assigned to', 'Done?']}
    id={id}
  >
    {tasks.map((task) => (
      <tr>
        <td>
          <Time deps={deps} at={task.dueAt} show="date-time" />
          <br />
          {dueState(deps.rules.calendar, task, now) === 'overdue' ? (
            <Tag tone="error">{dueWords(deps, task, now)}</Tag>
          ) : dueState(deps.rules.calendar, task, now) === 'today' ? (
            <Tag tone="warning">{dueWords(deps, task, now)}</Tag>
          ) : (
            <span class="nwd-muted">{dueWords(deps, task, now)}</span>
          )}
        </td>
        <th scope="row">
          {task.title}
          <br />
          <span class="nwd-muted">{SOURCE_NAMES[task.source]}</span>
          {showCaseLink && (task.caseId || task.source === 'transfer') ? (
            <>
              {' · '}
              <a href={taskHref(task, actor)}>
                {task.source === 'transfer' ? 'Open the transfer' : 'Open the case’s tasks'}
                <SrOnly>: {task.title}</SrOnly>
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
  </DataTable>
);

export const DoneTasks: FC<{
  deps: AppDeps;
  tasks: Task[];
  frame: StaffFrame;
  actor: Actor;
  back: string;
  writable: boolean;
}> = ({ deps, tasks, frame, actor, back, writable }) => (
  <DataTable
    label="Done tasks"
    caption="Done tasks, most recent first"
    head={['Done', 'Task', 'By', 'Reopen']}
    id="done-tasks"
  >
    {tasks.map((task) => (
      <tr>
        <td>
          <Time deps={deps} at={task.completedAt!} show="date-time" />
        </td>
        <th scope="row">
          {task.title}
          <br />
          <span class="nwd-muted">
            {SOURCE_NAMES[task.source]}, was due <Time deps={deps} at={task.dueAt} show="date-time" />
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
  </DataTable>
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
    <Input
      id="title"
      label="What needs doing"
      hint="Kept encrypted. Write what the next person needs, not more."
      maxlength={TASK_TITLE_MAX}
      size={40}
      value={values.title}
    />
    <Input
      id="due"
      label="Due"
      hint={`Date and time in Minnesota (${deps.rules.calendar.timezone.replace('_', ' ')} time).`}
      type="datetime-local"
      value={values.due}
    />
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
