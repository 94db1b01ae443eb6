/**
 * Creating intake items (a professional's warm referral, an anonymous consultation, a young person's
 * own request to be contacted) and the referrer's status lookup.
 *
 * One transaction writes the item row with its payload sealed under the item's own data key, the
 * `received` event and the audit record (last). Columns in clear hold only what routing and the queue
 * need: region, county, age and age band, urgency. Nothing here logs, and neither the event nor the
 * audit record holds personal data.
 *
 * Routing: a county goes to its region on the day (the help finder's `navigatorForCounty`); a ZIP code
 * or city in one county, or in several counties of one region, goes to that region; an unknown place, or
 * one spread over several regions, leaves `region_id` null so state administrators see it and route it.
 * A region found through an unconfirmed membership is still used (its navigators are the likely ones),
 * and the `received` event says it was not confirmed.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import {
  findCounty,
  findPlace,
  navigatorForCounty,
  parseCountyInput,
  todayIn,
  type Geography,
} from '../help/rules.ts';
import { REPORTER_ROLES, type Indication, type ReporterRole } from '../pathway/types.ts';
import { sealPayload, type IntakePayload } from './payload.ts';
import type { AgeBand, IntakeKind, IntakeStatus, Urgency } from './tables.ts';

export type { AgeBand, IntakeKind, Urgency } from './tables.ts';
export type { IntakePayload } from './payload.ts';

/** What creating an item needs: the database, the keyring and the geography (an `AppDeps` will do). */
export interface IntakeDeps {
  db: Database;
  keyring: Keyring;
  geography: { get(): Geography };
}

/** Where the item is about: a county (FIPS or name), or a ZIP code or city typed by a person. */
export interface IntakePlace {
  /** A county FIPS code (`27053`) or name (`Hennepin`). */
  county?: string | null;
  /** A ZIP code, city or county name as typed; used only when `county` is not given. */
  text?: string | null;
}

/** What makes an item urgent. Missing values count as "no" (or, for exploitation, as not known). */
export interface UrgencySignals {
  immediateDanger?: boolean;
  currentlyMissingFromCare?: boolean;
  /** Commercial sexual exploitation or trafficking: indicated, possible, not indicated (null: not known). */
  exploitation?: Indication | null;
}

export interface CreateIntakeInput {
  kind: IntakeKind;
  /** The personal part, sealed before it is stored. A consultation's holds nothing identifying the youth. */
  payload: IntakePayload;
  place?: IntakePlace;
  /** The young person's age in years, when known. */
  age?: number | null;
  /** The age band when only the band is known (a screening that asked "under 18?"). */
  ageBand?: AgeBand | null;
  signals?: UrgencySignals;
  /**
   * Whether to give the sender a reference code for the status page (default: true for referrals and
   * consultations, false for self-referrals, where a code would be one more thing to hide).
   */
  withReference?: boolean;
  /** A staff member entering the item on someone's behalf; anonymous (a public form) when absent. */
  actorUserId?: string | null;
  now?: Date;
}

export interface RoutedPlace {
  regionId: string | null;
  countyFips: string | null;
  /** False when the region comes from a county membership or a region not confirmed in a source. */
  regionConfirmed: boolean;
  routedBy: 'county' | 'zip' | 'city' | 'none';
}

export interface CreatedIntake {
  id: string;
  kind: IntakeKind;
  /** Shown once to the sender; only its SHA-256 hash is stored. Null when none was asked for. */
  referenceCode: string | null;
  regionId: string | null;
  regionName: string | null;
  regionConfirmed: boolean;
  countyFips: string | null;
  countyName: string | null;
  ageBand: AgeBand;
  urgency: Urgency;
}

/** A refusal of the input itself (the pages validate first, so this is a bug or a crafted call). */
export class IntakeInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntakeInputError';
  }
}

/** What the referrer's status page may say: nothing more. */
export type ReferenceStatus = 'received' | 'contacted' | 'closed';

/** Roles a referrer can choose, with the words the pages show. */
export const REFERRER_ROLES = REPORTER_ROLES.filter((r) => r !== 'youth_self');
export const REFERRER_ROLE_LABELS: Record<ReporterRole, string> = {
  law_enforcement: 'Law enforcement',
  child_protection: 'Child protection',
  education: 'School or education',
  health_care: 'Health care',
  mental_health: 'Mental health',
  social_services: 'Social services',
  child_care: 'Child care',
  corrections_probation: 'Corrections or probation',
  clergy: 'Clergy or faith community',
  shelter_or_outreach: 'Shelter, drop-in or street outreach',
  other_professional: 'Another profession',
  family_or_friend: 'Family member or friend',
  youth_self: 'The young person',
  community_member: 'Community member',
};

