/**
 * Rate limits kept in PostgreSQL (shared by every instance), the sign-in throttle built on them, and
 * the Hono middleware.
 */
export { addressKey } from './address.ts';
export {
  RATE_LIMIT_INDEX_PURPOSE,
  RateLimitNotConfiguredError,
  configureRateLimitHashing,
  rateLimitKeyHash,
} from './key-hash.ts';
export {
  assertRateLimitRule,
  hit,
  peek,
  pruneRateLimits,
  reset,
  type RateLimitRequest,
  type RateLimitResult,
  type RateLimitRule,
} from './limiter.ts';
export { rateLimit, tooManyRequests, waitInWords, type RateLimitOptions } from './middleware.ts';
export {
  PUBLIC_FORM_BUCKET,
  PUBLIC_FORM_LIMIT,
  PUBLIC_FORM_WINDOW_SECONDS,
  publicFormRateLimit,
  recordPublicFormRequest,
} from './public-forms.ts';
export * from './sign-in-throttle.ts';
export type { RateLimitTables, RateLimitsTable } from './tables.ts';
