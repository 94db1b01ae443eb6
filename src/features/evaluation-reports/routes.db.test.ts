/**
 * The evaluation reports through the app, on synthetic facts whose truth is known (test/
 * evaluation-facts.ts) for state fiscal years 2025 and 2026: the dashboard (picker, table with caption
 * and row headers, small counts as "hidden"), the errors that name their field, the CSV and XLSX
 * downloads with the same suppression, the biennial and data-quality pages, who is refused, what a
 * navigator host's and another organization's administrators see, `GET /api/v1/reports/{measure}`
 * (JSON as its schema says, problem+json naming a bad parameter, the token's scope) and its OpenAPI,
 * and no answer 500 whatever the query string. Today is the real date (the last ended fiscal year is
 * the default period).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { pageWith } from '../../../test/coordination.ts';
import { insertFacts, syntheticYouth, type SyntheticYouth } from '../../../test/evaluation-facts.ts';
import { addOrganization, addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';
import type { Action } from '../../platform/access.ts';
import { createApiToken } from '../accounts/service.ts';
import { evaluationContext } from './service.ts';
import { FiscalCalendar, type Period } from './periods.ts';
import { ReportSchema } from './schema.ts';

let t: TestApp;
let stateAdmin: TestStaff;
let evaluator: TestStaff;
let hostAdmin: TestStaff;
let providerAdmin: TestStaff;
let refused: TestStaff[];
let provider: string;
let youth: SyntheticYouth[];
const { get } = staffRequests(() => t);

const cal = new FiscalCalendar(7);
/** The last fiscal year that has ended, today: the reports' default. */
let lastYear: Period;
const FY2025 = cal.year(2025);
const FY2026 = cal.year(2026);
const value = (p: Period) => `${p.from}_${p.to}`;

beforeAll(async () => {
  t = await testApp();
  lastYear = cal.lastEndedYear(evaluationContext(t.deps).today());
  const db = t.deps.db;
  const state = await addOrganization(db, 'Synthetic State Agency', 'state_agency');
  provider = await addOrganization(db, 'Synthetic Evaluation Provider', 'service_provider');
  const host = await addOrganization(db, 'Synthetic Northeast Host', 'navigator_host');
  // The pack organization that hosts the Northeast region's navigator is this member organization.
  const hosting = await db
    .updateTable('organizations')
    .set({ member_organization_id: host })
    .where('id', '=', (eb) =>
      eb.selectFrom('regions').select('navigator_organization_id').where('id', '=', 'northeast'),
    )
    .executeTakeFirst();
  expect(Number(hosting.numUpdatedRows)).toBe(1);
  stateAdmin = await addStaff(t.deps, 'state_admin', [], { organizationId: state });
  evaluator = await addStaff(t.deps, 'evaluator', [], { organizationId: state });
  hostAdmin = await addStaff(t.deps, 'org_admin', [], { organizationId: host });
  providerAdmin = await addStaff(t.deps, 'org_admin', [], { organizationId: provider });
  refused = [
    await addStaff(t.deps, 'navigator', ['west-metro']),
    await addStaff(t.deps, 'provider_staff', [], { organizationId: provider }),
    await addStaff(t.deps, 'professional'),
    await addStaff(t.deps, 'trainer', [], { organizationId: state }),
  ];
  youth = syntheticYouth(29, 600, FY2025.from, FY2026.to);
  await insertFacts(db, youth, provider);
}, 120_000);
afterAll(() => t?.close());

/** The young people active in a period, once per person, among the cases `keep` admits. */
const servedIn = (p: Period, keep: (y: SyntheticYouth) => boolean) =>
  new Set(
    youth
      .filter((y) => keep(y) && y.openedOn <= p.to && (y.closedOn === null || y.closedOn >= p.from))
      .map((y) => y.person),
  ).size;

/** The "All" row's cells, as the page shows them. */
function totalRow(html: string): string[] {
  const row = /<th scope="row"><strong>All<\/strong><\/th>((?:<td>.*?<\/td>)+)<\/tr>/.exec(html);
  expect(row, 'the All row').not.toBeNull();
  return [...row![1]!.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]!);
}

