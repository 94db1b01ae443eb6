/**
 * `/identify` through the application: every step, answers carried in hidden fields, errors tied to
 * their fields, Back, the result with absolute deadlines, the print view and the referral hand-off; a
 * changed hidden field answers a clear page, never a 500; nothing is stored, logged or set as a cookie.
 */
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { expectAll } from '../../../test/coordination.ts';
import { ScreeningHandoffSchema } from '../pathway/types.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const KEY = 'safe-harbor-indicators:2026.12.1';

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The hidden fields of the first form posting to `action`, as a browser would send them. */
function hiddenFields(html: string, action = '/identify'): [string, string][] {
  const start = html.indexOf(`<form method="post" action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  return [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)].map((m) => [
    m[1]!,
    unescape(m[2]!),
  ]);
}

function post(fields: [string, string][]): Promise<Response> {
  return Promise.resolve(
    t.app.request('/identify', {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    }),
  );
}

/** Answers the page shown in `html` and presses a button, as a person would. */
async function answer(
  html: string,
  values: [string, string][],
  go: 'next' | 'back' | 'print' = 'next',
): Promise<{ res: Response; html: string }> {
  const res = await post([...hiddenFields(html), ...values, ['go', go]]);
  return { res, html: await res.text() };
}

const PAGES: [string, [string, string][]][] = [
  ['Safety first', [['a.danger_now', 'no']]],
  ['About you', [['a.reporter_role', 'education']]],
  [
    'About the young person',
    [
      ['a.age', '15'],
      ['a.county', ''],
      ['zip.county', '55401'],
    ],
  ],
  [
    'Care and going missing',
    [
      ['a.in_care', 'no'],
      ['a.missing_now', 'no'],
      ['a.found_after_missing', 'no'],
      ['a.foreign_national', 'no'],
    ],
  ],
  [
    'What may be happening',
    [
      ['a.exchange', 'yes'],
      ['a.third_party', 'unknown'],
      ['a.caregiver', 'no'],
      ['a.labor', 'no'],
    ],
  ],
  [
    'What makes them vulnerable',
    [
      ['a.risk_factors', 'homeless_or_runaway'],
      ['a.risk_factors', 'young_age'],
    ],
  ],
];

async function walk(pages = PAGES): Promise<string> {
  let html = await (await t.app.request('/identify')).text();
  for (const [, values] of pages) {
    const next = await answer(html, values);
    expect(next.res.status, next.html.slice(0, 200)).toBe(200);
    html = next.html;
  }
  return html;
}

async function tableCounts(): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
  `.execute(t.deps.db);
  const out: Record<string, number> = {};
  for (const { table_name } of tables.rows) {
    const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(table_name)}`.execute(t.deps.db);
    out[table_name] = Number(r.rows[0]?.n);
  }
  return out;
}

describe('the first page', () => {
  it('starts the checklist with its banner, asks for no name, and keeps the public budgets', async () => {
    const res = await t.app.request('/identify', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBeLessThanOrEqual(14 * 1024);
    const html = gunzipSync(body).toString('utf8');
    expectAll(html, [
      '<h1>Safety first</h1>',
      'Step 1 of 6',
      'not a validated screening instrument',
      'It never labels a young person',
      'we keep nothing you enter',
      'id="quick-exit"',
      'href="tel:911"',
    ]);
    expect(html).toMatch(
      /<fieldset class="q" id="f-danger_now"[^>]*>\s*<legend>Is the young person in danger/,
    );
    expect(html).not.toMatch(/name="[^"]*name[^"]*"/i);
    expect(hiddenFields(html)).toEqual([
      ['instrument', KEY],
      ['step', '1'],
    ]);
  });
});

describe('walking through the steps', () => {
  it('shows one group per page, in order, carrying every earlier answer in hidden fields', async () => {
    let html = await (await t.app.request('/identify')).text();
    for (const [n, [title, values]] of PAGES.entries()) {
      expect(html).toContain(`<h1>${title}</h1>`);
      expect(html).toContain(`Step ${n + 1} of 6`);
      const next = await answer(html, values);
      expect(next.res.status).toBe(200);
      expect(next.res.headers.get('set-cookie')).toBeNull();
      html = next.html;
      if (n + 1 < PAGES.length) {
        const carried = hiddenFields(html).filter(([k]) => k.startsWith('a.'));
        // Every answer so far travels on; the ZIP code is carried as its county.
        const expected = PAGES.slice(0, n + 1)
          .flatMap(([, v]) => v)
          .filter(([k, v]) => k.startsWith('a.') && v !== '');
        for (const pair of expected) expect(carried).toContainEqual(pair);
        if (n >= 2) expect(carried).toContainEqual(['a.county', '27053']);
      }
    }
    expect(html).toContain('<h1>What to do next</h1>');
  });

  it('goes back a page with its answers still chosen', async () => {
    let html = await (await t.app.request('/identify')).text();
    html = (await answer(html, PAGES[0]![1])).html;
    html = (await answer(html, PAGES[1]![1])).html;
    const back = await answer(html, [['a.age', '16']], 'back');
    expect(back.res.status).toBe(200);
    expect(back.html).toContain('<h1>About you</h1>');
    expect(back.html).toMatch(/name="a\.reporter_role" value="education" checked/);
    // What was typed on the page left stays with the answers.
    expect(hiddenFields(back.html)).toContainEqual(['a.age', '16']);
  });

  it('names a missing or wrong answer in a summary that links to the field, and stays on the page', async () => {
    const html = await (await t.app.request('/identify')).text();
    const first = await answer(html, []);
    expect(first.res.status).toBe(400);
    expect(first.html).toContain('There is a problem');
    expect(first.html).toContain('<a href="#q-danger_now-0">Choose an answer.</a>');
    expect(first.html).toMatch(/id="f-danger_now" aria-describedby="h-danger_now e-danger_now"/);
    expect(first.html).toContain('<h1>Safety first</h1>');

    let page = (await answer(html, PAGES[0]![1])).html;
    page = (await answer(page, PAGES[1]![1])).html;
    const wrong = await answer(page, [
      ['a.age', '150'],
      ['zip.county', '55007'],
    ]);
    expect(wrong.res.status).toBe(400);
    expect(wrong.html).toContain('<a href="#q-age">Enter a whole number from 0 to 99 (years).</a>');
    expect(wrong.html).toMatch(/The ZIP code 55007 is in more than one county \(Kanabec, Pine\)/);
    expect(wrong.html).toMatch(/id="q-age"[^>]*aria-describedby="h-age e-age" aria-invalid="true"/);
    // What was typed is shown again to be corrected.
    expect(wrong.html).toContain('value="150"');
    expect(wrong.html).toContain('value="55007"');
  });

  it('shows the 911 line on every later page once the young person is in danger', async () => {
    const html = await (await t.app.request('/identify')).text();
    const next = await answer(html, [['a.danger_now', 'yes']]);
    expect(next.html).toContain('If the young person is in danger right now, call 911 before you go on.');
  });
});

describe('the result', () => {
  it('shows the classification, each action with its absolute deadline, basis and contacts, and the navigator', async () => {
    const html = await walk();
    expectAll(html, [
      '<strong>Sex trafficking</strong>: possible',
      '<strong>Commercial sexual exploitation</strong>: the answers point to it',
      'It never labels a young person',
    ]);
    const at = new Date(hiddenFields(html).find(([k]) => k === 'at')![1]);
    expect(Date.now() - at.getTime()).toBeLessThan(60_000);
    const due = t.deps.rules.calendar.describe(new Date(at.getTime() + 24 * 3_600_000));
    expect(html).toContain(`Report to child protection or law enforcement within 24 hours`);
    expect(html).toContain(`Required · By ${due} (within 24 hours) · Your step`);
    // The written report counts from the oral report the person made, which the page asks for.
    expect(html).toContain('Within 72 hours of your oral report, not counting weekends and holidays');
    expect(html).toContain('When did you make your oral report');
    // Duties first: the report, then the written report, before any guidance.
    expect(html.indexOf('<h3 id="act-1">Report to child protection')).toBeGreaterThan(0);
    expect(html).toContain('Basis: Minn. Stat. 260E.06');
    expect(html).toMatch(/href="tel:\+18662231111"/);
    expectAll(html, [
      '<h2 id="nav-h">The regional navigator</h2>',
      'Hennepin County',
      'What you were not sure about',
    ]);
  });

  it('counts the written report from the oral report time given, and refuses one in the future', async () => {
    const first = await walk();
    const fields = hiddenFields(first).filter(([k]) => k !== 'oral');
    const post = (oral: string) =>
      t.app.request('/identify', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams([...fields, ['oral', oral], ['go', 'next']]).toString(),
      });
    // Thursday 2026-11-19 at 10:00 in Minnesota (16:00 UTC): 72 business hours skip the weekend and
    // Thanksgiving, whatever today is.
    const cal = t.deps.rules.calendar;
    const oralAt = new Date('2026-11-19T16:00:00Z');
    const expected = cal.describe(cal.addHoursSkippingNonBusinessDays(oralAt, 72));
    if (Date.now() > oralAt.getTime() && Date.now() < oralAt.getTime() + 30 * 24 * 3_600_000) {
      const html = await (await post('2026-11-19T10:00')).text();
      expect(html).toContain(`By ${expected}`);
      expect(html).toContain('counted from your oral report');
    }
    const future = await (await post('2999-01-01T10:00')).text();
    expect(future).toContain('The oral report time is in the future');
  });

  it('says "Now" for calling 911 when someone is in danger', async () => {
    const pages = PAGES.map(([title, v]): [string, [string, string][]] =>
      title === 'Safety first' ? [title, [['a.danger_now', 'yes']]] : [title, v],
    );
    const html = await walk(pages);
    expect(html).toContain('<h3 id="act-1">Call 911 now</h3>');
    expect(html).toMatch(/Call 911 now<\/h3><p class="due">\w+ · Now · /);
  });

  it('hands the screening to the referral form as JSON the intake accepts', async () => {
    const html = await walk();
    const [[name, value]] = hiddenFields(html, '/identify/refer') as [[string, string]];
    expect(name).toBe('screening');
    const handoff = ScreeningHandoffSchema.parse(JSON.parse(value));
    expect(handoff.instrument).toEqual({ id: 'safe-harbor-indicators', version: '2026.12.1' });
    expect(handoff.answers).toContainEqual({
      itemId: 'county',
      question: 'Where is the young person: which county, or which ZIP code?',
      answer: 'Hennepin County',
    });
    expect(handoff.facts).toMatchObject({
      reporterRole: 'education',
      age: 15,
      county: '27053',
      exchangeForValue: 'yes',
      riskFactors: ['homeless_or_runaway', 'young_age'],
    });
    expect(html).toContain('Refer this young person to a navigator</button>');
  });

  it('has a print view without buttons, whose Print button only appears with JavaScript', async () => {
    const html = await walk();
    const at = hiddenFields(html).find(([k]) => k === 'at')![1];
    const print = await answer(html, [], 'print');
    expect(print.res.status).toBe(200);
    expect(print.html).toContain('What to do next (print view)');
    expect(print.html).not.toContain('action="/identify/refer"');
    expect(print.html).toContain('<button type="button" id="print-now" hidden="">Print this page</button>');
    const nonce = /script-src 'nonce-([^']+)'/.exec(
      print.res.headers.get('content-security-policy') ?? '',
    )?.[1];
    const script = print.html.slice(print.html.indexOf(`<script nonce="${nonce}">(function(){`));
    expect(script.slice(0, script.indexOf('</script>'))).toMatch(
      /querySelector\('#print-now'\);if\(b\)\{b\.hidden=false;b\.onclick=function\(\)\{window\.print\(\)\}/,
    );
    // Deadlines still count from when the result was first shown.
    expect(hiddenFields(print.html)).toContainEqual(['at', at]);
    const back = await answer(print.html, [], 'next');
    expect(back.html).toContain('<h1>What to do next</h1>');
    const change = await answer(html, [], 'back');
    expect(change.html).toContain('<h1>What makes them vulnerable</h1>');
    expect(change.html).toMatch(/value="young_age" checked/);
  });
});

describe('weight', () => {
  it('keeps every page within 14 KB compressed, even the result with the most actions', async () => {
    const budget = 14 * 1024;
    const sizes: Record<string, number> = {};
    const gzipped = async (fields: [string, string][]) => {
      const res = await t.app.request('/identify', {
        method: 'POST',
        body: new URLSearchParams(fields).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Encoding': 'gzip' },
      });
      expect(res.headers.get('content-encoding')).toBe('gzip');
      return { body: Buffer.from(await res.arrayBuffer()), res };
    };
    // Back from the page after shows each page (the page after the last is the result).
    for (let page = 1; page <= 6; page++) {
      const { body } = await gzipped([
        ['instrument', KEY],
        ['step', String(page + 1)],
        ['go', 'back'],
      ]);
      expect(gunzipSync(body).toString('utf8')).toContain(`Step ${page} of 6`);
      sizes[`step ${page}`] = body.length;
    }
    const risks = [
      ...t.deps.rules.pathway.riskFactors.map((f): [string, string] => ['a.risk_factors', f.code]),
    ];
    const { body, res } = await gzipped([
      ['instrument', KEY],
      ['step', '6'],
      ['a.danger_now', 'yes'],
      ['a.reporter_role', 'education'],
      ['a.age_band', 'under18'],
      ['a.county', '27053'],
      ['a.in_care', 'yes'],
      ['a.missing_now', 'yes'],
      ['a.found_after_missing', 'no'],
      ['a.foreign_national', 'yes'],
      ['a.exchange', 'yes'],
      ['a.third_party', 'yes'],
      ['a.caregiver', 'no'],
      ['a.labor', 'yes'],
      ...risks,
    ]);
    expect(res.status).toBe(200);
    const html = gunzipSync(body).toString('utf8');
    expect(html.match(/<h3 id="act-/g)?.length).toBeGreaterThanOrEqual(12);
    sizes.result = body.length;
    expect(Object.entries(sizes).filter(([, n]) => n > budget)).toEqual([]);
  });
});

describe('changed or broken forms', () => {
  it('sends a changed hidden answer back to its page with the problem named', async () => {
    const html = await walk(PAGES.slice(0, 5));
    const fields = hiddenFields(html).map(([k, v]): [string, string] =>
      k === 'a.exchange' ? [k, 'definitely'] : [k, v],
    );
    const res = await post([...fields, ...PAGES[5]![1], ['go', 'next']]);
    const page = await res.text();
    expect(res.status).toBe(400);
    expect(page).toContain('<h1>What may be happening</h1>');
    expect(page).toContain('<a href="#q-exchange-0">Choose one of the answers.</a>');
  });

  it('asks to start again for an unknown instrument or step, and never answers 500', async () => {
    for (const fields of [
      [['instrument', 'other:1']],
      [['instrument', KEY]],
      [
        ['instrument', KEY],
        ['step', '99'],
      ],
      [],
    ] as [string, string][][]) {
      const res = await post(fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(await res.text()).toContain('<h1>Please start again</h1>');
    }
    const json = await t.app.request('/identify', {
      method: 'POST',
      body: '{"instrument":1}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(json.status).toBe(400);
  });

  it('answers any input without a 500, a cookie, a stored row or a logged answer', async () => {
    const before = await tableCounts();
    t.logLines.length = 0;
    const names = [
      'instrument',
      'step',
      'go',
      'at',
      'a.danger_now',
      'a.reporter_role',
      'a.age',
      'a.county',
      'zip.county',
      'a.exchange',
      'a.risk_factors',
      'a.unknown_item',
    ];
    const value = fc.oneof(
      fc.constantFrom(KEY, '1', '6', '7', 'next', 'back', 'print', 'yes', 'education', '27053', '55401'),
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.constant('x'.repeat(5000)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...names), value), { maxLength: 12 }),
        async (fields) => {
          const res = await post([['instrument', KEY], ...fields]);
          expect(res.status, JSON.stringify(fields)).toBeLessThan(500);
          expect(res.headers.get('set-cookie')).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
    await walk();
    expect(await tableCounts()).toEqual(before);
    const logs = t.logLines.join('\n');
    expect(logs).toContain('"route":"/identify"');
    expect(logs).not.toContain('27053');
    expect(logs).not.toContain('education');
  }, 120_000);
});
