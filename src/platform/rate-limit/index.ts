/**
 * Rate limits kept in PostgreSQL (shared by every instance), the sign-in throttle built on them, and
 * the staff API's limit (Hono middleware on /api/v1).
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
  countHits,
  hit,
  peek,
  pruneRateLimits,
  reset,
  type RateLimitRequest,
  type RateLimitResult,
  type RateLimitRule,
} from './limiter.ts';
export {
  API_ADDRESS_BUCKET,
  API_RATE_LIMIT_DEFAULTS,
  API_TOKEN_BUCKET,
  ApiRateLimiter,
  apiRateLimit,
  rateLimitHeaders,
  tooManyRequests,
  tooManyRequestsProblem,
  waitInWords,
  type ApiLimitStanding,
  type ApiRateLimits,
} from './middleware.ts';
export { LEASE_FRACTION, RateLimitLeases } from './lease.ts';
export * from './sign-in-throttle.ts';
export type { RateLimitTables, RateLimitsTable } from './tables.ts';
