/**
 * The transfer state machine, by property: only a waiting transfer moves, outcomes are final, a case has
 * at most one transfer waiting, the case changes region only when the receiving region accepts, and
 * only the receiving region's navigators decide while only the requester cancels.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../platform/access.ts';
import {
  TRANSFER_ACTIONS,
  TRANSFER_STATUSES,
  nextTransferStatus,
  stepTransfers,
  transferRefusal,
  type TransferCommand,
  type TransferWorld,
} from './service.ts';

const REGIONS = ['west-metro', 'southeast', 'central'] as const;

const actorArb: fc.Arbitrary<Actor> = fc
  .record({
    id: fc.constantFrom('u1', 'u2', 'u3', 'u4'),
    role: fc.constantFrom<Role>('navigator', 'navigator', 'navigator', 'state_admin', 'provider_staff'),
    regions: fc.subarray([...REGIONS]),
  })
  .map(({ id, role, regions }) => ({
    userId: id,
    role,
    organizationId: 'org',
    regions: role === 'navigator' ? regions : [],
  }));

const commandArb: fc.Arbitrary<TransferCommand> = fc.oneof(
  fc.record({
    kind: fc.constant('request' as const),
    actor: actorArb,
    toRegionId: fc.constantFrom(...REGIONS),
  }),
  fc.record({
    kind: fc.constantFrom(...TRANSFER_ACTIONS),
    actor: actorArb,
    transfer: fc.nat({ max: 6 }),
  }),
);

describe('nextTransferStatus', () => {
  it('moves only a waiting transfer, to a different outcome per action; outcomes are final', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TRANSFER_STATUSES),
        fc.constantFrom(...TRANSFER_ACTIONS),
        (status, action) => {
          const next = nextTransferStatus(status, action);
          if (status !== 'requested') expect(next).toBeNull();
          else expect(next).toBe({ accept: 'accepted', decline: 'declined', cancel: 'cancelled' }[action]);
        },
      ),
    );
  });
});

describe('transferRefusal', () => {
  it('lets only the receiving region’s navigators decide, and only the requester (still in the region) cancel', () => {
    fc.assert(
      fc.property(
        actorArb,
        fc.constantFrom(...TRANSFER_ACTIONS),
        fc.constantFrom(...REGIONS),
        fc.constantFrom(...REGIONS),
        fc.constantFrom('u1', 'u2'),
        (actor, action, from, to, requestedBy) => {
          fc.pre(from !== to);
          const refusal = transferRefusal(
            { status: 'requested', fromRegionId: from, toRegionId: to, requestedBy },
            actor,
            action,
          );
          const allowed =
            action === 'cancel'
              ? actor.userId === requestedBy && actor.role === 'navigator' && actor.regions.includes(from)
              : actor.role === 'navigator' && actor.regions.includes(to);
          expect(refusal === null).toBe(allowed);
          if (refusal) expect(refusal.code).toBe('forbidden');
        },
      ),
    );
  });
});

describe('a case’s transfers, step by step', () => {
  it('keeps its invariants over any sequence of requests and decisions', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 40 }), (commands) => {
        let world: TransferWorld = { caseRegion: 'west-metro', transfers: [] };
        for (const command of commands) {
          const before = world;
          const result = stepTransfers(world, command);
          if (!result.ok) {
            // A refused step changes nothing.
            continue;
          }
          world = result.world;
          // At most one transfer waits.
          expect(world.transfers.filter((t) => t.status === 'requested').length).toBeLessThanOrEqual(1);
          // A decided transfer never changes again.
          for (const t of before.transfers)
            if (t.status !== 'requested') expect(world.transfers[t.id]!.status).toBe(t.status);
          // The waiting transfer always starts from the case's region.
          const waiting = world.transfers.find((t) => t.status === 'requested');
          if (waiting) expect(waiting.fromRegionId).toBe(world.caseRegion);
          if (command.kind === 'request') {
            expect(world.caseRegion).toBe(before.caseRegion);
            expect(command.actor.regions).toContain(before.caseRegion);
            expect(command.toRegionId).not.toBe(before.caseRegion);
          } else {
            const t = before.transfers[command.transfer]!;
            expect(t.status).toBe('requested');
            // The region changes exactly when the receiving region accepts.
            expect(world.caseRegion).toBe(command.kind === 'accept' ? t.toRegionId : before.caseRegion);
            if (command.kind === 'cancel') expect(command.actor.userId).toBe(t.requestedBy);
            else {
              expect(command.actor.role).toBe('navigator');
              expect(command.actor.regions).toContain(t.toRegionId);
            }
          }
        }
        // History stays: transfers are only ever added.
        expect(world.transfers.map((t) => t.id)).toEqual(world.transfers.map((_, i) => i));
      }),
      { numRuns: 500 },
    );
  });
});
