/**
 * The sections of a case's overview that hold a form: the assigned navigators (assign, end an
 * assignment), the notes (add one) and the services delivered (record one).
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import type { Actor } from '../../../platform/access.ts';
import { Time } from '../../../web/page.tsx';
import { CsrfField } from '../../../web/staff-layout.tsx';
import { NOTE_MAX, type PersonRef } from '../rules.ts';
import type { FieldProblem } from '../schema.ts';
import type { CaseDetail } from '../service.ts';
import { labelOf } from '../vocabularies.ts';
import { FieldError, SelectField, describedBy, invalid } from './fields.tsx';

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

const NoteForm: FC<SectionProps> = ({ deps, csrf, detail, errors, values }) => (
  <form method="post" action={`/staff/cases/${detail.id}/notes`} novalidate aria-labelledby="note-form-h">
    <h3 id="note-form-h">Add a note</h3>
    <CsrfField token={csrf} />
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
  </form>
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
  <form
    method="post"
    action={`/staff/cases/${detail.id}/services`}
    novalidate
    aria-labelledby="service-form-h"
  >
    <h3 id="service-form-h">Record a service</h3>
    <CsrfField token={csrf} />
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
  </form>
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
