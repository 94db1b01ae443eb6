/**
 * The intake rules, pure: which region an item goes to, its age band and urgency, what a screening's
 * facts say, the form of a reference code and what the referrer may know, and which payload fits which
 * kind of item. No I/O.
 */
import {
  findCounty,
  findPlace,
  navigatorForCounty,
  parseCountyInput,
  type Geography,
} from '../help/index.ts';
import {
  REPORTER_ROLES,
  type Indication,
  type ReporterRole,
  type ScreeningHandoff,
} from '../pathway/index.ts';
import type { IntakePayload } from './payload.ts';
import type { AgeBand, IntakeKind, IntakeStatus, Urgency } from './tables.ts';

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

export interface RoutedPlace {
  regionId: string | null;
  countyFips: string | null;
  /** False when the region comes from a county membership or a region not confirmed in a source. */
  regionConfirmed: boolean;
  routedBy: 'county' | 'zip' | 'city' | 'none';
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

/** The place as typed, checked against the geography (a ZIP code, city or county; empty is fine). */
export function placeProblem(geo: Geography, typed: string | null): string | null {
  if (!typed) return null;
  const match = findPlace(geo, typed);
  if (match.kind === 'none')
    return match.suggestions.length
      ? `We could not find "${typed}". Did you mean ${match.suggestions.join(', ')}? You can also leave it empty.`
      : `We could not find "${typed}" in ${geo.name}. Check it, type a ZIP code or county, or leave it empty.`;
  if (match.kind === 'invalid') return 'Type a five-digit ZIP code, a city or a county, or leave it empty.';
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Reference codes

/** Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand survives. */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 12 characters of 5 bits: 60 random bits. */
export const REFERENCE_CODE_LENGTH = 12;

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

/** What the referrer's status page says for each status. */
export const STATUS_FOR_REFERRER: Record<IntakeStatus, ReferenceStatus> = {
  new: 'received',
  claimed: 'received',
  // A navigator tried and has not reached them yet: still being worked on.
  could_not_reach: 'received',
  contacted: 'contacted',
  closed: 'closed',
};

// ---------------------------------------------------------------------------------------------------
// Payloads and forms

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

/** The values the form starts with, from a screening's facts. */
export function prefill(geo: Geography, screening: ScreeningHandoff | null): Record<string, string> {
  if (!screening) return {};
  const facts = factsSummary(screening.facts);
  const county = facts.county ? (geo.counties.get(facts.county)?.name ?? facts.county) : '';
  const role = screening.facts.reporterRole;
  return {
    age: facts.age !== null ? String(facts.age) : '',
    place: county,
    danger: facts.signals.immediateDanger ? 'yes' : '',
    missing: facts.signals.currentlyMissingFromCare ? 'yes' : '',
    exploitation:
      facts.signals.exploitation === 'indicated'
        ? 'yes'
        : facts.signals.exploitation === 'possible'
          ? 'unsure'
          : facts.signals.exploitation === 'not_indicated'
            ? 'no'
            : '',
    referrerRole:
      typeof role === 'string' && (REFERRER_ROLES as readonly string[]).includes(role) ? role : '',
  };
}

/** The form's answer about exploitation as a signal. */
export const EXPLOITATION: Record<string, UrgencySignals['exploitation']> = {
  yes: 'indicated',
  unsure: 'possible',
  no: 'not_indicated',
  '': null,
};
