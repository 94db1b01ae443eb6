/**
 * Transfers against the database: a request (reason encrypted, decision task and notifications for
 * the receiving region), what the receiving region sees (age band, county, reason — no name), accepting
 * (the case's region, access, assignments and open tasks move; history stays), declining with a reason,
 * cancelling by the requester; the pages and forms; and the database agreeing with the pure state
 * machine over random sequences of commands.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { auditActions, caseEventNames, caseRow, transferRow } from '../../../test/coordination.ts';
import { addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { ServiceError } from '../../platform/errors.ts';
import { caseTasks, coordinationContext, createTask, type CoordinationContext } from '../tasks/service.ts';
import { ORIGIN, addCase } from '../tasks/testing.ts';
import {
  cancelTransfer,
  decideTransfer,
  incomingTransfers,
  requestTransfer,
  stepTransfers,
  type TransferCommand,
  type TransferWorld,
} from './service.ts';

let t: TestApp;
let ctx: CoordinationContext;
let west: TestStaff;
let west2: TestStaff;
let southeast: TestStaff;
let southeast2: TestStaff;
let central: TestStaff;
let both: TestStaff;
let admin: TestStaff;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (e: unknown) => {
      if (e instanceof ServiceError) return e.code;
      throw e;
    },
  );
}

const { get, post } = staffRequests(() => t);

beforeAll(async () => {
  t = await testApp();
  ctx = coordinationContext(t.deps);
  west = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic West' });
  west2 = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic West Two' });
  southeast = await addStaff(t.deps, 'navigator', ['southeast'], { name: 'Synthetic Southeast' });
  southeast2 = await addStaff(t.deps, 'navigator', ['southeast'], { name: 'Synthetic Southeast Two' });
  central = await addStaff(t.deps, 'navigator', ['central']);
  both = await addStaff(t.deps, 'navigator', ['west-metro', 'southeast']);
  admin = await addStaff(t.deps, 'state_admin');
});
afterAll(async () => {
  await t.close();
});

describe('a transfer from West Metro to Southeast', () => {
  let caseId: string;
  let transferId: string;

  beforeAll(async () => {
    caseId = await addCase(t.deps);
    await t.deps.db
      .insertInto('case_assignments')
      .values({ case_id: caseId, user_id: west.id, assigned_by: west.id })
      .execute();
    await createTask(
      ctx,
      west.actor,
      {
        caseId,
        title: 'Synthetic open task',
        dueAt: new Date(Date.now() + 86_400_000),
        assigneeUserId: west.id,
      },
      ORIGIN,
    );
  });

  it('is requested with an encrypted reason, a decision task and notifications for the receiving region', async () => {
    transferId = await requestTransfer(
      ctx,
      west.actor,
      caseId,
      { toRegionId: 'southeast', reason: 'Synthetic: moved to Rochester to stay with an aunt' },
      ORIGIN,
    );
    const row = await transferRow(t.deps.db, transferId);
    expect(row).toMatchObject({
      status: 'requested',
      from_region_id: 'west-metro',
      to_region_id: 'southeast',
    });
    expect(row.reason_encrypted!.toString('latin1')).not.toContain('Rochester');
    const task = await t.deps.db
      .selectFrom('tasks')
      .selectAll()
      .where('source', '=', 'transfer')
      .where('source_ref', '=', transferId)
      .executeTakeFirstOrThrow();
    expect(task).toMatchObject({ region_id: 'southeast', assignee_user_id: null, case_id: caseId });
    const notes = await t.deps.db
      .selectFrom('staff_notifications')
      .select(['user_id', 'text'])
      .where('link', '=', `/staff/transfers/${transferId}`)
      .execute();
    expect(notes.map((n) => n.user_id).sort()).toEqual([southeast.id, southeast2.id, both.id].sort());
    expect(notes[0]!.text).toBe('A case transfer from West Metro to Southeast is waiting for your decision');
    expect(
      await codeOf(requestTransfer(ctx, west.actor, caseId, { toRegionId: 'central', reason: 'x' }, ORIGIN)),
    ).toBe('conflict');
  });

  it('shows the receiving region only what it needs to decide, audited', async () => {
    const list = await incomingTransfers(ctx, southeast.actor, ORIGIN);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: transferId,
      ageBand: 'under18',
      countyName: 'Hennepin',
      fromRegionName: 'West Metro',
      reason: 'Synthetic: moved to Rochester to stay with an aunt',
    });
    expect(JSON.stringify(list)).not.toContain('Synthetic Sky');
    expect(await incomingTransfers(ctx, central.actor, ORIGIN)).toEqual([]);
    expect(await codeOf(incomingTransfers(ctx, admin.actor, ORIGIN))).toBe('forbidden');
    const page = await (await get(southeast, '/staff/transfers')).text();
    expect(page).toContain('moved to Rochester');
    expect(page).toContain('Under 18');
    expect(page).not.toContain('Synthetic Sky');
    const one = await get(southeast, `/staff/transfers/${transferId}`);
    expect(one.status).toBe(200);
    expect(await one.text()).not.toContain('Synthetic Sky');
    expect((await get(central, `/staff/transfers/${transferId}`)).status).toBe(404);
    // The receiving region still cannot open the case itself.
    expect((await get(southeast, `/staff/cases/${caseId}/tasks`)).status).toBe(404);
  });

  it('lets only the receiving region decide, and asks a reason to decline', async () => {
    expect(await codeOf(decideTransfer(ctx, west2.actor, transferId, { decision: 'accept' }, ORIGIN))).toBe(
      'not_found',
    );
    expect(await codeOf(decideTransfer(ctx, admin.actor, transferId, { decision: 'accept' }, ORIGIN))).toBe(
      'forbidden',
    );
    const noReason = await post(southeast, `/staff/transfers/${transferId}/decline`);
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('<a href="#reason">');
    expect(await codeOf(cancelTransfer(ctx, west2.actor, caseId, ORIGIN))).toBe('forbidden');
  });

  it('moves the case on acceptance: region, access, assignments and open tasks; history stays', async () => {
    const res = await post(southeast, `/staff/transfers/${transferId}/accept`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/staff/cases/${caseId}/transfer?done=accepted`);
    const moved = await caseRow(t.deps.db, caseId);
    expect(moved.region_id).toBe('southeast');
    // The old region loses access; the new region gains it.
    expect((await get(west, `/staff/cases/${caseId}/tasks`)).status).toBe(404);
    expect((await get(southeast2, `/staff/cases/${caseId}/tasks`)).status).toBe(200);
    const assignments = await t.deps.db
      .selectFrom('case_assignments')
      .select(['user_id', 'ended_at'])
      .where('case_id', '=', caseId)
      .orderBy('assigned_at')
      .execute();
    expect(assignments.map((a) => [a.user_id, a.ended_at === null])).toEqual([
      [west.id, false],
      [southeast.id, true],
    ]);
    const view = await caseTasks(ctx, southeast2.actor, caseId, ORIGIN);
    const open = view.tasks.find((x) => x.title === 'Synthetic open task')!;
    expect(open).toMatchObject({ regionId: 'southeast', assignee: null, completedAt: null });
    const decision = view.tasks.find((x) => x.source === 'transfer')!;
    expect(decision.completedBy?.id).toBe(southeast.id);
    expect(await caseEventNames(t.deps.db, caseId)).toEqual(
      expect.arrayContaining(['transfer.requested', 'transfer.accepted']),
    );
    const told = await t.deps.db
      .selectFrom('staff_notifications')
      .select('text')
      .where('user_id', '=', west.id)
      .where('kind', '=', 'transfer_decided')
      .execute();
    expect(told.map((n) => n.text)).toEqual([
      'Southeast accepted a case transfer you asked for: the case is now theirs',
    ]);
    expect(await auditActions(t.deps.db, transferId)).toEqual(
      expect.arrayContaining(['transfer.request', 'transfer.open', 'transfer.accept']),
    );
    expect(
      await codeOf(
        decideTransfer(ctx, southeast.actor, transferId, { decision: 'decline', reason: 'other' }, ORIGIN),
      ),
    ).toBe('conflict');
    const tab = await (await get(southeast, `/staff/cases/${caseId}/transfer?done=accepted`)).text();
    expect(tab).toContain('You accepted the transfer');
    expect(tab).toContain('moved to Rochester');
  });
});

describe('the transfer tab and decline and cancel by form', () => {
  it('requests by form, naming the field at fault; cancels; declines with a reason', async () => {
    const caseId = await addCase(t.deps);
    const page = await (await get(west, `/staff/cases/${caseId}/transfer`)).text();
    expect(page).toContain('Ask another region to take this case');
    expect(page).toContain('aria-current="page">Transfer</a>');
    const noRegion = await post(west, `/staff/cases/${caseId}/transfer`, { toRegion: '', reason: 'x' });
    expect(noRegion.status).toBe(400);
    expect(await noRegion.text()).toContain('<a href="#toRegion">');
    const noReason = await post(west, `/staff/cases/${caseId}/transfer`, {
      toRegion: 'southeast',
      reason: ' ',
    });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('<a href="#reason">');
    const same = await post(west, `/staff/cases/${caseId}/transfer`, { toRegion: 'west-metro', reason: 'x' });
    expect(same.status).toBe(400);
    const ok = await post(west, `/staff/cases/${caseId}/transfer`, {
      toRegion: 'southeast',
      reason: 'Synthetic move',
    });
    expect(ok.status).toBe(303);
    expect(await (await get(west2, `/staff/cases/${caseId}/transfer`)).text()).toContain(
      'Waiting for Southeast to decide',
    );
    expect((await post(west2, `/staff/cases/${caseId}/transfer/cancel`)).status).toBe(403);
    const cancelled = await post(west, `/staff/cases/${caseId}/transfer/cancel`);
    expect(cancelled.headers.get('location')).toBe(`/staff/cases/${caseId}/transfer?done=cancelled`);
    const decisionTask = await t.deps.db
      .selectFrom('tasks')
      .select('completed_at')
      .where('case_id', '=', caseId)
      .where('source', '=', 'transfer')
      .executeTakeFirstOrThrow();
    expect(decisionTask.completed_at).not.toBeNull();

    await post(west, `/staff/cases/${caseId}/transfer`, {
      toRegion: 'southeast',
      reason: 'Synthetic move again',
    });
    const pending = await t.deps.db
      .selectFrom('case_transfers')
      .select('id')
      .where('case_id', '=', caseId)
      .where('status', '=', 'requested')
      .executeTakeFirstOrThrow();
    const declined = await post(southeast, `/staff/transfers/${pending.id}/decline`, {
      reason: 'not_in_region',
    });
    expect(declined.headers.get('location')).toBe('/staff/transfers?done=declined');
    const tab = await (await get(west, `/staff/cases/${caseId}/transfer`)).text();
    expect(tab).toContain('Declined: The young person does not live or stay in our region');
    expect(tab).toContain('Cancelled');
    // A state administrator oversees the network: every region's transfers, read-only, no personal data.
    const network = await get(admin, '/staff/transfers');
    expect(network.status).toBe(200);
    const overview = await network.text();
    expect(overview).toContain('Transfers across the network');
    expect(overview).toContain('Declined: The young person does not live or stay in our region');
    expect(overview).not.toContain('Synthetic Sky');
    expect(overview).not.toContain('/accept"');
    expect(overview).not.toContain('<form method="post" action="/staff/transfers');
    expect((await get(admin, `/staff/transfers/${pending.id}`)).status).toBe(403);
    expect((await get(admin, `/staff/cases/${caseId}/transfer`)).status).toBe(200);
  });
});

describe('the database and the state machine agree', () => {
  it('over random sequences of requests, decisions and cancellations', async () => {
    const people = () => [west, west2, southeast, central, both, admin];
    const commandArb = fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant('request' as const),
          who: fc.nat({ max: 5 }),
          to: fc.constantFrom('west-metro', 'southeast', 'central'),
        }),
        fc.record({
          kind: fc.constantFrom('accept' as const, 'decline' as const),
          who: fc.nat({ max: 5 }),
          transfer: fc.nat({ max: 3 }),
        }),
        fc.record({ kind: fc.constant('cancel' as const), who: fc.nat({ max: 5 }) }),
      ),
      { maxLength: 8 },
    );
    let decided = 0;
    await fc.assert(
      fc.asyncProperty(commandArb, async (commands) => {
        const caseId = await addCase(t.deps);
        let world: TransferWorld = { caseRegion: 'west-metro', transfers: [] };
        const ids: string[] = [];
        for (const c of commands) {
          const person = people()[c.who]!;
          let command: TransferCommand;
          let db: Promise<unknown>;
          if (c.kind === 'request') {
            command = { kind: 'request', actor: person.actor, toRegionId: c.to };
            db = requestTransfer(
              ctx,
              person.actor,
              caseId,
              { toRegionId: c.to, reason: 'Synthetic' },
              ORIGIN,
            ).then((id) => ids.push(id));
          } else if (c.kind === 'cancel') {
            // The database cancels the case's waiting transfer: the model's latest one.
            command = {
              kind: 'cancel',
              actor: person.actor,
              transfer: Math.max(world.transfers.length - 1, 0),
            };
            db = cancelTransfer(ctx, person.actor, caseId, ORIGIN);
          } else {
            command = { kind: c.kind, actor: person.actor, transfer: c.transfer };
            const id = ids[c.transfer] ?? '00000000-0000-4000-8000-000000000000';
            db = decideTransfer(ctx, person.actor, id, { decision: c.kind, reason: 'other' }, ORIGIN);
          }
          const model = stepTransfers(world, command);
          let got = await codeOf(db);
          // Another region's case or transfer is answered like a missing one; an unknown transfer too.
          if (got === 'not_found') got = 'forbidden';
          const want = model.ok
            ? 'ok'
            : model.code === 'invalid' && c.kind !== 'request'
              ? 'forbidden'
              : model.code;
          // Cancelling with nothing waiting: the database refuses on the case's region, the model on the
          // latest transfer's (which may be the region the case has left).
          if (c.kind === 'cancel' && !world.transfers.some((x) => x.status === 'requested')) {
            expect(['forbidden', 'conflict']).toContain(got);
          } else expect(got).toBe(want);
          if (model.ok) world = model.world;
          if (model.ok && c.kind !== 'request') decided++;
        }
        const row = await caseRow(t.deps.db, caseId);
        expect(row.region_id).toBe(world.caseRegion);
        const statuses = await t.deps.db
          .selectFrom('case_transfers')
          .select(['id', 'status'])
          .where('case_id', '=', caseId)
          .execute();
        for (const [i, id] of ids.entries())
          expect(statuses.find((s) => s.id === id)?.status).toBe(world.transfers[i]!.status);
      }),
      {
        numRuns: 40,
        // Besides the random runs, sequences that surely reach each decision: west asks southeast, and
        // southeast accepts, or declines; west asks central and cancels, then asks southeast.
        examples: [
          [
            [
              { kind: 'request', who: 0, to: 'southeast' },
              { kind: 'accept', who: 2, transfer: 0 },
            ],
          ],
          [
            [
              { kind: 'request', who: 0, to: 'southeast' },
              { kind: 'decline', who: 2, transfer: 0 },
            ],
          ],
          [
            [
              { kind: 'request', who: 1, to: 'central' },
              { kind: 'cancel', who: 1 },
              { kind: 'request', who: 0, to: 'southeast' },
            ],
          ],
        ],
      },
    );
    // The runs reached decisions, not only refusals.
    expect(decided).toBeGreaterThan(0);
  }, 120_000);
});
