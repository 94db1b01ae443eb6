/**
 * Test support for the staff side (synthetic data only): organizations and staff of each role written
 * straight into the database, complete sessions for them, and page requests as a signed-in person. Signing in itself is
 * tested in the staff pages' tests.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../src/db/database.ts';
import { hashSecret, newSecret } from '../src/platform/crypto/secrets.ts';
import { emailIndex } from '../src/features/accounts/service.ts';
import type { Actor, OrganizationType, Role } from '../src/platform/access.ts';
import { decryptField, encryptField, type Keyring } from '../src/platform/crypto/index.ts';
import { TEST_SITE, type TestApp } from './app.ts';

export interface TestStaff {
  id: string;
  email: string;
  name: string;
  actor: Actor;
}

/**
 * Eight random letters. Not hex digits: an invitation email refuses an organization name holding seven
 * digits in a row (it could be a phone number), which a random hex suffix has about one time in twenty.
 */
const uniqueLetters = (): string =>
  randomUUID()
    .slice(0, 8)
    .replace(/\d/g, (d) => String.fromCharCode(103 + Number(d))); // 0–9 → g–p

/** A member organization with a synthetic, unique name (`name` and a random suffix of letters). */
export async function addOrganization(
  db: Database,
  name = 'Synthetic Provider',
  type: OrganizationType = 'service_provider',
): Promise<string> {
  return (
    await db
      .insertInto('member_organizations')
      .values({ name: `${name} ${uniqueLetters()}`, type })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

/** The organization staff belong to unless a test names another (one per database). */
async function defaultOrganization(db: Database): Promise<string> {
  const existing = await db
    .selectFrom('member_organizations')
    .select('id')
    .where('name', '=', 'Synthetic Queue Host')
    .executeTakeFirst();
  if (existing) return existing.id;
  return (
    await db
      .insertInto('member_organizations')
      .values({ name: 'Synthetic Queue Host', type: 'navigator_host' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

/**
 * A signed-up staff member (password set, so they count as active, and two-step sign-in enrolled, unless
 * `twoFactor: false`) with a synthetic name and email, of `organizationId` or else the test database's
 * synthetic navigator host.
 */
export async function addStaff(
  deps: { db: Database; keyring: Keyring },
  role: Role,
  regions: string[] = [],
  options: { name?: string; disabled?: boolean; organizationId?: string; twoFactor?: boolean } = {},
): Promise<TestStaff> {
  const organizationId = options.organizationId ?? (await defaultOrganization(deps.db));
  const id = randomUUID();
  const email = `${role}.${id.slice(0, 8)}@example.org`;
  const name = options.name ?? `Synthetic ${role} ${id.slice(0, 4)}`;
  const at = (field: string) => ({ scope: `staff:${id}`, table: 'staff_users', recordId: id, field });
  await deps.db
    .insertInto('staff_users')
    .values({
      id,
      organization_id: organizationId,
      email_index: await emailIndex(deps, email),
      email_encrypted: await encryptField(deps.keyring, at('email'), email),
      display_name_encrypted: await encryptField(deps.keyring, at('display_name'), name),
      role,
      regions,
      password_hash: 'not-used-in-this-test',
      totp_enabled_at: options.twoFactor === false ? null : new Date(),
      updated_at: new Date(),
      disabled_at: options.disabled ? new Date() : null,
    })
    .execute();
  return { id, email, name, actor: { userId: id, role, organizationId, regions } };
}

export interface TestSession {
  /** The `Cookie` header. */
  cookie: string;
  csrf: string;
}

/** A fresh, complete session for the person (signed in with both factors, just re-authenticated). */
export async function sessionFor(db: Database, userId: string): Promise<TestSession> {
  const token = newSecret('nwds');
  const csrf = newSecret('nwdt');
  const now = new Date();
  await db
    .insertInto('staff_sessions')
    .values({
      id_hash: hashSecret(token),
      user_id: userId,
      stage: 'complete',
      csrf_token: csrf,
      created_at: now,
      last_seen_at: now,
      reauthenticated_at: now,
    })
    .execute();
  return { cookie: `nwd_session=${token}`, csrf };
}

/** Form fields: by name (a list for a repeated field), or as pairs in order. */
export type FormFields = Record<string, string | string[]> | [string, string][];

/** A form body: the CSRF token first, then the fields in order. */
export function formBody(csrf: string, fields: FormFields = {}): string {
  const body = new URLSearchParams({ csrf });
  const pairs = Array.isArray(fields)
    ? fields
    : Object.entries(fields).flatMap(([k, v]) => [v].flat().map((one): [string, string] => [k, one]));
  for (const [k, v] of pairs) body.append(k, v);
  return body.toString();
}

/** An answer of the API: its status, its body as text, and parsed (`null` when it is not JSON, e.g. a page). */
export interface ApiAnswer {
  status: number;
  json: any;
  text: string;
}

/**
 * Page requests to the test app (`app()`, so it can be made before the app is) as signed-in people:
 * each person's session is made once; `null` asks as nobody. A form is posted from this site with the
 * session's CSRF token, or `options.csrf`. `api` calls the API with the session cookie, as the staff
 * pages' scripts do (a write from this site), with `body` as JSON.
 */
export function staffRequests(app: () => TestApp) {
  const sessions = new Map<string, TestSession>();
  async function session(person: TestStaff): Promise<TestSession> {
    let s = sessions.get(person.id);
    if (!s) {
      s = await sessionFor(app().deps.db, person.id);
      sessions.set(person.id, s);
    }
    return s;
  }
  return {
    session,
    async api(
      person: TestStaff | null,
      method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
      path: string,
      body?: unknown,
    ): Promise<ApiAnswer> {
      const headers: Record<string, string> = person ? { Cookie: (await session(person)).cookie } : {};
      if (method !== 'GET') headers.Origin = TEST_SITE.origin;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await app().app.request(path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON (a page)
      }
      return { status: res.status, json, text };
    },
    async get(person: TestStaff | null, path: string): Promise<Response> {
      return app().app.request(path, {
        headers: person ? { Cookie: (await session(person)).cookie } : {},
      });
    },
    async post(
      person: TestStaff,
      path: string,
      fields: FormFields = {},
      options: { csrf?: string } = {},
    ): Promise<Response> {
      const s = await session(person);
      return app().app.request(path, {
        method: 'POST',
        body: formBody(options.csrf ?? s.csrf, fields),
        headers: {
          Cookie: s.cookie,
          Origin: TEST_SITE.origin,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
      });
    },
  };
}

/**
 * The staff of the case tests: two navigators of West Metro (Synthetic Navigator, Synthetic Colleague),
 * one of Southeast, a state administrator and a professional.
 */
export async function addCaseTeam(deps: { db: Database; keyring: Keyring }) {
  return {
    navigator: await addStaff(deps, 'navigator', ['west-metro'], { name: 'Synthetic Navigator' }),
    colleague: await addStaff(deps, 'navigator', ['west-metro'], { name: 'Synthetic Colleague' }),
    southeast: await addStaff(deps, 'navigator', ['southeast'], { name: 'Synthetic Southeast' }),
    admin: await addStaff(deps, 'state_admin', [], { name: 'Synthetic Admin' }),
    professional: await addStaff(deps, 'professional'),
  };
}

/** The audit actions recorded about a subject (a case, a referral …), oldest first. */
export async function auditActions(db: Database, subjectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select('action')
    .where('subject_id', '=', subjectId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

/** The plain text of every email in the outbox (decrypted). */
export async function emailBodies(deps: { db: Database; keyring: Keyring }): Promise<string[]> {
  const emails = await deps.db.selectFrom('email_outbox').select(['id', 'body_text']).execute();
  return Promise.all(
    emails.map((e) =>
      decryptField(deps.keyring, { table: 'email_outbox', recordId: e.id, field: 'body_text' }, e.body_text!),
    ),
  );
}

/** The youth part of an intake payload that names no one and gives no way to reach them (a consultation's). */
export const unnamedYouth = (agreedToContact: boolean | null) => ({
  name: null,
  contactMethod: null,
  contactValue: null,
  safeTimes: null,
  codeWord: null,
  language: null,
  agreedToContact,
});
