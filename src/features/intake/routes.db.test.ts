/**
 * The public intake pages through the app: the referral and consultation from a professional, a young
 * person's request to be contacted, and the status page. Validation, the guards (honeypot, time token,
 * rate limit, another site), no cookie, nothing in the logs, nothing partial, never a 500.
 * Synthetic data only.
 */
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAll } from '../../../test/coordination.ts';
import { testApp, type TestApp } from '../../../test/app.ts';
import { unnamedYouth } from '../../../test/staff.ts';
import { FORM_TOKEN_FIELD, HONEYPOT_FIELD, issueFormToken, type FormName } from './anti-abuse.ts';
import { openPayload } from './payload.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

// Each request comes from an address of its own unless a test says otherwise, so the rate limit
// counts only where a test means it to.
let addressSeq = 0;
const nextAddress = () => {
  addressSeq += 1;
  return `10.${(addressSeq >> 16) & 255}.${(addressSeq >> 8) & 255}.${addressSeq & 255}`;
};
const envFor = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

/** A token shown `ageMs` ago (10 s: old enough, not too old). */
const tokenFor = (form: FormName, ageMs = 10_000) =>
  issueFormToken(t.deps.keyring, form, new Date(Date.now() - ageMs));

async function post(
  path: string,
  fields: Record<string, string>,
  options: { address?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return t.app.request(
    path,
    {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...options.headers },
    },
    envFor(options.address ?? nextAddress()),
  );
}

/** A young person's request to be contacted, with a token shown 10 s ago unless `fields` bring one. */
const contactMe = async (fields: Record<string, string>, options?: Parameters<typeof post>[2]) =>
  post('/help/contact-me', { [FORM_TOKEN_FIELD]: await tokenFor('contact-me'), ...fields }, options);

/** A professional's referral, sent with a token shown 10 s ago unless `fields` bring one. */
const sendReferral = async (fields: Record<string, string>, options?: Parameters<typeof post>[2]) =>
  post('/identify/refer/send', { [FORM_TOKEN_FIELD]: await tokenFor('refer'), ...fields }, options);

/** How many intake items, "received" events and audited receipts there are. */
async function counts(): Promise<{ items: number; received: number; audited: number }> {
  const { rows } = await sql<Record<'items' | 'received' | 'audited', string>>`
    select (select count(*) from intake_items) as items,
           (select count(*) from intake_events where event = 'received') as received,
           (select count(*) from audit_events where action = 'intake.received') as audited
  `.execute(t.deps.db);
  const row = rows[0]!;
  return { items: Number(row.items), received: Number(row.received), audited: Number(row.audited) };
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

/** What every public page answers with: strict CSP with a nonce, no cookie, no store, the lines. */
function expectPublicPage(res: Response, html: string, label: string) {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp, label).toMatch(/default-src 'none'/);
  expect(csp, label).not.toMatch(/unsafe-inline|unsafe-eval/);
  const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, label).toBeTruthy();
  for (const tag of html.match(/<(script|style)\b[^>]*>/g) ?? [])
    expect(tag, label).toContain(`nonce="${nonce}"`);
  expect(html, label).not.toMatch(/\sstyle="/);
  expect(res.headers.get('set-cookie'), label).toBeNull();
  expect(res.headers.get('cache-control'), label).toBe('no-store');
  expect(html, label).toContain('id="quick-exit"');
  expect(html, label).toContain('href="tel:911"');
  expect(html, label).toContain('1-866-223-1111');
}

const hiddenValue = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

const SCREENING = {
  instrument: { id: 'mn-indicators', version: '2026-1' },
  answers: [
    { itemId: 'exchange', question: 'Has anyone offered them something for sex?', answer: 'Yes' },
    { itemId: 'housing', question: 'Do they have a safe place to stay?', answer: 'Not sure' },
  ],
  facts: {
    asOf: '2026-11-21',
    age: 15,
    county: '27053',
    reporterRole: 'education',
    exchangeForValue: 'yes',
    thirdPartyProfit: 'unknown',
    immediateDanger: false,
    currentlyMissingFromCare: false,
  },
};

const CONTACT_ME = {
  method: 'text_message',
  contact: '612-555-0177',
  times: 'after four, no voicemail',
  codeWord: 'pelicanquartz',
  name: 'Qzxwy',
  language: 'Hmong',
  place: '55401',
  message: 'Synthetic words xylophonequiet',
};

