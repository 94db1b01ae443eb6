/**
 * The staff pages of events: the list (`/staff/events`), the form that adds or changes an event or a
 * series, one event with its coming dates (change or cancel one date), and the attendance page of one
 * date — made for a phone: one person a row, two big buttons each.
 */
import type { FC } from 'hono/jsx';
import {
  ErrorSummary,
  Radios,
  Select,
  TextArea,
  TextField,
  fieldsOf,
  type FieldProblem,
  type FormValues,
} from '../../../web/forms.tsx';
import { Success, type StaffView } from '../../../web/page.tsx';
import { CsrfField, StaffLayout } from '../../../web/staff-layout.tsx';
import { Actions, Alert, Button, DataTable, LinkButton, SummaryList, Tag } from '../../../web/ui.tsx';
import type { EventRow } from '../queries.ts';
import type { RosterEntry } from '../registrations.ts';
import { dateInWords, ruleInWords, timeInWords, type Occurrence } from '../rules.ts';
import { venueOf } from '../service.ts';

export const DONE_MESSAGES: Record<string, string> = {
  added: 'Event added.',
  saved: 'Event saved.',
  'date-cancelled': 'That date is cancelled. People registered for it can see it on their page.',
  'date-changed': 'That date is changed.',
  'event-cancelled': 'The whole event is cancelled.',
  'event-restored': 'The event is back on the calendar.',
  attended: 'Attendance saved.',
  'attended-recorded': 'Attendance saved, and the training completion recorded for their organization.',
  'attended-already': 'Attendance saved. They already had this training completed on that day.',
  'attended-no_organization':
    'Attendance saved. No completion was recorded: no organization of the network was found for them. Record it on their organization’s training page.',
  'attended-withdrawn': 'Attendance saved, and the training completion this event recorded taken back.',
  'attended-no_course':
    'Attendance saved. No completion was recorded: the event’s course is not in the training catalogue.',
  registered: 'Person registered.',
  waitlisted: 'The event is full: the person is on the waiting list.',
  'registration-cancelled':
    'Registration cancelled. The first person on the waiting list, if any, has the place.',
};

const KINDS = [
  { value: 'training', label: 'Training' },
  { value: 'community', label: 'Community event' },
];
const PLACES = [
  { value: 'in_person', label: 'In person' },
  { value: 'online', label: 'Online' },
];
const REGISTRATION = [
  { value: 'public', label: 'Anyone can register on the public events page' },
  { value: 'staff', label: 'Staff register people (not listed publicly)' },
  { value: 'none', label: 'No registration (listed publicly)' },
];
export const REGISTRATION_WORDS: Record<string, string> = {
  public: 'Public registration',
  staff: 'Staff register people',
  none: 'No registration',
};

const when = (e: EventRow) => {
  const times = `${timeInWords(e.start_time)} to ${timeInWords(e.end_time)}`;
  return e.rrule
    ? `${ruleInWords(e.rrule)}, from ${dateInWords(e.starts_on)}, ${times}`
    : `${dateInWords(e.starts_on)}, ${times}`;
};

export const EventsPage: FC<
  StaffView & { events: EventRow[]; regions: Map<string, string>; done: string | null }
