/**
 * Referral SQL: plain reads and writes, no rules and no access checks (the service does both).
 */
import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type SqlBool,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { DB } from '../../db/types.ts';
import type { ReferralsTable, ReferralStatus } from '../cases/index.ts';
import { activeStaffQuery, type Recipient } from '../notifications/service.ts';
import { RESPONDER_ROLES, type LoadedReferral, type ReferralListView } from './rules.ts';
import type { Role } from '../../platform/access.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Referrals with their case's region, status and age band, the organization, region and county. */
export function referralQuery(db: Db) {
  return db
    .selectFrom('referrals as f')
    .innerJoin('cases as c', 'c.id', 'f.case_id')
    .innerJoin('member_organizations as o', 'o.id', 'f.to_organization_id')
    .innerJoin('regions as r', 'r.id', 'f.from_region_id')
    .leftJoin('counties as co', 'co.fips', 'c.county_fips')
    .selectAll('f')
    .select([
      'c.region_id as case_region_id',
      'c.status as case_status',
      'c.purged_at as case_purged_at',
      'c.county_fips',
      'c.age_band',
      'o.name as organization_name',
      'r.name as from_region_name',
      'co.name as county_name',
    ]);
}

/** One referral (locked for update with `lock`). */
export async function loadReferral(db: Db, id: string, lock = false): Promise<LoadedReferral | undefined> {
  let q = referralQuery(db).where('f.id', '=', id);
  if (lock) q = q.forUpdate('f');
  return (await q.executeTakeFirst()) as LoadedReferral | undefined;
}

export async function caseReferrals(db: Db, caseId: string): Promise<LoadedReferral[]> {
  return (await referralQuery(db)
    .where('f.case_id', '=', caseId)
    .orderBy('f.created_at', 'desc')
    .orderBy('f.id')
    .execute()) as LoadedReferral[];
}

/**
 * Referrals of live cases received by an organization (never drafts) or sent from some regions (all
 * regions with `regions: null`), in a list view, longest waiting first.
 */
type ReferralsEb = ExpressionBuilder<DB & { f: DB['referrals'] } & { c: DB['cases'] }, 'f' | 'c'>;

/** The referrals a list picks (whose, and which view), shared by the list and its count. */
const picked =
  (
    where: { receivedBy: string } | { regions: string[] | null },
    view: ReferralListView,
    finished: readonly ReferralStatus[],
  ) =>
  (eb: ReferralsEb) => {
    const and: Expression<SqlBool>[] = [eb('c.purged_at', 'is', null)];
    if ('receivedBy' in where)
      and.push(eb('f.to_organization_id', '=', where.receivedBy), eb('f.status', '<>', 'draft'));
    else if (where.regions) and.push(eb('c.region_id', 'in', where.regions));
    if (view === 'open') and.push(eb('f.status', 'not in', [...finished]));
    else if (view === 'waiting') and.push(eb('f.status', '=', 'sent'));
    else if (view === 'drafts') and.push(eb('f.status', '=', 'draft'));
    else if (view === 'finished') and.push(eb('f.status', 'in', [...finished]));
    return eb.and(and);
  };

export async function referralList(
  db: Db,
  where: { receivedBy: string } | { regions: string[] | null },
  view: ReferralListView,
  finished: readonly ReferralStatus[],
  limit: number,
): Promise<LoadedReferral[]> {
  return (await referralQuery(db)
    .where(picked(where, view, finished))
    .orderBy(sql`f.sent_at is null`, 'desc')
    .orderBy('f.sent_at', view === 'finished' || view === 'all' ? 'desc' : 'asc')
    .orderBy('f.created_at', 'desc')
    .orderBy('f.id')
    .limit(limit)
    .execute()) as LoadedReferral[];
}

