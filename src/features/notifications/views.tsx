/**
 * A person's notifications on a staff page (the queue and the staff home page show them): how many are
 * unread, each with its link and age, and the forms to mark one or all of them read. The same notice
 * told more than once (the same words and link: a reminder sent again) shows once, with how many times.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../app-types.ts';
import { Time } from '../../web/page.tsx';
import { CsrfField, type StaffFrame } from '../../web/staff-layout.tsx';
import { Button, Panel, SrOnly, Tag } from '../../web/ui.tsx';
import { durationInWords } from '../queue/index.ts';
import type { StaffNotification } from './service.ts';

/** One line per notice: the newest of those with the same words and link, and how many there are. */
export function onePerNotice(
  notifications: readonly StaffNotification[],
): { n: StaffNotification; times: number; unread: boolean }[] {
  const lines = new Map<string, { n: StaffNotification; times: number; unread: boolean }>();
  for (const n of notifications) {
    const key = `${n.text}\n${n.link ?? ''}`;
    const line = lines.get(key);
    if (!line) lines.set(key, { n, times: 1, unread: !n.read });
    else {
      line.times++;
      line.unread ||= !n.read;
      if (n.createdAt > line.n.createdAt && (!n.read || line.n.read)) line.n = n;
      else if (!n.read && line.n.read) line.n = n;
    }
  }
  return [...lines.values()];
}

export const Notifications: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  unread: number;
  notifications: StaffNotification[];
  now: Date;
}> = ({ deps, frame, unread, notifications, now }) => (
  <Panel id="notifications-h" heading="Notifications">
    <p id="notification-count">
      {unread === 0
        ? 'You have no unread notifications.'
        : `You have ${unread} unread ${unread === 1 ? 'notification' : 'notifications'}.`}
    </p>
    {notifications.length ? (
      <ul class="usa-list usa-list--unstyled nwd-rows" id="notifications">
        {onePerNotice(notifications).map(({ n, times, unread: isNew }) => (
          <li>
            <span>
              {isNew ? (
                <>
                  <Tag tone="info">New</Tag>{' '}
                </>
              ) : null}
              {n.link ? <a href={n.link}>{n.text}</a> : n.text}
              {times > 1 ? ` (${times} times)` : ''}
              <br />
              <span class="nwd-muted">
                <Time deps={deps} at={n.createdAt} show="date-time" /> (
                {durationInWords(now.getTime() - n.createdAt.getTime())} ago)
              </span>
            </span>
            {isNew ? (
              <form method="post" action={`/staff/notifications/${n.id}/read`}>
                <CsrfField token={frame.csrf} />
                <Button variant="outline">
                  Mark as read<SrOnly>: {n.text}</SrOnly>
                </Button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
    ) : null}
    {unread > 1 ? (
      <form method="post" action="/staff/notifications/read" class="margin-top-2">
        <CsrfField token={frame.csrf} />
        <Button variant="outline">Mark all as read</Button>
      </form>
    ) : null}
  </Panel>
);
