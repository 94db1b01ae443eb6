/**
 * The navigator queue's use cases against a real database: visibility across regions, the audited
 * open, claims (including two at once), outcomes, releases and refused status changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addStaff, type TestStaff } from '../../../test/staff.ts';
import {
  QueueError,
  claimItem,
  listQueue,
  openItem,
  recordOutcome,
  releaseItem,
  type QueueContext,
} from './service.ts';
import { listNotifications, markNotificationsRead } from '../notifications/service.ts';
import { onePerNotice } from '../notifications/views.tsx';
import { addItem, addNotifications, auditOf, itemEvents, itemRow } from './testing.ts';

const ORIGIN = { ip: '192.0.2.1', userAgent: 'vitest' };
let t: TestApp;
let ctx: QueueContext;
let westNavigator: TestStaff;
let westColleague: TestStaff;
let southeastNavigator: TestStaff;
let admin: TestStaff;
let professional: TestStaff;

async function refusal(promise: Promise<unknown>): Promise<QueueError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof QueueError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Why recording "contacted: spoke with the young person" is refused to `actor`. */
async function contactRefusal(actor: TestStaff, id: string): Promise<string> {
  const outcome = { status: 'contacted', outcome: 'spoke_with_youth' } as const;
  return (await refusal(recordOutcome(ctx, actor.actor, id, outcome, ORIGIN))).code;
}

beforeAll(async () => {
  t = await testApp();
  ctx = { db: t.deps.db, keyring: t.deps.keyring };
  westNavigator = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic West One' });
  westColleague = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic West Two' });
  southeastNavigator = await addStaff(t.deps, 'navigator', ['southeast']);
  admin = await addStaff(t.deps, 'state_admin');
  professional = await addStaff(t.deps, 'professional');
});
afterAll(async () => {
  await t.close();
});

describe('visibility across regions', () => {
  it('shows a navigator only the items of their regions, and a state administrator everything', async () => {
    const west = await addItem(t.deps, { regionId: 'west-metro' });
    const southeast = await addItem(t.deps, { regionId: 'southeast', countyFips: '27109' });
    const nowhere = await addItem(t.deps, { regionId: null, countyFips: null });

    const seenWest = (await listQueue(ctx, westNavigator.actor)).map((i) => i.id);
    expect(seenWest).toContain(west);
    expect(seenWest).not.toContain(southeast);
    expect(seenWest).not.toContain(nowhere);

    const seenSoutheast = (await listQueue(ctx, southeastNavigator.actor)).map((i) => i.id);
    expect(seenSoutheast).toContain(southeast);
    expect(seenSoutheast).not.toContain(west);

    const seenAdmin = (await listQueue(ctx, admin.actor)).map((i) => i.id);
    expect(seenAdmin).toEqual(expect.arrayContaining([west, southeast, nowhere]));
    expect((await listQueue(ctx, admin.actor, { region: 'none' })).map((i) => i.id)).toEqual([nowhere]);
    // A navigator asking for another region's items by filter still gets none.
    expect(await listQueue(ctx, westNavigator.actor, { region: 'southeast' })).toEqual([]);
    // A navigator with no regions sees nothing.
    const unassigned = await addStaff(t.deps, 'navigator', []);
    expect(await listQueue(ctx, unassigned.actor)).toEqual([]);
  });

  it('answers another region’s item as not found, whatever is attempted', async () => {
    const southeast = await addItem(t.deps, { regionId: 'southeast', countyFips: '27109' });
    const nowhere = await addItem(t.deps, { regionId: null, countyFips: null });
    for (const id of [southeast, nowhere]) {
      expect((await refusal(openItem(ctx, westNavigator.actor, id, ORIGIN))).code).toBe('not_found');
      expect((await refusal(claimItem(ctx, westNavigator.actor, id, ORIGIN))).code).toBe('not_found');
      expect((await refusal(releaseItem(ctx, westNavigator.actor, id, ORIGIN))).code).toBe('not_found');
      expect(await contactRefusal(westNavigator, id)).toBe('not_found');
    }
    // The same answer as for an id that does not exist at all.
    const missing = await refusal(openItem(ctx, westNavigator.actor, crypto.randomUUID(), ORIGIN));
    const hidden = await refusal(openItem(ctx, westNavigator.actor, southeast, ORIGIN));
    expect(hidden.message).toBe(missing.message);
    expect(await itemRow(t.deps.db, southeast, ['status', 'claimed_by'])).toEqual({
      status: 'new',
      claimed_by: null,
    });
  });

  it('refuses roles without the queue', async () => {
    expect((await refusal(listQueue(ctx, professional.actor))).code).toBe('forbidden');
    const west = await addItem(t.deps);
    expect((await refusal(openItem(ctx, professional.actor, west, ORIGIN))).code).toBe('forbidden');
    // A token without the intake scope is narrowed out.
    const narrowed = { ...westNavigator.actor, tokenScopes: ['sessions.manage' as const] };
    expect((await refusal(listQueue(ctx, narrowed))).code).toBe('forbidden');
  });
});

