/**
 * The referral status machine and the consent rules, without a database: an independent table of the
 * allowed steps checked against `decideTransition` on random input, random walks from a draft, and
 * consent dates at their boundaries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.ts';
import {
  addDays,
  addYears,
  checkConsent,
  consentCovers,
  consentState,
  isCalendarDate,
} from '../consents/service.ts';
import { ServiceError } from '../../platform/errors.ts';
import {
  CLOSE_REASONS,
  FINAL_STATUSES,
  REFERRAL_OUTCOMES,
  WITHDRAW_REASONS,
  allowedTransitions,
  decideTransition,
  emailHeadline,
  type Side,
} from './service.ts';
import { CONSENT_CATEGORIES, REFERRAL_STATUSES, type ReferralStatus } from '../cases/tables.ts';

const DECLINE = [
  { code: 'no_capacity', label: 'No space' },
  { code: 'other', label: 'Other' },
];

/** The machine, written out independently: [from, to, side, reason rule]. */
const EDGES: [ReferralStatus, ReferralStatus, Side, 'none' | 'required' | 'optional'][] = [
  ['draft', 'sent', 'sender', 'none'],
  ['draft', 'withdrawn', 'sender', 'optional'],
  ['sent', 'accepted', 'receiver', 'none'],
  ['sent', 'declined', 'receiver', 'required'],
  ['sent', 'no_response', 'sender', 'none'],
  ['sent', 'withdrawn', 'sender', 'optional'],
  ['accepted', 'in_service', 'receiver', 'none'],
  ['accepted', 'closed', 'receiver', 'required'],
  ['accepted', 'withdrawn', 'sender', 'optional'],
  ['in_service', 'completed', 'receiver', 'required'],
  ['in_service', 'closed', 'receiver', 'required'],
  ['in_service', 'withdrawn', 'sender', 'optional'],
];

const validReasons = (to: ReferralStatus): string[] => {
  switch (to) {
    case 'declined':
      return DECLINE.map((d) => d.code);
    case 'completed':
      return Object.keys(REFERRAL_OUTCOMES);
    case 'closed':
      return Object.keys(CLOSE_REASONS);
    case 'withdrawn':
      return Object.keys(WITHDRAW_REASONS);
    default:
      return [];
  }
};

const status = fc.constantFrom(...REFERRAL_STATUSES);
const sides = fc.subarray<Side>(['sender', 'receiver']);
const reason = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.constantFrom('no_capacity', 'goals_met', 'lost_contact', 'sent_in_error', 'other', 'service_provided'),
  fc.string({ maxLength: 12 }),
);

