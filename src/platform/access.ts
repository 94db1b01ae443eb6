/**
 * The permission model, in one declarative place: for each action, which roles may take it and over
 * what scope. Everything that checks access asks `can()`; `docs/security.md` publishes the same table
 * (a test keeps the two equal).
 *
 * Scopes, from widest to narrowest:
 * - `any`: every record of the kind;
 * - `own_regions`: records belonging to one of the regions the person is assigned to (navigators);
 * - `own_organization`: records of the person's own organization;
 * - `self`: only the person's own account;
 * - `aggregate`: counts and statistics only, never a record about a person (evaluators).
 */

import { AccessDenied } from './errors.ts';

export const ROLES = [
  'state_admin',
  'org_admin',
  'navigator',
  'provider_staff',
  'child_protection',
  'professional',
  'trainer',
  'evaluator',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  state_admin: 'State administrator',
  org_admin: 'Organization administrator',
  navigator: 'Regional navigator',
  provider_staff: 'Provider staff',
  child_protection: 'Child protection worker',
  professional: 'Professional',
  trainer: 'Trainer',
  evaluator: 'Evaluator (aggregates only)',
};

/** Roles that can see personal data about young people: two-factor sign-in is mandatory for them. */
export const ROLES_WITH_PERSONAL_DATA: readonly Role[] = [
  'state_admin',
  'org_admin',
  'navigator',
  'provider_staff',
  'child_protection',
];

export const ORGANIZATION_TYPES = {
  state_agency: 'State agency',
  child_protection: 'County or tribal child protection',
  navigator_host: 'Navigator host',
  service_provider: 'Service provider',
  shelter_housing: 'Shelter or housing provider',
  law_enforcement: 'Law enforcement',
  school: 'School',
  health_care: 'Health care',
  other: 'Other',
} as const;
export type OrganizationType = keyof typeof ORGANIZATION_TYPES;

export type Scope = 'any' | 'own_regions' | 'own_organization' | 'self' | 'aggregate';

export const ACTIONS = {
  'organizations.manage': 'Create, rename and disable organizations',
  'people.invite': 'Invite people and set their role',
  'people.manage': 'Change roles and scopes, disable, reset two-factor, unlock',
  'people.list': 'See the people of an organization',
  'audit.read': 'Browse the audit log',
  'audit.export': 'Export the audit log as CSV',
  'keys.rotate': 'Rotate the master encryption key',
  'tokens.manage': 'Create and revoke API tokens',
  'sessions.manage': 'List and end sessions',
  'reports.aggregate': 'See de-identified, aggregate reports',
  'intake.read': 'See the navigator queue and open a referral or self-referral',
  'intake.handle': 'Claim a referral and record contact and its outcome',
  'instruments.manage': 'Load, publish and retire screening instruments',
  'cases.read': "See a young person's case: details, consents, referrals, plan, notes, timeline",
  'cases.write': 'Open and update cases: consents, referrals, tasks, safety plans, notes, transfers, closing',
  'referrals.respond': 'See referrals sent to the organization (only what consent allows) and answer them',
  'transfers.decide': 'Accept or decline a case transferred into the region',
  'cases.export': 'Export everything held about a person, on their request',
  'cases.erase': 'Erase a case on request (destroys its data key)',
  'data.steward':
    "Edit public facts: organizations, navigators' contacts, region memberships, directory services",
  'data.health': 'See every open data problem (unverified, stale, unreachable) and get the weekly digest',
  'housing.manage': "Describe the organization's housing programs and update their beds available",
  'housing.read': 'See the bed board: housing programs that fit a young person and their beds now',
  'housing.certify':
    "Record a specialized residential setting's license, certification, dates and status (the state certifies)",
  'training.manage': 'Edit the training catalogue and the rules of who must complete which training',
  'training.record':
    'Record training completions: a trainer for the courses they teach, an organization for its own people',
  'training.compliance': 'See who has completed the required trainings, who is due and who is overdue',
  'events.manage': 'Create and change trainings and community events, their registrations and attendance',
  'translations.manage':
    "See which public pages' messages are untranslated or not reviewed, and export and import translations",
} as const;
export type Action = keyof typeof ACTIONS;

/** Actions that require signing in again within the last few minutes. */
export const SENSITIVE_ACTIONS: readonly Action[] = [
  'audit.export',
  'cases.export',
  'cases.erase',
  'keys.rotate',
  'people.manage',
  'tokens.manage',
];

type Grants = Partial<Record<Role, Scope>>;

/** The policy table. A role absent from an action's row may not take it at all. */
/** Every role, for their own records only (their API tokens, their sessions). */
const EVERY_ROLE_SELF: Grants = Object.fromEntries(ROLES.map((role) => [role, 'self']));

