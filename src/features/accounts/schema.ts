/**
 * The staff account forms, read at the edge. A form field that is missing reads as empty and a long
 * one is cut to the most the service looks at; the service then says, per field, what is wrong
 * (a weak password, an email address it cannot use), so the pages keep one voice for refusals.
 */
import { z } from 'zod';
import { InputError } from '../../platform/errors.ts';

/** A text field named in plain words when it is not text; `max` characters at most are kept. */
const text = (label: string, max?: number) =>
  z
    .string({ error: `${label} must be text.` })
    .default('')
    .transform((value) => (max === undefined ? value : value.slice(0, max)));

const email = text('Email address', 320);
const password = text('Password', 1024);

export const SignInForm = z.object({ email, password });
export const SecondFactorForm = z.object({ code: text('Code', 40) });
export const EnrolmentForm = z.object({ code: text('Six-digit code', 20) });
export const ReauthenticationForm = z.object({ password, code: text('Code', 20) });
export const EndSessionsForm = z.object({ which: text('Session') });
export const SetupForm = z.object({
  organizationName: text('Your organization'),
  displayName: text('Your name'),
  email: text('Your email address'),
  password: text('Password'),
});
export const NewPasswordForm = z.object({ password });
export const ForgotForm = z.object({ email });

export type SetupValues = Omit<z.infer<typeof SetupForm>, 'password'>;

/** A form read with its schema; a refusal names the first field at fault. */
export function readAccountForm<S extends z.ZodType>(schema: S, body: Record<string, unknown>): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw InputError.from(parsed.error);
  return parsed.data;
}
