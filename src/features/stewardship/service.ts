/**
 * Data stewardship: state administrators keep every public fact true (organizations, navigators'
 * contacts, region memberships with their dates, directory services), organization administrators
 * their own organization's. Each change starts with `authorize`, then checks its input, then writes the
 * fact with its provenance, bumps the data version and records the audit event (before and after)
 * in one transaction; the geography in memory is reloaded at once, and every other instance reloads
 * on its next request. The data-health page and its weekly digest list what is still open.
 */
import { randomUUID } from 'node:crypto';
import type { ZodError } from 'zod';
import type { AppDeps } from '../../app-types.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { authorize, can, ROLE_NAMES, type Actor } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import { AccessDenied, InputError, ServiceError } from '../../platform/errors.ts';
import type { SiteOrigin } from '../../platform/mail/index.ts';
import { saveService, validateHsdsService } from '../../pack/directory-store.ts';
import { todayIn } from '../help/index.ts';
import { activeStaff, notifyStaff } from '../notifications/service.ts';
import * as q from './queries.ts';
import {
  changedKeys,
  dialOf,
  healthItems,
  languageCode,
  LANGUAGES,
  planMove,
  publicFacts,
  staleBefore,
  type CountyNavigator,
  type FactRow,
  type HealthItem,
} from './rules.ts';
import {
  membershipInput,
  organizationInput,
  regionInput,
  serviceInput,
  type MembershipInput,
} from './schema.ts';

export interface StewardshipContext {
  db: Database;
  /** The geography in memory: reloaded right after a change. */
  geography: { refresh(): Promise<boolean>; get(): { timezone: string } };
  keyring: Keyring;
  site: SiteOrigin;
  /** Months after which a checked fact is stale (NWD_DATA_STALE_MONTHS). */
  staleMonths: number;
}

/** The context of the use cases, from the application's. */
export const stewardshipContext = (deps: AppDeps): StewardshipContext => ({
  db: deps.db,
  geography: deps.geography,
  keyring: deps.keyring,
  site: deps.site,
  staleMonths: deps.config.dataStaleMonths ?? 12,
});

export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

/** The state's own facts (regions, memberships, services): no organization administrator's. */
const STATE_DATA = { organizationId: null };
const STATE_ONLY = 'Only a state administrator can change this.';

/** The access check of the state's own facts (404 for anyone else). */
const stateOnly = (actor: Actor) =>
  authorize(actor, 'data.steward', STATE_DATA, { message: STATE_ONLY, hidden: true });

const today = (ctx: StewardshipContext, now = new Date()) => todayIn(ctx.geography.get().timezone, now);

const parse = <T>(
  schema: {
    safeParse(v: unknown): { success: true; data: T } | { success: false; error: ZodError };
  },
  input: unknown,
): T => {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw InputError.from(result.error);
  return result.data;
};

async function stampFor(ctx: StewardshipContext, actor: Actor, now: Date): Promise<q.EditStamp> {
  const org = await q.memberOrganizationName(ctx.db, actor.organizationId);
  return {
    checked_by: org ? `${ROLE_NAMES[actor.role]}, ${org}` : ROLE_NAMES[actor.role],
    edited_by: actor.userId,
    edited_at: now,
  };
}

const auditActor = (actor: Actor) => ({
  actorKind: actor.tokenScopes ? ('token' as const) : ('user' as const),
  actorUserId: actor.userId,
});

/** Makes an email address safe for the audit log's guard (which refuses anything shaped like one). */
const auditText = (v: unknown): unknown =>
  typeof v === 'string' ? v.replace('@', ' (at) ').slice(0, 300) : Array.isArray(v) ? v.map(auditText) : v;

/** Before and after of the changed public facts, as the audit event records them. */
function beforeAfter(before: Record<string, unknown>, after: Record<string, unknown>) {
  const keys = changedKeys(before, after);
  const pick = (o: Record<string, unknown>) =>
    Object.fromEntries(keys.map((k) => [k, auditText(o[k] ?? null)]));
  return { changed: keys, before: pick(before), after: pick(after) };
}

/** One change: in one transaction, stamped with who made it; then the geography in memory is reloaded. */
async function changeIn<T>(
  ctx: StewardshipContext,
  actor: Actor,
  now: Date,
  work: (trx: Transaction<DB>, stamp: q.EditStamp) => Promise<T>,
): Promise<T> {
  const stamp = await stampFor(ctx, actor, now);
  const result = await ctx.db.transaction().execute((trx) => work(trx, stamp));
  await ctx.geography.refresh();
  return result;
}

