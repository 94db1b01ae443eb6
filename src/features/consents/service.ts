/**
 * Consent that the software enforces (VAWA / FVPSA grade): what a young person agreed to share, with
 * which organization, for what, how they agreed (written, or verbal with a witness), from when and until
 * when (always: one year by default, never longer), and its revocation at any time.
 *
 * Identifying data reaches an organization only while an *active* consent *covers* it:
 * - same organization,
 * - not revoked,
 * - `starts_on ≤ today < expires_on`, "today" being the jurisdiction's local date (Minnesota time),
 * - its categories include everything that is shared.
 *
 * Consent is never a condition of service: nothing in the product requires one to open a case, record
 * services or send a (de-identified) referral. The witness's name is encrypted under the case's key.
 *
 * Each use case starts with its access check (`authorize`), then reads its input, then works and
 * records the audit event in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { authorize, regionScope, type Actor } from '../../platform/access.ts';
import { recordActorAudit } from '../../platform/audit/audit.ts';
import { decryptField } from '../../platform/crypto/index.ts';
import { staffNames } from '../queue/service.ts';
import {
  CaseError,
  auditCase,
  caseNumberOf,
  caseList,
  findCase,
  nowOf,
  openPersonal,
  recordCaseEvent,
  sealCaseField,
  type CaseContext,
  type CaseListHeading,
  type RequestOrigin,
  type ConsentCategory,
  labelOf,
} from '../cases/index.ts';
import * as q from './queries.ts';
import { addDays, consentCovers, consentState, type ConsentState } from './rules.ts';
import { UUID, checkConsent, type ConsentInput } from './schema.ts';

// What other features use: the rules and the checked input.
export {
  CATEGORY_NAMES,
  CATEGORY_PLAIN,
  CONSENT_BACKDATE_DAYS,
  CONSENT_FUTURE_START_DAYS,
  CONSENT_STATE_NAMES,
  CONSENT_YEARS,
  METHOD_NAMES,
  addDays,
  addYears,
  consentCovers,
  consentState,
  isCalendarDate,
  type ConsentState,
} from './rules.ts';
export { checkConsent, type CheckedConsent, type ConsentInput } from './schema.ts';
export type { ConsentRow } from './queries.ts';
export { caseContext } from '../cases/index.ts';

export const CONSENT_NOT_FOUND = 'There is no such consent, or its case is not in your regions.';
const MAY_NOT_SEE = { message: 'You do not have permission to see cases.' };
const MAY_NOT_CHANGE = { message: 'You do not have permission to change cases.' };

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

/** Organizations a consent or a referral can name: every member organization that is not disabled. */
export const activeOrganizations = (ctx: Pick<CaseContext, 'db'>) => q.activeOrganizations(ctx.db);

/**
 * Refuses an organization a consent or a referral cannot name (not a member, or disabled), with an
 * error on `field`.
 */
export async function checkActiveOrganization(
  trx: Transaction<DB>,
  organizationId: string,
  field: string,
): Promise<void> {
  const org = await q.organizationState(trx, organizationId);
  if (!org || org.disabled_at !== null)
    throw new CaseError(
      'invalid',
      'Choose an organization from the list: that one is not a member of the network.',
      field,
    );
}

