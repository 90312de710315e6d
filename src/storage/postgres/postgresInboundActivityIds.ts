import { systemClock, type Clock } from '../../shared/time';
import {
  INBOUND_ACTIVITY_SWEEP_INTERVAL_MS,
  INBOUND_ACTIVITY_WINDOW_MS,
  type InboundActivityIds,
} from '../inboundActivityIds';
import type { PostgresDatabase } from './postgresDatabase';

/**
 * InboundActivityIds on PostgreSQL: the `inbound_activities` table, as on SQLite. `INSERT ... ON CONFLICT`
 * decides atomically across instances (a new or expired id changes one row; a recent one none).
 */
export class PostgresInboundActivityIds implements InboundActivityIds {
  private readonly windowMs: number;
  private readonly clock: Clock;
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: PostgresDatabase,
    options: { clock?: Clock; windowMs?: number } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.windowMs = options.windowMs ?? INBOUND_ACTIVITY_WINDOW_MS;
    if (!(this.windowMs > 0)) throw new RangeError('windowMs must be positive');
  }

  async markSeen(conversationId: string | undefined, activityId: string | undefined): Promise<boolean> {
    if (!activityId) return false;
    const now = this.clock.now();
    const expiredAt = now - this.windowMs;
    if (now - this.lastSweep >= INBOUND_ACTIVITY_SWEEP_INTERVAL_MS) {
      this.lastSweep = now;
      await this.db.query(
        'forgetting expired inbound activity ids',
        'DELETE FROM inbound_activities WHERE seen_at <= $1',
        [expiredAt],
      );
    }
    const result = await this.db.query(
      'recording an inbound activity id',
      `INSERT INTO inbound_activities (conversation_id, activity_id, seen_at) VALUES ($1, $2, $3)
       ON CONFLICT (conversation_id, activity_id) DO UPDATE SET seen_at = excluded.seen_at
         WHERE inbound_activities.seen_at <= $4`,
      [conversationId ?? '', activityId, now, expiredAt],
    );
    return result.rowCount === 0;
  }
}
