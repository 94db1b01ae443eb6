/**
 * A case's tasks tab `/staff/cases/:id/tasks`: open and done tasks, a task by hand, and tasks from the
 * pathway's duties.
 */
import type { FC } from 'hono/jsx';
import { type FieldError, type StaffView } from '../../../web/page.tsx';
import { CsrfField, StaffLayout } from '../../../web/staff-layout.tsx';
import { Input, Ticks } from '../../../web/forms.tsx';
import { Actions, Button, Panel } from '../../../web/ui.tsx';
import { CaseTabTop } from '../../cases/index.ts';
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

export interface CaseTasksPageProps extends StaffView {
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
    class="usa-form nwd-panel"
  >
    <h2 id="pathway-h">Add tasks from the pathway’s duties</h2>
    <p class="usa-hint">
      Each task is due at the duty’s deadline, counted from the time below. A duty already added to this case
      is not added again.
    </p>
    <CsrfField token={frame.csrf} />
    <fieldset id="codes" class="usa-fieldset usa-form-group">
      <legend class="usa-legend">Duties with a deadline</legend>
      <Ticks
        type="checkbox"
        name="codes"
        options={actions.map((a) => {
          const done = view.pathwayDone.includes(a.code);
          return {
            value: a.code,
            label: `${a.title} (${deadlineWords(a)})${done ? ' — already a task' : ''}`,
            disabled: done,
          };
        })}
        checked={(code) => pathway.codes.includes(code)}
      />
    </fieldset>
    <Input
      id="from"
      label="Count the deadlines from (optional)"
      hint="When it happened, for example when the young person was found. Leave empty for now."
      type="datetime-local"
      value={pathway.from}
      max={localDateTimeValue(deps.rules.calendar, now)}
    />
    <AssigneeSelect id="pathway-assignee" people={people} actor={actor} value={pathway.assignee} />
    <Actions>
      <Button>Add these tasks</Button>
    </Actions>
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
      <CaseTabTop view={view} current="tasks" errors={props.errors} message={props.message} />
      <Panel id="open-h" heading={`Open tasks (${open.length})`}>
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
      </Panel>
      {writable ? (
        <div class="nwd-columns">
          <form
            method="post"
            action={`/staff/cases/${caseId}/tasks`}
            aria-labelledby="add-h"
            novalidate
            class="usa-form nwd-panel"
          >
            <h2 id="add-h">Add a task</h2>
            <CsrfField token={frame.csrf} />
            <TaskFields deps={deps} values={props.task} people={props.people} actor={actor} />
            <Actions>
              <Button>Add the task</Button>
            </Actions>
          </form>
          <PathwayForm {...props} />
        </div>
      ) : null}
      <Panel id="done-h" heading={`Done (${done.length})`}>
        {done.length ? (
          <DoneTasks deps={deps} tasks={done} frame={frame} actor={actor} back={back} writable={writable} />
        ) : (
          <p>Nothing done yet.</p>
        )}
      </Panel>
    </StaffLayout>
  );
};
