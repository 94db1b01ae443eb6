/**
 * The pure side of safety plans: the staff form as typed and the plan it describes (empty rows left
 * out), where a schema's complaint shows on the form, an empty plan, and phone links. No I/O.
 */
import type { FieldError } from '../../web/page.tsx';
import { SAFETY_PLAN_LIMITS, type SafetyPlanContent } from './schema.ts';

/** True when nothing has been written in the plan. */
export const isEmptyPlan = (p: SafetyPlanContent) =>
  !p.warningSigns.length &&
  !p.safePeople.length &&
  !p.safePlaces.length &&
  p.codeWord === null &&
  p.inDanger === null &&
  !p.lines.length &&
  !p.customLines.length;

/** The version asked for in a query: none, a number, or null when it is not one. */
export function parseVersion(raw: string | undefined): number | undefined | null {
  if (raw === undefined || raw === '') return undefined;
  return /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : null;
}

/** What the form holds: rows as typed, so a refused form comes back as it was. */
export interface PlanForm {
  warningSigns: string;
  safePeople: { name: string; contact: string }[];
  safePlaces: string;
  codeWord: string;
  inDanger: string;
  lines: string[];
  customLines: { name: string; phone: string }[];
}

export const rows = <T>(list: T[], empty: T, limit: number, spare: number, min: number): T[] => {
  const out = [...list];
  while (out.length < Math.min(Math.max(list.length + spare, min), limit)) out.push(empty);
  return out;
};

export function formOf(plan: SafetyPlanContent): PlanForm {
  return {
    warningSigns: plan.warningSigns.join('\n'),
    safePeople: plan.safePeople,
    safePlaces: plan.safePlaces.join('\n'),
    codeWord: plan.codeWord ?? '',
    inDanger: plan.inDanger ?? '',
    lines: plan.lines,
    customLines: plan.customLines,
  };
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * The plan a form describes, and the form row of each kept row (empty rows are left out, so an error
 * on the n-th kept row names the row the person sees).
 */
export function planOf(f: PlanForm): { plan: unknown; peopleRows: number[]; customRows: number[] } {
  const peopleRows: number[] = [];
  const customRows: number[] = [];
  const safePeople = f.safePeople.filter((p, i) => {
    const keep = p.name.trim() !== '' || p.contact.trim() !== '';
    if (keep) peopleRows.push(i);
    return keep;
  });
  const customLines = f.customLines.filter((l, i) => {
    const keep = l.name.trim() !== '' || l.phone.trim() !== '';
    if (keep) customRows.push(i);
    return keep;
  });
  return {
    plan: {
      warningSigns: lines(f.warningSigns),
      safePeople,
      safePlaces: lines(f.safePlaces),
      codeWord: f.codeWord.trim() || null,
      inDanger: f.inDanger.trim() || null,
      lines: f.lines,
      customLines,
    },
    peopleRows,
    customRows,
  };
}

/** The page's field id and message for an error of `checkSafetyPlan`. */
export function pageError(
  error: { message: string; field?: string | undefined },
  peopleRows: number[],
  customRows: number[],
): FieldError {
  const field = error.field ?? 'warningSigns';
  const [name, index, part] = field.split('-');
  const n = Number(index);
  if ((name === 'warningSigns' || name === 'safePlaces') && index !== undefined) {
    const what = name === 'warningSigns' ? 'Warning signs' : 'Safe places';
    return { field: name, message: `${what}, line ${n + 1}: ${error.message}` };
  }
  if (name === 'warningSigns' || name === 'safePlaces')
    return { field: name, message: `${error.message} (at most ${SAFETY_PLAN_LIMITS[name]} lines)` };
  if (name === 'safePeople' && part)
    return { field: `safePeople-${peopleRows[n] ?? n}-${part}`, message: error.message };
  if (name === 'customLines' && part)
    return { field: `customLines-${customRows[n] ?? n}-${part}`, message: error.message };
  if (name === 'safePeople') return { field: 'safePeople-0-name', message: error.message };
  if (name === 'customLines') return { field: 'customLines-0-name', message: error.message };
  return { field: name ?? 'warningSigns', message: error.message };
}

export const telOf = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;
export const looksLikePhone = (text: string) => /^\+?[0-9 ().-]{7,20}$/.test(text.trim());

/**
 * A pack line as one phrase: its name, then its number unless the name already says it ("Emergency:
 * 911", never "Emergency: 911: 911").
 */
export function lineWords(line: { name: string; call: { display: string } | null }): string {
  if (!line.call || line.name.includes(line.call.display)) return line.name;
  return `${line.name}: ${line.call.display}`;
}
