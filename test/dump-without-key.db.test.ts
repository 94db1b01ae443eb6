/**
 * A database dump without the master key reveals no personal data (issue 3, §5).
 *
 * Distinctive synthetic personal values are written through the real modules — a staff account (the
 * accounts service's first set-up: encrypted email and name, email blind index, password hash), the
 * email outbox (`enqueueEmail`), field encryption and blind indexes (`encryptField`,
 * `keyring.blindIndex`) into a table shaped like the case records to come, and the sign-in throttle
 * (an account's blind index and a client address) — then the whole database is dumped by a process
 * that has no key:
 *
 * - `pg_dump` (schema and data, plain format) when the `pg_dump` on PATH is at least as new as the
 *   server (pg_dump refuses older servers' successors: a pg_dump 15 cannot dump PostgreSQL 18);
 * - otherwise `COPY … TO STDOUT` of every table of every schema, and of the large objects, through pg:
 *   a complete logical dump of the data.
 *
 * The test's name says which ran. Neither the values (as written, lower-cased, upper-cased, or as hex
 * or base64 of their bytes) nor the master key's or a data key's bytes may appear in the dump.
 *
 * As tables holding personal data are added (cases, referrals…), write a value into each here through
 * its service.
 *
 * Not covered, by design: the client address of a staff request is kept in clear where the audit log
 * records "from where" (`audit_events.ip`) and in `staff_sessions.ip`; the staff set-up below uses a
 * different address from the one checked here.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  Keyring,
  MasterKeyUnavailableError,
  SHARED_SCOPE,
  decryptField,
  encryptField,
  generateMasterKey,
  normaliseForIndex,
  type FieldTarget,
} from '../src/platform/crypto/index.ts';
import { completeSetup, createSetupLink } from '../src/features/accounts/service.ts';
import { enqueueEmail } from '../src/platform/mail/index.ts';
import {
  RATE_LIMIT_INDEX_PURPOSE,
  beginSignInAttempt,
  configureRateLimitHashing,
  signInAttemptFailed,
} from '../src/platform/rate-limit/index.ts';
import { TEST_SITE } from './app.ts';
import { freshDatabase, type TestDatabase } from './db.ts';

const PERSON = 'Synthetic Person Qwxz';
const EMAIL = 'synthetic.person@example.org';
const STAFF_EMAIL = 'synthetic.staff.qwxz@example.org';
const ADDRESS = '198.51.100.77';
const NOTES = 'Synthetic note: met Qwxz at the Zyxwv bus shelter';
const STAFF_PERSON = 'Synthetic Staffer Vqjk Zyxwv';
const STAFF_SIGN_IN_EMAIL = 'synthetic.staffer.vqjk@example.org';
const PASSWORD = 'Plum-Harbor-Lantern-7731-Qxv';
const CANARY_TEXT = 'Synthetic Canary Vqjk text';
const CANARY_BYTES = 'Synthetic Canary Vqjk bytes';

interface DumpMethod {
  kind: 'pg_dump' | 'copy';
  label: string;
}

function majorOf(versionText: string): number | null {
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(versionText) ?? /^(\d+)/.exec(versionText.trim());
  return m ? Number(m[1]) : null;
}

async function chooseDumpMethod(url: string): Promise<DumpMethod> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const server = Math.floor(
    Number(
      (await client.query<{ v: string }>(`select current_setting('server_version_num') as v`)).rows[0]?.v,
    ) / 10_000,
  );
  await client.end();
  if (!Number.isInteger(server) || server < 9) throw new Error('Could not read the server version.');
  let dumpMajor: number | null;
  try {
    dumpMajor = majorOf(execFileSync('pg_dump', ['--version'], { encoding: 'utf8' }));
  } catch {
    dumpMajor = null;
  }
  if (dumpMajor !== null && dumpMajor >= server) {
    return { kind: 'pg_dump', label: `pg_dump ${dumpMajor} of PostgreSQL ${server}` };
  }
  const why = dumpMajor === null ? 'no pg_dump on PATH' : `pg_dump ${dumpMajor} is older than the server`;
  return {
    kind: 'copy',
    label: `COPY … TO STDOUT of every table of PostgreSQL ${server} (${why})`,
  };
}

/** `COPY … TO STDOUT` through pg without an extra package: a submittable query collecting CopyData. */
class CopyOut {
  readonly text: string;
  readonly done: Promise<Buffer>;
  #chunks: Buffer[] = [];
  #resolve!: (b: Buffer) => void;
  #reject!: (e: Error) => void;

