import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { normaliseForIndex } from './blind-index.ts';
import { decryptField, encryptField, fieldDataKeyId, type FieldTarget } from './envelope.ts';
import {
  DataKeyDestroyedError,
  DataKeyNotFoundError,
  DecryptionError,
  MasterKeyUnavailableError,
} from './errors.ts';
import { Keyring, SHARED_SCOPE } from './keyring.ts';
import { generateMasterKey } from './master-key.ts';
import { cryptoDb } from './tables.ts';

let t: TestDatabase;
const masterKey = generateMasterKey();
let keyring: Keyring;
beforeAll(async () => {
  t = await freshDatabase();
  keyring = new Keyring(t.db, masterKey);
});
afterAll(async () => {
  await t?.drop();
});

function target(field = 'legal_name', recordId = randomUUID()): FieldTarget {
  return { scope: `person:${recordId}`, table: 'people', recordId, field };
}

describe('field encryption', () => {
  it('round-trips text, including empty and non-ASCII text', async () => {
    for (const text of ['Synthetic Person Zyxwv', '', 'Zoë Synthétique — 合成 🙂', 'x'.repeat(10_000)]) {
      const at = target();
      const blob = await encryptField(keyring, at, text);
      expect(await decryptField(keyring, at, blob)).toBe(text);
      // Another keyring (another instance, cold cache) reads it too.
      expect(await decryptField(new Keyring(t.db, masterKey), at, blob)).toBe(text);
    }
  });

  it('is self-describing and uses a fresh IV each time', async () => {
    const at = target();
    const a = await encryptField(keyring, at, 'Synthetic Person Zyxwv');
    const b = await encryptField(keyring, at, 'Synthetic Person Zyxwv');
    expect(a[0]).toBe(1);
    expect(a.length).toBe(1 + 16 + 12 + 'Synthetic Person Zyxwv'.length + 16);
    expect(a.equals(b)).toBe(false);
    const dataKey = await keyring.dataKeyFor(at.scope);
    expect(fieldDataKeyId(a)).toBe(dataKey.id);
    expect(fieldDataKeyId(b)).toBe(dataKey.id);
  });

  it('keeps one data key per scope, and a shared scope', async () => {
    const recordId = randomUUID();
    await encryptField(keyring, target('legal_name', recordId), 'Synthetic');
    await encryptField(keyring, target('chosen_name', recordId), 'Zyxwv');
    const rows = await cryptoDb(t.db)
      .selectFrom('data_keys')
      .select('id')
      .where('scope', '=', `person:${recordId}`)
      .execute();
    expect(rows).toHaveLength(1);
    const shared = { scope: SHARED_SCOPE, table: 'organizations_private', recordId: 'org-1', field: 'notes' };
    const blob = await encryptField(keyring, shared, 'synthetic shared note');
    expect(await decryptField(keyring, shared, blob)).toBe('synthetic shared note');
    await expect(keyring.destroyDataKey(SHARED_SCOPE)).rejects.toThrow(/cannot be destroyed/);
  });

  it('fails when a ciphertext is moved to another record, field or table (AAD binding)', async () => {
    const recordA = randomUUID();
    const recordB = randomUUID();
    // Same scope for both records so that only the AAD can tell them apart.
    const scope = `case:${randomUUID()}`;
    const a = { scope, table: 'people', recordId: recordA, field: 'legal_name' };
    const b = { scope, table: 'people', recordId: recordB, field: 'legal_name' };
    const blobA = await encryptField(keyring, a, 'Synthetic Person A');
    const blobB = await encryptField(keyring, b, 'Synthetic Person B');
    await expect(decryptField(keyring, b, blobA)).rejects.toThrow(DecryptionError);
    await expect(decryptField(keyring, a, blobB)).rejects.toThrow(DecryptionError);
    await expect(decryptField(keyring, { ...a, field: 'chosen_name' }, blobA)).rejects.toThrow(
      `Cannot decrypt people.chosen_name of record ${recordA}: the value was altered or belongs to another record or field.`,
    );
    await expect(decryptField(keyring, { ...a, table: 'contacts' }, blobA)).rejects.toThrow(DecryptionError);
    expect(await decryptField(keyring, a, blobA)).toBe('Synthetic Person A');
  });

  it('fails when any single bit is flipped', async () => {
    const at = target();
    const blob = await encryptField(keyring, at, 'Synthetic Person Zyxwv');
    for (let i = 0; i < blob.length; i++) {
      for (const bit of [0, 7]) {
        const tampered = Buffer.from(blob);
        tampered[i]! ^= 1 << bit;
        const error = await decryptField(keyring, at, tampered).then(
          () => null,
          (e: unknown) => e,
        );
        // The key id bytes point at a data key that does not exist; every other byte fails authentication.
        expect(error, `byte ${i} bit ${bit}`).toBeInstanceOf(
          i >= 1 && i < 17 ? DataKeyNotFoundError : DecryptionError,
        );
      }
    }
    await expect(decryptField(keyring, at, blob.subarray(0, 40))).rejects.toThrow(
      /unknown format or truncated/,
    );
  });

  it('fails clearly with the wrong master key', async () => {
    const at = target();
    const blob = await encryptField(keyring, at, 'Synthetic Person Zyxwv');
    const other = generateMasterKey();
    const wrong = new Keyring(t.db, other);
    const error = await decryptField(wrong, at, blob).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MasterKeyUnavailableError);
    expect((error as Error).message).toContain(
      `wrapped under master key ${masterKey.id}, which is not loaded (loaded: ${other.id})`,
    );
    expect((error as Error).message).toContain('NWD_MASTER_KEY');
  });

  it('fails when a wrapped data key is copied to another scope', async () => {
    const a = target();
    const b = target();
    const blobB = await encryptField(keyring, b, 'Synthetic Person B');
    await encryptField(keyring, a, 'Synthetic Person A');
    await sql`update data_keys set wrapped = (select wrapped from data_keys where scope = ${a.scope})
              where scope = ${b.scope}`.execute(t.db);
    await expect(decryptField(new Keyring(t.db, masterKey), b, blobB)).rejects.toThrow(
      /does not unwrap under master key .*: the stored key was altered or moved to another scope/,
    );
  });

  it('crypto-shreds: a destroyed data key makes its fields unreadable', async () => {
    const at = target();
    const blob = await encryptField(keyring, at, 'Synthetic Person Zyxwv');
    const elsewhere = new Keyring(t.db, masterKey, { cacheTtlMs: 0 });
    expect(await decryptField(elsewhere, at, blob)).toBe('Synthetic Person Zyxwv');

    expect(await keyring.destroyDataKey(at.scope)).toBe(true);
    expect(await keyring.destroyDataKey(at.scope)).toBe(false);
    const row = await cryptoDb(t.db)
      .selectFrom('data_keys')
      .selectAll()
      .where('scope', '=', at.scope)
      .executeTakeFirstOrThrow();
    expect(row.wrapped.length).toBe(0);
    expect(row.destroyed_at).toBeInstanceOf(Date);

    for (const k of [keyring, elsewhere, new Keyring(t.db, masterKey)]) {
      const error = await decryptField(k, at, blob).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataKeyDestroyedError);
      expect((error as Error).message).toBe(
        `Data key ${row.id} was destroyed: the data encrypted under it can no longer be read.`,
      );
    }
    await expect(encryptField(keyring, at, 'new data')).rejects.toThrow(DataKeyDestroyedError);
  });

  it('creates one data key when many instances ask for a new scope at once', async () => {
    const scope = `case:${randomUUID()}`;
    const keys = await Promise.all(
      Array.from({ length: 5 }, () => new Keyring(t.db, masterKey).dataKeyFor(scope)),
    );
    expect(new Set(keys.map((k) => k.id)).size).toBe(1);
    expect(new Set(keys.map((k) => k.key.toString('hex'))).size).toBe(1);
  });

  it('creates data keys inside the caller transaction, and forgets them when it rolls back', async () => {
    const at = target();
    const other = new Keyring(t.db, masterKey); // another caller that sees the new row inside the transaction
    let phantom = '';
    await expect(
      cryptoDb(t.db)
        .transaction()
        .execute(async (trx) => {
          const blob = await encryptField(keyring, at, 'Synthetic Person Zyxwv', trx);
          expect(await decryptField(keyring, at, blob, trx)).toBe('Synthetic Person Zyxwv');
          phantom = fieldDataKeyId(blob);
          // The same transaction reuses it.
          expect((await keyring.dataKeyFor(at.scope, trx)).id).toBe(phantom);
          expect((await other.dataKeyFor(at.scope, trx)).id).toBe(phantom);
          throw new Error('roll back');
        }),
    ).rejects.toThrow('roll back');
    const rows = await cryptoDb(t.db)
      .selectFrom('data_keys')
      .select('id')
      .where('scope', '=', at.scope)
      .execute();
    expect(rows).toEqual([]);
    // The keyring must not hand out the key that was never committed.
    const blob = await encryptField(keyring, at, 'Synthetic Person Zyxwv');
    expect(fieldDataKeyId(blob)).not.toBe(phantom);
    expect((await other.dataKeyFor(at.scope)).id).toBe(fieldDataKeyId(blob));
    expect(await decryptField(new Keyring(t.db, masterKey), at, blob)).toBe('Synthetic Person Zyxwv');
  });

  it('keeps data keys created in a committed transaction', async () => {
    const at = target();
    const blob = await cryptoDb(t.db)
      .transaction()
      .execute((trx) => encryptField(keyring, at, 'Synthetic Person Zyxwv', trx));
    expect(await decryptField(keyring, at, blob)).toBe('Synthetic Person Zyxwv');
    expect(await decryptField(new Keyring(t.db, masterKey), at, blob)).toBe('Synthetic Person Zyxwv');
  });

  it('never shows a data key when printed or serialised', async () => {
    const key = await keyring.dataKeyFor(`case:${randomUUID()}`);
    const shown = inspect(key) + JSON.stringify({ key }) + inspect({ keyring });
    expect(shown).toContain(key.id);
    expect(shown).not.toContain(key.key.toString('hex'));
    expect(shown).not.toContain(key.key.toString('base64'));
  });
});