/** The audit event of a change, in its transaction. */
const audited = (
  trx: Transaction<DB>,
  actor: Actor,
  origin: RequestOrigin,
  action: string,
  [subjectType, subjectId]: [string, string],
  details: Record<string, unknown>,
) =>
  recordAudit(trx, {
    ...auditActor(actor),
    action,
    subjectType,
    subjectId,
    ip: origin.ip,
    userAgent: origin.userAgent,
    details,
  });

/** The arguments of every edit use case. */
type EditArgs = [
  ctx: StewardshipContext,
  actor: Actor,
  id: string,
  input: unknown,
  origin: RequestOrigin,
  now?: Date,
];

/** What a state administrator's edit works with, inside its transaction. */
interface StateEdit<R, D> {
  ctx: StewardshipContext;
  trx: Transaction<DB>;
  stamp: q.EditStamp;
  id: string;
  before: R;
  d: D;
  retrieved: string;
  /** Records the audit event of the change about `[subjectType, subjectId]`. */
  audit: (action: string, subject: [string, string], details: Record<string, unknown>) => Promise<unknown>;
}

/**
 * A use case that changes a state fact: the access check first, then in one change the fact is loaded
 * and locked (404 when missing), the input checked, and `work` done.
 */
const stateEdit =
  <R, D>(
    load: (db: Database, id: string, lock: boolean) => Promise<R>,
    schema: Parameters<typeof parse<D>>[0],
    work: (e: StateEdit<R, D>) => Promise<void>,
  ) =>
  async (...[ctx, actor, id, input, origin, now = new Date()]: EditArgs): Promise<void> => {
    stateOnly(actor);
    await changeIn(ctx, actor, now, async (trx, stamp) => {
      const before = await load(trx as unknown as Database, id, true);
      const d = parse(schema, input);
      const audit = (action: string, subject: [string, string], details: Record<string, unknown>) =>
        audited(trx, actor, origin, action, subject, details);
      await work({ ctx, trx, stamp, id, before, d, retrieved: today(ctx, now), audit });
    });
  };

// ---------------------------------------------------------------------------------------------------
// What an administrator may edit

export async function stewardshipOverview(ctx: StewardshipContext, actor: Actor) {
  const scope = authorize(actor, 'data.steward');
  const state = scope.all;
  const [organizations, regions, services] = await Promise.all([
    q.listOrganizations(ctx.db, state ? null : actor.organizationId),
    state ? q.listRegions(ctx.db) : Promise.resolve([]),
    state ? q.listServices(ctx.db) : Promise.resolve([]),
  ]);
  return { state, organizations, regions, services };
}

// ---------------------------------------------------------------------------------------------------
// Organizations

function orgFacts(o: q.OrganizationRow) {
  const facts = {
    title: o.name,
    type: o.type,
    publicPhones: o.phones.map((p) => p.display),
    textNumber: o.text_display,
    publicEmail: o.email,
    website: o.website,
    hours: o.hours,
    languages: o.languages,
    addressConfidential: o.address_confidential,
    source: o.source,
    verified: o.verified,
    note: o.note,
  };
  return publicFacts(facts, Object.keys(facts) as (keyof typeof facts)[]);
}

/** Loads an organization the actor may edit: 404 for one that does not exist or is not theirs. */
async function organizationOf(db: Database, actor: Actor, id: string, lock = false) {
  const org = await q.findOrganization(db, id, lock);
  if (!org) throw new ServiceError('not_found', 'There is no such organization.');
  authorize(
    actor,
    'data.steward',
    { organizationId: org.member_organization_id },
    {
      hidden: true,
      message: 'There is no such organization.',
    },
  );
  return org;
}

export async function organizationForEdit(ctx: StewardshipContext, actor: Actor, id: string) {
  const scope = authorize(actor, 'data.steward');
  const organization = await organizationOf(ctx.db, actor, id);
  return { organization, members: scope.all ? await q.memberOrganizations(ctx.db) : null };
}

