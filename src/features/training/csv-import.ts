/**
 * The import of completions from a CSV file (the state's learning system's export): one row per
 * completion with the person's email or staff id (a staff account's or roster entry's id), the course
 * code and the date, and optionally the person's name. A person not yet listed is added to the
 * organization's roster when the row gives a name. Every row is checked first; when any row is wrong,
 * the answer lists each wrong row with its line and nothing is written. Otherwise everything is written
 * in one transaction, with one audit record. A completion already recorded (same person, course and day)
 * is counted, not written twice.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Actor } from '../../platform/access.ts';
import { recordActorAudit } from '../../platform/audit/audit.ts';
import { encryptField } from '../../platform/crypto/index.ts';
import { parseCsv } from '../../platform/csv.ts';
import { AccessDenied, InputError } from '../../platform/errors.ts';
import { emailIndex, type RequestOrigin } from '../accounts/service.ts';
import { todayIn } from '../help/index.ts';
import * as q from './queries.ts';
import { EMAIL, certificateCode, initialsOf, isDate, normalCode } from './rules.ts';
import { keepsRoster, rosterField, type TrainingContext } from './service.ts';
import type { TrainingCompletionsTable, TrainingRosterTable } from './tables.ts';

/** The most rows one file may hold. */
export const MAX_ROWS = 20_000;

export interface RowProblem {
  line: number;
  message: string;
}

export type ImportOutcome =
  | { ok: true; rows: number; recorded: number; already: number; rosterAdded: number }
  | { ok: false; problems: RowProblem[] };

