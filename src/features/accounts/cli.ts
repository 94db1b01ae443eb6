/**
 * `nwd users …` and `nwd tokens …`: account administration for operators and automation. Each
 * command acts as the system (there is no person signed in), and each is audited as such.
 */
import { parseArgs } from 'node:util';
import {
  ACTIONS,
  GRANTS,
  GRANT_REFUSALS,
  ORGANIZATION_TYPES,
  ROLES,
  ROLE_NAMES,
  grantRefusal,
  type Action,
  type OrganizationType,
  type Role,
} from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { decryptField } from '../../platform/crypto/index.ts';
import { ServiceError } from '../../platform/errors.ts';
import {
  AccountError,
  createApiToken,
  emailIndex,
  endAllSessions,
  inviteUser,
  revokeAllTokens,
  revokeApiToken,
  type AccountsContext,
} from './service.ts';

export class CommandError extends Error {
  /** The usage of the one command that failed, printed under the error. */
  usage: string | undefined;
  constructor(message: string, usage?: string) {
    super(message);
    this.usage = usage;
  }
}

/** The usage line of each account command, printed with its errors (not the whole help). */
export const COMMAND_USAGE: Record<string, string> = {
  'users add': 'nwd users add --email E --role R --org O [--org-type T] [--region REGION …] [--name N]',
  'users list': 'nwd users list',
  'users disable': 'nwd users disable --email E',
  'tokens create': 'nwd tokens create --email E --scopes a,b --expires-days N',
  'tokens revoke': 'nwd tokens revoke <token id>',
};

/** Runs one subcommand; its errors carry that subcommand's usage. */
async function withUsage<T>(key: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CommandError && !error.usage) error.usage = COMMAND_USAGE[key];
    else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
      throw new CommandError(error.message.split('\n')[0] ?? error.message, COMMAND_USAGE[key]);
    throw error;
  }
}

const SYSTEM = { ip: 'command line', userAgent: 'nwd' };

function one(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new CommandError(`--${name} is required.`);
  return v.trim();
}

/** The grant table's answer for the command line (which acts as a state administrator would). */
function requireGrantable(type: OrganizationType, role: Role, regions: string[]): void {
  // Regions were checked against the table already (requireKnownRegions), with their own message.
  const refusal = grantRefusal('system', { organization: { id: '', type }, role, regions }, new Set(regions));
  switch (refusal) {
    case null:
      return;
    case 'role_not_in_organization':
      throw new CommandError(
        `An organization of type ${type} cannot have the role ${role}. Roles it can have: ${Object.keys(GRANTS[type]).join(', ')}.`,
      );
    case 'regions_required':
      throw new CommandError('A navigator needs at least one --region.');
    case 'regions_not_for_role':
      throw new CommandError('Only navigators have regions: leave out --region for this role.');
    default:
      throw new CommandError(GRANT_REFUSALS[refusal]);
  }
}

/** The organization's id; created with `createAs` when missing, once the role is known to fit it. */
async function organizationByName(
  ctx: AccountsContext,
  name: string,
  createAs: OrganizationType | null,
  grant: { role: Role; regions: string[] },
): Promise<string> {
  const found = await ctx.db
    .selectFrom('member_organizations')
    .select(['id', 'type', 'disabled_at'])
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
  if (found) {
    if (found.disabled_at) throw new CommandError(`The organization "${name}" is disabled.`);
    requireGrantable(found.type, grant.role, grant.regions);
    return found.id;
  }
  if (!createAs) {
    throw new CommandError(
      `There is no organization "${name}". Add --org-type (${Object.keys(ORGANIZATION_TYPES).join(', ')}) to create it.`,
    );
  }
  // Checked before creating, so a refused invitation leaves no organization behind.
  requireGrantable(createAs, grant.role, grant.regions);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('member_organizations')
      .values({ name, type: createAs })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorKind: 'system',
      action: 'organization.create',
      subjectType: 'organization',
      subjectId: row.id,
      organizationId: row.id,
      ip: SYSTEM.ip,
      details: { type: createAs },
    });
    return row.id;
  });
}

