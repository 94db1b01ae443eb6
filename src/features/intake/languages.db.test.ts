/**
 * The public intake pages in Spanish, Somali and Hmong: the page's language, its words, links and
 * forms that stay in the language, problems shown in the language, and a request sent from a page in
 * another language stored with that language and shown to the navigator. The English pages' reading
 * level. Synthetic data only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { fleschKincaidGrade, mainText } from '../../../test/reading-level.ts';
import { addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { FORM_TOKEN_FIELD, issueFormToken, type FormName } from './anti-abuse.ts';
import { openPayload } from './payload.ts';

let t: TestApp;
let navigator: TestStaff;
const staff = staffRequests(() => t);
beforeAll(async () => {
  t = await testApp();
  navigator = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic Navigator' });
});
afterAll(async () => {
  await t.close();
});

let addressSeq = 0;
const envFor = () => {
  addressSeq += 1;
  return { incoming: { socket: { remoteAddress: `10.77.${(addressSeq >> 8) & 255}.${addressSeq & 255}` } } };
};

const get = (path: string) => t.app.request(path, {}, envFor());

async function post(path: string, fields: Record<string, string>, form?: FormName): Promise<Response> {
  const token: Record<string, string> = form
    ? { [FORM_TOKEN_FIELD]: await issueFormToken(t.deps.keyring, form, new Date(Date.now() - 10_000)) }
    : {};
  return t.app.request(
    path,
    {
      method: 'POST',
      body: new URLSearchParams({ ...token, ...fields }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    },
    envFor(),
  );
}

async function latestItem() {
  const row = await t.deps.db
    .selectFrom('intake_items')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return { row, payload: await openPayload(t.deps.keyring, row.id, row.payload_encrypted) };
}

const CONTACT_ME = {
  method: 'text_message',
  contact: '612-555-0177',
  times: 'after four',
  codeWord: 'lanternmoss',
  name: 'Qzxwy',
  language: 'Somali',
  place: '55401',
  message: 'Synthetic words',
};

const REFERRAL = {
  agreed: 'yes',
  youthName: 'Vwqz Synthetic',
  age: '16',
  place: 'Hennepin',
  method: 'phone_call',
  contact: '763-555-0111',
  times: '',
  codeWord: '',
  language: 'Hmong',
  exploitation: 'unsure',
  observed: 'Synthetic observation.',
  referrerName: 'Synthetic Counsellor',
  referrerRole: 'education',
  referrerOrganization: '',
  referrerPhone: '651-555-0100',
  referrerEmail: '',
  callbackTimes: '',
};

/** Per language: the page's title words on the three forms, and a word of its status page. */
const WORDS = {
  es: {
    contact: 'Pida que un navegador se comunique con usted',
    refer: 'Remitir a una persona joven',
    status: 'Consultar una remisión',
  },
  so: {
    contact: 'Codso in hage kula soo xiriiro',
    refer: 'U gudbi qof dhallinyaro ah hage',
    status: 'Hubi gudbin',
  },
  hmn: {
    contact: 'Thov ib tug neeg pab coj kev tiv tauj koj',
    refer: 'Xa ib tug hluas mus rau tus neeg pab coj kev',
    status: 'Saib ib qho kev xa mus',
  },
} as const;