describe('the evaluation dashboard', () => {
  it('shows state administrators and evaluators the picker and a table with caption, row headers and hidden cells', async () => {
    for (const who of [evaluator, stateAdmin]) {
      const page = await pageWith(
        await get(who, `/staff/reports?measure=youth_served&period=${value(FY2026)}&by=county`),
        200,
        [
          '<h1',
          'Evaluation reports',
          'the whole state',
          'name="measure"',
          'name="period"',
          'name="by"',
          `value="${value(FY2026)}"`,
          `value="${value(FY2025)}"`,
          '<caption>Young people served by county, Fiscal year 2026 (Jul 2025 to Jun 2026)</caption>',
          '<th scope="col">All served</th>',
          '<th scope="row">',
          '>hidden<',
          'href="/staff/reports/download?format=csv&amp;measure=youth_served',
          'href="/staff/reports/biennial?',
        ],
      );
      // The total is exact: every young person active in the year, once.
      const served = totalRow(page);
      expect(served).toContain(String(servedIn(FY2026, () => true)));
    }
  });

  it('reports the last ended fiscal year by default', async () => {
    await pageWith(await get(evaluator, '/staff/reports'), 200, [lastYear.label, 'Young people served']);
  });

  it('answers 400 with an error summary linking to the field at fault', async () => {
    const cases: [string, string, string][] = [
      ['measure=youth_served&period=2026-01-01_2026-01-31', 'period', 'whole quarter'],
      ['measure=youth_served&period=2026-07-01_2027-06-30', 'period', 'has not ended'],
      ['measure=youth_served&period=2026-10-01_2026-12-31', 'period', 'has not ended'],
      ['measure=youth_served&from=2026-10-01&to=2026-12-31', 'period', 'has not ended'],
      ['measure=youth_served&period=2026-01-01', 'period', 'whole quarter'],
      ['measure=youth_served&period=2025-07-01_', 'period', 'whole quarter'],
      ['measure=youth_served&period=2025-07-01_2026-06-30_x', 'period', 'whole quarter'],
      ['measure=nosuch', 'measure', 'Choose a measure'],
      ['measure=youth_served&by=course', 'by', 'cannot be broken down by'],
      ['measure=trainings&by=race', 'by', 'cannot be broken down by'],
      ['measure=youth_served&by=nosuch', 'by', 'breakdown'],
    ];
    for (const [query, field, text] of cases) {
      const page = await pageWith(await get(evaluator, `/staff/reports?${query}`), 400, [
        `href="#${field}"`,
        text,
      ]);
      expect(page, query).toContain('usa-alert--error');
    }
  });

  it('refuses navigators, provider staff, professionals and trainers', async () => {
    for (const who of refused)
      for (const path of [
        '/staff/reports',
        `/staff/reports/download?format=csv&measure=youth_served&period=${value(FY2026)}`,
        '/staff/reports/biennial',
        '/staff/reports/quality',
      ])
        await pageWith(await get(who, path), 403, ['Evaluation reports are for state administrators']);
    expect((await get(null, '/staff/reports')).status).not.toBe(200);
  });
});

