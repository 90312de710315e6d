/**
 * Teams' streaming limits (docs/teams-platform-facts.md §1, §2 and §5). Microsoft changes these
 * without notice, so each lives here once.
 */
export const STREAM_LIMITS = {
  /** Teams throttles a stream to one update per second; the next send waits this long after the last one ended. */
  minUpdateIntervalMs: 1000,
  /**
   * Added to the interval: Date.now() has whole-millisecond resolution and timers may fire a little early
   * under load, which once put two sends 999.96 ms apart at the connector in the benchmark.
   */
  sendSpacingMarginMs: 10,
  /** Informative updates are cut to this many characters. */
  maxInformativeChars: 1000,
  /** At most this many citations on one message. */
  maxCitations: 20,
  /** Citation `appearance.name` length limit. */
  maxCitationTitleChars: 80,
  /** Citation `appearance.abstract` length limit. */
  maxCitationAbstractChars: 160,
  /** No activity may be larger than this, counted as UTF-16 bytes of its JSON (Teams chat messages: ~28 KB). */
  maxActivityBytes: 28 * 1024,
  /** Teams ends a stream after 2 minutes (403 "exceeded streaming time"). */
  maxStreamDurationMs: 120_000,
  /** The bot finalizes a stream this long after its first update and sends the rest as ordinary messages. */
  finalizeStreamAfterMs: 105_000,
} as const;
