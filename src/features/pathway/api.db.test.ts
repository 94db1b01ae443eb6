import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { rulesMarkdown, summarise } from './describe.ts';
import { loadRuleset } from './ruleset.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const teacher = { reporterRole: 'education', exchangeForValue: 'yes', thirdPartyProfit: 'unknown' };

async function post(body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  const res = await t.app.request('/api/v1/pathway', {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: JSON.parse(text) as Record<string, any>,
  };
}

/** Rows in every table of the public schema, to show that nothing was written. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
  `.execute(t.database.db);
  const out: Record<string, number> = {};
  for (const { table_name } of tables.rows) {
    const r = await sql<{ n: string }>`select count(*)::text as n from ${sql.table(table_name)}`.execute(
      t.database.db,
    );
    out[table_name] = Number(r.rows[0]?.n);
  }
  return out;
}

describe('POST /api/v1/pathway', () => {
  it('answers a teacher worried about a 15-year-old in Hennepin County', async () => {
    const { status, type, body } = await post({
      ...teacher,
      age: 15,
      county: 'Hennepin',
      riskFactors: ['poverty'],
    });
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/json/);
    expect(body.classification).toEqual({
      sexTrafficking: 'possible',
      commercialSexualExploitation: 'indicated',
      laborTrafficking: 'not_indicated',
      atRisk: true,
      minor: true,
    });
    const report = body.actions.find((a: { code: string }) => a.code === 'REPORT_CHILD_PROTECTION');
    expect(report).toMatchObject({ required: true, deadlineHours: 24, binds: 'reporter' });
    expect(report.basis[0].citation).toMatch(/260E/);
    const refer = body.actions.find((a: { code: string }) => a.code === 'REFER_REGIONAL_NAVIGATOR');
    expect(refer.contacts.map((c: { id: string }) => c.id)).toEqual(['navigator', 'day-one']);
    expect(refer.contacts[1].phone).toEqual({ dial: '+18662231111', display: '1-866-223-1111' });
    expect(body.navigator.results[0].county.fips).toBe('27053');
    expect(body.navigator.results[0].region.id).toBe('west-metro');
    expect(body.rulesVersion).toBe(loadRuleset('data/mn').version);
  });

  it('answers without a navigator when no county is given', async () => {
    const { status, body } = await post(teacher);
    expect(status).toBe(200);
    expect(body.navigator).toBeUndefined();
    expect(body.classification.minor).toBeNull();
  });

  it.each([
    [{ ...teacher, teacher: true }, 'teacher'],
    [{ ...teacher, reporterRole: 'teacher' }, 'reporterRole'],
    [{ ...teacher, age: -1 }, 'age'],
    [{ ...teacher, riskFactors: ['not_a_factor'] }, 'riskFactors[0]'],
    [{ ...teacher, county: 'Hennipen' }, 'county'],
    [{ ...teacher, county: 12 }, 'county'],
    ['{"reporterRole": ', 'body'],
    ['[1,2]', 'body'],
  ])('refuses %j with a problem naming %s', async (body, field) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: 400,
      field,
      title: expect.any(String),
      detail: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
  });

  it('suggests the county meant', async () => {
    const res = await post({ ...teacher, county: 'Hennipen' });
    expect(res.body.suggestions).toContain('Hennepin');
  });

  it('refuses a body that is not JSON, and one that is too large', async () => {
    const form = await post('reporterRole=education', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(form).toMatchObject({ status: 400, body: { field: 'body' } });
    const big = await post({ ...teacher, riskFactors: Array(5000).fill('poverty') });
    expect(big.status).toBe(413);
  });

  it('stores nothing and logs none of the facts', async () => {
    const before = await rowCounts();
    const marker = 'Lac qui Parle';
    await post({ ...teacher, age: 16, county: marker, immediateDanger: true });
    await post({ ...teacher, county: 'Zzyzx-no-such-county' });
    expect(await rowCounts()).toEqual(before);
    const log = t.logLines.join('\n');
    expect(log).toContain('/api/v1/pathway');
    expect(log).not.toContain(marker);
    expect(log).not.toContain('Zzyzx');
    expect(log).not.toContain('education');
  });

  it('sets no cookie', async () => {
    const res = await t.app.request('/api/v1/pathway', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(teacher),
    });
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('never answers 500, whatever the body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string(),
          fc
            .record(
              {
                reporterRole: fc.string(),
                exchangeForValue: fc.jsonValue(),
                thirdPartyProfit: fc.constantFrom('yes', 'no', 'unknown'),
                county: fc.oneof(fc.string(), fc.jsonValue()),
                age: fc.jsonValue(),
                asOf: fc.string(),
              },
              { requiredKeys: [] },
            )
            .map((v) => JSON.stringify(v)),
        ),
        async (body) => {
          const res = await t.app.request('/api/v1/pathway', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body,
          });
          expect([200, 400, 413]).toContain(res.status);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is documented in the OpenAPI document with the risk-factor codes', async () => {
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as Record<string, any>;
    const op = doc.paths['/api/v1/pathway'].post;
    expect(op.requestBody.content['application/json'].schema).toBeDefined();
    expect(JSON.stringify(doc.components.schemas.PathwayFacts)).toContain('homeless_or_runaway');
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400']));
  });
});

describe('the rules in plain words', () => {
  it('lists every rule on /rules with its basis and dates', async () => {
    const res = await t.app.request('/rules');
    expect(res.status).toBe(200);
    const html = await res.text();
    const ruleset = loadRuleset('data/mn');
    const escaped = (text: string) =>
      text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    for (const r of ruleset.rules) {
      expect(html).toContain(escaped(summarise(r).title));
      // The public page speaks to the public: rule codes stay in docs/rules.md and the pack.
      expect(html).not.toContain(r.code);
    }
    expect(html).toContain('from 2024-07-01');
    expect(html).toContain('260E.06');
  });

  it('docs/rules.md is generated from the same data (run `npm run docs:rules` when this fails)', () => {
    expect(readFileSync('docs/rules.md', 'utf8')).toBe(rulesMarkdown(loadRuleset('data/mn')));
  });
});