/** How many referrals the same list shows (without its limit). */
export async function referralCount(
  db: Db,
  where: { receivedBy: string } | { regions: string[] | null },
  view: ReferralListView,
  finished: readonly ReferralStatus[],
): Promise<number> {
  const row = await db
    .selectFrom('referrals as f')
    .innerJoin('cases as c', 'c.id', 'f.case_id')
    .where(picked(where, view, finished))
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

export function historyRows(db: Db, referralId: string) {
  return db
    .selectFrom('referral_transitions as t')
    .leftJoin('member_organizations as o', 'o.id', 't.actor_organization_id')
    .select(['t.at', 't.from_status', 't.to_status', 't.reason', 't.actor_user_id', 'o.name as org_name'])
    .where('t.referral_id', '=', referralId)
    .orderBy('t.at')
    .orderBy('t.id')
    .execute();
}

export function casePersonalRow(db: Db, caseId: string) {
  return db
    .selectFrom('cases')
    .select(['id', 'personal_encrypted'])
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
}

export function servicesDelivered(db: Db, caseId: string) {
  return db
    .selectFrom('services_delivered')
    .select(['service_code', 'delivered_on'])
    .where('case_id', '=', caseId)
    .orderBy('delivered_on', 'desc')
    .limit(100)
    .execute();
}

export async function insertReferral(trx: Transaction<DB>, row: Insertable<ReferralsTable>): Promise<void> {
  await trx.insertInto('referrals').values(row).execute();
}

export async function updateReferral(
  trx: Transaction<DB>,
  id: string,
  set: Updateable<ReferralsTable>,
): Promise<void> {
  await trx.updateTable('referrals').set(set).where('id', '=', id).execute();
}

export async function insertTransition(
  trx: Transaction<DB>,
  row: Insertable<DB['referral_transitions']>,
): Promise<void> {
  await trx.insertInto('referral_transitions').values(row).execute();
}

/** Who sent the referral (every `sent` step). */
export async function senderIds(trx: Transaction<DB>, referralId: string): Promise<(string | null)[]> {
  const rows = await trx
    .selectFrom('referral_transitions')
    .select('actor_user_id')
    .where('referral_id', '=', referralId)
    .where('to_status', '=', 'sent')
    .execute();
  return rows.map((r) => r.actor_user_id);
}

/** The person's unread notifications about referrals, newest first. */
export function unreadReferralNotifications(db: Db, userId: string) {
  return db
    .selectFrom('staff_notifications')
    .select(['id', 'text', 'link', 'created_at'])
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .where('link', 'like', '/staff/referrals/%')
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
}

export async function organizationName(db: Db, id: string): Promise<string | null> {
  const row = await db
    .selectFrom('member_organizations')
    .select('name')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.name ?? null;
}

/** Active people of the organization who can answer its referrals (optionally only some roles). */
export async function respondersOf(
  trx: Transaction<DB>,
  organizationId: string,
  roles: readonly Role[] = RESPONDER_ROLES,
): Promise<Recipient[]> {
  return activeStaffQuery(trx)
    .where('u.organization_id', '=', organizationId)
    .where('u.role', 'in', [...roles])
    .orderBy('u.id')
    .execute();
}

/** Of these people, the active navigators of the region (who sent a referral from it). */
export function sendingNavigators(
  trx: Transaction<DB>,
  ids: string[],
  regionId: string,
): Promise<Recipient[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return activeStaffQuery(trx)
    .where('u.id', 'in', ids)
    .where('u.role', '=', 'navigator')
    .where((eb) => eb(eb.val(regionId), '=', eb.fn.any('u.regions')))
    .execute();
}

// ---------------------------------------------------------------------------------------------------
// Reminders

/** Sent referrals whose reminder, or escalation, may be due. */
export function reminderCandidates(db: Db, now: Date, escalateBefore: Date) {
  return db
    .selectFrom('referrals')
    .select('id')
    .where('status', '=', 'sent')
    .where('remind_at', '<=', now)
    .where((eb) =>
      eb.or([
        eb('reminded_at', 'is', null),
        eb.and([eb('escalated_at', 'is', null), eb('remind_at', '<=', escalateBefore)]),
      ]),
    )
    .orderBy('remind_at')
    .execute();
}

/** A referral to remind, under its row lock (undefined when another instance holds it). */
export function lockForReminder(trx: Transaction<DB>, referralId: string) {
  return trx
    .selectFrom('referrals as f')
    .innerJoin('cases as c', 'c.id', 'f.case_id')
    .innerJoin('member_organizations as o', 'o.id', 'f.to_organization_id')
    .select([
      'f.id',
      'f.case_id',
      'f.status',
      'f.to_organization_id',
      'f.remind_at',
      'f.reminded_at',
      'f.escalated_at',
      'c.region_id',
      'o.name as organization_name',
    ])
    .where('f.id', '=', referralId)
    .forUpdate('f')
    .skipLocked()
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------------
// The thread

export async function insertMessage(
  trx: Transaction<DB>,
  row: Insertable<DB['referral_messages']>,
): Promise<void> {
  await trx.insertInto('referral_messages').values(row).execute();
}

/** A referral's messages, oldest first, with the author's organization's name. */
export function messageRows(db: Db, referralId: string) {
  return db
    .selectFrom('referral_messages as m')
    .leftJoin('member_organizations as o', 'o.id', 'm.author_organization_id')
    .select([
      'm.id',
      'm.side',
      'm.kind',
      'm.body_encrypted',
      'm.author_user_id',
      'm.created_at',
      'o.name as org_name',
    ])
    .where('m.referral_id', '=', referralId)
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
}

/** The people who wrote on the sending side of a referral's thread. */
export async function senderAuthors(trx: Transaction<DB>, referralId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('referral_messages')
    .select('author_user_id')
    .distinct()
    .where('referral_id', '=', referralId)
    .where('side', '=', 'sender')
    .execute();
  return rows.map((r) => r.author_user_id);
}

/** The referrer's account: organization, and the encrypted name and email (decrypted by the service). */
export function referrerRow(db: Db, userId: string) {
  return db
    .selectFrom('staff_users as u')
    .innerJoin('member_organizations as o', 'o.id', 'u.organization_id')
    .select(['u.id', 'u.email_encrypted', 'u.display_name_encrypted', 'o.name as org_name'])
    .where('u.id', '=', userId)
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------------
// Whom a referral may go to

/**
 * Active member organizations a referral may go to: every type but state agencies, which only when
 * the directory lists a service of theirs (by the organization's name). `id` narrows to one.
 */
export function referralTargets(db: Db, id?: string) {
  let q = db
    .selectFrom('member_organizations as o')
    .select(['o.id', 'o.name', 'o.type'])
    .where('o.disabled_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('o.type', '<>', 'state_agency'),
        eb.exists(
          eb
            .selectFrom('directory_services as s')
            .select(sql`1`.as('one'))
            .where(sql<boolean>`lower(s.organization_name) = lower(o.name)`),
        ),
      ]),
    );
  if (id) q = q.where('o.id', '=', id);
  return q.orderBy('o.name').execute();
}

// ---------------------------------------------------------------------------------------------------
// Outside referrals

/**
 * Directory services whose organization has no account here (no active member organization of that
 * name): the places an outside referral can go. `id` narrows to one.
 */
export function outsideServices(db: Db, id?: string) {
  let q = db
    .selectFrom('directory_services as s')
    .select(['s.id', 's.name', 's.organization_name'])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('member_organizations as o')
            .select(sql`1`.as('one'))
            .where('o.disabled_at', 'is', null)
            .where(sql<boolean>`lower(o.name) = lower(s.organization_name)`),
        ),
      ),
    );
  if (id !== undefined) q = q.where('s.id', '=', id);
  return q.orderBy('s.name').orderBy('s.id').limit(2000).execute();
}

