/**
 * Administration of screening instruments against a real database: only state administrators; a file
 * that is not JSON, or not a valid instrument, gets a 400 page naming the problem and stores nothing; a
 * loaded instrument is versioned, published to /identify and retired, each change audited.
 * Synthetic people and a synthetic instrument only.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addOrganization, addStaff, formBody, sessionFor, type TestSession } from '../../../test/staff.ts';
import { auditEvents, expectAll, pageWith } from '../../../test/coordination.ts';
import type { Role } from '../../platform/access.ts';

let t: TestApp;
let orgId: string;
const people = new Map<Role, TestSession>();

/** A signed-in person of the role, of the state agency. */
async function person(role: Role): Promise<TestSession> {
  const regions = role === 'navigator' ? ['west-metro'] : [];
  const { id } = await addStaff(t.deps, role, regions, { organizationId: orgId });
  return sessionFor(t.deps.db, id);
}

const admin = () => people.get('state_admin')!;

function get(path: string, who = admin()): Promise<Response> {
  return Promise.resolve(t.app.request(path, { headers: { Cookie: who.cookie } }));
}

function post(path: string, fields: Record<string, string>, who = admin()): Promise<Response> {
  return Promise.resolve(
    t.app.request(path, {
      method: 'POST',
      body: formBody(who.csrf, fields),
      headers: {
        Cookie: who.cookie,
        Origin: t.deps.site.origin,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
    }),
  );
}

/** The first step of the licensed instrument's form, answered. */
const LICENSED_STEP_ONE = { instrument: 'example-licensed-tool:1.0', step: '1', 'a.role': 'clinic' };

/** Posts a step of the public /identify form. */
async function postIdentify(fields: Record<string, string>): Promise<Response> {
  return t.app.request('/identify', {
    method: 'POST',
    body: new URLSearchParams(fields).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
}

function upload(json: string, who = admin()): Promise<Response> {
  const form = new FormData();
  form.set('csrf', who.csrf);
  form.set('file', new File([json], 'instrument.json', { type: 'application/json' }));
  form.set('definition', '');
  return Promise.resolve(
    t.app.request('/staff/admin/instruments', {
      method: 'POST',
      body: form,
      headers: { Cookie: who.cookie, Origin: t.deps.site.origin },
    }),
  );
}

async function stored(): Promise<{ id: string; version: string; status: string }[]> {
  return t.deps.db
    .selectFrom('screening_instruments')
    .select(['id', 'version', 'status'])
    .orderBy('id')
    .orderBy('version')
    .execute();
}

const audits = (action: string) => auditEvents(t.deps.db, { action });

/** A small synthetic instrument in the same format: who is asking, two signs, one risk factor. */
function licensedTool(version = '1.0', name = 'Example licensed tool (synthetic)'): Record<string, any> {
  const shipped = JSON.parse(
    readFileSync(resolve('data/mn/instruments/safe-harbor-indicators.json'), 'utf8'),
  );
  const happening = shipped.groups.find((g: { id: string }) => g.id === 'happening');
  return {
    format: 'nwd-screening-instrument/1',
    id: 'example-licensed-tool',
    version,
    name,
    description: 'A synthetic stand-in for a licensed instrument, for tests.',
    validated: true,
    licence: 'Synthetic test data: no licence needed.',
    source: 'Synthetic test data',
    retrieved: '2026-11-22',
    verified: false,
    groups: [
      {
        id: 'asker',
        title: 'Who is asking',
        items: [
          {
            id: 'role',
            question: 'Where do you work?',
            help: 'Choose one.',
            required: true,
            answer: {
              type: 'single_choice',
              options: [
                { value: 'school', label: 'A school', map: { facts: { reporterRole: 'education' } } },
                { value: 'clinic', label: 'A clinic', map: { facts: { reporterRole: 'health_care' } } },
              ],
            },
          },
        ],
      },
      {
        id: 'signs',
        title: 'Signs',
        items: [
          ...happening.items.slice(0, 2),
          {
            id: 'housing',
            question: 'Does the young person have a safe place to sleep?',
            required: false,
            answer: { type: 'boolean', map: { no: { riskFactors: ['homeless_or_runaway'] } } },
          },
        ],
      },
    ],
  };
}

beforeAll(async () => {
  t = await testApp();
  orgId = await addOrganization(t.deps.db, 'Synthetic State Agency', 'state_agency');
  for (const role of ['state_admin', 'org_admin', 'navigator', 'professional'] as const)
    people.set(role, await person(role));
});
afterAll(async () => {
  await t.close();
});

describe('who may manage instruments', () => {
  it('lets a state administrator in, sends the anonymous to sign in, and refuses everyone else', async () => {
    const html = await pageWith(await get('/staff/admin/instruments'), 200, [
      '<h1>Screening instruments</h1>',
    ]);
    expect(html).toMatch(/Safe Harbor indicators checklist[\s\S]*Shipped, always available<strong> · in use/);
    const anonymous = await t.app.request('/staff/admin/instruments');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/staff/sign-in');
    for (const role of ['org_admin', 'navigator', 'professional'] as const) {
      expect((await get('/staff/admin/instruments', people.get(role))).status, role).toBe(403);
      const load = await post(
        '/staff/admin/instruments',
        { definition: JSON.stringify(licensedTool()) },
        people.get(role),
      );
      expect(load.status, role).toBe(403);
    }
    expect(await stored()).toEqual([]);
    expect(await audits('instrument.load')).toEqual([]);
  });

  it('refuses a form without its CSRF token', async () => {
    const res = await t.app.request('/staff/admin/instruments', {
      method: 'POST',
      body: new URLSearchParams({ definition: JSON.stringify(licensedTool()) }).toString(),
      headers: {
        Cookie: admin().cookie,
        Origin: t.deps.site.origin,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
    });
    expect(res.status).toBe(403);
    expect(await stored()).toEqual([]);
  });
});

describe('loading an instrument', () => {
  it('answers text that is not JSON with a 400 page that says so, and stores nothing', async () => {
    const html = await pageWith(await post('/staff/admin/instruments', { definition: '{"id": "x",' }), 400, [
      'There is a problem',
    ]);
    expect(html).toMatch(
      /<a href="#definition">This is not valid JSON: [^<]+\. Check the file, or paste it again\.<\/a>/,
    );
    // What was pasted is kept to be corrected.
    expect(html).toContain('{&quot;id&quot;: &quot;x&quot;,</textarea>');
    expect((await post('/staff/admin/instruments', { definition: '  ' })).status).toBe(400);
    expect(await stored()).toEqual([]);
  });

  it('names every problem of an invalid instrument by its group, item and answer', async () => {
    const bad = licensedTool();
    bad.groups[1].items[0].answer.map.yes.facts.exchangeForValue = 'certainly';
    bad.groups[1].items[2].answer.map.no.riskFactors = ['no_bed'];
    bad.groups[0].items[0].answer.options[1].map.facts = { reporterRole: 'doctor' };
    const html = await pageWith(await upload(JSON.stringify(bad)), 400);
    expect(html).toContain(
      'group &quot;signs&quot; › item &quot;exchange&quot; › map › yes › facts › exchangeForValue: Invalid option',
    );
    expect(html).toContain(
      'group &quot;asker&quot; › item &quot;role&quot; › option &quot;clinic&quot; › map › facts › reporterRole',
    );
    expect(html).toContain('href="#file"');
    const unknownRisk = licensedTool();
    unknownRisk.groups[1].items[2].answer.map.no.riskFactors = ['no_bed'];
    const second = await post('/staff/admin/instruments', { definition: JSON.stringify(unknownRisk) });
    expect(await second.text()).toContain('risk factor &quot;no_bed&quot; is not one the pathway knows');
    expect(await stored()).toEqual([]);
    expect(await audits('instrument.load')).toEqual([]);
  });

  it('stores a valid instrument once, under its id and version, and audits it', async () => {
    const res = await post('/staff/admin/instruments', { definition: JSON.stringify(licensedTool()) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff/admin/instruments?done=loaded');
    expect(await stored()).toEqual([{ id: 'example-licensed-tool', version: '1.0', status: 'loaded' }]);
    const [event] = await audits('instrument.load');
    expect(event).toMatchObject({
      subject_id: 'example-licensed-tool:1.0',
      details: { validated: true, groups: 2 },
    });
    // The same file again changes nothing; another file under the same version is refused.
    const again = await upload(JSON.stringify(licensedTool()));
    expect(again.headers.get('location')).toBe('/staff/admin/instruments?done=already');
    const changed = await post('/staff/admin/instruments', {
      definition: JSON.stringify(licensedTool('1.0', 'Another name')),
    });
    expect(changed.status).toBe(400);
    expect(await changed.text()).toContain('is already loaded with different content');
    const shipped = JSON.parse(
      readFileSync(resolve('data/mn/instruments/safe-harbor-indicators.json'), 'utf8'),
    );
    const copy = await post('/staff/admin/instruments', { definition: JSON.stringify(shipped) });
    expect(copy.status).toBe(400);
    expect(await copy.text()).toContain('is the shipped checklist, which is always available');
    expect(await audits('instrument.load')).toHaveLength(1);
    // It is loaded, not used yet.
    expect(await (await t.app.request('/identify')).text()).toContain('Safe Harbor indicators checklist');
  });

  it('shows what each answer of a loaded instrument tells the pathway', async () => {
    await pageWith(await get('/staff/admin/instruments/example-licensed-tool/1.0'), 200, [
      '<h1>Example licensed tool (synthetic)</h1>',
      '<td>A clinic</td><td>reporterRole = health_care</td>',
      '<td>No</td><td>risk factor homeless_or_runaway</td>',
    ]);
    expect((await get('/staff/admin/instruments/example-licensed-tool/9.9')).status).toBe(404);
    expect((await get('/staff/admin/instruments/safe-harbor-indicators/2026.12.1')).status).toBe(200);
  });
});

describe('publishing and retiring', () => {
  it('publishes an instrument to /identify, keeps forms of the shipped checklist working, and audits it', async () => {
    const res = await post('/staff/admin/instruments/example-licensed-tool/1.0/publish', {});
    expect(res.status).toBe(303);
    expect(await stored()).toEqual([{ id: 'example-licensed-tool', version: '1.0', status: 'published' }]);
    const [event] = await audits('instrument.publish');
    expect(event).toMatchObject({
      subject_id: 'example-licensed-tool:1.0',
      details: { previous: 'safe-harbor-indicators:2026.12.1', shipped: false },
    });
    const first = await (await t.app.request('/identify')).text();
    expectAll(first, [
      '<h1>Who is asking</h1>',
      'Step 1 of 2',
      '<strong>Example licensed tool (synthetic)</strong> (version 1.0).',
    ]);
    expect(first).not.toContain('not a validated screening instrument');
    // Through to the result.
    const step2 = await postIdentify(LICENSED_STEP_ONE);
    expect(await step2.text()).toContain('<h1>Signs</h1>');
    const result = await postIdentify({
      instrument: 'example-licensed-tool:1.0',
      step: '2',
      'a.role': 'clinic',
      'a.exchange': 'yes',
      'a.third_party': 'yes',
      'a.housing': 'no',
    });
    const html = await result.text();
    expect(result.status).toBe(200);
    expect(html).toContain('<strong>Sex trafficking</strong>: the answers point to it');
    expect(html).toContain(
      '&quot;instrument&quot;:{&quot;id&quot;:&quot;example-licensed-tool&quot;,&quot;version&quot;:&quot;1.0&quot;}',
    );
    // A form opened before the change still finishes with the shipped checklist.
    const old = await postIdentify({
      instrument: 'safe-harbor-indicators:2026.12.1',
      step: '1',
      'a.danger_now': 'no',
    });
    expect(await old.text()).toContain('<h1>About you</h1>');
  });

  it('retires it: /identify goes back to the shipped checklist and its forms ask to start again', async () => {
    const res = await post('/staff/admin/instruments/example-licensed-tool/1.0/retire', {});
    expect(res.status).toBe(303);
    expect(await stored()).toEqual([{ id: 'example-licensed-tool', version: '1.0', status: 'retired' }]);
    const again = await post('/staff/admin/instruments/example-licensed-tool/1.0/publish', {});
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('This instrument is retired and cannot be used again');
    expect(await audits('instrument.retire')).toEqual([
      expect.objectContaining({ subject_id: 'example-licensed-tool:1.0' }),
    ]);
    expect(await (await t.app.request('/identify')).text()).toContain('Safe Harbor indicators checklist');
    const stale = await postIdentify(LICENSED_STEP_ONE);
    expect(stale.status).toBe(400);
    expect(await stale.text()).toContain('Please start again');
  });

  it('publishing the shipped checklist withdraws the published one; the shipped one cannot be retired', async () => {
    await post('/staff/admin/instruments', { definition: JSON.stringify(licensedTool('1.1')) });
    await post('/staff/admin/instruments/example-licensed-tool/1.1/publish', {});
    const back = await post('/staff/admin/instruments/safe-harbor-indicators/2026.12.1/publish', {});
    expect(back.status).toBe(303);
    expect(await stored()).toEqual([
      { id: 'example-licensed-tool', version: '1.0', status: 'retired' },
      { id: 'example-licensed-tool', version: '1.1', status: 'loaded' },
    ]);
    const retire = await post('/staff/admin/instruments/safe-harbor-indicators/2026.12.1/retire', {});
    expect(retire.status).toBe(400);
    expect(await retire.text()).toContain('The shipped checklist is always available');
    expect((await post('/staff/admin/instruments/nothing-here/1.0/publish', {})).status).toBe(404);
    expect((await post('/staff/admin/instruments/Bad%20Id/1.0/publish', {})).status).toBe(404);
    const list = await (await get('/staff/admin/instruments')).text();
    expect(list).toMatch(/Shipped, always available<strong> · in use/);
  });
});
