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

describe('nwd users and nwd tokens', () => {
  it('invites a person into a new organisation and prints a one-time link', async () => {
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
    expect(list.stdout).toMatch(/nav@example\.org\tnavigator\tSynthetic Host\twest-metro\tinvited\tno-2fa/);
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