describe.each(Object.entries(WORDS))('the intake pages in %s', (lang, words) => {
  it('contact-me: language, words, form action and links in the language', async () => {
    const res = await get(`/${lang}/help/contact-me`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain(`<html lang="${lang}"`);
    expect(html).toContain(words.contact);
    expect(html).toContain(`action="/${lang}/help/contact-me"`);
    expect(html).toContain(`href="/${lang}/privacy"`);
    expect(html).toContain(`href="/${lang}/learn/your-rights"`);
    expect(html).not.toContain('Send to a navigator');
    expect(html).toContain('href="tel:911"');
  });

  it('referral status: language, words and form action', async () => {
    const res = await get(`/${lang}/referral-status`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain(`<html lang="${lang}"`);
    expect(html).toContain(words.status);
    expect(html).toContain(`action="/${lang}/referral-status"`);
  });

  it('professionals’ referral: language, words and both steps’ form actions', async () => {
    const start = await (await get(`/${lang}/identify/refer`)).text();
    expect(start).toContain(`<html lang="${lang}"`);
    expect(start).toContain(words.refer);
    expect(start).toContain(`action="/${lang}/identify/refer"`);
    const step2 = await (await post(`/${lang}/identify/refer`, { agreed: 'yes' })).text();
    expect(step2).toContain(`<html lang="${lang}"`);
    expect(step2).toContain(`action="/${lang}/identify/refer/send"`);
    expect(step2).not.toContain('Send the referral');
  });
});

describe('a request sent from a page in another language', () => {
  it('lands on the Somali confirmation, is stored as sent from the Somali page, and the navigator sees it', async () => {
    const res = await post('/so/help/contact-me', CONTACT_ME, 'contact-me');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('<html lang="so"');
    expect(html).toContain('Codsigaaga waa la diray');
    expect(html).toContain('fariin qoraal ah kuu soo diri doona');
    const { row, payload } = await latestItem();
    expect(payload.pageLanguage).toBe('so');
    // The language the person wants to talk in is kept apart from the page's.
    expect(payload.youth.language).toBe('Somali');

    const page = await (await staff.get(navigator, `/staff/queue/${row.id}`)).text();
    expect(page).toContain('Sent from');
    expect(page).toContain('The Somali page');
    const api = await staff.api(navigator, 'GET', `/api/v1/intake/${row.id}`);
    expect(api.status).toBe(200);
    expect(api.json.payload.pageLanguage).toBe('so');
  });

  it('a referral from the Hmong professionals’ form is marked with its page language too', async () => {
    const res = await post('/hmn/identify/refer/send', REFERRAL, 'refer');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('<html lang="hmn"');
    expect(html).toContain('Qhov kev xa mus xa lawm');
    expect(html).toContain('href="/hmn/referral-status"');
    const { row, payload } = await latestItem();
    expect(payload.pageLanguage).toBe('hmn');
    const page = await (await staff.get(navigator, `/staff/queue/${row.id}`)).text();
    expect(page).toContain('The Hmong page');
  });

  it('an English request is stored as English and shows no page-language line', async () => {
    await post('/help/contact-me', CONTACT_ME, 'contact-me');
    const { row, payload } = await latestItem();
    expect(payload.pageLanguage).toBe('en');
    const page = await (await staff.get(navigator, `/staff/queue/${row.id}`)).text();
    expect(page).not.toContain('Sent from');
  });
});

describe('problems in the page’s language', () => {
  it('shows a Spanish error summary and messages, keeps the form in Spanish, and sends nothing', async () => {
    const res = await post(
      '/es/help/contact-me',
      { ...CONTACT_ME, method: 'email', contact: 'not-an-address', place: 'Qqqqville' },
      'contact-me',
    );
    const html = await res.text();
    expect(res.status).toBe(400);
    expect(html).toContain('<html lang="es"');
    expect(html).toContain('Hay un problema');
    expect(html).toContain('Escriba un correo electrónico, como nombre@example.org.');
    expect(html).not.toContain('Enter an email address');
    expect(html).toContain('action="/es/help/contact-me"');
    const place = await post('/es/help/contact-me', { ...CONTACT_ME, place: 'Qqqqville' }, 'contact-me');
    expect(await place.text()).toMatch(/No encontramos (&quot;|")Qqqqville/);
  });

  it('shows the Somali referral problems', async () => {
    const res = await post('/so/identify/refer/send', { ...REFERRAL, youthName: '', observed: '' }, 'refer');
    const html = await res.text();
    expect(res.status).toBe(400);
    expect(html).toContain('Dhib baa jira');
    expect(html).toContain('Qor magaciisa koowaad ama xarfaha hore.');
  });

  it('says in Hmong that a reference code was not found', async () => {
    const res = await post('/hmn/referral-status', { code: 'AAAA-BBBB-CCCC' });
    const html = await res.text();
    expect(res.status).toBe(404);
    expect(html).toContain('Peb nrhiav tsis tau ib qho kev xa mus');
  });

  it('a too-fast send asks, in Spanish, to wait and press again', async () => {
    const token = await issueFormToken(t.deps.keyring, 'contact-me', new Date());
    const res = await t.app.request(
      '/es/help/contact-me',
      {
        method: 'POST',
        body: new URLSearchParams({ [FORM_TOKEN_FIELD]: token, ...CONTACT_ME }).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      },
      envFor(),
    );
    expect(await res.text()).toContain('Espere unos segundos');
  });
});

describe('reading level of the English pages', () => {
  it.each(['/help/contact-me', '/referral-status', '/identify/refer'])(
    '%s is at most grade 6',
    async (path) => {
      const html = await (await get(path)).text();
      expect(fleschKincaidGrade(mainText(html))).toBeLessThanOrEqual(6);
    },
  );
});
