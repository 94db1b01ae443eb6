/**
 * The refusals a use case can give, one set for every feature: the HTTP side turns each into a 404,
 * 403, 409 or 400 (a problem under /api, a page elsewhere), naming the field at fault when there is one.
 */
import type { ZodError } from 'zod';

export type RefusalCode = 'not_found' | 'forbidden' | 'conflict' | 'invalid';

export class ServiceError extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The caller may not take the action here: 403, or 404 where a record outside their scope is hidden. */
export class AccessDenied extends ServiceError {
  constructor(message: string, hidden = false) {
    super(hidden ? 'not_found' : 'forbidden', message);
  }
}

/** Input a schema refused: 400 naming the first field at fault. */
export class InputError extends ServiceError {
  constructor(message: string, field?: string) {
    super('invalid', message, field);
  }

  /** The first issue of a zod error, with its path as the field. */
  static from(error: ZodError): InputError {
    const issue = error.issues[0];
    const field = issue?.path.map(String).join('.') || undefined;
    return new InputError(issue?.message ?? 'The request is not valid.', field);
  }
}
