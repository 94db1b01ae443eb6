import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { pageWith, expectAll } from '../../../test/coordination.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

async function json(
  path: string,
): Promise<{ status: number; type: string | null; body: Record<string, unknown> }> {
  const res = await t.app.request(path);
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

describe('GET /api/v1/navigators', () => {
  it('answers a county by name with its region, provenance and the statewide line', async () => {
    const { status, body } = await json('/api/v1/navigators?county=hennepin');
    expect(status).toBe(200);
    const result = (body.results as Record<string, any>[])[0];
    expect(result?.county).toEqual({ fips: '27053', name: 'Hennepin', slug: 'hennepin' });
    expect(result?.region).toMatchObject({ id: 'west-metro', name: 'West Metro', verified: true });
    expect(result?.region.source).toMatch(/\S/);
    expect(result?.navigator).toMatchObject({ id: expect.any(String), name: 'The Link' });
    expect(body.statewide).toMatchObject({ id: 'day-one', call: { dial: '+18662231111' } });
    expect(body.emergency).toMatchObject({ id: 'emergency-911' });
  });

  it('answers a county by FIPS code and by "St." or "Saint"', async () => {
    for (const q of ['27137', 'St.%20Louis', 'saint%20louis', 'ST%20LOUIS%20COUNTY']) {
      const { status, body } = await json(`/api/v1/navigators?county=${q}`);
      expect(status, q).toBe(200);
      expect((body.results as { county: { fips: string } }[])[0]?.county.fips).toBe('27137');
    }
  });

  it('puts the statewide line first for a county whose region is not confirmed', async () => {
    const { body } = await json('/api/v1/navigators?county=Ramsey');
    const result = (body.results as Record<string, any>[])[0];
    expect(result?.region.verified).toBe(false);
    expect(result?.confirmed).toBe(false);
    expect(result?.contactFirst).toBe('statewide');
  });

  it('confirms a navigator only once its contact details are known (Beltrami: Northwest, whose host has none listed)', async () => {
    const before = await json('/api/v1/navigators?county=Beltrami');
    expect((before.body.results as Record<string, any>[])[0]?.contactFirst).toBe('statewide');
    const org = (before.body.results as Record<string, any>[])[0]?.navigator.id as string;
    await t.database.db
      .updateTable('organizations')
      .set({
        phones: JSON.stringify([
          { dial: '+15555550100', display: '555-555-0100', description: 'synthetic test number' },
        ]),
        verified: true,
      })
      .where('id', '=', org)
      .execute();
    await t.database.db
      .updateTable('data_versions')
      .set({ version: 999 })
      .where('name', '=', 'geography')
      .execute();
    expect(await t.deps.geography.refresh()).toBe(true);
    const after = await json('/api/v1/navigators?county=Beltrami');
    expect((after.body.results as Record<string, any>[])[0]).toMatchObject({
      confirmed: true,
      contactFirst: 'navigator',
    });
    const page = await (await t.app.request('/navigator?county=27007')).text();
    expect(page).toContain('tel:+15555550100');
    const card = page.indexOf('<section class="card"');
    expect(page.indexOf('555-555-0100', card)).toBeGreaterThan(card);
    expect(page.indexOf('555-555-0100', card)).toBeLessThan(page.indexOf('1-866-223-1111', card));
  });

  it('answers a ZIP code in one county, and asks about a ZIP code in several', async () => {
    const one = await json('/api/v1/navigators?zip=55401');
    expect(one.body.ambiguous).toBe(false);
    expect((one.body.results as { county: { name: string } }[]).map((r) => r.county.name)).toEqual([
      'Hennepin',
    ]);
    const several = await json('/api/v1/navigators?zip=55009');
    expect(several.body.ambiguous).toBe(true);
    const names = (several.body.results as { county: { name: string }; share: number }[]).map(
      (r) => r.county.name,
    );
    expect(names.length).toBeGreaterThan(1);
  });

  it('answers malformed input with 400 and unknown places with 404, as problem details naming the field', async () => {
    const cases: [string, number, string][] = [
      ['/api/v1/navigators', 400, 'county'],
      ['/api/v1/navigators?zip=5540', 400, 'zip'],
      ['/api/v1/navigators?zip=abcde', 400, 'zip'],
      ['/api/v1/navigators?county=%3Cscript%3E', 400, 'county'],
      ['/api/v1/navigators?county=Hennepin&zip=55401', 400, 'zip'],
      ['/api/v1/navigators?county=Hennepin&asOf=yesterday', 400, 'asOf'],
      ['/api/v1/navigators?zip=10001', 404, 'zip'],
      ['/api/v1/navigators?county=Atlantis', 404, 'county'],
      ['/api/v1/navigators?county=27999', 404, 'county'],
    ];
    for (const [path, status, field] of cases) {
      const r = await json(path);
      expect(r.status, path).toBe(status);
      expect(r.type, path).toMatch(/^application\/problem\+json/);
      expect(r.body.field, path).toBe(field);
      expect(String(r.body.detail).length, path).toBeGreaterThan(10);
    }
    const misspelt = await json('/api/v1/navigators?county=Henepin');
    expect(misspelt.body.suggestions).toContain('Hennepin');
  });
});

describe('help pages', () => {
  it('home offers tap-to-call and tap-to-text for every line, the search and the ways in', async () => {
    const html = await (await t.app.request('/')).text();
    expectAll(html, [
      'href="tel:911"',
      'href="tel:+18662231111"',
      'href="sms:+16123999995"',
      'href="tel:+18883737888"',
      'href="sms:233733"',
    ]);
    expect(html).toMatch(/<form method="get" action="\/navigator"/);
    for (const text of ['Something is happening to me', 'worried about a friend', 'I work with young people'])
      expect(html).toContain(text);
    expect((html.match(/<option value="27\d{3}"/g) ?? []).length).toBe(87);
  });

  it.each(['/navigator?county=27053', '/services?county=27123'])(
    '%s is kept once and sent with each response its own nonce, the one its policy names',
    async (path) => {
      const pages = await Promise.all([1, 2, 3].map(() => t.app.request(path)));
      const seen = await Promise.all(
        pages.map(async (res) => {
          const html = await res.text();
          const policyNonce = /'nonce-([^']+)'/.exec(res.headers.get('Content-Security-Policy') ?? '')?.[1];
          const used = [...html.matchAll(/ nonce="([^"]+)"/g)].map((m) => m[1]);
          expect(res.status).toBe(200);
          expect(policyNonce).toBeTruthy();
          // The style sheet and the quick-exit script, both under this response's nonce.
          expect(used.length).toBeGreaterThanOrEqual(2);
          expect(new Set(used)).toEqual(new Set([policyNonce]));
          return { nonce: policyNonce!, html };
        }),
      );
      expect(new Set(seen.map((p) => p.nonce)).size).toBe(3);
      // Apart from the nonce, the same page.
      const same = seen.map((p) => p.html.split(p.nonce).join('NONCE'));
      expect(new Set(same).size).toBe(1);
    },
  );

  it('navigator page: the statewide line comes first when a region is not confirmed', async () => {
    const res = await t.app.request('/navigator?county=Ramsey');
    const html = await res.text();
    expect(res.status).toBe(200);
    const main = html.slice(html.indexOf('<main'));
    // One plain sentence says why, the statewide line comes before any likely navigator, and no
    // source note or internal word reaches the public page.
    expect(main).toContain('Day One can connect you now.');
    expect(main.indexOf('Day One can connect you now.')).toBeLessThan(main.indexOf('tel:+18662231111'));
    expect(main).not.toMatch(/Source:|not confirmed\)|seed \d|DOMAIN|domain notes|§/);
  });

  it('navigator page: a ZIP code in several counties asks which one', async () => {
    const html = await (await t.app.request('/navigator?q=55009')).text();
    expect(html).toContain('Choose your county');
    expect((html.match(/href="\/navigator\?county=27\d{3}"/g) ?? []).length).toBeGreaterThan(1);
  });

  it('navigator page: finds a city, and says so kindly when nothing matches', async () => {
    // The Census places Duluth in St. Louis County alone: answered at once.
    const duluth = await (await t.app.request('/navigator?q=Duluth')).text();
    expect(duluth).toContain('<h1>Your navigator: St. Louis County</h1>');
    await pageWith(await t.app.request('/navigator?q=Atlantiss'), 404, [
      'We could not find',
      'aria-invalid="true"',
    ]);
    const bad = await t.app.request('/navigator?q=%3C%3E%3C');
    expect(bad.status).toBe(400);
    expect(await bad.text()).not.toContain('<><');
  });

  it('navigator page: finds the big cities by name in any common spelling', async () => {
    for (const [q, county] of [
      ['Brooklyn Park', 'Hennepin'],
      ['bloomington', 'Hennepin'],
      ['Plymouth, MN', 'Hennepin'],
      ['Eagan', 'Dakota'],
      ['Woodbury', 'Washington'],
      ['EDINA', 'Hennepin'],
      ['St Paul', 'Ramsey'],
      ['Saint  Paul', 'Ramsey'],
      ['Afton Township', 'Washington'],
    ] as const) {
      const res = await t.app.request(`/navigator?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
      expect(await res.text(), q).toContain(`<h1>Your navigator: ${county} County</h1>`);
    }
  });

  it('navigator page: a place in several counties asks which, listing each as a link', async () => {
    const html = await pageWith(await t.app.request('/navigator?q=Hastings'), 200, [
      '<h1>Which county?</h1>',
      'Hastings is in more than one county',
      'href="/navigator?county=27037">Dakota County',
      'href="/navigator?county=27163">Washington County',
    ]);
    // "Ramsey" is a county and a city in Anoka County: both offered, the city named.
    const ramsey = await (await t.app.request('/navigator?q=Ramsey')).text();
    expect(ramsey).toContain('href="/navigator?county=27123">Ramsey County');
    expect(ramsey).toMatch(/href="\/navigator\?county=27003">Anoka County<span class="sub">Ramsey<\/span>/);
    // The full help box is not repeated on the answer: the emergency line stays.
    expect(html).not.toContain('Need help now?');
    expect(html).toContain('href="tel:911"');
  });
});
