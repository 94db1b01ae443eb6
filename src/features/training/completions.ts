/**
 * Completions and certificates: a completion recorded on an organization's page (`training.record`; a
 * trainer only for the courses they teach), one recorded inside another feature's transaction (event
 * attendance: `recordCompletion`, which finds the person by email or adds them to the roster), the
 * printable certificate (the full name; the read is audited) and the public check by code (initials,
 * course and date only).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { can, type Actor } from '../../platform/access.ts';
import { recordActorAudit, recordReadAudit } from '../../platform/audit/audit.ts';
import { decryptField, encryptField, type Keyring } from '../../platform/crypto/index.ts';
import { AccessDenied, InputError, ServiceError } from '../../platform/errors.ts';
import { emailIndex, type RequestOrigin } from '../accounts/service.ts';
import { todayIn } from '../help/index.ts';
import * as q from './queries.ts';
import { certificateCode, initialsOf, normalCode } from './rules.ts';
import { CompletionInput } from './schema.ts';
import { rosterField, visibleOrganization, type TrainingContext } from './service.ts';
import type { CompletionSource } from './tables.ts';

const isId = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
const todayOf = (ctx: Pick<TrainingContext, 'now' | 'timezone'>) =>
  todayIn(ctx.timezone, ctx.now ? ctx.now() : new Date());

/** Whether the actor may record this course for this organization (a trainer: only the courses they teach). */
export async function mayRecord(
  db: Database | Transaction<DB>,
  actor: Actor,
  organizationId: string,
  courseCode: string,
): Promise<boolean> {
  if (!can(actor, 'training.record', { organizationId })) return false;
  return actor.role !== 'trainer' || q.teaches(db, actor.userId, courseCode);
}

const newCode = () => certificateCode(randomBytes(10));

/**
 * Records a completion for a person on the organization's page: `training.record` (a trainer only for
 * the courses they teach), audited. Returns the completion's id.
 */
export async function recordCompletionFor(
  ctx: TrainingContext,
  actor: Actor,
  organizationId: string,
  input: unknown,
  origin: RequestOrigin,
): Promise<string> {
  const org = await visibleOrganization(ctx, actor, organizationId);
  const parsed = CompletionInput.safeParse(input);
  if (!parsed.success) throw InputError.from(parsed.error);
  const c = parsed.data;
  if (c.completedOn > todayOf(ctx)) throw new InputError('The date cannot be in the future.', 'completedOn');
  if (!(await q.courseRow(ctx.db, c.courseCode)))
    throw new InputError('Choose a course from the catalogue.', 'courseCode');
  if (!(await mayRecord(ctx.db, actor, org.id, c.courseCode)))
    throw new AccessDenied('A trainer records completions only of the courses they teach.');
  const [kind, personId] = c.person.split(':') as ['user' | 'roster', string];
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    const person =
      kind === 'user'
        ? await q.staffPerson(trx, org.id, personId)
        : await q.rosterEntry(trx, org.id, personId);
    if (!person) throw new InputError('Choose one of the organization’s people.', 'person');
    const initials =
      'initials' in person
        ? person.initials
        : person.display_name_encrypted
          ? initialsOf(
              await decryptField(
                ctx.keyring,
                { table: 'staff_users', recordId: person.id, field: 'display_name' },
                person.display_name_encrypted,
                trx,
              ),
            )
          : '?';
    const inserted = await q.insertCompletions(trx, [
      {
        id,
        organization_id: org.id,
        staff_user_id: kind === 'user' ? person.id : null,
        roster_id: kind === 'roster' ? person.id : null,
        course_code: c.courseCode,
        completed_on: c.completedOn,
        source: actor.role === 'trainer' ? 'trainer' : 'organization',
        certificate_code: newCode(),
        initials,
        recorded_by: actor.userId,
      },
    ]);
    if (!inserted)
      throw new InputError('This completion is already recorded for this person.', 'completedOn');
    await recordActorAudit(trx, actor, origin, {
      action: 'training.completion.record',
      subjectType: 'training_completion',
      subjectId: id,
      details: {
        course: c.courseCode,
        completed_on: c.completedOn,
        person_kind: kind,
        subject_organization_id: org.id,
      },
    });
  });
  return id;
}

/** What `recordCompletion` needs to know of the attendance or import. */
export interface CompletionRecord {
  organizationId: string;
  email: string;
  name: string;
  courseCode: string;
  completedOn: string;
  source: CompletionSource;
  eventId?: string | null;
  recordedBy?: string | null;
}

/**
 * Records a completion inside the caller's transaction (event attendance): finds the person by email
 * among the organization's staff accounts and roster entries, adds a roster entry when there is none,
 * and writes the completion with a certificate code. A completion already recorded (same person, course
 * and day) is not written twice. The caller checks permissions and writes its own audit record.
 *
 * @example
 * await recordCompletion(trx, keyring, { organizationId, email: 'person@example.org', name: 'Synthetic Person', courseCode: 'X205', completedOn: '2026-12-01', source: 'event', eventId });
 */
