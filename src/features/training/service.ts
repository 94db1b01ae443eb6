/**
 * The people an organization lists for training, their completions and their compliance with the requirements — per person, organization, region and statewide.
 *
 * People are the organization's staff accounts and its roster entries (people without an account, such
 * as a county's whole child-protection staff). Roster names and emails are encrypted under the shared
 * data key (the email also has a blind index to find the person again); reading names is audited
 * (`training.people.read`). Who may do what is the permission model's: `training.compliance` (state
 * administrators everywhere, organization administrators their own, navigators the organizations of
 * their regions, read only); `training.record` (state administrators, organization administrators for
 * their own people, trainers for the courses they teach). Another organization's records are answered
 * as missing. Every change is audited in its transaction.
 */
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../app-types.ts';
import type { Database } from '../../db/database.ts';
import { authorize, can, POLICY, type Actor } from '../../platform/access.ts';
import { recordActorAudit, recordReadAudit } from '../../platform/audit/audit.ts';
import { SHARED_SCOPE, decryptField, encryptField, type Keyring } from '../../platform/crypto/index.ts';
import { AccessDenied, InputError, ServiceError } from '../../platform/errors.ts';
import { emailIndex, type RequestOrigin } from '../accounts/service.ts';
import { todayIn } from '../help/index.ts';
import { loadCatalogue, type Catalogue } from './catalogue.ts';
import * as q from './queries.ts';
import {
  DEFAULT_DUE_DAYS,
  applies,
  emptyCounts,
  initialsOf,
  personState,
  type ComplianceState,
  type StateCounts,
} from './rules.ts';
import { RegionsInput, RosterInput } from './schema.ts';

export interface TrainingContext {
  db: Database;
  keyring: Keyring;
  /** The pack's time zone: "today" for due dates. */
  timezone: string;
  /** Days after a start when a rule gives none (`NWD_TRAINING_DUE_DAYS`). */
  dueDays: number;
  now?: () => Date;
}

export function trainingContext(deps: AppDeps): TrainingContext {
  return {
    db: deps.db,
    keyring: deps.keyring,
    timezone: deps.geography.get().timezone,
    dueDays: deps.config.trainingDueDays ?? DEFAULT_DUE_DAYS,
  };
}

const nowOf = (ctx: Pick<TrainingContext, 'now'>) => (ctx.now ? ctx.now() : new Date());
const todayOf = (ctx: Pick<TrainingContext, 'now' | 'timezone'>) => todayIn(ctx.timezone, nowOf(ctx));
const isId = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
const NO_ORG = 'There is no such organization.';
const SEE = {
  message:
    'The organization’s administrators, navigators of its region and state administrators see its training.',
};

export const rosterField = (id: string, field: 'name_encrypted' | 'email_encrypted') => ({
  scope: SHARED_SCOPE,
  table: 'training_roster',
  recordId: id,
  field,
});

/** Whether the actor sees every organization's training (state administrators). */
export const seesStatewide = (actor: Actor): boolean => POLICY['training.compliance'][actor.role] === 'any';

/** Whether the actor may see the organization's compliance (its regions decide for a navigator). */
export const seesCompliance = (actor: Actor, org: Pick<q.OrganizationRow, 'id' | 'region_ids'>): boolean =>
  can(actor, 'training.compliance', { organizationId: org.id }) ||
  org.region_ids.some((regionId) => can(actor, 'training.compliance', { regionId }));

/** Whether the actor keeps the organization's roster and records for any course (not a trainer). */
export const keepsRoster = (actor: Actor, organizationId: string): boolean =>
  actor.role !== 'trainer' && can(actor, 'training.record', { organizationId });

/** The organization, if the actor may see its people (compliance, or recording completions). */
export async function visibleOrganization(
  ctx: TrainingContext,
  actor: Actor,
  id: string,
): Promise<q.OrganizationRow> {
  const org = isId(id) ? (await q.organizationRows(ctx.db, { id }))[0] : undefined;
  if (!org) throw new ServiceError('not_found', NO_ORG);
  if (!seesCompliance(actor, org) && !can(actor, 'training.record', { organizationId: org.id })) {
    // Outside the actor's scope: answered as missing to those who see training somewhere, refused to others.
    const somewhere = POLICY['training.compliance'][actor.role] || POLICY['training.record'][actor.role];
    throw new AccessDenied(SEE.message, Boolean(somewhere));
  }
  return org;
}

// ---------------------------------------------------------------------------------------------------
// Compliance

export interface Person {
  id: string;
  kind: 'user' | 'roster';
  organizationId: string;
  role: string;
  title: string | null;
  startedOn: string;
}