describe('opening an item', () => {
  it('decrypts the payload, writes an opened event and an audit event without personal data', async () => {
    const id = await addItem(t.deps);
    const item = await openItem(ctx, westNavigator.actor, id, ORIGIN);
    expect(item.payload.youth.name).toBe('Synthetic Youth');
    expect(item.countyName).toBe('Hennepin');
    expect(item.regionName).toBe('West Metro');
    const audit = await auditOf(t.deps.db, id, 'intake.open');
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_user_id).toBe(westNavigator.id);
    expect(audit[0]?.ip).toBe('192.0.2.1');
    expect(JSON.stringify(audit[0])).not.toMatch(/Synthetic|bluebird|555-01/);
    const events = await itemEvents(t.deps.db, id);
    expect(events.map((e) => e.event)).toEqual(['received', 'opened']);
    // The next open shows the first in its history.
    const again = await openItem(ctx, westNavigator.actor, id, ORIGIN);
    expect(again.history.map((h) => [h.event, h.by])).toEqual([
      ['received', 'the system'],
      ['opened', 'Synthetic West One'],
    ]);
  });

  it('rolls the audit back with the read: an item that cannot be decrypted leaves no opened event', async () => {
    const id = await addItem(t.deps);
    await t.deps.db
      .updateTable('intake_items')
      .set({ payload_encrypted: Buffer.from('not a ciphertext at all, just bytes') })
      .where('id', '=', id)
      .execute();
    await expect(openItem(ctx, westNavigator.actor, id, ORIGIN)).rejects.toThrow();
    expect(await itemEvents(t.deps.db, id, 'opened')).toEqual([]);
  });
});

describe('claiming and recording contact', () => {
  it('lets exactly one of two simultaneous claims win; the other is told who has it', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await addItem(t.deps);
      const results = await Promise.allSettled([
        claimItem(ctx, westNavigator.actor, id, ORIGIN),
        claimItem(ctx, westColleague.actor, id, ORIGIN),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]?.reason).toBeInstanceOf(QueueError);
      expect((lost[0]?.reason as QueueError).code).toBe('conflict');
      expect((lost[0]?.reason as QueueError).message).toMatch(/someone else has already claimed/i);
      const claims = await itemEvents(t.deps.db, id, 'claimed');
      expect(claims).toHaveLength(1);
      const row = await itemRow(t.deps.db, id, ['status', 'claimed_by']);
      expect(row.status).toBe('claimed');
      expect(row.claimed_by).toBe(claims[0]?.actor_user_id);
    }
  });

  it('walks an item from new to closed, keeping notes encrypted and refusing illegal changes', async () => {
    const id = await addItem(t.deps);
    // Not claimed yet: no outcome.
    expect(await contactRefusal(westNavigator, id)).toBe('conflict');
    await claimItem(ctx, westNavigator.actor, id, ORIGIN);
    expect((await refusal(claimItem(ctx, westNavigator.actor, id, ORIGIN))).message).toMatch(
      /already claimed/,
    );
    // Only the claimer records contact; a colleague cannot release someone else's claim.
    expect(await contactRefusal(westColleague, id)).toBe('conflict');
    expect((await refusal(releaseItem(ctx, westColleague.actor, id, ORIGIN))).code).toBe('forbidden');
    // Outcome codes must match the status.
    const mismatch = await refusal(
      recordOutcome(ctx, westNavigator.actor, id, { status: 'contacted', outcome: 'duplicate' }, ORIGIN),
    );
    expect([mismatch.code, mismatch.field]).toEqual(['invalid', 'outcome']);
    const other = await refusal(
      recordOutcome(ctx, westNavigator.actor, id, { status: 'closed', outcome: 'other' }, ORIGIN),
    );
    expect([other.code, other.field]).toEqual(['invalid', 'note']);

    for (const outcome of [
      { status: 'could_not_reach', outcome: 'left_safe_message', note: 'Synthetic note one' },
      { status: 'contacted', outcome: 'spoke_with_youth', note: 'Synthetic note two' },
      { status: 'closed', outcome: 'connected_to_services' },
    ] as const) {
      await recordOutcome(ctx, westNavigator.actor, id, outcome, ORIGIN);
    }
    const row = await t.deps.db
      .selectFrom('intake_items')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect([row.status, row.outcome, row.closed_at !== null]).toEqual([
      'closed',
      'connected_to_services',
      true,
    ]);
    expect(row.outcome_note_encrypted?.toString('latin1')).not.toContain('Synthetic note');
    const item = await openItem(ctx, westNavigator.actor, id, ORIGIN);
    expect(item.notes.map((n) => [n.text, n.outcome, n.by])).toEqual([
      ['Synthetic note one', 'left_safe_message', 'Synthetic West One'],
      ['Synthetic note two', 'spoke_with_youth', 'Synthetic West One'],
    ]);
    expect(item.history.map((h) => h.event)).toEqual([
      'received',
      'claimed',
      'could_not_reach',
      'contacted',
      'closed',
    ]);
    // Closed is final.
    expect((await refusal(claimItem(ctx, westNavigator.actor, id, ORIGIN))).code).toBe('conflict');
    expect((await refusal(releaseItem(ctx, westNavigator.actor, id, ORIGIN))).code).toBe('conflict');
    expect(await contactRefusal(westNavigator, id)).toBe('conflict');
    const audit = (await auditOf(t.deps.db, id)).filter((a) => a.action.startsWith('intake.'));
    expect(audit.map((a) => a.action)).toEqual([
      'intake.claim',
      'intake.outcome',
      'intake.outcome',
      'intake.outcome',
      'intake.open',
    ]);
    expect(JSON.stringify(audit)).not.toContain('Synthetic note');
  });

  it('lets the claimer or a state administrator release a claim back to the queue', async () => {
    const id = await addItem(t.deps);
    await claimItem(ctx, westNavigator.actor, id, ORIGIN);
    await releaseItem(ctx, westNavigator.actor, id, ORIGIN);
    await claimItem(ctx, westColleague.actor, id, ORIGIN);
    await releaseItem(ctx, admin.actor, id, ORIGIN);
    const row = await itemRow(t.deps.db, id, ['status', 'claimed_by', 'claimed_at']);
    expect(row).toEqual({ status: 'new', claimed_by: null, claimed_at: null });
    const listed = await listQueue(ctx, westNavigator.actor, { view: 'new' });
    expect(listed.map((i) => i.id)).toContain(id);
  });

  it('lists "mine" and shows who claimed an item', async () => {
    const id = await addItem(t.deps, { urgency: 'immediate' });
    await claimItem(ctx, westColleague.actor, id, ORIGIN);
    const mine = await listQueue(ctx, westColleague.actor, { view: 'mine' });
    expect(mine.map((i) => i.id)).toContain(id);
    const seen = (await listQueue(ctx, westNavigator.actor)).find((i) => i.id === id);
    expect(seen?.claimedBy).toEqual({ userId: westColleague.id, name: 'Synthetic West Two' });
    expect((await listQueue(ctx, westNavigator.actor, { view: 'mine' })).map((i) => i.id)).not.toContain(id);
  });
});

