export { systemClock, type Clock } from './clock';
export { fullJitterDelay, parseRetryAfter, type BackoffPolicy } from './retryDelay';
