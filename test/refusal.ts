/**
 * The refusal a use case answers with: awaits the promise, expects it to fail with a ServiceError (a
 * test fails when it succeeds or fails otherwise), and answers the error to look at its code and field.
 */
import { expect } from 'vitest';
import { ServiceError } from '../src/platform/errors.ts';

export async function refusal(p: Promise<unknown>): Promise<ServiceError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  return error as ServiceError;
}