describe('the downloads', () => {
  const query = `measure=youth_served&period=${value(FY2026)}&by=county`;

  it('gives the table as CSV, a hidden count empty and flagged', async () => {
    const res = await get(evaluator, `/staff/reports/download?format=csv&${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="evaluation-youth_served-by-county-2025-07-01-to-2026-06-30.csv"',
    );
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toContain(',label,new,new_suppressed,continuing,continuing_suppressed,served,');
    expect(lines.some((l) => /^2025-07-01,2026-06-30,\d{5},[^,]+,,true,/.test(l))).toBe(true);
    const total = lines.find((l) => l.startsWith('2025-07-01,2026-06-30,total,All,'))!;
    expect(total.split(',')).toContain(String(servedIn(FY2026, () => true)));
  });

  it('gives the table as an XLSX workbook another reader opens', async () => {
    const res = await get(evaluator, `/staff/reports/download?format=xlsx&${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers.get('content-disposition')).toContain(
      'evaluation-youth_served-by-county-2025-07-01-to-2026-06-30.xlsx',
    );
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.subarray(0, 2).toString('latin1')).toBe('PK');
    const read = spawnSync(
      'python3',
      [
        '-c',
        'import io, json, sys, zipfile\nz = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))\nprint(json.dumps({"bad": z.testzip(), "names": z.namelist()}))',
      ],
      { input: body, encoding: 'utf8' },
    );
    if (read.error && !process.env.CI) {
      console.error('*** python3 is missing: the XLSX download was not read back. ***');
      return;
    }
    expect(read.status, read.stderr).toBe(0);
    const out = JSON.parse(read.stdout) as { bad: string | null; names: string[] };
    expect(out.bad).toBeNull();
    expect(out.names).toEqual(expect.arrayContaining(['xl/workbook.xml', '[Content_Types].xml']));
    // A measure whose title is no sheet name Excel accepts (a colon, over 31 characters) still opens.
    const exits = await get(
      evaluator,
      `/staff/reports/download?format=xlsx&measure=exits&period=${value(FY2025)}`,
    );
    expect(exits.status).toBe(200);
    const sheets = spawnSync(
      'python3',
      [
        '-c',
        'import io, re, sys, zipfile\nz = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))\nassert z.testzip() is None\nprint(re.findall(r\'<sheet name="([^"]*)"\', z.read("xl/workbook.xml").decode()))',
      ],
      { input: Buffer.from(await exits.arrayBuffer()), encoding: 'utf8' },
    );
    expect(sheets.status, sheets.stderr).toBe(0);
    const name = /\['(.*)'\]/.exec(sheets.stdout.trim())?.[1] ?? '';
    expect(name.length).toBeGreaterThan(0);
    expect(name.length).toBeLessThanOrEqual(31);
    expect(name).not.toMatch(/[[\]:*?/\\]/);
  });

  it('refuses a format it does not make, and a bad period, with a page that says so', async () => {
    await pageWith(await get(evaluator, `/staff/reports/download?format=pdf&${query}`), 400, [
      'This download is not available',
    ]);
    await pageWith(
      await get(
        evaluator,
        '/staff/reports/download?format=csv&measure=youth_served&period=2026-01-01_2026-01-31',
      ),
      400,
      ['whole quarter'],
    );
  });
});

describe('the biennial and data-quality pages', () => {
  it('lists the biennial report’s tables with their headings', async () => {
    const page = await pageWith(
      await get(evaluator, `/staff/reports/biennial?period=${value(FY2026)}`),
      200,
      [
        'Safe Harbor evaluation report',
        '<h3>Contents</h3>',
        'href="#table-1"',
        'Table 1. Young people served',
        'Table 2. Young people served by age',
        '<caption>',
      ],
    );
    expect((page.match(/<h3 id="table-\d+-h">Table \d+\./g) ?? []).length).toBeGreaterThan(10);
    for (const period of ['2026-01-01_2026-01-31', 'next-year'])
      await pageWith(await get(evaluator, `/staff/reports/biennial?period=${period}`), 400, [
        'href="#period"',
      ]);
    // Each organization administrator gets the tables of its own scope.
    const host = await pageWith(await get(hostAdmin, '/staff/reports/biennial'), 200, [
      'your regions (Northeast)',
    ]);
    expect(host).not.toContain('Trainings completed');
    const own = await pageWith(await get(providerAdmin, '/staff/reports/biennial'), 200, [
      'your organization’s clients',
    ]);
    expect(own).not.toContain('time to first contact');
  });

  it('lists what the records lack', async () => {
    await pageWith(await get(evaluator, `/staff/reports/quality?period=${value(FY2025)}`), 200, [
      'Data quality',
      '<th scope="row">Race and ethnicity</th>',
      'Closing question: do they feel safer (not asked)',
    ]);
    await pageWith(await get(evaluator, '/staff/reports/quality?period=2026-10-01_2026-12-31'), 400, [
      'href="#period"',
      'has not ended',
    ]);
  });
});

