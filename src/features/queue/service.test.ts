/**
 * The queue's pure rules: the status machine (every status × every action), outcome codes, scopes by
 * role and token, and durations in plain words.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLES, type Actor } from '../../platform/access.ts';
import type { QueueError } from './service.ts';
import {
  OUTCOMES,
  OUTCOME_STATUSES,
  QUEUE_ACTIONS,
  durationInWords,
  nextStatus,
  outcomesFor,
  queueScope,
  type QueueAction,
} from './rules.ts';
import { checkOutcome } from './schema.ts';
import type { IntakeStatus } from '../intake/tables.ts';

const STATUSES: IntakeStatus[] = ['new', 'claimed', 'contacted', 'could_not_reach', 'closed'];

describe('the status machine', () => {
  it('allows exactly these changes', () => {
    const table: Record<IntakeStatus, Partial<Record<QueueAction, IntakeStatus>>> = {
      new: { claim: 'claimed' },
      claimed: {
        release: 'new',
        contacted: 'contacted',
        could_not_reach: 'could_not_reach',
        closed: 'closed',
      },
      contacted: {
        release: 'new',
        contacted: 'contacted',
        could_not_reach: 'could_not_reach',
        closed: 'closed',
      },
      could_not_reach: {
        release: 'new',
        contacted: 'contacted',
        could_not_reach: 'could_not_reach',
        closed: 'closed',
      },
      closed: {},
    };
    for (const from of STATUSES) {
      for (const action of QUEUE_ACTIONS) {
        expect(nextStatus(from, action), `${from} → ${action}`).toBe(table[from][action] ?? null);
      }
    }
  });

  it('never leaves closed, and only claiming leaves new, whatever the sequence', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...QUEUE_ACTIONS), { maxLength: 30 }), (actions) => {
        let status: IntakeStatus = 'new';
        for (const action of actions) {
          const next = nextStatus(status, action);
          if (status === 'closed') expect(next).toBeNull();
          if (status === 'new' && next !== null) expect(action).toBe('claim');
          if (next !== null) status = next;
        }
      }),
    );
  });
});

describe('outcomes', () => {
  it('gives every recordable status its own codes, each a valid stored code', () => {
    for (const s of OUTCOME_STATUSES) expect(outcomesFor(s).length).toBeGreaterThan(0);
    for (const code of Object.keys(OUTCOMES)) expect(code).toMatch(/^[a-z][a-z0-9_]{0,62}$/);
  });

  it('checks the status, the code that goes with it, and the note', () => {
    expect(checkOutcome({ status: 'closed', outcome: 'duplicate', note: '  ' })).toEqual({
      status: 'closed',
      outcome: 'duplicate',
      note: null,
    });
    const refused = (input: Parameters<typeof checkOutcome>[0]) => {
      try {
        checkOutcome(input);
      } catch (error) {
        return (error as QueueError).field;
      }
      return 'accepted';
    };
    expect(refused({ status: 'opened', outcome: 'duplicate' })).toBe('status');
    expect(refused({ status: 'contacted', outcome: 'duplicate' })).toBe('outcome');
    expect(refused({ status: 'contacted', outcome: 'toString' })).toBe('outcome');
    expect(refused({ status: 'closed', outcome: 'other', note: '' })).toBe('note');
    expect(refused({ status: 'closed', outcome: 'duplicate', note: 'x'.repeat(4001) })).toBe('note');
    expect(refused({ status: 'closed', outcome: 'duplicate', note: 'bell\u0007' })).toBe('note');
    expect(refused({ status: 'closed', outcome: 'duplicate', note: 'two\nlines\ttabbed' })).toBe('accepted');
  });
});

describe('queue scope', () => {
  const actor = (role: Actor['role'], regions: string[] = []): Actor => ({
    userId: 'u',
    role,
    organizationId: 'o',
    regions,
  });

  it('is everything for a state administrator, the own regions for a navigator, nothing for others', () => {
    expect(queueScope(actor('state_admin'), 'intake.read')).toEqual({ all: true });
    expect(queueScope(actor('navigator', ['west-metro', 'central']), 'intake.read')).toEqual({
      all: false,
      regions: ['west-metro', 'central'],
    });
    expect(queueScope(actor('navigator'), 'intake.handle')).toEqual({ all: false, regions: [] });
    for (const role of ROLES.filter((r) => r !== 'state_admin' && r !== 'navigator')) {
      expect(queueScope(actor(role, ['west-metro']), 'intake.read'), role).toBeNull();
    }
  });

  it('is narrowed by a token’s scopes', () => {
    const token = { ...actor('state_admin'), tokenScopes: ['intake.read' as const] };
    expect(queueScope(token, 'intake.read')).toEqual({ all: true });
    expect(queueScope(token, 'intake.handle')).toBeNull();
  });
});

describe('durations in plain words', () => {
  it('uses at most two units', () => {
    expect(durationInWords(0)).toBe('less than a minute');
    expect(durationInWords(-5_000)).toBe('less than a minute');
    expect(durationInWords(60_000)).toBe('1 minute');
    expect(durationInWords(59 * 60_000)).toBe('59 minutes');
    expect(durationInWords(3_600_000)).toBe('1 hour');
    expect(durationInWords(3 * 3_600_000 + 5 * 60_000)).toBe('3 hours 5 minutes');
    expect(durationInWords(86_400_000)).toBe('1 day');
    expect(durationInWords(2 * 86_400_000 + 4 * 3_600_000 + 59 * 60_000)).toBe('2 days 4 hours');
  });
});