export const POLICY: Record<Action, Grants> = {
  'organizations.manage': { state_admin: 'any' },
  'people.invite': { state_admin: 'any', org_admin: 'own_organization' },
  'people.manage': { state_admin: 'any', org_admin: 'own_organization' },
  'people.list': { state_admin: 'any', org_admin: 'own_organization' },
  'audit.read': { state_admin: 'any', org_admin: 'own_organization' },
  'audit.export': { state_admin: 'any' },
  'keys.rotate': { state_admin: 'any' },
  'tokens.manage': EVERY_ROLE_SELF,
  'sessions.manage': EVERY_ROLE_SELF,
  'reports.aggregate': { state_admin: 'aggregate', evaluator: 'aggregate', org_admin: 'aggregate' },
  'intake.read': { state_admin: 'any', navigator: 'own_regions' },
  'intake.handle': { state_admin: 'any', navigator: 'own_regions' },
  'instruments.manage': { state_admin: 'any' },
  'cases.read': { state_admin: 'any', navigator: 'own_regions' },
  'cases.write': { navigator: 'own_regions' },
  'referrals.respond': {
    org_admin: 'own_organization',
    provider_staff: 'own_organization',
    navigator: 'own_organization',
  },
  'transfers.decide': { navigator: 'own_regions' },
  'cases.export': { state_admin: 'any' },
  'cases.erase': { state_admin: 'any' },
  'data.steward': { state_admin: 'any', org_admin: 'own_organization' },
  'data.health': { state_admin: 'any' },
  'housing.manage': { org_admin: 'own_organization', provider_staff: 'own_organization' },
  'housing.read': { state_admin: 'any', navigator: 'any' },
  'housing.certify': { state_admin: 'any' },
  'training.manage': { state_admin: 'any', trainer: 'any' },
  'training.record': { state_admin: 'any', trainer: 'any', org_admin: 'own_organization' },
  'training.compliance': { state_admin: 'any', org_admin: 'own_organization', navigator: 'own_regions' },
  'events.manage': { state_admin: 'any', trainer: 'any', navigator: 'own_regions' },
  'translations.manage': { state_admin: 'any' },
};

export interface Actor {
  userId: string;
  role: Role;
  organizationId: string;
  /** Region ids a navigator is assigned to. */
  regions: readonly string[];
  /** For API tokens: the actions the token may take (narrowing, never widening, the owner's). */
  tokenScopes?: readonly Action[];
}

/** What an action is about, as far as scope is concerned. */
export interface Target {
  organizationId?: string | null;
  regionId?: string | null;
  userId?: string | null;
  /** True for de-identified counts. */
  aggregate?: boolean;
}

/**
 * Whether the actor may take the action on the target.
 *
 * @example
 * can({ userId: 'u1', role: 'org_admin', organizationId: 'o1', regions: [] }, 'people.manage', { organizationId: 'o1' }) // true
 * can({ userId: 'u1', role: 'org_admin', organizationId: 'o1', regions: [] }, 'people.manage', { organizationId: 'o2' }) // false
 */
export function can(actor: Actor, action: Action, target: Target = {}): boolean {
  if (actor.tokenScopes && !actor.tokenScopes.includes(action)) return false;
  const scope = POLICY[action][actor.role];
  switch (scope) {
    case undefined:
      return false;
    case 'any':
      return true;
    case 'own_organization':
      return target.organizationId !== undefined && target.organizationId === actor.organizationId;
    case 'own_regions':
      return typeof target.regionId === 'string' && actor.regions.includes(target.regionId);
    case 'self':
      return target.userId !== undefined && target.userId === actor.userId;
    case 'aggregate':
      return target.aggregate === true;
  }
}

/** How the audit log names who acted: through an API token, or as a signed-in user. */
export const actorKind = (actor: Actor): 'token' | 'user' => (actor.tokenScopes ? 'token' : 'user');

/** Where an actor may take a regional action: everywhere, in some regions (maybe none), or (null) nowhere. */
export type RegionScope = { all: true } | { all: false; regions: string[] };

/**
 * The regions in which the actor may take `action`: all of them (scope `any`), their own regions that
 * the policy allows, or null when the role (or the token) may not take the action anywhere.
 *
 * @example
 * regionScope({ userId: 'u1', role: 'navigator', organizationId: 'o1', regions: ['central'] }, 'cases.read') // { all: false, regions: ['central'] }
 */
export function regionScope(actor: Actor, action: Action): RegionScope | null {
  if (actor.tokenScopes && !actor.tokenScopes.includes(action)) return null;
  if (!POLICY[action][actor.role]) return null;
  if (can(actor, action, {})) return { all: true };
  return { all: false, regions: actor.regions.filter((regionId) => can(actor, action, { regionId })) };
}