describe('notifications', () => {
  it('lists a person’s notifications, unread first, and marks them read', async () => {
    const person = await addStaff(t.deps, 'navigator', ['west-metro']);
    const id = await addItem(t.deps);
    await addNotifications(t.deps.db, person.id, [
      { text: 'A referral is waiting in West Metro', link: `/staff/queue/${id}` },
      { text: 'Another', link: '/staff/queue' },
    ]);
    expect((await listNotifications(t.deps.db, person.id)).unread).toBe(2);
    // Opening the item marks its notification read.
    await openItem(ctx, person.actor, id, ORIGIN);
    const after = await listNotifications(t.deps.db, person.id);
    expect(after.unread).toBe(1);
    expect(after.notifications[0]?.text).toBe('Another');
    // Someone else cannot mark them.
    expect(await markNotificationsRead(t.deps.db, westNavigator.id, after.notifications[0]?.id ?? '')).toBe(
      0,
    );
    expect(await markNotificationsRead(t.deps.db, person.id, null)).toBe(1);
    expect((await listNotifications(t.deps.db, person.id)).unread).toBe(0);
  });

  it('marks a notice read with its repeats (the same words and link), which show as one line', async () => {
    const person = await addStaff(t.deps, 'navigator', ['west-metro']);
    await addNotifications(t.deps.db, person.id, [
      { text: 'A task of yours in West Metro is due soon', link: '/staff/tasks' },
      { text: 'A task of yours in West Metro is due soon', link: '/staff/tasks' },
      { text: 'A task of yours in West Metro is due soon', link: '/staff/queue' },
    ]);
    const listed = await listNotifications(t.deps.db, person.id);
    expect(onePerNotice(listed.notifications).map((l) => [l.n.link, l.times])).toEqual(
      expect.arrayContaining([
        ['/staff/tasks', 2],
        ['/staff/queue', 1],
      ]),
    );
    const one = listed.notifications.find((n) => n.link === '/staff/tasks')!;
    expect(await markNotificationsRead(t.deps.db, person.id, one.id)).toBe(2);
    expect((await listNotifications(t.deps.db, person.id)).unread).toBe(1);
  });
});
