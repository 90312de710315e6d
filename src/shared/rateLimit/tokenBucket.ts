import { ConfigError } from '../errors';
import { systemClock, type Clock } from '../time';

/** How fast a bucket refills and how much it holds. */
export interface TokenBucketPolicy {
  /** Tokens added per `intervalMs`: the sustained rate (a whole number, at least 1). */
  tokensPerInterval: number;
  /** The interval of the rate in ms, e.g. 60,000 for "per minute" (a whole number, at least 1). */
  intervalMs: number;
  /** The most tokens a bucket holds: how many requests may come at once after a quiet spell (at least 1). */
  burst: number;
}

/** Whether a request may go ahead; if not, how long until its key's bucket has a token again. */
export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Options of a RateLimiter. */
export interface RateLimiterOptions {
  /** The time source; default the system clock (so sinon fake timers apply). */
  clock?: Clock;
  /**
   * The most keys remembered; past it, the least recently used bucket is forgotten (and starts full again).
   * Bounds the memory when keys are client addresses. Default 10,000.
   */
  maxKeys?: number;
}

const DEFAULT_MAX_KEYS = 10_000;

interface Bucket {
  /** Tokens held, in units of 1/intervalMs of a token, so that refilling stays in whole numbers. */
  credit: number;
  /** When `credit` was last brought up to date (clock ms). */
  at: number;
}

/**
 * Token buckets, one per key (an API key, a client address, a user, a conversation): each key may make
 * `burst` requests at once, then `tokensPerInterval` per `intervalMs`. A key starts with a full bucket.
 * Tokens are counted in whole units (a token is `intervalMs` units and each ms adds `tokensPerInterval`), so
 * a request that waits the Retry-After it was given is always let through. Decisions are synchronous and
 * in-memory: per process, not shared across the processes of a cluster.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly clock: Clock;
  private readonly maxKeys: number;
  private readonly capacity: number;

  /** @throws ConfigError for a policy that is not whole numbers of at least 1. */
  constructor(
    private readonly policy: TokenBucketPolicy,
    options: RateLimiterOptions = {},
  ) {
    for (const name of ['tokensPerInterval', 'intervalMs', 'burst'] as const) {
      const value = policy[name];
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new ConfigError(name, `must be a whole number of at least 1, got ${value}`);
      }
    }
    this.clock = options.clock ?? systemClock;
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
    this.capacity = policy.burst * policy.intervalMs;
  }

  /** Takes a token from `key`'s bucket if it has one. */
  take(key: string): RateLimitDecision {
    const now = this.clock.now();
    const { tokensPerInterval, intervalMs } = this.policy;
    const bucket = this.buckets.get(key) ?? { credit: this.capacity, at: now };
    // A clock that goes back adds nothing.
    const elapsed = Math.max(0, now - bucket.at);
    bucket.credit = Math.min(this.capacity, bucket.credit + elapsed * tokensPerInterval);
    bucket.at = now;
    this.remember(key, bucket);
    if (bucket.credit >= intervalMs) {
      bucket.credit -= intervalMs;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: Math.ceil((intervalMs - bucket.credit) / tokensPerInterval) };
  }

  /** How many keys have a bucket. */
  get size(): number {
    return this.buckets.size;
  }

  /** Keeps the buckets in least-recently-used order, forgetting the oldest past `maxKeys`. */
  private remember(key: string, bucket: Bucket): void {
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    while (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (oldest.done) break;
      this.buckets.delete(oldest.value);
    }
  }
}

/** The policy of a "so many a minute, so many at once" setting. */
export function perMinutePolicy(setting: { perMinute: number; burst: number }): TokenBucketPolicy {
  return { tokensPerInterval: setting.perMinute, intervalMs: 60_000, burst: setting.burst };
}

/** A Retry-After header value for a wait: whole seconds, rounded up, at least 1. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}