describe('blind indexes through the keyring', () => {
  it('are stable across instances and unrelated across purposes', async () => {
    const value = normaliseForIndex('Synthetic.Person@Example.org');
    const one = await keyring.blindIndex('person-email', value);
    expect(one).toMatch(/^[0-9a-f]{32}$/);
    expect(await new Keyring(t.db, masterKey).blindIndex('person-email', value)).toBe(one);
    expect(await keyring.blindIndex('staff-email', value)).not.toBe(one);
    const rows = await cryptoDb(t.db)
      .selectFrom('index_keys')
      .select('purpose')
      .where('purpose', 'like', '%-email')
      .execute();
    expect(rows.map((r) => r.purpose).sort()).toEqual(['person-email', 'staff-email']);
  });

  it('are created once when many instances ask at once', async () => {
    const values = await Promise.all(
      Array.from({ length: 5 }, () =>
        new Keyring(t.db, masterKey).blindIndex('person.name-dob', 'synthetic|2008-04-01'),
      ),
    );
    expect(new Set(values).size).toBe(1);
  });

  it('forget an index key created in a transaction that rolls back', async () => {
    let inside = '';
    await expect(
      cryptoDb(t.db)
        .transaction()
        .execute(async (trx) => {
          inside = await keyring.blindIndex('rolled-back', 'synthetic', trx);
          expect(await keyring.blindIndex('rolled-back', 'synthetic', trx)).toBe(inside);
          throw new Error('roll back');
        }),
    ).rejects.toThrow('roll back');
    const after = await keyring.blindIndex('rolled-back', 'synthetic');
    expect(after).not.toBe(inside);
    expect(await new Keyring(t.db, masterKey).blindIndex('rolled-back', 'synthetic')).toBe(after);
  });
});

