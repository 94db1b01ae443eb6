/**
 * Pure rules of data stewardship: phone numbers as links dial them, whether a navigator can be reached,
 * which memberships overlap, and what the data-health page lists.
 */
import { LANGUAGE_NAMES } from '../directory/index.ts';

/** Digits for `tel:`/`sms:` links: a 10-digit US number gains +1; an 11-digit one starting 1 gains +. */
export function dialOf(display: string): string {
  const digits = display.replace(/\D/g, '');
  if (display.trim().startsWith('+')) return `+${digits}`;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return digits;
}

/** The first day that counts as fresh: a fact checked before it is stale. */
export function staleBefore(today: string, months: number): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const back = new Date(Date.UTC(y, m - 1 - months, 1));
  const last = new Date(Date.UTC(back.getUTCFullYear(), back.getUTCMonth() + 1, 0)).getUTCDate();
  back.setUTCDate(Math.min(d, last));
  return back.toISOString().slice(0, 10);
}

/** Whether a navigator organization can be reached by the public: a phone, a text number or a website. */
export const reachable = (o: {
  phones: readonly unknown[];
  text_dial: string | null;
  website: string | null;
}) => o.phones.length > 0 || o.text_dial !== null || o.website !== null;

export interface Period {
  effectiveFrom: string;
  effectiveTo: string | null;
}

/** Whether two periods share a day (`effectiveTo` is the first day no longer covered). */
export const overlaps = (a: Period, b: Period): boolean =>
  (a.effectiveTo === null || b.effectiveFrom < a.effectiveTo) &&
  (b.effectiveTo === null || a.effectiveFrom < b.effectiveTo);

export const inEffect = (p: Period, day: string): boolean =>
  p.effectiveFrom <= day && (p.effectiveTo === null || day < p.effectiveTo);

/**
 * A county moves into a region from a date: an open membership elsewhere that began earlier ends that
 * day. Answers the memberships to end, or the one that still overlaps (an administrator must change it).
 */
export function planMove<M extends Period & { regionId: string }>(
  existing: readonly M[],
  next: Period & { regionId: string },
): { end: M[]; conflict: M | null } {
  const end: M[] = [];
  for (const m of existing) {
    if (!overlaps(m, next)) continue;
    if (m.effectiveTo === null && m.effectiveFrom < next.effectiveFrom) end.push(m);
    else return { end: [], conflict: m };
  }
  return { end, conflict: null };
}

export type FactKind = 'organization' | 'region' | 'membership' | 'service';
export type Problem = 'unverified' | 'stale' | 'unreachable';

/** One open problem on the data-health page, with where to fix it. */
export interface HealthItem {
  kind: FactKind | 'county';
  problem: Problem;
  label: string;
  checkedAt: string | null;
  fix: string;
}

export interface FactRow {
  kind: FactKind;
  id: string;
  label: string;
  verified: boolean;
  checkedAt: string;
  fix: string;
}

export interface CountyNavigator {
  fips: string;
  county: string;
  regionId: string | null;
  organization: {
    name: string;
    phones: readonly unknown[];
    text_dial: string | null;
    website: string | null;
  } | null;
}

const PROBLEM_ORDER: Record<Problem, number> = { unreachable: 0, unverified: 1, stale: 2 };

/**
 * Every open problem: unverified facts, facts not checked since `staleFrom`, and counties whose
 * navigator cannot be reached (no region, no navigator, or no phone, text number or website).
 */
export function healthItems(
  facts: readonly FactRow[],
  counties: readonly CountyNavigator[],
  staleFrom: string,
) {
  const items: HealthItem[] = [];
  for (const c of counties) {
    if (c.organization && reachable(c.organization)) continue;
    items.push({
      kind: 'county',
      problem: 'unreachable',
      label: `${c.county}: ${
        !c.regionId
          ? 'no region today'
          : !c.organization
            ? 'the region has no navigator organization'
            : `${c.organization.name} has no phone, text number or website`
      }`,
      checkedAt: null,
      fix: c.regionId ? `/staff/data/regions/${c.regionId}` : '/staff/data',
    });
  }
  for (const f of facts) {
    const base = { kind: f.kind, label: f.label, checkedAt: f.checkedAt, fix: f.fix };
    if (!f.verified) items.push({ ...base, problem: 'unverified' });
    if (f.checkedAt < staleFrom) items.push({ ...base, problem: 'stale' });
  }
  return items.sort(
    (a, b) => PROBLEM_ORDER[a.problem] - PROBLEM_ORDER[b.problem] || a.label.localeCompare(b.label),
  );
}

/** The public facts of an organization as the audit log records them before and after a change. */
export function publicFacts<T extends Record<string, unknown>>(row: T, keys: readonly (keyof T)[]) {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = row[k];
    out[String(k)] = v instanceof Date ? v.toISOString() : (v ?? null);
  }
  return out;
}

/** The keys that changed between two records of public facts. */
export const changedKeys = (before: Record<string, unknown>, after: Record<string, unknown>): string[] =>
  Object.keys(after).filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));

/** Languages the directory records as codes (as its filter reads them), by name or code. */
export const LANGUAGES = LANGUAGE_NAMES;

/** A language written as a name or a code → its code, or null when it is not one the directory knows. */
export function languageCode(text: string): string | null {
  const t = text.trim().toLowerCase();
  if (t in LANGUAGES) return t;
  const found = Object.entries(LANGUAGES).find(([, name]) => name.toLowerCase() === t);
  return found ? found[0] : null;
}
