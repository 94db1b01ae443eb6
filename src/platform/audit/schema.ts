/**
 * What an audit event may contain, checked before it is written. The log records who, what, which
 * record, when, from where and why: never personal data itself, so `details` refuses keys that name a
 * personal field and values shaped like an email address.
 */
import { z } from 'zod';

export const ACTOR_KINDS = ['user', 'token', 'system', 'anonymous'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/**
 * Keys refused in `details`, compared after lower-casing and removing everything but letters and
 * digits (`date_of_birth`, `dateOfBirth` and `Date-Of-Birth` are one key). A guard, not a guarantee:
 * the caller still decides what goes in.
 */
export const PERSONAL_FIELD_NAMES: ReadonlySet<string> = new Set([
  'name',
  'firstname',
  'lastname',
  'middlename',
  'fullname',
  'givenname',
  'familyname',
  'preferredname',
  'nickname',
  'email',
  'emailaddress',
  'username',
  'dateofbirth',
  'dob',
  'birthdate',
  'birthday',
  'age',
  'phone',
  'phonenumber',
  'mobile',
  'telephone',
  'address',
  'streetaddress',
  'street',
  'homeaddress',
  'postaladdress',
  'ssn',
  'socialsecuritynumber',
  'password',
  'secret',
]);

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Lone UTF-16 surrogates would reach PostgreSQL as U+FFFD, so the stored text would differ from the
// hashed text; NUL cannot be stored in text at all.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const MAX_DETAILS_DEPTH = 5;
const MAX_DETAILS_BYTES = 8192;

/** Makes text storable exactly as hashed: drops NUL, replaces lone surrogates, caps the length. */
function storableText(max: number) {
  return z
    .string()
    .transform((s) =>
      Array.from(s.replace(/\0/g, '').replace(LONE_SURROGATE, '\uFFFD')).slice(0, max).join(''),
    );
}

function isStorable(s: string): boolean {
  return !s.includes('\0') && !new RegExp(LONE_SURROGATE.source).test(s);
}

const identifier = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and underscores');
const uuid = z.guid().transform((s) => s.toLowerCase());

/** Finds the first problem in a `details` value, or null: personal keys, email-shaped text, non-JSON. */
export function detailsProblem(value: unknown, path = 'details', depth = 0): string | null {
  if (value === null || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : `${path} is not a finite number`;
  if (typeof value === 'string') {
    if (!isStorable(value)) return `${path} holds a NUL or an unpaired surrogate`;
    return EMAIL_SHAPE.test(value.trim()) ? `${path} looks like an email address (personal data)` : null;
  }
  if (typeof value !== 'object') return `${path} is not a JSON value`;
  if (depth >= MAX_DETAILS_DEPTH) return `${path} is nested too deeply`;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const p = detailsProblem(item, `${path}[${i}]`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return `${path} is not a plain object`;
  for (const [key, item] of Object.entries(value)) {
    if (PERSONAL_FIELD_NAMES.has(key.toLowerCase().replace(/[^a-z0-9]/g, ''))) {
      return `${path}.${key} names a personal field: the audit log holds record ids, never personal data`;
    }
    if (!isStorable(key)) return `${path} has a key with a NUL or an unpaired surrogate`;
    const p = detailsProblem(item, `${path}.${key}`, depth + 1);
    if (p) return p;
  }
  return null;
}

const details = z
  .record(z.string(), z.unknown())
  .default({})
  .superRefine((value, ctx) => {
    const problem = detailsProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
    else if (Buffer.byteLength(JSON.stringify(value)) > MAX_DETAILS_BYTES) {
      ctx.addIssue({ code: 'custom', message: `details is larger than ${MAX_DETAILS_BYTES} bytes` });
    }
  });

/** One event to record. The time, id, position and hashes are assigned when it is written. */
export const auditEventInput = z
  .object({
    actorKind: z.enum(ACTOR_KINDS),
    /** Required for 'user' and 'token' actors; absent for 'anonymous'. */
    actorUserId: uuid.nullish(),
    /** `area.verb`, e.g. `sign_in.failure`, `record.read`, `export.audit_csv`. */
    action: z
      .string()
      .max(100)
      .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'dot-separated lower-case words, e.g. record.read'),
    subjectType: identifier(64).nullish(),
    /** The record's id. Never personal data itself. */
    subjectId: z
      .string()
      .min(1)
      .max(200)
      .refine(isStorable, 'subjectId holds a NUL or an unpaired surrogate')
      .refine((s) => !EMAIL_SHAPE.test(s.trim()), 'subjectId looks like an email address: use the record id')
      .nullish(),
    organizationId: uuid.nullish(),
    /** From where: the client address as the caller decided to record it (stored as given). */
    ip: storableText(100).nullish(),
    userAgent: storableText(512).nullish(),
    /** Why, when a reason was asked for. Free text written by staff: keep personal data out. */
    reason: storableText(2000).nullish(),
    /** Extra facts (counts, filters, old and new role). No personal data. */
    details,
  })
  .strict()
  .superRefine((e, ctx) => {
    if ((e.actorKind === 'user' || e.actorKind === 'token') && !e.actorUserId) {
      ctx.addIssue({
        code: 'custom',
        path: ['actorUserId'],
        message: `a ${e.actorKind} actor needs actorUserId`,
      });
    }
    if (e.actorKind === 'anonymous' && e.actorUserId) {
      ctx.addIssue({
        code: 'custom',
        path: ['actorUserId'],
        message: 'an anonymous actor has no actorUserId',
      });
    }
    if (e.subjectId && !e.subjectType) {
      ctx.addIssue({ code: 'custom', path: ['subjectType'], message: 'subjectId needs subjectType' });
    }
  });

export type AuditEventInput = z.input<typeof auditEventInput>;
export type AuditEventValid = z.output<typeof auditEventInput>;

/** Filters for browsing and exporting. `before` is the `seq` cursor of the previous page. */
export const auditFilters = z
  .object({
    actorUserId: uuid.optional(),
    action: z.string().max(100).optional(),
    subjectType: z.string().max(64).optional(),
    subjectId: z.string().max(200).optional(),
    organizationId: uuid.optional(),
    /** Inclusive lower bound on occurred_at. */
    from: z.coerce.date().optional(),
    /** Exclusive upper bound on occurred_at. */
    to: z.coerce.date().optional(),
    limit: z.number().int().min(1).max(500).default(50),
    before: z.number().int().positive().optional(),
  })
  .strict();

export type AuditFilters = z.input<typeof auditFilters>;
export type AuditFiltersValid = z.output<typeof auditFilters>;
