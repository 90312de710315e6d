import {
  type Attributes,
  type Context,
  context as otelContext,
  INVALID_SPAN_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { TurnContext } from 'botbuilder';
import type { TokenUsage } from '../model/tokenUsage';
import type { StreamOutcome } from '../streaming/streamOutcome';
import type { Clock } from '../shared/time';
import { instruments } from './instruments';
import { ATTR, hashedId, SPAN } from './names';

/** Where a turn's telemetry waits in the context's turnState, for the state load and the connector sends. */
const TURN_TELEMETRY = Symbol('turnTelemetry');

/** The turn outcomes the `bot.turns` counter distinguishes. */
export type TurnOutcomeLabel = 'completed' | 'cancelled' | 'timed_out' | 'too_large' | 'failed';

/** What a successful send carried, for the latency histograms. */
export type SentStreamType = 'informative' | 'streaming' | 'final' | 'none';

/**
 * One answer turn's trace and metrics: the `bot.turn` span (the parent of the state load, model calls, tools
 * and connector sends, found through the TurnContext or the turn), the latencies from the activity's arrival
 * and, when the turn ends, its outcome and tokens. Every call is a no-op when no OpenTelemetry SDK is
 * registered; nothing here runs per streamed chunk.
 */
export class TurnTelemetry {
  /** The context child spans are started in. */
  readonly context: Context;
  private readonly span: Span;
  private readonly receivedAt: number;
  private readonly metricAttributes: Attributes;
  private informativeSent = false;
  private textSent = false;
  private stopped = false;
  private ended = false;

  private constructor(
    turnContext: TurnContext,
    private readonly clock: Clock,
  ) {
    const { activity } = turnContext;
    this.receivedAt = clock.now();
    const channel = activity.channelId ?? 'unknown';
    this.metricAttributes = { [ATTR.channel]: channel };
    this.span = instruments().tracer.startSpan(SPAN.turn, { kind: SpanKind.SERVER }, otelContext.active());
    if (this.span.isRecording()) {
      this.span.setAttributes({
        [ATTR.channel]: channel,
        [ATTR.conversationType]: activity.conversation?.conversationType ?? 'unknown',
        ...(activity.conversation?.id ? { [ATTR.conversationHash]: hashedId(activity.conversation.id) } : {}),
      });
    }
    this.context = trace.setSpan(otelContext.active(), this.span);
  }

  /** Starts the telemetry of the answer turn of this activity and leaves it in the context. */
  static start(turnContext: TurnContext, clock: Clock): TurnTelemetry {
    const telemetry = new TurnTelemetry(turnContext, clock);
    turnContext.turnState.set(TURN_TELEMETRY, telemetry);
    return telemetry;
  }

  /** Records a successful send to the Bot Connector: the informative and first-text latencies. */
  noteSent(streamType: SentStreamType, activityType: string | undefined): void {
    if (streamType === 'informative') {
      if (this.informativeSent) return;
      this.informativeSent = true;
      instruments().informativeLatency.record(this.elapsed(), this.metricAttributes);
      return;
    }
    if (this.textSent || (streamType === 'none' && activityType !== 'message')) return;
    this.textSent = true;
    instruments().firstTextLatency.record(this.elapsed(), this.metricAttributes);
  }

  /** Records that the turn was stopped (Stop in Teams, or a surface's abort); counted once. */
  noteStop(): void {
    if (this.stopped) return;
    this.stopped = true;
    instruments().stops.add(1, this.metricAttributes);
  }

  /** Ends the turn's span and records its outcome, final latency and tokens; later calls do nothing. */
  end(outcome: StreamOutcome, usage: TokenUsage, details: { modelCalls: number; toolsUsed: number }): void {
    if (this.ended) return;
    this.ended = true;
    const meters = instruments();
    const label = outcomeLabel(outcome);
    const cause = outcome.kind === 'failed' ? failureCauseLabel(outcome) : undefined;
    meters.turns.add(1, { ...this.metricAttributes, [ATTR.outcome]: label });
    if (outcome.kind !== 'cancelled') meters.finalLatency.record(this.elapsed(), this.metricAttributes);
    if (cause) meters.failures.add(1, { ...this.metricAttributes, [ATTR.failureCause]: cause });
    const tokenAttributes = { ...this.metricAttributes, [ATTR.tokensEstimated]: usage.estimated };
    if (usage.promptTokens > 0)
      meters.tokens.add(usage.promptTokens, { ...tokenAttributes, [ATTR.tokenType]: 'prompt' });
    if (usage.completionTokens > 0) {
      meters.tokens.add(usage.completionTokens, { ...tokenAttributes, [ATTR.tokenType]: 'completion' });
    }
    if (this.span.isRecording()) {
      this.span.setAttributes({
        [ATTR.outcome]: label,
        [ATTR.modelCalls]: details.modelCalls,
        [ATTR.toolsUsed]: details.toolsUsed,
        [ATTR.inputTokens]: usage.promptTokens,
        [ATTR.outputTokens]: usage.completionTokens,
        [ATTR.tokensEstimated]: usage.estimated,
        ...(cause ? { [ATTR.failureCause]: cause } : {}),
      });
      if (cause) this.span.setStatus({ code: SpanStatusCode.ERROR, message: cause });
    }
    this.span.end();
  }

  private elapsed(): number {
    return Math.max(0, this.clock.now() - this.receivedAt);
  }
}

/** The telemetry of the answer turn running in this context, if any. */
export function turnTelemetryOf(turnContext: TurnContext): TurnTelemetry | undefined {
  // A stand-in TurnContext (unit tests, other callers of the streamer) may carry no turnState at all.
  const state = turnContext.turnState as TurnContext['turnState'] | undefined;
  return state?.get<TurnTelemetry | undefined>(TURN_TELEMETRY);
}

/** The context a child span of this turn starts in; outside an answer turn, a span that records nothing. */
export function parentContextOf(turnContext: TurnContext | undefined): Context | undefined {
  return turnContext ? turnTelemetryOf(turnContext)?.context : undefined;
}

/** A span that records nothing, for work outside an answer turn. */
export const NON_RECORDING_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** The `bot.turns` outcome of a stream outcome: a roll-over for time or size is its own outcome. */
export function outcomeLabel(outcome: StreamOutcome): TurnOutcomeLabel {
  if (outcome.kind !== 'completed') return outcome.kind;
  if (outcome.rolledOver === 'time') return 'timed_out';
  if (outcome.rolledOver === 'size') return 'too_large';
  return 'completed';
}

function failureCauseLabel(outcome: StreamOutcome & { kind: 'failed' }): string {
  switch (outcome.cause?.kind) {
    case 'model':
      return 'model';
    case 'delivery':
      return 'delivery';
    case 'noAnswer':
      return 'no_answer';
    default:
      return 'unknown';
  }
}
