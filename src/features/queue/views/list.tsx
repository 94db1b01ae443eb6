/**
 * The queue's list page: the person's notifications, the filters and the table of items, most urgent
 * and longest waiting first.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import type { Actor } from '../../../platform/access.ts';
import { Choice, ColumnHeads, Success } from '../../../web/page.tsx';
import { ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import type { FieldProblem } from '../../../web/forms.tsx';
import type { Urgency } from '../../intake/index.ts';
import { Notifications } from '../../notifications/index.ts';
import type { StaffNotification } from '../../notifications/service.ts';
import {
  ESCALATION_NAMES,
  KIND_NAMES,
  QUEUE_VIEWS,
  STATUS_NAMES,
  URGENCY_NAMES,
  ageInWords,
  claimedByText,
  waiting,
  type QueueView,
} from '../rules.ts';
import type { QueueItemSummary } from '../service.ts';

/** The filters as typed ('' when not given). */
export interface ListValues {
  view: string;
  region: string;
  urgency: string;
}

const URGENCY_OPTIONS = (Object.keys(URGENCY_NAMES) as Urgency[]).map((u) => ({
  value: u,
  label: URGENCY_NAMES[u],
}));

const COLUMNS = ['Waiting', 'Urgency', 'Age', 'County', 'Region', 'Kind', 'Status', 'Claimed by'];

const QueueTable: FC<{ items: QueueItemSummary[]; actor: Actor; now: Date }> = ({ items, actor, now }) => (
  <table id="queue" tabindex={0}>
    <caption>
      {items.length === 0
        ? 'No referrals match'
        : `${items.length} ${items.length === 1 ? 'referral' : 'referrals'}, most urgent and longest waiting first`}
    </caption>
    <ColumnHeads names={COLUMNS} />
    <tbody>
      {items.map((item) => (
        <tr>
          <th scope="row">
            <a href={`/staff/queue/${item.id}`}>
              {waiting(item, now)}
              <span class="skip">
                {' '}
                — open this {KIND_NAMES[item.kind].toLowerCase()}
                {item.countyName ? ` from ${item.countyName} County` : ''}
              </span>
            </a>
          </th>
          <td>{item.urgency === 'immediate' ? <strong>Immediate</strong> : URGENCY_NAMES[item.urgency]}</td>
          <td>{ageInWords(item.age, item.ageBand)}</td>
          <td>{item.countyName ?? 'Not known'}</td>
          <td>{item.regionName ?? 'No region'}</td>
          <td>{KIND_NAMES[item.kind]}</td>
          <td>
            {STATUS_NAMES[item.status]}
            {item.escalationLevel > 0 && item.status === 'new'
              ? ` (${ESCALATION_NAMES[item.escalationLevel]})`
              : ''}
          </td>
          <td>{claimedByText(item, actor)}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

export const QueueListPage: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  actor: Actor;
  values: ListValues;
  errors: FieldProblem[];
  done: string | null;
  items: QueueItemSummary[];
  notes: { unread: number; notifications: StaffNotification[] };
  regions: { id: string; name: string }[];
  allRegions: boolean;
  now: Date;
}> = ({ deps, frame, actor, values, errors, done, items, notes, regions, allRegions, now }) => (
  <StaffLayout frame={frame} title="Referral queue">
    <ErrorSummary errors={errors} />
    <Success message={done} />
    <p>
      {allRegions
        ? 'Referrals and self-referrals from every region, and those whose county is not known.'
        : regions.length
          ? `Referrals and self-referrals for ${regions.map((r) => r.name).join(', ')}.`
          : 'You have no regions yet: ask your organisation’s administrator to assign yours.'}{' '}
      Opening one is recorded in the audit log.
    </p>
    <Notifications
      deps={deps}
      frame={frame}
      unread={notes.unread}
      notifications={notes.notifications}
      now={now}
    />
    <form method="get" action="/staff/queue" aria-labelledby="filter-h" novalidate>
      <h2 id="filter-h">Filter the queue</h2>
      <div class="filters">
        <div>
          <label for="view">Show</label>
          <select id="view" name="view">
            {(Object.keys(QUEUE_VIEWS) as QueueView[]).map((v) => (
              <option value={v} selected={(values.view || 'open') === v}>
                {QUEUE_VIEWS[v]}
              </option>
            ))}
          </select>
        </div>
        {regions.length > 1 ? (
          <div>
            <Choice
              id="region"
              label="Region"
              placeholder="All your regions"
              options={regions.map((r) => ({ value: r.id, label: r.name }))}
              selected={values.region}
            />
          </div>
        ) : null}
        <div>
          <Choice
            id="urgency"
            label="Urgency"
            placeholder="Any urgency"
            options={URGENCY_OPTIONS}
            selected={values.urgency}
          />
        </div>
      </div>
      <button type="submit">Show referrals</button> <a href="/staff/queue">Clear filters</a>
    </form>
    <QueueTable items={items} actor={actor} now={now} />
  </StaffLayout>
);