export async function editOrganization(...[ctx, actor, id, input, origin, now = new Date()]: EditArgs) {
  const scope = authorize(actor, 'data.steward');
  return changeIn(ctx, actor, now, async (trx, stamp) => {
    const before = await organizationOf(trx as unknown as Database, actor, id, true);
    const d = parse(organizationInput, input);
    const raw = (input ?? {}) as Record<string, unknown>;
    let member = before.member_organization_id;
    if ('memberOrganizationId' in raw && typeof raw.memberOrganizationId === 'string') {
      if (!scope.all) throw new AccessDenied(STATE_ONLY);
      member = raw.memberOrganizationId || null;
      if (member && !(await q.memberOrganizationName(trx, member)))
        throw new InputError('Managed by must be chosen from the list.', 'memberOrganizationId');
    }
    const phones = [d.phone, d.phone2]
      .filter((p): p is string => p !== null)
      .map((display) => ({ dial: dialOf(display), display, description: null }));
    await q.updateOrganization(trx, id, {
      name: d.name,
      type: d.type,
      phones,
      text_dial: d.textNumber ? dialOf(d.textNumber) : null,
      text_display: d.textNumber,
      email: d.email,
      website: d.website,
      hours: d.hours,
      languages: d.languages,
      address_confidential: d.addressConfidential,
      member_organization_id: member,
      source: d.source,
      retrieved: today(ctx, now),
      verified: d.verified,
      note: d.note,
      ...stamp,
    });
    const after = (await q.findOrganization(trx, id))!;
    await q.bumpVersion(trx, 'geography');
    await audited(trx, actor, origin, 'data.organization_edit', ['public_organization', id], {
      ...beforeAfter(orgFacts(before), orgFacts(after)),
      managedBy: member,
    });
    return after;
  });
}

// ---------------------------------------------------------------------------------------------------
// Regions and county memberships

/** A finder that answers 404 with `message` when the fact does not exist. */
const foundBy =
  <R>(find: (db: Database, id: string, lock: boolean) => Promise<R | undefined>, message: string) =>
  async (db: Database, id: string, lock = false): Promise<R> => {
    const row = await find(db, id, lock);
    if (!row) throw new ServiceError('not_found', message);
    return row;
  };

const regionOf = foundBy(q.findRegion, 'There is no such region.');

export async function regionForEdit(ctx: StewardshipContext, actor: Actor, id: string) {
  stateOnly(actor);
  const region = await regionOf(ctx.db, id);
  const [memberships, counties, organizations] = await Promise.all([
    q.membershipsOfRegion(ctx.db, id),
    q.listCounties(ctx.db),
    q.listOrganizations(ctx.db, null),
  ]);
  return { region, memberships, counties, organizations, today: today(ctx) };
}

export const editRegion = stateEdit(
  regionOf,
  regionInput,
  async ({ trx, stamp, id, before, d, retrieved, audit }) => {
    if (d.navigatorOrganizationId && !(await q.findOrganization(trx, d.navigatorOrganizationId)))
      throw new InputError('Navigator organization must be chosen from the list.', 'navigatorOrganizationId');
    await q.updateRegion(trx, id, {
      navigator_organization_id: d.navigatorOrganizationId,
      source: d.source,
      retrieved,
      verified: d.verified,
      note: d.note,
      ...stamp,
    });
    const facts = (r: typeof before) =>
      publicFacts(
        { navigator: r.navigator_organization_id, source: r.source, verified: r.verified, note: r.note },
        ['navigator', 'source', 'verified', 'note'],
      );
    const after = (await q.findRegion(trx, id))!;
    await q.bumpVersion(trx, 'geography');
    await audit('data.region_edit', ['region', id], beforeAfter(facts(before), facts(after)));
  },
);

/**
 * Sets a county's membership of the region from a date: the same start date updates it (its end, its
 * provenance); a new start date adds it and ends the county's open membership elsewhere that day. A
 * membership that would overlap another is refused, naming it.
 */
