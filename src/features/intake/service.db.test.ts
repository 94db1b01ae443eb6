/**
 * Creating intake items: one transaction (row, sealed payload, `received` event, audit record),
 * routing by county, ZIP code and city, age band and urgency, reference codes and the referrer's status.
 * Synthetic data only.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { unnamedYouth } from '../../../test/staff.ts';
import { verifyAuditChain } from '../../platform/audit/audit.ts';
import { openPayload, type IntakePayload } from './payload.ts';
import {
  IntakeInputError,
  ageBandOf,
  combineSignals,
  factsSummary,
  normaliseReferenceCode,
  routePlace,
  urgencyOf,
} from './rules.ts';
import { createIntakeItem, newReferenceCode, referenceHash, statusForReference } from './service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const NAME = 'Zyxwv Synthetic';
const CODE_WORD = 'quokkalantern';
const CONTACT = '612-555-0142';

function referral(overrides: Partial<IntakePayload['youth']> = {}): IntakePayload {
  return {
    youth: {
      name: NAME,
      contactMethod: 'text_message',
      contactValue: CONTACT,
      safeTimes: 'weekdays after four',
      codeWord: CODE_WORD,
      language: 'Somali',
      agreedToContact: true,
      ...overrides,
    },
    referrer: {
      name: 'Synthetic Counsellor Qwvx',
      role: 'education',
      organization: 'Synthetic School',
      phone: '651-555-0100',
      email: 'counsellor.qwvx@example.org',
      callbackTimes: 'mornings',
    },
    observed: 'Synthetic observation: an older boyfriend pays for things.',
    screening: null,
  };
}

function consultation(): IntakePayload {
  const p = referral();
  return {
    ...p,
    youth: unnamedYouth(false),
  };
}

const asOf = '2026-11-21';

describe('createIntakeItem', () => {
  it('writes the item with its payload encrypted, a received event and an audit record', async () => {
    const created = await createIntakeItem(t.deps, {
      kind: 'professional_referral',
      payload: referral(),
      place: { county: '27053' },
      age: 16,
      signals: { exploitation: 'possible' },
    });
    expect(created).toMatchObject({
      kind: 'professional_referral',
      regionId: 'west-metro',
      regionName: 'West Metro',
      countyFips: '27053',
      countyName: 'Hennepin',
      ageBand: 'under18',
      urgency: 'soon',
    });
    expect(created.referenceCode).toMatch(
      /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/,
    );

    const row = await t.deps.db
      .selectFrom('intake_items')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'new',
      jurisdiction: 'mn',
      region_id: 'west-metro',
      age: 16,
      age_band: 'under18',
    });
    // The raw row, as a dump would show it, holds none of the personal words.
    const raw = JSON.stringify({ ...row, payload_encrypted: row.payload_encrypted.toString('latin1') });
    for (const secret of [NAME, CODE_WORD, CONTACT, 'Somali', 'boyfriend', 'counsellor.qwvx', 'Qwvx'])
      expect(raw).not.toContain(secret);
    expect(row.reference_hash).toBe(
      createHash('sha256').update(created.referenceCode!.replace(/-/g, '')).digest('hex'),
    );
    // …and the keyring opens it.
    expect(await openPayload(t.deps.keyring, created.id, row.payload_encrypted)).toEqual(referral());

    const events = await t.deps.db
      .selectFrom('intake_events')
      .selectAll()
      .where('item_id', '=', created.id)
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event: 'received',
      actor_user_id: null,
      detail: { kind: 'professional_referral', urgency: 'soon', routedBy: 'county', regionConfirmed: true },
    });

    const audit = await t.deps.db
      .selectFrom('audit_events')
      .selectAll()
      .where('subject_id', '=', created.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'intake.received',
      actor_kind: 'anonymous',
      subject_type: 'intake_item',
      ip: null,
      user_agent: null,
    });
    const auditText = JSON.stringify(audit);
    for (const secret of [NAME, CODE_WORD, CONTACT, 'Somali', created.referenceCode!])
      expect(auditText).not.toContain(secret);
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });

  it('stores nothing identifying the young person for a consultation, and refuses a consultation that names them', async () => {
    const created = await createIntakeItem(t.deps, {
      kind: 'consultation',
      payload: consultation(),
      place: { text: '55401' },
    });
    const row = await t.deps.db
      .selectFrom('intake_items')
      .select('payload_encrypted')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    const stored = await openPayload(t.deps.keyring, created.id, row.payload_encrypted);
    expect(stored.youth).toEqual(unnamedYouth(false));
    expect(created.referenceCode).not.toBeNull();

    const before = await countItems();
    for (const youth of [
      { name: NAME },
      { contactValue: CONTACT },
      { codeWord: CODE_WORD },
      { contactMethod: 'phone_call' as const },
    ]) {
      const p = consultation();
      await expect(
        createIntakeItem(t.deps, {
          kind: 'consultation',
          payload: { ...p, youth: { ...p.youth, ...youth } },
        }),
      ).rejects.toThrow(IntakeInputError);
    }
    expect(await countItems()).toBe(before);
  });

  it('refuses a referral without agreement, or without a way to call the referrer back', async () => {
    const before = await countItems();
    await expect(
      createIntakeItem(t.deps, {
        kind: 'professional_referral',
        payload: referral({ agreedToContact: false }),
      }),
    ).rejects.toThrow(/agreement/);
    const p = referral();
    await expect(
      createIntakeItem(t.deps, {
        kind: 'professional_referral',
        payload: { ...p, referrer: { ...p.referrer!, phone: null, email: null } },
      }),
    ).rejects.toThrow(/call the referrer back/);
    await expect(
      createIntakeItem(t.deps, { kind: 'professional_referral', payload: referral(), age: 300 }),
    ).rejects.toThrow(/age/);
    expect(await countItems()).toBe(before);
  });

  it('writes nothing when the payload cannot be sealed (nothing partial)', async () => {
    const before = await countAll();
    const p = referral();
    await expect(
      createIntakeItem(t.deps, {
        kind: 'professional_referral',
        payload: { ...p, observed: 'x'.repeat(5000) },
      }),
    ).rejects.toThrow();
    expect(await countAll()).toEqual(before);
  });

  it('gives a self-referral no reference code, and routes it by ZIP code', async () => {
    const created = await createIntakeItem(t.deps, {
      kind: 'self_referral',
      payload: { ...referral({ agreedToContact: null }), referrer: null },
      place: { text: '55401' },
      signals: { exploitation: 'possible' },
    });
    expect(created).toMatchObject({ referenceCode: null, regionId: 'west-metro', countyFips: '27053' });
    expect(created.urgency).toBe('soon'); // age unknown, exploitation possible
    const row = await t.deps.db
      .selectFrom('intake_items')
      .select(['reference_hash', 'age_band'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ reference_hash: null, age_band: 'unknown' });
  });

  it('routes an unknown place to nobody’s region, so state administrators see it', async () => {
    const created = await createIntakeItem(t.deps, {
      kind: 'consultation',
      payload: consultation(),
      place: { text: 'Nowhere Synthetic' },
    });
    expect(created).toMatchObject({ regionId: null, countyFips: null, regionName: null });
    const row = await t.deps.db
      .selectFrom('intake_items')
      .select(['region_id', 'county_fips'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ region_id: null, county_fips: null });
  });
});

describe('routePlace', () => {
  const geo = () => t.deps.geography.get();

  it('routes a county by FIPS code or name to its region on the day', () => {
    expect(routePlace(geo(), { county: '27053' }, asOf)).toEqual({
      regionId: 'west-metro',
      countyFips: '27053',
      regionConfirmed: true,
      routedBy: 'county',
    });
    expect(routePlace(geo(), { county: 'Hennepin' }, asOf).regionId).toBe('west-metro');
    expect(routePlace(geo(), { text: 'hennepin county' }, asOf).countyFips).toBe('27053');
  });

  // The whole answer, exactly.
  it.each([
    [
      'routes a county whose region is not confirmed to the likely region, saying so',
      { county: 'Ramsey' },
      { regionId: 'east-metro', countyFips: '27123', regionConfirmed: false, routedBy: 'county' },
    ],
    [
      'leaves a ZIP code spread over two regions to the state administrators',
      { text: '55009' },
      { regionId: null, countyFips: null, regionConfirmed: false, routedBy: 'zip' },
    ],
  ])('%s', (_name, place, expected) => {
    expect(routePlace(geo(), place, asOf)).toEqual(expected);
  });

  // The region, county and way of routing.
  it.each([
    ['routes a ZIP code in one county to that county', { text: '55401' }, 'west-metro', '27053', 'zip'],
    [
      'routes a ZIP code in several counties of one region to the region, without a county',
      { text: '55006' },
      'central',
      null,
      'zip',
    ],
    [
      'routes a city mostly in one county to that county',
      { text: 'Rochester' },
      'southeast',
      '27109',
      'city',
    ],
    // Beltrami and Hubbard: one region.
    [
      'routes a city across counties of one region to the region',
      { text: 'Bemidji' },
      'northwest',
      null,
      'city',
    ],
    // Hennepin, Anoka and Ramsey: the help finder asks which county; the queue cannot guess either.
    ['routes a city across regions to nobody', { text: 'Minneapolis' }, null, null, 'city'],
  ])('%s', (_name, place, regionId, countyFips, routedBy) => {
    expect(routePlace(geo(), place, asOf)).toMatchObject({ regionId, countyFips, routedBy });
  });

  it('routes nothing, an unknown county or an unknown ZIP code to nobody', () => {
    const none = { regionId: null, countyFips: null, regionConfirmed: false, routedBy: 'none' };
    expect(routePlace(geo(), {}, asOf)).toEqual(none);
    expect(routePlace(geo(), { county: 'Atlantis' }, asOf)).toEqual(none);
    expect(routePlace(geo(), { county: '99999' }, asOf)).toEqual(none);
    expect(routePlace(geo(), { text: '00000' }, asOf)).toEqual(none);
    expect(routePlace(geo(), { text: '   ' }, asOf)).toEqual(none);
  });
});

describe('age band and urgency', () => {
  it('bands ages', () => {
    expect([null, 0, 11, 17, 18, 24, 25, 60].map(ageBandOf)).toEqual([
      'unknown',
      'under18',
      'under18',
      'under18',
      '18to24',
      '18to24',
      '25plus',
      '25plus',
    ]);
  });

  it('is immediate for danger now or missing from care, whatever the age', () => {
    for (const band of ['under18', '18to24', '25plus', 'unknown'] as const) {
      expect(urgencyOf(band, { immediateDanger: true })).toBe('immediate');
      expect(urgencyOf(band, { currentlyMissingFromCare: true })).toBe('immediate');
    }
  });

  it('is soon for a minor or unknown age with exploitation indicated or possible, else routine', () => {
    expect(urgencyOf('under18', { exploitation: 'indicated' })).toBe('soon');
    expect(urgencyOf('under18', { exploitation: 'possible' })).toBe('soon');
    expect(urgencyOf('unknown', { exploitation: 'possible' })).toBe('soon');
    expect(urgencyOf('under18', { exploitation: 'not_indicated' })).toBe('routine');
    expect(urgencyOf('under18', {})).toBe('routine');
    expect(urgencyOf('18to24', { exploitation: 'indicated' })).toBe('routine');
    expect(urgencyOf('25plus', { exploitation: 'possible' })).toBe('routine');
  });

  it('reads the urgency from a screening’s facts', () => {
    expect(factsSummary({ immediateDanger: true }).signals.immediateDanger).toBe(true);
    expect(factsSummary({ currentlyMissingFromCare: true }).signals.currentlyMissingFromCare).toBe(true);
    expect(factsSummary({ exchangeForValue: 'yes', thirdPartyProfit: 'no' }).signals.exploitation).toBe(
      'indicated',
    );
    expect(factsSummary({ exchangeForValue: 'no', thirdPartyProfit: 'yes' }).signals.exploitation).toBe(
      'indicated',
    );
    expect(factsSummary({ exchangeForValue: 'no', thirdPartyProfit: 'unknown' }).signals.exploitation).toBe(
      'possible',
    );
    expect(factsSummary({ exchangeForValue: 'no', thirdPartyProfit: 'no' }).signals.exploitation).toBe(
      'not_indicated',
    );
    expect(factsSummary({}).signals.exploitation).toBeNull();
    expect(factsSummary({ age: 15, county: '27053' })).toMatchObject({
      age: 15,
      ageBand: 'under18',
      county: '27053',
    });
    expect(factsSummary({ ageBand: '18to24' })).toMatchObject({ age: null, ageBand: '18to24' });
    // Facts travel through a form: anything odd is ignored, never trusted.
    expect(
      factsSummary({
        age: '15',
        immediateDanger: 'true',
        ageBand: 'x',
        county: 7,
        exchangeForValue: 'maybe',
      }),
    ).toEqual({
      age: null,
      ageBand: null,
      county: null,
      signals: { immediateDanger: false, currentlyMissingFromCare: false, exploitation: null },
    });
  });

  it('keeps the more urgent of the form’s answers and the screening’s facts', () => {
    expect(
      combineSignals({ exploitation: 'possible' }, { exploitation: 'indicated', immediateDanger: true }),
    ).toEqual({ immediateDanger: true, currentlyMissingFromCare: false, exploitation: 'indicated' });
    expect(combineSignals({ exploitation: 'not_indicated' }, {})).toMatchObject({
      exploitation: 'not_indicated',
    });
  });

  it('derives the stored urgency from the facts given', async () => {
    const facts = factsSummary({ age: 15, currentlyMissingFromCare: true });
    const created = await createIntakeItem(t.deps, {
      kind: 'consultation',
      payload: consultation(),
      age: facts.age,
      signals: facts.signals,
    });
    expect(created.urgency).toBe('immediate');
    const adult = await createIntakeItem(t.deps, {
      kind: 'consultation',
      payload: consultation(),
      ageBand: '18to24',
      signals: { exploitation: 'indicated' },
    });
    expect(adult).toMatchObject({ urgency: 'routine', ageBand: '18to24' });
  });
});

describe('reference codes and status', () => {
  it('are 12 Crockford characters (60 bits), all different, read back however they are typed', () => {
    const codes = new Set(Array.from({ length: 2000 }, newReferenceCode));
    expect(codes.size).toBe(2000);
    for (const code of [...codes].slice(0, 50)) {
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2}$/);
      expect(normaliseReferenceCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code.replace(/-/g, ''));
    }
    expect(normaliseReferenceCode('k7qm-4r2d-9xht')).toBe('K7QM4R2D9XHT');
    expect(normaliseReferenceCode('I1L0-O000-0000')).toBe('11100000' + '0000');
    for (const bad of [
      '',
      'K7QM-4R2D',
      'K7QM-4R2D-9XHTU',
      'K7QM-4R2D-9XH!',
      'U7QM-4R2D-9XHT',
      'x'.repeat(100),
    ])
      expect(normaliseReferenceCode(bad), bad).toBeNull();
    expect(() => referenceHash('nope')).toThrow(IntakeInputError);
  });

  it('statusForReference says only received, contacted or closed', async () => {
    const created = await createIntakeItem(t.deps, {
      kind: 'professional_referral',
      payload: referral(),
      place: { county: '27053' },
    });
    const code = created.referenceCode!;
    expect(await statusForReference(t.deps.db, code)).toBe('received');
    expect(await statusForReference(t.deps.db, code.toLowerCase().replace(/-/g, ''))).toBe('received');
    const set = (values: Record<string, unknown>) =>
      t.deps.db.updateTable('intake_items').set(values).where('id', '=', created.id).execute();
    const staff = await t.deps.db.selectFrom('staff_users').select('id').executeTakeFirst();
    if (staff) {
      await set({ status: 'claimed', claimed_by: staff.id, claimed_at: new Date() });
      expect(await statusForReference(t.deps.db, code)).toBe('received');
    }
    await set({ status: 'could_not_reach' });
    expect(await statusForReference(t.deps.db, code)).toBe('received');
    await set({ status: 'contacted' });
    expect(await statusForReference(t.deps.db, code)).toBe('contacted');
    await set({ status: 'closed', closed_at: new Date() });
    expect(await statusForReference(t.deps.db, code)).toBe('closed');

    expect(await statusForReference(t.deps.db, newReferenceCode())).toBeNull();
    expect(await statusForReference(t.deps.db, 'not a code')).toBeNull();
    expect(await statusForReference(t.deps.db, '')).toBeNull();
  });
});

async function countItems(): Promise<number> {
  const row = await t.deps.db
    .selectFrom('intake_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function countAll(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['intake_items', 'intake_events', 'audit_events', 'data_keys'] as const) {
    const row = await t.deps.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}