async function userByEmail(ctx: AccountsContext, email: string) {
  const row = await ctx.db
    .selectFrom('staff_users')
    .select(['id', 'organization_id', 'disabled_at'])
    .where('email_index', '=', await emailIndex(ctx, email))
    .executeTakeFirst();
  if (!row) throw new CommandError(`There is no account for ${email}.`);
  return row;
}

/** Every --region must be a row of the regions table; the error lists the ones there are. */
async function requireKnownRegions(ctx: AccountsContext, given: string[]): Promise<void> {
  if (given.length === 0) return;
  const regions = await ctx.db.selectFrom('regions').select(['id', 'name']).orderBy('id').execute();
  const known = new Set(regions.map((r) => r.id));
  const unknown = given.filter((r) => !known.has(r));
  if (unknown.length === 0) return;
  throw new CommandError(
    `There is no region ${unknown.join(', ')}. --region must be one of: ${
      regions.map((r) => `${r.id} (${r.name})`).join(', ') || 'none (load a jurisdiction pack first)'
    }.`,
  );
}

/**
 * `nwd users add --email E --role R --org O [--org-type T] [--region REGION …] [--name N]`,
 * `nwd users list`, `nwd users disable --email E`. Returns the text to print.
 */
export async function usersCommand(ctx: AccountsContext, args: string[]): Promise<string> {
  const [sub, ...rest] = args;
  const key = `users ${sub ?? ''}`;
  if (!COMMAND_USAGE[key])
    throw new CommandError(
      sub ? `There is no command "users ${sub}".` : 'Say what to do with users.',
      ['users add', 'users list', 'users disable'].map((k) => COMMAND_USAGE[k]).join('\n       '),
    );
  return withUsage(key, () => usersSubcommand(ctx, sub ?? '', rest));
}

async function usersSubcommand(ctx: AccountsContext, sub: string, rest: string[]): Promise<string> {
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      org: { type: 'string' },
      'org-type': { type: 'string' },
      region: { type: 'string', multiple: true },
      name: { type: 'string' },
    },
  });
  switch (sub) {
    case 'add': {
      const role = one(values, 'role');
      if (!(ROLES as readonly string[]).includes(role))
        throw new CommandError(`--role must be one of ${ROLES.join(', ')}.`);
      const orgType = values['org-type'];
      if (orgType !== undefined && !(orgType in ORGANIZATION_TYPES))
        throw new CommandError(`--org-type must be one of ${Object.keys(ORGANIZATION_TYPES).join(', ')}.`);
      const regions = [...new Set(values.region ?? [])];
      await requireKnownRegions(ctx, regions);
      const organizationId = await organizationByName(
        ctx,
        one(values, 'org'),
        (orgType as OrganizationType | undefined) ?? null,
        { role: role as Role, regions },
      );
      try {
        const { link } = await inviteUser(
          ctx,
          'system',
          {
            email: one(values, 'email'),
            role: role as Role,
            organizationId,
            regions,
            displayName: values.name,
          },
          SYSTEM,
        );
        return `Invited ${one(values, 'email')} as ${ROLE_NAMES[role as Role]}. The invitation was also put in the email outbox. One-time link (expires in 7 days):\n${link}`;
      } catch (error) {
        if (error instanceof AccountError) throw new CommandError(error.message);
        throw error;
      }
    }
    case 'list': {
      const rows = await ctx.db
        .selectFrom('staff_users as u')
        .innerJoin('member_organizations as o', 'o.id', 'u.organization_id')
        .select([
          'u.id',
          'u.email_encrypted',
          'u.role',
          'u.regions',
          'u.password_hash',
          'u.totp_enabled_at',
          'u.disabled_at',
          'o.name as org',
        ])
        .orderBy('o.name')
        .orderBy('u.created_at')
        .execute();
      const lines = await Promise.all(
        rows.map(async (r) => {
          const email = await decryptField(
            ctx.keyring,
            { table: 'staff_users', recordId: r.id, field: 'email' },
            r.email_encrypted,
          );
          const status = r.disabled_at ? 'Disabled' : r.password_hash ? 'Active' : 'Invited, not set up';
          return [
            email,
            ROLE_NAMES[r.role],
            r.org,
            r.regions.join(', ') || 'None',
            status,
            r.totp_enabled_at ? 'Set up' : 'Not set up',
          ].join('\t');
        }),
      );
      await ctx.db.transaction().execute((trx) =>
        recordAudit(trx, {
          actorKind: 'system',
          action: 'staff.list',
          ip: SYSTEM.ip,
          details: { count: rows.length, via: 'command line' },
        }),
      );
      return ['Email\tRole\tOrganization\tRegions\tStatus\tTwo-step sign-in', ...lines].join('\n');
    }
    case 'disable': {
      const user = await userByEmail(ctx, one(values, 'email'));
      const now = new Date();
      await ctx.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('staff_users')
          .set({ disabled_at: now, updated_at: now })
          .where('id', '=', user.id)
          .execute();
        await endAllSessions(trx, user.id, now);
        await revokeAllTokens(trx, user.id, now);
        await recordAudit(trx, {
          actorKind: 'system',
          action: 'staff.disable',
          subjectType: 'staff_user',
          subjectId: user.id,
          organizationId: user.organization_id,
          ip: SYSTEM.ip,
        });
      });
      return `Disabled ${one(values, 'email')}: their sessions ended and their API tokens were revoked.`;
    }
    default:
      throw new CommandError(`There is no command "users ${sub}".`);
  }
}

