/**
 * Announcing and escalating unclaimed items, with a controllable clock: business hours in Minnesota
 * time, weekends and holidays skipped, 24 hours to the state administrators, idempotent runs, and
 * configurable thresholds. Notifications and emails carry no personal data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addStaff, emailBodies, type TestStaff } from '../../../test/staff.ts';
import {
  DEFAULT_ESCALATION,
  escalateDue,
  escalationLevelAt,
  escalationTimes,
  notificationText,
  type EscalationDeps,
} from './jobs.ts';
import { claimItem } from './service.ts';
import { addItem, auditOf, itemEvents, itemRow, minnesotaCalendar } from './testing.ts';

const calendar = minnesotaCalendar();
/** A Minnesota wall-clock time as an instant. */
const mn = (date: string, hour: number, minute = 0) => calendar.instant(date, hour, minute);

let t: TestApp;
let deps: EscalationDeps;
let west: TestStaff[];
let southeast: TestStaff;
let admins: TestStaff[];

async function levelOf(id: string): Promise<number> {
  return (await itemRow(t.deps.db, id, ['escalation_level'])).escalation_level;
}

/** The item's escalation level after a run of the job at `at`. */
async function levelAfter(settings: EscalationDeps, id: string, at: Date): Promise<number> {
  await escalateDue(t.deps.db, settings, at);
  return levelOf(id);
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
/** Who the notifications went to, sorted. */
const userIds = (notes: { userId: string }[]) => notes.map((n) => n.userId).sort();

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
  it('counts 4 business hours from Friday 16:00 to Monday 11:00, but 24 clock hours to the state: Saturday 16:00', () => {
    const friday = mn('2025-02-07', 16);
    const times = escalationTimes(calendar, DEFAULT_ESCALATION, friday);
    expect(times.toRegion).toEqual(mn('2025-02-10', 11));
    expect(times.toState).toEqual(mn('2025-02-08', 16));
    expect(escalationLevelAt(calendar, DEFAULT_ESCALATION, friday, mn('2025-02-08', 15, 59))).toBe(0);
    expect(escalationLevelAt(calendar, DEFAULT_ESCALATION, friday, mn('2025-02-08', 16))).toBe(2);
    const tuesday = mn('2025-02-04', 14);
    expect(escalationLevelAt(calendar, DEFAULT_ESCALATION, tuesday, mn('2025-02-05', 8, 59))).toBe(0);
    expect(escalationLevelAt(calendar, DEFAULT_ESCALATION, tuesday, mn('2025-02-05', 9))).toBe(1);
    expect(escalationLevelAt(calendar, DEFAULT_ESCALATION, tuesday, mn('2025-02-05', 14))).toBe(2);
  });

  it('skips a holiday in business hours (Martin Luther King Jr. Day, Monday 20 January 2025)', () => {
    const times = escalationTimes(calendar, DEFAULT_ESCALATION, mn('2025-01-17', 16));
    expect(times.toRegion).toEqual(mn('2025-01-21', 11));
    expect(times.toState).toEqual(mn('2025-01-18', 16));
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
  it('announces on arrival, escalates after 4 business hours (Wednesday 09:00, not 08:59) and to the state after 24 hours, once each', async () => {
    const id = await addItem(t.deps, { createdAt: mn('2025-02-04', 14) });

    // Arrival: every active navigator of the region, nobody else.
    await escalateDue(t.deps.db, deps, mn('2025-02-04', 14, 1));
    let got = await notified(id);
    expect(userIds(got)).toEqual(ids(west));
    expect(
      got.every((n) => n.kind === 'intake_new' && n.text === 'A referral is waiting in West Metro'),
    ).toBe(true);
    expect(await levelOf(id)).toBe(0);

    // Overnight and until 08:59 on Wednesday (Tuesday 14–17 and Wednesday 08–09 are the 4 business hours).
    for (const at of [mn('2025-02-04', 17), mn('2025-02-05', 3), mn('2025-02-05', 8, 59)]) {
      await escalateDue(t.deps.db, deps, at);
    }
    expect(await notified(id)).toHaveLength(2);
    expect(await levelOf(id)).toBe(0);

    // Wednesday 09:00: all of the region's navigators, saying it has waited.
    expect(await levelAfter(deps, id, mn('2025-02-05', 9))).toBe(1);
    got = await notified(id);
    expect(userIds(got.slice(2))).toEqual(ids(west));
    expect(got[2]?.text).toBe('A referral has waited 4 business hours unclaimed in West Metro');

    // Idempotent: the same minute again, or a minute later, changes nothing.
    const again = await escalateDue(t.deps.db, deps, mn('2025-02-05', 9));
    expect(again).toEqual({ announced: 0, toRegion: 0, toState: 0, notifications: 0 });
    await escalateDue(t.deps.db, deps, mn('2025-02-05', 9, 1));
    expect(await notified(id)).toHaveLength(4);

    // Wednesday 14:00 (24 hours): every state administrator.
    expect(await levelAfter(deps, id, mn('2025-02-05', 13, 59))).toBe(1);
    expect(await levelAfter(deps, id, mn('2025-02-05', 14))).toBe(2);
    got = await notified(id);
    expect(userIds(got.slice(4))).toEqual(ids(admins));
    await escalateDue(t.deps.db, deps, mn('2025-02-07', 9));
    expect(await notified(id)).toHaveLength(6);
    expect(got.some((n) => n.userId === southeast.id)).toBe(false);

    const events = await itemEvents(t.deps.db, id);
    expect(events.map((e) => [e.event, e.detail])).toEqual([
      ['received', {}],
      ['announced', { level: 0, recipients: 2 }],
      ['escalated', { level: 1, recipients: 2 }],
      ['escalated', { level: 2, recipients: 2 }],
    ]);
    const audit = await auditOf(t.deps.db, id);
    expect(audit.map((a) => [a.action, a.actor_kind])).toEqual([
      ['intake.announce', 'system'],
      ['intake.escalate', 'system'],
      ['intake.escalate', 'system'],
    ]);
  });

  it('skips holidays: a Friday item before Martin Luther King Jr. Day reaches the region on Tuesday 11:00', async () => {
    // A longer state threshold, so that the region's step comes first.
    const patient: EscalationDeps = { ...deps, settings: { afterBusinessHours: 4, toStateAfterHours: 120 } };
    const id = await addItem(t.deps, { createdAt: mn('2025-01-17', 16) });
    expect(await levelAfter(patient, id, mn('2025-01-20', 12))).toBe(0);
    expect(await levelAfter(patient, id, mn('2025-01-21', 10, 59))).toBe(0);
    expect(await levelAfter(patient, id, mn('2025-01-21', 11))).toBe(1);
  });

  it('reaches the state administrators on Saturday for an item left on Friday afternoon, telling the navigators too', async () => {
    const id = await addItem(t.deps, { createdAt: mn('2025-02-14', 16) });
    await escalateDue(t.deps.db, deps, mn('2025-02-14', 16, 1));
    expect(await levelAfter(deps, id, mn('2025-02-15', 15, 59))).toBe(0);
    expect(await levelAfter(deps, id, mn('2025-02-15', 16))).toBe(2);
    const got = await notified(id);
    expect(got.filter((n) => ids(admins).includes(n.userId))).toHaveLength(admins.length);
    expect(got.filter((n) => ids(west).includes(n.userId)).length).toBeGreaterThanOrEqual(2 * west.length);
  });

  it('never escalates a claimed item', async () => {
    const id = await addItem(t.deps, { createdAt: mn('2025-03-03', 9) });
    await claimItem({ db: t.deps.db, keyring: t.deps.keyring }, west[0]!.actor, id, {
      ip: '192.0.2.1',
      userAgent: null,
    });
    expect(await levelAfter(deps, id, mn('2025-03-10', 9))).toBe(0);
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
      expect(userIds(await notified(id))).toEqual(ids(admins));
    }
    expect((await notified(nowhere))[0]?.text).toBe(
      'A referral is waiting with no region (the county is not known)',
    );
  });

  it('jumps straight to the state after a long outage, telling the navigators too', async () => {
    const id = await addItem(t.deps, { createdAt: mn('2025-05-05', 9) });
    expect(await levelAfter(deps, id, mn('2025-05-09', 9))).toBe(2);
    expect(userIds(await notified(id))).toEqual([...ids(west), ...ids(admins)].sort());
  });

  it('follows configured thresholds', async () => {
    const quick: EscalationDeps = { ...deps, settings: { afterBusinessHours: 2, toStateAfterHours: 20 } };
    const id = await addItem(t.deps, { createdAt: mn('2025-06-03', 16) });
    // 2 business hours: Tuesday 16–17, then Wednesday 08–09.
    expect(await levelAfter(quick, id, mn('2025-06-04', 8, 59))).toBe(0);
    expect(await levelAfter(quick, id, mn('2025-06-04', 9))).toBe(1);
    expect((await notified(id)).at(-1)?.text).toBe(
      'A referral has waited 2 business hours unclaimed in West Metro',
    );
    // 20 hours: Wednesday 12:00.
    expect(await levelAfter(quick, id, mn('2025-06-04', 11, 59))).toBe(1);
    expect(await levelAfter(quick, id, mn('2025-06-04', 12))).toBe(2);
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
    expect(userIds(await notified(id))).toEqual(ids(west));
  });

  it('emails a fixed sentence and a link, never the young person’s details', async () => {
    const id = await addItem(t.deps, { createdAt: mn('2025-07-01', 10) });
    await escalateDue(t.deps.db, deps, mn('2025-07-01', 10, 1));
    const bodies = await emailBodies(t.deps);
    const about = bodies.filter((b) => b.includes(`/staff/queue/${id}`));
    expect(about).toHaveLength(2);
    for (const body of about) {
      expect(body).toContain('A referral is waiting in West Metro');
      expect(body).toContain(`${t.deps.site.origin}/staff/queue/${id}`);
      expect(body).not.toMatch(/Synthetic|bluebird|555-01|Hennepin/);
    }
  });
});
