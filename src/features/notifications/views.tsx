/**
 * A person's notifications on a staff page (the queue and the staff home page show them): how many are
 * unread, each with its link and age, and the forms to mark one or all of them read.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../app-types.ts';
import { Time } from '../../web/page.tsx';
import { CsrfField, type StaffFrame } from '../../web/staff-layout.tsx';
import { durationInWords } from '../queue/index.ts';
import type { StaffNotification } from './service.ts';

export const Notifications: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  unread: number;
  notifications: StaffNotification[];
  now: Date;
}> = ({ deps, frame, unread, notifications, now }) => (
  <section aria-labelledby="notifications-h">
    <h2 id="notifications-h">Notifications</h2>
    <p id="notification-count">
      {unread === 0
        ? 'You have no unread notifications.'
        : `You have ${unread} unread ${unread === 1 ? 'notification' : 'notifications'}.`}
    </p>
    {notifications.length ? (
      <ul class="plain">
        {notifications.map((n) => (
          <li>
            {n.read ? null : <strong>New: </strong>}
            {n.link ? <a href={n.link}>{n.text}</a> : n.text}
            {' · '}
            <Time deps={deps} at={n.createdAt} /> ({durationInWords(now.getTime() - n.createdAt.getTime())}{' '}
            ago)
            {n.read ? null : (
              <form method="post" action={`/staff/notifications/${n.id}/read`}>
                <CsrfField token={frame.csrf} />
                <button type="submit" class="btn alt">
                  Mark as read<span class="skip">: {n.text}</span>
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
    ) : null}
    {unread > 1 ? (
      <form method="post" action="/staff/notifications/read">
        <CsrfField token={frame.csrf} />
        <button type="submit" class="btn alt">
          Mark all as read
        </button>
      </form>
    ) : null}
  </section>
);
