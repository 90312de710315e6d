import { systemClock, type Clock } from '../shared/time';
import type { InboundActivityIds } from '../storage/inboundActivityIds';

/** Options of {@link RecentActivityIds}. */
export interface RecentActivityIdsOptions {
  /** How long an id counts as recent; default 10 minutes (the Bot Service retries well within that). */
  windowMs?: number;
  /** At most this many ids are kept; the oldest is forgotten first. Default 10,000. */
  maxEntries?: number;
  clock?: Clock;
}

/**
 * The inbound activities seen recently, by (conversation id, activity id), so that a retry of the same
 * activity by Teams or the Bot Service is recognised and not answered twice. In memory and bounded: one
 * process only (tests, the in-process surfaces); the bot itself uses the database's shared store.
 */
export class RecentActivityIds implements InboundActivityIds {
  private readonly windowMs: number;
  private readonly maxEntries: number;
  private readonly clock: Clock;
  /** Key -> time first seen. A Map iterates in insertion order, so the oldest entry comes first. */
  private readonly seenAt = new Map<string, number>();

  constructor(options: RecentActivityIdsOptions = {}) {
    this.windowMs = options.windowMs ?? 10 * 60 * 1000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.clock = options.clock ?? systemClock;
    if (!(this.windowMs > 0)) throw new RangeError('windowMs must be positive');
    if (!(this.maxEntries >= 1)) throw new RangeError('maxEntries must be at least 1');
  }

  /**
   * Records that an activity arrived and says whether the same (conversation id, activity id) already
   * arrived within the window, i.e. whether this one is a repeat. An activity without an id is never a
   * repeat and is not recorded.
   */
  markSeen(conversationId: string | undefined, activityId: string | undefined): boolean {
    if (!activityId) return false;
    const now = this.clock.now();
    this.forgetExpired(now);
    const key = JSON.stringify([conversationId ?? '', activityId]);
    const firstSeen = this.seenAt.get(key);
    if (firstSeen !== undefined && now - firstSeen < this.windowMs) return true;
    // Re-inserting moves the key to the end, keeping the Map ordered by time.
    this.seenAt.delete(key);
    this.seenAt.set(key, now);
    while (this.seenAt.size > this.maxEntries) this.forgetOldest();
    return false;
  }

  /** How many ids are remembered right now. */
  get size(): number {
    return this.seenAt.size;
  }

  private forgetExpired(now: number): void {
    for (const [key, firstSeen] of this.seenAt) {
      if (now - firstSeen < this.windowMs) return;
      this.seenAt.delete(key);
    }
  }

  private forgetOldest(): void {
    const oldest = this.seenAt.keys().next();
    if (!oldest.done) this.seenAt.delete(oldest.value);
  }
}
