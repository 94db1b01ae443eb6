import { describe, expect, it } from 'vitest';
import { InputError } from '../../platform/errors.ts';
import { ReauthenticationForm, SetupForm, SignInForm, readAccountForm } from './schema.ts';

describe('account forms', () => {
  it('reads a missing field as empty and cuts long ones to what the service reads', () => {
    const f = readAccountForm(SignInForm, { email: 'x'.repeat(400) });
    expect(f).toEqual({ email: 'x'.repeat(320), password: '' });
    expect(readAccountForm(ReauthenticationForm, { code: '1'.repeat(30) }).code).toHaveLength(20);
  });

  it('names the field that is not text', () => {
    let refusal: unknown;
    try {
      readAccountForm(SetupForm, { organizationName: 'Agency', displayName: 7 });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(InputError);
    expect(refusal).toMatchObject({ field: 'displayName', message: 'Your name must be text.' });
  });
});
