/**
 * Safe housing: the housing programs a provider organization describes (type, ages, genders, who else it
 * serves, where it serves, a confidential address, its beds), the availability its staff update (every
 * update kept), and the bed board navigators read.
 *
 * Who may do what is the permission model's: `housing.manage` (organization administrators and provider
 * staff, of their own organization) describes programs and updates their beds; `housing.read`
 * (navigators and state administrators) reads the bed board. A program of another organization is
 * answered like a missing one. The address is encrypted under the shared data key and shown only to the
 * program's own organization (its read is audited); the bed board and the API never carry it. Every
 * change writes an audit record in its transaction.
 */
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../app-types.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { authorize, can, type Actor } from '../../platform/access.ts';
import { recordActorAudit, recordReadAudit } from '../../platform/audit/audit.ts';
import { SHARED_SCOPE, decryptField, encryptField, type Keyring } from '../../platform/crypto/index.ts';
import { InputError, ServiceError } from '../../platform/errors.ts';
import type { RequestOrigin } from '../accounts/service.ts';
import { inEffect, navigatorForCounty, todayIn, type Geography } from '../help/index.ts';
import * as q from './queries.ts';
import {
  BOARD_LIMIT,
  DEFAULT_STALE_HOURS,
  HISTORY_LIMIT,
  bedCounts,
  boardOrder,
  fits,
  freshness,
  isStale,
  type BedTypeCount,
  type BoardFilter,
  type BoardProgram,
  type Gender,
  type Need,
  type ProgramType,
} from './rules.ts';
import { AvailabilityInput, ProgramInput, type BoardQueryInput, type Program } from './schema.ts';

export * from './rules.ts';

export interface HousingContext {
  db: Database;
  keyring: Keyring;
  geography: () => Geography;
  /** Availability older than this many hours is stale (`NWD_HOUSING_STALE_HOURS`, default 24). */
  staleHours: number;
  now?: () => Date;
}

export function housingContext(deps: AppDeps): HousingContext {
  return {
    db: deps.db,
    keyring: deps.keyring,
    geography: () => deps.geography.get(),
    staleHours: deps.config.housingStaleHours ?? DEFAULT_STALE_HOURS,
  };
}

const nowOf = (ctx: Pick<HousingContext, 'now'>) => (ctx.now ? ctx.now() : new Date());

const addressAt = (id: string) => ({
  scope: SHARED_SCOPE,
  table: 'housing_programs',
  recordId: id,
  field: 'address_encrypted',
});

/** A program as its organization and the bed board see it (never its address). */
export interface ProgramView extends BoardProgram {
  organizationId: string;
  stale: boolean;
  freshness: string;
  /**
   * Beds held now for shelter requests (taken off the beds available until confirmed or given back);
   * given on the organization's own pages only.
   */
  held?: number;
}

function toView(row: q.ProgramRow, now: Date, staleHours: number): ProgramView {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    organizationName: row.organization_name,
    type: row.program_type as ProgramType,
    minAge: row.min_age,
    maxAge: row.max_age,
    genders: row.genders as Gender[],
    serves: row.serves as Need[],
    culturallySpecificFor: row.culturally_specific_for,
    languages: row.languages,
    regionIds: row.region_ids,
    countyFips: row.county_fips,
    bedsTotal: row.beds_total,
    bedsAvailable: row.beds_available,
    bedTypes: row.bed_types,
    updatedAt: row.availability_updated_at,
    stale: isStale(row.availability_updated_at, now, staleHours),
    freshness: freshness(row.availability_updated_at, now),
  };
}

const MANAGE_REFUSAL = { message: 'Only the program’s own organization updates it.', hidden: true };

/** The program, if the actor's organization runs it; otherwise answered as not found. */
async function managedProgram(ctx: HousingContext, actor: Actor, id: string): Promise<q.ProgramRow> {
  authorize(actor, 'housing.manage', undefined, { message: 'You do not have permission to manage housing.' });
  const row = /^[0-9a-f-]{36}$/i.test(id) ? (await q.programRows(ctx.db, { id }))[0] : undefined;
  if (!row) throw new ServiceError('not_found', 'There is no such housing program.');
  authorize(actor, 'housing.manage', { organizationId: row.organization_id }, MANAGE_REFUSAL);
  return row;
}

