/**
 * Finding a case against a database: case numbers per region and year (consecutive under concurrency,
 * none lost to a rolled-back transaction), search by number, name and date of birth through blind
 * indexes (never beyond the person's regions), the terms kept up to date on edit and removed on purge,
 * the backfill of older cases, filters, cursor pages both ways, the audit without the search text, and
 * the API. Synthetic data only.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { expectAll } from '../../../test/coordination.ts';
import { addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { caseContext, sealPersonal } from './core.ts';
import { backfillSearchTerms } from './search.ts';
import {
  closeCase,
  getCase,
  listCases,
  openCase,
  updateCaseDetails,
  type CaseServiceContext,
} from './service.ts';
import { CaseInputError } from './schema.ts';

let t: TestApp;
let ctx: CaseServiceContext;
let west: TestStaff;
let southeast: TestStaff;
let admin: TestStaff;
const origin = { ip: '192.0.2.20', userAgent: 'vitest' };
const NOW = new Date('2026-11-24T15:00:00Z');
const http = staffRequests(() => t);

beforeAll(async () => {
  t = await testApp();
  ctx = { ...caseContext(t.deps), now: () => NOW };
  west = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic West' });
  southeast = await addStaff(t.deps, 'navigator', ['southeast'], { name: 'Synthetic Southeast' });
  admin = await addStaff(t.deps, 'state_admin', [], { name: 'Synthetic Admin' });
});
afterAll(async () => {
  await t.close();
});

const numberOf = async (id: string) => (await getCase(ctx, admin.actor, id, origin)).caseNumber;
const terms = (caseId: string) =>
  t.deps.db
    .selectFrom('case_search_terms')
    .select(['kind', 'digest'])
    .where('case_id', '=', caseId)
    .orderBy('kind')
    .execute();
const ids = (list: { cases: { id: string }[] }) => list.cases.map((c) => c.id);

describe('case numbers', () => {
  it('numbers cases opened at once in one region consecutively, without gaps or repeats', async () => {
    const central = await addStaff(t.deps, 'navigator', ['central'], { name: 'Synthetic Central' });
    const opened = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        openCase(ctx, central.actor, { chosenName: `Synthetic Parallel ${i}` }, origin),
      ),
    );
    const numbers = opened.map((o) => o.caseNumber).sort();
    expect(numbers).toEqual(
      Array.from({ length: 12 }, (_, i) => `CE-2026-${String(i + 1).padStart(4, '0')}`),
    );
    expect(await numberOf(opened[0]!.id)).toBe(opened[0]!.caseNumber);
    const counter = await t.deps.db
      .selectFrom('case_number_counters')
      .selectAll()
      .where('region_id', '=', 'central')
      .executeTakeFirstOrThrow();
    expect(counter).toEqual({ region_id: 'central', year: 2026, last_number: 12 });
  });

  it('gives a rolled-back case’s number to the next case, and starts again at 1 in a new year and region', async () => {
    const ne = await addStaff(t.deps, 'navigator', ['northeast'], { name: 'Synthetic Northeast' });
    const first = await openCase(ctx, ne.actor, { chosenName: 'Synthetic First' }, origin);
    expect(first.caseNumber).toBe('NE-2026-0001');
    await expect(
      t.deps.db.transaction().execute(async (trx) => {
        const id = randomUUID();
        await trx
          .insertInto('cases')
          .values({
            id,
            jurisdiction: 'mn',
            region_id: 'northeast',
            age_band: 'unknown',
            personal_encrypted: await sealPersonal(
              t.deps.keyring,
              id,
              {
                chosenName: 'Synthetic Rolled Back',
                legalName: null,
                dateOfBirth: null,
                age: null,
                pronouns: null,
                genderIdentity: [],
                raceEthnicity: [],
                sexualOrientation: null,
                languages: [],
                tribalAffiliation: null,
                safeContact: { method: null, value: null, times: null, codeWord: null },
              },
              trx,
            ),
          })
          .execute();
        throw new Error('synthetic failure after the insert');
      }),
    ).rejects.toThrow('synthetic failure');
    const second = await openCase(ctx, ne.actor, { chosenName: 'Synthetic Second' }, origin);
    expect(second.caseNumber).toBe('NE-2026-0002');
    // The year is the jurisdiction's: 05:30 UTC on 1 January is still 31 December in Minnesota.
    const newYearsEve = { ...ctx, now: () => new Date('2027-01-01T05:30:00Z') };
    const late = await openCase(newYearsEve, ne.actor, { chosenName: 'Synthetic Late' }, origin);
    expect(late.caseNumber).toBe('NE-2026-0003');
    const newYear = { ...ctx, now: () => new Date('2027-01-01T06:30:00Z') };
    const next = await openCase(newYear, ne.actor, { chosenName: 'Synthetic New Year' }, origin);
    expect(next.caseNumber).toBe('NE-2027-0001');
  });
});

describe('search', () => {
  let westCase: string;
  let westNumber: string;
  let seCase: string;
  let seNumber: string;

  beforeAll(async () => {
    const a = await openCase(
      ctx,
      west.actor,
      { chosenName: 'José Álvarez', legalName: 'Synthetic Legal Person', dateOfBirth: '2009-04-12' },
      origin,
    );
    const b = await openCase(
      ctx,
      southeast.actor,
      { chosenName: 'Jose Alvarez', dateOfBirth: '2009-04-12' },
      origin,
    );
    ({ id: westCase, caseNumber: westNumber } = a);
    ({ id: seCase, caseNumber: seNumber } = b);
  });

  it('finds a case by number, by chosen or legal name and by date of birth, whatever the accents, capitals and spacing', async () => {
    const find = async (q: string, who = west) => ids(await listCases(ctx, who.actor, { q }, origin));
    expect(westNumber).toMatch(/^WM-2026-\d{4}$/);
    expect(await find(westNumber)).toEqual([westCase]);
    expect(await find(westNumber.toLowerCase().replace(/-0+/, '-'))).toEqual([westCase]);
    expect(await find('jose alvarez')).toEqual([westCase]);
    expect(await find('  JOSÉ    ÁLVAREZ ')).toEqual([westCase]);
    expect(await find('synthetic legal person')).toEqual([westCase]);
    expect(await find('2009-04-12')).toEqual([westCase]);
    expect(await find('04/12/2009')).toEqual([westCase]);
    // Exact names only: a part of the name finds nothing.
    expect(await find('José')).toEqual([]);
    expect(await find('2009-04-13')).toEqual([]);
  });

  it('never finds a case outside the person’s regions, not even by its number', async () => {
    const find = async (q: string, who: TestStaff) => ids(await listCases(ctx, who.actor, { q }, origin));
    expect(await find(seNumber, west)).toEqual([]);
    expect(await find('Jose Alvarez', southeast)).toEqual([seCase]);
    expect(await find(westNumber, southeast)).toEqual([]);
    expect(new Set(await find('jose alvarez', admin))).toEqual(new Set([westCase, seCase]));
    // A region filter outside the person's regions is refused, not answered.
    await expect(
      listCases(ctx, west.actor, { q: 'jose alvarez', region: 'southeast' }, origin),
    ).rejects.toBeInstanceOf(CaseInputError);
  });

  it('finds closed cases too, unless the status filter says otherwise', async () => {
    const { id, caseNumber } = await openCase(
      ctx,
      west.actor,
      { chosenName: 'Synthetic Closed One' },
      origin,
    );
    await closeCase(ctx, west.actor, id, { reason: 'goals_met', exitHousing: 'own_place' }, origin);
    expect(ids(await listCases(ctx, west.actor, { q: caseNumber }, origin))).toEqual([id]);
    expect(ids(await listCases(ctx, west.actor, { q: caseNumber, status: 'open' }, origin))).toEqual([]);
  });

  it('keeps the terms up to date when the details change, and removes them when the case is purged', async () => {
    const { id } = await openCase(
      ctx,
      west.actor,
      { chosenName: 'Synthetic Before', dateOfBirth: '2008-01-02' },
      origin,
    );
    expect((await terms(id)).map((x) => x.kind)).toEqual(['chosen_name', 'date_of_birth']);
    await updateCaseDetails(
      ctx,
      west.actor,
      id,
      { chosenName: 'Synthetic After', legalName: 'Synthetic Legal After', dateOfBirth: '2008-01-03' },
      origin,
    );
    const find = async (q: string) => ids(await listCases(ctx, west.actor, { q }, origin));
    expect(await find('Synthetic Before')).toEqual([]);
    expect(await find('2008-01-02')).toEqual([]);
    expect(await find('synthetic after')).toEqual([id]);
    expect(await find('synthetic legal after')).toEqual([id]);
    expect(await find('2008-01-03')).toEqual([id]);
    expect((await terms(id)).map((x) => x.kind)).toEqual(['chosen_name', 'date_of_birth', 'legal_name']);

    await t.deps.db
      .updateTable('cases')
      .set({ status: 'closed', closed_at: NOW, purged_at: NOW })
      .where('id', '=', id)
      .execute();
    expect(await terms(id)).toEqual([]);
  });

  it('fills in the terms of cases that have none, once', async () => {
    await t.deps.db.deleteFrom('case_search_terms').where('case_id', 'in', [westCase, seCase]).execute();
    expect(ids(await listCases(ctx, west.actor, { q: 'jose alvarez' }, origin))).toEqual([]);
    expect(await backfillSearchTerms(t.deps, { batchSize: 1 })).toBe(2);
    expect(ids(await listCases(ctx, west.actor, { q: 'jose alvarez' }, origin))).toEqual([westCase]);
    expect((await terms(westCase)).map((x) => x.kind)).toEqual([
      'chosen_name',
      'date_of_birth',
      'legal_name',
    ]);
    expect(await backfillSearchTerms(t.deps)).toBe(0);
  });

  it('records that a search happened and how many it found, never what was searched for', async () => {
    const before = await t.deps.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirstOrThrow();
    await listCases(ctx, west.actor, { q: 'José Álvarez' }, origin);
    await listCases(ctx, west.actor, { q: '04/12/2009' }, origin);
    await listCases(ctx, west.actor, { q: 'Nobody Synthetic' }, origin);
    const rows = await t.deps.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('seq', '>', before.seq ?? 0)
      .where('actor_user_id', '=', west.id)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['case.list', 'case.list', 'case.list']);
    expect(rows.map((r) => (r.details as { results: number }).results)).toEqual([1, 1, 0]);
    expect(rows[0]!.details).toMatchObject({ search: true, results: 1, cases: [westCase] });
    const text = JSON.stringify(rows).toLowerCase();
    for (const word of ['jose', 'josé', 'alvarez', 'nobody', '2009', '04/12'])
      expect(text).not.toContain(word);
  });

  it('refuses a date of birth that does not exist, naming the search box', async () => {
    await expect(listCases(ctx, west.actor, { q: '2009-02-30' }, origin)).rejects.toMatchObject({
      field: 'q',
    });
  });
});

describe('filters and pages', () => {
  let sw: TestStaff;
  const opened: { id: string; caseNumber: string }[] = [];

  beforeAll(async () => {
    sw = await addStaff(t.deps, 'navigator', ['southwest'], { name: 'Synthetic Southwest' });
    const mate = await addStaff(t.deps, 'navigator', ['southwest'], { name: 'Synthetic Mate' });
    for (let i = 0; i < 8; i++) {
      const at = new Date(NOW.getTime() - (8 - i) * 86_400_000);
      const who = i % 2 ? mate : sw;
      opened.push(
        await openCase(
          { ...ctx, now: () => at },
          who.actor,
          { chosenName: `Synthetic Page ${i}`, ...(i < 4 ? { age: 16 } : { age: 20 }), countyFips: '27013' },
          origin,
        ),
      );
    }
  });

  it('pages forwards and back by cursor, in every order, without losing or repeating a case', async () => {
    for (const sort of ['opened', 'number', 'activity'] as const) {
      const filters = { view: 'open' as const, sort, limit: 3 };
      const pages: string[][] = [];
      const cursors: (string | null)[] = [];
      let after: string | null = null;
      do {
        const page = await listCases(ctx, sw.actor, { ...filters, after }, origin);
        expect(page.total).toBe(8);
        pages.push(ids(page));
        cursors.push(page.previous ?? null);
        after = page.next;
      } while (after);
      expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
      expect(pages.flat()).toEqual([...opened].reverse().map((o) => o.id));
      expect(cursors[0]).toBeNull();
      // Back from the last page: the same middle page, then the first with no previous page.
      const middle = await listCases(ctx, sw.actor, { ...filters, before: cursors[2] }, origin);
      expect(ids(middle)).toEqual(pages[1]);
      const first = await listCases(ctx, sw.actor, { ...filters, before: middle.previous }, origin);
      expect(ids(first)).toEqual(pages[0]);
      expect(first.previous).toBeNull();
      expect(first.next).not.toBeNull();
    }
  });

  it('keeps the next page where it was when a newer case is opened between pages', async () => {
    const first = await listCases(ctx, sw.actor, { view: 'open', limit: 4 }, origin);
    const extra = await openCase(ctx, sw.actor, { chosenName: 'Synthetic Newer', age: 15 }, origin);
    const second = await listCases(ctx, sw.actor, { view: 'open', limit: 4, after: first.next }, origin);
    expect([...ids(first), ...ids(second)]).toEqual([...opened].reverse().map((o) => o.id));
    await closeCase(ctx, sw.actor, extra.id, { reason: 'goals_met', exitHousing: 'own_place' }, origin);
  });

  it('filters by assigned, age, county and last activity', async () => {
    const get = async (filters: Parameters<typeof listCases>[2]) =>
      new Set(ids(await listCases(ctx, sw.actor, { view: 'open', ...filters }, origin)));
    const all = opened.map((o) => o.id);
    expect(await get({ assigned: 'me' })).toEqual(new Set(all.filter((_, i) => i % 2 === 0)));
    expect(await get({ assigned: 'anyone' })).toEqual(new Set(all));
    expect(await get({ assigned: 'nobody' })).toEqual(new Set());
    expect(await get({ ageBand: 'under18' })).toEqual(new Set(all.slice(0, 4)));
    expect(await get({ ageBand: '18to24', county: '27013' })).toEqual(new Set(all.slice(4)));
    expect(await get({ county: '27053' })).toEqual(new Set());
    // Opened (and last changed) 1 to 8 days ago: within 7 days are the last seven.
    expect(await get({ activity: '7' })).toEqual(new Set(all.slice(1)));
  });

  it('refuses a cursor of another order or one it did not make, and a closing-date order of open cases', async () => {
    const page = await listCases(ctx, sw.actor, { view: 'open', sort: 'number', limit: 3 }, origin);
    await expect(
      listCases(ctx, sw.actor, { view: 'open', sort: 'opened', after: page.next }, origin),
    ).rejects.toMatchObject({ field: 'after' });
    await expect(listCases(ctx, sw.actor, { after: 'bm90IGEgY3Vyc29y' }, origin)).rejects.toMatchObject({
      field: 'after',
    });
    await expect(listCases(ctx, sw.actor, { view: 'open', sort: 'closed' }, origin)).rejects.toMatchObject({
      field: 'sort',
    });
  });
});

describe('the page and the API', () => {
  it('finds a case by number on /staff/cases and shows its number on the list and the case page', async () => {
    const { id, caseNumber } = await openCase(ctx, west.actor, { chosenName: 'Synthetic Page Find' }, origin);
    const res = await http.get(west, `/staff/cases?q=${encodeURIComponent(caseNumber)}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expectAll(html, ['Synthetic Page Find', caseNumber, '1 case found']);
    const page = await (await http.get(west, `/staff/cases/${id}`)).text();
    expect(page).toContain(caseNumber);
    expect((await http.get(west, '/staff/cases?q=2009-02-30')).status).toBe(400);
    expect((await http.get(west, '/staff/cases?status=everything')).status).toBe(400);
  });

  it('GET /api/v1/cases searches with the same scope and refuses bad parameters with a problem naming them', async () => {
    const { id, caseNumber } = await openCase(ctx, west.actor, { chosenName: 'Synthetic Api Find' }, origin);
    const { cookie } = await http.session(west);
    const get = (query: string) => t.app.request(`/api/v1/cases?${query}`, { headers: { Cookie: cookie } });
    const found = await get(`q=${encodeURIComponent('synthetic api find')}`);
    expect(found.status).toBe(200);
    const body = (await found.json()) as { cases: { id: string; caseNumber: string }[]; total: number };
    expect(body.cases.map((c) => [c.id, c.caseNumber])).toEqual([[id, caseNumber]]);
    expect(body.total).toBe(1);
    const { cookie: seCookie } = await http.session(southeast);
    const hidden = await t.app.request(`/api/v1/cases?q=${caseNumber}`, { headers: { Cookie: seCookie } });
    expect(((await hidden.json()) as { cases: unknown[] }).cases).toEqual([]);
    for (const [query, field] of [
      ['status=everything', 'status'],
      ['after=zzz', 'after'],
      ['q=2009-02-30', 'q'],
      ['region=southeast', 'region'],
      ['sort=closed&status=open', 'sort'],
    ] as const) {
      const res = await get(query);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { field?: string }).field).toBe(field);
    }
    expect((await get('unknown=1')).status).toBe(400);
  });
});
