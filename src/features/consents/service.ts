/**
 * Consent that the software enforces (VAWA / FVPSA grade): what a young person agreed to share, with
 * which organisation, for what, how they agreed (written, or verbal with a witness), from when and until
 * when (always: one year by default, never longer), and its revocation at any time.
 *
 * Identifying data reaches an organisation only while an *active* consent *covers* it:
 * - same organisation,
 * - not revoked,
 * - `starts_on ≤ today < expires_on`, "today" being the jurisdiction's local date (Minnesota time),
 * - its categories include everything that is shared.
 *
 * Consent is never a condition of service: nothing in the product requires one to open a case, record
 * services or send a (de-identified) referral. The witness's name is encrypted under the case's key.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Actor } from '../../platform/access.ts';
import { decryptField } from '../../platform/crypto/index.ts';
import { staffNames } from '../queue/service.ts';
import {
  CaseError,
  auditCase,
  caseScopeOf,
  findCase,
  nowOf,
  openPersonal,
  recordCaseEvent,
  sealCaseField,
  type CaseContext,
  type RequestOrigin,
} from '../cases/core.ts';
import { CONSENT_CATEGORIES, type ConsentCategory, type ConsentsTable } from '../cases/tables.ts';
import { labelOf } from '../cases/vocabularies.ts';

export type ConsentRow = Selectable<ConsentsTable>;

// ---------------------------------------------------------------------------------------------------
// Rules (pure)

/** What each category of a consent lets an organisation see, in plain words. */
export const CATEGORY_NAMES: Record<ConsentCategory, string> = {
  identity: 'Who they are: names, date of birth or age, pronouns',
  contact: 'How to reach them safely: contact details, safe times, code word',
  demographics: 'Background: gender, race and ethnicity, sexual orientation, languages, tribal affiliation',
  screening: 'Screening answers',
  safety_plan: 'Their safety plan',
  notes: 'Case notes',
  services: 'Services they have received',
};

/** The same, as a young person reads it on the printed form. */
export const CATEGORY_PLAIN: Record<ConsentCategory, string> = {
  identity: 'your name, date of birth or age, and pronouns',
  contact: 'how to reach you safely (phone, text or other contact details, safe times, your code word)',
  demographics:
    'your background (gender, race and ethnicity, sexual orientation, languages, tribal affiliation)',
  screening: 'your answers to screening questions',
  safety_plan: 'your safety plan',
  notes: 'notes your navigator has written',
  services: 'the services you have received',
};

export const METHOD_NAMES = {
  written: 'Written (signed)',
  verbal: 'Verbal (spoken, with a witness)',
} as const;

/** How long a consent lasts when no end is given, and the longest it may last. */
export const CONSENT_YEARS = 1;
/** How far back a consent given earlier (a signed paper form) may be dated. */
export const CONSENT_BACKDATE_DAYS = 30;
/** How far ahead a consent may start. */
export const CONSENT_FUTURE_START_DAYS = 90;

export type ConsentState = 'active' | 'not_started' | 'expired' | 'revoked';

export const CONSENT_STATE_NAMES: Record<ConsentState, string> = {
  active: 'Active',
  not_started: 'Not started yet',
  expired: 'Ended',
  revoked: 'Revoked',
};

/** A calendar date `days` after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/**
 * The same day `years` later; 29 February becomes 28 February.
 *
 * @example
 * addYears('2028-02-29', 1) // '2029-02-28'
 */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** A real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === value;
}

/**
 * Where a consent stands on a (local) date.
 *
 * @example
 * consentState({ starts_on: '2026-01-01', expires_on: '2027-01-01', revoked_at: null }, '2026-06-01') // 'active'
 * consentState({ starts_on: '2026-01-01', expires_on: '2027-01-01', revoked_at: null }, '2027-01-01') // 'expired'
 */
export function consentState(
  consent: Pick<ConsentRow, 'starts_on' | 'expires_on' | 'revoked_at'>,
  today: string,
): ConsentState {
  if (consent.revoked_at !== null) return 'revoked';
  if (today < consent.starts_on) return 'not_started';
  if (today >= consent.expires_on) return 'expired';
  return 'active';
}

/**
 * Whether the consent lets `organizationId` see every one of `categories` on `today`.
 *
 * @example
 * consentCovers(consent, orgId, ['identity'], '2026-06-01') // true while active, same organisation, category included
 */