export async function insertOutside(
  trx: Transaction<DB>,
  row: Insertable<DB['outside_referrals']>,
): Promise<void> {
  await trx.insertInto('outside_referrals').values(row).execute();
}

export function caseOutsideReferrals(db: Db, caseId: string) {
  return db
    .selectFrom('outside_referrals')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** One outside referral with its case's region, locked for update. */
export function lockOutside(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom('outside_referrals as x')
    .innerJoin('cases as c', 'c.id', 'x.case_id')
    .selectAll('x')
    .select(['c.region_id as case_region_id', 'c.status as case_status', 'c.purged_at'])
    .where('x.id', '=', id)
    .forUpdate('x')
    .executeTakeFirst();
}

export async function setOutsideStatus(
  trx: Transaction<DB>,
  id: string,
  set: Updateable<DB['outside_referrals']>,
): Promise<void> {
  await trx.updateTable('outside_referrals').set(set).where('id', '=', id).execute();
}

/** How many outside referrals the regions' live cases have (all regions with `regions: null`), by status. */
export async function outsideCounts(db: Db, regions: string[] | null) {
  let q = db
    .selectFrom('outside_referrals as x')
    .innerJoin('cases as c', 'c.id', 'x.case_id')
    .select(['x.status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('c.purged_at', 'is', null)
    .groupBy('x.status');
  if (regions) q = q.where('c.region_id', 'in', regions.length ? regions : ['']);
  return (await q.execute()).map((r) => ({ status: r.status, count: Number(r.n) }));
}
