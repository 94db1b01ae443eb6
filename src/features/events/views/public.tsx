/**
 * The public pages of events: the coming events (`/events`), one event with its dates, the
 * registration form, and a person's own registration page (from the link in their email). Plain words,
 * no cookie, nothing from another site, no JavaScript.
 */
import type { FC } from 'hono/jsx';
import {
  ErrorSummary,
  TextField,
  fieldsOf,
  type FieldProblem,
  type FormValues,
} from '../../../web/forms.tsx';
import { Layout, type PageFrame } from '../../../web/public-layout.tsx';
import { FORM_TOKEN_FIELD, HONEYPOT_FIELD } from '../../intake/index.ts';
import type { EventRow } from '../queries.ts';
import { dateInWords, timeInWords, type Occurrence } from '../rules.ts';
import { venueOf } from '../service.ts';

const when = (o: Occurrence) =>
  `${dateInWords(o.date)}, ${timeInWords(o.startTime)} to ${timeInWords(o.endTime)}`;

/** Where, with a link for an online event. */
const Where: FC<{ event: EventRow; o?: Occurrence }> = ({ event, o }) =>
  event.place_kind === 'online' ? (
    event.registration === 'none' && event.online_url ? (
      <>
        Online: <a href={event.online_url}>{event.online_url}</a>
      </>
    ) : (
      <>Online (the link to join is in the email you get when you register)</>
    )
  ) : (
    <>{venueOf(event, o)}</>
  );

export interface Listed {
  event: EventRow;
  occurrence: Occurrence;
}

export const EventsListPage: FC<{ frame: PageFrame; items: Listed[] }> = ({ frame, items }) => (
  <Layout
    frame={frame}
    title="Trainings and events"
    description="Trainings and community events of Minnesota's Safe Harbor network, for people who work with young people."
    urgent="emergency"
  >
    <p>
      Trainings and community events of Minnesota’s Safe Harbor network, for people who work with young
      people. Times are Minnesota time.
    </p>
    <p>
      <a href="/events.ics">Subscribe to all events in your calendar app</a> (iCalendar).
    </p>
    {items.length ? (
      <ul>
        {items.map(({ event, occurrence: o }) => (
          <li>
            <h2>
              <a href={`/events/${event.id}`}>{event.title}</a>
            </h2>
            <p>
              {when(o)}
              {o.changed ? ' (changed date, time or place)' : ''}
              <br />
              <Where event={event} o={o} />
            </p>
            <p>
              <a href={`/events/${event.id}/calendar.ics`} aria-label={`Add to calendar: ${event.title}`}>
                Add to calendar
              </a>
            </p>
          </li>
        ))}
      </ul>
    ) : (
      <p>There are no events in the coming months.</p>
    )}
  </Layout>
);

export interface DateRow {
  occurrence: Occurrence;
  full: boolean;
}

export const EventPublicPage: FC<{ frame: PageFrame; event: EventRow; dates: DateRow[]; region: string }> = ({
  frame,
  event,
  dates,
  region,
}) => (
  <Layout frame={frame} title={event.title} description={event.description.slice(0, 150)} urgent="emergency">
    {event.description ? <p>{event.description}</p> : null}
    <dl>
      <dt>Where</dt>
      <dd>
        <Where event={event} />
      </dd>
      <dt>Organizer</dt>
      <dd>{event.organizer_name}</dd>
      <dt>Region</dt>
      <dd>{region}</dd>
      {event.course_code ? (
        <>
          <dt>Course</dt>
          <dd>{event.course_code}</dd>
        </>
      ) : null}
    </dl>
    {event.source && !event.verified ? <p>Please check the date with the organizer before you go.</p> : null}
    <p>
      <a href={`/events/${event.id}/calendar.ics`}>Add to calendar</a> (all dates, updated when they change)
    </p>
    <h2>Dates</h2>
    {dates.length ? (
      <ul>
        {dates.map(({ occurrence: o, full }) => (
          <li>
            {when(o)}
            {o.changed ? ` at ${venueOf(event, o)} (changed)` : ''}
            {event.registration === 'public' ? (
              <>
                {' '}
                —{' '}
                <a href={`/events/${event.id}/register?date=${o.occurrenceDate}`}>
                  {full ? 'Join the waiting list' : 'Register'}
                </a>
                {full ? ' (full)' : ''}
              </>
            ) : null}
          </li>
        ))}
      </ul>
    ) : (
      <p>No dates in the coming months.</p>
    )}
    <p>
      <a href="/events">All trainings and events</a>
    </p>
  </Layout>
);