export function consentCovers(
  consent: Pick<ConsentRow, 'organization_id' | 'categories' | 'starts_on' | 'expires_on' | 'revoked_at'>,
  organizationId: string,
  categories: readonly ConsentCategory[],
  today: string,
): boolean {
  return (
    consent.organization_id === organizationId &&
    consentState(consent, today) === 'active' &&
    categories.every((c) => consent.categories.includes(c))
  );
}

const hasControl = (text: string) => /\p{Cc}/u.test(text);

export interface ConsentInput {
  organizationId: string;
  purpose: string;
  categories: string[];
  method: string;
  witness?: string | null;
  /** Default: today (local). */
  startsOn?: string | null;
  /** Default: one year after it starts. */
  expiresOn?: string | null;
}

export interface CheckedConsent {
  organizationId: string;
  purpose: string;
  categories: ConsentCategory[];
  method: 'written' | 'verbal';
  witness: string | null;
  startsOn: string;
  expiresOn: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks a consent as entered; the error names the field. `today` is the local date.
 *
 * @example
 * checkConsent({ organizationId, purpose: 'referral_for_services', categories: ['identity'], method: 'written' }, purposes, '2026-11-22')
 * // { …, startsOn: '2026-11-22', expiresOn: '2027-11-22' }
 */
export function checkConsent(
  input: ConsentInput,
  purposes: readonly string[],
  today: string,
): CheckedConsent {
  const invalid = (field: string, message: string) => new CaseError('invalid', message, field);
  if (!UUID.test(input.organizationId ?? ''))
    throw invalid('organizationId', 'Choose the organisation the young person agreed to share with.');
  if (!purposes.includes(input.purpose))
    throw invalid('purpose', 'Choose what the information will be used for.');
  const categories = [...new Set(input.categories)];
  if (categories.length === 0)
    throw invalid('categories', 'Choose at least one kind of information the young person agreed to share.');
  if (!categories.every((c): c is ConsentCategory => (CONSENT_CATEGORIES as readonly string[]).includes(c)))
    throw invalid('categories', 'Choose kinds of information from the list.');
  if (input.method !== 'written' && input.method !== 'verbal')
    throw invalid('method', 'Say how the young person gave consent: written or verbal.');
  const witness = (input.witness ?? '').trim();
  if (witness.length > 200) throw invalid('witness', 'The witness’s name must be 200 characters or fewer.');
  if (hasControl(witness)) throw invalid('witness', 'Write the witness’s name on one line.');
  if (input.method === 'verbal' && !witness)
    throw invalid('witness', 'Verbal consent needs a witness: write who heard the young person agree.');
  const startsOn = (input.startsOn ?? '').trim() || today;
  if (!isCalendarDate(startsOn))
    throw invalid('startsOn', 'Write the start date as a real date, YYYY-MM-DD.');
  if (startsOn < addDays(today, -CONSENT_BACKDATE_DAYS))
    throw invalid(
      'startsOn',
      `The start date can be at most ${CONSENT_BACKDATE_DAYS} days ago. For an older form, ask the young person again.`,
    );
  if (startsOn > addDays(today, CONSENT_FUTURE_START_DAYS))
    throw invalid('startsOn', `The start date can be at most ${CONSENT_FUTURE_START_DAYS} days from today.`);
  const longest = addYears(startsOn, CONSENT_YEARS);
  const expiresOn = (input.expiresOn ?? '').trim() || longest;
  if (!isCalendarDate(expiresOn))
    throw invalid('expiresOn', 'Write the end date as a real date, YYYY-MM-DD.');
  if (expiresOn <= startsOn) throw invalid('expiresOn', 'The end date must be after the start date.');
  if (expiresOn <= today) throw invalid('expiresOn', 'The end date must be after today.');
  if (expiresOn > longest)
    throw invalid(
      'expiresOn',
      'Consent can last at most one year. Ask the young person again when it ends if they want to keep sharing.',
    );
  return {
    organizationId: input.organizationId.toLowerCase(),
    purpose: input.purpose,
    categories: CONSENT_CATEGORIES.filter((c) => categories.includes(c)),
    method: input.method,
    witness: witness || null,
    startsOn,
    expiresOn,
  };
}

/** Today's date in the jurisdiction (Minnesota time), for consent checks. */
export const localToday = (ctx: Pick<CaseContext, 'calendar' | 'now'>): string =>
  ctx.calendar.local(nowOf(ctx)).date;

// ---------------------------------------------------------------------------------------------------
// Reading

export interface ConsentView {
  id: string;
  caseId: string;
  organization: { id: string; name: string };
  purpose: string;
  purposeLabel: string;
  categories: ConsentCategory[];
  method: 'written' | 'verbal';
  witness: string | null;
  startsOn: string;
  expiresOn: string;
  state: ConsentState;
  recordedBy: string;
  recordedAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
}

/** Organisations a consent or a referral can name: every member organisation that is not disabled. */
export async function activeOrganizations(
  db: CaseContext['db'] | Transaction<DB>,
): Promise<{ id: string; name: string; type: string }[]> {
  return db
    .selectFrom('member_organizations')
    .select(['id', 'name', 'type'])
    .where('disabled_at', 'is', null)
    .orderBy('name')
    .execute();
}

/**
 * Refuses an organisation a consent or a referral cannot name (not a member, or disabled), with an
 * error on `field`.
 */
export async function checkActiveOrganization(
  trx: Transaction<DB>,
  organizationId: string,
  field: string,
): Promise<void> {
  const org = await trx
    .selectFrom('member_organizations')
    .select(['id', 'disabled_at'])
    .where('id', '=', organizationId)
    .executeTakeFirst();
  if (!org || org.disabled_at !== null)
    throw new CaseError(
      'invalid',
      'Choose an organisation from the list: that one is not a member of the network.',
      field,
    );
}

async function toViews(
  ctx: CaseContext,
  trx: Transaction<DB>,
  rows: (ConsentRow & { organization_name: string })[],
): Promise<ConsentView[]> {
  const today = localToday(ctx);
  const names = await staffNames(
    ctx,
    rows.flatMap((r) => [r.recorded_by, r.revoked_by]),
    trx,
  );
  const views: ConsentView[] = [];
  for (const r of rows) {
    views.push({
      id: r.id,
      caseId: r.case_id,
      organization: { id: r.organization_id, name: r.organization_name },
      purpose: r.purpose,
      purposeLabel: labelOf(ctx.vocabularies, 'consentPurposes', r.purpose),
      categories: r.categories,
      method: r.method,
      witness: r.witness_encrypted
        ? await decryptField(
            ctx.keyring,
            { table: 'consents', recordId: r.id, field: 'witness_encrypted' },
            r.witness_encrypted,
            trx,
          )
        : null,
      startsOn: r.starts_on,
      expiresOn: r.expires_on,
      state: consentState(r, today),
      recordedBy: names.get(r.recorded_by) ?? 'a colleague',
      recordedAt: r.recorded_at,
      revokedAt: r.revoked_at,
      revokedBy: r.revoked_by ? (names.get(r.revoked_by) ?? 'a colleague') : null,
    });
  }
  return views;
}

function consentQuery(trx: Transaction<DB>) {
  return trx
    .selectFrom('consents as k')
    .innerJoin('member_organizations as o', 'o.id', 'k.organization_id')
    .selectAll('k')
    .select('o.name as organization_name');
}

/**
 * The consents of a case the actor may read (`cases.read`), newest first, with the young person's
 * chosen name for the page heading. Audited (`consent.list`): witnesses' names are decrypted.
 */
export async function listConsents(
  ctx: CaseContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
): Promise<{ caseId: string; chosenName: string; caseOpen: boolean; consents: ConsentView[] }> {
  if (!caseScopeOf(actor, 'cases.read'))
    throw new CaseError('forbidden', 'You do not have permission to see cases.');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.read');
    const rows = await consentQuery(trx)
      .where('k.case_id', '=', row.id)
      .orderBy('k.recorded_at', 'desc')
      .orderBy('k.id')
      .execute();
    const consents = await toViews(ctx, trx, rows);
    const personal = await openPersonal(ctx.keyring, row);
    await auditCase(trx, actor, origin, {
      action: 'consent.list',
      caseId: row.id,
      details: { consents: rows.length },
    });
    return { caseId: row.id, chosenName: personal.chosenName, caseOpen: row.status === 'open', consents };
  });
}

