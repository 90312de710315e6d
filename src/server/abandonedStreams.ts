import type { ConversationReference, TurnContext } from 'botbuilder';
import { translate } from '../shared/i18n';
import type { Logger } from '../shared/logging';
import { type Clock, systemClock } from '../shared/time';
import type { OpenStream, OpenStreamStore } from '../storage';
import { streamFinalActivity, STREAM_LIMITS } from '../streaming';
import { sendWithRetry } from '../streaming/connectorRetry';

/**
 * The lease rule for open streams (docs/operations.md, "After a crash"). Every process renews the rows of
 * the streams it has open every `renewEveryMs` (every sent update renews its row too), so a row untouched
 * for `expiresAfterMs` belongs to a process that is gone (killed, crashed, lost with its machine) or whose
 * event loop stood still that long. Every process sweeps for such rows every `sweepEveryMs`, at startup first.
 */
export const OPEN_STREAM_LEASE = {
  renewEveryMs: 5_000,
  expiresAfterMs: 15_000,
  sweepEveryMs: 5_000,
  /**
   * A stream older than this is not closed but forgotten: Teams ends a stream 2 minutes after it started,
   * and the final message must arrive before that (the margin covers the send and its retries).
   */
  closableForMs: STREAM_LIMITS.maxStreamDurationMs - 10_000,
} as const;

/** What one sweep did. */
export interface SweepSummary {
  /** Abandoned streams this process closed with the interrupted notice. */
  closed: number;
  /** Abandoned streams too old to close (Teams closed them already): their rows were deleted. */
  expired: number;
  /** Abandoned streams whose final message could not be sent (the row is deleted all the same). */
  failed: number;
  /** Abandoned streams another process claimed first, or whose owner renewed its lease meanwhile. */
  skipped: number;
}

/** The adapter's proactive send (botbuilder's CloudAdapter). */
export interface ProactiveAdapter {
  continueConversationAsync(
    botAppId: string,
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void>;
}

/** What the closer needs. */
export interface AbandonedStreamCloserOptions {
  store: OpenStreamStore;
  adapter: ProactiveAdapter;
  /** The bot's app id ('' in anonymous mode). */
  botAppId: string | undefined;
  /** This process's id: its own streams are renewed, never swept. */
  ownerId: string;
  logger: Logger;
  clock?: Clock;
  /** Overrides of the lease rule (tests). */
  lease?: Partial<typeof OPEN_STREAM_LEASE>;
}

/** The running closer. */
export interface AbandonedStreamCloser {
  /** The first tick, run at start (after a restart: the streams of the process before). */
  readonly firstTick: Promise<SweepSummary | undefined>;
  /** Renews this process's leases and sweeps now (after a tick in progress); undefined when it failed. */
  tickNow(): Promise<SweepSummary | undefined>;
  /** Stops the schedule and waits for a tick in progress. */
  stop(): Promise<void>;
}

/**
 * Starts renewing this process's open-stream leases and closing streams other processes left open: one tick
 * right away (after a restart, streams of the process before), then one every few seconds. Each abandoned
 * stream is claimed atomically (so of several processes exactly one closes it), then, while Teams still keeps
 * it open, gets its final message: the text the user saw and a short localized notice that the answer was
 * interrupted. One log line per stream and a summary per sweep that found any. The timer does not keep the
 * process alive.
 */
export function startAbandonedStreamCloser(options: AbandonedStreamCloserOptions): AbandonedStreamCloser {
  const clock = options.clock ?? systemClock;
  const lease = { ...OPEN_STREAM_LEASE, ...options.lease };
  const logger = options.logger.child({ job: 'open-streams' });
  let last: Promise<SweepSummary | undefined> = Promise.resolve(undefined);
  let stopped = false;

  const tick = async (): Promise<SweepSummary | undefined> => {
    try {
      await options.store.renewLeases(options.ownerId, clock.now());
      return await sweep({ ...options, clock, lease, logger });
    } catch (error) {
      logger.error({ err: error }, 'the open streams sweep failed; it runs again shortly');
      return undefined;
    }
  };
  const tickNow = (): Promise<SweepSummary | undefined> => {
    last = last.then(() => (stopped ? undefined : tick()));
    return last;
  };

  const firstTick = tickNow();
  const timer = setInterval(
    () => {
      void tickNow();
    },
    Math.min(lease.renewEveryMs, lease.sweepEveryMs),
  );
  timer.unref();

  return {
    firstTick,
    tickNow,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await last;
    },
  };
}

async function sweep(
  options: AbandonedStreamCloserOptions & { clock: Clock; lease: typeof OPEN_STREAM_LEASE },
): Promise<SweepSummary> {
  const { store, clock, lease, logger } = options;
  const now = clock.now();
  const abandoned = (await store.othersStreams(options.ownerId)).filter(
    (stream) => now - stream.updatedAt >= lease.expiresAfterMs,
  );
  const summary: SweepSummary = { closed: 0, expired: 0, failed: 0, skipped: 0 };
  for (const stream of abandoned) {
    const fields = {
      streamId: stream.streamId,
      conversationId: stream.conversationId,
      owner: stream.ownerId,
      ageMs: clock.now() - stream.startedAt,
    };
    if (!(await store.claim(stream))) {
      summary.skipped += 1;
      continue;
    }
    if (clock.now() - stream.startedAt >= lease.closableForMs) {
      summary.expired += 1;
      logger.info(fields, 'forgot an abandoned stream: Teams has closed it already (over 2 minutes)');
      continue;
    }
    try {
      await sendInterruptedFinal(stream, options);
      summary.closed += 1;
      logger.info(
        { ...fields, shownChars: stream.shownText.length },
        'closed a stream another process left open: final message with what the user saw and a notice',
      );
    } catch (error) {
      summary.failed += 1;
      logger.warn({ ...fields, err: error }, 'could not close an abandoned stream; Teams closes it itself');
    }
  }
  if (abandoned.length > 0) logger.info(summary, 'abandoned open streams handled');
  return summary;
}

/** The final message of an abandoned stream: what the user saw, then the interrupted notice. */
export function interruptedFinalText(stream: Pick<OpenStream, 'shownText' | 'locale'>): string {
  const notice = translate(stream.locale, 'notice.interrupted');
  return stream.shownText.length > 0 ? `${stream.shownText}\n\n${notice}` : notice;
}

async function sendInterruptedFinal(
  stream: OpenStream,
  options: AbandonedStreamCloserOptions & { clock: Clock },
): Promise<void> {
  const activity = streamFinalActivity(interruptedFinalText(stream), stream.streamId, {
    aiLabel: true,
    citations: [],
  });
  const reference = stream.reference as Partial<ConversationReference>;
  await options.adapter.continueConversationAsync(options.botAppId ?? '', reference, async (context) => {
    await sendWithRetry(() => context.sendActivity(activity), {
      clock: options.clock,
      minDelayMs: STREAM_LIMITS.minUpdateIntervalMs,
    });
  });
}