const REFERRAL = {
  agreed: 'yes',
  youthName: 'Vwqz Synthetic',
  age: '16',
  place: 'Hennepin',
  method: 'phone_call',
  contact: '763-555-0111',
  times: 'weekdays after school',
  codeWord: 'marmaladekite',
  language: 'Spanish',
  exploitation: 'unsure',
  observed: 'Synthetic observation ocelotmeadow: new phone, older friends.',
  referrerName: 'Synthetic Counsellor Jqxv',
  referrerRole: 'education',
  referrerOrganization: 'Synthetic High School',
  referrerPhone: '651-555-0100',
  referrerEmail: '',
  callbackTimes: 'mornings',
};

const CONSULTATION = {
  agreed: 'no',
  age: '15',
  place: '55401',
  exploitation: 'yes',
  observed: 'Synthetic observation without names, ferretlattice.',
  referrerName: 'Synthetic Nurse Pqzk',
  referrerRole: 'health_care',
  referrerOrganization: '',
  referrerPhone: '',
  referrerEmail: 'nurse.pqzk@example.org',
  callbackTimes: '',
};

describe('GET pages', () => {
  it('serve the forms with the guards, under the public rules and the 14 KB budget', async () => {
    for (const path of ['/help/contact-me', '/identify/refer', '/referral-status']) {
      const res = await t.app.request(path, { headers: { 'Accept-Encoding': 'gzip' } });
      expect(res.status, path).toBe(200);
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.length, path).toBeLessThanOrEqual(14 * 1024);
      const html = gunzipSync(body).toString('utf8');
      expectPublicPage(res, html, path);
      expect(html, path).toMatch(/<form method="post"/);
    }
    const html = await (await t.app.request('/help/contact-me')).text();
    expect(hiddenValue(html, FORM_TOKEN_FIELD)).toMatch(/^[0-9a-z]+\.[0-9a-f]{32}$/);
    expect(html).toMatch(new RegExp(`<div hidden=""><label for="${HONEYPOT_FIELD}">`));
    // the browser is asked not to remember what is typed on a shared device
    expect(html).toContain('autocomplete="off"');
    const status = await (await t.app.request('/referral-status')).text();
    expect(status).toContain('action="/referral-status"');
    expect(status).toMatch(/<form method="post" action="\/referral-status"/);
  });
});

