/**
 * Broadcast shelter requests and placements. A navigator of the case's region (`cases.write` there, and
 * `housing.read`) sends one de-identified request — age band, gender, needs, county, how soon; never free
 * text — to every housing program that fits it on the bed board. Provider staff of each program
 * (`housing.manage` for their organization) answer: "we can take them", which holds one of the program's
 * beds for a set time (taken off its beds available under the program's row lock, so two requests can
 * never hold the same last bed), or "we cannot" with a reason. The navigator confirms one offer: the
 * others are released (their beds given back) and thanked, a placement starts on the case, and the
 * referral to the program's organization is made through the referrals feature (identifying details
 * only under an active consent). Every change is audited in its transaction.
 */
import { randomUUID } from 'node:crypto';
import type { z } from '@hono/zod-openapi';
import type { Transaction } from 'kysely';
import type { AppDeps } from '../../app-types.ts';
import type { DB } from '../../db/types.ts';
import { authorize, can, type Actor } from '../../platform/access.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import { InputError, ServiceError } from '../../platform/errors.ts';
import type { RequestOrigin } from '../accounts/service.ts';
import {
  auditCase,
  auditCaseRead,
  findCase,
  openPersonal,
  recordCaseEvent,
  type CaseRow,
} from '../cases/index.ts';
import {
  bedBoard,
  boardFilter,
  housingContext,
  type Gender,
  type HousingContext,
  type Need,
} from '../housing/index.ts';
import { activeStaffQuery, notifyStaff, type Recipient } from '../notifications/service.ts';
import { referralContext } from '../referrals/index.ts';
import type { ReferralContext } from '../referrals/service.ts';
import * as q from './queries.ts';
import {
  DEFAULT_ESCALATE_MINUTES,
  DEFAULT_HOLD_MINUTES,
  INBOX_LINK,
  TEXT,
  holds,
  requestLink,
  servesBand,
  type AgeBand,
  type CloseReason,
  type OfferStatus,
} from './rules.ts';
import { RequestInput } from './schema.ts';

export * from './rules.ts';
export type { OfferRow, PlacementRow, RequestRow } from './queries.ts';

export interface ShelterContext {
  housing: HousingContext;
  referrals: ReferralContext;
  site: AppDeps['site'];
  /** How long an offer holds its bed (`NWD_SHELTER_HOLD_MINUTES`, default 120). */
  holdMinutes: number;
  /** A request nobody answered escalates after this many minutes (`NWD_SHELTER_ESCALATE_MINUTES`). */
  escalateMinutes: number;
  now?: () => Date;
}

export function shelterContext(deps: AppDeps): ShelterContext {
  const config = deps.config;
  return {
    housing: housingContext(deps),
    referrals: referralContext(deps),
    site: deps.site,
    holdMinutes: config.shelterHoldMinutes ?? DEFAULT_HOLD_MINUTES,
    escalateMinutes: config.shelterEscalateMinutes ?? DEFAULT_ESCALATE_MINUTES,
  };
}

const nowOf = (ctx: { now?: () => Date }) => (ctx.now ? ctx.now() : new Date());
const dbOf = (ctx: ShelterContext) => ctx.housing.db;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_REQUEST = 'There is no such shelter request, or it is not yours to see.';

/** The input parsed by its schema, or an InputError naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw InputError.from(parsed.error);
  return parsed.data;
}

/** Active staff of the organizations who answer for housing (administrators and provider staff). */
export const providerPeople = (
  trx: Transaction<DB>,
  organizationIds: readonly string[],
): Promise<Recipient[]> =>
  organizationIds.length === 0
    ? Promise.resolve([])
    : activeStaffQuery(trx)
        .where('u.organization_id', 'in', organizationIds)
        .where('u.role', 'in', ['org_admin', 'provider_staff'])
        .orderBy('u.id')
        .execute();

const tell = (
  trx: Transaction<DB>,
  ctx: ShelterContext,
  people: readonly Recipient[],
  kind: string,
  text: string,
  link: string,
  at: Date,
) => notifyStaff(trx, { keyring: ctx.housing.keyring, site: ctx.site }, people, { kind, text, link, at });

// ---------------------------------------------------------------------------------------------------
// Sending a request

export interface SentRequest {
  id: string;
  programs: number;
}

/**
 * Sends a de-identified request for a bed for the case to every program that fits it now (the bed
 * board's rules; "tonight" only to programs with a bed free). Their organizations are told in the app
 * and by email (a fixed sentence and a link). A request no program fits escalates at once.
 *
 * @example
 * await sendRequest(ctx, navigator, caseId, { ageBand: '16-17', gender: 'female', county: '27053', urgency: 'tonight' }, origin);
 */