export interface PersonCompliance {
  requirementId: string;
  state: ComplianceState;
  dueOn: string | null;
}

const staffAsPerson =
  (tz: string) =>
  (u: q.StaffPersonRow): Person => ({
    id: u.id,
    kind: 'user',
    organizationId: u.organization_id,
    role: u.role,
    title: null,
    startedOn: todayIn(tz, u.created_at),
  });
const rosterAsPerson = (r: q.RosterRow): Person => ({
  id: r.id,
  kind: 'roster',
  organizationId: r.organization_id,
  role: r.role,
  title: r.title,
  startedOn: r.started_on ?? r.created_at.toISOString().slice(0, 10),
});

/** Each person's state against each active requirement that binds them. */
export function complianceOf(
  people: readonly Person[],
  orgTypes: ReadonlyMap<string, string>,
  completions: readonly q.CompletionRow[],
  cat: Catalogue,
  today: string,
  dueDays: number,
): Map<string, PersonCompliance[]> {
  const done = new Map<string, { courseCode: string; completedOn: string }[]>();
  for (const c of completions) {
    const key = (c.staff_user_id ?? c.roster_id)!;
    const list = done.get(key) ?? [];
    list.push({ courseCode: c.course_code, completedOn: c.completed_on });
    done.set(key, list);
  }
  const active = cat.requirements.filter((r) => r.retired_at === null);
  const result = new Map<string, PersonCompliance[]>();
  for (const p of people) {
    const type = orgTypes.get(p.organizationId) ?? 'other';
    const states: PersonCompliance[] = [];
    for (const r of active) {
      const rule = {
        courseCodes: r.course_codes,
        roles: r.roles,
        organizationTypes: r.organization_types,
        withinDays: r.within_days,
      };
      if (!applies(rule, p.role, type)) continue;
      const s = personState({
        requirement: rule,
        courses: cat.rules,
        done: done.get(p.id) ?? [],
        startedOn: p.startedOn,
        today,
        defaultDueDays: dueDays,
      });
      states.push({ requirementId: r.id, state: s.state, dueOn: s.dueOn });
    }
    result.set(p.id, states);
  }
  return result;
}

export interface OrganizationSummary {
  id: string;
  name: string;
  type: string;
  people: number;
  counts: StateCounts;
  /** Share of bound person-requirements overdue or never started and due, 0–1: "furthest behind". */
  behind: number;
}

/** Counts per organization for the regional and statewide views (no names read). */
async function summaries(
  ctx: TrainingContext,
  orgs: readonly q.OrganizationRow[],
): Promise<OrganizationSummary[]> {
  const ids = orgs.map((o) => o.id);
  const cat = await loadCatalogue(ctx.db);
  const people = [
    ...(await q.staffPeople(ctx.db, ids)).map(staffAsPerson(ctx.timezone)),
    ...(await q.rosterPeople(ctx.db, ids)).map(rosterAsPerson),
  ];
  const states = complianceOf(
    people,
    new Map(orgs.map((o) => [o.id, o.type])),
    await q.completionRows(ctx.db, ids),
    cat,
    todayOf(ctx),
    ctx.dueDays,
  );
  return orgs
    .map((o) => {
      const counts = emptyCounts();
      const mine = people.filter((p) => p.organizationId === o.id);
      for (const p of mine) for (const s of states.get(p.id) ?? []) counts[s.state]++;
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      return {
        id: o.id,
        name: o.name,
        type: o.type,
        people: mine.length,
        counts,
        behind: total ? counts.overdue / total : 0,
      };
    })
    .sort(
      (a, b) => b.behind - a.behind || b.counts.overdue - a.counts.overdue || a.name.localeCompare(b.name),
    );
}

/** Every organization, furthest behind first: state administrators only. */
export async function statewideCompliance(ctx: TrainingContext, actor: Actor) {
  if (!seesStatewide(actor)) throw new AccessDenied('State administrators see the statewide view.');
  const orgs = await summaries(ctx, await q.organizationRows(ctx.db));
  const counts = emptyCounts();
  for (const o of orgs) for (const k of Object.keys(counts) as ComplianceState[]) counts[k] += o.counts[k];
  return { organizations: orgs, counts, regions: await q.regionRows(ctx.db) };
}

/** The organizations of a region, furthest behind first: state administrators and the region's navigators. */
export async function regionCompliance(ctx: TrainingContext, actor: Actor, regionId: string) {
  const region = (await q.regionRows(ctx.db)).find((r) => r.id === regionId);
  if (!region) throw new ServiceError('not_found', 'There is no such region.');
  authorize(
    actor,
    'training.compliance',
    { regionId },
    { message: 'State administrators and the region’s navigators see it.', hidden: true },
  );
  const orgs = await summaries(
    ctx,
    await q.organizationRows(ctx.db, { ids: await q.organizationsInRegion(ctx.db, regionId) }),
  );
  const counts = emptyCounts();
  for (const o of orgs) for (const k of Object.keys(counts) as ComplianceState[]) counts[k] += o.counts[k];
  return { region, organizations: orgs, counts };
}

