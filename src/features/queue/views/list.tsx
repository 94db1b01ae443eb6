/**
 * The queue's list page: the filters, the person's unread notifications (once: read ones are on the
 * staff home page) and the table of items, most urgent and longest waiting first, each opened by a link
 * that says what it opens.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import type { Actor } from '../../../platform/access.ts';
import { Choice, Success } from '../../../web/page.tsx';
import { Button, DataTable, SrOnly, Tag } from '../../../web/ui.tsx';
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

const COLUMNS = ['Referral', 'Waiting', 'Urgency', 'Age', 'County', 'Region', 'Status', 'Claimed by'];

/** An urgency as a tag: immediate ones stand out. */
const UrgencyTag: FC<{ urgency: Urgency }> = ({ urgency }) =>
  urgency === 'immediate' ? <Tag tone="error">{URGENCY_NAMES[urgency]}</Tag> : <>{URGENCY_NAMES[urgency]}</>;

const QueueTable: FC<{ items: QueueItemSummary[]; actor: Actor; now: Date }> = ({ items, actor, now }) => (
  <DataTable
    label="Referrals"
    caption={
      items.length === 0
        ? 'No referrals match'
        : `${items.length} ${items.length === 1 ? 'referral' : 'referrals'}, most urgent and longest waiting first`
    }
    head={COLUMNS}
    id="queue"
  >
    {items.map((item) => (
      <tr>
        <th scope="row">
          <a href={`/staff/queue/${item.id}`} class="text-bold">
            {KIND_NAMES[item.kind]}
            <SrOnly>
              {item.countyName ? ` from ${item.countyName} County` : ''}, waiting {waiting(item, now)}
            </SrOnly>
          </a>
        </th>
        <td>{waiting(item, now)}</td>
        <td>
          <UrgencyTag urgency={item.urgency} />
        </td>
        <td>{ageInWords(item.age, item.ageBand)}</td>
        <td>{item.countyName ?? 'Not known'}</td>
        <td>{item.regionName ?? 'No region'}</td>
        <td>
          {STATUS_NAMES[item.status]}
          {item.escalationLevel > 0 && item.status === 'new'
            ? ` (${ESCALATION_NAMES[item.escalationLevel]})`
            : ''}
        </td>
        <td>{claimedByText(item, actor)}</td>
      </tr>
    ))}
  </DataTable>
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
          : 'You have no regions yet: ask your organization’s administrator to assign yours.'}{' '}
      Opening one is recorded in the audit log.
    </p>
    <div class="nwd-columns">
      <div>
        <form method="get" action="/staff/queue" aria-labelledby="filter-h" novalidate class="nwd-panel">
          <h2 id="filter-h" class="margin-0">
            Filter the queue
          </h2>
          <div class="nwd-filters">
            <div class="usa-form-group">
              <label for="view" class="usa-label">
                Show
              </label>
              <select id="view" name="view" class="usa-select">
                {(Object.keys(QUEUE_VIEWS) as QueueView[]).map((v) => (
                  <option value={v} selected={(values.view || 'open') === v}>
                    {QUEUE_VIEWS[v]}
                  </option>
                ))}
              </select>
            </div>
            {regions.length > 1 ? (
              <div class="usa-form-group">
                <Choice
                  id="region"
                  label="Region"
                  placeholder="All your regions"
                  options={regions.map((r) => ({ value: r.id, label: r.name }))}
                  selected={values.region}
                />
              </div>
            ) : null}
            <div class="usa-form-group">
              <Choice
                id="urgency"
                label="Urgency"
                placeholder="Any urgency"
                options={URGENCY_OPTIONS}
                selected={values.urgency}
              />
            </div>
            <Button>Show referrals</Button>
            <a href="/staff/queue" class="margin-top-2">
              Clear filters
            </a>
          </div>
        </form>
      </div>
      <div>
        <Notifications
          deps={deps}
          frame={frame}
          unread={notes.unread}
          notifications={notes.notifications.filter((n) => !n.read)}
          now={now}
        />
      </div>
    </div>
    <QueueTable items={items} actor={actor} now={now} />
  </StaffLayout>
);
