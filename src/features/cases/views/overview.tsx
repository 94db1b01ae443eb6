/**
 * A case's overview (`/staff/cases/:id`): the duplicate notice, when it was opened or closed, the young
 * person's details, the assigned navigators, notes, services delivered, the timeline, and closing or
 * reopening. Each section with a form is its own component (overview-forms.tsx).
 */
import type { Child, FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import type { Actor } from '../../../platform/access.ts';
import { HistoryTable, Success, Time } from '../../../web/page.tsx';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { NOTE_MAX, type PersonRef, CASE_STATUS_NAMES, CONTACT_METHOD_NAMES, ageText } from '../rules.ts';
import type { FieldProblem } from '../schema.ts';
import type { CaseDetail, TimelineEntry } from '../service.ts';
import { labelOf } from '../vocabularies.ts';
import { FieldError, SelectField, describedBy, invalid } from './fields.tsx';
import { AGE_BAND_NAMES } from '../../queue/service.ts';
import { CaseTabs, casePath } from './layout.tsx';

/** What every section of the overview knows: the case, who is looking, and the state of the forms. */
export interface SectionProps {
  deps: AppDeps;
  actor: Actor;
  csrf: string;
  detail: CaseDetail;
  /** The person may change the case, and it is open. */
  editable: boolean;
  errors: FieldProblem[];
  values: Record<string, string>;
}

const you = (actor: Actor, p: PersonRef, me = 'You') => (p.userId === actor.userId ? me : p.name);

export const NavigatorsSection: FC<SectionProps & { assignable: PersonRef[] }> = (p) => {
  const { actor, detail, editable, errors } = p;
  const path = `/staff/cases/${detail.id}`;
  return (
    <section aria-labelledby="navigators-h">
      <h2 id="navigators-h">Assigned navigators</h2>
      {detail.assigned.length ? (
        <ul class="plain">
          {detail.assigned.map((a) => (
            <li>
              {you(actor, a)}, since <Time deps={p.deps} at={a.assignedAt} show="date" />
              {editable ? (
                <form method="post" action={`${path}/unassign`}>
                  <CsrfField token={p.csrf} />
                  <input type="hidden" name="userId" value={a.userId} />
                  <button type="submit" class="btn alt">
                    End the assignment
                    <span class="skip"> of {you(actor, a, 'you')}</span>
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>Nobody is assigned.</p>
      )}
      {editable && p.assignable.length ? (
        <form method="post" action={`${path}/assign`} novalidate>
          <CsrfField token={p.csrf} />
          <SelectField
            id="userId"
            label={`Assign a navigator of ${detail.regionName}`}
            empty="Choose a navigator"
            options={p.assignable.map((n) => ({
              code: n.userId,
              label: n.userId === actor.userId ? `${n.name} (you)` : n.name,
            }))}
            errors={errors}
          />{' '}
          <button type="submit">Assign</button>
        </form>
      ) : null}
    </section>
  );
};

const Paragraphs: FC<{ text: string }> = ({ text }) => (
  <>
    {text
      .split(/\r?\n\s*\r?\n/)
      .filter((p) => p.trim())
      .map((p) => (
        <p>{p}</p>
      ))}
  </>
);

/** A form of the overview, headed by its title (`<id>-h`), posted to `action` with the CSRF token. */
const CaseForm: FC<{ action: string; id: string; title: string; csrf: string; children?: Child }> = ({
  action,
  id,
  title,
  csrf,
  children,
}) => (
  <form method="post" action={action} novalidate aria-labelledby={`${id}-h`}>
    <h3 id={`${id}-h`}>{title}</h3>
    <CsrfField token={csrf} />
    {children}
  </form>
);

const NoteForm: FC<SectionProps> = ({ deps, csrf, detail, errors, values }) => (
  <CaseForm action={`/staff/cases/${detail.id}/notes`} id="note-form" title="Add a note" csrf={csrf}>
    <SelectField
      id="category"
      label="What it is about"
      empty="Choose one"
      options={deps.rules.vocabularies.noteCategories}
      selected={values.category}
      errors={errors}
    />
    <label for="body">Note</label>
    <p class="hint" id="body-hint">
      Kept encrypted; seen only by people who can open this case. Write what the next person needs, in the
      young person’s own words where you can.
    </p>
    <FieldError field="body" errors={errors} />
    <textarea
      id="body"
      name="body"
      rows={5}
      cols={40}
      maxlength={NOTE_MAX}
      aria-describedby={describedBy('body', errors, 'body-hint')}
      aria-invalid={invalid('body', errors)}
    >
      {values.body ?? ''}
    </textarea>
    <p>
      <button type="submit">Add the note</button>
    </p>
  </CaseForm>
);

export const NotesSection: FC<SectionProps> = (p) => {
  const { actor, detail } = p;
  return (
    <section aria-labelledby="notes-h">
      <h2 id="notes-h">Notes</h2>
      {p.editable ? <NoteForm {...p} /> : null}
      {detail.notes.length ? (
        <ul class="plain" id="notes">
          {detail.notes.map((n) => (
            <li class="card">
              <p>
                <strong>{labelOf(p.deps.rules.vocabularies, 'noteCategories', n.category)}</strong> ·{' '}
                <Time deps={p.deps} at={n.createdAt} show="date-time" /> · {you(actor, n.author)}
              </p>
              <Paragraphs text={n.body} />
            </li>
          ))}
        </ul>
      ) : (
        <p>No notes yet.</p>
      )}
      {detail.notesTotal > detail.notes.length ? (
        <p>
          Showing the newest {detail.notes.length} of {detail.notesTotal} notes.
        </p>
      ) : null}
    </section>
  );
};

const ServiceForm: FC<SectionProps & { today: string }> = ({ deps, csrf, detail, errors, values, today }) => (
  <CaseForm
    action={`/staff/cases/${detail.id}/services`}
    id="service-form"
    title="Record a service"
    csrf={csrf}
  >
    <SelectField
      id="serviceCode"
      label="Service"
      empty="Choose a service"
      options={deps.rules.vocabularies.services}
      selected={values.serviceCode}
      errors={errors}
    />
    <label for="deliveredOn">Date</label>
    <p class="hint" id="deliveredOn-hint">
      Leave it as today, or give the day it was delivered.
    </p>
    <FieldError field="deliveredOn" errors={errors} />
    <input
      type="date"
      id="deliveredOn"
      name="deliveredOn"
      value={values.deliveredOn ?? today}
      max={today}
      aria-describedby={describedBy('deliveredOn', errors, 'deliveredOn-hint')}
      aria-invalid={invalid('deliveredOn', errors)}
    />{' '}
    <button type="submit">Record the service</button>
  </CaseForm>
);

export const ServicesSection: FC<SectionProps & { today: string }> = (p) => (
  <section aria-labelledby="services-h">
    <h2 id="services-h">Services delivered</h2>
    {p.editable ? <ServiceForm {...p} /> : null}
    {p.detail.services.length ? (
      <table tabindex={0} id="services">
        <caption>Services delivered, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Service</th>
            <th scope="col">Recorded by</th>
          </tr>
        </thead>
        <tbody>
          {p.detail.services.map((s) => (
            <tr>
              <td>{p.deps.rules.calendar.formatDate(s.deliveredOn)}</td>
              <td>{labelOf(p.deps.rules.vocabularies, 'services', s.serviceCode)}</td>
              <td>{you(p.actor, s.recordedBy)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    ) : (
      <p>No services recorded yet.</p>
    )}
  </section>
);

export const OVERVIEW_DONE: Record<string, string> = {
  opened: 'The case is open. You are assigned to it.',
  details: 'The details are saved.',
  assigned: 'The navigator is assigned and has been told.',
  unassigned: 'The assignment has ended.',
  note: 'The note is added.',
  service: 'The service is recorded.',
  closed: 'The case is closed.',
  reopened: 'The case is open again.',
};

const EVENT_NAMES: Record<string, string> = {
  'case.opened': 'Case opened',
  'case.details_updated': 'Details changed',
  'case.closed': 'Case closed',
  'case.reopened': 'Case reopened',
  'navigator.assigned': 'Navigator assigned',
  'navigator.unassigned': 'Navigator assignment ended',
  'note.added': 'Note added',
  'service.recorded': 'Service recorded',
};

const FIELD_NAMES: Record<string, string> = {
  chosenName: 'name',
  legalName: 'legal name',
  dateOfBirth: 'date of birth',
  age: 'age',
  pronouns: 'pronouns',
  genderIdentity: 'gender identity',
  raceEthnicity: 'race and ethnicity',
  sexualOrientation: 'sexual orientation',
  languages: 'languages',
  tribalAffiliation: 'tribal affiliation',
  contactMethod: 'how to contact',
  contactValue: 'contact details',
  contactTimes: 'safe times',
  codeWord: 'code word',
  countyFips: 'county',
};

/** An event code in words: a known one by name, another module's by its code ("referral.sent" → "Referral sent"). */
function eventText(deps: AppDeps, entry: TimelineEntry, names: Map<string, string>): string {
  const v = deps.rules.vocabularies;
  const d = entry.detail;
  const known = EVENT_NAMES[entry.event];
  const base = known ?? entry.event.replace(/[._]/g, ' ').replace(/^./, (ch) => ch.toUpperCase());
  const code = (name: 'noteCategories' | 'services' | 'closeReasons' | 'exitHousing', value: unknown) =>
    typeof value === 'string' ? labelOf(v, name, value) : null;
  switch (entry.event) {
    case 'case.details_updated':
      return Array.isArray(d.fields)
        ? `${base}: ${d.fields.map((f) => FIELD_NAMES[String(f)] ?? String(f)).join(', ')}`
        : base;
    case 'case.closed':
      return `${base}: ${code('closeReasons', d.reason) ?? ''}; housing at exit: ${code('exitHousing', d.exit_housing) ?? 'not known'}`;
    case 'case.opened':
      return d.intake_item ? `${base} from a referral` : base;
    case 'navigator.assigned':
    case 'navigator.unassigned':
      return typeof d.user === 'string' ? `${base}: ${names.get(d.user) ?? 'a colleague'}` : base;
    case 'note.added':
      return `${base}: ${code('noteCategories', d.category) ?? ''}`;
    case 'service.recorded':
      return `${base}: ${code('services', d.code) ?? ''}`;
    default:
      return base;
  }
}

const Detail: FC<{ label: string; value: string | null | undefined }> = ({ label, value }) => (
  <>
    <dt>{label}</dt>
    <dd>{value === null || value === undefined || value === '' ? 'Not given' : value}</dd>
  </>
);

const by = (actor: Actor, p: PersonRef | null) =>
  p ? ` by ${p.userId === actor.userId ? 'you' : p.name}` : '';

const DuplicateNotice: FC<{ regions: string[] }> = ({ regions }) =>
  regions.length ? (
    <div class="flag" id="duplicates">
      <h2>A possible match in another region</h2>
      {regions.map((r) => (
        <p>A possible match exists in {r} — request a consult with that region’s navigator.</p>
      ))}
      <p class="hint">
        Another case there has the same name and date of birth. Nothing else about it is shown, and nothing
        about this case is shown there. Share details only with the young person’s consent.
      </p>
    </div>
  ) : null;

const OpenedOrClosed: FC<SectionProps> = ({ deps, actor, detail }) => (
  <p>
    {detail.status === 'open' ? (
      <>
        Opened <Time deps={deps} at={detail.openedAt} show="date" />
        {by(actor, detail.openedBy)}
        {detail.intakeItemVisible ? (
          <>
            {' '}
            from <a href={`/staff/queue/${detail.intakeItemId}`}>a referral</a>
          </>
        ) : detail.intakeItemId ? (
          ' from a referral'
        ) : (
          ''
        )}
        .
      </>
    ) : (
      <>
        Closed <Time deps={deps} at={detail.closedAt!} show="date" />
        {by(actor, detail.closedBy)}:{' '}
        {detail.closeReason
          ? labelOf(deps.rules.vocabularies, 'closeReasons', detail.closeReason)
          : 'no reason given'}
        .
        {detail.purgeAfter ? (
          <>
            {' '}
            Its personal details will be erased after <Time
              deps={deps}
              at={detail.purgeAfter}
              show="date"
            />{' '}
            unless it is reopened.
          </>
        ) : null}
      </>
    )}
  </p>
);

const AboutSection: FC<SectionProps & { today: string }> = ({ deps, detail, editable, today }) => {
  const p = detail.personal;
  const v = deps.rules.vocabularies;
  return (
    <section aria-labelledby="details-h">
      <h2 id="details-h">About the young person</h2>
      <dl>
        <Detail label="Name they choose" value={p.chosenName} />
        <Detail label="Legal name" value={p.legalName} />
        <Detail label="Date of birth or age" value={ageText(p, today)} />
        <Detail label="Age group when opened" value={AGE_BAND_NAMES[detail.ageBand]} />
        <Detail label="Pronouns" value={p.pronouns} />
        <Detail
          label="Gender identity"
          value={p.genderIdentity.map((g) => labelOf(v, 'genderIdentity', g)).join('; ')}
        />
        <Detail
          label="Race and ethnicity"
          value={p.raceEthnicity.map((r) => labelOf(v, 'raceEthnicity', r)).join('; ')}
        />
        <Detail
          label="Sexual orientation"
          value={p.sexualOrientation ? labelOf(v, 'sexualOrientation', p.sexualOrientation) : null}
        />
        <Detail label="Languages" value={p.languages.join(', ')} />
        <Detail label="Tribal affiliation" value={p.tribalAffiliation} />
        <Detail label="County" value={detail.countyName} />
      </dl>
      <h3>Safe contact</h3>
      <dl>
        <Detail
          label="How to contact them"
          value={p.safeContact.method ? CONTACT_METHOD_NAMES[p.safeContact.method] : null}
        />
        <Detail label="Contact details" value={p.safeContact.value} />
        <Detail label="Safe times" value={p.safeContact.times} />
        <Detail label="Code word" value={p.safeContact.codeWord} />
      </dl>
      {editable ? (
        <p>
          <a href={`${casePath(detail.id)}/edit`}>Change the details</a>
        </p>
      ) : null}
    </section>
  );
};

const TimelineSection: FC<SectionProps & { before: string | null; names: Map<string, string> }> = (p) => {
  const path = casePath(p.detail.id);
  return (
    <section aria-labelledby="timeline-h">
      <h2 id="timeline-h">Timeline</h2>
      <HistoryTable
        deps={p.deps}
        caption="Everything that happened on the case, newest first"
        id="timeline"
        show="date-time"
        entries={p.detail.timeline.map((e) => ({
          at: e.at,
          what: eventText(p.deps, e, p.names),
          who: e.actor ? (e.actor.userId === p.actor.userId ? 'You' : e.actor.name) : 'The system',
        }))}
      />
      <nav aria-label="Pages of the timeline" class="pager">
        {p.before ? <a href={`${path}#timeline-h`}>Newest entries</a> : null}
        {p.detail.timelineNext ? (
          <a href={`${path}?before=${p.detail.timelineNext}#timeline-h`}>Older entries</a>
        ) : null}
      </nav>
    </section>
  );
};

const StatusSection: FC<SectionProps> = ({ csrf, detail }) => {
  const open = detail.status === 'open';
  const path = casePath(detail.id);
  return (
    <section aria-labelledby="status-h">
      <h2 id="status-h">{open ? 'Closing the case' : 'Reopening the case'}</h2>
      {open ? (
        <p>
          <a href={`${path}/close`}>Close the case</a> when work with the young person ends.
        </p>
      ) : (
        <form method="post" action={`${path}/reopen`}>
          <CsrfField token={csrf} />
          <p>If the young person comes back, reopen the case rather than opening a new one.</p>
          <button type="submit">Reopen the case</button>
        </form>
      )}
    </section>
  );
};

export const OverviewPage: FC<
  SectionProps & {
    frame: StaffFrame;
    mayWrite: boolean;
    done: string | null;
    today: string;
    before: string | null;
    navigators: PersonRef[];
  }
> = (p) => {
  const { detail } = p;
  const assignable = p.navigators.filter((n) => !detail.assigned.some((a) => a.userId === n.userId));
  const names = new Map<string, string>([
    ...p.navigators.map((n) => [n.userId, n.name] as [string, string]),
    ...detail.assigned.map((a) => [a.userId, a.name] as [string, string]),
    ...detail.timeline
      .filter((e) => e.actor)
      .map((e) => [e.actor!.userId, e.actor!.name] as [string, string]),
  ]);
  const label = detail.personal.chosenName;
  const pronouns = detail.personal.pronouns;
  return (
    <StaffLayout frame={p.frame} title="Case overview">
      <ErrorSummary errors={p.errors} />
      <Success message={p.done} />
      <p id="summary" tabindex={-1}>
        Case of <strong>{label}</strong>
        {pronouns ? ` (${pronouns})` : ''} · Case number <span class="case-number">{detail.caseNumber}</span>{' '}
        · {detail.regionName} · {CASE_STATUS_NAMES[detail.status]}
      </p>
      <CaseTabs caseId={detail.id} current="overview" label={label} />
      <DuplicateNotice regions={detail.possibleDuplicateRegions} />
      <OpenedOrClosed {...p} />
      <AboutSection {...p} />
      <NavigatorsSection {...p} assignable={assignable} />
      <NotesSection {...p} />
      <ServicesSection {...p} />
      <TimelineSection {...p} names={names} />
      {p.mayWrite ? <StatusSection {...p} /> : null}
    </StaffLayout>
  );
};