const HEADERS: Record<string, 'email' | 'staffId' | 'course' | 'date' | 'name'> = {
  email: 'email',
  'email address': 'email',
  'staff id': 'staffId',
  staff_id: 'staffId',
  staffid: 'staffId',
  'course code': 'course',
  course_code: 'course',
  course: 'course',
  date: 'date',
  completed_on: 'date',
  'completed on': 'date',
  'completion date': 'date',
  completion_date: 'date',
  name: 'name',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Row {
  line: number;
  email: string;
  staffId: string;
  course: string;
  date: string;
  name: string;
}

/**
 * Imports the completions in `text` for the organization: its administrators and state administrators
 * (`training.record`, not a trainer).
 *
 * @example
 * await importCompletions(ctx, orgAdmin, orgId, 'email,course_code,completed_on\nperson@example.org,X205,2026-11-02\n', origin);
 * // { ok: true, rows: 1, recorded: 1, already: 0, rosterAdded: 0 }
 */
export async function importCompletions(
  ctx: TrainingContext,
  actor: Actor,
  organizationId: string,
  text: string,
  origin: RequestOrigin,
): Promise<ImportOutcome> {
  const org = UUID.test(organizationId)
    ? (await q.organizationRows(ctx.db, { id: organizationId }))[0]
    : undefined;
  if (!org || !keepsRoster(actor, org.id))
    throw new AccessDenied(
      'The organization’s administrators and state administrators import its completions.',
      true,
    );
  const cells = parseCsv(text.replace(/^\uFEFF/, '')).filter((r) => r.some((c) => c.trim() !== ''));
  if (cells.length < 2) throw new InputError('The file has no rows under its header line.', 'file');
  if (cells.length - 1 > MAX_ROWS) throw new InputError(`A file may hold at most ${MAX_ROWS} rows.`, 'file');
  const header = cells[0]!.map((h) => HEADERS[h.trim().toLowerCase()]);
  const col = (k: string) => header.indexOf(k as never);
  if ((col('email') < 0 && col('staffId') < 0) || col('course') < 0 || col('date') < 0)
    throw new InputError(
      'The first line must name the columns: email (or staff id), course code and completed on (the date).',
      'file',
    );
  const at = (r: string[], k: string) => (col(k) >= 0 ? (r[col(k)] ?? '').trim() : '');
  const rows: Row[] = cells.slice(1).map((r, i) => ({
    line: i + 2,
    email: at(r, 'email'),
    staffId: at(r, 'staffId'),
    course: normalCode(at(r, 'course')),
    date: at(r, 'date'),
    name: at(r, 'name'),
  }));

  const courses = new Set((await q.courseRows(ctx.db)).map((c) => c.code));
  const today = todayIn(ctx.timezone, ctx.now ? ctx.now() : new Date());
  const staff = await q.staffPeople(ctx.db, [org.id]);
  const roster = await q.rosterPeople(ctx.db, [org.id]);
  const staffIds = new Set(staff.map((s) => s.id));
  const rosterIds = new Map(roster.map((r) => [r.id, r.initials]));
  const indexOf = new Map<string, string>();
  for (const r of rows)
    if (r.email && EMAIL.test(r.email) && !indexOf.has(r.email.toLowerCase()))
      indexOf.set(r.email.toLowerCase(), await emailIndex(ctx, r.email));
  const indexes = [...new Set(indexOf.values())];
  const staffByIndex = new Map(
    (await q.staffByEmailIndex(ctx.db, indexes))
      .filter((s) => s.organization_id === org.id)
      .map((s) => [s.email_index, s.id]),
  );
  const rosterByIndex = new Map(roster.filter((r) => r.email_index).map((r) => [r.email_index!, r]));

  const problems: RowProblem[] = [];
  for (const r of rows) {
    const wrong = (message: string) => problems.push({ line: r.line, message });
    if (!courses.has(r.course))
      wrong(r.course ? `There is no course ${r.course} in the catalogue.` : 'The course code is empty.');
    if (!isDate(r.date)) wrong('The date is not a date like 2026-03-31.');
    else if (r.date > today) wrong('The date is in the future.');
    if (r.staffId) {
      if (!staffIds.has(r.staffId) && !rosterIds.has(r.staffId))
        wrong('No one in this organization has this staff id.');
    } else if (!r.email) wrong('The row has neither an email nor a staff id.');
    else if (!EMAIL.test(r.email)) wrong('The email is not an email address.');
    else {
      const index = indexOf.get(r.email.toLowerCase())!;
      if (!staffByIndex.has(index) && !rosterByIndex.has(index) && !r.name)
        wrong('No one in this organization has this email: add a name column to list them on the roster.');
    }
  }
  if (problems.length) return { ok: false, problems };

  let rosterAdded = 0;
  let recorded = 0;
  await ctx.db.transaction().execute(async (trx) => {
    const added = new Map<string, { id: string; initials: string }>();
    const newRoster: Insertable<TrainingRosterTable>[] = [];
    const completions: Insertable<TrainingCompletionsTable>[] = [];
    for (const r of rows) {
      let staffUserId: string | null = null;
      let rosterId: string | null = null;
      let initials = '?';
      if (r.staffId) {
        if (staffIds.has(r.staffId)) staffUserId = r.staffId;
        else {
          rosterId = r.staffId;
          initials = rosterIds.get(r.staffId)!;
        }
      } else {
        const index = indexOf.get(r.email.toLowerCase())!;
        const listed = rosterByIndex.get(index);
        if (staffByIndex.has(index)) staffUserId = staffByIndex.get(index)!;
        else if (listed) {
          rosterId = listed.id;
          initials = listed.initials;
        } else {
          let entry = added.get(index);
          if (!entry) {
            entry = { id: randomUUID(), initials: initialsOf(r.name) };
            added.set(index, entry);
            newRoster.push({
              id: entry.id,
              organization_id: org.id,
              name_encrypted: await encryptField(
                ctx.keyring,
                rosterField(entry.id, 'name_encrypted'),
                r.name,
                trx,
              ),
              email_encrypted: await encryptField(
                ctx.keyring,
                rosterField(entry.id, 'email_encrypted'),
                r.email,
                trx,
              ),
              email_index: index,
              initials: entry.initials,
              role: 'professional',
              created_by: actor.userId,
            });
          }
          rosterId = entry.id;
          initials = entry.initials;
        }
      }
      if (staffUserId && r.name) initials = initialsOf(r.name);
      completions.push({
        id: randomUUID(),
        organization_id: org.id,
        staff_user_id: staffUserId,
        roster_id: rosterId,
        course_code: r.course,
        completed_on: r.date,
        source: 'import',
        certificate_code: certificateCode(randomBytes(10)),
        initials,
        recorded_by: actor.userId,
      });
    }
    for (let i = 0; i < newRoster.length; i += 1000)
      await trx
        .insertInto('training_roster')
        .values(newRoster.slice(i, i + 1000))
        .execute();
    rosterAdded = newRoster.length;
    recorded = await q.insertCompletions(trx, completions);
    await recordActorAudit(trx, actor, origin, {
      action: 'training.completion.import',
      subjectType: 'member_organization',
      subjectId: org.id,
      details: { rows: rows.length, recorded, roster_added: rosterAdded },
    });
  });
  return { ok: true, rows: rows.length, recorded, already: rows.length - recorded, rosterAdded };
}