/** The programs of the actor's organization, by name. */
export async function organizationPrograms(ctx: HousingContext, actor: Actor): Promise<ProgramView[]> {
  authorize(
    actor,
    'housing.manage',
    { organizationId: actor.organizationId },
    {
      message: 'You do not have permission to manage housing.',
    },
  );
  const now = nowOf(ctx);
  const rows = await q.programRows(ctx.db, { organizationId: actor.organizationId });
  const held = await q.heldBeds(
    ctx.db,
    rows.map((r) => r.id),
    now,
  );
  return rows.map((r) => ({ ...toView(r, now, ctx.staleHours), held: held.get(r.id) ?? 0 }));
}

export interface ProgramDetail {
  program: ProgramView;
  /** Decrypted for the program's own organization only. */
  address: string | null;
  history: (q.HistoryRow & { bed_types: BedTypeCount[] })[];
}

/**
 * One program of the actor's organization, with its address and its latest updates. Reading the
 * address is audited (`housing.program.read`).
 */
export async function programDetail(
  ctx: HousingContext,
  actor: Actor,
  id: string,
  origin: RequestOrigin,
): Promise<ProgramDetail> {
  const row = await managedProgram(ctx, actor, id);
  const sealed = await q.sealedAddress(ctx.db, row.id);
  const address = sealed ? await decryptField(ctx.keyring, addressAt(row.id), sealed) : null;
  if (sealed)
    await recordReadAudit(ctx.db, actor, origin, {
      action: 'housing.program.read',
      subjectType: 'housing_program',
      subjectId: row.id,
      details: { confidential_location: true },
    });
  const now = nowOf(ctx);
  const held = await q.heldBeds(ctx.db, [row.id], now);
  return {
    program: { ...toView(row, now, ctx.staleHours), held: held.get(row.id) ?? 0 },
    address,
    history: await q.availabilityHistory(ctx.db, row.id, HISTORY_LIMIT),
  };
}

/** Checks the regions and counties against the geography in effect today. */
function checkPlaces(ctx: HousingContext, p: Program): void {
  const geo = ctx.geography();
  const today = todayIn(geo.timezone, nowOf(ctx));
  for (const id of p.regionIds) {
    const region = geo.regions.get(id);
    if (!region || !inEffect(today, region.effectiveFrom, region.effectiveTo))
      throw new InputError('Choose regions from the list.', 'regionIds');
  }
  for (const fips of p.countyFips)
    if (!geo.counties.has(fips)) throw new InputError('Choose counties from the list.', 'countyFips');
}

function parseProgram(ctx: HousingContext, input: unknown): Program {
  const parsed = ProgramInput.safeParse(input);
  if (!parsed.success) throw InputError.from(parsed.error);
  checkPlaces(ctx, parsed.data);
  return parsed.data;
}

/** The program's columns; with types of bed, the beds in all are their sum. */
async function columns(
  ctx: HousingContext,
  id: string,
  p: Program,
  trx: Parameters<typeof q.insertProgram>[0],
  oldTypes: readonly BedTypeCount[] = [],
): Promise<q.ProgramColumns> {
  const bedTypes = p.bedTypes.map((t) => {
    const before = oldTypes.find((o) => o.name.toLowerCase() === t.name.toLowerCase());
    return { name: t.name, total: t.total, available: Math.min(before?.available ?? 0, t.total) };
  });
  return {
    name: p.name,
    program_type: p.type,
    min_age: p.minAge,
    max_age: p.maxAge,
    genders: p.genders,
    serves: p.serves,
    culturally_specific_for: p.serves.includes('culturally_specific') ? p.culturallySpecificFor : null,
    languages: [...new Set(p.languages)],
    region_ids: [...new Set(p.regionIds)],
    county_fips: [...new Set(p.countyFips)].sort(),
    address_encrypted: p.address ? await encryptField(ctx.keyring, addressAt(id), p.address, trx) : null,
    beds_total: bedTypes.length ? bedTypes.reduce((n, t) => n + t.total, 0) : p.bedsTotal,
    bed_types: bedTypes,
  };
}

/**
 * A new program of the actor's organization. Its beds available are unknown (and so stale) until the
 * first update.
 *
 * @example
 * const id = await createProgram(ctx, providerStaff, { name: 'Synthetic Haven', type: 'emergency_shelter', … }, origin);
 */
