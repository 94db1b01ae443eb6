/**
 * Public pages speak to the public: no page a visitor can reach shows the project's internal
 * vocabulary (file names, the domain notes, seed numbers, section signs, the pack author's
 * presumptions, rule codes, raw provenance flags or TODOs).
 *
 * Every public GET route is requested, with sample parameters for the parameterised ones: every
 * county page, every directory service, every /learn page, and each step of /identify walked to its
 * answer.
 */
import { localePath, TRANSLATED_LOCALES } from '../src/platform/i18n/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsContext, upcomingPublic } from '../src/features/events/service.ts';
import { LEARN_PAGES } from '../src/features/learn/content.tsx';
import { testApp, type TestApp } from './app.ts';

/** What must never reach a public page, each with why. */
const INTERNAL: [RegExp, string][] = [
  [/\b[\w./-]+\.(?:json|tsx?|md)\b/i, 'a file name'],
  [/DOMAIN\.md/i, 'the domain notes file'],
  [/\bdomain notes\b/i, 'the domain notes'],
  [/\bseeds? 0\d*/i, 'a seed number'],
  [/§/, 'a section sign'],
  [/\bpack author/i, 'the pack author'],
  [/\bpresum(?:ption|ed|ably)\b/i, 'a presumption'],
  [/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/, 'a rule code'],
  [/\bverified:\s*(?:false|true)\b/i, 'a raw provenance flag'],
  [/\bTODO\b/, 'a TODO'],
  [/\bSource:\s|\bkept with the project\b/i, 'a source note'],
];

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: ' ', '#39': "'" };

/** What a visitor reads: the text, plus the attributes that are read out or shown. */
function visibleText(html: string): string {
  const attributes = [...html.matchAll(/\s(?:title|alt|aria-label|placeholder|content)="([^"]*)"/g)].map(
    (m) => m[1] ?? '',
  );
  const text = html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .concat(' ', attributes.join(' '));
  return text
    .replace(/&(#\d+|#x[\da-f]+|\w+);/gi, (all, name: string) => {
      if (ENTITIES[name]) return ENTITIES[name];
      if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      return all;
    })
    .replace(/\s+/g, ' ');
}