async function toViews(
  ctx: CaseContext,
  trx: Transaction<DB>,
  rows: q.ConsentWithOrganization[],
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

/** One stored consent as a view. */
async function viewOf(ctx: CaseContext, trx: Transaction<DB>, id: string): Promise<ConsentView> {
  const [view] = await toViews(ctx, trx, [(await q.consentById(trx, id))!]);
  return view!;
}

/**
 * The consents of a case the actor may read (`cases.read`), newest first, with the young person's
 * chosen name for the page heading and whether the actor may change them. Audited (`consent.list`):
 * witnesses' names are decrypted.
 */
export async function listConsents(
  ctx: CaseContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
): Promise<CaseListHeading & { consents: ConsentView[] }> {
  authorize(actor, 'cases.read', undefined, MAY_NOT_SEE);
  const { items, ...heading } = await caseList(ctx, actor, caseId, origin, 'consent', async (trx, row) =>
    toViews(ctx, trx, await q.caseConsents(trx, row.id)),
  );
  return { ...heading, consents: items };
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
  authorize(actor, 'cases.read', undefined, MAY_NOT_SEE);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.read');
    if (!UUID.test(consentId)) throw new CaseError('not_found', CONSENT_NOT_FOUND);
    const found = await q.consentById(trx, consentId.toLowerCase(), row.id);
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

/**
 * The newest consent of a case that lets `organizationId` see `categories` today, or null (`prefer`
 * first when it still covers them). Used when a referral shares identifying data (at creation, when
 * sent, and at every read by the receiver).
 */
export async function findCoveringConsent(
  trx: Transaction<DB>,
  caseId: string,
  organizationId: string,
  categories: readonly ConsentCategory[],
  today: string,
  prefer: string | null = null,
): Promise<q.ConsentRow | null> {
  const rows = await q.consentsInForce(trx, caseId, organizationId, today);
  const covering = rows.filter((r) => consentCovers(r, organizationId, categories, today));
  return covering.find((r) => r.id === prefer) ?? covering[0] ?? null;
}

/** `findCoveringConsent`'s consent as a referral shows it: its id, categories and end. */
export async function coveringConsent(
  ...args: Parameters<typeof findCoveringConsent>
): Promise<{ id: string; categories: ConsentCategory[]; expiresOn: string } | null> {
  const covering = await findCoveringConsent(...args);
  return covering && { id: covering.id, categories: covering.categories, expiresOn: covering.expires_on };
}

/**
 * The organizations an active consent of the case lets see identifying details today, with what and
 * until when. Codes and names only (no personal data): for the referral form's hints.
 */
export async function coveringOrganizations(
  ctx: Pick<CaseContext, 'db' | 'calendar' | 'now'>,
  caseId: string,
): Promise<{ organizationId: string; name: string; categories: ConsentCategory[]; expiresOn: string }[]> {
  const today = localToday(ctx);
  const seen = new Set<string>();
  const out = [];
  for (const r of await q.caseConsentsInForce(ctx.db, caseId, today)) {
    if (seen.has(r.organization_id)) continue;
    if (!consentCovers(r, r.organization_id, ['identity'], today)) continue;
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
 * const view = await recordConsent(ctx, navigator, caseId, { organizationId, purpose: 'referral_for_services', categories: ['identity', 'contact'], method: 'written' }, origin);
 */
export async function recordConsent(
  ctx: CaseContext,
  actor: Actor,
  caseId: string,
  input: ConsentInput,
  origin: RequestOrigin,
): Promise<ConsentView> {
  authorize(actor, 'cases.write', undefined, MAY_NOT_CHANGE);
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCase(trx, actor, caseId, 'cases.write', { forUpdate: true });
    const checked = checkConsent(
      input,
      ctx.vocabularies.consentPurposes.map((p) => p.code),
      localToday(ctx),
    );
    if (row.status !== 'open')
      throw new CaseError('conflict', 'This case is closed: reopen it before recording a new consent.');
    await checkActiveOrganization(trx, checked.organizationId, 'organizationId');
    const id = randomUUID();
    await q.insertConsent(trx, {
      id,
      case_id: row.id,
      organization_id: checked.organizationId,
      purpose: checked.purpose,
      categories: checked.categories,
      method: checked.method,
      witness_encrypted: await sealCaseField(
        ctx.keyring,
        row.id,
        { table: 'consents', recordId: id, field: 'witness_encrypted' },
        checked.witness,
        trx,
      ),
      starts_on: checked.startsOn,
      expires_on: checked.expiresOn,
      recorded_by: actor.userId,
      recorded_at: now,
    });
    const detail = {
      consent: id,
      organization: checked.organizationId,
      purpose: checked.purpose,
      categories: checked.categories,
      method: checked.method,
      starts_on: checked.startsOn,
      expires_on: checked.expiresOn,
    };
    return recorded(ctx, trx, actor, origin, { caseId: row.id, id, now, detail }, 'record');
  });
}

/** A consent's change on the timeline (`consent.recorded|revoked`) and in the audit log, and its view. */
async function recorded(
  ctx: CaseContext,
  trx: Transaction<DB>,
  actor: Actor,
  origin: RequestOrigin,
  change: { caseId: string; id: string; now: Date; detail: Record<string, unknown> },
  verb: 'record' | 'revoke',
): Promise<ConsentView> {
  await recordCaseEvent(trx, {
    caseId: change.caseId,
    actorUserId: actor.userId,
    event: verb === 'record' ? 'consent.recorded' : 'consent.revoked',
    detail: change.detail,
    at: change.now,
  });
  const view = await viewOf(ctx, trx, change.id);
  await auditCase(trx, actor, origin, {
    action: `consent.${verb}`,
    caseId: change.caseId,
    subjectType: 'consent',
    subjectId: change.id,
    details: change.detail,
  });
  return view;
}

/**
 * Revokes a consent, at any time, even on a closed case (`cases.write` in the case's region). From
 * that moment no referral shows the organization anything the consent covered. Revoking twice is a
 * conflict. A `consent.revoked` event and the audit event `consent.revoke`.
 */
export async function revokeConsent(
  ctx: CaseContext,
  actor: Actor,
  consentId: string,
  origin: RequestOrigin,
  expectedCaseId?: string,
): Promise<ConsentView> {
  authorize(actor, 'cases.write', undefined, MAY_NOT_CHANGE);
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    if (!UUID.test(consentId)) throw new CaseError('not_found', CONSENT_NOT_FOUND);
    const found = await q.consentCase(trx, consentId.toLowerCase());
    if (!found || (expectedCaseId !== undefined && found.case_id !== expectedCaseId.toLowerCase()))
      throw new CaseError('not_found', CONSENT_NOT_FOUND);
    let row;
    try {
      row = await findCase(trx, actor, found.case_id, 'cases.write', { forUpdate: true });
    } catch (error) {
      if (error instanceof CaseError) throw new CaseError('not_found', CONSENT_NOT_FOUND);
      throw error;
    }
    const consent = await q.lockConsent(trx, found.id);
    if (consent.revoked_at !== null) throw new CaseError('conflict', 'This consent is already revoked.');
    await q.markRevoked(trx, consent.id, actor.userId, now);
    const detail = {
      consent: consent.id,
      organization: consent.organization_id,
      referrals_affected: await q.referralsUnder(trx, consent.id),
    };
    return recorded(ctx, trx, actor, origin, { caseId: row.id, id: consent.id, now, detail }, 'revoke');
  });
}