> = (p) => (
  <StaffLayout frame={p.frame} title="Events and trainings">
    <Success message={p.done} />
    <Actions>
      <LinkButton href="/staff/events/new">Add an event</LinkButton>
    </Actions>
    {p.events.length ? (
      <DataTable
        label="Events"
        caption="Events you can manage"
        head={['Event', 'When', 'Region', 'Registration', 'Status']}
      >
        {p.events.map((e) => (
          <tr>
            <th scope="row">
              <a href={`/staff/events/${e.id}`}>{e.title}</a>
            </th>
            <td>{when(e)}</td>
            <td>{e.region_id ? (p.regions.get(e.region_id) ?? e.region_id) : 'Statewide'}</td>
            <td>{REGISTRATION_WORDS[e.registration]}</td>
            <td>
              {e.status === 'cancelled' ? (
                <Tag tone="error">Cancelled</Tag>
              ) : (
                <Tag tone="success">Scheduled</Tag>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    ) : (
      <p>There are no events you can manage yet.</p>
    )}
  </StaffLayout>
);

export const EMPTY_EVENT: FormValues = {
  kind: 'training',
  placeKind: 'in_person',
  registration: 'public',
  startTime: '11:00',
  endTime: '12:30',
};

export const eventValues = (e: EventRow): FormValues => ({
  title: e.title,
  kind: e.kind,
  description: e.description,
  courseCode: e.course_code ?? '',
  startsOn: e.starts_on,
  startTime: e.start_time,
  endTime: e.end_time,
  rrule: e.rrule ?? '',
  placeKind: e.place_kind,
  placeName: e.place_name ?? '',
  placeAddress: e.place_address ?? '',
  onlineUrl: e.online_url ?? '',
  regionId: e.region_id ?? '',
  capacity: e.capacity === null ? '' : String(e.capacity),
  registration: e.registration,
  organizerName: e.organizer_name,
});

export const EventForm: FC<
  StaffView & {
    action: string;
    heading: string;
    values: FormValues;
    errors: FieldProblem[];
    regions: { id: string; name: string }[];
    statewide: boolean;
  }
> = (p) => {
  const f = fieldsOf(p.values, p.errors);
  return (
    <StaffLayout frame={p.frame} title={p.heading}>
      <ErrorSummary errors={p.errors} />
      <form method="post" action={p.action} novalidate class="usa-form usa-form--large">
        <CsrfField token={p.frame.csrf} />
        <TextField {...f('title')} label="Title" maxlength={200} required />
        <Radios {...f('kind')} legend="Kind of event" options={KINDS} />
        <TextArea {...f('description')} label="Description (optional)" maxlength={4000} />
        <TextField
          {...f('courseCode')}
          label="Course code (optional)"
          hint="For a training in the training catalogue, for example X205."
          maxlength={40}
        />
        <TextField
          {...f('startsOn')}
          type="date"
          label="Date (the first date of a series)"
          hint="For example 2027-01-20."
        />
        <TextField
          {...f('startTime')}
          label="Start time"
          hint="24-hour clock, Minnesota time, for example 11:00."
          maxlength={5}
        />
        <TextField
          {...f('endTime')}
          label="End time"
          hint="On the same day, for example 12:30."
          maxlength={5}
        />
        <TextField
          {...f('rrule')}
          label="Repeats (optional)"
          hint="Leave empty for a single event. An RFC 5545 rule: FREQ=WEEKLY for every week, FREQ=MONTHLY;INTERVAL=2;BYDAY=3WE for the third Wednesday of every other month."
          maxlength={300}
        />
        <Radios {...f('placeKind')} legend="Where" options={PLACES} />
        <TextField {...f('placeName')} label="Place name (in person)" maxlength={200} />
        <TextField
          {...f('placeAddress')}
          label="Address (in person)"
          hint="Shown publicly when the event is public."
          maxlength={300}
        />
        <TextField
          {...f('onlineUrl')}
          label="Link to join (online)"
          hint="Starts with https://."
          maxlength={500}
        />
        <Select
          {...f('regionId')}
          label="Region"
          hint={
            p.statewide ? 'Leave empty for a statewide event.' : 'Navigators add events in their own regions.'
          }
          placeholder={p.statewide ? 'Statewide' : 'Choose a region'}
          options={p.regions.map((r) => ({ value: r.id, label: r.name }))}
        />
        <TextField
          {...f('capacity')}
          label="Places (optional)"
          hint="Leave empty for no limit. When the places are taken, people join a waiting list."
          inputmode="numeric"
          maxlength={5}
        />
        <Radios {...f('registration')} legend="Registration" options={REGISTRATION} />
        <TextField
          {...f('organizerName')}
          label="Organizer (optional)"
          hint="Leave empty for your organization."
          maxlength={200}
        />
        <Button>Save event</Button>
      </form>
    </StaffLayout>
  );
};

export interface OccurrenceRow {
  occurrence: Occurrence;
  registered: number;
  waitlisted: number;
}

export const EventPage: FC<
  StaffView & {
    event: EventRow;
    region: string;
    occurrences: OccurrenceRow[];
    errors: FieldProblem[];
    done: string | null;
  }
> = (p) => {
  const e = p.event;
  return (
    <StaffLayout frame={p.frame} title={e.title}>
      <Success message={p.done} />
      <ErrorSummary errors={p.errors} />
      {e.status === 'cancelled' ? (
        <Alert type="warning">
          <p class="margin-0">
            This event is cancelled: it is not on the public page or in the calendar feeds.
          </p>
        </Alert>
      ) : null}
      <SummaryList
        rows={[
          ['Kind', e.kind === 'training' ? 'Training' : 'Community event'],
          ['When', `${when(e)} (Minnesota time)`],
          ['Where', e.place_kind === 'online' ? `Online: ${e.online_url ?? ''}` : venueOf(e)],
          ['Region', p.region],
          ['Places', e.capacity === null ? 'No limit' : String(e.capacity)],
          ['Registration', REGISTRATION_WORDS[e.registration] ?? e.registration],
          ['Organizer', e.organizer_name],
          e.course_code ? ['Course code', e.course_code] : null,
          e.source
            ? [
                'Source',
                `${e.source} (read ${e.retrieved ?? 'on an unknown date'}${e.verified ? ', checked' : ''})`,
              ]
            : null,
        ]}
      />
      <Actions>
        <LinkButton href={`/staff/events/${e.id}/edit`}>Change the event</LinkButton>
        {e.status === 'scheduled' ? <a href={`/events/${e.id}`}>See the public page</a> : null}
      </Actions>
      <h2>Coming dates</h2>
      {p.occurrences.length ? (
        <DataTable
          label="Coming dates"
          caption="The next dates of this event"
          head={['Date', 'Places', 'Change', 'Cancel']}
        >
          {p.occurrences.map(({ occurrence: o, registered, waitlisted }) => (
            <tr>
              <th scope="row">
                {dateInWords(o.date)}, {timeInWords(o.startTime)}–{timeInWords(o.endTime)}
                {o.changed ? <Tag tone="info">Changed</Tag> : null}
                {o.cancelled ? <Tag tone="error">Cancelled</Tag> : null}
                <br />
                <a href={`/staff/events/${e.id}/attendance?date=${o.occurrenceDate}`}>
                  Registrations and attendance
                </a>
              </th>
              <td>
                {registered}
                {e.capacity === null ? '' : ` of ${e.capacity}`} registered
                {waitlisted ? `, ${waitlisted} waiting` : ''}
              </td>
              <td>
                {o.cancelled ? null : (
                  <details>
                    <summary>Change this date</summary>
                    <form method="post" action={`/staff/events/${e.id}/occurrences/change`} class="usa-form">
                      <CsrfField token={p.frame.csrf} />
                      <input type="hidden" name="occurrenceDate" value={o.occurrenceDate} />
                      <TextField
                        id={`movedTo-${o.occurrenceDate}`}
                        label="New date (optional)"
                        type="date"
                        value=""
                      />
                      <TextField
                        id={`startTime-${o.occurrenceDate}`}
                        label="New start time (optional)"
                        value=""
                        maxlength={5}
                      />
                      <TextField
                        id={`endTime-${o.occurrenceDate}`}
                        label="New end time (optional)"
                        value=""
                        maxlength={5}
                      />
                      <TextField
                        id={`placeName-${o.occurrenceDate}`}
                        label="New place name (optional)"
                        value=""
                        maxlength={200}
                      />
                      <TextField
                        id={`placeAddress-${o.occurrenceDate}`}
                        label="New address (optional)"
                        value=""
                        maxlength={300}
                      />
                      <Button variant="secondary">Save this date</Button>
                    </form>
                  </details>
                )}
              </td>
              <td>
                {o.cancelled ? null : (
                  <form method="post" action={`/staff/events/${e.id}/occurrences/cancel`}>
                    <CsrfField token={p.frame.csrf} />
                    <input type="hidden" name="occurrenceDate" value={o.occurrenceDate} />
                    <Button variant="danger">Cancel {dateInWords(o.occurrenceDate)}</Button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>No coming dates.</p>
      )}
      <form method="post" action={`/staff/events/${e.id}/status`}>
        <CsrfField token={p.frame.csrf} />
        {e.status === 'scheduled' ? (
          <Button variant="danger" name="status" value="cancelled">
            Cancel the whole event
          </Button>
        ) : (
          <Button name="status" value="scheduled">
            Put the event back on the calendar
          </Button>
        )}
      </form>
    </StaffLayout>
  );
};

const STATUS_WORDS = {
  registered: 'Has a place',
  waitlisted: 'Waiting list',
  cancelled: 'Cancelled',
} as const;

export const AttendancePage: FC<
  StaffView & {
    event: EventRow;
    occurrence: Occurrence;
    entries: RosterEntry[];
    values: FormValues;
    errors: FieldProblem[];
    done: string | null;
  }
> = (p) => {
  const o = p.occurrence;
  const f = fieldsOf(p.values, p.errors);
  const action = (path: string) => `/staff/events/${p.event.id}/${path}?date=${o.occurrenceDate}`;
  const active = p.entries.filter((x) => x.status !== 'cancelled');
  return (
    <StaffLayout frame={p.frame} title={`Attendance: ${p.event.title}`}>
      <p class="font-sans-lg text-bold">
        {dateInWords(o.date)}, {timeInWords(o.startTime)}
      </p>
      <Success message={p.done} />
      <ErrorSummary errors={p.errors} />
      <p>
        {active.filter((x) => x.status === 'registered').length} registered
        {p.event.capacity === null ? '' : ` of ${p.event.capacity} places`},{' '}
        {active.filter((x) => x.status === 'waitlisted').length} on the waiting list. Tap “Came” or “Did not
        come” for each person.
      </p>
      {active.length ? (
        <ul class="usa-list usa-list--unstyled nwd-attendance">
          {active.map((x) => (
            <li class="margin-bottom-3 border-bottom-1px border-base-lighter padding-bottom-2">
              <p class="margin-0 font-sans-lg text-bold">{x.name}</p>
              <p class="margin-0">
                {x.organization ?? 'No organization given'} · {STATUS_WORDS[x.status]}
                {x.attended === true ? ' · Came' : x.attended === false ? ' · Did not come' : ''}
              </p>
              {x.status === 'registered' ? (
                <form method="post" action={action('attendance')} class="nwd-actions">
                  <CsrfField token={p.frame.csrf} />
                  <input type="hidden" name="registrationId" value={x.id} />
                  <Button variant={x.attended === true ? 'primary' : 'outline'} name="attended" value="yes">
                    Came<span class="usa-sr-only">: {x.name}</span>
                  </Button>
                  <Button variant={x.attended === false ? 'primary' : 'outline'} name="attended" value="no">
                    Did not come<span class="usa-sr-only">: {x.name}</span>
                  </Button>
                </form>
              ) : null}
              <form method="post" action={action('registrations/cancel')}>
                <CsrfField token={p.frame.csrf} />
                <input type="hidden" name="registrationId" value={x.id} />
                <Button variant="unstyled">
                  Cancel the registration<span class="usa-sr-only"> of {x.name}</span>
                </Button>
              </form>
            </li>
          ))}
        </ul>
      ) : (
        <p>Nobody is registered for this date yet.</p>
      )}
      {p.event.registration !== 'none' && !o.cancelled ? (
        <form method="post" action={action('registrations')} novalidate class="usa-form">
          <h2>Register a person</h2>
          <CsrfField token={p.frame.csrf} />
          <TextField {...f('name')} label="Name" maxlength={200} autocomplete="off" />
          <TextField
            {...f('email')}
            type="email"
            label="Email"
            hint="Where the confirmation goes."
            maxlength={254}
          />
          <TextField {...f('organization')} label="Organization (optional)" maxlength={200} />
          <Button>Register</Button>
        </form>
      ) : null}
      <p>
        <a href={`/staff/events/${p.event.id}`}>Back to the event</a>
      </p>
    </StaffLayout>
  );
};
