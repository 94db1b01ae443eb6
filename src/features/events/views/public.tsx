/**
 * The public pages of events: the coming events (`/events`), one event with its dates, the
 * registration form, and a person's own registration page (from the link in their email). Plain words,
 * no cookie, nothing from another site, no JavaScript.
 */
import type { FC } from 'hono/jsx';
import { useT, type MessageKey, type Translator } from '../../../platform/i18n/index.ts';
import { TextField, fieldsOf, type FieldProblem, type FormValues } from '../../../web/forms.tsx';
import { Layout, type PageFrame } from '../../../web/public-layout.tsx';
import { ErrorSummary } from '../../../web/forms.tsx';
import { FormGuards } from '../../intake/index.ts';
import type { EventRow } from '../queries.ts';
import type { Occurrence } from '../rules.ts';

/** The day and times of a date, in the page's language and Minnesota's time zone. */
const when = (t: Translator, o: Occurrence) =>
  t.text('events.when', { date: t.date(o.startsAt, true), start: t.time(o.startsAt), end: t.time(o.endsAt) });

/** The place of an in-person date (the organizer's words), or the page's words for online or not yet known. */
function venue(t: Translator, event: EventRow, o?: Pick<Occurrence, 'placeName' | 'placeAddress'>): string {
  if (event.place_kind === 'online') return t.text('events.online');
  const place = [o?.placeName ?? event.place_name, o?.placeAddress ?? event.place_address].filter(Boolean);
  return place.length ? place.join(', ') : t.text('events.placeTba');
}

/** Where, with a link for an online event. */
const Where: FC<{ event: EventRow; o?: Occurrence }> = ({ event, o }) => {
  const t = useT();
  return event.place_kind === 'online' ? (
    event.registration === 'none' && event.online_url ? (
      <>
        {t('events.onlineAt')} <a href={event.online_url}>{event.online_url}</a>
      </>
    ) : (
      <>{t('events.onlineInEmail')}</>
    )
  ) : (
    <>{venue(t, event, o)}</>
  );
};

/** The link back to the list of events. */
const AllEvents = () => {
  const t = useT();
  return (
    <p>
      <a href={t.path('/events')}>{t('events.all')}</a>
    </p>
  );
};

export interface Listed {
  event: EventRow;
  occurrence: Occurrence;
}

