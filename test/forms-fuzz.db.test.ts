/**
 * Random input into every form that needs no session (sign-in, its second step, set-up, invitations,
 * password resets): never a 500, and never a partial write.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SITE, testApp, type TestApp } from './app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const TABLES = [
  'staff_users',
  'member_organizations',
  'staff_sessions',
  'api_tokens',
  'email_outbox',
] as const;

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await t.deps.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

async function formToken(): Promise<string> {
  const stamp = Date.now().toString(36);
  return `f.${stamp}.${await t.deps.keyring.blindIndex('staff-form-token', `form:${stamp}`)}`;
}

const text = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constant(''),
  fc.constant('x'.repeat(5000)),
);

describe('forms before sign-in', () => {
  it('answer any input without a 500 and without a partial write', async () => {
    const paths = [
      '/staff/sign-in',
      '/staff/sign-in/code',
      '/staff/two-factor',
      '/staff/forgot',
      `/staff/setup/nwdl_${'a'.repeat(43)}`,
      `/staff/invitation/nwdl_${'b'.repeat(43)}`,
      `/staff/reset/nwdl_${'c'.repeat(43)}`,
    ];
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.record(
          { email: text, password: text, code: text, organizationName: text, displayName: text },
          { requiredKeys: [] },
        ),
        async (path, fields) => {
          const body = new URLSearchParams({
            ...(fields as Record<string, string>),
            csrf: await formToken(),
          });
          const res = await t.app.request(path, {
            method: 'POST',
            body: body.toString(),
            headers: { Origin: TEST_SITE.origin, 'Content-Type': 'application/x-www-form-urlencoded' },
          });
          expect(res.status, path).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
    // Nothing was created: no input above could succeed (no valid link, no account).
    expect(await counts()).toEqual(before);
  }, 120_000);
});