/**
 * One consent with what its printed form needs (the young person's chosen name). Audited
 * (`consent.print`).
 */
export async function consentForPrint(
  ctx: CaseContext,
  actor: Actor,
  caseId: string,
  consentId: string,
  origin: RequestOrigin,
): Promise<{ consent: ConsentView; chosenName: string }> {
  if (!caseScopeOf(actor, 'cases.read'))
    throw new CaseError('forbidden', 'You do not have permission to see cases.');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.read');
    if (!UUID.test(consentId)) throw new CaseError('not_found', CONSENT_NOT_FOUND);
    const found = await consentQuery(trx)
      .where('k.case_id', '=', row.id)
      .where('k.id', '=', consentId.toLowerCase())
      .executeTakeFirst();
    if (!found) throw new CaseError('not_found', CONSENT_NOT_FOUND);
    const [consent] = await toViews(ctx, trx, [found]);
    const personal = await openPersonal(ctx.keyring, row);
    await auditCase(trx, actor, origin, {
      action: 'consent.print',
      caseId: row.id,
      subjectType: 'consent',
      subjectId: found.id,
    });
    return { consent: consent!, chosenName: personal.chosenName };
  });
}

export const CONSENT_NOT_FOUND = 'There is no such consent, or its case is not in your regions.';

