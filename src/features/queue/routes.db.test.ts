/**
 * The queue's pages and API through the app: what a navigator sees and cannot see (404, never 403, for
 * another region's item, by page and by API token), the audited open, claiming and recording contact
 * with forms and CSRF, a lost claim race answered 409, notifications, and the navigation link.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SITE, testApp, type TestApp } from '../../../test/app.ts';
import { expectAll, pageWith } from '../../../test/coordination.ts';
import { addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { createApiToken } from '../accounts/service.ts';
import { addItem, addNotifications, auditOf, itemEvents, itemRow } from './testing.ts';

let t: TestApp;
let navigator: TestStaff;
let colleague: TestStaff;
let admin: TestStaff;
let professional: TestStaff;
let westItem: string;
let southeastItem: string;
let regionlessItem: string;

const { session, get, post } = staffRequests(() => t);

beforeAll(async () => {
  t = await testApp();
  navigator = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic Navigator' });
  colleague = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic Colleague' });
  admin = await addStaff(t.deps, 'state_admin', [], { name: 'Synthetic Admin' });
  professional = await addStaff(t.deps, 'professional');
  westItem = await addItem(t.deps, { urgency: 'immediate', age: 15 });
  southeastItem = await addItem(t.deps, { regionId: 'southeast', countyFips: '27109', age: 17 });
  regionlessItem = await addItem(t.deps, { regionId: null, countyFips: null, age: null, ageBand: '18to24' });
});
afterAll(async () => {
  await t.close();
});

describe('the queue page', () => {
  it('lists the navigator’s region only, with age, county, urgency and time waiting, and no personal details', async () => {
    const html = await pageWith(await get(navigator, '/staff/queue'), 200);
    expect(html).toContain(`/staff/queue/${westItem}`);
    expect(html).not.toContain(southeastItem);
    expect(html).not.toContain(regionlessItem);
    expectAll(html, ['Hennepin', 'West Metro', '<span class="usa-tag nwd-tag-error">Immediate</span>']);
    expect(html).toMatch(/less than a minute|1 minute/);
    expect(html).not.toMatch(/Synthetic Youth|bluebird|555-01/);
    expect(html).toContain('href="/staff/queue" aria-current="page">Referral queue</a>');
  });

  it('shows a state administrator every region and the items without one, with a filter for them', async () => {
    const html = await (await get(admin, '/staff/queue')).text();
    for (const id of [westItem, southeastItem, regionlessItem]) expect(html).toContain(id);
    const none = await (await get(admin, '/staff/queue?region=none')).text();
    expect(none).toContain(regionlessItem);
    expect(none).not.toContain(westItem);
    expect(none).toContain('18 to 24');
  });

  it('refuses a filter for another region, and roles without the queue', async () => {
    const res = await get(navigator, '/staff/queue?region=southeast');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('href="#region"');
    expect((await get(professional, '/staff/queue')).status).toBe(403);
    expect(await (await get(professional, '/staff')).text()).not.toContain('Referral queue');
    const anonymous = await get(null, '/staff/queue');
    expect([anonymous.status, anonymous.headers.get('location')]).toEqual([303, '/staff/sign-in']);
  });
});

describe('another region’s item', () => {
  it('is not found by page, form or API, exactly like an id that does not exist', async () => {
    const missing = crypto.randomUUID();
    for (const id of [southeastItem, regionlessItem, missing]) {
      expect((await get(navigator, `/staff/queue/${id}`)).status).toBe(404);
      expect((await post(navigator, `/staff/queue/${id}/claim`)).status).toBe(404);
      expect((await post(navigator, `/staff/queue/${id}/release`)).status).toBe(404);
      expect(
        (await post(navigator, `/staff/queue/${id}/outcome`, { status: 'closed', outcome: 'duplicate' }))
          .status,
      ).toBe(404);
    }
    const hidden = await (await get(navigator, `/staff/queue/${southeastItem}`)).text();
    const absent = await (await get(navigator, `/staff/queue/${missing}`)).text();
    expect(hidden.replace(/nonce="[^"]+"/g, '')).toBe(absent.replace(/nonce="[^"]+"/g, ''));
    expect(await itemRow(t.deps.db, southeastItem, ['status', 'claimed_by'])).toEqual({
      status: 'new',
      claimed_by: null,
    });
    for (const id of [southeastItem, regionlessItem]) {
      expect(await itemEvents(t.deps.db, id, 'opened')).toEqual([]);
    }
  });

  it('is not listed nor found through the API with a bearer token', async () => {
    const ctx = { db: t.deps.db, keyring: t.deps.keyring, site: t.deps.site };
    /** The navigator's token with these scopes, as request headers. */
    const bearer = async (scopes: ('intake.read' | 'sessions.manage')[]) => {
      const origin = { ip: '192.0.2.1', userAgent: null };
      const request = { userId: navigator.id, scopes, expiresInDays: 1 };
      const { token } = await createApiToken(ctx, 'system', request, origin);
      return { headers: { Authorization: `Bearer ${token}` } };
    };
    const auth = await bearer(['intake.read']);
    const list = await t.app.request('/api/v1/intake', auth);
    expect(list.status).toBe(200);
    const ids = ((await list.json()) as { items: { id: string }[] }).items.map((i) => i.id);
    expect(ids).toContain(westItem);
    expect(ids).not.toContain(southeastItem);
    expect(ids).not.toContain(regionlessItem);
    expect((await t.app.request(`/api/v1/intake/${southeastItem}`, auth)).status).toBe(404);
    expect((await t.app.request(`/api/v1/intake/${regionlessItem}`, auth)).status).toBe(404);
    const one = await t.app.request(`/api/v1/intake/${westItem}`, auth);
    expect(one.status).toBe(200);
    const body = (await one.json()) as { payload: { youth: { name: string } }; age: number };
    expect([body.payload.youth.name, body.age]).toEqual(['Synthetic Youth', 15]);
    const audit = await auditOf(t.deps.db, westItem, 'intake.open');
    expect(audit).toContainEqual(
      expect.objectContaining({ actor_kind: 'token', actor_user_id: navigator.id }),
    );
    // A token without the intake scope is refused; no token at all is asked to sign in.
    const narrow = await bearer(['sessions.manage']);
    expect((await t.app.request('/api/v1/intake', narrow)).status).toBe(403);
    expect((await t.app.request('/api/v1/intake')).status).toBe(401);
  });
});

