/**
 * One request budget per client address shared by every public form (help requests, contact forms,
 * the sign-in form itself): enough for a person, too little for a script.
 */
import type { Context, Env, MiddlewareHandler } from 'hono';
import { addressKey } from './address.ts';
import { hit, type RateLimitResult } from './limiter.ts';
import { rateLimit, type RateLimitOptions } from './middleware.ts';
import type { AnyKysely } from './tables.ts';

/** Requests per address per window, across all public forms. */
export const PUBLIC_FORM_LIMIT = 60;
/** The window for PUBLIC_FORM_LIMIT: one minute. */
export const PUBLIC_FORM_WINDOW_SECONDS = 60;
export const PUBLIC_FORM_BUCKET = 'public-form.address';

/**
 * Counts one public-form request from `address`.
 *
 * @example
 * const r = await recordPublicFormRequest(db, { address: ip });
 * if (!r.allowed) return tooManyRequests(c, r);
 */
export function recordPublicFormRequest(
  db: AnyKysely,
  request: { address: string; now?: Date },
): Promise<RateLimitResult> {
  return hit(db, {
    bucket: PUBLIC_FORM_BUCKET,
    limit: PUBLIC_FORM_LIMIT,
    windowSeconds: PUBLIC_FORM_WINDOW_SECONDS,
    key: addressKey(request.address),
    now: request.now,
  });
}

/**
 * The middleware for public forms: PUBLIC_FORM_LIMIT requests per address per minute, across all of them.
 *
 * @example
 * app.post('/help/request', publicFormRateLimit({ db, address: (c) => clientAddress(c) }), handler);
 */
export function publicFormRateLimit<E extends Env = Env>(options: {
  db: AnyKysely;
  address: (c: Context<E>) => string;
  refuse?: RateLimitOptions<E>['refuse'];
}): MiddlewareHandler<E> {
  return rateLimit<E>({
    db: options.db,
    bucket: PUBLIC_FORM_BUCKET,
    limit: PUBLIC_FORM_LIMIT,
    windowSeconds: PUBLIC_FORM_WINDOW_SECONDS,
    key: (c) => addressKey(options.address(c)),
    refuse: options.refuse,
  });
}