describe('/help/contact-me', () => {
  it('tells a young person under 18, before the send button, that a navigator may have to tell child protection', async () => {
    const html = await (await t.app.request('/help/contact-me')).text();
    const form = html.slice(html.indexOf('action="/help/contact-me"'), html.indexOf('</form>'));
    const note = form.indexOf('If you are under 18');
    expect(note).toBeGreaterThan(0);
    expect(note).toBeLessThan(form.indexOf('Send to a navigator'));
    const text = form.slice(note).replace(/<[^>]+>/g, '');
    expect(text).toContain('they may have to tell child protection');
    expect(text).toContain('a victim, not a criminal');
    expect(form.slice(note)).toContain('<a href="/learn/your-rights">Read about your rights</a>');
  });

  it('sends a request: the item is routed and encrypted, and the page says what happens next', async () => {
    const before = await counts();
    const res = await contactMe(CONTACT_ME);
    const html = await res.text();
    expect(res.status).toBe(200);
    expectPublicPage(res, html, 'confirmation');
    expectAll(html, ['Your request was sent', '4 working hours', 'West Metro', 'say your code word first']);
    expect(await counts()).toEqual({
      items: before.items + 1,
      received: before.received + 1,
      audited: before.audited + 1,
    });
    const { row, payload } = await latestItem();
    expect(row).toMatchObject({
      kind: 'self_referral',
      region_id: 'west-metro',
      county_fips: '27053',
      age_band: 'unknown',
      urgency: 'soon',
      reference_hash: null,
    });
    expect(payload).toEqual({
      youth: {
        name: 'Qzxwy',
        contactMethod: 'text_message',
        contactValue: '612-555-0177',
        safeTimes: 'after four, no voicemail',
        codeWord: 'pelicanquartz',
        language: 'Hmong',
        agreedToContact: null,
      },
      referrer: null,
      observed: 'Synthetic words xylophonequiet',
      screening: null,
      pageLanguage: 'en',
    });
    expect(row.payload_encrypted.toString('latin1')).not.toContain('pelicanquartz');
  });

  it('shows what to fix, with an error summary linking to each field, and keeps what was typed', async () => {
    const before = await counts();
    const token = await tokenFor('contact-me');
    const res = await post('/help/contact-me', {
      contact: '',
      codeWord: 'keptword',
      [FORM_TOKEN_FIELD]: token,
    });
    const html = await res.text();
    expect(res.status).toBe(400);
    expectPublicPage(res, html, 'errors');
    expectAll(html, [
      'There is a problem',
      'href="#method"',
      'Choose how the navigator should reach you.',
      'value="keptword"',
    ]);
    expect(html).toMatch(/aria-invalid="true"/);

    const email = await contactMe({ ...CONTACT_ME, method: 'email', contact: 'not-an-email' });
    expect(email.status).toBe(400);
    expect(await email.text()).toContain('Enter an email address, like name@example.org.');

    const place = await contactMe({ ...CONTACT_ME, place: 'Hennepen' });
    expect(place.status).toBe(400);
    const placeHtml = await place.text();
    expect(placeHtml).toContain('href="#place"');
    expect(placeHtml).toContain('Did you mean Hennepin');
    expect(await counts()).toEqual(before);
  });

  it('refuses a filled honeypot with a calm page that still shows the lines to call', async () => {
    const before = await counts();
    const res = await contactMe({ ...CONTACT_ME, [HONEYPOT_FIELD]: 'https://spam.example' });
    const html = await res.text();
    expect(res.status).toBe(400);
    expectPublicPage(res, html, 'honeypot');
    expect(html).toContain('We could not send this');
    expect(html).not.toContain('pelicanquartz');
    expect(await counts()).toEqual(before);
  });

  it('asks to send again a form sent too fast or hours later, keeping what was typed', async () => {
    const before = await counts();
    const fast = await post('/help/contact-me', {
      ...CONTACT_ME,
      [FORM_TOKEN_FIELD]: await tokenFor('contact-me', 0),
    });
    const fastHtml = await fast.text();
    expect(fast.status).toBe(400);
    expectPublicPage(fast, fastHtml, 'too fast');
    expect(fastHtml).toContain('Wait a few seconds');
    expect(fastHtml).toContain('value="pelicanquartz"');
    expect(hiddenValue(fastHtml, FORM_TOKEN_FIELD)).toMatch(/^[0-9a-z]+\.[0-9a-f]{32}$/);

    const old = await post('/help/contact-me', {
      ...CONTACT_ME,
      [FORM_TOKEN_FIELD]: await tokenFor('contact-me', 5 * 60 * 60 * 1000),
    });
    expect(old.status).toBe(400);
    expect(await old.text()).toContain('open for a long time');
    expect(await counts()).toEqual(before);
  });

  it('refuses a missing, forged or borrowed token', async () => {
    const before = await counts();
    const good = await tokenFor('contact-me');
    const [stamp] = good.split('.');
    for (const token of [
      undefined,
      '',
      `${stamp}.${'a'.repeat(32)}`,
      await tokenFor('refer'),
      `${Date.now().toString(36)}.${good.split('.')[1]}`,
    ]) {
      const fields: Record<string, string> = { ...CONTACT_ME };
      if (token !== undefined) fields[FORM_TOKEN_FIELD] = token;
      const res = await post('/help/contact-me', fields);
      const html = await res.text();
      expect(res.status, String(token)).toBe(400);
      expect(html).toContain('We could not send this');
      expect(html).toContain('href="tel:911"');
    }
    expect(await counts()).toEqual(before);
  });

  it('creates nothing twice from one form (a refreshed confirmation, a replay)', async () => {
    const before = await counts();
    const token = await tokenFor('contact-me');
    const first = await post('/help/contact-me', { ...CONTACT_ME, [FORM_TOKEN_FIELD]: token });
    expect(first.status).toBe(200);
    const again = await post('/help/contact-me', { ...CONTACT_ME, [FORM_TOKEN_FIELD]: token });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('This was already sent');
    expect((await counts()).items).toBe(before.items + 1);
  });

  it('refuses a form posted from another site', async () => {
    const before = await counts();
    const res = await contactMe(CONTACT_ME, {
      headers: { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://elsewhere.example' },
    });
    expect(res.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('limits sends per client address, with a page that says how long to wait and the lines', async () => {
    const address = nextAddress();
    for (let i = 0; i < 10; i++) {
      const res = await contactMe({}, { address });
      expect(res.status, `send ${i + 1}`).toBe(400);
    }
    const before = await counts();
    const res = await contactMe({ ...CONTACT_ME }, { address });
    const html = await res.text();
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expectPublicPage(res, html, 'rate limited');
    expect(html).toContain('Please wait a little');
    expect(await counts()).toEqual(before);
    // another address is not held back
    const other = await contactMe(CONTACT_ME);
    expect(other.status).toBe(200);
    // the address itself is stored nowhere
    const rows = await t.deps.db.selectFrom('rate_limits').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(address);
  });

  it('refuses a body that is far too large', async () => {
    const res = await contactMe({ ...CONTACT_ME, message: 'x'.repeat(300 * 1024) });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('href="tel:911"');
  });
});

describe('/identify/refer', () => {
  it('asks first whether the young person agreed, carrying the screening along', async () => {
    const get = await t.app.request('/identify/refer');
    const getHtml = await get.text();
    expect(get.status).toBe(200);
    expect(getHtml).toContain('name="agreed"');
    expect(getHtml).not.toContain('name="screening"');

    const res = await post('/identify/refer', { screening: JSON.stringify(SCREENING) });
    const html = await res.text();
    expect(res.status).toBe(200);
    expectPublicPage(res, html, 'step 1');
    expect(html).toContain('Has the young person agreed');
    expect(html).toContain('name="screening"');
    expect(JSON.parse(hiddenValue(html, 'screening')!.replace(/&quot;/g, '"'))).toEqual(SCREENING);

    const unanswered = await post('/identify/refer', { agreed: 'perhaps' });
    expect(unanswered.status).toBe(400);
    expect(await unanswered.text()).toContain('href="#agreed"');
  });

  it('prefills the referral form from the screening’s facts', async () => {
    const res = await post('/identify/refer', { agreed: 'yes', screening: JSON.stringify(SCREENING) });
    const html = await res.text();
    expect(res.status).toBe(200);
    expectPublicPage(res, html, 'step 2');
    expect(html).toMatch(/id="age" name="age" type="text" value="15"/);
    expect(html).toMatch(/id="place" name="place" type="text" value="Hennepin"/);
    expect(html).toMatch(/value="yes" checked=""/); // exploitation indicated
    expect(html).toMatch(/<option value="education" selected="">/);
    for (const field of ['youthName', 'contact', 'codeWord', 'times'])
      expect(html).toContain(`name="${field}"`);
    expect(hiddenValue(html, FORM_TOKEN_FIELD)).toBeTruthy();
  });

  it('offers an anonymous consultation without any field for the young person’s name or contact details', async () => {
    const res = await post('/identify/refer', { agreed: 'no' });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('Talk it through with a navigator');
    for (const field of ['youthName', 'contact', 'codeWord', 'times', 'method'])
      expect(html).not.toContain(`name="${field}"`);
  });

  it('answers a tampered or unreadable screening with a clear 400 page, never a 500', async () => {
    const before = await counts();
    const tampered = [
      'not json',
      '{',
      'null',
      '[]',
      '"text"',
      '{}',
      JSON.stringify({ ...SCREENING, extra: true }),
      JSON.stringify({ ...SCREENING, instrument: { id: '', version: '1' } }),
      JSON.stringify({ ...SCREENING, answers: Array.from({ length: 201 }, () => SCREENING.answers[0]) }),
      JSON.stringify({ ...SCREENING, facts: [] }),
      JSON.stringify(SCREENING).replace('"Yes"', '"Y\\u0000es"').replace('mn-indicators', 'x'.repeat(150)),
      'x'.repeat(210_000),
    ];
    for (const screening of tampered) {
      for (const path of ['/identify/refer', '/identify/refer/send']) {
        const res = await post(path, {
          ...REFERRAL,
          screening,
          [FORM_TOKEN_FIELD]: await tokenFor('refer'),
        });
        const html = await res.text();
        expect(res.status, `${path} ${screening.slice(0, 40)}`).toBe(400);
        expect(html).toContain('The screening answers could not be read');
        expect(html).toContain('href="tel:911"');
      }
    }
    expect(await counts()).toEqual(before);
  });

  it('sends a referral: the code is shown once, the status page knows it, the payload is encrypted', async () => {
    const before = await counts();
    const res = await sendReferral({ ...REFERRAL, screening: JSON.stringify(SCREENING) });
    const html = await res.text();
    expect(res.status).toBe(200);
    expectPublicPage(res, html, 'referral sent');
    expectAll(html, ['Referral sent', '4 working hours', 'href="/referral-status"']);
    const code = /id="reference-code">([0-9A-Z-]+)</.exec(html)?.[1];
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect((await counts()).items).toBe(before.items + 1);

    const { row, payload } = await latestItem();
    expect(row).toMatchObject({
      kind: 'professional_referral',
      region_id: 'west-metro',
      county_fips: '27053',
      age: 16,
      age_band: 'under18',
      urgency: 'soon',
    });
    expect(payload.youth).toMatchObject({
      name: 'Vwqz Synthetic',
      codeWord: 'marmaladekite',
      agreedToContact: true,
    });
    expect(payload.referrer).toMatchObject({
      name: 'Synthetic Counsellor Jqxv',
      role: 'education',
      email: null,
    });
    expect(payload.screening).toEqual(SCREENING);
    const raw = JSON.stringify({ ...row, payload_encrypted: row.payload_encrypted.toString('latin1') });
    for (const word of ['Vwqz', 'marmaladekite', 'ocelotmeadow', 'Jqxv', code!])
      expect(raw).not.toContain(word);

    const status = await post('/referral-status', { code: code! });
    const statusHtml = await status.text();
    expect(status.status).toBe(200);
    expectPublicPage(status, statusHtml, 'status');
    expect(statusHtml).toContain('Status: Received');
    // the status page says nothing else about the item
    for (const word of ['Vwqz', 'Hennepin', 'West Metro', 'marmaladekite', 'Spanish', 'education'])
      expect(statusHtml).not.toContain(word);
  });

  it('takes the urgency from the screening when it is more urgent than the form', async () => {
    const screening = { ...SCREENING, facts: { ...SCREENING.facts, immediateDanger: true } };
    const res = await sendReferral({ ...REFERRAL, exploitation: '', screening: JSON.stringify(screening) });
    expect(res.status).toBe(200);
    expect((await latestItem()).row.urgency).toBe('immediate');
  });

  it('tells the referrer to call 911 when they said the young person is in danger now', async () => {
    const res = await sendReferral({ ...REFERRAL, danger: 'yes' });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('Do not wait for the navigator');
    expect((await latestItem()).row.urgency).toBe('immediate');
  });

  it('sends a consultation holding nothing identifying the young person', async () => {
    const res = await sendReferral({ ...CONSULTATION });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('Consultation request sent');
    expect(html).toMatch(/id="reference-code">[0-9A-Z-]+</);
    const { row, payload } = await latestItem();
    expect(row).toMatchObject({ kind: 'consultation', age: 15, urgency: 'soon', region_id: 'west-metro' });
    expect(payload.youth).toEqual(unnamedYouth(false));
  });

  it('refuses a consultation that names the young person or gives their contact details', async () => {
    const before = await counts();
    const extras: Record<string, string>[] = [
      { youthName: 'Vwqz' },
      { contact: '763-555-0111' },
      { codeWord: 'marmaladekite' },
      { method: 'phone_call' },
      { times: 'after school' },
    ];
    for (const extra of extras) {
      const res = await sendReferral({ ...CONSULTATION, ...extra });
      const html = await res.text();
      const field = Object.keys(extra)[0]!;
      expect(res.status, field).toBe(400);
      expect(html, field).toContain(`href="#${field}"`);
      expect(html, field).toContain('send no name or contact details');
    }
    expect(await counts()).toEqual(before);
  });

  it('shows what to fix in a referral, in the order of the form', async () => {
    const before = await counts();
    const res = await sendReferral({
      agreed: 'yes',
      contact: 'not a phone',
      method: 'text_message',
      age: 'sixteen',
      referrerEmail: 'nope',
    });
    const html = await res.text();
    expect(res.status).toBe(400);
    const links = [...html.matchAll(/<li><a href="#([A-Za-z]+)">/g)].map((m) => m[1]);
    expect(links).toEqual([
      'youthName',
      'age',
      'contact',
      'observed',
      'referrerName',
      'referrerRole',
      'referrerEmail',
    ]);
    expect(html).toContain('value="not a phone"');
    expect(await counts()).toEqual(before);
  });

  it('applies the same guards as the young person’s form', async () => {
    const before = await counts();
    const honeypot = await sendReferral({ ...REFERRAL, [HONEYPOT_FIELD]: 'x' });
    expect(honeypot.status).toBe(400);
    const borrowed = await post('/identify/refer/send', {
      ...REFERRAL,
      [FORM_TOKEN_FIELD]: await tokenFor('contact-me'),
    });
    expect(borrowed.status).toBe(400);
    expect(await borrowed.text()).toContain('We could not send this');
    const fast = await post('/identify/refer/send', {
      ...REFERRAL,
      [FORM_TOKEN_FIELD]: await tokenFor('refer', 0),
    });
    expect(fast.status).toBe(400);
    expect(await fast.text()).toContain('value="marmaladekite"');
    expect(await counts()).toEqual(before);
  });
});

describe('/referral-status', () => {
  it('answers an unknown or malformed code the same way, with the form again', async () => {
    for (const code of ['K7QM-4R2D-9XHT', 'nonsense', 'ABCD']) {
      const res = await post('/referral-status', { code });
      const html = await res.text();
      expect(res.status, code).toBe(404);
      expect(html).toContain('We could not find a referral with that code');
      expect(html).toContain('href="#code"');
    }
    expect((await post('/referral-status', {})).status).toBe(400);
  });

  it('limits look-ups per client address', async () => {
    const address = nextAddress();
    for (let i = 0; i < 20; i++)
      expect((await post('/referral-status', { code: 'x' }, { address })).status).toBe(404);
    const res = await post('/referral-status', { code: 'x' }, { address });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(await res.text()).toContain('href="tel:911"');
  });
});

describe('privacy and robustness', () => {
  it('logs the route pattern, never the submitted words', async () => {
    t.logLines.length = 0;
    await contactMe(CONTACT_ME);
    await contactMe({ ...CONTACT_ME, [HONEYPOT_FIELD]: 'x' });
    await sendReferral({ ...REFERRAL, screening: JSON.stringify(SCREENING) });
    await post('/identify/refer/send', { ...REFERRAL, screening: 'tampered {', [FORM_TOKEN_FIELD]: 'x' });
    await post('/referral-status', { code: 'K7QM-4R2D-9XHT' });
    const text = t.logLines.join('\n');
    expect(t.logLines.length).toBeGreaterThanOrEqual(5);
    expect(text).toContain('"route":"/help/contact-me"');
    expect(text).toContain('"route":"/identify/refer/send"');
    for (const word of [
      'pelicanquartz',
      'xylophonequiet',
      '612-555-0177',
      'Qzxwy',
      'Hmong',
      '55401',
      'Vwqz',
      'marmaladekite',
      'ocelotmeadow',
      'Jqxv',
      '651-555-0100',
      'Has anyone offered',
      'K7QM',
    ])
      expect(text, word).not.toContain(word);
    // Nor the client's address (the test's addresses are 10.x.y.z; "ms":10.3 is a duration, not one).
    expect(text).not.toMatch(/\b10\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/);
  });

  it('no input to any intake form answers 500, and nothing is ever written in part', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.constantFrom(
        '',
        ' ',
        '\u0000',
        '<script>',
        '55401',
        'Hennepin',
        '612-555-0100',
        'a@b.co',
        'x'.repeat(5000),
      ),
    );
    const choice = (values: string[]) => fc.oneof(fc.constantFrom(...values), text);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/help/contact-me', '/identify/refer', '/identify/refer/send', '/referral-status'),
        fc.record(
          {
            agreed: choice(['yes', 'no']),
            method: choice(['phone_call', 'text_message', 'email', 'through_referrer', 'other']),
            contact: text,
            times: text,
            codeWord: text,
            name: text,
            youthName: text,
            language: text,
            place: text,
            message: text,
            age: choice(['15', '0', '120', '121', '-1', '1e3']),
            danger: choice(['yes']),
            missing: choice(['yes']),
            exploitation: choice(['yes', 'unsure', 'no']),
            observed: text,
            referrerName: text,
            referrerRole: choice(['education', 'youth_self', 'other_professional']),
            referrerOrganization: text,
            referrerPhone: text,
            referrerEmail: text,
            callbackTimes: text,
            screening: fc.oneof(text, fc.constant(JSON.stringify(SCREENING))),
            code: text,
            [HONEYPOT_FIELD]: fc.constant(''),
          },
          { requiredKeys: [] },
        ),
        fc.boolean(),
        async (path, fields, withToken) => {
          const form: Record<string, string> = { ...(fields as Record<string, string>) };
          if (withToken)
            form[FORM_TOKEN_FIELD] = await tokenFor(path === '/help/contact-me' ? 'contact-me' : 'refer');
          const res = await post(path, form);
          expect(res.status, path).toBeLessThan(500);
          expect(res.headers.get('set-cookie')).toBeNull();
        },
      ),
      { numRuns: 250 },
    );
    const after = await counts();
    expect(after.received).toBe(after.items);
    expect(after.audited).toBe(after.items);
    expect(t.logLines.join('\n')).not.toContain('unexpected error');
  }, 120_000);
});