export async function createProgram(
  ctx: HousingContext,
  actor: Actor,
  input: unknown,
  origin: RequestOrigin,
): Promise<string> {
  authorize(
    actor,
    'housing.manage',
    { organizationId: actor.organizationId },
    {
      message: 'You do not have permission to describe housing programs.',
    },
  );
  const p = parseProgram(ctx, input);
  const id = randomUUID();
  const at = nowOf(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const cols = await columns(ctx, id, p, trx);
    await q.insertProgram(trx, {
      ...cols,
      id,
      organization_id: actor.organizationId,
      created_by: actor.userId,
      at,
    });
    await recordActorAudit(trx, actor, origin, {
      action: 'housing.program.create',
      subjectType: 'housing_program',
      subjectId: id,
      details: { program_type: p.type, beds_total: cols.beds_total },
    });
  });
  return id;
}

/** Changes a program's description; beds available now never exceed its new beds in all. */
export async function updateProgramDetails(
  ctx: HousingContext,
  actor: Actor,
  id: string,
  input: unknown,
  origin: RequestOrigin,
): Promise<void> {
  const row = await managedProgram(ctx, actor, id);
  const p = parseProgram(ctx, input);
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await q.lockProgram(trx, row.id);
    if (!locked) throw new ServiceError('not_found', 'There is no such housing program.');
    const cols = await columns(ctx, row.id, p, trx, locked.bed_types);
    const available = cols.bed_types.length
      ? locked.beds_available === null
        ? null
        : cols.bed_types.reduce((n, t) => n + t.available, 0)
      : locked.beds_available === null
        ? null
        : Math.min(locked.beds_available, cols.beds_total);
    await q.updateProgram(trx, row.id, { ...cols, beds_available: available, at: nowOf(ctx) });
    await recordActorAudit(trx, actor, origin, {
      action: 'housing.program.update',
      subjectType: 'housing_program',
      subjectId: row.id,
      details: { program_type: p.type, beds_total: cols.beds_total },
    });
  });
}

/** The beds of a program after an update. */
export interface BedsNow {
  id: string;
  available: number;
  total: number;
  bedTypes: BedTypeCount[];
  updatedAt: Date;
}

/**
 * Records the beds available now (and in all) of a program of the actor's organization, timestamped and
 * kept as history. A program with types of bed is updated type by type (by name); the beds in all may
 * be left out (they stay as they were).
 *
 * @example
 * await updateAvailability(ctx, providerStaff, programId, { available: 2 }, 'page', origin);
 */
export async function updateAvailability(
  ctx: HousingContext,
  actor: Actor,
  id: string,
  input: unknown,
  via: 'page' | 'api',
  origin: RequestOrigin,
): Promise<BedsNow> {
  const row = await managedProgram(ctx, actor, id);
  const parsed = AvailabilityInput.safeParse(input);
  if (!parsed.success) throw InputError.from(parsed.error);
  const a = parsed.data;
  const at = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await q.lockProgram(trx, row.id);
    if (!locked) throw new ServiceError('not_found', 'There is no such housing program.');
    const known = locked.bed_types;
    if (known.length && !a.bedTypes)
      throw new InputError(
        `Say how many beds are available of each type: ${known.map((t) => t.name).join(', ')}.`,
        'bedTypes',
      );
    if (!known.length && a.bedTypes)
      throw new InputError(
        'This program has no types of bed: give the beds available now and in all.',
        'bedTypes',
      );
    if (a.bedTypes) {
      const names = (list: readonly { name: string }[]) =>
        list
          .map((t) => t.name.toLowerCase())
          .sort()
          .join('|');
      if (names(a.bedTypes) !== names(known))
        throw new InputError(
          `Give each of the program’s types of bed: ${known.map((t) => t.name).join(', ')}.`,
          'bedTypes',
        );
    }
    const total = a.total ?? locked.beds_total;
    if (!a.bedTypes && (a.available ?? 0) > total)
      throw new InputError(`There cannot be more beds available than the ${total} beds in all.`, 'available');
    const counts = bedCounts({
      available: a.available ?? 0,
      total,
      ...(a.bedTypes
        ? {
            bedTypes: a.bedTypes.map((t) => ({
              ...t,
              name: known.find((k) => k.name.toLowerCase() === t.name.toLowerCase())!.name,
            })),
          }
        : {}),
    });
    await q.recordAvailability(trx, {
      programId: row.id,
      available: counts.available,
      total: counts.total,
      bedTypes: counts.bedTypes,
      via,
      by: actor.userId,
      at,
    });
    await recordActorAudit(trx, actor, origin, {
      action: 'housing.availability.update',
      subjectType: 'housing_program',
      subjectId: row.id,
      details: { available: counts.available, total: counts.total, via },
    });
    return {
      id: row.id,
      available: counts.available,
      total: counts.total,
      bedTypes: counts.bedTypes,
      updatedAt: at,
    };
  });
}