/**
 * The newest consent of a case that lets `organizationId` see `categories` today, or null. Used when a
 * referral shares identifying data (at creation, when sent, and at every read by the receiver).
 */
export async function findCoveringConsent(
  trx: Transaction<DB>,
  caseId: string,
  organizationId: string,
  categories: readonly ConsentCategory[],
  today: string,
  prefer: string | null = null,
): Promise<ConsentRow | null> {
  const rows = await trx
    .selectFrom('consents')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('organization_id', '=', organizationId)
    .where('revoked_at', 'is', null)
    .where('starts_on', '<=', today)
    .where('expires_on', '>', today)
    .orderBy('recorded_at', 'desc')
    .orderBy('id')
    .execute();
  const covering = rows.filter((r) => consentCovers(r, organizationId, categories, today));
  return covering.find((r) => r.id === prefer) ?? covering[0] ?? null;
}

/**
 * The organisations an active consent of the case lets see identifying details today, with what and
 * until when. Codes and names only (no personal data): for the referral form's hints.
 */
export async function coveringOrganizations(
  ctx: Pick<CaseContext, 'db' | 'calendar' | 'now'>,
  caseId: string,
): Promise<{ organizationId: string; name: string; categories: ConsentCategory[]; expiresOn: string }[]> {
  const today = localToday(ctx);
  const rows = await ctx.db
    .selectFrom('consents as k')
    .innerJoin('member_organizations as o', 'o.id', 'k.organization_id')
    .select(['k.organization_id', 'o.name', 'k.categories', 'k.starts_on', 'k.expires_on', 'k.revoked_at'])
    .where('k.case_id', '=', caseId)
    .where('k.revoked_at', 'is', null)
    .where('k.starts_on', '<=', today)
    .where('k.expires_on', '>', today)
    .where('o.disabled_at', 'is', null)
    .orderBy('o.name')
    .orderBy('k.expires_on', 'desc')
    .execute();
  const seen = new Set<string>();
  const out = [];
  for (const r of rows) {
    if (seen.has(r.organization_id)) continue;
    if (!consentCovers({ ...r }, r.organization_id, ['identity'], today)) continue;
    seen.add(r.organization_id);
    out.push({
      organizationId: r.organization_id,
      name: r.name,
      categories: r.categories,
      expiresOn: r.expires_on,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Changes

/**
 * Records a consent on an open case (`cases.write` in the case's region): the witness encrypted, a
 * `consent.recorded` event on the timeline and the audit event `consent.record`, in one transaction.
 *
 * @example
 * const id = await recordConsent(ctx, navigator, caseId, { organizationId, purpose: 'referral_for_services', categories: ['identity', 'contact'], method: 'written' }, origin);
 */
export async function recordConsent(
  ctx: CaseContext,
  actor: Actor,
  caseId: string,
  input: ConsentInput,
  origin: RequestOrigin,
): Promise<ConsentView> {
  if (!caseScopeOf(actor, 'cases.write'))
    throw new CaseError('forbidden', 'You do not have permission to change cases.');
  const now = nowOf(ctx);
  const checked = checkConsent(
    input,
    ctx.vocabularies.consentPurposes.map((p) => p.code),
    localToday(ctx),
  );
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.write', { forUpdate: true });
    if (row.status !== 'open')
      throw new CaseError('conflict', 'This case is closed: reopen it before recording a new consent.');
    await checkActiveOrganization(trx, checked.organizationId, 'organizationId');
    const id = randomUUID();
    await trx
      .insertInto('consents')
      .values({
        id,
        case_id: row.id,
        organization_id: checked.organizationId,
        purpose: checked.purpose,
        categories: checked.categories,
        method: checked.method,
        witness_encrypted: checked.witness
          ? await sealCaseField(
              ctx.keyring,
              row.id,
              { table: 'consents', recordId: id, field: 'witness_encrypted' },
              checked.witness,
              trx,
            )
          : null,
        starts_on: checked.startsOn,
        expires_on: checked.expiresOn,
        recorded_by: actor.userId,
        recorded_at: now,
      })
      .execute();
    const detail = {
      consent: id,
      organization: checked.organizationId,
      purpose: checked.purpose,
      categories: checked.categories,
      method: checked.method,
      starts_on: checked.startsOn,
      expires_on: checked.expiresOn,
    };
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'consent.recorded',
      detail,
      at: now,
    });
    const stored = await consentQuery(trx).where('k.id', '=', id).executeTakeFirstOrThrow();
    const [view] = await toViews(ctx, trx, [stored]);
    await auditCase(trx, actor, origin, {
      action: 'consent.record',
      caseId: row.id,
      subjectType: 'consent',
      subjectId: id,
      details: detail,
    });
    return view!;
  });
}