/** The organizations the actor may open (state administrators and trainers: all; navigators: their regions'). */
export async function organizationChoices(ctx: TrainingContext, actor: Actor): Promise<q.OrganizationRow[]> {
  const all = await q.organizationRows(ctx.db);
  return all.filter(
    (o) => seesCompliance(actor, o) || can(actor, 'training.record', { organizationId: o.id }),
  );
}

export interface PersonView extends Person {
  name: string;
  email: string | null;
  states: PersonCompliance[];
  completions: q.CompletionRow[];
}

/**
 * One organization's people with their names, completions and states. Reading names is audited
 * (`training.people.read`). Trainers see the people (to record their courses) but not the states.
 */
export async function organizationTraining(
  ctx: TrainingContext,
  actor: Actor,
  id: string,
  origin: RequestOrigin,
) {
  const org = await visibleOrganization(ctx, actor, id);
  const cat = await loadCatalogue(ctx.db);
  const staff = await q.staffPeople(ctx.db, [org.id]);
  const roster = await q.rosterPeople(ctx.db, [org.id]);
  const completions = await q.completionRows(ctx.db, [org.id]);
  const people = [...staff.map(staffAsPerson(ctx.timezone)), ...roster.map(rosterAsPerson)];
  const showsStates = seesCompliance(actor, org);
  const states = complianceOf(
    people,
    new Map([[org.id, org.type]]),
    completions,
    cat,
    todayOf(ctx),
    ctx.dueDays,
  );
  const sealed = new Map<
    string,
    { name: Buffer | null; email: Buffer | null; at: (f: 'name' | 'email') => object }
  >();
  for (const u of staff)
    sealed.set(u.id, {
      name: u.display_name_encrypted,
      email: u.email_encrypted,
      at: (f) => ({ table: 'staff_users', recordId: u.id, field: f === 'name' ? 'display_name' : 'email' }),
    });
  for (const r of roster)
    sealed.set(r.id, {
      name: r.name_encrypted,
      email: r.email_encrypted,
      at: (f) => rosterField(r.id, f === 'name' ? 'name_encrypted' : 'email_encrypted'),
    });
  const open = async (id: string, f: 'name' | 'email') => {
    const s = sealed.get(id)!;
    const value = f === 'name' ? s.name : s.email;
    return value ? decryptField(ctx.keyring, s.at(f) as Parameters<typeof decryptField>[1], value) : null;
  };
  const views: PersonView[] = await Promise.all(
    people.map(async (p) => ({
      ...p,
      name: (await open(p.id, 'name')) ?? (await open(p.id, 'email')) ?? '',
      email: await open(p.id, 'email'),
      states: showsStates ? (states.get(p.id) ?? []) : [],
      completions: completions.filter((c) => (c.staff_user_id ?? c.roster_id) === p.id),
    })),
  );
  if (people.length)
    await recordReadAudit(ctx.db, actor, origin, {
      action: 'training.people.read',
      subjectType: 'member_organization',
      subjectId: org.id,
      details: { people: people.length },
    });
  const counts = emptyCounts();
  for (const p of views) for (const s of p.states) counts[s.state]++;
  const taught = actor.role === 'trainer' ? new Set(await q.coursesTaught(ctx.db, actor.userId)) : null;
  return {
    organization: org,
    people: views,
    counts,
    showsStates,
    keepsRoster: keepsRoster(actor, org.id),
    /** The courses the actor may record here. */
    recordable: can(actor, 'training.record', { organizationId: org.id })
      ? cat.courses.filter((c) => !taught || taught.has(c.code))
      : [],
    requirements: cat.requirements.filter((r) => r.retired_at === null),
    regions: await q.regionRows(ctx.db),
    setsRegions: seesStatewide(actor),
  };
}

// ---------------------------------------------------------------------------------------------------
// Roster and completions

