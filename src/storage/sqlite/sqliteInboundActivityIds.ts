import { systemClock, type Clock } from '../../shared/time';
import {
  INBOUND_ACTIVITY_SWEEP_INTERVAL_MS,
  INBOUND_ACTIVITY_WINDOW_MS,
  type InboundActivityIds,
} from '../inboundActivityIds';
import type { Db } from './database';
import { runStorage } from './storageErrors';

/**
 * InboundActivityIds on SQLite: the `inbound_activities` table, shared by every process on the database file.
 * One upsert decides atomically: a new id is inserted, an id older than the window is re-armed, a recent one
 * is left alone (no row changed: a repeat). Expired rows are swept on an insert, at most once a minute.
 */
export class SqliteInboundActivityIds implements InboundActivityIds {
  private readonly mark;
  private readonly sweep;
  private readonly windowMs: number;
  private readonly clock: Clock;
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(db: Db, options: { clock?: Clock; windowMs?: number } = {}) {
    this.clock = options.clock ?? systemClock;
    this.windowMs = options.windowMs ?? INBOUND_ACTIVITY_WINDOW_MS;
    if (!(this.windowMs > 0)) throw new RangeError('windowMs must be positive');
    this.mark = db.prepare<[string, string, number, number]>(
      `INSERT INTO inbound_activities (conversation_id, activity_id, seen_at) VALUES (?, ?, ?)
       ON CONFLICT (conversation_id, activity_id) DO UPDATE SET seen_at = excluded.seen_at
         WHERE inbound_activities.seen_at <= ?`,
    );
    this.sweep = db.prepare<[number]>('DELETE FROM inbound_activities WHERE seen_at <= ?');
  }

  markSeen(conversationId: string | undefined, activityId: string | undefined): boolean {
    if (!activityId) return false;
    const now = this.clock.now();
    const expiredAt = now - this.windowMs;
    return runStorage('recording an inbound activity id', () => {
      if (now - this.lastSweep >= INBOUND_ACTIVITY_SWEEP_INTERVAL_MS) {
        this.lastSweep = now;
        this.sweep.run(expiredAt);
      }
      return this.mark.run(conversationId ?? '', activityId, now, expiredAt).changes === 0;
    });
  }
}
