/**
 * The personal part of an intake item, kept as one encrypted JSON document under the item's own data
 * key (scope `intake:<id>`), so that destroying that key erases it. Nothing here is ever logged, put in
 * an email or stored in clear.
 */
import { z } from 'zod';
import { decryptField, encryptField, type Keyring } from '../../platform/crypto/index.ts';
import type { AnyKysely } from '../../platform/crypto/tables.ts';
import { LOCALES } from '../../platform/i18n/index.ts';
import { ScreeningHandoffSchema } from '../pathway/index.ts';

const text = (max: number) => z.string().trim().min(1).max(max).nullable();

export const CONTACT_METHODS = ['phone_call', 'text_message', 'email', 'through_referrer', 'other'] as const;

export const IntakePayloadSchema = z
  .object({
    youth: z
      .object({
        /** First name, initials or the name the young person uses; null for an anonymous consultation. */
        name: text(100),
        contactMethod: z.enum(CONTACT_METHODS).nullable(),
        /** The number, address or way to reach them by that method. */
        contactValue: text(200),
        safeTimes: text(200),
        codeWord: text(100),
        language: text(100),
        /** Whether the young person agreed to be contacted by a navigator (null: not asked, self-referral). */
        agreedToContact: z.boolean().nullable(),
      })
      .strict(),
    /** Who referred, and how to call them back; null for a self-referral. */
    referrer: z
      .object({
        name: text(200),
        role: text(100),
        organization: text(200),
        phone: text(50),
        email: text(200),
        callbackTimes: text(200),
      })
      .strict()
      .nullable(),
    /** What was observed, in the referrer's or the young person's words. */
    observed: text(4000),
    screening: ScreeningHandoffSchema.nullable(),
    /**
     * The language of the public page the request was sent from (`es` for `/es/help/contact-me`). Not
     * the language the person wants to talk in (`youth.language`). Absent on items sent before it was
     * kept, and on items staff entered.
     */
    pageLanguage: z.enum(LOCALES).optional(),
  })
  .strict();
export type IntakePayload = z.infer<typeof IntakePayloadSchema>;

export const intakeScope = (id: string) => `intake:${id}`;

/** Encrypts the payload of item `id` (inside the transaction that writes the item). */
export async function sealPayload(
  keyring: Keyring,
  id: string,
  payload: IntakePayload,
  trx?: AnyKysely,
): Promise<Buffer> {
  const checked = IntakePayloadSchema.parse(payload);
  return encryptField(
    keyring,
    { scope: intakeScope(id), table: 'intake_items', recordId: id, field: 'payload_encrypted' },
    JSON.stringify(checked),
    trx,
  );
}

/** Decrypts and checks the payload of item `id`. */
export async function openPayload(keyring: Keyring, id: string, sealed: Uint8Array): Promise<IntakePayload> {
  const plain = await decryptField(
    keyring,
    { table: 'intake_items', recordId: id, field: 'payload_encrypted' },
    sealed,
  );
  return IntakePayloadSchema.parse(JSON.parse(plain));
}
