/**
 * Announcing and escalating unclaimed items, with a controllable clock: business hours in Minnesota
 * time, weekends and holidays skipped, 24 hours to the state administrators, idempotent runs, and
 * configurable thresholds. Notifications and emails carry no personal data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { decryptField } from '../../platform/crypto/index.ts';
import {
  DEFAULT_ESCALATION,
  escalateDue,
  escalationLevelAt,
  escalationTimes,
  notificationText,
  type EscalationDeps,
} from './escalation.ts';
import { claimItem } from './queue.ts';
import { addItem, addStaff, minnesotaCalendar, type TestStaff } from './queue-testing.ts';

const calendar = minnesotaCalendar();
/** A Minnesota wall-clock time as an instant. */
const mn = (date: string, hour: number, minute = 0) => calendar.instant(date, hour, minute);

let t: TestApp;
let deps: EscalationDeps;
let west: TestStaff[];
let southeast: TestStaff;
let admins: TestStaff[];

async function levelOf(id: string): Promise<number> {
  return (
    await t.deps.db
      .selectFrom('intake_items')
      .select('escalation_level')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).escalation_level;
}

async function notified(id: string): Promise<{ userId: string; kind: string; text: string }[]> {
  const rows = await t.deps.db
    .selectFrom('staff_notifications')
    .select(['user_id', 'kind', 'text'])
    .where('link', '=', `/staff/queue/${id}`)
    .orderBy('created_at')
    .orderBy('user_id')
    .execute();
  return rows.map((r) => ({ userId: r.user_id, kind: r.kind, text: r.text }));
}

const ids = (people: TestStaff[]) => people.map((p) => p.id).sort();

beforeAll(async () => {
  t = await testApp();
  deps = { keyring: t.deps.keyring, site: t.deps.site, calendar, settings: DEFAULT_ESCALATION };
  west = [
    await addStaff(t.deps, 'navigator', ['west-metro']),
    await addStaff(t.deps, 'navigator', ['west-metro', 'central']),
  ];
  // Not notified: disabled, or of another region.
  await addStaff(t.deps, 'navigator', ['west-metro'], { disabled: true });
  southeast = await addStaff(t.deps, 'navigator', ['southeast']);
  admins = [await addStaff(t.deps, 'state_admin'), await addStaff(t.deps, 'state_admin')];
});
afterAll(async () => {
  await t.close();
});

describe('escalation times', () => {
  it('counts 4 business hours from Friday 16:00 to Monday 11:00, and 24 hours outside the weekend to Monday 16:00', () => {
    const friday = mn('2025-02-07', 16);
    const times = escalationTimes(calendar, DEFAULT_ESCALATION, friday);
    expect(times.toRegion).toEqual(mn('2025-02-10', 11));
    expect(times.toState).toEqual(mn('2025-02-10', 16));
    expect(escalationLevelAt(calendar, DEFAULT_ESCALATION, friday, mn('2025-02-10', 10, 59))).toBe(0);
    expect(escalationLevelAt(calendar, DEFAULT_ESCALATION, friday, mn('2025-02-10', 11))).toBe(1);
    expect(escalationLevelAt(calendar, DEFAULT_ESCALATION, friday, mn('2025-02-10', 16))).toBe(2);
  });

  it('skips a holiday (Martin Luther King Jr. Day, Monday 20 January 2025)', () => {
    const times = escalationTimes(calendar, DEFAULT_ESCALATION, mn('2025-01-17', 16));
    expect(times.toRegion).toEqual(mn('2025-01-21', 11));
    expect(times.toState).toEqual(mn('2025-01-21', 16));
  });

  it('says nothing about the young person', () => {
    expect(notificationText('self_referral', 'West Metro', 1, DEFAULT_ESCALATION)).toBe(
      'A self-referral has waited 4 business hours unclaimed in West Metro',
    );
    expect(notificationText('professional_referral', null, 2, DEFAULT_ESCALATION)).toBe(
      'A referral has waited 24 hours unclaimed with no region (the county is not known)',
    );
  });
});

