/**
 * Referrals as a conversation: the thread between the sending navigators and the receiving
 * organization (encrypted, consent-gated, notified without personal data, audited), notes with an
 * answer, the referrer's contact for the provider, follow-up tasks closed by the answer, and state
 * administrators reading (never writing) referrals across the network.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addOrganization, emailBodies, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { auditActions, auditEvents, caseEventNames, caseEvents } from '../../../test/coordination.ts';
import { addDays } from '../consents/service.ts';
import { THREAD_MESSAGE_MAX } from './conversation.ts';
import { addCase, addConsent, addReferralNetwork } from './testing.ts';

let t: TestApp;
let shelterOrg: string;
let navigator: TestStaff;
let shelterStaff: TestStaff;
let clinicStaff: TestStaff;
let stateAdmin: TestStaff;
let today: string;

const { api, get, post } = staffRequests(() => t);

async function page(person: TestStaff, path: string) {
  const res = await get(person, path);
  return { status: res.status, text: await res.text() };
}

async function form(person: TestStaff, path: string, fields: Record<string, string>) {
  const res = await post(person, path, fields);
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

/** A fresh case with a consent covering the shelter, and a referral with identifying details, sent. */
async function sentReferral(
  shareIdentifying = true,
): Promise<{ caseId: string; id: string; consentId: string }> {
  const caseId = await addCase(t.deps, { person: { chosenName: 'Synthetic Rowan' } });
  const consentId = await addConsent(t.deps.db, {
    caseId,
    organizationId: shelterOrg,
    recordedBy: navigator.id,
    startsOn: today,
    expiresOn: addDays(today, 30),
  });
  const res = await api(navigator, 'POST', `/api/v1/cases/${caseId}/referrals`, {
    toOrganizationId: shelterOrg,
    serviceType: 'emergency_shelter',
    shareIdentifying,
    send: true,
  });
  expect(res.status).toBe(201);
  return { caseId, id: res.json.id, consentId };
}

const notificationsOf = (userId: string) =>
  t.deps.db
    .selectFrom('staff_notifications')
    .select(['text', 'link', 'kind'])
    .where('user_id', '=', userId)
    .where('kind', '=', 'referral_message')
    .execute();

beforeAll(async () => {
  t = await testApp();
  today = t.deps.rules.calendar.local(new Date()).date;
  ({ shelterOrg, navigator, shelterStaff, clinicStaff, stateAdmin } = await addReferralNetwork(t.deps, {
    host: 'Synthetic Thread Host',
    shelter: 'Synthetic Thread Shelter',
    clinic: 'Synthetic Thread Clinic',
    navigator: 'Synthetic Sender',
    shelterStaff: 'Synthetic Bed Keeper',
    stateAdmin: 'Synthetic Overseer',
  }));
});
afterAll(async () => {
  await t.close();
});

