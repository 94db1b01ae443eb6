/**
 * The case API: bearer tokens and sessions, the same policies as the pages (another region's case is a
 * 404 like a missing one), opening from a referral, problem details naming the field, the OpenAPI
 * document, and random input never answered with a 500. Synthetic data only.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SITE, testApp, type TestApp } from '../../../test/app.ts';
import { addStaff, sessionFor, type TestStaff } from '../../../test/staff.ts';
import type { Action } from '../../platform/access.ts';
import { createApiToken } from '../accounts/service.ts';
import { addItem } from '../queue/testing.ts';

let t: TestApp;
let navigator: TestStaff;
let southeast: TestStaff;
let admin: TestStaff;
const tokens = new Map<string, string>();

async function tokenFor(person: TestStaff, scopes: Action[]): Promise<string> {
  const key = `${person.id}:${scopes.join(',')}`;
  let token = tokens.get(key);
  if (!token) {
    token = (
      await createApiToken(
        { db: t.deps.db, keyring: t.deps.keyring, site: t.deps.site },
        'system',
        { userId: person.id, scopes, expiresInDays: 1 },
        { ip: '192.0.2.1', userAgent: null },
      )
    ).token;
    tokens.set(key, token);
  }
  return token;
}

const FULL: Action[] = ['cases.read', 'cases.write'];

async function postCase(token: string, body: unknown, raw?: string): Promise<Response> {
  return t.app.request('/api/v1/cases', {
    method: 'POST',
    body: raw ?? JSON.stringify(body),
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  });
}

const getCase = (token: string, id: string) =>
  t.app.request(`/api/v1/cases/${id}`, { headers: { Authorization: `Bearer ${token}` } });

beforeAll(async () => {
  t = await testApp();
  navigator = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic Navigator' });
  southeast = await addStaff(t.deps, 'navigator', ['southeast'], { name: 'Synthetic Southeast' });
  admin = await addStaff(t.deps, 'state_admin', [], { name: 'Synthetic Admin' });
});
afterAll(async () => {
  await t.close();
});

describe('POST /api/v1/cases and GET /api/v1/cases/{id}', () => {
  it('opens a case with a bearer token and reads it back, audited as the token', async () => {
    const token = await tokenFor(navigator, FULL);
    const res = await postCase(token, {
      countyFips: '27053',
      personal: {
        chosenName: 'Synthetic Api',
        dateOfBirth: '2008-07-01',
        raceEthnicity: ['american_indian_alaska_native'],
        tribalAffiliation: 'Synthetic Nation',
        languages: ['Ojibwe', 'English'],
        safeContact: { method: 'email', value: 'synthetic@example.org', codeWord: 'Synthetic heron' },
        door: 'shelter_or_outreach',
        exploitation: ['sexual_exploitation'],
        entryHousing: 'street_unsheltered',
      },
    });
    expect(res.status).toBe(201);
    const opened = (await res.json()) as { id: string; regionId: string; possibleDuplicateRegions: string[] };
    expect(opened).toMatchObject({ regionId: 'west-metro', possibleDuplicateRegions: [] });
    expect(res.headers.get('location')).toBe(`/api/v1/cases/${opened.id}`);

    const one = await getCase(token, opened.id);
    expect(one.status).toBe(200);
    const body = (await one.json()) as Record<string, unknown> & { personal: Record<string, unknown> };
    expect(body).toMatchObject({
      id: opened.id,
      status: 'open',
      regionName: 'West Metro',
      countyName: 'Hennepin',
      ageBand: '18to24',
      assigned: [{ userId: navigator.id, name: 'Synthetic Navigator' }],
      possibleDuplicateRegions: [],
    });
    expect(body.personal).toMatchObject({
      chosenName: 'Synthetic Api',
      tribalAffiliation: 'Synthetic Nation',
      door: 'shelter_or_outreach',
      exploitation: ['sexual_exploitation'],
      entryHousing: 'street_unsheltered',
      safeContact: {
        method: 'email',
        value: 'synthetic@example.org',
        times: null,
        codeWord: 'Synthetic heron',
      },
    });
    const audit = await t.deps.db
      .selectFrom('audit_events')
      .select(['action', 'actor_kind', 'actor_user_id'])
      .where('subject_id', '=', opened.id)
      .orderBy('seq')
      .execute();
    expect(audit).toEqual([
      { action: 'case.create', actor_kind: 'token', actor_user_id: navigator.id },
      { action: 'case.open', actor_kind: 'token', actor_user_id: navigator.id },
    ]);
  });

  it('answers another region’s case exactly as a missing one, and refuses the wrong token or role', async () => {
    const mine = (await (
      await postCase(await tokenFor(navigator, FULL), { personal: { chosenName: 'Synthetic X' } })
    ).json()) as {
      id: string;
    };
    const theirs = await tokenFor(southeast, FULL);
    const hidden = await getCase(theirs, mine.id);
    const missing = await getCase(theirs, randomUUID());
    expect(hidden.status).toBe(404);
    expect(hidden.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await hidden.json()).toEqual(await missing.json());
    expect((await getCase(theirs, 'not-a-uuid')).status).toBe(404);

    const readOnly = await tokenFor(navigator, ['cases.read']);
    expect((await getCase(readOnly, mine.id)).status).toBe(200);
    expect((await postCase(readOnly, { personal: { chosenName: 'X' } })).status).toBe(403);
    const other = await tokenFor(navigator, ['intake.read']);
    expect((await getCase(other, mine.id)).status).toBe(403);
    const adminToken = await tokenFor(admin, FULL);
    expect((await getCase(adminToken, mine.id)).status).toBe(200);
    const refused = await postCase(adminToken, { personal: { chosenName: 'X' } });
    expect(refused.status).toBe(403);
    expect((await refused.json()) as { detail: string }).toMatchObject({
      detail: expect.stringContaining('cases.write'),
    });
    const anonymous = await t.app.request('/api/v1/cases', { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
    expect((await t.app.request(`/api/v1/cases/${mine.id}`)).status).toBe(401);
    expect((await postCase('nwdt_not-a-token', {})).status).toBe(401);
  });

  it('accepts a session cookie from this site only', async () => {
    const s = await sessionFor(t.deps.db, navigator.id);
    const send = (headers: Record<string, string>) =>
      t.app.request('/api/v1/cases', {
        method: 'POST',
        body: JSON.stringify({ personal: { chosenName: 'Synthetic Cookie' } }),
        headers: { Cookie: s.cookie, 'Content-Type': 'application/json', ...headers },
      });
    expect((await send({})).status).toBe(403);
    expect((await send({ Origin: 'https://elsewhere.example' })).status).toBe(403);
    expect((await send({ Origin: TEST_SITE.origin })).status).toBe(201);
  });

  it('opens from a referral, taking what the body leaves out from it', async () => {
    const itemId = await addItem(t.deps, { age: 17 });
    // Reading the referral needs the queue's scope as well.
    const narrow = await postCase(await tokenFor(navigator, FULL), { intakeItemId: itemId });
    expect([narrow.status, ((await narrow.json()) as { detail: string }).detail]).toEqual([
      403,
      'Opening a case from a referral needs a token with the intake.read scope too.',
    ]);
    const token = await tokenFor(navigator, [...FULL, 'intake.read']);
    const res = await postCase(token, { intakeItemId: itemId, personal: { pronouns: 'he/him' } });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const body = (await (await getCase(token, id)).json()) as {
      intakeItemId: string;
      personal: Record<string, unknown>;
      countyFips: string;
    };
    expect(body.intakeItemId).toBe(itemId);
    expect(body.countyFips).toBe('27053');
    expect(body.personal).toMatchObject({
      chosenName: 'Synthetic Youth',
      age: 17,
      pronouns: 'he/him',
      languages: ['English'],
      safeContact: { codeWord: 'bluebird' },
    });
    const again = await postCase(token, { intakeItemId: itemId });
    expect(again.status).toBe(409);
    const elsewhere = await addItem(t.deps, { regionId: 'southeast', countyFips: '27109' });
    const hidden = await postCase(token, { intakeItemId: elsewhere });
    expect(hidden.status).toBe(400);
    expect(((await hidden.json()) as { field: string }).field).toBe('intakeItemId');
  });

  it('names the field of every problem', async () => {
    const token = await tokenFor(navigator, FULL);
    const cases: [unknown, string][] = [
      [{ personal: { chosenName: 'X', colour: 'blue' } }, 'personal.colour'],
      [{ personal: { chosenName: 'X', raceEthnicity: ['martian'] } }, 'personal.raceEthnicity.0'],
      [{ personal: { chosenName: 'X', age: -1 } }, 'personal.age'],
      [{ personal: { chosenName: 'X', door: 'chimney' } }, 'personal.door'],
      [
        { personal: { chosenName: 'X', exploitation: ['sex_trafficking', 'piracy'] } },
        'personal.exploitation.1',
      ],
      [{ personal: { chosenName: 'X', entryHousing: 'castle' } }, 'personal.entryHousing'],
      [{ personal: { chosenName: 'X', safeContact: { method: 'pigeon' } } }, 'personal.safeContact.method'],
      [{ personal: { chosenName: 'X', dateOfBirth: '2010-02-30' } }, 'personal.dateOfBirth'],
      [{ personal: { chosenName: '   ' } }, 'personal.chosenName'],
      [{}, 'personal.chosenName'],
      [{ personal: { chosenName: 'X' }, regionId: 'southeast' }, 'regionId'],
      [{ personal: { chosenName: 'X' }, countyFips: '99999' }, 'countyFips'],
      [[], 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await postCase(token, body);
      expect([res.status, ((await res.json()) as { field: string }).field], JSON.stringify(body)).toEqual([
        400,
        field,
      ]);
    }
    const notJson = await postCase(token, null, '{"personal":');
    expect([notJson.status, ((await notJson.json()) as { field: string }).field]).toEqual([400, 'body']);
    const wrongType = await t.app.request('/api/v1/cases', {
      method: 'POST',
      body: 'chosenName=X',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(wrongType.status).toBe(400);
    const big = await postCase(token, null, JSON.stringify({ personal: { chosenName: 'x'.repeat(70_000) } }));
    expect(big.status).toBe(413);
  });

  it('never answers random input with a 500', async () => {
    const token = await tokenFor(navigator, [...FULL, 'intake.read']);
    const personal = fc.record(
      {
        chosenName: fc.oneof(fc.string({ maxLength: 120 }), fc.constant(null), fc.integer()),
        legalName: fc.oneof(fc.string(), fc.constant(null)),
        dateOfBirth: fc.oneof(
          fc.string({ maxLength: 12 }),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
          fc.constant(null),
        ),
        age: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.double(), fc.constant(null), fc.string()),
        genderIdentity: fc.array(fc.oneof(fc.constantFrom('female', 'male', 'nonbinary'), fc.string())),
        raceEthnicity: fc.oneof(fc.array(fc.constantFrom('white', 'asian', 'unknown', 'x')), fc.string()),
        sexualOrientation: fc.oneof(fc.constantFrom('queer', 'declined'), fc.string(), fc.constant(null)),
        languages: fc.array(fc.string({ maxLength: 60 }), { maxLength: 12 }),
        safeContact: fc.record(
          {
            method: fc.oneof(fc.constantFrom('phone_call', 'email'), fc.string(), fc.constant(null)),
            value: fc.oneof(fc.string(), fc.constant(null)),
            codeWord: fc.oneof(fc.string(), fc.constant(null)),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc.record(
        {
          regionId: fc.oneof(fc.constantFrom('west-metro', 'southeast'), fc.string()),
          intakeItemId: fc.oneof(fc.uuid(), fc.string()),
          countyFips: fc.oneof(fc.constantFrom('27053', '27109'), fc.string(), fc.constant(null)),
          personal,
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await postCase(token, b);
        expect(res.status, JSON.stringify(b)).toBeLessThan(500);
        expect([201, 400, 409]).toContain(res.status);
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 120 }), async (id) => {
        const res = await getCase(token, encodeURIComponent(id));
        expect(res.status, id).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it('is documented in the OpenAPI document, with the answer lists as enums', async () => {
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(doc.paths['/api/v1/cases']).toHaveProperty('post');
    expect(doc.paths['/api/v1/cases/{id}']).toHaveProperty('get');
    const text = JSON.stringify(doc.components.schemas.CaseOpen);
    expect(text).toContain('black_african_american');
    expect(text).toContain('through_someone');
    expect(doc.components.schemas.Case).toBeDefined();
  });
});
