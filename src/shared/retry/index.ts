export { retryDelay, withRetry, type FailedAttempt, type RetryOptions, type RetryPolicy } from './retry';
