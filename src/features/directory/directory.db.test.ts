import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { runNwd } from '../../../test/cli.ts';
import { PACK_FILES } from '../../pack/load.ts';
import { validateHsdsService } from './hsds-validate.ts';
import { FilterProblemView } from './views.tsx';

const FIXTURE = resolve('test/fixtures/synthetic-services.hsds.json');
const synthetic = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { contents: Record<string, any>[] };
const [circle, shelter] = synthetic.contents as [Record<string, any>, Record<string, any>];

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  const imported = await runNwd(['import-hsds', FIXTURE, '--source', 'synthetic test fixture'], {
    DATABASE_URL: t.database.url,
  });
  expect(imported.stderr).toBe('');
  expect(imported.stdout).toContain('Imported 2 services');
  expect(imported.code).toBe(0);
  await t.deps.geography.refresh();
});
afterAll(async () => {
  await t.close();
});

interface Page {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  contents: Record<string, any>[];
}

async function search(qs: string): Promise<Page> {
  const res = await t.app.request(`/api/v1/services?${qs}`);
  expect(res.status, qs).toBe(200);
  return (await res.json()) as Page;
}
const ids = (p: Page) => p.contents.map((s) => s.id as string);

describe('GET /api/v1/services', () => {
  it('filters by type, county (statewide services included), age, gender, language and population', async () => {
    const shelters = await search('type=shelter_housing');
    expect(shelters.total_items).toBeGreaterThanOrEqual(7);
    for (const s of shelters.contents) expect(JSON.stringify(s.attributes)).toContain('shelter_housing');

    const ramsey = ids(await search('county=Ramsey&perPage=100'));
    expect(ramsey).toContain(shelter.id);
    expect(ramsey).toContain(circle.id); // serves the whole state
    expect(ids(await search('county=27053&perPage=100'))).not.toContain(shelter.id);

    expect(ids(await search('age=13&type=shelter_housing&county=Ramsey'))).toContain(shelter.id);
    expect(ids(await search('age=19&type=shelter_housing&county=Ramsey'))).not.toContain(shelter.id);
    expect(ids(await search('gender=male&county=Ramsey&perPage=100'))).not.toContain(shelter.id);
    expect(ids(await search('gender=female&county=Ramsey&perPage=100'))).toContain(shelter.id);

    expect(ids(await search('language=so'))).toEqual([circle.id]);
    expect(ids(await search('culturallySpecific=true'))).toEqual([circle.id]);
    expect(ids(await search('lgbtqAffirming=true'))).toEqual([circle.id]);
    expect(ids(await search('q=somali'))).toEqual([circle.id]);
    const westMetro = await search('region=west-metro&type=navigator');
    expect(westMetro.contents.map((s) => s.name)).toEqual([expect.stringContaining('The Link')]);
  });

  it('pages through results', async () => {
    const all = await search('perPage=100');
    const first = await search('perPage=5&page=1');
    const second = await search('perPage=5&page=2');
    expect(first.total_items).toBe(all.total_items);
    expect(first.total_pages).toBe(Math.ceil(all.total_items / 5));
    expect([...ids(first), ...ids(second)]).toEqual(ids(all).slice(0, 10));
    const beyond = await search('perPage=5&page=999');
    expect(beyond.contents).toEqual([]);
  });

  it('rejects malformed filters with problem details naming the field', async () => {
    for (const [qs, field, status] of [
      ['age=old', 'age', 400],
      ['age=-1', 'age', 400],
      ['type=spa', 'type', 400],
      ['perPage=1000', 'perPage', 400],
      ['language=Somali', 'language', 400],
      ['county=Atlantis', 'county', 404],
      ['region=moon', 'region', 404],
    ] as const) {
      const res = await t.app.request(`/api/v1/services?${qs}`);
      expect(res.status, qs).toBe(status);
      const body = (await res.json()) as { field: string; detail: string };
      expect(body.field, qs).toBe(field);
    }
  });

  it('never publishes the address of a confidential location, and keeps provenance', async () => {
    const res = await t.app.request(`/api/v1/services/${shelter.id}`);
    const body = (await res.json()) as Record<string, any>;
    expect(JSON.stringify(body)).not.toContain('Synthetic Street');
    expect(JSON.stringify(body)).not.toContain('44.95');
    expect(body.provenance).toMatchObject({ source: 'synthetic test fixture', verified: false });
    // Not even stored: the address was dropped before it reached the database.
    const stored = await t.database.db
      .selectFrom('directory_services')
      .select('hsds')
      .where('id', '=', shelter.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored.hsds)).not.toContain('Synthetic Street');
    const page = await (await t.app.request(`/services/${shelter.id}`)).text();
    expect(page).not.toContain('Synthetic Street');
    expect(page).toContain('kept private');
  });

  it('exports every service as valid HSDS 3.1, through the API and the command', async () => {
    const res = await t.app.request('/api/v1/hsds/export');
    const doc = (await res.json()) as Page;
    expect(doc.total_items).toBe(doc.contents.length);
    expect(doc.total_items).toBeGreaterThanOrEqual(18);
    for (const s of doc.contents) expect(validateHsdsService(s), String(s.id)).toEqual({ valid: true });

    const dir = mkdtempSync(join(tmpdir(), 'nwd-export-'));
    const out = join(dir, 'directory.json');
    const cli = await runNwd(['export-hsds', '--out', out], { DATABASE_URL: t.database.url });
    expect(cli.code).toBe(0);
    const fromCli = JSON.parse(readFileSync(out, 'utf8')) as Page;
    expect(fromCli.contents.map((s) => s.id).sort()).toEqual(doc.contents.map((s) => s.id).sort());
  });
});