describe('what organization administrators see', () => {
  it('shows a navigator host its regions only, and names them', async () => {
    const page = await pageWith(await get(hostAdmin, `/staff/reports?period=${value(FY2026)}`), 200, [
      'your regions (Northeast)',
    ]);
    const inNortheast = servedIn(FY2026, (y) => y.region === 'northeast');
    expect(inNortheast).toBeGreaterThan(10);
    expect(inNortheast).toBeLessThan(servedIn(FY2026, () => true));
    expect(totalRow(page)).toContain(String(inNortheast));
    // Its regions' breakdown has one region only.
    const byRegion = await pageWith(
      await get(hostAdmin, `/staff/reports?period=${value(FY2026)}&by=region`),
      200,
      ['<th scope="row">Northeast</th>'],
    );
    // Another region may be listed, but counts nothing.
    const start = byRegion.indexOf('<table class="usa-table usa-table--borderless" id="report-table">');
    const table = byRegion.slice(start, byRegion.indexOf('</table>', start));
    const rows = [...table.matchAll(/<tr><th scope="row">([^<]+)<\/th>((?:<td>.*?<\/td>)+)<\/tr>/g)];
    expect(rows.map((r) => r[1])).toContain('Northeast');
    for (const [, region, cells] of rows)
      if (region !== 'Northeast') expect(cells, region).toMatch(/^<td>0<\/td><td>0<\/td><td>0<\/td>/);
    // Trainings are not reported by region.
    await pageWith(await get(hostAdmin, '/staff/reports?measure=trainings'), 400, ['href="#measure"']);
  });

  it('shows another organization its own clients', async () => {
    const page = await pageWith(await get(providerAdmin, `/staff/reports?period=${value(FY2026)}`), 200, [
      'your organization’s clients',
    ]);
    const clients = servedIn(FY2026, (y) => y.referrals.some((r) => r.accepted));
    expect(clients).toBeGreaterThan(10);
    expect(totalRow(page)).toContain(String(clients));
    await pageWith(await get(providerAdmin, '/staff/reports?by=county'), 400, ['href="#by"']);
    await pageWith(await get(providerAdmin, '/staff/reports?measure=first_contact'), 400, [
      'href="#measure"',
    ]);
  });
});