// ---------------------------------------------------------------------------------------------------
// Age band and urgency

/**
 * @example
 * ageBandOf(15) // 'under18'
 * ageBandOf(null) // 'unknown'
 */
export function ageBandOf(age: number | null | undefined): AgeBand {
  if (age === null || age === undefined || !Number.isFinite(age)) return 'unknown';
  if (age < 18) return 'under18';
  if (age <= 24) return '18to24';
  return '25plus';
}

/**
 * 'immediate' for immediate danger or a young person currently missing from care; 'soon' for a minor
 * (or a young person of unknown age) when exploitation is indicated or possible; 'routine' otherwise.
 *
 * @example
 * urgencyOf('under18', { exploitation: 'possible' }) // 'soon'
 * urgencyOf('18to24', { exploitation: 'indicated' }) // 'routine'
 */
export function urgencyOf(ageBand: AgeBand, signals: UrgencySignals): Urgency {
  if (signals.immediateDanger || signals.currentlyMissingFromCare) return 'immediate';
  const exploitation = signals.exploitation;
  if (
    (ageBand === 'under18' || ageBand === 'unknown') &&
    (exploitation === 'indicated' || exploitation === 'possible')
  )
    return 'soon';
  return 'routine';
}

const INDICATION_RANK: Record<Indication, number> = { not_indicated: 0, possible: 1, indicated: 2 };

/** The more urgent of two sets of signals (a form's answers and a screening's facts). */
export function combineSignals(a: UrgencySignals, b: UrgencySignals): UrgencySignals {
  const rank = (s: UrgencySignals) => (s.exploitation ? INDICATION_RANK[s.exploitation] : -1);
  return {
    immediateDanger: Boolean(a.immediateDanger || b.immediateDanger),
    currentlyMissingFromCare: Boolean(a.currentlyMissingFromCare || b.currentlyMissingFromCare),
    exploitation: rank(a) >= rank(b) ? (a.exploitation ?? null) : (b.exploitation ?? null),
  };
}

/** What a screening's facts (`PathwayFacts`, carried as loose JSON) say about age, place and urgency. */
export interface FactsSummary {
  age: number | null;
  ageBand: AgeBand | null;
  county: string | null;
  signals: UrgencySignals;
}

/**
 * Reads the facts a screening handed on, defensively (they travelled through a form). Exploitation is
 * indicated when something of value was exchanged, a third party profits or labour is exploited;
 * possible when any of the first two is not known; not indicated when both are "no".
 *
 * @example
 * factsSummary({ age: 15, exchangeForValue: 'unknown', thirdPartyProfit: 'no' }).signals.exploitation // 'possible'
 */