const TOKENS_USAGE =
  'Usage: nwd tokens create --email E --scopes a,b --expires-days N | nwd tokens revoke <token id>';

/**
 * `nwd tokens create --email E --scopes a,b --expires-days N`: prints the token once.
 * `nwd tokens revoke <token id>`: the token stops working at once (audited as the system).
 */
export async function tokensCommand(ctx: AccountsContext, args: string[]): Promise<string> {
  const [sub, ...rest] = args;
  if (sub === 'revoke') return withUsage('tokens revoke', () => revokeTokenCommand(ctx, rest));
  if (sub !== 'create') throw new CommandError(TOKENS_USAGE);
  return withUsage('tokens create', () => createTokenCommand(ctx, rest));
}

async function createTokenCommand(ctx: AccountsContext, rest: string[]): Promise<string> {
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: 'string' }, scopes: { type: 'string' }, 'expires-days': { type: 'string' } },
  });
  const scopes = one(values, 'scopes')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = scopes.filter((s) => !(s in ACTIONS));
  if (unknown.length)
    throw new CommandError(
      `Unknown scope ${unknown.join(', ')}. Scopes: ${Object.keys(ACTIONS).join(', ')}.`,
    );
  const days = Number(one(values, 'expires-days'));
  const user = await userByEmail(ctx, one(values, 'email'));
  if (user.disabled_at) throw new CommandError('That account is disabled.');
  try {
    const created = await createApiToken(
      ctx,
      'system',
      { userId: user.id, scopes: scopes as Action[], expiresInDays: days },
      SYSTEM,
    );
    return `API token for ${one(values, 'email')} (scopes ${scopes.join(', ')}; expires ${created.expiresAt.toISOString()}). It is shown only now:\n${created.token}`;
  } catch (error) {
    if (error instanceof AccountError) throw new CommandError(error.message);
    throw error;
  }
}

async function revokeTokenCommand(ctx: AccountsContext, args: string[]): Promise<string> {
  const [id, ...extra] = args;
  if (!id || extra.length) throw new CommandError(TOKENS_USAGE);
  try {
    const revoked = await revokeApiToken(ctx, 'system', id.trim(), SYSTEM);
    return revoked ? `Revoked API token ${id.trim()}.` : `API token ${id.trim()} was already revoked.`;
  } catch (error) {
    if (error instanceof ServiceError) throw new CommandError(error.message);
    throw error;
  }
}