/** The policy table as Markdown, for docs/security.md. */
export function policyTableMarkdown(): string {
  const header = `| action | ${ROLES.map((r) => `\`${r}\``).join(' | ')} |`;
  const rule = `| --- | ${ROLES.map(() => '---').join(' | ')} |`;
  const rows = (Object.keys(POLICY) as Action[]).map(
    (a) =>
      `| \`${a}\` — ${ACTIONS[a]}${SENSITIVE_ACTIONS.includes(a) ? ' (re-authentication)' : ''} | ${ROLES.map((r) => POLICY[a][r] ?? '—').join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Who may grant what

/**
 * Who gives a role in an organization: `state_admin` (state administrators only) or `org_admin` (the
 * organization's own administrators, and state administrators).
 */
export type Granter = 'state_admin' | 'org_admin';

/**
 * The grant table: for each type of organization, the roles its members may hold and who may give each.
 * A role absent from a row cannot be held in that type of organization at all, whoever asks.
 *
 * - Navigators, child-protection workers, trainers, evaluators, organization administrators and state
 *   administrators are appointed by a state administrator only: each of these roles reaches beyond the
 *   organization (a region's cases, a county's reports, statewide aggregates, the organization's people
 *   and audit log).
 * - An organization administrator gives only the roles that see nothing beyond their own organization:
 *   provider staff (referrals sent to the organization, where its type receives them) and professionals.
 * - An organization administrator may not make another organization administrator: a compromised or
 *   departing administrator cannot mint more administrators, and the state knows who administers each
 *   member organization.
 */
export const GRANTS: Record<OrganizationType, Partial<Record<Role, Granter>>> = {
  state_agency: {
    state_admin: 'state_admin',
    org_admin: 'state_admin',
    trainer: 'state_admin',
    evaluator: 'state_admin',
    professional: 'org_admin',
  },
  child_protection: {
    org_admin: 'state_admin',
    child_protection: 'state_admin',
    trainer: 'state_admin',
    professional: 'org_admin',
  },
  navigator_host: {
    org_admin: 'state_admin',
    navigator: 'state_admin',
    trainer: 'state_admin',
    provider_staff: 'org_admin',
    professional: 'org_admin',
  },
  service_provider: {
    org_admin: 'state_admin',
    trainer: 'state_admin',
    provider_staff: 'org_admin',
    professional: 'org_admin',
  },
  shelter_housing: {
    org_admin: 'state_admin',
    trainer: 'state_admin',
    provider_staff: 'org_admin',
    professional: 'org_admin',
  },
  law_enforcement: { org_admin: 'state_admin', trainer: 'state_admin', professional: 'org_admin' },
  school: { org_admin: 'state_admin', professional: 'org_admin' },
  health_care: { org_admin: 'state_admin', provider_staff: 'org_admin', professional: 'org_admin' },
  other: {
    org_admin: 'state_admin',
    trainer: 'state_admin',
    evaluator: 'state_admin',
    professional: 'org_admin',
  },
};

/** Roles that hold regions (at least one, each a row of the regions table); every other role holds none. */
export const REGIONAL_ROLES: readonly Role[] = ['navigator'];

/** A role given to someone: by invitation (no `person`) or by changing a person's role and regions. */
export interface GrantRequest {
  /** The organization the person belongs to, or is invited into. */
  organization: { id: string; type: OrganizationType };
  role: Role;
  regions: readonly string[];
  /** For a change: the person, with the role and regions they have now. */
  person?: { userId: string; role: Role; regions: readonly string[] };
}

/** Why a grant is refused; `GRANT_REFUSALS` says it in plain words. */
export type GrantRefusal =
  | 'own_account'
  | 'not_permitted'
  | 'role_not_in_organization'
  | 'role_not_grantable'
  | 'current_role_not_grantable'
  | 'regions_required'
  | 'regions_not_for_role'
  | 'unknown_region';

export const GRANT_REFUSALS: Record<GrantRefusal, string> = {
  own_account: 'You cannot change your own role or regions. Ask another administrator to do it.',
  not_permitted: 'You do not have permission to do that.',
  role_not_in_organization:
    'This type of organization does not have that role. Choose a role from the list, or another organization.',
  role_not_grantable: 'Only a state administrator can give that role. Choose a role from the list.',
  current_role_not_grantable:
    "Only a state administrator can change this person's role, because you cannot give the role they have now.",
  regions_required: 'Choose at least one region for a regional navigator.',
  regions_not_for_role:
    'Only regional navigators have regions. Clear the regions, or choose the regional navigator role.',
  unknown_region: 'Choose regions from the list: at least one of those given does not exist.',
};

/** The form field a refusal is about. */
export const grantRefusalField = (refusal: GrantRefusal): 'role' | 'regions' =>
  refusal === 'regions_required' || refusal === 'regions_not_for_role' || refusal === 'unknown_region'
    ? 'regions'
    : 'role';

/** The part of the rule about the role: who the granter is, whom they change, what they give. */
function roleRefusal(granter: Actor | 'system', request: Omit<GrantRequest, 'regions'>): GrantRefusal | null {
  const { organization, role, person } = request;
  if (granter !== 'system') {
    if (person && person.userId === granter.userId) return 'own_account';
    const action: Action = person ? 'people.manage' : 'people.invite';
    if (!can(granter, action, { organizationId: organization.id })) return 'not_permitted';
  }
  const givenBy = GRANTS[organization.type][role];
  if (!givenBy) return 'role_not_in_organization';
  // The command line acts as the operator of the service: as a state administrator would.
  if (granter === 'system' || granter.role === 'state_admin') return null;
  if (granter.role !== 'org_admin' || givenBy !== 'org_admin') return 'role_not_grantable';
  if (person && GRANTS[organization.type][person.role] !== 'org_admin') return 'current_role_not_grantable';
  return null;
}

/**
 * Whether `granter` may give `request.role` (and its regions) in `request.organization`, or why not.
 * `'system'` is the command line. `existingRegions` are the ids of the regions table's rows.
 *
 * @example
 * const host = { id: 'o1', type: 'navigator_host' as const };
 * grantRefusal({ userId: 'u1', role: 'org_admin', organizationId: 'o1', regions: [] },
 *   { organization: host, role: 'navigator', regions: ['central'] }, new Set(['central'])); // 'role_not_grantable'
 */
export function grantRefusal(
  granter: Actor | 'system',
  request: GrantRequest,
  existingRegions: ReadonlySet<string>,
): GrantRefusal | null {
  const refusal = roleRefusal(granter, request);
  if (refusal) return refusal;
  if (!REGIONAL_ROLES.includes(request.role)) return request.regions.length ? 'regions_not_for_role' : null;
  if (request.regions.length === 0) return 'regions_required';
  return request.regions.every((r) => existingRegions.has(r)) ? null : 'unknown_region';
}

/**
 * The roles `granter` may give in `organization` (to `person`, for a change), for the forms' choices.
 * With no organization (a state administrator's invitation form, before one is chosen): the roles
 * they may give in some organization; none for a granter limited to their own organization.
 */
export function grantableRoles(
  granter: Actor | 'system',
  organization: GrantRequest['organization'] | null,
  person?: GrantRequest['person'],
): Role[] {
  if (!organization && granter !== 'system' && !can(granter, 'people.invite', {})) return [];
  const organizations = organization
    ? [organization]
    : (Object.keys(GRANTS) as OrganizationType[]).map((type) => ({ id: '', type }));
  return ROLES.filter((role) =>
    organizations.some((o) => !roleRefusal(granter, { organization: o, role, person })),
  );
}

/** The grant table as Markdown, for docs/security.md. */
export function grantTableMarkdown(): string {
  const cell = (g: Granter | undefined) =>
    g === 'org_admin' ? 'org admin or state admin' : g === 'state_admin' ? 'state admin' : '—';
  const header = `| organization type | ${ROLES.map((r) => `\`${r}\``).join(' | ')} |`;
  const rule = `| --- | ${ROLES.map(() => '---').join(' | ')} |`;
  const rows = (Object.keys(GRANTS) as OrganizationType[]).map(
    (t) => `| \`${t}\` — ${ORGANIZATION_TYPES[t]} | ${ROLES.map((r) => cell(GRANTS[t][r])).join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}

/** Whether the role (and the token) may take the action anywhere at all: the coarse check of a route. */
export function mayTake(actor: Actor, action: Action): boolean {
  if (actor.tokenScopes && !actor.tokenScopes.includes(action)) return false;
  return POLICY[action][actor.role] !== undefined;
}

/**
 * The one access check every use case starts with, before it reads its input. Without a target: may
 * the role (and token) take the action anywhere — the answer is where (all regions, or which). With a
 * target: may it take it there. Otherwise it throws `AccessDenied`: a 403, or a 404 when `hidden` says a
 * record outside the caller's scope is answered like a missing one.
 */
export function authorize(
  actor: Actor,
  action: Action,
  target?: Target,
  refusal: { message?: string; hidden?: boolean } = {},
): RegionScope {
  const scope = regionScope(actor, action);
  const allowed = scope !== null && (target === undefined || can(actor, action, target));
  if (!allowed || scope === null) {
    throw new AccessDenied(
      refusal.message ?? `You may not take the action ${action} here.`,
      refusal.hidden === true && scope !== null,
    );
  }
  return scope;
}