describe('the thread on a referral', () => {
  it('carries messages both ways, encrypted, told to the other side without the text, and audited', async () => {
    const { caseId, id } = await sentReferral();
    const ask = await api(navigator, 'POST', `/api/v1/referrals/${id}/messages`, {
      body: 'Synthetic question: is there a bed for Rowan tonight?',
    });
    expect(ask.status).toBe(201);
    const answer = await api(shelterStaff, 'POST', `/api/v1/referrals/${id}/messages`, {
      body: 'Synthetic answer: yes, from 6 pm.',
    });
    expect(answer.status).toBe(201);

    for (const person of [navigator, shelterStaff]) {
      const view = await api(person, 'GET', `/api/v1/referrals/${id}`);
      expect(view.status).toBe(200);
      expect(view.json.thread).toMatchObject({ state: 'open', read: true });
      expect(
        view.json.thread.messages.map((m: { side: string; body: string; author: string }) => [
          m.side,
          m.body,
          m.author,
        ]),
      ).toEqual([
        ['sender', 'Synthetic question: is there a bed for Rowan tonight?', 'Synthetic Sender'],
        ['receiver', 'Synthetic answer: yes, from 6 pm.', 'Synthetic Bed Keeper'],
      ]);
      expect(view.json.thread.post).toBe(person === navigator ? 'sender' : 'receiver');
    }

    // At rest the bodies are ciphertext.
    const rows = await t.deps.db
      .selectFrom('referral_messages')
      .select('body_encrypted')
      .where('referral_id', '=', id)
      .execute();
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.body_encrypted.toString('latin1')).not.toMatch(/Synthetic|Rowan|\bbed\b/);

    // Each side is told, with the reference and nothing else; never the writer.
    const ref = `R-${id.slice(0, 8).toUpperCase()}`;
    expect(await notificationsOf(shelterStaff.id)).toEqual([
      { text: `New message on referral ${ref}`, link: `/staff/referrals/${id}`, kind: 'referral_message' },
    ]);
    expect(await notificationsOf(navigator.id)).toEqual([
      { text: `New message on referral ${ref}`, link: `/staff/referrals/${id}`, kind: 'referral_message' },
    ]);
    for (const body of await emailBodies(t.deps)) expect(body).not.toMatch(/Rowan|bed for|6 pm/);

    const audit = await auditActions(t.deps.db, id);
    expect(audit.filter((a) => a === 'referral.message')).toHaveLength(2);
    expect(audit).toContain('referral.read');
    const events = await caseEvents(t.deps.db, caseId, ['referral.message']);
    expect(events).toHaveLength(2);
    expect(JSON.stringify(events)).not.toMatch(/Rowan|\bbed\b/);
  });

  it('names the field of an empty, too long or unreadable message; another organization gets 404', async () => {
    const { id } = await sentReferral(false);
    const path = `/api/v1/referrals/${id}/messages`;
    const empty = await api(navigator, 'POST', path, { body: '   ' });
    expect([empty.status, empty.json.field]).toEqual([400, 'body']);
    const long = await api(navigator, 'POST', path, { body: 'x'.repeat(THREAD_MESSAGE_MAX + 1) });
    expect(long.status).toBe(400);
    const control = await api(navigator, 'POST', path, { body: 'bell \u0007' });
    expect([control.status, control.json.field]).toEqual([400, 'body']);
    expect((await api(clinicStaff, 'POST', path, { body: 'Synthetic hello' })).status).toBe(404);
    expect((await api(clinicStaff, 'GET', `/api/v1/referrals/${id}`)).status).toBe(404);
    expect(
      await t.deps.db.selectFrom('referral_messages').select('id').where('referral_id', '=', id).execute(),
    ).toEqual([]);
  });

  it('hides the thread from the organization and pauses it while the consent is revoked', async () => {
    const { id, consentId } = await sentReferral();
    expect(
      (await api(shelterStaff, 'POST', `/api/v1/referrals/${id}/messages`, { body: 'Synthetic before' }))
        .status,
    ).toBe(201);
    await t.deps.db
      .updateTable('consents')
      .set({ revoked_at: new Date(), revoked_by: navigator.id })
      .where('id', '=', consentId)
      .execute();
    const receiver = await api(shelterStaff, 'GET', `/api/v1/referrals/${id}`);
    expect(receiver.json.thread).toMatchObject({
      state: 'paused_consent',
      read: false,
      post: null,
      messages: [],
    });
    expect(receiver.text).not.toContain('Synthetic before');
    const sender = await api(navigator, 'GET', `/api/v1/referrals/${id}`);
    expect(sender.json.thread.read).toBe(true);
    expect(sender.json.thread.messages.map((m: { body: string }) => m.body)).toEqual(['Synthetic before']);
    for (const person of [shelterStaff, navigator])
      expect(
        (await api(person, 'POST', `/api/v1/referrals/${id}/messages`, { body: 'Synthetic after' })).status,
      ).toBe(409);
    const html = await page(shelterStaff, `/staff/referrals/${id}`);
    expect(html.status).toBe(200);
    expect(html.text).toContain('Messages are hidden');
    expect(html.text).not.toContain('Synthetic before');
  });

  it('keeps a note with an acceptance on the thread and closes the sender’s follow-up task', async () => {
    const { caseId, id } = await sentReferral();
    const openTasks = () =>
      t.deps.db
        .selectFrom('tasks')
        .select(['id', 'completed_at', 'completed_by'])
        .where('case_id', '=', caseId)
        .where('source', '=', 'referral')
        .where('source_ref', '=', id)
        .execute();
    const before = await openTasks();
    expect(before).toHaveLength(1);
    expect(before[0]!.completed_at).toBeNull();

    const wrongNote = await api(shelterStaff, 'POST', `/api/v1/referrals/${id}/transitions`, {
      to: 'accepted',
      note: 'x'.repeat(THREAD_MESSAGE_MAX + 1),
    });
    expect(wrongNote.status).toBe(400);
    expect((await openTasks())[0]!.completed_at).toBeNull();

    const accepted = await api(shelterStaff, 'POST', `/api/v1/referrals/${id}/transitions`, {
      to: 'accepted',
      note: 'Synthetic note: come to the side door.',
    });
    expect(accepted.status).toBe(200);
    const after = await openTasks();
    expect(after[0]!.completed_at).not.toBeNull();
    expect(after[0]!.completed_by).toBe(shelterStaff.id);
    expect(await caseEventNames(t.deps.db, caseId)).toContain('task.completed');

    const view = await api(navigator, 'GET', `/api/v1/referrals/${id}`);
    expect(view.json.thread.messages).toMatchObject([
      { kind: 'accepted', side: 'receiver', body: 'Synthetic note: come to the side door.' },
    ]);
    // A note is only for accepting or declining.
    const started = await api(shelterStaff, 'POST', `/api/v1/referrals/${id}/transitions`, {
      to: 'in_service',
      note: 'Synthetic',
    });
    expect([started.status, started.json.field]).toEqual([400, 'note']);
  });

  it('takes a decline’s note by form, then reads but no longer writes the finished thread', async () => {
    const { id } = await sentReferral(false);
    const declined = await form(shelterStaff, `/staff/referrals/${id}/transitions`, {
      to: 'declined',
      reason: t.deps.rules.vocabularies.declineReasons[0]!.code,
      note: 'Synthetic note: try the clinic.',
    });
    expect(declined.status).toBe(303);
    const html = await page(navigator, `/staff/referrals/${id}`);
    expect(html.text).toContain('Synthetic note: try the clinic.');
    expect(html.text).toContain('Note with the decline');
    expect(html.text).not.toContain('id="body"');
    const posted = await form(navigator, `/staff/referrals/${id}/messages`, { body: 'Synthetic thanks' });
    expect(posted.status).toBe(409);
    expect(posted.text).toContain('This referral has finished');
  });

  it('shows the provider who referred and how to reach them; a draft has no thread for anyone', async () => {
    const { id } = await sentReferral(false);
    const receiver = await api(shelterStaff, 'GET', `/api/v1/referrals/${id}`);
    expect(receiver.json.referrer).toMatchObject({
      name: 'Synthetic Sender',
      organization: expect.stringContaining('Synthetic Thread Host'),
      region: 'West Metro',
    });
    expect(receiver.json.referrer.email).toMatch(/@/);
    const html = await page(shelterStaff, `/staff/referrals/${id}`);
    expect(html.text).toContain('Who referred');
    expect(html.text).toContain(`mailto:${receiver.json.referrer.email}`);

    const caseId = await addCase(t.deps);
    const draft = await api(navigator, 'POST', `/api/v1/cases/${caseId}/referrals`, {
      toOrganizationId: shelterOrg,
      serviceType: 'emergency_shelter',
      shareIdentifying: false,
    });
    const post = await api(navigator, 'POST', `/api/v1/referrals/${draft.json.id}/messages`, {
      body: 'Synthetic',
    });
    expect(post.status).toBe(409);
    expect((await api(shelterStaff, 'GET', `/api/v1/referrals/${draft.json.id}`)).status).toBe(404);
  });
});