describe('a database read without the master key', () => {
  it('holds neither the plaintext nor any raw data key', async () => {
    const plaintext = 'Synthetic Person Zyxwv';
    const email = 'synthetic.zyxwv@example.org';
    const recordId = randomUUID();
    await sql`create table crypto_test_people (id uuid primary key, legal_name bytea not null, email bytea not null,
              email_index text not null)`.execute(t.db);
    const name = await encryptField(
      keyring,
      { scope: `person:${recordId}`, table: 'crypto_test_people', recordId, field: 'legal_name' },
      plaintext,
    );
    const mail = await encryptField(
      keyring,
      { scope: `person:${recordId}`, table: 'crypto_test_people', recordId, field: 'email' },
      email,
    );
    const emailIndex = await keyring.blindIndex('person-email', normaliseForIndex(email));
    await sql`insert into crypto_test_people values (${recordId}, ${name}, ${mail}, ${emailIndex})`.execute(
      t.db,
    );

    // Every row of every table in the database, as PostgreSQL prints it (bytea as hex).
    const tables = await sql<{
      name: string;
    }>`select quote_ident(table_schema) || '.' || quote_ident(table_name) as name
      from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`.execute(
      t.db,
    );
    expect(tables.rows.map((r) => r.name)).toEqual(
      expect.arrayContaining(['public.data_keys', 'public.index_keys', 'public.crypto_test_people']),
    );
    let text = '';
    for (const table of tables.rows) {
      const rows = await sql<{ row: string }>`select t::text as row from ${sql.raw(table.name)} t`.execute(
        t.db,
      );
      text += rows.rows.map((r) => r.row).join('\n');
    }
    const decodedBytea = Buffer.from(
      [...text.matchAll(/\\\\x([0-9a-f]+)/g)].map((m) => m[1]).join(''),
      'hex',
    );

    // The scan does see the stored bytes.
    expect(decodedBytea.includes(name) && decodedBytea.includes(mail)).toBe(true);
    expect(text).toContain(emailIndex);

    const dataKey = await keyring.dataKeyFor(`person:${recordId}`);
    const secrets = [plaintext, email, 'Zyxwv', 'zyxwv'];
    for (const secret of secrets) {
      expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
      expect(text).not.toContain(Buffer.from(secret).toString('hex'));
      expect(decodedBytea.includes(Buffer.from(secret))).toBe(false);
    }
    for (const raw of [dataKey.key, masterKey.bytes]) {
      expect(text).not.toContain(raw.toString('hex'));
      expect(text).not.toContain(raw.toString('base64'));
      expect(decodedBytea.includes(raw)).toBe(false);
      expect(decodedBytea.includes(raw.subarray(0, 8))).toBe(false);
    }
    // The stored values are only what encryption produced, and they still decrypt with the key.
    const stored = await sql<{
      legal_name: Buffer;
    }>`select legal_name from crypto_test_people where id = ${recordId}`.execute(t.db);
    expect(
      await decryptField(
        keyring,
        { table: 'crypto_test_people', recordId, field: 'legal_name' },
        stored.rows[0]!.legal_name,
      ),
    ).toBe(plaintext);
  });
});
