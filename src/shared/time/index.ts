export { systemClock, type Clock } from './clock';
export {
  fullJitterDelay,
  parseRetryAfter,
  retryAfterFromHeaders,
  type BackoffPolicy,
  type RetryAfterHeaders,
} from './retryDelay';