/**
 * Revokes a consent, at any time, even on a closed case (`cases.write` in the case's region). From
 * that moment no referral shows the organisation anything the consent covered. Revoking twice is a
 * conflict. A `consent.revoked` event and the audit event `consent.revoke`.
 */
export async function revokeConsent(
  ctx: CaseContext,
  actor: Actor,
  consentId: string,
  origin: RequestOrigin,
  expectedCaseId?: string,
): Promise<ConsentView> {
  if (!caseScopeOf(actor, 'cases.write'))
    throw new CaseError('forbidden', 'You do not have permission to change cases.');
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    if (!UUID.test(consentId)) throw new CaseError('not_found', CONSENT_NOT_FOUND);
    const found = await trx
      .selectFrom('consents')
      .select(['id', 'case_id'])
      .where('id', '=', consentId.toLowerCase())
      .executeTakeFirst();
    if (!found || (expectedCaseId !== undefined && found.case_id !== expectedCaseId.toLowerCase()))
      throw new CaseError('not_found', CONSENT_NOT_FOUND);
    let row;
    try {
      row = await findCase(trx, actor, found.case_id, 'cases.write', { forUpdate: true });
    } catch (error) {
      if (error instanceof CaseError) throw new CaseError('not_found', CONSENT_NOT_FOUND);
      throw error;
    }
    const consent = await trx
      .selectFrom('consents')
      .selectAll()
      .where('id', '=', found.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (consent.revoked_at !== null) throw new CaseError('conflict', 'This consent is already revoked.');
    await trx
      .updateTable('consents')
      .set({ revoked_at: now, revoked_by: actor.userId })
      .where('id', '=', consent.id)
      .execute();
    const referrals = await trx
      .selectFrom('referrals')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('consent_id', '=', consent.id)
      .executeTakeFirstOrThrow();
    const detail = {
      consent: consent.id,
      organization: consent.organization_id,
      referrals_affected: Number(referrals.n),
    };
    await recordCaseEvent(trx, {
      caseId: row.id,
      actorUserId: actor.userId,
      event: 'consent.revoked',
      detail,
      at: now,
    });
    const stored = await consentQuery(trx).where('k.id', '=', consent.id).executeTakeFirstOrThrow();
    const [view] = await toViews(ctx, trx, [stored]);
    await auditCase(trx, actor, origin, {
      action: 'consent.revoke',
      caseId: row.id,
      subjectType: 'consent',
      subjectId: consent.id,
      details: detail,
    });
    return view!;
  });
}
