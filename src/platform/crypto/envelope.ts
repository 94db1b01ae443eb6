/**
 * Field encryption: each personal field is encrypted with AES-256-GCM under its scope's data key into a
 * self-describing value: `version (1) | data key id (16) | iv (12) | ciphertext | tag (16)`.
 * The AAD is the header plus `table|recordId|field`, so a ciphertext copied to another row or column,
 * or pointed at another data key, does not decrypt.
 */
import { DecryptionError } from './errors.ts';
import { IV_BYTES, TAG_BYTES, open, seal } from './gcm.ts';
import type { Keyring } from './keyring.ts';
import type { AnyKysely } from './tables.ts';

export { DataKey, Keyring, SHARED_SCOPE, type KeyringOptions } from './keyring.ts';

export const FIELD_FORMAT_VERSION = 1;
const HEADER_BYTES = 1 + 16;
const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Where an encrypted value lives: its table, its record and its column. */
export interface FieldAddress {
  table: string;
  recordId: string;
  field: string;
}

/** Where an encrypted value lives and which data key scope protects it. */
export interface FieldTarget extends FieldAddress {
  scope: string;
}

/**
 * Encrypts `plaintext` for one field of one record under the data key of `target.scope` (created on
 * first use, inside `trx` when given).
 *
 * @example
 * const notes = await encryptField(keyring, { scope: `case:${id}`, table: 'cases', recordId: id, field: 'notes' }, text, trx);
 */
export async function encryptField(
  keyring: Keyring,
  target: FieldTarget,
  plaintext: string,
  trx?: AnyKysely,
): Promise<Buffer> {
  const binding = fieldBinding(target);
  const dataKey = await keyring.dataKeyFor(target.scope, trx);
  const header = Buffer.concat([Buffer.of(FIELD_FORMAT_VERSION), uuidBytes(dataKey.id)]);
  const sealed = seal(dataKey.key, Buffer.concat([header, binding]), Buffer.from(plaintext, 'utf8'));
  return Buffer.concat([header, sealed]);
}

/**
 * Decrypts a value produced by {@link encryptField} for the same table, record and field. Throws
 * `DecryptionError` when it was altered or moved, `DataKeyDestroyedError` when its key was destroyed and
 * `MasterKeyUnavailableError` when its key is wrapped under a master key that is not loaded.
 *
 * @example
 * const text = await decryptField(keyring, { table: 'cases', recordId: id, field: 'notes' }, row.notes);
 */
export async function decryptField(
  keyring: Keyring,
  address: FieldAddress,
  blob: Uint8Array,
  trx?: AnyKysely,
): Promise<string> {
  const binding = fieldBinding(address);
  const dataKey = await keyring.dataKeyById(fieldDataKeyId(blob, address), trx);
  const header = blob.subarray(0, HEADER_BYTES);
  const plaintext = open(dataKey.key, Buffer.concat([header, binding]), blob.subarray(HEADER_BYTES));
  if (!plaintext) {
    throw new DecryptionError(
      `Cannot decrypt ${address.table}.${address.field} of record ${address.recordId}: the value was altered ` +
        `or belongs to another record or field.`,
    );
  }
  return plaintext.toString('utf8');
}

/**
 * The id of the data key an encrypted value was made with.
 *
 * @example
 * fieldDataKeyId(row.notes); // '0b6e3c1e-…'
 */
export function fieldDataKeyId(blob: Uint8Array, address?: FieldAddress): string {
  if (blob.length < HEADER_BYTES + IV_BYTES + TAG_BYTES || blob[0] !== FIELD_FORMAT_VERSION) {
    const where = address ? `${address.table}.${address.field} of record ${address.recordId}` : 'The value';
    throw new DecryptionError(
      `${where} is not a value encrypted by this service (unknown format or truncated).`,
    );
  }
  const hex = Buffer.from(blob.subarray(1, HEADER_BYTES)).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function fieldBinding({ table, recordId, field }: FieldAddress): Buffer {
  // Table and field names cannot hold '|', so `table|recordId|field` reads back one way only.
  if (!NAME.test(table) || !NAME.test(field))
    throw new RangeError('Table and field names must be lowercase SQL identifiers.');
  if (recordId.length === 0 || recordId.length > 200)
    throw new RangeError('A record id must be 1–200 characters.');
  return Buffer.from(`${table}|${recordId}|${field}`, 'utf8');
}

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}