export const RegisterPage: FC<{
  frame: PageFrame;
  event: EventRow;
  occurrence: Occurrence;
  full: boolean;
  token: string;
  values: FormValues;
  errors: FieldProblem[];
  notice: string | null;
}> = (p) => {
  const f = fieldsOf(p.values, p.errors);
  return (
    <Layout frame={p.frame} title={`Register for ${p.event.title}`} urgent="emergency">
      <p>
        {when(p.occurrence)} (Minnesota time)
        <br />
        <Where event={p.event} o={p.occurrence} />
      </p>
      {p.full ? (
        <p>
          <strong>This date is full.</strong> You can join the waiting list: if someone cancels, you get their
          place and we email you.
        </p>
      ) : null}
      {p.notice ? <p role="alert">{p.notice}</p> : null}
      <ErrorSummary errors={p.errors} />
      <form
        method="post"
        action={`/events/${p.event.id}/register?date=${p.occurrence.occurrenceDate}`}
        novalidate
      >
        <input type="hidden" name={FORM_TOKEN_FIELD} value={p.token} />
        <div hidden>
          <label for={HONEYPOT_FIELD}>Leave this empty</label>
          <input
            id={HONEYPOT_FIELD}
            name={HONEYPOT_FIELD}
            type="text"
            value=""
            tabindex={-1}
            autocomplete="off"
          />
        </div>
        <TextField {...f('name')} label="Your name" autocomplete="name" maxlength={200} required />
        <TextField
          {...f('email')}
          type="email"
          label="Your email"
          hint="We send the confirmation and a link to cancel here. We use it for this event only."
          autocomplete="email"
          maxlength={254}
          required
        />
        <TextField
          {...f('organization')}
          label="Your organization (optional)"
          autocomplete="organization"
          maxlength={200}
        />
        <p>
          <button type="submit">{p.full ? 'Join the waiting list' : 'Register'}</button>
        </p>
      </form>
    </Layout>
  );
};

export const RegisteredPage: FC<{
  frame: PageFrame;
  event: EventRow;
  status: 'registered' | 'waitlisted';
}> = ({ frame, event, status }) => (
  <Layout
    frame={frame}
    title={status === 'registered' ? 'You are registered' : 'You are on the waiting list'}
    urgent="emergency"
  >
    <p>
      {status === 'registered'
        ? `You have a place at ${event.title}.`
        : `${event.title} is full. If someone cancels, you get their place and we email you.`}
    </p>
    <p>We sent an email with the details and a link to see or cancel your registration.</p>
    <p>
      <a href={`/events/${event.id}/calendar.ics`}>Add to calendar</a> ·{' '}
      <a href="/events">All trainings and events</a>
    </p>
  </Layout>
);

const STATUS = {
  registered: 'You are registered.',
  waitlisted: 'You are on the waiting list. If someone cancels, you get their place and we email you.',
  cancelled: 'This registration is cancelled.',
} as const;

export const OwnRegistrationPage: FC<{
  frame: PageFrame;
  event: EventRow;
  occurrence: Occurrence | null;
  status: keyof typeof STATUS;
  token: string;
  justCancelled: boolean;
}> = (p) => (
  <Layout frame={p.frame} title="Your registration" urgent="emergency">
    {p.justCancelled ? <p role="status">Your registration is cancelled. Thank you for telling us.</p> : null}
    <p>
      <strong>{p.event.title}</strong>
      {p.occurrence ? (
        <>
          <br />
          {when(p.occurrence)} (Minnesota time)
          {p.occurrence.cancelled ? ' — this date is cancelled by the organizer' : ''}
          <br />
          <Where event={p.event} o={p.occurrence} />
        </>
      ) : null}
    </p>
    <p>{STATUS[p.status]}</p>
    {p.status !== 'cancelled' ? (
      <form method="post" action={`/events/registration/${p.token}`}>
        <p>If you cannot come, please cancel: the next person on the waiting list gets your place.</p>
        <button type="submit">Cancel my registration</button>
      </form>
    ) : null}
    <p>
      <a href="/events">All trainings and events</a>
    </p>
  </Layout>
);

export const EventMessagePage: FC<{ frame: PageFrame; title: string; message: string }> = ({
  frame,
  title,
  message,
}) => (
  <Layout frame={frame} title={title} urgent="emergency">
    <p>{message}</p>
    <p>
      <a href="/events">All trainings and events</a>
    </p>
  </Layout>
);
