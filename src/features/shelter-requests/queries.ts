/**
 * The database side of shelter requests: requests, their offers (one per program asked), placements,
 * and the job's candidates. No access checks here: the service decides who may call what.
 */
import type { Insertable, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import type { CloseReason, HousingPlacementsTable, OfferStatus, ShelterRequestsTable } from './tables.ts';

type Db = Database | Transaction<DB>;

export async function insertRequest(
  trx: Transaction<DB>,
  row: Insertable<ShelterRequestsTable>,
  programs: { id: string; organizationId: string; offerId: string }[],
): Promise<void> {
  await trx.insertInto('shelter_requests').values(row).execute();
  if (programs.length)
    await trx
      .insertInto('shelter_offers')
      .values(
        programs.map((p) => ({
          id: p.offerId,
          request_id: row.id,
          program_id: p.id,
          organization_id: p.organizationId,
        })),
      )
      .execute();
}

export async function requestRow(db: Db, id: string, options: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('shelter_requests').selectAll().where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}
export type RequestRow = NonNullable<Awaited<ReturnType<typeof requestRow>>>;

const OFFER_COLUMNS = [
  'f.id',
  'f.request_id',
  'f.program_id',
  'f.organization_id',
  'f.status',
  'f.decline_reason',
  'f.held_until',
  'f.answered_at',
  'p.name as program_name',
  'p.program_type',
  'o.name as organization_name',
] as const;

/** The offers of requests (by request, answered first), with their program's and organization's names. */
export async function offersOf(db: Db, requestIds: readonly string[]) {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom('shelter_offers as f')
    .innerJoin('housing_programs as p', 'p.id', 'f.program_id')
    .innerJoin('member_organizations as o', 'o.id', 'f.organization_id')
    .select(OFFER_COLUMNS)
    .where('f.request_id', 'in', requestIds)
    .orderBy('f.answered_at', (ob) => ob.asc().nullsLast())
    .orderBy('p.name')
    .execute();
}
export type OfferRow = Awaited<ReturnType<typeof offersOf>>[number];

/** The offer, locked for a change. */
export async function lockOffer(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('shelter_offers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The request's offer to the program, locked for a change. */
export async function lockOfferFor(trx: Transaction<DB>, requestId: string, programId: string) {
  return trx
    .selectFrom('shelter_offers')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('program_id', '=', programId)
    .forUpdate()
    .executeTakeFirst();
}

export async function setOffer(
  trx: Transaction<DB>,
  id: string,
  values: {
    status: OfferStatus;
    decline_reason?: string | null;
    held_until?: Date | null;
    answered_by?: string;
    answered_at?: Date;
  },
): Promise<void> {
  await trx.updateTable('shelter_offers').set(values).where('id', '=', id).execute();
}

/** The other offers of the request still open (waiting or holding), locked. */
export async function lockOpenOffers(trx: Transaction<DB>, requestId: string, except: string) {
  return trx
    .selectFrom('shelter_offers')
    .select(['id', 'program_id', 'organization_id', 'status'])
    .where('request_id', '=', requestId)
    .where('id', '<>', except)
    .where('status', 'in', ['waiting', 'holding'])
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** The requests of a case, newest first. */
export async function caseRequests(db: Db, caseId: string) {
  return db
    .selectFrom('shelter_requests')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
}

/** Open requests with an offer of the organization, oldest first, with that organization's offers. */
export async function organizationRequests(db: Db, organizationId: string) {
  return db
    .selectFrom('shelter_requests as r')
    .selectAll('r')
    .where('r.status', '=', 'open')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('shelter_offers as f')
          .select('f.id')
          .whereRef('f.request_id', '=', 'r.id')
          .where('f.organization_id', '=', organizationId),
      ),
    )
    .orderBy('r.created_at')
    .limit(100)
    .execute();
}

export async function setRequest(
  trx: Transaction<DB>,
  id: string,
  values: Partial<{
    status: 'open' | 'placed' | 'withdrawn';
    confirmed_offer_id: string;
    referral_id: string;
    escalated_at: Date;
    closed_at: Date;
    close_reason: CloseReason;
  }>,
): Promise<void> {
  await trx.updateTable('shelter_requests').set(values).where('id', '=', id).execute();
}

/** The open offers (waiting or holding) of a request, locked, to release them when it closes. */
export async function lockWaitingOffers(trx: Transaction<DB>, requestId: string) {
  return trx
    .selectFrom('shelter_offers')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('status', 'in', ['waiting', 'holding'])
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Open requests whose case is closed: the job closes them (`case_closed`). */
export async function requestsOfClosedCases(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('shelter_requests as r')
    .innerJoin('cases as c', 'c.id', 'r.case_id')
    .select('r.id')
    .where('r.status', '=', 'open')
    .where('c.status', '<>', 'open')
    .orderBy('r.created_at')
    .limit(500)
    .execute();
  return rows.map((r) => r.id);
}

/** A program a stay may be recorded at: its organization's name, and whether the organization is active. */
export async function programForPlacement(db: Db, id: string) {
  return db
    .selectFrom('housing_programs as p')
    .innerJoin('member_organizations as o', 'o.id', 'p.organization_id')
    .select(['p.id', 'p.name', 'p.organization_id', 'o.name as organization_name', 'o.disabled_at'])
    .where('p.id', '=', id)
    .executeTakeFirst();
}

/** Every program of an active organization, by organization and name: the choice for a stay recorded by hand. */
export async function placeablePrograms(db: Db) {
  return db
    .selectFrom('housing_programs as p')
    .innerJoin('member_organizations as o', 'o.id', 'p.organization_id')
    .select(['p.id', 'p.name', 'o.name as organization_name'])
    .where('o.disabled_at', 'is', null)
    .orderBy('o.name')
    .orderBy('p.name')
    .execute();
}

export async function insertPlacement(trx: Transaction<DB>, row: Insertable<HousingPlacementsTable>) {
  await trx.insertInto('housing_placements').values(row).execute();
}

/** The placements of a case, newest first, with the program's and its organization's names. */
export async function casePlacements(db: Db, caseId: string) {
  return db
    .selectFrom('housing_placements as pl')
    .innerJoin('housing_programs as p', 'p.id', 'pl.program_id')
    .innerJoin('member_organizations as o', 'o.id', 'p.organization_id')
    .select([
      'pl.id',
      'pl.program_id',
      'pl.request_id',
      'pl.started_at',
      'pl.ended_at',
      'pl.end_reason',
      'pl.went_to',
      'p.name as program_name',
      'o.name as organization_name',
    ])
    .where('pl.case_id', '=', caseId)
    .orderBy('pl.started_at', 'desc')
    .execute();
}
export type PlacementRow = Awaited<ReturnType<typeof casePlacements>>[number];

export async function lockPlacement(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('housing_placements').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function endPlacement(
  trx: Transaction<DB>,
  id: string,
  values: { ended_at: Date; end_reason: string; went_to: string; ended_by: string },
): Promise<void> {
  await trx.updateTable('housing_placements').set(values).where('id', '=', id).execute();
}

/** Offers whose hold ran out before `now`. */
export async function expiredHolds(db: Db, now: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('shelter_offers')
    .select('id')
    .where('status', '=', 'holding')
    .where('held_until', '<=', now)
    .orderBy('held_until')
    .limit(500)
    .execute();
  return rows.map((r) => r.id);
}

/** Open requests not yet escalated, opened before `before`, that no program has answered. */
export async function unansweredRequests(db: Db, before: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('shelter_requests as r')
    .select('r.id')
    .where('r.status', '=', 'open')
    .where('r.escalated_at', 'is', null)
    .where('r.created_at', '<=', before)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('shelter_offers as f')
            .select('f.id')
            .whereRef('f.request_id', '=', 'r.id')
            .where('f.answered_at', 'is not', null),
        ),
      ),
    )
    .orderBy('r.created_at')
    .limit(500)
    .execute();
  return rows.map((r) => r.id);
}

/** Whether anyone answered the request. */
export async function answered(db: Db, requestId: string): Promise<boolean> {
  const row = await db
    .selectFrom('shelter_offers')
    .select('id')
    .where('request_id', '=', requestId)
    .where('answered_at', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}
