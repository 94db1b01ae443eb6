/**
 * Consent SQL: plain reads and writes, no rules and no access checks (the service does both).
 */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { ConsentsTable } from '../cases/index.ts';

export type ConsentRow = Selectable<ConsentsTable>;
export type ConsentWithOrganization = ConsentRow & { organization_name: string };
type Db = Kysely<DB> | Transaction<DB>;

/** Organizations a consent or a referral can name: every member organization that is not disabled. */
export function activeOrganizations(db: Db): Promise<{ id: string; name: string; type: string }[]> {
  return db
    .selectFrom('member_organizations')
    .select(['id', 'name', 'type'])
    .where('disabled_at', 'is', null)
    .orderBy('name')
    .execute();
}

export function organizationState(db: Db, organizationId: string) {
  return db
    .selectFrom('member_organizations')
    .select(['id', 'disabled_at'])
    .where('id', '=', organizationId)
    .executeTakeFirst();
}

/** Consents with their organization's name. */
export function consentQuery(db: Db) {
  return db
    .selectFrom('consents as k')
    .innerJoin('member_organizations as o', 'o.id', 'k.organization_id')
    .selectAll('k')
    .select('o.name as organization_name');
}

export function caseConsents(db: Db, caseId: string): Promise<ConsentWithOrganization[]> {
  return consentQuery(db)
    .where('k.case_id', '=', caseId)
    .orderBy('k.recorded_at', 'desc')
    .orderBy('k.id')
    .execute();
}

export function consentById(
  db: Db,
  id: string,
  caseId?: string,
): Promise<ConsentWithOrganization | undefined> {
  let q = consentQuery(db).where('k.id', '=', id);
  if (caseId !== undefined) q = q.where('k.case_id', '=', caseId);
  return q.executeTakeFirst();
}

/** The consents of a case naming the organization that are in force on `today`, newest first. */
export function consentsInForce(
  db: Db,
  caseId: string,
  organizationId: string,
  today: string,
): Promise<ConsentRow[]> {
  return db
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
}

/** Every consent of a case in force on `today` naming an organization that is not disabled. */
export function caseConsentsInForce(db: Db, caseId: string, today: string) {
  return db
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
}

export async function insertConsent(trx: Transaction<DB>, row: Insertable<ConsentsTable>): Promise<void> {
  await trx.insertInto('consents').values(row).execute();
}

export function consentCase(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('consents').select(['id', 'case_id']).where('id', '=', id).executeTakeFirst();
}

export function lockConsent(trx: Transaction<DB>, id: string): Promise<ConsentRow> {
  return trx.selectFrom('consents').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

export async function markRevoked(trx: Transaction<DB>, id: string, by: string, at: Date): Promise<void> {
  await trx.updateTable('consents').set({ revoked_at: at, revoked_by: by }).where('id', '=', id).execute();
}

/** How many referrals were made under the consent. */
export async function referralsUnder(trx: Transaction<DB>, consentId: string): Promise<number> {
  const row = await trx
    .selectFrom('referrals')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('consent_id', '=', consentId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Consents in force on `today` that end on or before `until`, of open cases in `regions` (null: every
 * region), soonest end first: no personal data (case number, organization, dates).
 */
export function expiringConsents(db: Db, regions: readonly string[] | null, today: string, until: string) {
  let query = db
    .selectFrom('consents as k')
    .innerJoin('cases as c', 'c.id', 'k.case_id')
    .innerJoin('member_organizations as o', 'o.id', 'k.organization_id')
    .where('k.revoked_at', 'is', null)
    .where('k.starts_on', '<=', today)
    .where('k.expires_on', '>', today)
    .where('k.expires_on', '<=', until)
    .where('c.status', '=', 'open')
    .where('c.purged_at', 'is', null);
  if (regions) query = query.where('c.region_id', 'in', regions);
  return query;
}