export const EventsListPage: FC<{ frame: PageFrame; items: Listed[] }> = ({ frame, items }) => {
  const t = frame.t;
  return (
    <Layout
      frame={frame}
      title={t.text('events.list.title')}
      description={t.text('events.list.description')}
      urgent="emergency"
    >
      <p>{t('events.list.intro')}</p>
      <p>{t('events.list.subscribe', { link: (chunks) => <a href="/events.ics">{chunks}</a> })}</p>
      {items.length ? (
        <ul>
          {items.map(({ event, occurrence: o }) => (
            <li>
              <h2>
                <a href={t.path(`/events/${event.id}`)}>{event.title}</a>
              </h2>
              <p>
                {when(t, o)}
                {o.changed ? <> {t('events.list.changed')}</> : null}
                <br />
                <Where event={event} o={o} />
              </p>
              <p>
                <a
                  href={`/events/${event.id}/calendar.ics`}
                  aria-label={t.text('events.addToCalendarOf', { title: event.title })}
                >
                  {t('events.addToCalendar')}
                </a>
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('events.list.none')}</p>
      )}
    </Layout>
  );
};

export interface DateRow {
  occurrence: Occurrence;
  full: boolean;
}

/** One event and its coming dates. `region` is the region's name, or null for a statewide event. */
export const EventPublicPage: FC<{
  frame: PageFrame;
  event: EventRow;
  dates: DateRow[];
  region: string | null;
}> = ({ frame, event, dates, region }) => {
  const t = frame.t;
  return (
    <Layout
      frame={frame}
      title={event.title}
      description={event.description.slice(0, 150)}
      urgent="emergency"
    >
      {event.description ? <p>{event.description}</p> : null}
      <dl>
        <dt>{t('events.page.where')}</dt>
        <dd>
          <Where event={event} />
        </dd>
        <dt>{t('events.page.organizer')}</dt>
        <dd>{event.organizer_name}</dd>
        <dt>{t('events.page.region')}</dt>
        <dd>{region ?? t('events.page.statewide')}</dd>
        {event.course_code ? (
          <>
            <dt>{t('events.page.course')}</dt>
            <dd>{event.course_code}</dd>
          </>
        ) : null}
      </dl>
      {event.source && !event.verified ? <p>{t('events.page.checkDate')}</p> : null}
      <p>
        {t('events.page.addAll', {
          link: (chunks) => <a href={`/events/${event.id}/calendar.ics`}>{chunks}</a>,
        })}
      </p>
      <h2>{t('events.page.dates')}</h2>
      {dates.length ? (
        <ul>
          {dates.map(({ occurrence: o, full }) => (
            <li>
              {when(t, o)}
              {o.changed ? <> {t('events.page.changedAt', { venue: venue(t, event, o) })}</> : null}
              {event.registration === 'public' ? (
                <>
                  {' '}
                  —{' '}
                  <a href={t.path(`/events/${event.id}/register?date=${o.occurrenceDate}`)}>
                    {full ? t('events.joinWaitlist') : t('events.register')}
                  </a>
                  {full ? <> {t('events.full')}</> : null}
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('events.page.noDates')}</p>
      )}
      <AllEvents />
    </Layout>
  );
};

/** Exact English messages of the registration's checks (schema.ts, registrations.ts) and their keys. */
const PROBLEM_KEYS: Record<string, MessageKey> = {
  'Enter your name.': 'events.error.name',
  'Keep the email address under 254 characters.': 'events.error.emailLong',
  'Enter an email address like name@example.org.': 'events.error.email',
  'This email address is already registered for this date. Use the link in the email we sent to see or cancel it.':
    'events.error.already',
  'This event takes no registrations.': 'events.error.noRegistrations',
  'That date is not one of the event’s dates.': 'events.error.notADate',
};

/** A problem's message in the page's language (English when this table does not know it). */
function problemText(t: Translator, message: string): string {
  const key = PROBLEM_KEYS[message];
  if (key) return t.text(key);
  const long = /^Keep it under (\d+) characters\.$/.exec(message);
  return long ? t.text('events.error.tooLong', { max: Number(long[1]) }) : message;
}

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
  const t = p.frame.t;
  const errors = p.errors.map((e) => ({ field: e.field, message: problemText(t, e.message) }));
  const f = fieldsOf(p.values, errors);
  return (
    <Layout frame={p.frame} title={t.text('events.registerFor', { title: p.event.title })} urgent="emergency">
      <p>
        {when(t, p.occurrence)} {t('events.minnesotaTime')}
        <br />
        <Where event={p.event} o={p.occurrence} />
      </p>
      {p.full ? <p>{t('events.registerFull', { b: (chunks) => <strong>{chunks}</strong> })}</p> : null}
      {p.notice ? <p role="alert">{p.notice}</p> : null}
      <ErrorSummary errors={errors} />
      <form
        method="post"
        action={t.path(`/events/${p.event.id}/register?date=${p.occurrence.occurrenceDate}`)}
        novalidate
      >
        <FormGuards token={p.token} />
        <TextField
          {...f('name')}
          label={t.text('events.form.name')}
          autocomplete="name"
          maxlength={200}
          required
        />
        <TextField
          {...f('email')}
          type="email"
          label={t.text('events.form.email')}
          hint={t.text('events.form.emailHint')}
          autocomplete="email"
          maxlength={254}
          required
        />
        <TextField
          {...f('organization')}
          label={t.text('events.form.organization')}
          autocomplete="organization"
          maxlength={200}
        />
        <p>
          <button type="submit">{p.full ? t('events.joinWaitlist') : t('events.register')}</button>
        </p>
      </form>
    </Layout>
  );
};

export const RegisteredPage: FC<{
  frame: PageFrame;
  event: EventRow;
  status: 'registered' | 'waitlisted';
}> = ({ frame, event, status }) => {
  const t = frame.t;
  return (
    <Layout
      frame={frame}
      title={status === 'registered' ? t.text('events.registered.title') : t.text('events.waitlisted.title')}
      urgent="emergency"
    >
      <p>
        {status === 'registered'
          ? t('events.registered.place', { title: event.title })
          : t('events.waitlisted.full', { title: event.title })}
      </p>
      <p>{t('events.registered.email')}</p>
      <p>
        <a href={`/events/${event.id}/calendar.ics`}>{t('events.addToCalendar')}</a> ·{' '}
        <a href={t.path('/events')}>{t('events.all')}</a>
      </p>
    </Layout>
  );
};

const STATUS: Record<'registered' | 'waitlisted' | 'cancelled', MessageKey> = {
  registered: 'events.own.registered',
  waitlisted: 'events.own.waitlisted',
  cancelled: 'events.own.cancelled',
};

export const OwnRegistrationPage: FC<{
  frame: PageFrame;
  event: EventRow;
  occurrence: Occurrence | null;
  status: keyof typeof STATUS;
  token: string;
  justCancelled: boolean;
}> = (p) => {
  const t = p.frame.t;
  return (
    <Layout frame={p.frame} title={t.text('events.own.title')} urgent="emergency">
      {p.justCancelled ? <p role="status">{t('events.own.justCancelled')}</p> : null}
      <p>
        <strong>{p.event.title}</strong>
        {p.occurrence ? (
          <>
            <br />
            {when(t, p.occurrence)} {t('events.minnesotaTime')}
            {p.occurrence.cancelled ? <> — {t('events.own.dateCancelled')}</> : null}
            <br />
            <Where event={p.event} o={p.occurrence} />
          </>
        ) : null}
      </p>
      <p>{t(STATUS[p.status])}</p>
      {p.status !== 'cancelled' ? (
        <form method="post" action={t.path(`/events/registration/${p.token}`)}>
          <p>{t('events.own.cancelAsk')}</p>
          <button type="submit">{t('events.own.cancel')}</button>
        </form>
      ) : null}
      <AllEvents />
    </Layout>
  );
};

/** A short page: a title and one message, both from the catalogue. */
export const EventMessagePage: FC<{ frame: PageFrame; title: MessageKey; message: MessageKey }> = ({
  frame,
  title,
  message,
}) => (
  <Layout frame={frame} title={frame.t.text(title)} urgent="emergency">
    <p>{frame.t(message)}</p>
    <AllEvents />
  </Layout>
);