// ---------------------------------------------------------------------------------------------------
// Consents about to end, across the actor's cases

/** How far ahead "expiring" looks, in days. */
export const EXPIRING_WITHIN_DAYS = 30;

export interface ExpiringConsent {
  id: string;
  caseId: string;
  caseNumber: string;
  organizationName: string;
  expiresOn: string;
}

/** The regions whose cases the actor reads (null: every region), or undefined when none. */
function readableRegions(actor: Actor): readonly string[] | null | undefined {
  const scope = regionScope(actor, 'cases.read');
  if (!scope) return undefined;
  if (scope.all) return null;
  return scope.regions.length ? scope.regions : undefined;
}

/** How many consents of open cases the actor reads end within the next 30 days (no personal data read). */
export async function countExpiringConsents(ctx: Pick<CaseContext, 'db' | 'calendar' | 'now'>, actor: Actor) {
  const regions = readableRegions(actor);
  if (regions === undefined) return 0;
  const today = localToday(ctx);
  const row = await q
    .expiringConsents(ctx.db, regions, today, addDays(today, EXPIRING_WITHIN_DAYS))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The consents of open cases in the actor's regions that end within the next 30 days, soonest first:
 * case number, organization and end date, to renew with the young person in time. Audited
 * (`consent.list`, the case ids).
 */
export async function listExpiringConsents(
  ctx: CaseContext,
  actor: Actor,
  origin: RequestOrigin,
): Promise<ExpiringConsent[]> {
  authorize(actor, 'cases.read', undefined, { message: CONSENT_NOT_FOUND });
  const regions = readableRegions(actor);
  if (regions === undefined) return [];
  const today = localToday(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await q
      .expiringConsents(trx, regions, today, addDays(today, EXPIRING_WITHIN_DAYS))
      .select([
        'k.id',
        'k.case_id',
        'k.expires_on',
        'o.name',
        'c.number_region_id',
        'c.number_year',
        'c.number_seq',
      ])
      .orderBy('k.expires_on')
      .orderBy('k.id')
      .limit(500)
      .execute();
    if (rows.length)
      await recordActorAudit(trx, actor, origin, {
        action: 'consent.list',
        subjectType: 'consent',
        details: { expiring: true, cases: [...new Set(rows.map((r) => r.case_id))] },
      });
    return rows.map((r) => ({
      id: r.id,
      caseId: r.case_id,
      caseNumber: caseNumberOf(r),
      organizationName: r.name,
      expiresOn: r.expires_on,
    }));
  });
}