describe('handling an item through the pages', () => {
  it('opens (audited), claims, records contact, and shows the history', async () => {
    const id = await addItem(t.deps);
    const page = await get(navigator, `/staff/queue/${id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expectAll(html, [
      'Synthetic Youth',
      'bluebird',
      `action="/staff/queue/${id}/claim"`,
      `name="csrf" value="${(await session(navigator)).csrf}"`,
    ]);
    const audits = await auditOf(t.deps.db, id, 'intake.open');
    expect(audits.map((a) => [a.actor_user_id, a.details])).toEqual([
      [navigator.id, { region: 'west-metro', status: 'new' }],
    ]);

    const claimed = await post(navigator, `/staff/queue/${id}/claim`);
    expect([claimed.status, claimed.headers.get('location')]).toEqual([
      303,
      `/staff/queue/${id}?done=claimed`,
    ]);
    const after = await (await get(navigator, `/staff/queue/${id}?done=claimed`)).text();
    expect(after).toContain('You have claimed this referral');
    expect(after).toContain(`action="/staff/queue/${id}/outcome"`);

    // The colleague sees who has it and gets no form; claiming now is a conflict they can read.
    const theirs = await (await get(colleague, `/staff/queue/${id}`)).text();
    expect(theirs).toContain('Synthetic Navigator has claimed it');
    expect(theirs).not.toContain(`action="/staff/queue/${id}/outcome"`);
    const late = await post(colleague, `/staff/queue/${id}/claim`);
    expect(late.status).toBe(409);
    expect(await late.text()).toContain('Someone else has already claimed this referral');

    const record = (outcome: string, note: string) =>
      post(navigator, `/staff/queue/${id}/outcome`, { status: 'contacted', outcome, note });
    const invalid = await record('duplicate', 'Synthetic kept note');
    expect(invalid.status).toBe(400);
    const invalidHtml = await invalid.text();
    expect(invalidHtml).toContain('href="#outcome"');
    expect(invalidHtml).toContain('Synthetic kept note');

    const recorded = await record('spoke_with_youth', 'Synthetic page note');
    expect([recorded.status, recorded.headers.get('location')]).toEqual([
      303,
      `/staff/queue/${id}?done=contacted`,
    ]);
    const done = await (await get(navigator, `/staff/queue/${id}`)).text();
    expect(done).toContain('Synthetic page note');
    expect(done).toContain('Contacted: spoke with the young person');

    // Without the CSRF token the form is refused before it reaches the queue.
    const s = await session(navigator);
    const forged = await t.app.request(`/staff/queue/${id}/release`, {
      method: 'POST',
      body: 'csrf=wrong',
      headers: {
        Cookie: s.cookie,
        Origin: TEST_SITE.origin,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
    });
    expect(forged.status).toBe(403);
    const released = await post(navigator, `/staff/queue/${id}/release`);
    expect(released.status).toBe(303);
    expect(await itemRow(t.deps.db, id, ['status', 'claimed_by'])).toEqual({
      status: 'new',
      claimed_by: null,
    });
  });
});

describe('notifications on the queue page', () => {
  it('shows the count and list, and marks them read', async () => {
    const person = await addStaff(t.deps, 'navigator', ['west-metro']);
    const id = await addItem(t.deps);
    await addNotifications(
      t.deps.db,
      person.id,
      ['A referral is waiting in West Metro', 'A referral has waited 4 business hours'].map((text) => ({
        text,
        link: `/staff/queue/${id}`,
      })),
    );
    const html = await (await get(person, '/staff/queue')).text();
    expect(html).toContain('You have 2 unread notifications.');
    expect(html).toContain('A referral has waited 4 business hours');
    const all = await post(person, '/staff/notifications/read');
    expect([all.status, all.headers.get('location')]).toEqual([303, '/staff/queue?done=read']);
    expect(await (await get(person, '/staff/queue')).text()).toContain('You have no unread notifications.');
    // Marking someone else's notification does nothing.
    const others = await t.deps.db
      .selectFrom('staff_notifications')
      .select('id')
      .where('user_id', '=', person.id)
      .execute();
    await t.deps.db.updateTable('staff_notifications').set({ read_at: null }).execute();
    await post(navigator, `/staff/notifications/${others[0]?.id}/read`);
    expect(await (await get(person, '/staff/queue')).text()).toContain('You have 2 unread notifications.');
  });
});

describe('random input', () => {
  it('never answers 500 to the filters, the outcome form or an id', async () => {
    const id = await addItem(t.deps);
    await post(navigator, `/staff/queue/${id}/claim`);
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('contacted', 'closed', 'other', 'duplicate', 'spoke_with_youth', 'none', '__proto__'),
    );
    await fc.assert(
      fc.asyncProperty(
        text,
        text,
        fc.string({ maxLength: 300 }),
        text,
        async (status, outcome, note, filter) => {
          const form = await post(navigator, `/staff/queue/${id}/outcome`, { status, outcome, note });
          expect([303, 400, 409]).toContain(form.status);
          const list = await get(
            navigator,
            `/staff/queue?${new URLSearchParams({ view: filter, region: filter, urgency: filter })}`,
          );
          expect([200, 400]).toContain(list.status);
          const page = await get(navigator, `/staff/queue/${encodeURIComponent(filter)}`);
          expect([200, 400, 404]).toContain(page.status);
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);
});
