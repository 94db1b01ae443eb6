/**
 * Shelter requests through the service: who may send and answer, a request without free text, the whole
 * flow (request → offers and a decline with its reason → confirmation → referral and placement), release
 * of the other held beds, a hold that runs out, escalation once, ending a placement, and the races for the
 * last bed (two offers, two confirmations) on separate connections.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../../../test/refusal.ts';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addOrganization, addStaff, emailBodies, type TestStaff } from '../../../test/staff.ts';
import { ServiceError } from '../../platform/errors.ts';
import { addProgram as addProgramTo, bedsOf as bedsIn, type TestProgram } from '../../../test/shelter.ts';
import { addCase, ORIGIN } from '../referrals/testing.ts';
import { runShelterJob } from './jobs.ts';
import { answerRequest, confirmOffer } from './offers.ts';
import { endPlacement } from './placements.ts';
import {
  caseHousing,
  requestDetail,
  providerInbox,
  sendRequest,
  shelterContext,
  type ShelterContext,
} from './service.ts';

const MINUTE = 60_000;
let t: TestApp;
let base: ShelterContext;
let T0: number;
let navigator: TestStaff;
let navigator2: TestStaff;
let southeast: TestStaff;
let stateAdmin: TestStaff;
let providerA: TestStaff;
let providerB: TestStaff;
let orgA: string;
let orgB: string;
let programA: string;
let programB: string;

const at = (minutes: number): ShelterContext => ({ ...base, now: () => new Date(T0 + minutes * MINUTE) });
const job = (minutes: number) =>
  runShelterJob(
    t.deps.db,
    { keyring: t.deps.keyring, site: t.deps.site, escalateMinutes: 30 },
    new Date(T0 + minutes * MINUTE),
  );

const addProgram = (organizationId: string, p: TestProgram) => addProgramTo(t.deps.db, organizationId, p);
const bedsOf = (id: string) => bedsIn(t.deps.db, id);

const notified = async (userId: string, kind: string) =>
  (
    await t.deps.db
      .selectFrom('staff_notifications')
      .select(['link'])
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .execute()
  ).map((r) => r.link);

const REQUEST = { ageBand: '16-17', gender: 'female', county: '27053', urgency: 'tonight' } as const;

beforeAll(async () => {
  t = await testApp();
  base = shelterContext(t.deps);
  T0 = Date.now();
  const host = await addOrganization(t.deps.db, 'Synthetic Navigator Host', 'navigator_host');
  orgA = await addOrganization(t.deps.db, 'Synthetic Shelter A', 'shelter_housing');
  orgB = await addOrganization(t.deps.db, 'Synthetic Shelter B', 'shelter_housing');
  const orgC = await addOrganization(t.deps.db, 'Synthetic Shelter C', 'shelter_housing');
  navigator = await addStaff(t.deps, 'navigator', ['west-metro'], { organizationId: host });
  navigator2 = await addStaff(t.deps, 'navigator', ['west-metro'], { organizationId: host });
  southeast = await addStaff(t.deps, 'navigator', ['southeast'], { organizationId: host });
  stateAdmin = await addStaff(t.deps, 'state_admin', [], { organizationId: host });
  providerA = await addStaff(t.deps, 'provider_staff', [], { organizationId: orgA });
  providerB = await addStaff(t.deps, 'provider_staff', [], { organizationId: orgB });
  programA = await addProgram(orgA, {
    name: 'Synthetic Harbor A',
    genders: ['female'],
    minAge: 12,
    maxAge: 17,
    available: 3,
    total: 6,
  });
  programB = await addProgram(orgB, {
    name: 'Synthetic Harbor B',
    genders: ['female', 'nonbinary'],
    minAge: 14,
    maxAge: 24,
    available: 2,
    total: 4,
  });
  await addProgram(orgC, {
    name: 'Synthetic Harbor C',
    genders: ['male'],
    minAge: 12,
    maxAge: 17,
    available: 2,
    total: 2,
  });
});
afterAll(async () => {
  await t.close();
});

describe('sending a request', () => {
  it('goes to every program that fits, tells their staff, and is on the case’s timeline', async () => {
    const caseId = await addCase(t.deps);
    const sent = await sendRequest(at(0), navigator.actor, caseId, REQUEST, ORIGIN);
    expect(sent.programs).toBe(2);
    const view = await requestDetail(at(0), navigator.actor, sent.id);
    expect(view.offers.map((o) => o.programName).sort()).toEqual([
      'Synthetic Harbor A',
      'Synthetic Harbor B',
    ]);
    expect(await notified(providerA.id, 'shelter_request')).toContain('/staff/shelter-requests');
    const events = await t.deps.db
      .selectFrom('case_events')
      .select('event')
      .where('case_id', '=', caseId)
      .execute();
    expect(events.map((e) => e.event)).toContain('shelter_request.sent');
    // Provider staff see the request, with only their own program's offer.
    const inbox = await providerInbox(at(0), providerA.actor);
    const mine = inbox.find((r) => r.id === sent.id)!;
    expect(mine.offers.map((o) => o.programId)).toEqual([programA]);
    // The emails say a fixed sentence and a link: nothing about the young person.
    const emails = await emailBodies(t.deps);
    expect(emails.some((e) => e.includes('A navigator is asking for a bed'))).toBe(true);
    for (const e of emails) expect(e).not.toMatch(/Synthetic Sky|555-0100|bluebird/);
  });

  it('refuses free text, other regions’ cases and other roles', async () => {
    const caseId = await addCase(t.deps);
    const text = await refusal(
      sendRequest(at(0), navigator.actor, caseId, { ...REQUEST, note: 'Sky, 16' }, ORIGIN),
    );
    expect(text.code).toBe('invalid');
    expect((await refusal(sendRequest(at(0), southeast.actor, caseId, REQUEST, ORIGIN))).code).toBe(
      'not_found',
    );
    expect((await refusal(sendRequest(at(0), providerA.actor, caseId, REQUEST, ORIGIN))).code).toBe(
      'forbidden',
    );
    const band = await refusal(
      sendRequest(at(0), navigator.actor, caseId, { ...REQUEST, ageBand: '16' }, ORIGIN),
    );
    expect(band.field).toBe('ageBand');
  });
});

describe('answers and confirmation', () => {
  it('holds a bed on an offer, records a decline’s reason, confirms into a referral and a placement', async () => {
    const caseId = await addCase(t.deps);
    const { id } = await sendRequest(at(0), navigator.actor, caseId, REQUEST, ORIGIN);
    const before = await bedsOf(programA);
    const offer = await answerRequest(
      at(1),
      providerA.actor,
      id,
      { answer: 'offer', programId: programA },
      ORIGIN,
    );
    expect(offer.status).toBe('holding');
    expect(offer.heldUntil!.getTime()).toBe(T0 + (1 + 120) * MINUTE);
    expect(await bedsOf(programA)).toBe(before! - 1);
    await answerRequest(
      at(2),
      providerB.actor,
      id,
      { answer: 'decline', programId: programB, reason: 'safety' },
      ORIGIN,
    );
    expect(
      (
        await refusal(
          answerRequest(at(3), providerA.actor, id, { answer: 'offer', programId: programA }, ORIGIN),
        )
      ).code,
    ).toBe('conflict');
    expect(
      (
        await refusal(
          answerRequest(at(3), providerB.actor, id, { answer: 'offer', programId: programA }, ORIGIN),
        )
      ).code,
    ).toBe('not_found');
    expect(
      (
        await refusal(
          answerRequest(at(3), providerB.actor, id, { answer: 'decline', programId: programB }, ORIGIN),
        )
      ).field,
    ).toBe('reason');
    expect(await notified(navigator.id, 'shelter_answer')).toContain(`/staff/shelter-requests/${id}`);

    const view = await requestDetail(at(4), navigator.actor, id);
    const a = view.offers.find((o) => o.programId === programA)!;
    expect(view.offers.find((o) => o.programId === programB)).toMatchObject({
      status: 'declined',
      declineReason: 'safety',
    });
    expect((await refusal(confirmOffer(at(4), providerA.actor, id, { offerId: a.id }, ORIGIN))).code).toBe(
      'forbidden',
    );
    const done = await confirmOffer(
      at(5),
      navigator.actor,
      id,
      { offerId: a.id, shareIdentifying: true },
      ORIGIN,
    );
    // Without a consent naming the shelter, the referral goes without identifying details.
    expect(done.sharedIdentifying).toBe(false);
    const referral = await t.deps.db
      .selectFrom('referrals')
      .selectAll()
      .where('id', '=', done.referralId!)
      .executeTakeFirstOrThrow();
    expect(referral).toMatchObject({
      case_id: caseId,
      to_organization_id: orgA,
      share_identifying: false,
      status: 'sent',
    });
    expect(await bedsOf(programA)).toBe(before! - 1);
    const housing = await caseHousing(at(6), navigator.actor, caseId, ORIGIN);
    expect(housing.placements).toMatchObject([{ programName: 'Synthetic Harbor A', endedAt: null }]);
    expect(housing.requests[0]).toMatchObject({ status: 'placed', referralId: done.referralId });
    const again = await refusal(confirmOffer(at(6), navigator.actor, id, { offerId: a.id }, ORIGIN));
    expect(again.message).toMatch(/already has a confirmed bed/);
    const audit = await t.deps.db
      .selectFrom('audit_events')
      .select('action')
      .where('subject_id', '=', id)
      .execute();
    expect(audit.map((r) => r.action)).toEqual(
      expect.arrayContaining(['shelter_request.create', 'shelter_request.confirm']),
    );

    // Ending the placement: why and where they went, on the timeline.
    const bad = await refusal(
      endPlacement(
        at(7),
        navigator.actor,
        done.placementId,
        { reason: 'planned_move', wentTo: 'moon' },
        ORIGIN,
      ),
    );
    expect(bad.field).toBe('wentTo');
    await endPlacement(
      at(8),
      navigator.actor,
      done.placementId,
      { reason: 'planned_move', wentTo: 'with_family' },
      ORIGIN,
    );
    expect(
      (
        await refusal(
          endPlacement(
            at(9),
            navigator2.actor,
            done.placementId,
            { reason: 'other', wentTo: 'unknown' },
            ORIGIN,
          ),
        )
      ).code,
    ).toBe('conflict');
    expect(
      (
        await refusal(
          endPlacement(
            at(9),
            southeast.actor,
            done.placementId,
            { reason: 'other', wentTo: 'unknown' },
            ORIGIN,
          ),
        )
      ).code,
    ).toBe('not_found');
    const ended = await caseHousing(at(10), navigator.actor, caseId, ORIGIN);
    expect(ended.placements[0]).toMatchObject({ endReason: 'planned_move', wentTo: 'with_family' });
    const events = await t.deps.db
      .selectFrom('case_events')
      .select('event')
      .where('case_id', '=', caseId)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.event)).toEqual(
      expect.arrayContaining(['placement.started', 'placement.ended', 'referral.created']),
    );
  });

  it('releases and thanks the other programs, giving their held beds back', async () => {
    const caseId = await addCase(t.deps);
    const { id } = await sendRequest(at(0), navigator.actor, caseId, REQUEST, ORIGIN);
    const a0 = await bedsOf(programA);
    const b0 = await bedsOf(programB);
    await answerRequest(at(1), providerA.actor, id, { answer: 'offer', programId: programA }, ORIGIN);
    await answerRequest(at(1), providerB.actor, id, { answer: 'offer', programId: programB }, ORIGIN);
    expect([await bedsOf(programA), await bedsOf(programB)]).toEqual([a0! - 1, b0! - 1]);
    const b = (await requestDetail(at(2), navigator.actor, id)).offers.find((o) => o.programId === programB)!;
    await confirmOffer(at(2), navigator.actor, id, { offerId: b.id }, ORIGIN);
    expect([await bedsOf(programA), await bedsOf(programB)]).toEqual([a0, b0! - 1]);
    expect(
      (await requestDetail(at(3), navigator.actor, id)).offers.find((o) => o.programId === programA)!.status,
    ).toBe('released');
    expect(await notified(providerA.id, 'shelter_released')).toHaveLength(1);
    expect(await notified(providerB.id, 'shelter_confirmed')).toHaveLength(1);
  });
});

describe('a hold that runs out and a request nobody answers', () => {
  it('gives the bed back after the hold time; a later confirmation takes a bed only if one is free', async () => {
    const caseId = await addCase(t.deps);
    const { id } = await sendRequest(at(0), navigator.actor, caseId, { ...REQUEST, holdMinutes: 30 }, ORIGIN);
    const b0 = await bedsOf(programB);
    await answerRequest(at(1), providerB.actor, id, { answer: 'offer', programId: programB }, ORIGIN);
    expect((await job(30)).expired).toBe(0);
    expect(await job(32)).toMatchObject({ expired: 1 });
    expect(await bedsOf(programB)).toBe(b0);
    const offer = (await requestDetail(at(33), navigator.actor, id)).offers.find(
      (o) => o.programId === programB,
    )!;
    expect(offer).toMatchObject({ status: 'expired', holding: false });
    // The program is full now: the confirmation is told the hold ended.
    await t.deps.db
      .updateTable('housing_programs')
      .set({ beds_available: 0 })
      .where('id', '=', programB)
      .execute();
    const late = await refusal(confirmOffer(at(34), navigator.actor, id, { offerId: offer.id }, ORIGIN));
    expect(late.code).toBe('conflict');
    expect(late.message).toMatch(/hold on this bed ended .* no bed free now/);
    // A bed free again: the same confirmation takes it.
    await t.deps.db
      .updateTable('housing_programs')
      .set({ beds_available: 1 })
      .where('id', '=', programB)
      .execute();
    await confirmOffer(at(35), navigator.actor, id, { offerId: offer.id }, ORIGIN);
    expect(await bedsOf(programB)).toBe(0);
    await t.deps.db
      .updateTable('housing_programs')
      .set({ beds_available: 2 })
      .where('id', '=', programB)
      .execute();
  });

  it('escalates once to the region’s other navigators and the state administrators', async () => {
    const caseId = await addCase(t.deps);
    const { id } = await sendRequest(
      at(100),
      navigator.actor,
      caseId,
      { ...REQUEST, urgency: 'this_week' },
      ORIGIN,
    );
    const link = `/staff/shelter-requests/${id}`;
    await job(129);
    expect(await notified(navigator2.id, 'shelter_escalated')).not.toContain(link);
    await job(131);
    expect(await notified(navigator2.id, 'shelter_escalated')).toContain(link);
    expect(await notified(stateAdmin.id, 'shelter_escalated')).toContain(link);
    expect(await notified(navigator.id, 'shelter_escalated')).not.toContain(link);
    expect(await notified(southeast.id, 'shelter_escalated')).not.toContain(link);
    await job(200);
    expect((await notified(navigator2.id, 'shelter_escalated')).filter((l) => l === link)).toHaveLength(1);
    // A state administrator may open the escalated request; a navigator of another region may not.
    expect((await requestDetail(at(201), stateAdmin.actor, id)).id).toBe(id);
    expect((await refusal(requestDetail(at(201), southeast.actor, id))).code).toBe('not_found');
  });
});

describe('the last bed', () => {
  it('two offers and two confirmations race for it: exactly one wins each time', async () => {
    const orgR = await addOrganization(t.deps.db, 'Synthetic Shelter R', 'shelter_housing');
    const providerR = await addStaff(t.deps, 'provider_staff', [], { organizationId: orgR });
    const programR = await addProgram(orgR, {
      name: 'Synthetic Harbor R',
      genders: ['male'],
      minAge: 21,
      maxAge: 24,
      available: 1,
      total: 1,
      serves: ['pregnant_parenting'],
    });
    const ask = {
      ageBand: '21-24',
      gender: 'male',
      county: '27053',
      urgency: 'tonight',
      needs: ['pregnant_parenting'],
      holdMinutes: 15,
    };
    const x = await sendRequest(at(300), navigator.actor, await addCase(t.deps), ask, ORIGIN);
    const y = await sendRequest(at(300), navigator2.actor, await addCase(t.deps), ask, ORIGIN);
    expect([x.programs, y.programs]).toEqual([1, 1]);

    const offers = await Promise.allSettled(
      [x.id, y.id].map((id) =>
        answerRequest(at(301), providerR.actor, id, { answer: 'offer', programId: programR }, ORIGIN),
      ),
    );
    expect(offers.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const lost = offers.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as ServiceError).message).toMatch(/no bed free now/);
    expect(await bedsOf(programR)).toBe(0);

    // Both holds run out (the bed goes back each time), then both navigators confirm at once.
    const second = offers[0]!.status === 'fulfilled' ? y.id : x.id;
    await job(317);
    await answerRequest(at(318), providerR.actor, second, { answer: 'offer', programId: programR }, ORIGIN);
    await job(334);
    expect(await bedsOf(programR)).toBe(1);
    const offerOf = async (id: string, who: TestStaff) =>
      (await requestDetail(at(335), who.actor, id)).offers[0]!.id;
    const confirmations = await Promise.allSettled([
      confirmOffer(at(335), navigator.actor, x.id, { offerId: await offerOf(x.id, navigator) }, ORIGIN),
      confirmOffer(at(335), navigator2.actor, y.id, { offerId: await offerOf(y.id, navigator2) }, ORIGIN),
    ]);
    expect(confirmations.filter((c) => c.status === 'fulfilled')).toHaveLength(1);
    const refused = confirmations.find((c) => c.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(ServiceError);
    expect((refused.reason as ServiceError).message).toMatch(/hold on this bed ended .* no bed free now/);
    expect(await bedsOf(programR)).toBe(0);
    const placements = await t.deps.db
      .selectFrom('housing_placements')
      .select('id')
      .where('program_id', '=', programR)
      .execute();
    expect(placements).toHaveLength(1);
  });
});
