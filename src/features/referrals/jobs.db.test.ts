/**
 * Reminders and escalation of referrals nobody answers, with a controllable clock: 2 business days in
 * Minnesota time (weekends and holidays skipped) to the receiving organization, 2 more to the sending
 * region's navigators and the organization's administrators; idempotent runs; nothing once answered;
 * configurable; notifications and emails without personal data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { auditEvents, referralRow } from '../../../test/coordination.ts';
import { addOrganization, type TestStaff } from '../../../test/staff.ts';
import { caseContext } from '../cases/core.ts';
import { decryptField } from '../../platform/crypto/index.ts';
import {
  createReferral,
  DEFAULT_REFERRAL_TIMING,
  transitionReferral,
  type ReferralContext,
} from './service.ts';
import {
  escalationText,
  referralReminderJob,
  reminderText,
  reminderTimes,
  remindDue,
  type ReminderDeps,
} from './jobs.ts';
import { ORIGIN, addCase, addPerson } from './testing.ts';

let t: TestApp;
let deps: ReminderDeps;
let shelterOrg: string;
let emptyOrg: string;
let navigators: TestStaff[];
let southeast: TestStaff;
let shelterStaff: TestStaff;
let shelterAdmin: TestStaff;
let disabledStaff: TestStaff;

const mn = (date: string, hour: number, minute = 0) => t.deps.rules.calendar.instant(date, hour, minute);

function ctxAt(at: Date): ReferralContext {
  return { ...caseContext(t.deps), site: t.deps.site, now: () => at };
}

async function sendAt(at: Date, organizationId = shelterOrg): Promise<string> {
  const caseId = await addCase(t.deps, { person: { chosenName: 'Synthetic Remy' } });
  const created = await createReferral(
    ctxAt(at),
    navigators[0]!.actor,
    caseId,
    {
      toOrganizationId: organizationId,
      serviceType: 'emergency_shelter',
      shareIdentifying: false,
      send: true,
    },
    ORIGIN,
  );
  return created.id;
}

async function told(id: string, kind: string): Promise<string[]> {
  const rows = await t.deps.db
    .selectFrom('staff_notifications')
    .select('user_id')
    .where('link', '=', `/staff/referrals/${id}`)
    .where('kind', '=', kind)
    .execute();
  return rows.map((r) => r.user_id).sort();
}

const ids = (people: TestStaff[]) => people.map((p) => p.id).sort();

beforeAll(async () => {
  t = await testApp();
  deps = {
    keyring: t.deps.keyring,
    site: t.deps.site,
    calendar: t.deps.rules.calendar,
    timing: DEFAULT_REFERRAL_TIMING,
  };
  const host = await addOrganization(t.deps.db, 'Synthetic Navigator Host', 'navigator_host');
  shelterOrg = await addOrganization(t.deps.db, 'Synthetic Shelter', 'shelter_housing');
  emptyOrg = await addOrganization(t.deps.db, 'Synthetic Empty Provider');
  navigators = [
    await addPerson(t.deps, 'navigator', host, ['west-metro']),
    await addPerson(t.deps, 'navigator', host, ['west-metro', 'central']),
  ];
  southeast = await addPerson(t.deps, 'navigator', host, ['southeast']);
  await addPerson(t.deps, 'navigator', host, ['west-metro'], { disabled: true });
  shelterStaff = await addPerson(t.deps, 'provider_staff', shelterOrg);
  shelterAdmin = await addPerson(t.deps, 'org_admin', shelterOrg);
  disabledStaff = await addPerson(t.deps, 'provider_staff', shelterOrg, [], { disabled: true });
});
afterAll(async () => {
  await t.close();
});

describe('when reminders and escalations fall due', () => {
  it('counts business days in Minnesota, skipping the weekend and Thanksgiving', () => {
    const { remindAt, escalateAt } = reminderTimes(
      t.deps.rules.calendar,
      DEFAULT_REFERRAL_TIMING,
      mn('2026-11-20', 10),
    );
    expect(remindAt).toEqual(mn('2026-11-24', 10));
    expect(escalateAt).toEqual(mn('2026-11-27', 10));
  });

  it('stores the reminder time when the referral is sent', async () => {
    const id = await sendAt(mn('2026-11-20', 10));
    expect(await referralRow(t.deps.db, id)).toMatchObject({
      sent_at: mn('2026-11-20', 10),
      remind_at: mn('2026-11-24', 10),
    });
  });
});

describe('remindDue', () => {
  it('reminds the organization’s people who can answer, then escalates to the region and the organization’s administrators, once each', async () => {
    const id = await sendAt(mn('2026-11-20', 10));
    expect(await told(id, 'referral_new')).toEqual(ids([shelterStaff, shelterAdmin]));
    await remindDue(t.deps.db, deps, mn('2026-11-24', 9, 59));
    expect(await told(id, 'referral_reminder')).toEqual([]);

    await remindDue(t.deps.db, deps, mn('2026-11-24', 10));
    expect(await told(id, 'referral_reminder')).toEqual(ids([shelterStaff, shelterAdmin]));
    expect(await told(id, 'referral_reminder')).not.toContain(disabledStaff.id);
    await remindDue(t.deps.db, deps, mn('2026-11-24', 12));
    expect(await told(id, 'referral_reminder')).toHaveLength(2);

    await remindDue(t.deps.db, deps, mn('2026-11-26', 12));
    expect(await told(id, 'referral_escalated')).toEqual([]);
    const report = await remindDue(t.deps.db, deps, mn('2026-11-27', 10));
    expect(report.escalated).toBeGreaterThanOrEqual(1);
    expect(await told(id, 'referral_escalated')).toEqual(ids([...navigators, shelterAdmin]));
    expect(await told(id, 'referral_escalated')).not.toContain(southeast.id);
    await remindDue(t.deps.db, deps, mn('2026-12-10', 10));
    expect(await told(id, 'referral_escalated')).toHaveLength(3);

    expect(await referralRow(t.deps.db, id)).toMatchObject({
      reminded_at: mn('2026-11-24', 10),
      escalated_at: mn('2026-11-27', 10),
    });
    const events = await t.deps.db
      .selectFrom('case_events')
      .innerJoin('referrals', 'referrals.case_id', 'case_events.case_id')
      .select('case_events.event')
      .where('referrals.id', '=', id)
      .where('case_events.event', 'in', ['referral.reminded', 'referral.escalated'])
      .execute();
    expect(events.map((e) => e.event).sort()).toEqual(['referral.escalated', 'referral.reminded']);
    const audit = await auditEvents(t.deps.db, {
      subjectId: id,
      action: ['referral.remind', 'referral.escalate'],
    });
    expect(audit).toMatchObject([
      { action: 'referral.remind', actor_kind: 'system' },
      { action: 'referral.escalate', actor_kind: 'system' },
    ]);
  });

  it('does nothing once the organization has answered', async () => {
    const id = await sendAt(mn('2026-12-01', 9));
    await transitionReferral(ctxAt(mn('2026-12-02', 9)), shelterStaff.actor, id, { to: 'accepted' }, ORIGIN);
    const report = await remindDue(t.deps.db, deps, mn('2026-12-20', 9));
    expect(report).toMatchObject({ reminded: 0, escalated: 0 });
    expect(await told(id, 'referral_reminder')).toEqual([]);
  });

  it('tells the navigators when the organization has nobody who can answer, and does both at once after a long gap', async () => {
    const id = await sendAt(mn('2026-12-07', 9), emptyOrg);
    await remindDue(t.deps.db, deps, mn('2027-01-15', 9));
    expect(await told(id, 'referral_reminder')).toEqual(ids(navigators));
    expect(await told(id, 'referral_escalated')).toEqual(ids(navigators));
    const text = await t.deps.db
      .selectFrom('staff_notifications')
      .select('text')
      .where('link', '=', `/staff/referrals/${id}`)
      .where('kind', '=', 'referral_reminder')
      .executeTakeFirstOrThrow();
    expect(text.text).toMatch(/^Nobody at Synthetic Empty Provider/);
  });

  it('follows the configured number of business days', async () => {
    const quick = { ...deps, timing: { remindAfterBusinessDays: 1, escalateAfterBusinessDays: 1 } };
    const id = await sendAt(mn('2027-02-01', 9));
    // Sent with the default timing: the reminder time is stored, the escalation follows the job's setting.
    await t.deps.db
      .updateTable('referrals')
      .set({ remind_at: mn('2027-02-02', 9) })
      .where('id', '=', id)
      .execute();
    await remindDue(t.deps.db, quick, mn('2027-02-02', 9));
    expect(await told(id, 'referral_reminder')).toHaveLength(2);
    await remindDue(t.deps.db, quick, mn('2027-02-03', 9));
    expect(await told(id, 'referral_escalated')).toHaveLength(3);
  });

  it('writes sentences and emails with nothing about the young person', async () => {
    expect(reminderText(DEFAULT_REFERRAL_TIMING)).toBe(
      'A referral has waited 2 business days for your organization’s answer',
    );
    expect(escalationText(DEFAULT_REFERRAL_TIMING, 'Synthetic Shelter')).toBe(
      'Synthetic Shelter has not answered a referral sent 4 business days ago',
    );
    expect(escalationText(DEFAULT_REFERRAL_TIMING, 'x'.repeat(200))).toBe(
      'A referral has had no answer for 4 business days',
    );
    const emails = await t.deps.db.selectFrom('email_outbox').select(['id', 'body_text']).execute();
    expect(emails.length).toBeGreaterThan(0);
    for (const e of emails) {
      const body = await decryptField(
        t.deps.keyring,
        { table: 'email_outbox', recordId: e.id, field: 'body_text' },
        e.body_text!,
      );
      expect(body).not.toMatch(/Synthetic Remy|555-01|bluebird|Hennepin/);
      expect(body).toMatch(/\/staff\/referrals\/[0-9a-f-]{36}/);
    }
  });

  it('runs as a recurring job every five minutes', async () => {
    const job = referralReminderJob(t.deps.db, deps, () => mn('2027-03-01', 9));
    expect([job.name, job.cron]).toEqual(['referral-reminders', '*/5 * * * *']);
    expect(await job.run()).toMatchObject({ reminded: expect.any(Number) });
  });
});
