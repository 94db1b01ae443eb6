/**
 * `nwd users …` and `nwd tokens …` as an operator runs them, against a fresh database.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db.ts';
import { runNwd } from './cli.ts';

let t: TestDatabase;
let env: Record<string, string>;

beforeAll(async () => {
  t = await freshDatabase();
  env = { DATABASE_URL: t.url, NWD_MASTER_KEY: randomBytes(32).toString('hex') };
});
afterAll(async () => {
  await t.drop();
});

describe('nwd users and nwd tokens', { timeout: 180_000 }, () => {
  it('invites a person into a new organization and prints a one-time link', async () => {
    const r = await runNwd(
      [
        'users',
        'add',
        '--email',
        'nav@example.org',
        '--role',
        'navigator',
        '--org',
        'Synthetic Host',
        '--org-type',
        'navigator_host',
        '--region',
        'west-metro',
      ],
      env,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/http:\/\/localhost:3000\/staff\/invitation\/nwdl_[A-Za-z0-9_-]{43}/);
    const again = await runNwd(
      [
        'users',
        'add',
        '--email',
        'NAV@example.org',
        '--role',
        'navigator',
        '--org',
        'Synthetic Host',
        '--region',
        'west-metro',
      ],
      env,
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already has an account');
    const badRole = await runNwd(
      ['users', 'add', '--email', 'x@example.org', '--role', 'wizard', '--org', 'Synthetic Host'],
      env,
    );
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('--role must be one of');
    // One line for the error, then the usage of this one command, not the whole help.
    expect(badRole.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('--role must be one of'),
      'Usage: nwd users add --email E --role R --org O [--org-type T] [--region REGION …] [--name N]',
    ]);
    const badType = await runNwd(
      [
        'users',
        'add',
        '--email',
        'y@example.org',
        '--role',
        'professional',
        '--org',
        'New Org',
        '--org-type',
        'castle',
      ],
      env,
    );
    expect(badType.code).toBe(2);
    expect(badType.stderr).toContain('--org-type must be one of');
    expect(badType.stderr).toContain('navigator_host');
    expect(badType.stderr).not.toContain('seed-synthetic');
  });

  it('prints links on NWD_PUBLIC_URL, or on the port the service is configured with', async () => {
    const add = (email: string, extra: Record<string, string>) =>
      runNwd(['users', 'add', '--email', email, '--role', 'professional', '--org', 'Synthetic Host'], {
        ...env,
        ...extra,
      });
    const published = await add('pub@example.org', { NWD_PUBLIC_URL: 'https://nwd.example.org' });
    expect(published.stderr).toBe('');
    expect(published.stdout).toMatch(/https:\/\/nwd\.example\.org\/staff\/invitation\/nwdl_/);
    const ported = await add('port@example.org', { PORT: '8123' });
    expect(ported.stdout).toMatch(/http:\/\/localhost:8123\/staff\/invitation\/nwdl_/);
  });

  it('refuses a region that does not exist, listing those that do', async () => {
    const r = await runNwd(
      [
        'users',
        'add',
        '--email',
        'nav.two@example.org',
        '--role',
        'navigator',
        '--org',
        'Synthetic Host',
        '--region',
        'atlantis',
      ],
      env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('There is no region atlantis');
    for (const region of ['west-metro', 'southeast', 'northwest']) expect(r.stderr).toContain(region);
    const invited = await t.db.selectFrom('staff_users').select('regions').execute();
    expect(invited.flatMap((u) => u.regions)).not.toContain('atlantis');
  });

  it('refuses a role the organization type does not have, before creating the organization', async () => {
    const r = await runNwd(
      [
        'users',
        'add',
        '--email',
        'nav.three@example.org',
        '--role',
        'navigator',
        '--org',
        'Synthetic School',
        '--org-type',
        'school',
        '--region',
        'west-metro',
      ],
      env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('An organization of type school cannot have the role navigator');
    const schools = await t.db
      .selectFrom('member_organizations')
      .select('id')
      .where('name', '=', 'Synthetic School')
      .execute();
    expect(schools).toEqual([]);
    const stray = await runNwd(
      [
        'users',
        'add',
        '--email',
        'p@example.org',
        '--role',
        'professional',
        '--org',
        'Synthetic Host',
        '--region',
        'west-metro',
      ],
      env,
    );
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('Only navigators have regions');
  });

  it('lists people, creates a scoped token shown once, and disables a person', async () => {
    const list = await runNwd(['users', 'list'], env);
    expect(list.code).toBe(0);
    // Roles, status and two-step sign-in in words, not codes.
    expect(list.stdout).toMatch(
      /nav@example\.org\tRegional navigator\tSynthetic Host\twest-metro\tInvited, not set up\tNot set up/,
    );
    expect(list.stdout).not.toContain('no-2fa');
    const tokenArgs = ['tokens', 'create', '--email', 'nav@example.org', '--scopes', 'sessions.manage'];
    // Invited, not yet signed in: no password, no two-step sign-in, so no token.
    const early = await runNwd([...tokenArgs, '--expires-days', '30'], env);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('not finished setting up');
    expect(await t.db.selectFrom('api_tokens').select('id').execute()).toEqual([]);
    // As if they had accepted the invitation and enrolled two-step sign-in.
    await t.db
      .updateTable('staff_users')
      .set({ password_hash: 'not-used-in-this-test', totp_enabled_at: new Date() })
      .where('role', '=', 'navigator')
      .execute();
    const token = await runNwd(
      [
        'tokens',
        'create',
        '--email',
        'nav@example.org',
        '--scopes',
        'sessions.manage',
        '--expires-days',
        '30',
      ],
      env,
    );
    expect(token.code).toBe(0);
    const printed = /nwdt_[A-Za-z0-9_-]{43}/.exec(token.stdout)?.[0];
    expect(printed).toBeTruthy();
    const stored = JSON.stringify(await t.db.selectFrom('api_tokens').selectAll().execute());
    expect(stored).not.toContain(printed ?? '');
    const badScope = await runNwd(
      ['tokens', 'create', '--email', 'nav@example.org', '--scopes', 'everything', '--expires-days', '30'],
      env,
    );
    expect(badScope.code).toBe(2);
    const disabled = await runNwd(['users', 'disable', '--email', 'nav@example.org'], env);
    expect(disabled.code).toBe(0);
    const tokens = await t.db.selectFrom('api_tokens').select('revoked_at').execute();
    expect(tokens.every((r) => r.revoked_at !== null)).toBe(true);
    const actions = (await t.db.selectFrom('audit_events').select('action').execute()).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'organization.create',
        'staff.invite',
        'staff.list',
        'token.create',
        'staff.disable',
      ]),
    );
  });
});
