/**
 * Translations through the app: the state administrator's page (counts per language and status, the
 * messages to do), other roles refused, the files for translators, and an import — taken whole, shown on
 * the public pages at once and audited, or refused whole with every wrong row listed. A language whose
 * messages are all reviewed loses the draft notice on its pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, TEST_SITE, type TestApp } from '../../../test/app.ts';
import { addStaff, auditActions, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { shippedCatalogue, useCatalogue } from '../../platform/i18n/index.ts';

let t: TestApp;
let admin: TestStaff;
let navigator: TestStaff;
const { get, session } = staffRequests(() => t);
const english = shippedCatalogue().english;

beforeAll(async () => {
  t = await testApp();
  admin = await addStaff(t.deps, 'state_admin');
  navigator = await addStaff(t.deps, 'navigator', ['west-metro']);
});
afterAll(async () => {
  useCatalogue(shippedCatalogue());
  await t.close();
});

/** Posts a file to the import form as the person, with the page's CSRF token. */
async function postFile(person: TestStaff, locale: string, name: string, content: string): Promise<Response> {
  const s = await session(person);
  const form = new FormData();
  form.set('csrf', s.csrf);
  form.set('locale', locale);
  form.set('file', new File([content], name, { type: 'text/plain' }));
  return t.app.request('/staff/translations/import', {
    method: 'POST',
    body: form,
    headers: { Cookie: s.cookie, Origin: TEST_SITE.origin },
  });
}

const csv = (rows: [string, string, string, string][]) =>
  [
    'key,english,translation,status',
    ...rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')),
  ].join('\n');

const rowCount = async () =>
  Number(
    (
      await t.deps.db
        .selectFrom('translations')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the translations page', () => {
  it('shows each language’s messages by status and the messages to do, to a state administrator', async () => {
    const res = await get(admin, '/staff/translations?locale=so');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Messages by language and status');
    for (const name of ['Spanish (Español)', 'Somali (Soomaali)', 'Hmong (Hmoob)'])
      expect(html).toContain(name);
    const total = Object.keys(english).length;
    expect(html).toContain(`<td>${total}</td>`);
    // Nothing shipped is reviewed: every message of Somali is listed to do, with its English.
    expect(html).toContain(`${total} messages`);
    expect(html).toContain('<code>layout.quickExit</code>');
    expect(html).toContain('lang="so"');
    expect(html).toContain('Drafted, not reviewed');
  });

  it('is refused to other roles, and named in the menu only for state administrators', async () => {
    expect((await get(navigator, '/staff/translations')).status).toBe(403);
    expect((await get(navigator, '/staff/translations/export?locale=es')).status).toBe(403);
    expect(await (await get(navigator, '/staff')).text()).not.toContain('href="/staff/translations"');
    expect(await (await get(admin, '/staff')).text()).toContain('href="/staff/translations"');
  });

  it('gives the files for translators, as XLIFF 2.0 and CSV', async () => {
    const xliff = await get(admin, '/staff/translations/export?locale=hmn&format=xliff');
    expect(xliff.status).toBe(200);
    expect(xliff.headers.get('content-type')).toContain('application/xliff+xml');
    expect(xliff.headers.get('content-disposition')).toBe(
      'attachment; filename="no-wrong-door-hmn-to-do.xlf"',
    );
    const body = await xliff.text();
    expect(body).toContain('trgLang="hmn"');
    expect(body).toContain('<unit id="layout.quickExit">');
    const file = await get(admin, '/staff/translations/export?locale=es&format=csv&all=1');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="no-wrong-door-es-all.csv"');
    const text = await file.text();
    expect(text.split('\r\n')[0]).toBe('key,english,translation,status');
    expect(text).toContain('layout.quickExit,Quick exit,Salida rápida,drafted');
  });
});

describe('importing a translator’s file', () => {
  it('refuses the whole file when a row is wrong, listing each, and writes nothing', async () => {
    const before = await rowCount();
    const res = await postFile(
      admin,
      'es',
      'es.csv',
      csv([
        ['layout.call', english['layout.call'], 'Llame', 'reviewed'],
        ['layout.title', english['layout.title'], '{titulo} | NWD', 'reviewed'],
        ['no.such', 'x', 'y', 'reviewed'],
      ]),
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Nothing was imported');
    expect(html).toContain('2 rows need fixing');
    expect(html).toContain('has {titulo} and lacks {title}');
    expect(html).toContain('There is no message with this key');
    expect(await rowCount()).toBe(before);
    expect((await t.app.request('/es/')).status).toBe(200);
    expect(await (await t.app.request('/es/')).text()).toContain(
      'href="tel:911">Llamar <span class="tel">911</span>',
    );
  });

  it('answers a file that is not one with a message beside the field', async () => {
    const res = await postFile(admin, 'es', 'notes.xlf', 'hello');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This is not an XLIFF 2.0 file');
  });

  it('takes a file whole: the public page shows it at once, and it is audited', async () => {
    const res = await postFile(
      admin,
      'es',
      'es.csv',
      csv([
        ['layout.call', english['layout.call'], 'Llame', 'reviewed'],
        ['layout.skip', english['layout.skip'], '', 'drafted'],
      ]),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Imported 1 translations into Spanish (1 rows had no translation');
    const row = await t.deps.db
      .selectFrom('translations')
      .selectAll()
      .where('key', '=', 'layout.call')
      .executeTakeFirstOrThrow();
    expect([row.locale, row.text, row.status, row.source, row.updated_by]).toEqual([
      'es',
      'Llame',
      'reviewed',
      'Call',
      admin.id,
    ]);
    expect(await auditActions(t.deps.db, 'es')).toContain('translations.import');
    expect(await (await t.app.request('/es/')).text()).toContain(
      'href="tel:911">Llame <span class="tel">911</span>',
    );
  });

  it('takes every message of a language as reviewed from XLIFF, and its pages drop the draft notice', async () => {
    const draftNote = 'class="draft-note"';
    expect(await (await t.app.request('/hmn/')).text()).toContain(draftNote);
    const exported = await (
      await get(admin, '/staff/translations/export?locale=hmn&format=xliff&all=1')
    ).text();
    const reviewed = exported.replace(
      /state="translated" subState="nwd:drafted"/g,
      'state="reviewed" subState="nwd:reviewed"',
    );
    const res = await postFile(admin, 'hmn', 'hmn.xlf', reviewed);
    expect(res.status, await res.clone().text()).toBe(200);
    const home = await (await t.app.request('/hmn/')).text();
    expect(home).toContain('<html lang="hmn">');
    expect(home).not.toContain(draftNote);
    // Spanish is still a draft.
    expect(await (await t.app.request('/es/')).text()).toContain(draftNote);
    const page = await (await get(admin, '/staff/translations?locale=hmn')).text();
    expect(page).toContain('Every message of this language has been reviewed by a fluent speaker.');
  });
});

describe('the draft notice', () => {
  it('links to the same page in English, and English pages have none', async () => {
    const html = await (await t.app.request('/so/navigator?county=27053')).text();
    expect(html).toMatch(/class="draft-note">[^<]*<a href="\/navigator\?county=27053" hreflang="en">/);
    expect(await (await t.app.request('/navigator?county=27053')).text()).not.toContain('class="draft-note"');
  });
});