/** Adds a person without an account to the organization's roster: its administrators and state administrators. */
export async function addRosterEntry(
  ctx: TrainingContext,
  actor: Actor,
  organizationId: string,
  input: unknown,
  origin: RequestOrigin,
): Promise<string> {
  const org = await visibleOrganization(ctx, actor, organizationId);
  if (!keepsRoster(actor, org.id))
    throw new AccessDenied('The organization’s administrators keep its roster.', true);
  const parsed = RosterInput.safeParse(input);
  if (!parsed.success) throw InputError.from(parsed.error);
  const p = parsed.data;
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    const index = p.email ? await emailIndex(ctx, p.email, trx) : null;
    if (index && (await q.rosterByEmailIndex(trx, org.id, [index])).length)
      throw new InputError('Someone with this email is already on the roster.', 'email');
    await trx
      .insertInto('training_roster')
      .values({
        id,
        organization_id: org.id,
        name_encrypted: await encryptField(ctx.keyring, rosterField(id, 'name_encrypted'), p.name, trx),
        email_encrypted: p.email
          ? await encryptField(ctx.keyring, rosterField(id, 'email_encrypted'), p.email, trx)
          : null,
        email_index: index,
        initials: initialsOf(p.name),
        role: p.role,
        title: p.title,
        started_on: p.startedOn,
        created_by: actor.userId,
      })
      .execute();
    await recordActorAudit(trx, actor, origin, {
      action: 'training.roster.add',
      subjectType: 'member_organization',
      subjectId: org.id,
      details: { roster_id: id, role: p.role, with_email: p.email !== null },
    });
  });
  return id;
}

/** Takes a person off the roster (their completions stay, for the record). */
export async function removeRosterEntry(
  ctx: TrainingContext,
  actor: Actor,
  organizationId: string,
  rosterId: string,
  origin: RequestOrigin,
): Promise<void> {
  const org = await visibleOrganization(ctx, actor, organizationId);
  if (!keepsRoster(actor, org.id))
    throw new AccessDenied('The organization’s administrators keep its roster.', true);
  await ctx.db.transaction().execute(async (trx) => {
    if (!isId(rosterId) || !(await q.removeRosterEntry(trx, org.id, rosterId, nowOf(ctx))))
      throw new ServiceError('not_found', 'There is no such person on the roster.');
    await recordActorAudit(trx, actor, origin, {
      action: 'training.roster.remove',
      subjectType: 'member_organization',
      subjectId: org.id,
      details: { roster_id: rosterId },
    });
  });
}

/** Sets the regions an organization works in (state administrators), audited. */
export async function setOrganizationRegions(
  ctx: TrainingContext,
  actor: Actor,
  organizationId: string,
  input: unknown,
  origin: RequestOrigin,
): Promise<void> {
  if (!seesStatewide(actor))
    throw new AccessDenied('State administrators set an organization’s regions.', true);
  const org = await visibleOrganization(ctx, actor, organizationId);
  const parsed = RegionsInput.safeParse(input);
  if (!parsed.success) throw InputError.from(parsed.error);
  const known = new Set((await q.regionRows(ctx.db)).map((r) => r.id));
  const ids = [...new Set(parsed.data.regionIds)];
  if (ids.some((id) => !known.has(id))) throw new InputError('Choose regions from the list.', 'regionIds');
  await ctx.db.transaction().execute(async (trx) => {
    await q.setOrganizationRegions(trx, org.id, ids);
    await recordActorAudit(trx, actor, origin, {
      action: 'training.organization.regions',
      subjectType: 'member_organization',
      subjectId: org.id,
      details: { regions: ids.join(' ') || null },
    });
  });
}

/** The signed-in person's own required trainings and completions (any role; their own record only). */
export async function myTraining(ctx: TrainingContext, actor: Actor) {
  const org = (await q.organizationRows(ctx.db, { id: actor.organizationId }))[0];
  const me = (await q.staffPeople(ctx.db, [actor.organizationId])).find((u) => u.id === actor.userId);
  if (!org || !me) throw new ServiceError('not_found', 'Your account has no training record here.');
  const cat = await loadCatalogue(ctx.db);
  const person = staffAsPerson(ctx.timezone)(me);
  const completions = (await q.completionRows(ctx.db, [org.id])).filter((c) => c.staff_user_id === me.id);
  const states = complianceOf(
    [person],
    new Map([[org.id, org.type]]),
    completions,
    cat,
    todayOf(ctx),
    ctx.dueDays,
  );
  return {
    states: (states.get(me.id) ?? []).map((s) => ({
      ...s,
      title: cat.requirements.find((r) => r.id === s.requirementId)?.title ?? s.requirementId,
    })),
    completions: completions.map((c) => ({
      ...c,
      title: cat.courses.find((k) => k.code === c.course_code)?.title ?? c.course_code,
    })),
  };
}

/** The regions by name (for links). */
export const regionNames = async (ctx: TrainingContext): Promise<Map<string, string>> =>
  new Map((await q.regionRows(ctx.db)).map((r) => [r.id, r.name]));