export const setMembership = stateEdit(
  regionOf,
  membershipInput,
  async ({ trx, stamp, id: regionId, d, retrieved, audit }: StateEdit<unknown, MembershipInput>) => {
    const county = (await q.listCounties(trx)).find((c) => c.fips === d.county);
    if (!county) throw new InputError('County must be chosen from the list.', 'county');
    const existing = await q.membershipsOfCounty(trx, d.county);
    const same = existing.find((m) => m.region_id === regionId && m.effective_from === d.effectiveFrom);
    const others = existing
      .filter((m) => m !== same)
      .map((m) => ({
        ...m,
        regionId: m.region_id,
        effectiveFrom: m.effective_from,
        effectiveTo: m.effective_to,
      }));
    const plan = planMove(others, { regionId, effectiveFrom: d.effectiveFrom, effectiveTo: d.effectiveTo });
    if (plan.conflict)
      throw new InputError(
        `Start date: ${county.name} is already in region ${plan.conflict.region_id} from ${plan.conflict.effective_from}${
          plan.conflict.effective_to ? ` to ${plan.conflict.effective_to}` : ''
        }. Change that membership first.`,
        'effectiveFrom',
      );
    for (const m of plan.end) await q.endMembership(trx, m, d.effectiveFrom, stamp);
    await q.upsertMembership(trx, {
      region_id: regionId,
      county_fips: d.county,
      effective_from: d.effectiveFrom,
      effective_to: d.effectiveTo,
      source: d.source,
      retrieved,
      verified: d.verified,
      note: d.note,
      ...stamp,
    });
    await q.bumpVersion(trx, 'geography');
    await audit('data.membership_set', ['region', regionId], {
      county: d.county,
      before: same
        ? {
            effectiveFrom: same.effective_from,
            effectiveTo: same.effective_to,
            verified: same.verified,
            source: same.source,
          }
        : null,
      after: {
        effectiveFrom: d.effectiveFrom,
        effectiveTo: d.effectiveTo,
        verified: d.verified,
        source: d.source,
      },
      ended: plan.end.map((m) => ({ region: m.region_id, from: m.effective_from, to: d.effectiveFrom })),
    });
  },
);

// ---------------------------------------------------------------------------------------------------
// Directory services

const serviceOf = foundBy(q.findService, 'There is no such service.');

export async function serviceForEdit(ctx: StewardshipContext, actor: Actor, id: string) {
  stateOnly(actor);
  return serviceOf(ctx.db, id);
}

/** The HSDS fields the form edits, read from a stored service. */
export function serviceFields(hsds: Record<string, unknown>) {
  const phones = Array.isArray(hsds.phones) ? (hsds.phones as { number?: string }[]) : [];
  const languages = Array.isArray(hsds.languages) ? (hsds.languages as { name?: string }[]) : [];
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    name: str(hsds.name),
    description: str(hsds.description),
    eligibility: str(hsds.eligibility_description),
    minimumAge: typeof hsds.minimum_age === 'number' ? String(hsds.minimum_age) : '',
    maximumAge: typeof hsds.maximum_age === 'number' ? String(hsds.maximum_age) : '',
    phone: str(phones[0]?.number),
    email: str(hsds.email),
    website: str(hsds.url),
    languages: languages
      .map((l) => str(l.name))
      .filter(Boolean)
      .join(', '),
  };
}

export const editService = stateEdit(
  serviceOf,
  serviceInput,
  async ({ trx, stamp, id, before, d, retrieved, audit }) => {
    const hsds: Record<string, unknown> = { ...before.hsds };
    const set = (k: string, v: unknown) => {
      if (v === null || v === undefined) delete hsds[k];
      else hsds[k] = v;
    };
    set('name', d.name);
    set('description', d.description);
    set('eligibility_description', d.eligibility);
    set('minimum_age', d.minimumAge);
    set('maximum_age', d.maximumAge);
    set('email', d.email);
    set('url', d.website);
    hsds.phones = d.phone ? [{ id: randomUUID(), number: d.phone }] : [];
    const codes = d.languages.map((l) => ({ text: l, code: languageCode(l) }));
    const unknown = codes.find((l) => l.code === null);
    if (unknown)
      throw new InputError(
        `Languages: "${unknown.text.slice(0, 60)}" is not one the directory lists (${Object.values(LANGUAGES).join(', ')}).`,
        'languages',
      );
    hsds.languages = codes.map((l) => ({ id: randomUUID(), name: LANGUAGES[l.code!], code: l.code }));
    const valid = validateHsdsService(hsds);
    if (!valid.valid)
      throw new InputError(`The service is not valid HSDS 3.1: ${valid.errors[0] ?? ''}`, 'name');
    await saveService(trx, {
      jurisdiction: before.jurisdiction,
      service: hsds,
      provenance: {
        source: d.source,
        retrieved,
        verified: d.verified,
        note: d.note ?? undefined,
      },
      origin: before.origin,
    });
    await q.stampService(trx, id, stamp);
    const facts = (h: Record<string, unknown>, p: { source: string; verified: boolean }) => ({
      ...serviceFields(h),
      email: auditText(serviceFields(h).email),
      source: p.source,
      verified: p.verified,
    });
    const renamed = (o: Record<string, unknown>) => {
      const { name, phone, email, ...rest } = o;
      return { ...rest, title: name, publicPhone: phone, publicEmail: email };
    };
    await q.bumpVersion(trx, 'directory');
    await audit(
      'data.service_edit',
      ['directory_service', id],
      beforeAfter(renamed(facts(before.hsds, before)), renamed(facts(hsds, d))),
    );
  },
);