describe('nwd import-hsds and import-pack', () => {
  it('refuses an invalid HSDS file whole, naming the problem, and changes nothing', async () => {
    const before = await t.database.db
      .selectFrom('directory_services')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const dir = mkdtempSync(join(tmpdir(), 'nwd-bad-'));
    const bad = join(dir, 'bad.json');
    const good = { ...circle, id: '8b0d3a52-55b3-4d0f-9a52-7f6f0c1a0001', name: 'Would be new' };
    writeFileSync(bad, JSON.stringify([good, { id: 'not-a-uuid', name: 'Broken', status: 'active' }]));
    const r = await runNwd(['import-hsds', bad], { DATABASE_URL: t.database.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not valid HSDS 3.1; nothing was imported');
    expect(r.stderr).toContain('service 1 (not-a-uuid)');
    const after = await t.database.db
      .selectFrom('directory_services')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('reloads the pack and keeps services added by import-hsds', async () => {
    const r = await runNwd(['import-pack', resolve('data/mn')], { DATABASE_URL: t.database.url });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/87 counties, 8 regions/);
    const kept = await t.database.db
      .selectFrom('directory_services')
      .select('id')
      .where('id', '=', circle.id)
      .executeTakeFirst();
    expect(kept?.id).toBe(circle.id);
  });

  it('refuses a broken pack with the file and path of each problem, and keeps the data as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nwd-pack-'));
    for (const f of PACK_FILES) {
      writeFileSync(join(dir, f), readFileSync(resolve('data/mn', f)));
    }
    const regions = JSON.parse(readFileSync(join(dir, 'regions.json'), 'utf8')) as {
      counties: { fips: string }[];
    }[];
    (regions[0] as { counties: { fips: string }[] }).counties[0] = {
      ...(regions[0]?.counties[0] as { fips: string }),
      fips: '27999',
    };
    writeFileSync(join(dir, 'regions.json'), JSON.stringify(regions));
    const r = await runNwd(['import-pack', dir], { DATABASE_URL: t.database.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('27999');
    const n = await t.database.db
      .selectFrom('region_counties')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(87);
  });
});

describe('services pages', () => {
  it('lists, filters without JavaScript, and explains an empty result', async () => {
    const html = await (await t.app.request('/services?type=shelter_housing&county=27123')).text();
    expect(html).toContain('Synthetic confidential shelter');
    expect(html).toContain('<option value="27123" selected="">');
    const none = await (await t.app.request('/services?language=so&type=shelter_housing')).text();
    expect(none).toContain('No services match');
    const region = await (await t.app.request('/services?region=west-metro&type=navigator')).text();
    expect(region).toContain('<option value="west-metro" selected="">');
    expect(region).toContain('1 service');
    const bad = await t.app.request('/services?age=old');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('href="#age"');
  });

  it('shows a committed directory edit on the next request (searches are kept only for one state of the data)', async () => {
    const page = '/services?type=shelter_housing&county=27123';
    const api = 'county=Ramsey&perPage=100';
    expect(await (await t.app.request(page)).text()).toContain('Synthetic confidential shelter');
    expect(JSON.stringify(await search(api))).toContain('Synthetic confidential shelter');
    const renamed = 'Synthetic shelter renamed by a steward';
    const before = await t.database.db
      .selectFrom('directory_services')
      .select('name')
      .where('id', '=', shelter.id)
      .executeTakeFirstOrThrow();
    const rename = async (name: string) => {
      await t.database.db
        .updateTable('directory_services')
        .set({ name, hsds: sql`jsonb_set(hsds, '{name}', to_jsonb(${name}::text))` })
        .where('id', '=', shelter.id)
        .execute();
      await t.database.db
        .updateTable('data_versions')
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .where('name', '=', 'directory')
        .execute();
    };
    await rename(renamed);
    try {
      expect(await (await t.app.request(page)).text()).toContain(renamed);
      expect(JSON.stringify(await search(api))).toContain(renamed);
    } finally {
      await rename(before.name);
    }
    expect(await (await t.app.request(page)).text()).not.toContain(renamed);
  });

  it('offers exactly the languages the directory holds, by name', async () => {
    const held = await t.database.db
      .selectFrom('directory_services')
      .select((eb) => eb.fn<string>('unnest', [eb.ref('languages')]).as('code'))
      .distinct()
      .execute();
    expect(held.map((r) => r.code)).toContain('so');
    const html = await (await t.app.request('/services')).text();
    const select = /<select id="language"[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1] ?? '';
    const offered = [...select.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]).filter(Boolean);
    expect(offered.sort()).toEqual(held.map((r) => r.code).sort());
    expect(select).toContain('>Somali</option>');
    // A language no service holds is not offered, and with none held there is no language filter.
    expect(select).not.toContain('Hmong');
    const problem = { ok: false, status: 400, field: 'age', detail: 'x' } as const;
    const geo = t.deps.geography.get();
    expect(String(await FilterProblemView({ geo, problem, languages: [] }))).not.toContain('id="language"');
    expect(String(await FilterProblemView({ geo, problem, languages: ['kar', 'om'] }))).toMatch(
      /<option value="kar">Karen<\/option><option value="om">Oromo<\/option>/,
    );
  });

  it('answers a page past the end with the last page, never a count above an empty list', async () => {
    const all = await search('perPage=100');
    const perPage = 5;
    const last = Math.ceil(all.total_items / perPage);
    const html = await (await t.app.request(`/services?perPage=${perPage}&page=999`)).text();
    expect(html).toContain(`page ${last} of ${last}`);
    expect(html).toContain('There is no page 999.');
    const onLast = await (await t.app.request(`/services?perPage=${perPage}&page=${last}`)).text();
    const names = (page: string) => [...page.matchAll(/<h3><a href="\/services\/([^"]+)"/g)].map((m) => m[1]);
    expect(names(html)).toEqual(names(onLast));
    expect(names(html).length).toBeGreaterThan(0);
    const one = await (await t.app.request('/services?page=99')).text();
    expect(one).toContain('There is no page 99. Here are all the results.');
    expect(names(one).length).toBeGreaterThan(0);
  });

  it('lists a training for professionals only when trainings are asked for', async () => {
    const streetworks = 'StreetWorks Safe Harbor trainings';
    const everything = await search('perPage=100');
    expect(everything.contents.map((s) => s.name)).not.toContain(streetworks);
    expect((await search('perPage=100&county=Ramsey')).contents.map((s) => s.name)).not.toContain(
      streetworks,
    );
    expect((await search('age=15&perPage=100')).contents.map((s) => s.name)).not.toContain(streetworks);
    const trainings = await search('type=training');
    expect(trainings.contents.map((s) => s.name)).toEqual([streetworks]);
    const page = await (await t.app.request('/services?perPage=100')).text();
    expect(page).not.toContain(streetworks);
    const asked = await (await t.app.request('/services?type=training')).text();
    expect(asked).toContain(streetworks);
    expect(asked).toContain('These are not services for young people.');
    // Still part of the directory as HSDS.
    const exported = (await (await t.app.request('/api/v1/hsds/export')).json()) as Page;
    expect(exported.contents.map((s) => s.name)).toContain(streetworks);
  });

  it('shows one service, with the statewide line when its contacts are unknown', async () => {
    const circlePage = await (await t.app.request(`/services/${circle.id}`)).text();
    expect(circlePage).toContain('tel:555-555-0142'.replace(/-/g, ''));
    expect(circlePage).toContain('Somali');
    const missing = await t.app.request('/services/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
  });
});
