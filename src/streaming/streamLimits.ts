/**
 * Teams' streaming limits (../shared/teams-platform-facts.md, sections 1, 2 and 5). Microsoft changes these
 * without notice, so each lives here once.
 */
export const STREAM_LIMITS = {
  /** Teams throttles a stream to one update per second; the next send waits this long after the last one ended. */
  minUpdateIntervalMs: 1000,
  /** Informative updates are cut to this many characters. */
  maxInformativeChars: 1000,
  /** At most this many citations on one message. */
  maxCitations: 20,
  /** Citation `appearance.name` length limit. */
  maxCitationTitleChars: 80,
  /** Citation `appearance.abstract` length limit. */
  maxCitationAbstractChars: 160,
} as const;