// ---------------------------------------------------------------------------------------------------
// Data health

/** Every open problem, as of `now`, for the page and the digest (no access check: callers do it). */
export async function openProblems(
  db: Database,
  timezone: string,
  staleMonths: number,
  now = new Date(),
): Promise<HealthItem[]> {
  const day = todayIn(timezone, now);
  const f = await q.healthFacts(db, day);
  const orgs = new Map(f.organizations.map((o) => [o.id, o]));
  const regions = new Map(f.regions.map((r) => [r.id, r]));
  const fact = (
    kind: FactRow['kind'],
    id: string,
    label: string,
    row: { verified: boolean; checked_at: string },
    fix: string,
  ): FactRow => ({ kind, id, label, verified: row.verified, checkedAt: row.checked_at, fix });
  const facts: FactRow[] = [
    ...f.organizations.map((o) =>
      fact('organization', o.id, `Organization: ${o.name}`, o, `/staff/data/organizations/${o.id}`),
    ),
    ...f.regions.map((r) => fact('region', r.id, `Region: ${r.name}`, r, `/staff/data/regions/${r.id}`)),
    ...f.memberships.map((m) =>
      fact(
        'membership',
        `${m.region_id}/${m.county_fips}`,
        `${m.county_name} in ${m.region_name}`,
        m,
        `/staff/data/regions/${m.region_id}?county=${m.county_fips}&from=${m.effective_from}#membership`,
      ),
    ),
    ...f.services.map((s) => fact('service', s.id, `Service: ${s.name}`, s, `/staff/data/services/${s.id}`)),
  ];
  const current = new Map(f.memberships.map((m) => [m.county_fips, m.region_id]));
  const counties: CountyNavigator[] = f.counties.map((c) => {
    const regionId = current.get(c.fips) ?? null;
    const orgId = regionId ? regions.get(regionId)?.navigator_organization_id : null;
    return { fips: c.fips, county: c.name, regionId, organization: orgId ? (orgs.get(orgId) ?? null) : null };
  });
  return healthItems(facts, counties, staleBefore(day, staleMonths));
}

export async function dataHealth(ctx: StewardshipContext, actor: Actor, now = new Date()) {
  authorize(actor, 'data.health');
  const items = await openProblems(ctx.db, ctx.geography.get().timezone, ctx.staleMonths, now);
  return { items, staleMonths: ctx.staleMonths };
}

/** How many problems the data-health page lists, for the staff home page; 0 without `data.health`. */
export async function countHealthProblems(ctx: StewardshipContext, actor: Actor, now = new Date()) {
  if (!can(actor, 'data.health')) return 0;
  return (await openProblems(ctx.db, ctx.geography.get().timezone, ctx.staleMonths, now)).length;
}

/**
 * The weekly digest: while anything is open, every state administrator gets one notification and one
 * email through the outbox — how many problems are open and the link, nothing else.
 */
export async function sendHealthDigest(
  ctx: Pick<StewardshipContext, 'db' | 'keyring' | 'site' | 'staleMonths'> & { timezone: string },
  now = new Date(),
): Promise<{ open: number; told: number }> {
  const items = await openProblems(ctx.db, ctx.timezone, ctx.staleMonths, now);
  if (items.length === 0) return { open: 0, told: 0 };
  const told = await ctx.db.transaction().execute(async (trx) => {
    const admins = await activeStaff(trx, 'state_admin');
    const text = `${items.length} public ${items.length === 1 ? 'fact needs' : 'facts need'} checking on the data-health page.`;
    const n = await notifyStaff(trx, ctx, admins, {
      kind: 'data_health',
      text,
      link: '/staff/data-health',
      at: now,
    });
    await recordAudit(trx, {
      actorKind: 'system',
      action: 'data.health_digest',
      subjectType: 'data_health',
      details: { open: items.length, recipients: n },
    });
    return n;
  });
  return { open: items.length, told };
}