  constructor(text: string) {
    this.text = text;
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    this.#chunks.push(Buffer.from(msg.chunk));
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handleCopyInResponse(connection: { sendCopyFail(msg: string): void }): void {
    connection.sendCopyFail('not a COPY FROM');
  }

  handleReadyForQuery(): void {
    this.#resolve(Buffer.concat(this.#chunks));
  }

  handleError(error: Error): void {
    this.#reject(error);
  }
}

async function copyEverything(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ schema: string; name: string; kind: string }>(`
      select n.nspname as schema, c.relname as name, c.relkind as kind
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'm')
        and n.nspname not in ('pg_catalog', 'information_schema')
        and n.nspname !~ '^pg_(toast|temp_)'
      order by 1, 2`);
    const parts: string[] = [];
    for (const t of tables.rows) {
      const name = `${client.escapeIdentifier(t.schema)}.${client.escapeIdentifier(t.name)}`;
      const copy = new CopyOut(
        t.kind === 'm' ? `copy (select * from ${name}) to stdout` : `copy ${name} to stdout`,
      );
      client.query(copy as unknown as pg.Submittable);
      parts.push(`-- ${t.schema}.${t.name}\n${(await copy.done).toString('utf8')}`);
    }
    // Large objects live in the catalogue: a complete dump includes them too.
    const blobs = new CopyOut('copy (select loid, pageno, data from pg_largeobject) to stdout');
    client.query(blobs as unknown as pg.Submittable);
    parts.push(`-- large objects\n${(await blobs.done).toString('utf8')}`);
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

function dumpDatabase(method: DumpMethod, url: string): Promise<string> {
  if (method.kind === 'copy') return copyEverything(url);
  // A separate process with nothing but the connection URL: it never had the key.
  return Promise.resolve(
    execFileSync('pg_dump', ['--no-owner', '--no-privileges', '--format=plain', `--dbname=${url}`], {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024 * 1024,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    }),
  );
}

/** The forms a value could take in a dump: as written, in either case, and as hex or base64 bytes. */
function formsOf(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [
    value,
    value.toLowerCase(),
    value.toUpperCase(),
    normaliseForIndex(value),
    bytes.toString('hex'),
    bytes.toString('base64').replace(/=+$/, ''),
  ];
}

function keyForms(bytes: Buffer): string[] {
  return [bytes.toString('hex'), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url')];
}

const method = await chooseDumpMethod(inject('adminUrl'));

describe('a database dump made without the master key', () => {
  let t: TestDatabase;
  const masterKey = generateMasterKey();
  let keyring: Keyring;
  const personId = randomUUID();
  let personRow: { legal_name: Buffer; email: Buffer; notes: Buffer; email_index: string };
  let outboxId: string;
  let outboxRecipient: Buffer;
  let staffUserId: string;
  let setupToken: string;
  let staffEmailEncrypted: Buffer;
  let sharedDataKey: Buffer;
  let personDataKey: Buffer;
  const linkToken = randomBytes(24).toString('base64url');
  let dump: string;

  beforeAll(async () => {
    t = await freshDatabase();
    keyring = new Keyring(t.db, masterKey);
    configureRateLimitHashing(await keyring.indexKeyFor(RATE_LIMIT_INDEX_PURPOSE));

    // A staff account, through the accounts service (its first set-up).
    const ctx = { db: t.db, keyring, site: TEST_SITE };
    const setupLink = await createSetupLink(ctx);
    if (!setupLink) throw new Error('the fresh database already has an administrator');
    setupToken = setupLink.slice(setupLink.lastIndexOf('/') + 1);
    staffUserId = await completeSetup(
      ctx,
      setupToken,
      {
        organizationName: 'Synthetic State Agency',
        email: STAFF_SIGN_IN_EMAIL,
        displayName: STAFF_PERSON,
        password: PASSWORD,
      },
      { ip: '192.0.2.1', userAgent: 'vitest' },
    );
    staffEmailEncrypted = (
      await t.pool.query<{ email_encrypted: Buffer }>(
        'select email_encrypted from staff_users where id = $1',
        [staffUserId],
      )
    ).rows[0]!.email_encrypted;

    // The email outbox: a staff member's address and a body holding a secret link.
    await t.db.transaction().execute(async (trx) => {
      ({ id: outboxId } = await enqueueEmail(
        trx,
        keyring,
        {
          to: STAFF_EMAIL,
          template: 'invitation',
          params: {
            link: `${TEST_SITE.origin}/staff/invitations/${linkToken}`,
            organizationName: 'Synthetic Qwxz Shelter',
            expiresAt: new Date(Date.now() + 86_400_000),
          },
        },
        TEST_SITE,
      ));
    });
    outboxRecipient = (
      await t.pool.query<{ recipient: Buffer }>('select recipient from email_outbox where id = $1', [
        outboxId,
      ])
    ).rows[0]!.recipient;

    // A table shaped like the records to come: encrypted fields and an email blind index.
    await t.pool.query(`create table synthetic_people (
      id uuid primary key, legal_name bytea not null, email bytea not null, notes bytea not null,
      email_index text not null)`);
    const at = (field: string): FieldTarget => ({
      scope: `person:${personId}`,
      table: 'synthetic_people',
      recordId: personId,
      field,
    });
    personRow = {
      legal_name: await encryptField(keyring, at('legal_name'), PERSON),
      email: await encryptField(keyring, at('email'), EMAIL),
      notes: await encryptField(keyring, at('notes'), NOTES),
      email_index: await keyring.blindIndex('person-email', normaliseForIndex(EMAIL)),
    };
    await t.pool.query(
      'insert into synthetic_people (id, legal_name, email, notes, email_index) values ($1, $2, $3, $4, $5)',
      [personId, personRow.legal_name, personRow.email, personRow.notes, personRow.email_index],
    );

    // The sign-in throttle: counters keyed by the account's blind index and by the client address.
    const gate = await beginSignInAttempt(t.db, { accountKey: personRow.email_index, address: ADDRESS });
    if (!gate.allowed) throw new Error('the first attempt is never refused');
    await signInAttemptFailed(t.db, gate.ticket);

    // A canary stored in clear, in text and in bytea: the search below must find it in this dump.
    await t.pool.query('create table synthetic_canary (note text not null, raw bytea not null)');
    await t.pool.query('insert into synthetic_canary values ($1, $2)', [
      CANARY_TEXT,
      Buffer.from(CANARY_BYTES, 'utf8'),
    ]);

    sharedDataKey = Buffer.from((await keyring.dataKeyFor(SHARED_SCOPE)).key);
    personDataKey = Buffer.from((await keyring.dataKeyFor(`person:${personId}`)).key);

    dump = await dumpDatabase(method, t.url);
  }, 120_000);

  afterAll(async () => {
    await t?.drop();
  });

  it(`is a complete dump (${method.label}): it holds the encrypted rows`, () => {
    // Guards against a vacuous pass: the rows are in the dump, as ciphertext.
    expect(dump).toContain(outboxId);
    expect(dump).toContain('Your No Wrong Door invitation'); // the fixed, non-personal subject
    expect(dump).toContain(outboxRecipient.toString('hex'));
    expect(dump).toContain(staffUserId);
    expect(dump).toContain(staffEmailEncrypted.toString('hex'));
    expect(dump).toContain(personId);
    expect(dump).toContain(personRow.legal_name.toString('hex'));
    expect(dump).toContain(personRow.email_index);
    expect(dump).toMatch(/sign-in\./); // the rate-limit buckets
    expect(dump.length).toBeGreaterThan(100_000); // the Minnesota pack is in it too
    // The search finds a value stored in clear, whether in a text or a bytea column.
    expect(formsOf(CANARY_TEXT).some((form) => dump.includes(form))).toBe(true);
    expect(formsOf(CANARY_BYTES).some((form) => dump.includes(form))).toBe(true);
    expect(dump.includes(CANARY_BYTES)).toBe(false); // bytea is dumped as hex …
    expect(dump).toContain(Buffer.from(CANARY_BYTES).toString('hex')); // … and found as hex
  });

  it(`reveals no personal value, no secret link and no key (${method.label})`, () => {
    const secrets: [string, string][] = [];
    for (const value of [
      PERSON,
      EMAIL,
      STAFF_EMAIL,
      NOTES,
      ADDRESS,
      STAFF_PERSON,
      STAFF_SIGN_IN_EMAIL,
      PASSWORD,
    ]) {
      for (const form of formsOf(value)) secrets.push([value, form]);
    }
    // The distinctive part alone, in any case (a name split into parts must not leak either).
    for (const form of ['Qwxz', 'qwxz', 'QWXZ', 'Zyxwv', 'zyxwv']) secrets.push(['a part of a value', form]);
    for (const form of formsOf(linkToken)) secrets.push(['the invitation link', form]);
    for (const form of formsOf(setupToken)) secrets.push(['the set-up link', form]);
    for (const form of keyForms(masterKey.bytes)) secrets.push(['the master key', form]);
    for (const form of keyForms(sharedDataKey)) secrets.push(['the shared data key', form]);
    for (const form of keyForms(personDataKey)) secrets.push(["the person's data key", form]);
    const found = secrets
      .filter(([, form]) => dump.includes(form))
      .map(([what, form]) => `${what} as "${form}"`);
    expect(found).toEqual([]);
  });

  it('cannot be read with any other master key', async () => {
    const other = new Keyring(t.db, generateMasterKey());
    await expect(
      decryptField(
        other,
        { table: 'synthetic_people', recordId: personId, field: 'legal_name' },
        personRow.legal_name,
      ),
    ).rejects.toThrow(MasterKeyUnavailableError);
    // And the key that wrote it still reads it: the dump holds real ciphertext, not nothing.
    expect(
      await decryptField(
        new Keyring(t.db, masterKey),
        { table: 'synthetic_people', recordId: personId, field: 'legal_name' },
        personRow.legal_name,
      ),
    ).toBe(PERSON);
  });
});