export async function sendRequest(
  ctx: ShelterContext,
  actor: Actor,
  caseId: string,
  raw: unknown,
  origin: RequestOrigin,
): Promise<SentRequest> {
  authorize(actor, 'housing.read', undefined, { message: 'Only navigators ask shelters for a bed.' });
  authorize(actor, 'cases.write', undefined, { message: 'Only navigators ask shelters for a bed.' });
  const input = parseInput(RequestInput, raw);
  const filter = boardFilter(ctx.housing, {
    county: input.county,
    gender: input.gender,
    needs: input.needs,
    when: input.urgency === 'tonight' ? 'tonight' : 'any',
  });
  const band = input.ageBand as AgeBand;
  const programs = (await bedBoard(ctx.housing, actor, filter)).filter((p) =>
    servesBand(band, p.minAge, p.maxAge),
  );
  const now = nowOf(ctx);
  return dbOf(ctx)
    .transaction()
    .execute(async (trx) => {
      const row = await findCase(trx, actor, caseId, 'cases.write', { forUpdate: true });
      if (row.status !== 'open')
        throw new ServiceError('conflict', 'This case is closed: reopen it before asking for a bed.');
      const id = randomUUID();
      const offers = programs.map((p) => ({
        id: p.id,
        organizationId: p.organizationId,
        offerId: randomUUID(),
      }));
      await q.insertRequest(
        trx,
        {
          id,
          case_id: row.id,
          region_id: row.region_id,
          county_fips: input.county,
          age_band: band,
          gender: input.gender,
          needs: input.needs,
          urgency: input.urgency,
          hold_minutes: input.holdMinutes ?? ctx.holdMinutes,
          created_by: actor.userId,
          created_at: now,
        },
        offers,
      );
      const orgs = [...new Set(offers.map((o) => o.organizationId))];
      const told = await tell(
        trx,
        ctx,
        await providerPeople(trx, orgs),
        'shelter_request',
        TEXT.request,
        INBOX_LINK,
        now,
      );
      if (offers.length === 0)
        await escalate(
          trx,
          { keyring: ctx.housing.keyring, site: ctx.site },
          { id, region_id: row.region_id, created_by: actor.userId },
          now,
        );
      const detail = { request: id, programs: offers.length, urgency: input.urgency, age_band: band };
      await recordCaseEvent(trx, {
        caseId: row.id,
        actorUserId: actor.userId,
        event: 'shelter_request.sent',
        detail,
        at: now,
      });
      await auditCase(trx, actor, origin, {
        action: 'shelter_request.create',
        caseId: row.id,
        subjectType: 'shelter_request',
        subjectId: id,
        details: { ...detail, told },
      });
      return { id, programs: offers.length };
    });
}

/**
 * Tells the request's region's other navigators and the state administrators that nobody has answered,
 * once (`escalated_at`). Inside the caller's transaction; answers how many people were told.
 */
export async function escalate(
  trx: Transaction<DB>,
  deps: { keyring: Keyring; site: ShelterContext['site'] },
  request: { id: string; region_id: string; created_by: string },
  now: Date,
): Promise<number> {
  const people = await activeStaffQuery(trx)
    .where((eb) =>
      eb.or([
        eb.and([eb('u.role', '=', 'navigator'), eb(eb.val(request.region_id), '=', eb.fn.any('u.regions'))]),
        eb('u.role', '=', 'state_admin'),
      ]),
    )
    .where('u.id', '<>', request.created_by)
    .orderBy('u.id')
    .execute();
  await q.setRequest(trx, request.id, { escalated_at: now });
  return notifyStaff(trx, deps, people, {
    kind: 'shelter_escalated',
    text: TEXT.escalated,
    link: requestLink(request.id),
    at: now,
  });
}

// ---------------------------------------------------------------------------------------------------
// Reading

export interface OfferView {
  id: string;
  programId: string;
  programName: string;
  programType: string;
  organizationId: string;
  organizationName: string;
  status: OfferStatus;
  declineReason: string | null;
  heldUntil: Date | null;
  answeredAt: Date | null;
  /** Whether the bed is held now. */
  holding: boolean;
}

export interface RequestView {
  id: string;
  caseId: string;
  regionId: string;
  countyFips: string;
  ageBand: AgeBand;
  gender: Gender;
  needs: Need[];
  urgency: 'tonight' | 'this_week';
  holdMinutes: number;
  status: 'open' | 'placed' | 'withdrawn';
  /** Why a withdrawn request closed without a bed. */
  closeReason: CloseReason | null;
  closedAt: Date | null;
  escalated: boolean;
  createdAt: Date;
  referralId: string | null;
  offers: OfferView[];
}