/** The bed board's filter from its query, with the county's region; an unknown county or region is refused. */
export function boardFilter(
  ctx: Pick<HousingContext, 'geography' | 'now'>,
  query: BoardQueryInput,
): BoardFilter {
  const geo = ctx.geography();
  let county: BoardFilter['county'];
  if (query.county !== undefined) {
    const answer = navigatorForCounty(geo, query.county, todayIn(geo.timezone, nowOf(ctx)));
    if (!answer) throw new InputError('Choose a Minnesota county from the list.', 'county');
    county = { fips: query.county, regionId: answer.region?.id ?? null };
  }
  if (query.region !== undefined && !geo.regions.has(query.region))
    throw new InputError('Choose a region from the list.', 'region');
  return {
    age: query.age,
    gender: query.gender,
    needs: query.needs,
    language: query.language || undefined,
    county,
    regionId: query.region,
    types: query.type,
    when: query.when,
  };
}

/**
 * The bed board: the programs of active organizations that fit the filter, beds available now first
 * (fresh before stale), with how fresh each count is. Never an address.
 *
 * @example
 * const board = await bedBoard(ctx, navigator, { age: 16, gender: 'female', when: 'tonight' });
 */
export async function bedBoard(
  ctx: HousingContext,
  actor: Actor,
  filter: BoardFilter,
): Promise<ProgramView[]> {
  authorize(actor, 'housing.read', undefined, {
    message: 'You do not have permission to see the bed board.',
  });
  const now = nowOf(ctx);
  return (await q.programRows(ctx.db, { active: true, board: filter }))
    .map((r) => toView(r, now, ctx.staleHours))
    .filter((p) => fits(p, filter))
    .sort(boardOrder(now, ctx.staleHours))
    .slice(0, BOARD_LIMIT);
}

/**
 * Every program of an active organization with its beds now, by name, for the authenticated partner
 * export (Open Referral `service_capacity`): the bed board's own permission (`housing.read`), since it
 * carries the same live counts. Never an address.
 */
export async function partnerPrograms(ctx: HousingContext, actor: Actor): Promise<ProgramView[]> {
  authorize(actor, 'housing.read', undefined, {
    message: 'You do not have permission to see housing programs and their beds.',
  });
  const now = nowOf(ctx);
  return (await q.programRows(ctx.db, { active: true })).map((r) => toView(r, now, ctx.staleHours));
}

/**
 * For the staff home page: how many of the actor's organization's programs have beds out of date, or
 * null when it has no program (or the role does not manage housing). No personal data is read.
 */
export async function countOutOfDate(ctx: HousingContext, actor: Actor): Promise<number | null> {
  if (!can(actor, 'housing.manage', { organizationId: actor.organizationId })) return null;
  const programs = await q.programRows(ctx.db, { organizationId: actor.organizationId });
  if (programs.length === 0) return null;
  const now = nowOf(ctx);
  return programs.filter((p) => isStale(p.availability_updated_at, now, ctx.staleHours)).length;
}

/** For the staff home page: how many programs on the bed board have a bed free now. */
export async function countWithBeds(ctx: HousingContext, actor: Actor): Promise<number> {
  return (await bedBoard(ctx, actor, { when: 'tonight' })).length;
}

/**
 * For shelter requests, inside their transaction: hold one of the program's beds (false when none is
 * free) or give a held bed back. The row lock makes two holds of the last bed impossible.
 */
export const holdBed = (trx: Transaction<DB>, programId: string): Promise<boolean> =>
  q.takeBed(trx, programId);
export const releaseBed = (trx: Transaction<DB>, programId: string): Promise<void> =>
  q.giveBedBack(trx, programId);
