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
import type { SiteOrigin } from '../../platform/mail/index.ts';
import { activeStaff, notifyStaff } from '../notifications/service.ts';
import { todayIn, type Geography } from '../help/index.ts';
import type { Locale } from '../../platform/i18n/index.ts';
import type { ScreeningHandoff } from '../pathway/index.ts';
import { sealPayload, type IntakePayload } from './payload.ts';
import * as q from './queries.ts';
import {
  CROCKFORD,
  EXPLOITATION,
  IntakeInputError,
  REFERENCE_CODE_LENGTH,
  STATUS_FOR_REFERRER,
  ageBandOf,
  assertPayloadFitsKind,
  combineSignals,
  factsSummary,
  normaliseReferenceCode,
  routePlace,
  urgencyOf,
  type IntakePlace,
  type ReferenceStatus,
  type UrgencySignals,
} from './rules.ts';
import type { ContactMe, Referral } from './schema.ts';
import type { AgeBand, IntakeKind, Urgency } from './tables.ts';

export type { AgeBand, IntakeKind, Urgency } from './tables.ts';
export type { IntakePayload } from './payload.ts';
export {
  IntakeInputError,
  REFERRER_ROLES,
  REFERRER_ROLE_LABELS,
  ageBandOf,
  factsSummary,
  type IntakePlace,
  type ReferenceStatus,
  type UrgencySignals,
} from './rules.ts';

/** What creating an item needs: the database, the keyring and the geography (an `AppDeps` will do). */
export interface IntakeDeps {
  db: Database;
  keyring: Keyring;
  geography: { get(): Geography };
  /** For the link in the email to state administrators about a request in an unconfirmed region. */
  site?: SiteOrigin;
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

// ---------------------------------------------------------------------------------------------------
// Reference codes

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

/** The stored form of a code: SHA-256 (hex) of its canonical form. */
export function referenceHash(code: string): string {
  const canonical = normaliseReferenceCode(code);
  if (!canonical) throw new IntakeInputError('Not a reference code.');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * What the referrer may know about their item: received, contacted or closed; null for a code that is
 * malformed or matches nothing.
 *
 * @example
 * await statusForReference(db, 'K7QM-4R2D-9XHT') // 'received'
 */
export async function statusForReference(db: Database, code: string): Promise<ReferenceStatus | null> {
  if (!normaliseReferenceCode(code)) return null;
  const status = await q.statusByReferenceHash(db, referenceHash(code));
  return status ? STATUS_FOR_REFERRER[status] : null;
}

// ---------------------------------------------------------------------------------------------------
// Creation

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
    await q.insertItem(trx, {
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
    });
    await q.insertEvent(trx, {
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
    });
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
    if (input.kind !== 'consultation' && routed.regionId && !regionAndNavigatorConfirmed(geo, routed)) {
      // The confirmation page promises a check: the state hears now, not when escalation reaches it.
      const admins = await activeStaff(trx, 'state_admin');
      const regionName = geo.regions.get(routed.regionId)?.name ?? 'a region';
      const told = await notifyStaff(trx, { keyring: deps.keyring, site: deps.site ?? DEV_SITE }, admins, {
        kind: 'intake_unconfirmed_region',
        text: `A new request was routed to ${regionName}, whose counties or navigator are not confirmed. Check who should take it.`,
        link: `/staff/queue/${id}`,
        at: now,
      });
      await recordAudit(trx, {
        actorKind: 'system',
        action: 'intake.unconfirmed_region_alert',
        subjectType: 'intake_item',
        subjectId: id,
        details: { region: routed.regionId, recipients: told },
      });
    }
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

/** Used only when no site was given (tests, tools): links then point at the local development server. */
const DEV_SITE: SiteOrigin = { origin: 'http://localhost:3000', development: true };

/**
 * Whether the region an item was routed to is confirmed: the county's membership, the region, and its
 * navigator organization all verified in a source.
 */
function regionAndNavigatorConfirmed(
  geo: Geography,
  routed: { regionId: string | null; regionConfirmed: boolean },
) {
  const region = routed.regionId ? geo.regions.get(routed.regionId) : undefined;
  const navigator = region?.navigatorOrganizationId
    ? geo.organizations.get(region.navigatorOrganizationId)
    : undefined;
  return routed.regionConfirmed && region?.verified === true && navigator?.verified === true;
}

// ---------------------------------------------------------------------------------------------------
// The public forms' sends

/**
 * A young person's own request to be contacted, from the checked form: someone asking a Safe Harbor
 * navigator to reach them, so exploitation is possible and the age is not known.
 */
export function sendContactMe(
  deps: IntakeDeps,
  d: ContactMe,
  pageLanguage: Locale = 'en',
): Promise<CreatedIntake> {
  const payload: IntakePayload = {
    youth: {
      name: d.name,
      contactMethod: d.method,
      contactValue: d.contact,
      safeTimes: d.times,
      codeWord: d.codeWord,
      language: d.language,
      agreedToContact: null,
    },
    referrer: null,
    observed: d.message,
    screening: null,
    pageLanguage,
  };
  return createIntakeItem(deps, {
    kind: 'self_referral',
    payload,
    place: { text: d.place },
    signals: { exploitation: 'possible' },
  });
}

/** What the referrer said is true now (danger, missing, exploitation), as urgency signals. */
export const referralSignals = (d: Referral): UrgencySignals => ({
  immediateDanger: d.danger === 'yes',
  currentlyMissingFromCare: d.missing === 'yes',
  exploitation: EXPLOITATION[d.exploitation] ?? null,
});

/**
 * A professional's referral (the young person agreed to be contacted) or anonymous consultation, from
 * the checked form and the screening handed on: age and urgency from whichever says more.
 */
export function sendReferral(
  deps: IntakeDeps,
  d: Referral,
  screening: ScreeningHandoff | null,
  pageLanguage: Locale = 'en',
): Promise<CreatedIntake> {
  const referral = d.agreed === 'yes';
  const facts = screening ? factsSummary(screening.facts) : null;
  const formSignals = referralSignals(d);
  const payload: IntakePayload = {
    youth: {
      name: referral ? d.youthName : null,
      contactMethod: referral ? d.method : null,
      contactValue: referral ? d.contact : null,
      safeTimes: referral ? d.times : null,
      codeWord: referral ? d.codeWord : null,
      language: d.language,
      agreedToContact: referral,
    },
    referrer: {
      name: d.referrerName,
      role: d.referrerRole || null,
      organization: d.referrerOrganization,
      phone: d.referrerPhone,
      email: d.referrerEmail,
      callbackTimes: d.callbackTimes,
    },
    observed: d.observed,
    screening,
    pageLanguage,
  };
  return createIntakeItem(deps, {
    kind: referral ? 'professional_referral' : 'consultation',
    payload,
    place: { text: d.place },
    age: d.age ?? facts?.age ?? null,
    ageBand: facts?.ageBand ?? null,
    signals: facts ? combineSignals(formSignals, facts.signals) : formSignals,
  });
}