describe('the referral status machine', () => {
  it('agrees with an independent table of steps, sides and reasons on random input', () => {
    fc.assert(
      fc.property(
        status,
        fc.oneof(status, fc.string({ maxLength: 12 })),
        sides,
        reason,
        (from, to, who, why) => {
          const d = decideTransition(from, to, who, why, DECLINE);
          if (!(REFERRAL_STATUSES as readonly string[]).includes(to)) {
            expect(d).toMatchObject({ ok: false, code: 'invalid', field: 'to' });
            return;
          }
          const edge = EDGES.find(([f, t]) => f === from && t === to);
          if (!edge) {
            expect(d).toMatchObject({ ok: false, code: 'conflict' });
            return;
          }
          if (!who.includes(edge[2])) {
            expect(d).toMatchObject({ ok: false, code: 'forbidden' });
            return;
          }
          const given = why && why.trim() ? why.trim() : null;
          const rule = edge[3];
          const fine =
            rule === 'none'
              ? given === null
              : given === null
                ? rule === 'optional'
                : validReasons(to as ReferralStatus).includes(given);
          if (fine) expect(d).toEqual({ ok: true, to, reason: given });
          else expect(d).toMatchObject({ ok: false, code: 'invalid', field: 'reason' });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('lists exactly the steps it would allow', () => {
    for (const from of REFERRAL_STATUSES)
      for (const who of [[], ['sender'], ['receiver'], ['sender', 'receiver']] as Side[][]) {
        const allowed = allowedTransitions(from, who);
        const expected = EDGES.filter(([f, , side]) => f === from && who.includes(side)).map(([, t]) => t);
        expect(allowed.sort()).toEqual(expected.sort());
      }
  });

  it('on random walks from a draft: ends are final, completion only follows service, at most four steps', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ to: status, who: sides, why: reason }), { maxLength: 30 }),
        (steps) => {
          let current: ReferralStatus = 'draft';
          const path: ReferralStatus[] = [current];
          for (const s of steps) {
            const d = decideTransition(current, s.to, s.who, s.why, DECLINE);
            if (FINAL_STATUSES.includes(current)) expect(d.ok).toBe(false);
            if (d.ok) {
              current = d.to;
              path.push(current);
            }
          }
          expect(path.length).toBeLessThanOrEqual(5);
          expect(path.filter((p) => p === 'sent').length).toBeLessThanOrEqual(1);
          const done = path.indexOf('completed');
          if (done >= 0) expect(path[done - 1]).toBe('in_service');
          const accepted = path.indexOf('accepted');
          if (accepted >= 0) expect(path[accepted - 1]).toBe('sent');
          for (const end of ['declined', 'no_response', 'completed', 'closed', 'withdrawn'] as const)
            if (path.includes(end)) expect(path.at(-1)).toBe(end);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('names the final statuses: declined, no answer, completed, closed, withdrawn', () => {
    expect([...FINAL_STATUSES].sort()).toEqual([
      'closed',
      'completed',
      'declined',
      'no_response',
      'withdrawn',
    ]);
  });
});

describe('consent rules', () => {
  const consent = {
    organization_id: 'org-a',
    categories: ['identity', 'contact'] as ('identity' | 'contact')[],
    starts_on: '2026-03-01',
    expires_on: '2027-03-01',
    revoked_at: null as Date | null,
  };

  it('is active from its first day to the day before it ends, never when revoked', () => {
    expect(consentState(consent, '2026-02-28')).toBe('not_started');
    expect(consentState(consent, '2026-03-01')).toBe('active');
    expect(consentState(consent, '2027-02-28')).toBe('active');
    expect(consentState(consent, '2027-03-01')).toBe('expired');
    expect(consentState({ ...consent, revoked_at: new Date() }, '2026-06-01')).toBe('revoked');
  });

  it('covers only its organization and every category shared', () => {
    expect(consentCovers(consent, 'org-a', ['identity'], '2026-06-01')).toBe(true);
    expect(consentCovers(consent, 'org-a', ['identity', 'contact'], '2026-06-01')).toBe(true);
    expect(consentCovers(consent, 'org-a', ['identity', 'demographics'], '2026-06-01')).toBe(false);
    expect(consentCovers(consent, 'org-b', ['identity'], '2026-06-01')).toBe(false);
    expect(consentCovers(consent, 'org-a', ['identity'], '2027-03-01')).toBe(false);
    expect(consentCovers({ ...consent, revoked_at: new Date() }, 'org-a', ['identity'], '2026-06-01')).toBe(
      false,
    );
  });

  it('adds years to dates, 29 February included', () => {
    expect(addYears('2026-11-22', 1)).toBe('2027-11-22');
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
  });

  const ORG = '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
  const PURPOSES = ['referral_for_services', 'other'];
  const TODAY = '2026-11-22';
  const base = {
    organizationId: ORG,
    purpose: 'referral_for_services',
    categories: ['identity'],
    method: 'written',
  };

  const fieldOf = (input: Parameters<typeof checkConsent>[0]) => {
    try {
      checkConsent(input, PURPOSES, TODAY);
      return null;
    } catch (error) {
      expect(error).toBeInstanceOf(ServiceError);
      expect((error as ServiceError).code).toBe('invalid');
      return (error as ServiceError).field;
    }
  };

  it('starts today and lasts one year by default, and never longer', () => {
    expect(checkConsent(base, PURPOSES, TODAY)).toMatchObject({ startsOn: TODAY, expiresOn: '2027-11-22' });
    expect(fieldOf({ ...base, expiresOn: '2027-11-23' })).toBe('expiresOn');
    expect(fieldOf({ ...base, expiresOn: TODAY })).toBe('expiresOn');
    expect(fieldOf({ ...base, startsOn: '2026-12-01', expiresOn: '2026-12-01' })).toBe('expiresOn');
    expect(fieldOf({ ...base, startsOn: '2026-10-23' })).toBeNull();
    expect(fieldOf({ ...base, startsOn: '2026-10-22' })).toBe('startsOn');
    expect(fieldOf({ ...base, startsOn: '2026-02-30' })).toBe('startsOn');
  });

  it('names the field at fault: organization, purpose, categories, method, witness', () => {
    expect(fieldOf({ ...base, organizationId: 'nope' })).toBe('organizationId');
    expect(fieldOf({ ...base, purpose: 'marketing' })).toBe('purpose');
    expect(fieldOf({ ...base, categories: [] })).toBe('categories');
    expect(fieldOf({ ...base, categories: ['identity', 'everything'] })).toBe('categories');
    expect(fieldOf({ ...base, method: 'implied' })).toBe('method');
    expect(fieldOf({ ...base, method: 'verbal' })).toBe('witness');
    expect(fieldOf({ ...base, method: 'verbal', witness: 'Synthetic Witness' })).toBeNull();
    expect(fieldOf({ ...base, witness: 'line\u0007bell' })).toBe('witness');
  });

  it('accepts any start in the window and any end within a year of it, and orders categories', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -30, max: 90 }),
        fc.integer({ min: 1, max: 366 }),
        fc.subarray([...CONSENT_CATEGORIES], { minLength: 1 }),
        (startOffset, length, categories) => {
          const startsOn = addDays(TODAY, startOffset);
          const expiresOn = addDays(startsOn, length);
          const ok = expiresOn <= addYears(startsOn, 1) && expiresOn > TODAY;
          const field = fieldOf({ ...base, categories: [...categories].reverse(), startsOn, expiresOn });
          expect(field).toBe(ok ? null : 'expiresOn');
          if (ok) {
            const checked = checkConsent(
              { ...base, categories: [...categories].reverse(), startsOn, expiresOn },
              PURPOSES,
              TODAY,
            );
            expect(checked.categories).toEqual(CONSENT_CATEGORIES.filter((c) => categories.includes(c)));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the reminder settings', () => {
  it('default to 2 and 2 business days, are configurable, and refuse what is not a whole number of days', () => {
    expect(loadConfig({}).referrals).toEqual({ remindAfterBusinessDays: 2, escalateAfterBusinessDays: 2 });
    expect(
      loadConfig({
        NWD_REFERRAL_REMIND_AFTER_BUSINESS_DAYS: '1',
        NWD_REFERRAL_ESCALATE_AFTER_BUSINESS_DAYS: '5',
      }).referrals,
    ).toEqual({ remindAfterBusinessDays: 1, escalateAfterBusinessDays: 5 });
    for (const bad of ['0', '1.5', '31', 'soon'])
      expect(() => loadConfig({ NWD_REFERRAL_REMIND_AFTER_BUSINESS_DAYS: bad })).toThrow(ConfigError);
    expect(() => loadConfig({ NWD_REFERRAL_ESCALATE_AFTER_BUSINESS_DAYS: '0' })).toThrow(
      /NWD_REFERRAL_ESCALATE_AFTER_BUSINESS_DAYS/,
    );
  });
});

describe('email headlines', () => {
  it('keep a short plain sentence, and fall back when an organization’s name looks like a number or date', () => {
    expect(emailHeadline('Synthetic Shelter accepted a referral')).toBe(
      'Synthetic Shelter accepted a referral',
    );
    for (const risky of [
      'Shelter 6125550100 accepted a referral',
      'Shelter 11/22/2026 accepted a referral',
      'someone@example.org accepted a referral',
      'x'.repeat(121),
    ])
      expect(emailHeadline(risky)).toBe('A referral has news for you');
  });
});
