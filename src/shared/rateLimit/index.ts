export {
  perMinutePolicy,
  RateLimiter,
  retryAfterSeconds,
  type RateLimitDecision,
  type RateLimiterOptions,
  type TokenBucketPolicy,
} from './tokenBucket';