export function factsSummary(facts: Record<string, unknown>): FactsSummary {
  const tri = (v: unknown) => (v === 'yes' || v === 'no' || v === 'unknown' ? v : null);
  const age =
    typeof facts.age === 'number' && Number.isInteger(facts.age) && facts.age >= 0 && facts.age <= 120
      ? facts.age
      : null;
  const band = facts.ageBand;
  const ageBand: AgeBand | null =
    age !== null
      ? ageBandOf(age)
      : band === 'under18' || band === '18to24' || band === '25plus'
        ? band
        : null;
  const county =
    typeof facts.county === 'string' && facts.county.trim() !== '' && facts.county.length <= 60
      ? facts.county.trim()
      : null;
  const exchange = tri(facts.exchangeForValue);
  const profit = tri(facts.thirdPartyProfit);
  const labor = tri(facts.laborExploitation);
  let exploitation: Indication | null = null;
  if (exchange === 'yes' || profit === 'yes' || labor === 'yes') exploitation = 'indicated';
  else if (exchange === 'unknown' || profit === 'unknown') exploitation = 'possible';
  else if (exchange === 'no' && profit === 'no') exploitation = 'not_indicated';
  return {
    age,
    ageBand,
    county,
    signals: {
      immediateDanger: facts.immediateDanger === true,
      currentlyMissingFromCare: facts.currentlyMissingFromCare === true,
      exploitation,
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Routing

/**
 * The region (and county) an item goes to, for a place on a date.
 *
 * @example
 * routePlace(geo, { county: '27053' }, '2026-11-21') // { regionId: 'west-metro', countyFips: '27053', … }
 * routePlace(geo, { text: '55401' }, '2026-11-21')   // by ZIP code
 * routePlace(geo, {}, '2026-11-21')                  // { regionId: null, countyFips: null, routedBy: 'none' }
 */
export function routePlace(geo: Geography, place: IntakePlace, asOf: string): RoutedPlace {
  const none: RoutedPlace = { regionId: null, countyFips: null, regionConfirmed: false, routedBy: 'none' };
  const oneCounty = (fips: string, routedBy: RoutedPlace['routedBy']): RoutedPlace => {
    const answer = navigatorForCounty(geo, fips, asOf);
    if (!answer) return none;
    return {
      regionId: answer.region?.id ?? null,
      countyFips: answer.county.fips,
      regionConfirmed: answer.region !== null && answer.region.verified && answer.region.membership.verified,
      routedBy,
    };
  };
  /** Several possible counties: their region when they all share one, else nobody's. */
  const manyCounties = (fips: string[], routedBy: RoutedPlace['routedBy']): RoutedPlace => {
    const first = fips[0];
    if (first === undefined) return none;
    if (fips.length === 1) return oneCounty(first, routedBy);
    const answers = fips.map((f) => navigatorForCounty(geo, f, asOf));
    const regions = new Set(answers.map((a) => a?.region?.id ?? null));
    const [only] = [...regions];
    if (regions.size !== 1 || !only) return { ...none, routedBy };
    return {
      regionId: only,
      countyFips: null,
      regionConfirmed: answers.every((a) => a?.region?.verified === true && a.region.membership.verified),
      routedBy,
    };
  };

  const county = place.county?.trim();
  if (county) {
    const input = parseCountyInput(county);
    const found = input ? findCounty(geo, input) : null;
    return found ? oneCounty(found.fips, 'county') : none;
  }
  const raw = place.text?.trim();
  if (!raw) return none;
  const match = findPlace(geo, raw);
  switch (match.kind) {
    case 'county':
      return oneCounty(match.county.fips, 'county');
    case 'zip':
      return manyCounties(
        match.zip.counties.map((c) => c.fips),
        'zip',
      );
    case 'city':
      return match.primary ? oneCounty(match.primary, 'city') : manyCounties(match.fips, 'city');
    default:
      return none;
  }
}

// ---------------------------------------------------------------------------------------------------
// Reference codes

/** Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand survives. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 12 characters of 5 bits: 60 random bits. */
export const REFERENCE_CODE_LENGTH = 12;

/**
 * A new reference code, `XXXX-XXXX-XXXX` (60 random bits).
 *
 * @example
 * newReferenceCode() // 'K7QM-4R2D-9XHT'
 */
export function newReferenceCode(): string {
  // 8 random bytes = 64 bits; the first 60 make the 12 characters.
  const bytes = randomBytes(8);
  let bits = bytes.readBigUInt64BE(0) >> 4n;
  let out = '';
  for (let i = 0; i < REFERENCE_CODE_LENGTH; i++) {
    out = CROCKFORD[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`;
}

/**
 * A code as typed, in its canonical form (`XXXXXXXXXXXX`), or null when it cannot be one: spaces and
 * hyphens are ignored, case too, and the letters Crockford reads as digits (I, L → 1; O → 0) accepted.
 *
 * @example
 * normaliseReferenceCode('k7qm 4r2d-9xht') // 'K7QM4R2D9XHT'
 */
export function normaliseReferenceCode(typed: string): string | null {
  if (typed.length > 64) return null;
  const compact = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (compact.length !== REFERENCE_CODE_LENGTH) return null;
  for (const ch of compact) if (!CROCKFORD.includes(ch)) return null;
  return compact;
}

/** The stored form of a code: SHA-256 (hex) of its canonical form. */
export function referenceHash(code: string): string {
  const canonical = normaliseReferenceCode(code);
  if (!canonical) throw new IntakeInputError('Not a reference code.');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

const STATUS_FOR_REFERRER: Record<IntakeStatus, ReferenceStatus> = {
  new: 'received',
  claimed: 'received',
  // A navigator tried and has not reached them yet: still being worked on.
  could_not_reach: 'received',
  contacted: 'contacted',
  closed: 'closed',
};

/**
 * What the referrer may know about their item: received, contacted or closed; null for a code that is
 * malformed or matches nothing.
 *
 * @example
 * await statusForReference(db, 'K7QM-4R2D-9XHT') // 'received'
 */
export async function statusForReference(db: Database, code: string): Promise<ReferenceStatus | null> {
  if (!normaliseReferenceCode(code)) return null;
  const row = await db
    .selectFrom('intake_items')
    .select('status')
    .where('reference_hash', '=', referenceHash(code))
    .executeTakeFirst();
  return row ? STATUS_FOR_REFERRER[row.status] : null;
}

// ---------------------------------------------------------------------------------------------------
// Creation

/** Refuses a payload that does not fit its kind (for instance a consultation naming the young person). */
export function assertPayloadFitsKind(kind: IntakeKind, payload: IntakePayload): void {
  const y = payload.youth;
  if (kind === 'consultation') {
    const identifying = {
      name: y.name,
      contactMethod: y.contactMethod,
      contactValue: y.contactValue,
      safeTimes: y.safeTimes,
      codeWord: y.codeWord,
    };
    const held = Object.entries(identifying)
      .filter(([, v]) => v !== null)
      .map(([k]) => k);
    if (held.length)
      throw new IntakeInputError(
        `A consultation holds nothing identifying the young person (got ${held.join(', ')}).`,
      );
    if (y.agreedToContact === true)
      throw new IntakeInputError(
        'A young person who agreed to be contacted is referred, not consulted about.',
      );
  }
  if (kind === 'professional_referral' && y.agreedToContact !== true)
    throw new IntakeInputError('A referral needs the young person’s agreement to be contacted.');
  if (kind === 'self_referral') {
    if (payload.referrer !== null) throw new IntakeInputError('A self-referral has no referrer.');
    if (!y.contactMethod || !y.contactValue)
      throw new IntakeInputError('A self-referral needs a way to reach the young person.');
  } else if (payload.referrer === null || !payload.referrer.name) {
    throw new IntakeInputError('A referral or consultation needs the referrer’s name.');
  } else if (!payload.referrer.phone && !payload.referrer.email) {
    throw new IntakeInputError('A referral or consultation needs a way to call the referrer back.');
  }
}

/**
 * Creates one item in one transaction: the row (payload sealed under `intake:<id>`), its `received`
 * event and the audit record. Returns what the confirmation page shows, including the reference code
 * (the only time it exists in clear).
 *
 * @example
 * const created = await createIntakeItem(deps, {
 *   kind: 'self_referral',
 *   payload: { youth: { name: null, contactMethod: 'text_message', contactValue: '555-0100', safeTimes: null,
 *     codeWord: 'blue', language: null, agreedToContact: null }, referrer: null, observed: null, screening: null },
 *   place: { text: '55401' },
 * });
 */
export async function createIntakeItem(deps: IntakeDeps, input: CreateIntakeInput): Promise<CreatedIntake> {
  assertPayloadFitsKind(input.kind, input.payload);
  const age = input.age ?? null;
  if (age !== null && (!Number.isInteger(age) || age < 0 || age > 120))
    throw new IntakeInputError('An age is a whole number from 0 to 120.');
  const geo = deps.geography.get();
  const now = input.now ?? new Date();
  const routed = routePlace(geo, input.place ?? {}, todayIn(geo.timezone, now));
  const ageBand = age !== null ? ageBandOf(age) : (input.ageBand ?? 'unknown');
  const urgency = urgencyOf(ageBand, input.signals ?? {});
  const withReference = input.withReference ?? input.kind !== 'self_referral';
  const referenceCode = withReference ? newReferenceCode() : null;
  const id = randomUUID();

  await deps.db.transaction().execute(async (trx) => {
    const sealed = await sealPayload(deps.keyring, id, input.payload, trx);
    await trx
      .insertInto('intake_items')
      .values({
        id,
        kind: input.kind,
        jurisdiction: geo.jurisdiction,
        region_id: routed.regionId,
        county_fips: routed.countyFips,
        age,
        age_band: ageBand,
        urgency,
        reference_hash: referenceCode ? referenceHash(referenceCode) : null,
        payload_encrypted: sealed,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('intake_events')
      .values({
        item_id: id,
        at: now,
        actor_user_id: input.actorUserId ?? null,
        event: 'received',
        detail: JSON.stringify({
          kind: input.kind,
          urgency,
          routedBy: routed.routedBy,
          regionConfirmed: routed.regionConfirmed,
        }),
      })
      .execute();
    await recordAudit(trx, {
      ...(input.actorUserId
        ? { actorKind: 'user' as const, actorUserId: input.actorUserId }
        : { actorKind: 'anonymous' as const }),
      action: 'intake.received',
      subjectType: 'intake_item',
      subjectId: id,
      // No address or browser of the sender: the public site keeps nothing about who visits.
      details: { kind: input.kind, urgency, regionId: routed.regionId },
    });
  });

  return {
    id,
    kind: input.kind,
    referenceCode,
    regionId: routed.regionId,
    regionName: routed.regionId ? (geo.regions.get(routed.regionId)?.name ?? null) : null,
    regionConfirmed: routed.regionConfirmed,
    countyFips: routed.countyFips,
    countyName: routed.countyFips ? (geo.counties.get(routed.countyFips)?.name ?? null) : null,
    ageBand,
    urgency,
  };
}
