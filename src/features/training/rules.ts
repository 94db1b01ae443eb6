/**
 * The rules of required trainings, without the database: which completions satisfy a requirement (a
 * course, or a set of courses that together count as it: X203 + X204 ≡ X205), until when a completion
 * holds (renewal once, yearly, every N years), and a person's state against a requirement on a given day
 * — complete, due within 30 days, overdue, started, never started. Dates are calendar days
 * ("YYYY-MM-DD") in the pack's time zone (America/Chicago): the caller passes today.
 */
import type { CourseFormat, Renewal } from './tables.ts';

/** How many days ahead a requirement counts as due. */
export const DUE_WINDOW_DAYS = 30;

/** The local default number of days after a start when a rule gives none (`NWD_TRAINING_DUE_DAYS`). */
export const DEFAULT_DUE_DAYS = 90;

export const FORMATS: Record<CourseFormat, string> = {
  online: 'Online',
  in_person: 'In person',
  online_or_in_person: 'Online or in person',
};

export const RENEWALS: Record<Renewal, string> = {
  once: 'Once (no renewal)',
  yearly: 'Every year',
  every_n_years: 'Every few years',
};

export const STATES = {
  complete: 'Complete',
  due: 'Due within 30 days',
  overdue: 'Overdue',
  started: 'Started',
  never_started: 'Never started',
} as const;
export type ComplianceState = keyof typeof STATES;

export const SOURCES = {
  trainer: 'Trainer',
  organization: 'Organization administrator',
  import: 'CSV import',
  event: 'Event attendance',
} as const;

export interface CourseRule {
  code: string;
  renewal: Renewal | null;
  renewalYears: number | null;
  /** Sets of other courses that, all completed, count as this one. */
  equivalents: readonly (readonly string[])[];
}

export interface RequirementRule {
  courseCodes: readonly string[];
  roles: readonly string[];
  organizationTypes: readonly string[];
  withinDays: number | null;
}

export interface Done {
  courseCode: string;
  completedOn: string;
}

const DAY = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
const fromDayNumber = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);

