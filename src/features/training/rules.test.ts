import { describe, expect, it } from 'vitest';
import {
  addYears,
  applies,
  certificateCode,
  CERTIFICATE_CODE,
  initialsOf,
  personState,
  satisfaction,
  validUntil,
  type CourseRule,
  type RequirementRule,
} from './rules.ts';

const course = (code: string, extra: Partial<CourseRule> = {}): CourseRule => ({
  code,
  renewal: null,
  renewalYears: null,
  equivalents: [],
  ...extra,
});
const courses = new Map<string, CourseRule>([
  ['X205', course('X205', { equivalents: [['X203', 'X204']] })],
  ['X100', course('X100')],
  ['X203', course('X203')],
  ['X204', course('X204')],
  ['Y1', course('Y1', { renewal: 'yearly' })],
  ['Y3', course('Y3', { renewal: 'every_n_years', renewalYears: 3 })],
]);
const rule260: RequirementRule = {
  courseCodes: ['X205', 'X100'],
  roles: [],
  organizationTypes: ['child_protection'],
  withinDays: 90,
};
const done = (courseCode: string, completedOn: string) => ({ courseCode, completedOn });
const state = (r: RequirementRule, d: ReturnType<typeof done>[], today: string, startedOn = '2026-01-01') =>
  personState({ requirement: r, courses, done: d, startedOn, today, defaultDueDays: 90 });

describe('equivalence', () => {
  it('X203 and X204 together count as X205, from the later of the two', () => {
    expect(satisfaction(rule260, courses, [done('X203', '2026-01-05'), done('X204', '2026-02-01')])).toEqual({
      satisfiedOn: '2026-02-01',
      validUntil: null,
      by: ['X203', 'X204'],
    });
  });
  it('X203 alone does not, and shows as started', () => {
    expect(satisfaction(rule260, courses, [done('X203', '2026-01-05')])).toBeNull();
    expect(state(rule260, [done('X203', '2026-01-05')], '2026-01-10').state).toBe('started');
  });
  it('X100 and X205 each satisfy the 260E.36 rule', () => {
    expect(satisfaction(rule260, courses, [done('X100', '2026-03-01')])?.by).toEqual(['X100']);
    expect(state(rule260, [done('X205', '2026-03-01')], '2026-12-01').state).toBe('complete');
  });
  it('an unrelated course does not count', () => {
    expect(state(rule260, [done('Y1', '2026-01-05')], '2026-01-10').state).toBe('never_started');
  });
});

describe('renewal', () => {
  it('yearly and every N years, 29 February to 28 February', () => {
    expect(validUntil(courses.get('Y1')!, '2026-03-15')).toBe('2027-03-15');
    expect(validUntil(courses.get('Y3')!, '2026-03-15')).toBe('2029-03-15');
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
    expect(validUntil(courses.get('X205')!, '2026-03-15')).toBeNull();
  });
  it('a yearly course is due again within 30 days of its anniversary, then overdue', () => {
    const yearly: RequirementRule = { ...rule260, courseCodes: ['Y1'] };
    expect(state(yearly, [done('Y1', '2026-01-10')], '2026-12-01').state).toBe('complete');
    expect(state(yearly, [done('Y1', '2026-01-10')], '2026-12-12')).toMatchObject({
      state: 'due',
      dueOn: '2027-01-10',
    });
    expect(state(yearly, [done('Y1', '2026-01-10')], '2027-01-11').state).toBe('overdue');
    // A newer completion counts.
    expect(state(yearly, [done('Y1', '2026-01-10'), done('Y1', '2027-01-05')], '2027-01-11').state).toBe(
      'complete',
    );
  });
});

describe('due and overdue after a start (calendar days in America/Chicago)', () => {
  it('due within 30 days of the deadline, overdue the day after it', () => {
    // Started 2026-01-01, 90 days: due 2026-04-01.
    expect(state(rule260, [], '2026-03-01')).toMatchObject({ state: 'never_started', dueOn: '2026-04-01' });
    expect(state(rule260, [], '2026-03-02').state).toBe('due');
    expect(state(rule260, [], '2026-04-01').state).toBe('due');
    expect(state(rule260, [], '2026-04-02').state).toBe('overdue');
  });
  it('uses the local default when the rule gives no days', () => {
    const open = { ...rule260, withinDays: null };
    expect(
      personState({
        requirement: open,
        courses,
        done: [],
        startedOn: '2026-01-01',
        today: '2026-01-20',
        defaultDueDays: 10,
      }).state,
    ).toBe('overdue');
  });
});

describe('who a rule binds', () => {
  it('by organization type and role; empty lists bind everyone', () => {
    expect(applies(rule260, 'professional', 'child_protection')).toBe(true);
    expect(applies(rule260, 'professional', 'shelter_housing')).toBe(false);
    expect(applies({ roles: ['navigator'], organizationTypes: [] }, 'navigator', 'other')).toBe(true);
    expect(applies({ roles: ['navigator'], organizationTypes: [] }, 'org_admin', 'other')).toBe(false);
  });
});

describe('certificates', () => {
  it('initials only', () => {
    expect(initialsOf('jane quinn doe')).toBe('J. Q. D.');
    expect(initialsOf('Anne-Marie Ölund')).toBe('A. M. Ö.');
  });
  it('codes have the published shape', () => {
    const code = certificateCode(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 255]));
    expect(code).toMatch(CERTIFICATE_CODE);
  });
});