describe('state administrators oversee referrals', () => {
  it('read every region’s referrals and their threads, and cannot write', async () => {
    const { id } = await sentReferral();
    await api(navigator, 'POST', `/api/v1/referrals/${id}/messages`, { body: 'Synthetic oversight check' });

    const inbox = await page(stateAdmin, '/staff/referrals');
    expect(inbox.status).toBe(200);
    expect(inbox.text).toContain('Referrals from every region');
    expect(inbox.text).toContain(`/staff/referrals/${id}`);

    const one = await page(stateAdmin, `/staff/referrals/${id}`);
    expect(one.status).toBe(200);
    expect(one.text).toContain('Synthetic oversight check');
    expect(one.text).toContain('only the two sides write');
    expect(one.text).not.toContain(`action="/staff/referrals/${id}/transitions"`);
    expect(one.text).not.toContain(`action="/staff/referrals/${id}/messages"`);

    const viaApi = await api(stateAdmin, 'GET', `/api/v1/referrals/${id}`);
    expect(viaApi.status).toBe(200);
    expect(viaApi.json.thread).toMatchObject({ read: true, post: null });
    const sentBox = await api(stateAdmin, 'GET', '/api/v1/referrals?box=sent');
    expect(sentBox.json.referrals.map((r: { id: string }) => r.id)).toContain(id);
    expect(
      (await api(stateAdmin, 'POST', `/api/v1/referrals/${id}/messages`, { body: 'Synthetic' })).status,
    ).toBe(403);
    const posted = await form(stateAdmin, `/staff/referrals/${id}/messages`, { body: 'Synthetic' });
    expect(posted.status).toBe(403);
    const answered = await form(stateAdmin, `/staff/referrals/${id}/transitions`, { to: 'accepted' });
    expect(answered.status).toBe(403);
    const audit = await auditEvents(t.deps.db, { subjectId: id, action: 'referral.read' });
    expect(audit.some((a) => a.actor_user_id === stateAdmin.id)).toBe(true);
  });
});