describe('GET /api/v1/reports/{measure}', () => {
  const tokens = new Map<string, string>();
  async function tokenFor(person: TestStaff, scopes: Action[]): Promise<string> {
    const key = `${person.id}:${scopes.join(',')}`;
    if (!tokens.has(key))
      tokens.set(
        key,
        (
          await createApiToken(
            { db: t.deps.db, keyring: t.deps.keyring, site: t.deps.site },
            'system',
            { userId: person.id, scopes, expiresInDays: 1 },
            { ip: '192.0.2.1', userAgent: null },
          )
        ).token,
      );
    return tokens.get(key)!;
  }
  const call = async (token: string, path: string) => {
    const res = await t.app.request(path, { headers: { Authorization: `Bearer ${token}` } });
    return { res, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers the report as its schema says, a hidden count null and flagged', async () => {
    const token = await tokenFor(evaluator, ['reports.aggregate']);
    const { res, body } = await call(
      token,
      `/api/v1/reports/youth_served?from=${FY2026.from}&to=${FY2026.to}&by=county`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const report = ReportSchema.parse(body);
    expect([report.scope, report.by, report.period.kind, report.smallNumberThreshold]).toEqual([
      'statewide',
      'county',
      'year',
      10,
    ]);
    expect(report.total.counts.served).toEqual({ value: servedIn(FY2026, () => true), suppressed: false });
    const hiddenCell = report.rows.flatMap((r) => Object.values(r.counts)).find((c) => c.suppressed);
    expect(hiddenCell).toEqual({ value: null, suppressed: true });
    expect(report.trend.length).toBeGreaterThan(1);
    // By default, the last ended fiscal year.
    const byDefault = ReportSchema.parse((await call(token, '/api/v1/reports/exits')).body);
    expect([byDefault.period.from, byDefault.period.to]).toEqual([lastYear.from, lastYear.to]);
  });

  it('answers 400 problem+json naming a bad parameter', async () => {
    const token = await tokenFor(evaluator, ['reports.aggregate']);
    for (const [query, field] of [
      ['from=2026-13-01&to=2026-06-30', 'from'],
      ['from=yesterday&to=2026-06-30', 'from'],
      ['from=2025-07-01&to=06/30/2026', 'to'],
      ['from=2026-01-01&to=2026-01-31', 'from'],
      ['from=2026-10-01&to=2026-12-31', 'to'],
      ['from=2025-07-01', 'to'],
      ['by=nosuch', 'by'],
      ['by=course', 'by'],
    ] as const) {
      const { res, body } = await call(token, `/api/v1/reports/youth_served?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(body.field, query).toBe(field);
    }
    const measure = await call(token, '/api/v1/reports/nosuch');
    expect(measure.res.status).toBe(400);
    expect(measure.body.field).toBe('measure');
  });

  it('refuses a token without the scope, and a role without reports', async () => {
    const other = await tokenFor(stateAdmin, ['people.list']);
    expect((await call(other, '/api/v1/reports/youth_served')).res.status).toBe(403);
    const host = await tokenFor(hostAdmin, ['reports.aggregate']);
    const own = await call(host, `/api/v1/reports/youth_served?from=${FY2026.from}&to=${FY2026.to}`);
    expect(own.res.status).toBe(200);
    expect(ReportSchema.parse(own.body).scope).toBe('region');
    const refusedByMeasure = await call(host, '/api/v1/reports/trainings');
    expect([refusedByMeasure.res.status, refusedByMeasure.body.field]).toEqual([400, 'measure']);
    const anonymous = await t.app.request('/api/v1/reports/youth_served');
    expect(anonymous.status).toBe(401);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    };
    const params = doc.paths['/api/v1/reports/{measure}']?.get?.parameters?.map((p) => p.name);
    expect(params).toEqual(expect.arrayContaining(['measure', 'from', 'to', 'by']));
  });
});

describe('the pages’ HTML', () => {
  it('is valid for the W3C Nu Html Checker, error states too', async () => {
    const urls = [
      `/staff/reports?measure=youth_served&period=${value(FY2026)}&by=race`,
      `/staff/reports?measure=referrals&period=${value(FY2025)}&by=service`,
      '/staff/reports?measure=nosuch&by=nosuch',
      `/staff/reports/biennial?period=${value(FY2026)}`,
      '/staff/reports/biennial?period=2026-01-01_2026-01-31',
      `/staff/reports/quality?period=${value(FY2026)}`,
    ];
    const pages: [string, string][] = [];
    for (const url of urls) pages.push([url, await (await get(evaluator, url)).text()]);
    pages.push(['host dashboard', await (await get(hostAdmin, '/staff/reports')).text()]);
    if (spawnSync('java', ['-version']).status !== 0) {
      if (process.env.CI) throw new Error('Java is needed to check HTML validity and CI must have it.');
      console.error('*** Java is missing: the evaluation pages were NOT checked for valid HTML. ***');
      return;
    }
    const vnu = join(
      createRequire(import.meta.url).resolve('vnu-jar/package.json'),
      '..',
      'build',
      'dist',
      'vnu.jar',
    );
    const dir = mkdtempSync(join(tmpdir(), 'nwd-eval-vnu-'));
    try {
      const files = pages.map(([, html], n) => {
        const file = join(dir, `page-${n}.html`);
        writeFileSync(file, html);
        return file;
      });
      const run = spawnSync('java', ['-Xss8m', '-jar', vnu, '--format', 'json', '--stdout', ...files], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      const messages = (
        JSON.parse(run.stdout) as { messages: { type: string; url?: string; message: string }[] }
      ).messages;
      const errors = messages
        .filter((m) => m.type === 'error' || m.type === 'non-document-error')
        .map((m) => `${pages[Number(/page-(\d+)/.exec(m.url ?? '')?.[1])]?.[0]}: ${m.message}`);
      expect(errors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('any query string', () => {
  it('never answers 500 from the pages, the downloads or the API', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        '',
        'youth_served',
        'trainings',
        'first_contact',
        'race',
        'county',
        'course',
        'none',
        'csv',
        'xlsx',
        'json',
        value(FY2025),
        value(FY2026),
        '2026-01-01_2026-01-31',
        '2030-02-30_2030-03-31',
        '0000-01-01_0000-03-31',
        '_',
        '\u0000',
        'x'.repeat(500),
      ),
    );
    const token = await (async () =>
      (
        await createApiToken(
          { db: t.deps.db, keyring: t.deps.keyring, site: t.deps.site },
          'system',
          { userId: evaluator.id, scopes: ['reports.aggregate'], expiresInDays: 1 },
          { ip: '192.0.2.1', userAgent: null },
        )
      ).token)();
    await fc.assert(
      fc.asyncProperty(
        fc.record({ measure: text, period: text, by: text, format: text }),
        fc.constantFrom(
          '/staff/reports',
          '/staff/reports/download',
          '/staff/reports/biennial',
          '/staff/reports/quality',
          'api',
        ),
        fc.constantFrom(evaluator, hostAdmin, providerAdmin),
        async (q, target, who) => {
          let res: Response;
          if (target === 'api') {
            const [from, to] = q.period.split('_');
            const search = new URLSearchParams({ from: from ?? '', to: to ?? '', by: q.by });
            res = await t.app.request(`/api/v1/reports/${encodeURIComponent(q.measure)}?${search}`, {
              headers: { Authorization: `Bearer ${token}` },
            });
          } else res = await get(who, `${target}?${new URLSearchParams(q)}`);
          await res.arrayBuffer();
          expect(res.status, `${target} ${JSON.stringify(q)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
  }, 180_000);
});
