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
import { Actions, Alert, Button, DataTable, Panel, SrOnly, SummaryList } from '../../../web/ui.tsx';
import { NOTE_MAX, type PersonRef, CONTACT_METHOD_NAMES, ageText } from '../rules.ts';
import type { FieldProblem } from '../schema.ts';
import type { CaseDetail, TimelineEntry } from '../service.ts';
import { labelOf } from '../../../pack/vocabularies.ts';
import { FieldError, SelectField, describedBy, invalid } from './fields.tsx';
import { AGE_BAND_NAMES } from '../../queue/service.ts';
import { CaseHeading, casePath } from './layout.tsx';

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
    <Panel id="navigators-h" heading="Assigned navigators">
      {detail.assigned.length ? (
        <ul class="usa-list usa-list--unstyled nwd-rows">
          {detail.assigned.map((a) => (
            <li>
              <span>
                <strong>{you(actor, a)}</strong>, since <Time deps={p.deps} at={a.assignedAt} show="date" />
              </span>
              {editable ? (
                <form method="post" action={`${path}/unassign`}>
                  <CsrfField token={p.csrf} />
                  <input type="hidden" name="userId" value={a.userId} />
                  <Button variant="outline">
                    End the assignment
                    <SrOnly> of {you(actor, a, 'you')}</SrOnly>
                  </Button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>Nobody is assigned.</p>
      )}
      {editable && p.assignable.length ? (
        <form method="post" action={`${path}/assign`} novalidate class="usa-form">
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
          />
          <Button>Assign</Button>
        </form>
      ) : null}
    </Panel>
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
  <form method="post" action={action} novalidate aria-labelledby={`${id}-h`} class="usa-form nwd-subform">
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
    <div class={`usa-form-group${invalid('body', errors) ? ' usa-form-group--error' : ''}`}>
      <label for="body" class="usa-label">
        Note
      </label>
      <div class="usa-hint" id="body-hint">
        Kept encrypted; seen only by people who can open this case. Write what the next person needs, in the
        young person’s own words where you can.
      </div>
      <FieldError field="body" errors={errors} />
      <textarea
        class="usa-textarea"
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
    </div>
    <Button>Add the note</Button>
  </CaseForm>
);

export const NotesSection: FC<SectionProps> = (p) => {
  const { actor, detail } = p;
  return (
    <Panel id="notes-h" heading="Notes">
      {detail.notes.length ? (
        <ul class="usa-list usa-list--unstyled" id="notes">
          {detail.notes.map((n) => (
            <li class="nwd-note">
              <p class="nwd-note-head">
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
      {p.editable ? <NoteForm {...p} /> : null}
    </Panel>
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
    <div class={`usa-form-group${invalid('deliveredOn', errors) ? ' usa-form-group--error' : ''}`}>
      <label for="deliveredOn" class="usa-label">
        Date
      </label>
      <div class="usa-hint" id="deliveredOn-hint">
        Leave it as today, or give the day it was delivered.
      </div>
      <FieldError field="deliveredOn" errors={errors} />
      <input
        class="usa-input"
        type="date"
        id="deliveredOn"
        name="deliveredOn"
        value={values.deliveredOn ?? today}
        max={today}
        aria-describedby={describedBy('deliveredOn', errors, 'deliveredOn-hint')}
        aria-invalid={invalid('deliveredOn', errors)}
      />
    </div>
    <Button>Record the service</Button>
  </CaseForm>
);

export const ServicesSection: FC<SectionProps & { today: string }> = (p) => (
  <Panel id="services-h" heading="Services delivered">
    {p.detail.services.length ? (
      <DataTable
        label="Services delivered"
        caption="Services delivered, newest first"
        head={['Date', 'Service', 'Recorded by']}
        id="services"
      >
        {p.detail.services.map((s) => (
          <tr>
            <td>{p.deps.rules.calendar.formatDate(s.deliveredOn)}</td>
            <td>{labelOf(p.deps.rules.vocabularies, 'services', s.serviceCode)}</td>
            <td>{you(p.actor, s.recordedBy)}</td>
          </tr>
        ))}
      </DataTable>
    ) : (
      <p>No services recorded yet.</p>
    )}
    {p.editable ? <ServiceForm {...p} /> : null}
  </Panel>
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
  door: 'how they came to us',
  exploitation: 'type of exploitation',
  entryHousing: 'housing when the case opened',
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
    case 'placement.ended':
      return `${base}: went to ${code('exitHousing', d.went_to) ?? 'a place not known'}`;
    default:
      return base;
  }
}

/** A fact, or "Not given". */
const given = (value: string | null | undefined): string =>
  value === null || value === undefined || value === '' ? 'Not given' : value;

const by = (actor: Actor, p: PersonRef | null) =>
  p ? ` by ${p.userId === actor.userId ? 'you' : p.name}` : '';

const DuplicateNotice: FC<{ regions: string[] }> = ({ regions }) =>
  regions.length ? (
    <Alert type="warning" heading="A possible match in another region" id="duplicates">
      {regions.map((r) => (
        <p>A possible match exists in {r} — request a consult with that region’s navigator.</p>
      ))}
      <p>
        Another case there has the same name and date of birth. Nothing else about it is shown, and nothing
        about this case is shown there. Share details only with the young person’s consent.
      </p>
    </Alert>
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
    <Panel id="details-h" heading="About the young person">
      <SummaryList
        label="About the young person"
        rows={[
          ['Name they choose', given(p.chosenName)],
          ['Legal name', given(p.legalName)],
          ['Date of birth', p.dateOfBirth ? deps.rules.calendar.formatDate(p.dateOfBirth) : 'Not given'],
          ['Age', given(ageText(p, today))],
          ['Age group when opened', AGE_BAND_NAMES[detail.ageBand]],
          ['Pronouns', given(p.pronouns)],
          ['Gender identity', given(p.genderIdentity.map((g) => labelOf(v, 'genderIdentity', g)).join('; '))],
          [
            'Race and ethnicity',
            given(p.raceEthnicity.map((r) => labelOf(v, 'raceEthnicity', r)).join('; ')),
          ],
          [
            'Sexual orientation',
            given(p.sexualOrientation ? labelOf(v, 'sexualOrientation', p.sexualOrientation) : null),
          ],
          ['Languages', given(p.languages.join(', '))],
          ['Tribal affiliation', given(p.tribalAffiliation)],
          ['How they came to us', given(p.door ? labelOf(v, 'doors', p.door) : null)],
          [
            'Type of exploitation',
            given(p.exploitation.map((e) => labelOf(v, 'exploitationTypes', e)).join('; ')),
          ],
          [
            'Where they were living when the case opened',
            given(p.entryHousing ? labelOf(v, 'exitHousing', p.entryHousing) : null),
          ],
          ['County', given(detail.countyName)],
        ]}
      />
      <h3>Safe contact</h3>
      <SummaryList
        label="Safe contact"
        rows={[
          [
            'How to contact them',
            given(p.safeContact.method ? CONTACT_METHOD_NAMES[p.safeContact.method] : null),
          ],
          ['Contact details', given(p.safeContact.value)],
          ['Safe times', given(p.safeContact.times)],
          ['Code word', given(p.safeContact.codeWord)],
        ]}
      />
      {editable ? (
        <Actions>
          <a class="usa-button usa-button--outline" href={`${casePath(detail.id)}/edit`}>
            Change the details
          </a>
        </Actions>
      ) : null}
    </Panel>
  );
};

const TimelineSection: FC<SectionProps & { before: string | null; names: Map<string, string> }> = (p) => {
  const path = casePath(p.detail.id);
  return (
    <Panel id="timeline-h" heading="Timeline">
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
      {p.before || p.detail.timelineNext ? (
        <nav aria-label="Pages of the timeline" class="nwd-pager">
          {p.before ? <a href={`${path}#timeline-h`}>Newest entries</a> : <span />}
          {p.detail.timelineNext ? (
            <a href={`${path}?before=${p.detail.timelineNext}#timeline-h`}>Older entries</a>
          ) : null}
        </nav>
      ) : null}
    </Panel>
  );
};

const StatusSection: FC<SectionProps> = ({ csrf, detail }) => {
  const open = detail.status === 'open';
  const path = casePath(detail.id);
  return (
    <Panel id="status-h" heading={open ? 'Closing the case' : 'Reopening the case'}>
      {open ? (
        <>
          <p>When work with the young person ends, the case can be closed. It can be reopened later.</p>
          <Actions>
            <a class="usa-button usa-button--outline" href={`${path}/close`}>
              Close the case
            </a>
          </Actions>
        </>
      ) : (
        <form method="post" action={`${path}/reopen`}>
          <CsrfField token={csrf} />
          <p>If the young person comes back, reopen the case rather than opening a new one.</p>
          <Button>Reopen the case</Button>
        </form>
      )}
    </Panel>
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
      <CaseHeading
        caseId={detail.id}
        label={label}
        pronouns={pronouns}
        regionName={detail.regionName}
        current="overview"
        closed={detail.status !== 'open'}
        id="summary"
        caseNumber={detail.caseNumber}
      />
      <DuplicateNotice regions={detail.possibleDuplicateRegions} />
      <OpenedOrClosed {...p} />
      <div class="nwd-columns">
        <div>
          <NotesSection {...p} />
          <ServicesSection {...p} />
          <TimelineSection {...p} names={names} />
        </div>
        <div>
          <AboutSection {...p} />
          <NavigatorsSection {...p} assignable={assignable} />
          {p.mayWrite ? <StatusSection {...p} /> : null}
        </div>
      </div>
    </StaffLayout>
  );
};
