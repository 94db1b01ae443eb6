/**
 * Closing a shelter request without a bed (the navigator's reason; the job's `case_closed` for a closed
 * case), with its held beds given back and its programs told, and stays recorded by hand: who may, which
 * days, which programs. Through the service and the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../../../test/refusal.ts';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addProgram, bedsOf } from '../../../test/shelter.ts';
import {
  addOrganization,
  addStaff,
  auditActions,
  staffRequests,
  type TestStaff,
} from '../../../test/staff.ts';
import { addCase, ORIGIN } from '../referrals/testing.ts';
import { runShelterJob } from './jobs.ts';
import { answerRequest, closeRequest } from './offers.ts';
import { recordPlacement } from './placements.ts';
import { caseHousing, requestDetail, sendRequest, shelterContext, type ShelterContext } from './service.ts';

const MINUTE = 60_000;
let t: TestApp;
let base: ShelterContext;
let T0: number;
let navigator: TestStaff;
let southeast: TestStaff;
let providerA: TestStaff;
let providerB: TestStaff;
let orgA: string;
let programA: string;
let programB: string;
let disabledProgram: string;

const at = (minutes: number): ShelterContext => ({ ...base, now: () => new Date(T0 + minutes * MINUTE) });
const { api } = staffRequests(() => t);
const REQUEST = { ageBand: '16-17', gender: 'female', county: '27053', urgency: 'tonight' } as const;

const notifications = async (userId: string, kind: string) =>
  (
    await t.deps.db
      .selectFrom('staff_notifications')
      .select('id')
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .execute()
  ).length;

beforeAll(async () => {
  t = await testApp();
  base = shelterContext(t.deps);
  T0 = Date.now();
  orgA = await addOrganization(t.deps.db, 'Synthetic Closing Shelter A', 'shelter_housing');
  const orgB = await addOrganization(t.deps.db, 'Synthetic Closing Shelter B', 'shelter_housing');
  const gone = await addOrganization(t.deps.db, 'Synthetic Closed Shelter', 'shelter_housing');
  navigator = await addStaff(t.deps, 'navigator', ['west-metro']);
  southeast = await addStaff(t.deps, 'navigator', ['southeast']);
  providerA = await addStaff(t.deps, 'provider_staff', [], { organizationId: orgA });
  providerB = await addStaff(t.deps, 'provider_staff', [], { organizationId: orgB });
  programA = await addProgram(t.deps.db, orgA, { name: 'Synthetic Closing Harbor A', available: 3 });
  programB = await addProgram(t.deps.db, orgB, { name: 'Synthetic Closing Harbor B', available: 2 });
  disabledProgram = await addProgram(t.deps.db, gone, { name: 'Synthetic Closed Harbor', available: 1 });
  await t.deps.db
    .updateTable('member_organizations')
    .set({ disabled_at: new Date() })
    .where('id', '=', gone)
    .execute();
});
afterAll(async () => {
  await t.close();
});

describe('closing a request without a bed', () => {
  it('gives the held bed back, releases the programs still asked, tells them, and is on the record', async () => {
    const caseId = await addCase(t.deps);
    const { id } = await sendRequest(at(0), navigator.actor, caseId, REQUEST, ORIGIN);
    const a0 = await bedsOf(t.deps.db, programA);
    await answerRequest(at(1), providerA.actor, id, { answer: 'offer', programId: programA }, ORIGIN);
    expect(await bedsOf(t.deps.db, programA)).toBe(a0! - 1);
    const toldA = await notifications(providerA.id, 'shelter_closed');
    const toldB = await notifications(providerB.id, 'shelter_closed');

    const noReason = await refusal(closeRequest(at(2), navigator.actor, id, {}, ORIGIN));
    expect(noReason).toMatchObject({ code: 'invalid', field: 'reason' });
    // `case_closed` is the job's reason, not a navigator's.
    expect(
      (await refusal(closeRequest(at(2), navigator.actor, id, { reason: 'case_closed' }, ORIGIN))).field,
    ).toBe('reason');
    expect(
      (await refusal(closeRequest(at(2), southeast.actor, id, { reason: 'no_bed_found' }, ORIGIN))).code,
    ).toBe('not_found');
    expect(
      (await refusal(closeRequest(at(2), providerA.actor, id, { reason: 'no_bed_found' }, ORIGIN))).code,
    ).toBe('forbidden');

    const closed = await closeRequest(at(3), navigator.actor, id, { reason: 'no_bed_found' }, ORIGIN);
    expect(closed).toEqual({ caseId, released: 2 });
    expect(await bedsOf(t.deps.db, programA)).toBe(a0);
    const view = await requestDetail(at(4), navigator.actor, id);
    expect(view).toMatchObject({ status: 'withdrawn', closeReason: 'no_bed_found' });
    expect(view.offers.map((o) => o.status).sort()).toEqual(['released', 'released']);
    expect(await notifications(providerA.id, 'shelter_closed')).toBe(toldA + 1);
    expect(await notifications(providerB.id, 'shelter_closed')).toBe(toldB + 1);
    expect(await auditActions(t.deps.db, id)).toContain('shelter_request.close');
    const events = await t.deps.db
      .selectFrom('case_events')
      .select('event')
      .where('case_id', '=', caseId)
      .execute();
    expect(events.map((e) => e.event)).toContain('shelter_request.closed');

    // Closed is closed: no second close, no late answer, and the provider no longer sees it.
    expect(
      (await refusal(closeRequest(at(5), navigator.actor, id, { reason: 'no_longer_needed' }, ORIGIN)))
        .message,
    ).toMatch(/already closed/);
    const late = await refusal(
      answerRequest(at(5), providerB.actor, id, { answer: 'offer', programId: programB }, ORIGIN),
    );
    expect(late.code).toBe('conflict');
    expect((await refusal(requestDetail(at(5), providerA.actor, id))).code).toBe('not_found');
  });

  it('is closed by the job when its case is closed, and its held bed goes back', async () => {
    const caseId = await addCase(t.deps);
    const { id } = await sendRequest(at(0), navigator.actor, caseId, REQUEST, ORIGIN);
    const b0 = await bedsOf(t.deps.db, programB);
    await answerRequest(at(1), providerB.actor, id, { answer: 'offer', programId: programB }, ORIGIN);
    const ctx = { keyring: t.deps.keyring, site: t.deps.site, escalateMinutes: 30 };
    // Open case: the job leaves the request alone.
    expect((await runShelterJob(t.deps.db, ctx, new Date(T0 + 2 * MINUTE))).closed).toBe(0);
    await t.deps.db
      .updateTable('cases')
      .set({ status: 'closed', closed_at: new Date(T0 + 3 * MINUTE) })
      .where('id', '=', caseId)
      .execute();
    expect((await runShelterJob(t.deps.db, ctx, new Date(T0 + 4 * MINUTE))).closed).toBe(1);
    expect((await runShelterJob(t.deps.db, ctx, new Date(T0 + 5 * MINUTE))).closed).toBe(0);
    expect(await bedsOf(t.deps.db, programB)).toBe(b0);
    const row = await t.deps.db
      .selectFrom('shelter_requests')
      .select(['status', 'close_reason'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'withdrawn', close_reason: 'case_closed' });
    expect(await auditActions(t.deps.db, id)).toContain('shelter_request.close');
  });

  it('through the API: a problem naming the field, then the programs released', async () => {
    const caseId = await addCase(t.deps);
    const { id } = await sendRequest(at(0), navigator.actor, caseId, REQUEST, ORIGIN);
    const bad = await api(navigator, 'POST', `/api/v1/housing/requests/${id}/close`, { reason: 'bored' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('reason');
    const done = await api(navigator, 'POST', `/api/v1/housing/requests/${id}/close`, {
      reason: 'found_elsewhere',
    });
    expect(done).toMatchObject({ status: 200, json: { released: 2 } });
    const read = await api(navigator, 'GET', `/api/v1/housing/requests/${id}`);
    expect(read.json).toMatchObject({ status: 'withdrawn', closeReason: 'found_elsewhere' });
    expect(
      (await api(navigator, 'POST', `/api/v1/housing/requests/${id}/close`, { reason: 'no_bed_found' }))
        .status,
    ).toBe(409);
    expect(
      (await api(providerA, 'POST', `/api/v1/housing/requests/${id}/close`, { reason: 'no_bed_found' }))
        .status,
    ).toBe(403);
  });
});

describe('a stay recorded by hand', () => {
  it('starts on the day given, is on the case’s housing, timeline and audit, and leaves the count alone', async () => {
    const caseId = await addCase(t.deps);
    const a0 = await bedsOf(t.deps.db, programA);
    const today = base.referrals.calendar.local(new Date(T0)).date;
    const { placementId } = await recordPlacement(
      at(0),
      navigator.actor,
      caseId,
      { programId: programA, startedOn: today },
      ORIGIN,
    );
    const housing = await caseHousing(at(1), navigator.actor, caseId, ORIGIN);
    expect(housing.placements).toMatchObject([
      { id: placementId, programName: 'Synthetic Closing Harbor A', requestId: null, endedAt: null },
    ]);
    expect(housing.placements[0]!.startedAt.getTime()).toBe(T0);
    expect(housing.programs.map((p) => p.id)).toContain(programA);
    expect(housing.programs.map((p) => p.id)).not.toContain(disabledProgram);
    expect(await bedsOf(t.deps.db, programA)).toBe(a0);
    expect(await auditActions(t.deps.db, placementId)).toEqual(['placement.create']);

    const earlier = await recordPlacement(
      at(2),
      navigator.actor,
      caseId,
      { programId: programB, startedOn: '2026-03-14' },
      ORIGIN,
    );
    const row = await t.deps.db
      .selectFrom('housing_placements')
      .select('started_at')
      .where('id', '=', earlier.placementId)
      .executeTakeFirstOrThrow();
    expect(base.referrals.calendar.local(row.started_at)).toMatchObject({ date: '2026-03-14', hour: 0 });
  });

  it('refuses a day to come, a day that does not exist, a program not on the list, and others', async () => {
    const caseId = await addCase(t.deps);
    const stay = (startedOn: string, programId = programA, who = navigator) =>
      refusal(recordPlacement(at(0), who.actor, caseId, { programId, startedOn }, ORIGIN));
    const next = new Date(T0 + 2 * 86_400_000);
    expect(await stay(base.referrals.calendar.local(next).date)).toMatchObject({
      code: 'invalid',
      field: 'startedOn',
    });
    expect(await stay('2026-02-30')).toMatchObject({ field: 'startedOn' });
    expect(await stay('14/03/2026')).toMatchObject({ field: 'startedOn' });
    expect(await stay('1999-01-01')).toMatchObject({ field: 'startedOn' });
    expect(await stay('2026-03-14', disabledProgram)).toMatchObject({ field: 'programId' });
    expect(await stay('2026-03-14', '00000000-0000-4000-8000-000000000000')).toMatchObject({
      field: 'programId',
    });
    expect((await stay('2026-03-14', programA, southeast)).code).toBe('not_found');
    expect((await stay('2026-03-14', programA, providerA)).code).toBe('forbidden');
    const none = await t.deps.db
      .selectFrom('housing_placements')
      .select('id')
      .where('case_id', '=', caseId)
      .execute();
    expect(none).toEqual([]);
  });

  it('through the API, and ended through the API', async () => {
    const caseId = await addCase(t.deps);
    const made = await api(navigator, 'POST', `/api/v1/cases/${caseId}/placements`, {
      programId: programB,
      startedOn: '2026-03-14',
    });
    expect(made.status).toBe(201);
    const id = (made.json as { id: string }).id;
    const bad = await api(navigator, 'POST', `/api/v1/placements/${id}/end`, { reason: 'planned_move' });
    expect(bad.status).toBe(400);
    const ended = await api(navigator, 'POST', `/api/v1/placements/${id}/end`, {
      reason: 'planned_move',
      wentTo: 'with_family',
    });
    expect(ended).toMatchObject({ status: 200, json: { caseId } });
    expect(
      (
        await api(navigator, 'POST', `/api/v1/placements/${id}/end`, {
          reason: 'other',
          wentTo: 'with_family',
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await api(southeast, 'POST', `/api/v1/cases/${caseId}/placements`, {
          programId: programB,
          startedOn: '2026-03-14',
        })
      ).status,
    ).toBe(404);
  });
});