export const isDate = (s: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  fromDayNumber(dayNumber(s)) === s;

export const addDays = (date: string, days: number): string => fromDayNumber(dayNumber(date) + days);

/** The same day `years` later (29 February becomes 28 February). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y + years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

export const daysBetween = (from: string, to: string): number => dayNumber(to) - dayNumber(from);

/** The day a completion stops holding, or null when it holds for good (once, or renewal not known). */
export function validUntil(
  course: Pick<CourseRule, 'renewal' | 'renewalYears'>,
  completedOn: string,
): string | null {
  if (course.renewal === 'yearly') return addYears(completedOn, 1);
  if (course.renewal === 'every_n_years' && course.renewalYears)
    return addYears(completedOn, course.renewalYears);
  return null;
}

/** How a requirement is met: the day and until when (null: for good); or not met. */
export interface Satisfaction {
  satisfiedOn: string;
  validUntil: string | null;
  /** The course (or set of courses) that met it. */
  by: readonly string[];
}

/** Whether `a` holds longer than `b`. */
const holdsLonger = (a: Satisfaction, b: Satisfaction) =>
  b.validUntil !== null && (a.validUntil === null || a.validUntil > b.validUntil);

/**
 * The best way the completions meet the requirement: for each of its courses, the course itself or one
 * of its sets of equivalents (every course of the set completed; the set counts from its last one). The
 * renewal is the required course's.
 *
 * @example
 * satisfaction(rule260E36, courses, [{ courseCode: 'X203', completedOn: '2026-01-05' }, { courseCode: 'X204', completedOn: '2026-02-01' }])
 * // { satisfiedOn: '2026-02-01', validUntil: null, by: ['X203', 'X204'] }
 */
export function satisfaction(
  requirement: Pick<RequirementRule, 'courseCodes'>,
  courses: ReadonlyMap<string, CourseRule>,
  done: readonly Done[],
): Satisfaction | null {
  const latest = new Map<string, string>();
  for (const d of done) {
    const seen = latest.get(d.courseCode);
    if (seen === undefined || d.completedOn > seen) latest.set(d.courseCode, d.completedOn);
  }
  let best: Satisfaction | null = null;
  for (const code of requirement.courseCodes) {
    const course = courses.get(code) ?? { code, renewal: null, renewalYears: null, equivalents: [] };
    for (const set of [[code], ...course.equivalents]) {
      const dates = set.map((c) => latest.get(c));
      if (set.length === 0 || dates.some((d) => d === undefined)) continue;
      const on = (dates as string[]).reduce((a, b) => (a > b ? a : b));
      const found: Satisfaction = { satisfiedOn: on, validUntil: validUntil(course, on), by: set };
      if (
        best === null ||
        holdsLonger(found, best) ||
        (found.validUntil === best.validUntil && on > best.satisfiedOn)
      )
        best = found;
    }
  }
  return best;
}

/** Every course that counts toward the requirement (its courses and their equivalents). */
export function coursesToward(
  requirement: Pick<RequirementRule, 'courseCodes'>,
  courses: ReadonlyMap<string, CourseRule>,
): Set<string> {
  const codes = new Set<string>();
  for (const code of requirement.courseCodes) {
    codes.add(code);
    for (const set of courses.get(code)?.equivalents ?? []) for (const c of set) codes.add(c);
  }
  return codes;
}

/** Whether the requirement binds a person of this role in an organization of this type. */
export const applies = (
  r: Pick<RequirementRule, 'roles' | 'organizationTypes'>,
  role: string,
  organizationType: string,
) =>
  (r.roles.length === 0 || r.roles.includes(role)) &&
  (r.organizationTypes.length === 0 || r.organizationTypes.includes(organizationType));

export interface PersonState {
  state: ComplianceState;
  /** When it is (or was) due; null when complete for good. */
  dueOn: string | null;
  satisfaction: Satisfaction | null;
}

/**
 * A person's state against a requirement today: complete (and holding past the next 30 days), overdue
 * (the due day has passed), due (within 30 days), started (some of its courses done) or never started.
 * The due day is the end of the last completion's validity, or the start plus the rule's days (the local
 * default when the rule gives none).
 */
export function personState(input: {
  requirement: RequirementRule;
  courses: ReadonlyMap<string, CourseRule>;
  done: readonly Done[];
  startedOn: string;
  today: string;
  defaultDueDays: number;
}): PersonState {
  const { requirement, courses, done, today } = input;
  const sat = satisfaction(requirement, courses, done);
  const horizon = addDays(today, DUE_WINDOW_DAYS);
  if (sat && (sat.validUntil === null || sat.validUntil > horizon))
    return { state: 'complete', dueOn: sat.validUntil, satisfaction: sat };
  const dueOn = sat?.validUntil ?? addDays(input.startedOn, requirement.withinDays ?? input.defaultDueDays);
  if (dueOn < today) return { state: 'overdue', dueOn, satisfaction: sat };
  if (dueOn <= horizon) return { state: 'due', dueOn, satisfaction: sat };
  const toward = coursesToward(requirement, courses);
  const started = done.some((d) => toward.has(d.courseCode));
  return { state: started ? 'started' : 'never_started', dueOn, satisfaction: sat };
}

export type StateCounts = Record<ComplianceState, number>;
export const emptyCounts = (): StateCounts => ({
  complete: 0,
  due: 0,
  overdue: 0,
  started: 0,
  never_started: 0,
});

/** "Jane Q. Doe" → "J. Q. D." (what the public certificate check shows). */
export function initialsOf(name: string): string {
  const letters = name
    .trim()
    .split(/[\s-]+/)
    .map((w) => w.replace(/[^\p{L}]/gu, '').charAt(0))
    .filter(Boolean)
    .slice(0, 4);
  return letters.length ? letters.map((l) => `${l.toLocaleUpperCase('en-US')}.`).join(' ') : '?';
}

/** A certificate code's shape: "NWD-" and 10 letters and digits without look-alikes, in groups. */
export const CERTIFICATE_CODE = /^NWD-[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/;
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A certificate code from 10 random bytes (the caller draws them). */
export function certificateCode(random: Uint8Array): string {
  const chars = [...random.slice(0, 10)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
  return `NWD-${chars.slice(0, 5)}-${chars.slice(5, 10)}`;
}

/** An email address's shape (as the accounts feature checks it). */
export const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/;

/** A course code as typed: trimmed, upper case. */
export const normalCode = (code: string): string => code.trim().toUpperCase();

const WORDS = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });
/** "December 7, 2026". */
export const dateInWords = (date: string): string => WORDS.format(new Date(dayNumber(date) * DAY));

export const courseLink = (code: string) => `/staff/training/courses/${encodeURIComponent(code)}`;
export const organizationLink = (id: string) => `/staff/training/organizations/${id}`;
export const certificateLink = (id: string) => `/staff/training/completions/${id}/certificate`;
export const verifyLink = (code: string) => `/certificates/${code}`;
