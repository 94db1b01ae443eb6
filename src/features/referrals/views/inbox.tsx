/**
 * The referrals inbox: received by the person's organization, or sent from their regions, with status
 * filters and the person's unread referral notifications.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import { ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { Time, type FieldError } from '../../../web/page.tsx';
import { AGE_BAND_NAMES, durationInWords } from '../../queue/service.ts';
import {
  LIST_VIEWS,
  statusText,
  type ReferralBox,
  type ReferralListView,
  type ReferralSummary,
} from '../rules.ts';

const BOX_NAMES: Record<ReferralBox, string> = {
  received: 'Received by your organization',
  sent: 'Sent from your regions',
};

const InboxTable: FC<{ deps: AppDeps; box: ReferralBox; items: ReferralSummary[]; now: Date }> = ({
  deps,
  box,
  items,
  now,
}) => (
  <table id="inbox" tabindex={0}>
    <caption>
      {items.length === 0
        ? 'No referrals match'
        : `${items.length} ${items.length === 1 ? 'referral' : 'referrals'}, longest waiting first`}
    </caption>
    <thead>
      <tr>
        <th scope="col">Sent</th>
        <th scope="col">Service</th>
        <th scope="col">{box === 'received' ? 'From' : 'To'}</th>
        <th scope="col">Age</th>
        <th scope="col">County</th>
        <th scope="col">Status</th>
      </tr>
    </thead>
    <tbody>
      {items.map((r) => (
        <tr>
          <th scope="row">
            <a href={`/staff/referrals/${r.id}`}>
              {r.sentAt ? `${durationInWords(now.getTime() - r.sentAt.getTime())} ago` : 'Not sent (draft)'}
              <span class="usa-sr-only"> — open this referral for {r.serviceLabel.toLowerCase()}</span>
            </a>
          </th>
          <td>{r.serviceLabel}</td>
          <td>{box === 'received' ? r.fromRegion.name : r.toOrganization.name}</td>
          <td>{AGE_BAND_NAMES[r.ageBand]}</td>
          <td>{r.countyName ?? 'Not known'}</td>
          <td>
            {statusText(r, deps.rules.vocabularies.declineReasons)}
            {r.status === 'sent' && r.remindAt && r.remindAt.getTime() <= now.getTime() ? ' (overdue)' : ''}
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);

export const Inbox: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  errors: FieldError[];
  organizationName: string | null;
  oversight: boolean;
  outside: { open: number; total: number } | null;
  unread: { text: string; link: string | null; created_at: Date }[];
  boxes: ReferralBox[];
  box: ReferralBox;
  view: ReferralListView;
  items: ReferralSummary[];
  now: Date;
}> = ({
  deps,
  frame,
  errors,
  organizationName,
  oversight,
  outside,
  unread,
  boxes,
  box,
  view,
  items,
  now,
}) => (
  <StaffLayout frame={frame} title="Referrals">
    <ErrorSummary errors={errors} />
    {oversight ? (
      <p>
        Referrals across the network, from every region, to oversee: you can read them and their messages, not
        answer them. Opening one is recorded in the audit log.
      </p>
    ) : (
      <p>
        Referrals to {organizationName ?? 'your organization'} show what service is needed, the young person’s
        age band and county, and identifying details only as far as their consent allows. Opening one is
        recorded in the audit log.
      </p>
    )}
    <section aria-labelledby="notes-h">
      <h2 id="notes-h">Referral notifications</h2>
      {unread.length ? (
        <ul>
          {unread.map((n) => (
            <li>
              {n.link ? <a href={n.link}>{n.text}</a> : n.text} · <Time deps={deps} at={n.created_at} />
            </li>
          ))}
        </ul>
      ) : (
        <p>No unread referral notifications.</p>
      )}
    </section>
    <form method="get" action="/staff/referrals" aria-labelledby="filter-h" novalidate>
      <h2 id="filter-h">Show referrals</h2>
      <div class="filters">
        {boxes.length > 1 ? (
          <div>
            <label for="box">Which</label>
            <select id="box" name="box">
              {boxes.map((b) => (
                <option value={b} selected={box === b}>
                  {BOX_NAMES[b]}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div>
          <label for="view">Status</label>
          <select id="view" name="view">
            {(Object.keys(LIST_VIEWS) as ReferralListView[])
              .filter((k) => k !== 'drafts' || box === 'sent')
              .map((k) => (
                <option value={k} selected={view === k}>
                  {LIST_VIEWS[k]}
                </option>
              ))}
          </select>
        </div>
      </div>
      <button type="submit">Show</button> <a href="/staff/referrals">Clear filters</a>
    </form>
    <h2>{oversight ? 'Referrals from every region' : BOX_NAMES[box]}</h2>
    <InboxTable deps={deps} box={box} items={items} now={now} />
    {outside ? (
      <p id="outside-count">
        Also {outside.total} {outside.total === 1 ? 'referral' : 'referrals'} to services outside the network
        ({outside.open} still open), recorded by hand on each case’s Referrals tab.
      </p>
    ) : null}
  </StaffLayout>
);