/** Each internal word found in `text`, with a little context around it. */
function internalVocabulary(text: string): string[] {
  const hits: string[] = [];
  for (const [pattern, why] of INTERNAL) {
    const global = new RegExp(
      pattern.source,
      pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`,
    );
    for (const m of text.matchAll(global)) {
      const at = m.index ?? 0;
      hits.push(`${why}: "…${text.slice(Math.max(0, at - 40), at + m[0].length + 40).trim()}…"`);
    }
  }
  return hits;
}

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const ANSWERS: Record<string, string> = { age: '15', zip: '' };

/** The fields of the form posting to `/identify`, filled as a careful person would: "no" where offered. */
function identifyForm(html: string): [string, string][] | null {
  const start = html.search(/<form\b[^>]*method="post"[^>]*action="\/identify"/);
  if (start < 0) return null;
  const form = html.slice(start, html.indexOf('</form>', start));
  const unescape = (s: string) => visibleText(s).trim();
  const fields: [string, string][] = [];
  const radios = new Map<string, string[]>();
  for (const m of form.matchAll(/<input\b([^>]*)>/g)) {
    const attrs = m[1] ?? '';
    const name = /\sname="([^"]+)"/.exec(attrs)?.[1];
    const value = unescape(/\svalue="([^"]*)"/.exec(attrs)?.[1] ?? '');
    const type = /\stype="([^"]+)"/.exec(attrs)?.[1] ?? 'text';
    if (!name) continue;
    if (type === 'hidden') fields.push([name, value]);
    else if (type === 'radio') radios.set(name, [...(radios.get(name) ?? []), value]);
    else if (type === 'checkbox') continue;
    else if (type !== 'submit') {
      const key = Object.keys(ANSWERS).find((k) => name.toLowerCase().includes(k));
      fields.push([name, key ? (ANSWERS[key] ?? '') : value]);
    }
  }
  for (const [name, values] of radios) fields.push([name, values.includes('no') ? 'no' : (values[0] ?? '')]);
  for (const m of form.matchAll(/<select\b[^>]*\sname="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const first = [...(m[2] ?? '').matchAll(/<option value="([^"]+)"/g)][0]?.[1];
    fields.push([m[1] ?? '', first ?? '']);
  }
  return fields;
}

/** Walks `/identify` from its first step to the answer, returning every page on the way. */
async function identifyPages(): Promise<[string, string][]> {
  const pages: [string, string][] = [];
  let res = await t.app.request('/identify');
  let lastStep = 0;
  for (let n = 1; n <= 15; n++) {
    for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 5; hops++)
      res = await t.app.request(res.headers.get('location') ?? '/identify');
    const html = await res.text();
    pages.push([`/identify (page ${n})`, html]);
    const fields = identifyForm(html);
    const step = Number(fields?.find(([name]) => name === 'step')?.[1] ?? NaN);
    // The answer page's form (print, refer) carries a step past the last question: stop there.
    if (!fields || !(step > lastStep)) break;
    lastStep = step;
    res = await t.app.request('/identify', {
      method: 'POST',
      body: new URLSearchParams([...fields, ['go', 'next']]).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
  }
  return pages;
}

/** Every public GET page, with the parameterised ones filled in from the data. */
async function publicPages(): Promise<string[]> {
  const geo = t.deps.geography.get();
  const services = await t.database.db.selectFrom('directory_services').select('id').orderBy('id').execute();
  const upcoming = await upcomingPublic(eventsContext(t.deps));
  const urls: string[] = [];
  for (const [key, policy] of t.policies.entries()) {
    const [method, path] = key.split(' ') as [string, string];
    if (method !== 'GET' || policy.kind !== 'public' || path.startsWith('/api/')) continue;
    if (path === '/learn/:slug') urls.push(...LEARN_PAGES.map((p) => `/learn/${p.slug}`));
    else if (path === '/services/:id') urls.push(...services.map((s) => `/services/${s.id}`));
    else if (path.endsWith('.ics'))
      continue; // calendar feeds, not pages
    else if (path === '/events/:id') urls.push(...upcoming.map((u) => `/events/${u.event.id}`));
    else if (path === '/events/:id/register')
      urls.push(...upcoming.map((u) => `/events/${u.event.id}/register?date=${u.occurrence.occurrenceDate}`));
    else if (path === '/events/registration/:token') urls.push(`/events/registration/${'A'.repeat(43)}`);
    else if (path === '/certificates/:code') urls.push('/certificates/NWD-AAAAA-AAAAA');
    else if (path.includes(':')) throw new Error(`no sample parameters for ${path}: add them here`);
    else urls.push(path);
  }
  urls.push(
    ...[...geo.counties.keys()].map((fips) => `/navigator?county=${fips}`),
    ...[...geo.regions.keys()].map((id) => `/services?region=${id}`),
    '/navigator?q=Duluth',
    '/navigator?q=55009',
    '/navigator?q=nowhere-at-all',
    '/services?page=99',
    '/services?type=shelter_housing&age=15',
    '/no-such-page',
  );
  // And every page of the list in each other language (the translations could bring a note in).
  const all = [...urls, ...TRANSLATED_LOCALES.flatMap((locale) => urls.map((u) => localePath(locale, u)))];
  return [...new Set(all.filter((u) => !u.endsWith('.ics')))];
}

describe('internal vocabulary', () => {
  it('finds what it looks for, and not ordinary words', () => {
    const bad = visibleText(
      '<p>See regions.json and DOMAIN.md &sect;5, seed 001, the pack author&#39;s presumption, CALL_911, verified: false, TODO. Source: a page (a copy is kept with the project).</p>',
    );
    expect(internalVocabulary(bad).map((h) => h.split(':')[0])).toEqual(
      expect.arrayContaining([
        'a file name',
        'the domain notes file',
        'a seed number',
        'the pack author',
        'a presumption',
        'a rule code',
        'a raw provenance flag',
        'a TODO',
        'a source note',
      ]),
    );
    expect(internalVocabulary(visibleText('<p>Section&#167;5</p>'))).toHaveLength(1);
    const fine = visibleText(
      '<p>Call 911. Visit thelinkmn.org or https://www.mnswcc.org/regional-navigator. Minn. Stat. 609.321. Checked December 2026. Day One (DAY) answers 24/7.</p><script>const a = "x.json";</script>',
    );
    expect(internalVocabulary(fine)).toEqual([]);
  });

  it('appears on no public page', async () => {
    const found: Record<string, string[]> = {};
    const pages: [string, string][] = [];
    for (const url of await publicPages()) {
      const res = await t.app.request(url);
      expect(res.status, url).toBeLessThan(500);
      pages.push([url, await res.text()]);
    }
    const identify = await identifyPages();
    expect(identify.length, 'the /identify walk reaches past its first step').toBeGreaterThan(2);
    pages.push(...identify);
    for (const [url, html] of pages) {
      const hits = internalVocabulary(visibleText(html));
      if (hits.length) found[url] = [...new Set(hits)];
    }
    expect(pages.length).toBeGreaterThan(4 * (87 + 16));
    expect(found).toEqual({});
  });
});