function toRequestView(row: q.RequestRow, offers: q.OfferRow[], now: Date): RequestView {
  return {
    id: row.id,
    caseId: row.case_id,
    regionId: row.region_id,
    countyFips: row.county_fips,
    ageBand: row.age_band as AgeBand,
    gender: row.gender as Gender,
    needs: row.needs as Need[],
    urgency: row.urgency,
    holdMinutes: row.hold_minutes,
    status: row.status,
    closeReason: row.close_reason,
    closedAt: row.closed_at,
    escalated: row.escalated_at !== null,
    createdAt: row.created_at,
    referralId: row.referral_id,
    offers: offers
      .filter((o) => o.request_id === row.id)
      .map((o) => ({
        id: o.id,
        programId: o.program_id,
        programName: o.program_name,
        programType: o.program_type,
        organizationId: o.organization_id,
        organizationName: o.organization_name,
        status: o.status,
        declineReason: o.decline_reason,
        heldUntil: o.held_until,
        answeredAt: o.answered_at,
        holding: holds(o, now),
      })),
  };
}

/**
 * A request as its navigators see it (those who may read its case's region, or a state administrator
 * for an escalated one): every program asked and its answer. Provider staff see only their own
 * organization's offers.
 */
export async function requestDetail(ctx: ShelterContext, actor: Actor, id: string): Promise<RequestView> {
  const row = UUID.test(id) ? await q.requestRow(dbOf(ctx), id) : undefined;
  if (!row) throw new ServiceError('not_found', NO_REQUEST);
  const offers = await q.offersOf(dbOf(ctx), [row.id]);
  const navigates = can(actor, 'cases.read', { regionId: row.region_id }) && can(actor, 'housing.read');
  if (navigates) return toRequestView(row, offers, nowOf(ctx));
  const own = offers.filter((o) => can(actor, 'housing.manage', { organizationId: o.organization_id }));
  if (own.length === 0 || row.status !== 'open') throw new ServiceError('not_found', NO_REQUEST);
  return toRequestView(row, own, nowOf(ctx));
}

/** The open requests to the actor's organization's programs, oldest first, with only its own offers. */
export async function providerInbox(ctx: ShelterContext, actor: Actor): Promise<RequestView[]> {
  authorize(
    actor,
    'housing.manage',
    { organizationId: actor.organizationId },
    {
      message: 'Provider staff answer shelter requests for their organization.',
    },
  );
  const orgId = actor.organizationId!;
  const rows = await q.organizationRequests(dbOf(ctx), orgId);
  const offers = (
    await q.offersOf(
      dbOf(ctx),
      rows.map((r) => r.id),
    )
  ).filter((o) => o.organization_id === orgId);
  const now = nowOf(ctx);
  return rows.map((r) => toRequestView(r, offers, now));
}

export interface PlacementView {
  id: string;
  programName: string;
  organizationName: string;
  requestId: string | null;
  startedAt: Date;
  endedAt: Date | null;
  endReason: string | null;
  wentTo: string | null;
}

export interface CaseHousing {
  caseId: string;
  chosenName: string;
  regionName: string;
  case: CaseRow;
  mayWrite: boolean;
  requests: RequestView[];
  placements: PlacementView[];
  /** The programs a stay may be recorded at (only for those who may write). */
  programs: { id: string; name: string; organizationName: string }[];
}

/** The case's shelter requests and placements (its Housing tab), for those who may read the case. */
export async function caseHousing(
  ctx: ShelterContext,
  actor: Actor,
  caseId: string,
  origin: RequestOrigin,
): Promise<CaseHousing> {
  const db = dbOf(ctx);
  const row = await findCase(db, actor, caseId, 'cases.read');
  const requests = await q.caseRequests(db, row.id);
  const offers = await q.offersOf(
    db,
    requests.map((r) => r.id),
  );
  const now = nowOf(ctx);
  const placements = await q.casePlacements(db, row.id);
  const personal = await openPersonal(ctx.housing.keyring, row);
  const geo = ctx.housing.geography();
  await auditCaseRead(db, actor, origin, {
    action: 'placement.list',
    caseId: row.id,
    details: { requests: requests.length, placements: placements.length },
  });
  const mayWrite = row.status === 'open' && can(actor, 'cases.write', { regionId: row.region_id });
  const programs = mayWrite ? await q.placeablePrograms(db) : [];
  return {
    caseId: row.id,
    chosenName: personal.chosenName,
    regionName: geo.regions.get(row.region_id)?.name ?? row.region_id,
    case: row,
    mayWrite,
    programs: programs.map((p) => ({ id: p.id, name: p.name, organizationName: p.organization_name })),
    requests: requests.map((r) => toRequestView(r, offers, now)),
    placements: placements.map((p) => ({
      id: p.id,
      programName: p.program_name,
      organizationName: p.organization_name,
      requestId: p.request_id,
      startedAt: p.started_at,
      endedAt: p.ended_at,
      endReason: p.end_reason,
      wentTo: p.went_to,
    })),
  };
}