describe('whom a referral may go to', () => {
  it('offers a state agency only when the directory lists a service it provides', async () => {
    const agency = await addOrganization(t.deps.db, 'Synthetic State Department', 'state_agency');
    const caseId = await addCase(t.deps);
    const body = { toOrganizationId: agency, serviceType: 'emergency_shelter', shareIdentifying: false };
    const refused = await api(navigator, 'POST', `/api/v1/cases/${caseId}/referrals`, body);
    expect([refused.status, refused.json.field]).toEqual([400, 'toOrganizationId']);
    const form = await page(navigator, `/staff/cases/${caseId}/referrals`);
    expect(form.text).toContain(`value="${shelterOrg}"`);
    expect(form.text).not.toContain(`value="${agency}"`);

    const name = (await t.deps.db
      .selectFrom('member_organizations')
      .select('name')
      .where('id', '=', agency)
      .executeTakeFirstOrThrow())!.name;
    const service = await t.deps.db.selectFrom('directory_services').select('id').executeTakeFirstOrThrow();
    await t.deps.db
      .updateTable('directory_services')
      .set({ organization_name: name.toUpperCase() })
      .where('id', '=', service.id)
      .execute();
    expect((await page(navigator, `/staff/cases/${caseId}/referrals`)).text).toContain(`value="${agency}"`);
    expect((await api(navigator, 'POST', `/api/v1/cases/${caseId}/referrals`, body)).status).toBe(201);
  });
});

describe('outside referrals', () => {
  it('records a referral to a directory service outside the network and its status by hand', async () => {
    const caseId = await addCase(t.deps);
    const services = await t.deps.db.selectFrom('directory_services').select(['id', 'name']).execute();
    // A service whose organization is a member is refused: refer to it in the product.
    const memberName = 'Synthetic Member With Service';
    await addOrganization(t.deps.db, memberName, 'service_provider');
    const actualMember = (await t.deps.db
      .selectFrom('member_organizations')
      .select('name')
      .where('name', 'like', `${memberName}%`)
      .executeTakeFirstOrThrow())!.name;
    await t.deps.db
      .updateTable('directory_services')
      .set({ organization_name: actualMember })
      .where('id', '=', services[1]!.id)
      .execute();
    await t.deps.db
      .updateTable('directory_services')
      .set({ organization_name: 'Synthetic Outside Organization' })
      .where('id', '=', services[2]!.id)
      .execute();

    const tab = await page(navigator, `/staff/cases/${caseId}/referrals`);
    expect(tab.text).toContain('Referrals outside the network');
    expect(tab.text).toContain(`value="${services[2]!.id}"`);
    expect(tab.text).not.toContain(`value="${services[1]!.id}"`);

    const member = await form(navigator, `/staff/cases/${caseId}/outside-referrals`, {
      directoryServiceId: services[1]!.id,
      outsideServiceType: 'emergency_shelter',
    });
    expect(member.status).toBe(400);
    const missing = await form(navigator, `/staff/cases/${caseId}/outside-referrals`, {
      directoryServiceId: services[2]!.id,
      outsideServiceType: '',
    });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('href="#outsideServiceType"');

    const made = await form(navigator, `/staff/cases/${caseId}/outside-referrals`, {
      directoryServiceId: services[2]!.id,
      outsideServiceType: 'emergency_shelter',
      outsideNote: 'Synthetic note: called their front desk.',
    });
    expect(made.status).toBe(303);
    const row = await t.deps.db
      .selectFrom('outside_referrals')
      .selectAll()
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'sent',
      service_name: services[2]!.name,
      organization_name: 'Synthetic Outside Organization',
    });
    expect(row.note_encrypted!.toString('latin1')).not.toContain('front desk');

    // Status by hand: accepted, then completed; a step back is a conflict; others cannot.
    const steps: [TestStaff, string, number][] = [
      [clinicStaff, 'accepted', 403],
      [stateAdmin, 'accepted', 403],
      [navigator, 'accepted', 303],
      [navigator, 'sent', 409],
      [navigator, 'nonsense', 400],
      [navigator, 'completed', 303],
    ];
    for (const [person, status, expected] of steps)
      expect((await form(person, `/staff/outside-referrals/${row.id}/status`, { status })).status).toBe(
        expected,
      );
    const after = await page(navigator, `/staff/cases/${caseId}/referrals`);
    expect(after.text).toContain('1 outside referral, newest first');
    expect(after.text).toContain('Completed');
    expect(await auditActions(t.deps.db, row.id)).toEqual([
      'outside_referral.record',
      'outside_referral.update',
      'outside_referral.update',
    ]);
    // Counted with the referrals sent from the region.
    expect((await page(navigator, '/staff/referrals?box=sent')).text).toContain(
      'Also 1 referral to services outside the network (0 still open)',
    );
    // State administrators read it on the case's tab.
    expect((await page(stateAdmin, `/staff/cases/${caseId}/referrals`)).text).toContain(services[2]!.name);
  });
});
