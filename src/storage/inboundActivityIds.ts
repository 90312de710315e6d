/**
 * The inbound activities seen recently, by (conversation id, activity id), so that a retry of the same
 * activity by Teams or the Bot Service is recognised and not answered twice, whichever bot process (or
 * instance) it reaches. The in-memory one lives in src/server (RecentActivityIds); the shared ones on the
 * database (SqliteInboundActivityIds, PostgresInboundActivityIds).
 */
export interface InboundActivityIds {
  /**
   * Records that an activity arrived and says whether the same (conversation id, activity id) already
   * arrived within the window, i.e. whether this one is a repeat. Atomic: of two processes marking the same
   * id at once, exactly one gets `false`. An activity without an id is never a repeat and is not recorded.
   */
  markSeen(conversationId: string | undefined, activityId: string | undefined): boolean | Promise<boolean>;
}

/** How long an id counts as recent: the Bot Service retries well within 10 minutes. */
export const INBOUND_ACTIVITY_WINDOW_MS = 10 * 60 * 1000;

/** How often at most the shared stores delete expired ids (on an insert; no timer keeps a process alive). */
export const INBOUND_ACTIVITY_SWEEP_INTERVAL_MS = 60 * 1000;
