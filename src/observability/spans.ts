import { type Activity, type TurnContext } from 'botbuilder';
import { type Attributes, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { instruments } from './instruments';
import { ATTR, SPAN } from './names';
import { NON_RECORDING_SPAN, parentContextOf, type SentStreamType, turnTelemetryOf } from './turnTelemetry';

/** A child span of the answer turn of `turnContext`; outside an answer turn, a span that records nothing. */
function childSpan(
  turnContext: TurnContext | undefined,
  name: string,
  kind: SpanKind,
  attributes: Attributes,
): Span {
  const parent = parentContextOf(turnContext);
  if (!parent) return NON_RECORDING_SPAN;
  return instruments().tracer.startSpan(name, { kind, attributes }, parent);
}

/** Marks a span failed with the error's class name (never its message, which may quote user text). */
function failSpan(span: Span, error: unknown): void {
  const type = error instanceof Error ? error.constructor.name : typeof error;
  span.setAttribute(ATTR.errorType, type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
}

/** Runs teams-ai's state load in a `bot.state.load` span of the answer turn (no span outside one). */
export async function traceStateLoad(
  turnContext: TurnContext,
  load: () => Promise<boolean>,
): Promise<boolean> {
  const span = childSpan(turnContext, SPAN.stateLoad, SpanKind.INTERNAL, {});
  try {
    const loaded = await load();
    span.setAttribute(ATTR.stateLoaded, loaded);
    return loaded;
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Counts a retry and, for a 429, a throttled answer, and notes it on the span. */
function noteRetry(span: Span, target: 'model' | 'connector', info: RetryInfo): void {
  const meters = instruments();
  meters.retries.add(1, { [ATTR.retryTarget]: target });
  if (info.status === 429) meters.throttled.add(1, { [ATTR.retryTarget]: target });
  span.addEvent('retry', {
    [ATTR.attempts]: info.attempt,
    [ATTR.delayMs]: info.delayMs,
    ...(info.status !== undefined ? { [ATTR.httpStatus]: info.status } : {}),
  });
}

/** A failed attempt that is tried again. */
export interface RetryInfo {
  attempt: number;
  delayMs: number;
  status: number | undefined;
}

/** The `chat <model>` span of one model call (its retries included). */
export class ModelCallSpan {
  private readonly span: Span;
  private retries = 0;

  constructor(turnContext: TurnContext, model: string, streamed: boolean) {
    this.span = childSpan(turnContext, `${SPAN.modelCall} ${model}`, SpanKind.CLIENT, {
      [ATTR.operation]: 'chat',
      [ATTR.requestModel]: model,
      [ATTR.modelStreamed]: streamed,
    });
  }

  /** A failed attempt that will be tried again. */
  retried(info: RetryInfo): void {
    this.retries += 1;
    noteRetry(this.span, 'model', info);
  }

  /**
   * Ends the span: the call's final status (teams-ai's `success`, `error`, `rate_limited`...), the HTTP status
   * of a failure, whether output reached the stream, and the tokens when the turn's usage counted them.
   */
  end(result: {
    status: string;
    httpStatus?: number;
    outputStarted: boolean;
    tokens?: { input: number; output: number };
  }): void {
    if (result.httpStatus === 429) instruments().throttled.add(1, { [ATTR.retryTarget]: 'model' });
    if (this.span.isRecording()) {
      this.span.setAttributes({
        [ATTR.modelStatus]: result.status,
        [ATTR.attempts]: this.retries + 1,
        [ATTR.retries]: this.retries,
        [ATTR.modelOutputStarted]: result.outputStarted,
        ...(result.httpStatus !== undefined ? { [ATTR.httpStatus]: result.httpStatus } : {}),
        ...(result.tokens
          ? { [ATTR.inputTokens]: result.tokens.input, [ATTR.outputTokens]: result.tokens.output }
          : {}),
      });
      if (result.status !== 'success')
        this.span.setStatus({ code: SpanStatusCode.ERROR, message: result.status });
    }
    this.span.end();
  }
}

/** What a tool call came to: a result, arguments that failed the schema, or an error the tool threw. */
export type ToolOutcome = 'ok' | 'invalid_arguments' | 'failed';

/** Runs one tool call in an `execute_tool <name>` span; `run` reports how it went. */
export async function traceTool<T>(
  turnContext: TurnContext,
  toolName: string,
  run: () => Promise<{ result: T; outcome: ToolOutcome }>,
): Promise<T> {
  const span = childSpan(turnContext, `${SPAN.tool} ${toolName}`, SpanKind.INTERNAL, {
    [ATTR.operation]: 'execute_tool',
    [ATTR.toolName]: toolName,
  });
  try {
    const { result, outcome } = await run();
    span.setAttribute(ATTR.toolOutcome, outcome);
    if (outcome === 'failed') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
    return result;
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** The `bot.connector.send` span of one activity sent to the Bot Connector (its retries included). */
export class ConnectorSendSpan {
  private readonly span: Span;
  private readonly streamType: SentStreamType;
  private retries = 0;

  constructor(
    private readonly turnContext: TurnContext,
    private readonly activity: Partial<Activity>,
  ) {
    this.streamType = streamTypeOf(activity);
    this.span = childSpan(turnContext, SPAN.connectorSend, SpanKind.CLIENT, {
      [ATTR.activityType]: activity.type ?? 'unknown',
      [ATTR.streamType]: this.streamType,
    });
  }

  /** A failed attempt that will be tried again. */
  retried(info: RetryInfo): void {
    this.retries += 1;
    noteRetry(this.span, 'connector', info);
  }

  /** The send succeeded (botbuilder does not expose the 2xx status). */
  succeeded(): void {
    turnTelemetryOf(this.turnContext)?.noteSent(this.streamType, this.activity.type);
    this.setOutcome('ok', undefined);
    this.span.end();
  }

  /** The send failed for good: `kind` is what the failure means (cancelledByUser, streamClosed, failed...). */
  failed(kind: string, status: number | undefined): void {
    if (status === 429) instruments().throttled.add(1, { [ATTR.retryTarget]: 'connector' });
    this.setOutcome(kind, status);
    // Stop is the user's choice, not an error.
    if (kind !== 'cancelledByUser') this.span.setStatus({ code: SpanStatusCode.ERROR, message: kind });
    this.span.end();
  }

  private setOutcome(outcome: string, status: number | undefined): void {
    if (!this.span.isRecording()) return;
    this.span.setAttributes({
      [ATTR.sendOutcome]: outcome,
      [ATTR.retries]: this.retries,
      ...(status !== undefined ? { [ATTR.httpStatus]: status } : {}),
    });
  }
}

/** The stream type of an outgoing activity (its streaminfo, copied into channelData), or `none`. */
function streamTypeOf(activity: Partial<Activity>): SentStreamType {
  const streamType = (activity.channelData as { streamType?: unknown } | undefined)?.streamType;
  return streamType === 'informative' || streamType === 'streaming' || streamType === 'final'
    ? streamType
    : 'none';
}