describe('escalateDue', () => {
  it('announces on arrival, escalates at Monday 11:00 (not 10:59) and to the state at Monday 16:00, once each', async () => {
    const id = await addItem(t.deps, { createdAt: mn('2025-02-07', 16) });

    // Arrival: every active navigator of the region, nobody else.
    await escalateDue(t.deps.db, deps, mn('2025-02-07', 16, 1));
    let got = await notified(id);
    expect(got.map((n) => n.userId).sort()).toEqual(ids(west));
    expect(
      got.every((n) => n.kind === 'intake_new' && n.text === 'A referral is waiting in West Metro'),
    ).toBe(true);
    expect(await levelOf(id)).toBe(0);

    // Over the weekend and until 10:59 on Monday: nothing more.
    for (const at of [mn('2025-02-08', 12), mn('2025-02-09', 23), mn('2025-02-10', 10, 59)]) {
      await escalateDue(t.deps.db, deps, at);
    }
    expect(await notified(id)).toHaveLength(2);
    expect(await levelOf(id)).toBe(0);

    // Monday 11:00: all of the region's navigators, saying it has waited.
    await escalateDue(t.deps.db, deps, mn('2025-02-10', 11));
    expect(await levelOf(id)).toBe(1);
    got = await notified(id);
    expect(
      got
        .slice(2)
        .map((n) => n.userId)
        .sort(),
    ).toEqual(ids(west));
    expect(got[2]?.text).toBe('A referral has waited 4 business hours unclaimed in West Metro');

    // Idempotent: the same minute again, or a minute later, changes nothing.
    const again = await escalateDue(t.deps.db, deps, mn('2025-02-10', 11));
    expect(again).toEqual({ announced: 0, toRegion: 0, toState: 0, notifications: 0 });
    await escalateDue(t.deps.db, deps, mn('2025-02-10', 11, 1));
    expect(await notified(id)).toHaveLength(4);

    // Monday 16:00 (24 hours not counting the weekend): every state administrator.
    await escalateDue(t.deps.db, deps, mn('2025-02-10', 15, 59));
    expect(await levelOf(id)).toBe(1);
    await escalateDue(t.deps.db, deps, mn('2025-02-10', 16));
    expect(await levelOf(id)).toBe(2);
    got = await notified(id);
    expect(
      got
        .slice(4)
        .map((n) => n.userId)
        .sort(),
    ).toEqual(ids(admins));
    await escalateDue(t.deps.db, deps, mn('2025-02-12', 9));
    expect(await notified(id)).toHaveLength(6);
    expect(got.some((n) => n.userId === southeast.id)).toBe(false);

    const events = await t.deps.db
      .selectFrom('intake_events')
      .select(['event', 'detail'])
      .where('item_id', '=', id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => [e.event, e.detail])).toEqual([
      ['received', {}],
      ['announced', { level: 0, recipients: 2 }],
      ['escalated', { level: 1, recipients: 2 }],
      ['escalated', { level: 2, recipients: 2 }],
    ]);
    const audit = await t.deps.db
      .selectFrom('audit_events')
      .select(['action', 'actor_kind'])
      .where('subject_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(audit).toEqual([
      { action: 'intake.announce', actor_kind: 'system' },
      { action: 'intake.escalate', actor_kind: 'system' },
      { action: 'intake.escalate', actor_kind: 'system' },
    ]);
  });

  it('skips holidays: a Friday item before Martin Luther King Jr. Day escalates on Tuesday 11:00', async () => {
    const id = await addItem(t.deps, { createdAt: mn('2025-01-17', 16) });
    await escalateDue(t.deps.db, deps, mn('2025-01-20', 12));
    expect(await levelOf(id)).toBe(0);
    await escalateDue(t.deps.db, deps, mn('2025-01-21', 10, 59));
    expect(await levelOf(id)).toBe(0);
    await escalateDue(t.deps.db, deps, mn('2025-01-21', 11));
    expect(await levelOf(id)).toBe(1);
  });

  it('never escalates a claimed item', async () => {
    const id = await addItem(t.deps, { createdAt: mn('2025-03-03', 9) });
    await claimItem({ db: t.deps.db, keyring: t.deps.keyring }, west[0]!.actor, id, {
      ip: '192.0.2.1',
      userAgent: null,
    });
    await escalateDue(t.deps.db, deps, mn('2025-03-10', 9));
    expect(await levelOf(id)).toBe(0);
    expect(await notified(id)).toEqual([]);
  });

  it('sends an item without a region, or in a region with no navigator account, to the state administrators', async () => {
    const nowhere = await addItem(t.deps, {
      regionId: null,
      countyFips: null,
      createdAt: mn('2025-04-01', 9),
    });
    const northwest = await addItem(t.deps, {
      regionId: 'northwest',
      countyFips: '27007',
      createdAt: mn('2025-04-01', 9),
    });
    await escalateDue(t.deps.db, deps, mn('2025-04-01', 9, 1));
    for (const id of [nowhere, northwest]) {
      expect((await notified(id)).map((n) => n.userId).sort()).toEqual(ids(admins));
    }
    expect((await notified(nowhere))[0]?.text).toBe(
      'A referral is waiting with no region (the county is not known)',
    );
  });

  it('jumps straight to the state after a long outage, telling the navigators too', async () => {
    const id = await addItem(t.deps, { createdAt: mn('2025-05-05', 9) });
    await escalateDue(t.deps.db, deps, mn('2025-05-09', 9));
    expect(await levelOf(id)).toBe(2);
    expect((await notified(id)).map((n) => n.userId).sort()).toEqual([...ids(west), ...ids(admins)].sort());
  });

  it('follows configured thresholds', async () => {
    const quick: EscalationDeps = { ...deps, settings: { afterBusinessHours: 2, toStateAfterHours: 20 } };
    const id = await addItem(t.deps, { createdAt: mn('2025-06-06', 16) });
    await escalateDue(t.deps.db, quick, mn('2025-06-09', 8, 59));
    expect(await levelOf(id)).toBe(0);
    await escalateDue(t.deps.db, quick, mn('2025-06-09', 9));
    expect(await levelOf(id)).toBe(1);
    expect((await notified(id)).at(-1)?.text).toBe(
      'A referral has waited 2 business hours unclaimed in West Metro',
    );
    // 20 hours not counting the weekend: Friday 16:00–24:00, then Monday 00:00–12:00.
    await escalateDue(t.deps.db, quick, mn('2025-06-09', 11, 59));
    expect(await levelOf(id)).toBe(1);
    await escalateDue(t.deps.db, quick, mn('2025-06-09', 12));
    expect(await levelOf(id)).toBe(2);
    expect((await notified(id)).at(-1)?.text).toBe('A referral has waited 20 hours unclaimed in West Metro');
  });

  it('notifies once when two instances run at the same moment', async () => {
    const id = await addItem(t.deps, { createdAt: mn('2025-08-04', 9) });
    await Promise.all([
      escalateDue(t.deps.db, deps, mn('2025-08-04', 13)),
      escalateDue(t.deps.db, deps, mn('2025-08-04', 13)),
      escalateDue(t.deps.db, deps, mn('2025-08-04', 13)),
    ]);
    expect(await levelOf(id)).toBe(1);
    expect((await notified(id)).map((n) => n.userId).sort()).toEqual(ids(west));
  });

  it('emails a fixed sentence and a link, never the young person’s details', async () => {
    const id = await addItem(t.deps, { createdAt: mn('2025-07-01', 10) });
    await escalateDue(t.deps.db, deps, mn('2025-07-01', 10, 1));
    const emails = await t.deps.db
      .selectFrom('email_outbox')
      .select(['id', 'subject', 'body_text'])
      .execute();
    const bodies = await Promise.all(
      emails.map((e) =>
        decryptField(
          t.deps.keyring,
          { table: 'email_outbox', recordId: e.id, field: 'body_text' },
          e.body_text!,
        ),
      ),
    );
    const about = bodies.filter((b) => b.includes(`/staff/queue/${id}`));
    expect(about).toHaveLength(2);
    for (const body of about) {
      expect(body).toContain('A referral is waiting in West Metro');
      expect(body).toContain(`${t.deps.site.origin}/staff/queue/${id}`);
      expect(body).not.toMatch(/Synthetic|bluebird|555-01|Hennepin/);
    }
  });
});
