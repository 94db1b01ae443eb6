/**
 * A request routed to a region whose county membership or navigator is not confirmed tells the state
 * administrators at once (in the app and by email), not when escalation reaches them after 24 hours; a
 * request in a confirmed region does not; a consultation (nobody to contact) does not either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { auditEvents } from '../../../test/coordination.ts';
import { addStaff, type TestStaff } from '../../../test/staff.ts';
import type { IntakePayload } from './payload.ts';
import { createIntakeItem } from './service.ts';

let t: TestApp;
let admin: TestStaff;
beforeAll(async () => {
  t = await testApp();
  admin = await addStaff(t.deps, 'state_admin');
});
afterAll(async () => {
  await t.close();
});

const payload: IntakePayload = {
  youth: {
    name: null,
    contactMethod: 'text_message',
    contactValue: '612-555-0142',
    safeTimes: null,
    codeWord: null,
    language: null,
    agreedToContact: null,
  },
  referrer: null,
  observed: null,
  screening: null,
};

const alertsFor = (itemId: string) =>
  t.deps.db
    .selectFrom('staff_notifications')
    .select(['user_id', 'kind', 'text'])
    .where('link', '=', `/staff/queue/${itemId}`)
    .where('kind', '=', 'intake_unconfirmed_region')
    .execute();
const emails = async () =>
  Number(
    (
      await t.deps.db
        .selectFrom('email_outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('a request in an unconfirmed region', () => {
  it('tells every state administrator at once, in the app and by email', async () => {
    const before = await emails();
    // Dakota County: East Metro, whose counties and navigator are not confirmed.
    const created = await createIntakeItem(t.deps, {
      kind: 'self_referral',
      payload,
      place: { county: '27037' },
    });
    expect(created.regionId).toBe('east-metro');
    const alerts = await alertsFor(created.id);
    expect(alerts.map((a) => a.user_id)).toEqual([admin.id]);
    expect(alerts[0]!.text).toContain('East Metro');
    expect(alerts[0]!.text).not.toContain('612-555-0142');
    expect((await emails()) - before).toBe(1);
    const [audit] = await auditEvents(t.deps.db, {
      action: 'intake.unconfirmed_region_alert',
      subjectId: created.id,
    });
    expect(audit?.details).toMatchObject({ region: 'east-metro', recipients: 1 });
  });

  it('does not alert for a confirmed region, or for a consultation', async () => {
    const confirmed = await createIntakeItem(t.deps, {
      kind: 'self_referral',
      payload,
      place: { county: '27053' },
    });
    expect(confirmed.regionId).toBe('west-metro');
    expect(await alertsFor(confirmed.id)).toEqual([]);
    const consultation = await createIntakeItem(t.deps, {
      kind: 'consultation',
      payload: {
        ...payload,
        youth: { ...payload.youth, contactValue: null, contactMethod: null },
        referrer: {
          name: 'Synthetic Counsellor Qwvx',
          role: 'education',
          organization: 'Synthetic School',
          phone: '651-555-0100',
          email: null,
          callbackTimes: null,
        },
      },
      place: { county: '27037' },
    });
    expect(await alertsFor(consultation.id)).toEqual([]);
  });
});
