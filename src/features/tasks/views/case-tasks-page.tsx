/**
 * A case's tasks tab `/staff/cases/:id/tasks`: open and done tasks, a task by hand, and tasks from the
 * pathway's duties.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import type { Actor } from '../../../platform/access.ts';
import { Success, type FieldError } from '../../../web/page.tsx';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { CaseHeading } from '../../cases/index.ts';
import { deadlineWords, localDateTimeValue, type TaskableAction } from '../rules.ts';
import type { CaseTasks } from '../rules.ts';
import {
  AssigneeSelect,
  DoneTasks,
  OpenTasks,
  TaskFields,
  type AssigneeGroups,
  type TaskFormValues,
} from './task-table.tsx';

export interface PathwayValues {
  codes: string[];
  from: string;
  assignee: string;
}

export const EMPTY_PATHWAY: PathwayValues = { codes: [], from: '', assignee: '' };

export interface CaseTasksPageProps {
  deps: AppDeps;
  frame: StaffFrame;
  actor: Actor;
  view: CaseTasks;
  writable: boolean;
  now: Date;
  people: AssigneeGroups;
  actions: TaskableAction[];
  errors: FieldError[];
  task: TaskFormValues;
  pathway: PathwayValues;
  message: string | null;
}

const PathwayForm: FC<CaseTasksPageProps> = ({ deps, frame, actor, view, now, people, actions, pathway }) => (
  <form
    method="post"
    action={`/staff/cases/${view.case.id}/tasks/pathway`}
    aria-labelledby="pathway-h"
    novalidate
  >
    <h2 id="pathway-h">Add tasks from the pathway’s duties</h2>
    <p class="hint">
      Each task is due at the duty’s deadline, counted from the time below. A duty already added to this case
      is not added again.
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
            checked={pathway.codes.includes(a.code)}
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
      value={pathway.from}
      max={localDateTimeValue(deps.rules.calendar, now)}
      aria-describedby="from-hint"
    />
    <AssigneeSelect id="pathway-assignee" people={people} actor={actor} value={pathway.assignee} />
    <p>
      <button type="submit">Add these tasks</button>
    </p>
  </form>
);

export const CaseTasksPage: FC<CaseTasksPageProps> = (props) => {
  const { deps, frame, actor, view, writable, now } = props;
  const caseId = view.case.id;
  const back = `/staff/cases/${caseId}/tasks`;
  const open = view.tasks.filter((task) => !task.completedAt);
  const done = view.tasks.filter((task) => task.completedAt);
  return (
    <StaffLayout frame={frame} title="Tasks">
      <ErrorSummary errors={props.errors} />
      <Success message={props.message} />
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
            <TaskFields deps={deps} values={props.task} people={props.people} actor={actor} />
            <p>
              <button type="submit">Add the task</button>
            </p>
          </form>
          <PathwayForm {...props} />
        </>
      ) : null}
      <h2>Done ({done.length})</h2>
      {done.length ? (
        <DoneTasks deps={deps} tasks={done} frame={frame} actor={actor} back={back} writable={writable} />
      ) : (
        <p>Nothing done yet.</p>
      )}
    </StaffLayout>
  );
};