export async function recordCompletion(
  trx: Transaction<DB>,
  keyring: Keyring,
  r: CompletionRecord,
): Promise<{ completionId: string | null; personId: string; rosterAdded: boolean }> {
  const code = normalCode(r.courseCode);
  if (!(await q.courseRow(trx, code)))
    throw new InputError(`There is no course ${code} in the catalogue.`, 'courseCode');
  const index = await emailIndex({ keyring }, r.email, trx);
  const staff = (await q.staffByEmailIndex(trx, [index])).find((u) => u.organization_id === r.organizationId);
  let personId: string;
  let initials: string;
  let rosterAdded = false;
  const roster = staff ? undefined : (await q.rosterByEmailIndex(trx, r.organizationId, [index]))[0];
  if (staff) {
    personId = staff.id;
    initials = initialsOf(r.name);
  } else if (roster) {
    personId = roster.id;
    initials = roster.initials;
  } else {
    personId = randomUUID();
    initials = initialsOf(r.name);
    await trx
      .insertInto('training_roster')
      .values({
        id: personId,
        organization_id: r.organizationId,
        name_encrypted: await encryptField(keyring, rosterField(personId, 'name_encrypted'), r.name, trx),
        email_encrypted: await encryptField(
          keyring,
          rosterField(personId, 'email_encrypted'),
          r.email.trim(),
          trx,
        ),
        email_index: index,
        initials,
        role: 'professional',
        title: null,
        started_on: null,
        created_by: r.recordedBy ?? null,
      })
      .execute();
    rosterAdded = true;
  }
  const id = randomUUID();
  const inserted = await q.insertCompletions(trx, [
    {
      id,
      organization_id: r.organizationId,
      staff_user_id: staff ? personId : null,
      roster_id: staff ? null : personId,
      course_code: code,
      completed_on: r.completedOn,
      source: r.source,
      event_id: r.eventId ?? null,
      certificate_code: newCode(),
      initials,
      recorded_by: r.recordedBy ?? null,
    },
  ]);
  return { completionId: inserted ? id : null, personId, rosterAdded };
}

/**
 * The organization of the network a person belongs to, for a completion from an event's attendance: the
 * organization of their staff account (found by email), else the one organization that lists them on its
 * roster, else the one active organization whose name is the name they gave (letter case and spaces at
 * either end aside). Null when none fits, or more than one does.
 *
 * @example
 * await organizationOfPerson(trx, keyring, { email: 'person@example.org', organizationName: 'Synthetic County' });
 */
export async function organizationOfPerson(
  trx: Transaction<DB>,
  keyring: Keyring,
  person: { email: string; organizationName: string | null },
): Promise<string | null> {
  const index = await emailIndex({ keyring }, person.email, trx);
  const one = (ids: readonly string[]) => (new Set(ids).size === 1 ? ids[0]! : null);
  const staff = await q.staffByEmailIndex(trx, [index]);
  if (staff.length) return one(staff.map((u) => u.organization_id));
  const rostered = await q.rosterOrganizationsByEmailIndex(trx, index);
  if (rostered.length) return one(rostered);
  const name = person.organizationName?.trim().toLowerCase();
  return name ? one(await q.activeOrganizationsNamed(trx, name)) : null;
}

/**
 * Takes back the completions an event's attendance recorded for a person (found by email, as
 * `recordCompletion` finds them), when they are marked as not having come after all. Inside the caller's
 * transaction; answers how many were removed.
 */
export async function withdrawEventCompletion(
  trx: Transaction<DB>,
  keyring: Keyring,
  r: { email: string; eventId: string },
): Promise<number> {
  const index = await emailIndex({ keyring }, r.email, trx);
  const staffIds = (await q.staffByEmailIndex(trx, [index])).map((u) => u.id);
  const rosterIds = await q.rosterIdsByEmailIndex(trx, index);
  return q.deleteEventCompletions(trx, r.eventId, { staffIds, rosterIds });
}

/** Whether the catalogue has the course (its code as the catalogue writes it). */
export const courseExists = async (db: Database | Transaction<DB>, courseCode: string): Promise<boolean> =>
  (await q.courseRow(db, normalCode(courseCode))) !== undefined;

// ---------------------------------------------------------------------------------------------------
// Certificates

/** A completion's printable certificate, with the person's full name (the read is audited). */
export async function certificate(ctx: TrainingContext, actor: Actor, id: string, origin: RequestOrigin) {
  const row = isId(id) ? await q.completionDetail(ctx.db, { id }) : undefined;
  if (!row) throw new ServiceError('not_found', 'There is no such certificate.');
  await visibleOrganization(ctx, actor, row.organization_id);
  let name: string | null = null;
  if (row.roster_id) {
    const r = await q.rosterPeople(ctx.db, [row.organization_id]);
    const entry = r.find((p) => p.id === row.roster_id);
    name = entry
      ? await decryptField(ctx.keyring, rosterField(entry.id, 'name_encrypted'), entry.name_encrypted)
      : null;
  } else if (row.staff_user_id) {
    const u = await q.staffPerson(ctx.db, row.organization_id, row.staff_user_id);
    name = u?.display_name_encrypted
      ? await decryptField(
          ctx.keyring,
          { table: 'staff_users', recordId: u.id, field: 'display_name' },
          u.display_name_encrypted,
        )
      : null;
  }
  await recordReadAudit(ctx.db, actor, origin, {
    action: 'training.certificate.read',
    subjectType: 'training_completion',
    subjectId: row.id,
    details: {},
  });
  return { ...row, name: name ?? row.initials };
}

/** What the public check of a certificate code shows: initials, course and date; null when unknown. */
export async function verifyCertificate(db: Database, code: string) {
  const clean = code.trim().toUpperCase();
  if (!/^[A-Z0-9-]{8,20}$/.test(clean)) return null;
  const row = await q.completionDetail(db, { code: clean });
  return row
    ? {
        code: row.certificate_code,
        initials: row.initials,
        courseCode: row.course_code,
        courseTitle: row.course_title,
        provider: row.provider,
        completedOn: row.completed_on,
      }
    : null;
}
