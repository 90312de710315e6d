import { strict as assert } from 'node:assert';
import { metrics, ProxyTracerProvider, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ChatRequest, ScriptedReply } from '../../dev/offline-model';
import { hashedId, METRIC, SPAN } from '../../src/observability';
import { postAndWaitForAnswer } from '../support/answers';
import { startTestBot, userMessage, type TestBot } from '../support/testBot';

/** The question the offline model answers with a search_knowledge call, then a streamed answer. */
const QUESTION = 'What is the expense limit for meals?';
const CONVERSATION = 'otel-conversation-7f3a';

/** An in-memory OpenTelemetry SDK registered globally for one test file, unregistered after it. */
class InMemoryTelemetry {
  readonly spans = new InMemorySpanExporter();
  readonly metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  private readonly reader = new PeriodicExportingMetricReader({
    exporter: this.metricExporter,
    // Never on its own: the test collects with forceFlush.
    exportIntervalMillis: 3_600_000,
  });
  private readonly tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(this.spans)],
  });
  private readonly meterProvider = new MeterProvider({ readers: [this.reader] });

  register(): void {
    assert.ok(trace.setGlobalTracerProvider(this.tracerProvider), 'no other tracer provider is registered');
    assert.ok(metrics.setGlobalMeterProvider(this.meterProvider), 'no other meter provider is registered');
  }

  /** Every metric point collected so far, by metric name. */
  async collect(): Promise<Map<string, Array<{ attributes: Record<string, unknown>; value: unknown }>>> {
    this.metricExporter.reset();
    await this.reader.forceFlush();
    const byName = new Map<string, Array<{ attributes: Record<string, unknown>; value: unknown }>>();
    const exported: ResourceMetrics[] = this.metricExporter.getMetrics();
    for (const resourceMetrics of exported) {
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          const points = byName.get(metric.descriptor.name) ?? [];
          for (const point of metric.dataPoints)
            points.push({ attributes: point.attributes, value: point.value });
          byName.set(metric.descriptor.name, points);
        }
      }
    }
    return byName;
  }

  async unregister(): Promise<void> {
    await Promise.all([this.tracerProvider.shutdown(), this.meterProvider.shutdown()]);
    trace.disable();
    metrics.disable();
  }
}

function sum(
  points: Array<{ attributes: Record<string, unknown>; value: unknown }> | undefined,
  filter = {},
): number {
  return (points ?? [])
    .filter((point) => Object.entries(filter).every(([key, value]) => point.attributes[key] === value))
    .reduce((total, point) => total + (typeof point.value === 'number' ? point.value : 0), 0);
}

function histogramCount(points: Array<{ value: unknown }> | undefined): number {
  return (points ?? []).reduce((total, point) => total + ((point.value as { count?: number }).count ?? 0), 0);
}

/** Every string in a span's name, attributes, events and status, for the no-message-text check. */
function spanStrings(span: ReadableSpan): string {
  return JSON.stringify({
    name: span.name,
    attributes: span.attributes,
    events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
    status: span.status,
    resource: span.resource.attributes,
  });
}

describe('OpenTelemetry: a turn through the real bot wire', function () {
  this.timeout(60000);
  const telemetry = new InMemoryTelemetry();
  let bot: TestBot;
  let script: ((request: ChatRequest) => ScriptedReply | undefined) | undefined;

  before(async () => {
    telemetry.register();
    // Slow enough that the answer streams in updates (one a second) before its final message.
    bot = await startTestBot({
      model: { timeToFirstTokenMs: 30, tokensPerSecond: 60, script: (request) => script?.(request) },
    });
  });
  after(async () => {
    await bot?.close();
    await telemetry.unregister();
  });

  it('traces the turn (state load, model calls, the tool, every connector send) and records its metrics', async () => {
    // The model's first call is throttled (429) and retried; the first streaming update gets a 412 and is
    // retried by the bot's connector retry. (A 429 from the Bot Connector is retried inside botbuilder's own
    // HTTP pipeline before the bot sees it; see docs/operations.md.)
    let modelThrottled = false;
    script = () => {
      if (modelThrottled) return undefined;
      modelThrottled = true;
      return {
        kind: 'httpError',
        status: 429,
        retryAfterSeconds: 0,
        body: { error: { message: 'Rate limit' } },
      };
    };
    let preconditionFailed = false;
    bot.connector.respondWith((activity) => {
      const info = activity.channelData as { streamType?: string } | undefined;
      if (info?.streamType !== 'streaming' || preconditionFailed) return undefined;
      preconditionFailed = true;
      return { status: 412, body: { error: { code: 'PreconditionFailed', message: 'try again' } } };
    });
    await postAndWaitForAnswer(bot, userMessage(QUESTION, { conversationId: CONVERSATION }));
    bot.connector.respondWith(undefined);
    script = undefined;
    const sent = bot.connector.forConversation(CONVERSATION);
    const answerText = sent.filter((activity) => activity.body.type === 'message').at(-1)?.body.text ?? '';
    assert.ok(answerText.length > 20, 'the answer arrived');

    const spans = telemetry.spans.getFinishedSpans();
    const roots = spans.filter((span) => span.name === SPAN.turn);
    assert.equal(roots.length, 1, 'one turn span');
    const [root] = roots;
    assert.equal(root.parentSpanContext, undefined, 'the turn span is the root');
    const traceId = root.spanContext().traceId;
    const inTurn = spans.filter((span) => span.spanContext().traceId === traceId);
    assert.equal(inTurn.length, spans.length, 'every span belongs to the turn trace');
    for (const span of inTurn) {
      if (span !== root) assert.equal(span.parentSpanContext?.spanId, root.spanContext().spanId, span.name);
    }
    assert.equal(root.attributes['bot.turn.outcome'], 'completed');
    assert.equal(root.attributes['bot.channel'], 'msteams');
    assert.equal(root.attributes['bot.conversation.hash'], hashedId(CONVERSATION));
    assert.ok(Number(root.attributes['bot.model.calls']) >= 2, 'a tool round makes two model calls');
    assert.equal(root.attributes['bot.tools.count'], 1);

    const named = (name: string) => inTurn.filter((span) => span.name === name);
    assert.equal(named(SPAN.stateLoad).length, 1, 'the state load');
    assert.equal(named(SPAN.stateLoad)[0].attributes['bot.state.loaded'], true);

    const modelCalls = named('chat test-model');
    assert.ok(modelCalls.length >= 2, `model calls: ${inTurn.map((span) => span.name).join(', ')}`);
    const [throttledCall] = modelCalls.filter((call) => call.attributes['bot.retries'] === 1);
    assert.ok(throttledCall, 'one model call was retried');
    assert.equal(throttledCall.events[0]?.name, 'retry');
    assert.equal(throttledCall.events[0]?.attributes?.['http.response.status_code'], 429);
    for (const call of modelCalls) {
      assert.equal(call.attributes['gen_ai.request.model'], 'test-model');
      assert.equal(call.attributes['bot.model.streamed'], true);
      assert.equal(call.attributes['bot.model.status'], 'success');
      assert.ok(Number(call.attributes['gen_ai.usage.input_tokens']) > 0, 'prompt tokens');
      assert.ok(Number(call.attributes['gen_ai.usage.output_tokens']) > 0, 'completion tokens');
    }

    const tools = named('execute_tool search_knowledge');
    assert.equal(tools.length, 1, 'the tool call');
    assert.equal(tools[0].attributes['gen_ai.tool.name'], 'search_knowledge');
    assert.equal(tools[0].attributes['bot.tool.outcome'], 'ok');

    const sends = named(SPAN.connectorSend);
    assert.equal(
      sends.length,
      sent.length - 1,
      'one span per send (the throttled attempt is a retry of one)',
    );
    const streamTypes = new Set(sends.map((span) => span.attributes['bot.stream.type']));
    for (const type of ['informative', 'streaming', 'final'])
      assert.ok(streamTypes.has(type), `a ${type} send`);
    const final = sends.find((span) => span.attributes['bot.stream.type'] === 'final');
    assert.equal(final?.attributes['bot.activity.type'], 'message');
    const retried = sends.filter((span) => span.attributes['bot.retries'] === 1);
    assert.equal(retried.length, 1, 'the refused send was retried once');
    assert.equal(retried[0].attributes['bot.stream.type'], 'streaming');
    assert.equal(retried[0].events[0]?.attributes?.['http.response.status_code'], 412);
    for (const send of sends) assert.equal(send.attributes['bot.send.outcome'], 'ok');

    // No message text, user name, raw conversation id or user id anywhere in the trace.
    const everything = inTurn.map(spanStrings).join('\n');
    const middle = Math.floor(answerText.length / 2);
    const answerParts = [answerText.slice(0, 30), answerText.slice(middle, middle + 30)];
    for (const forbidden of [
      QUESTION,
      'expense limit',
      'Dana Scully',
      CONVERSATION,
      'aad-user-1',
      ...answerParts,
    ]) {
      assert.ok(!everything.includes(forbidden), `the trace does not contain "${forbidden}"`);
    }

    const points = await telemetry.collect();
    assert.equal(sum(points.get(METRIC.turns), { 'bot.turn.outcome': 'completed' }), 1, 'one completed turn');
    assert.equal(histogramCount(points.get(METRIC.informativeLatency)), 1, 'informative latency');
    assert.equal(histogramCount(points.get(METRIC.firstTextLatency)), 1, 'first-text latency');
    assert.equal(histogramCount(points.get(METRIC.finalLatency)), 1, 'final latency');
    assert.equal(
      sum(points.get(METRIC.tokens), { 'bot.token.type': 'prompt' }),
      Number(root.attributes['gen_ai.usage.input_tokens']),
    );
    assert.ok(sum(points.get(METRIC.tokens), { 'bot.token.type': 'completion' }) > 0, 'completion tokens');
    assert.equal(sum(points.get(METRIC.retries), { 'bot.retry.target': 'connector' }), 1);
    assert.equal(sum(points.get(METRIC.retries), { 'bot.retry.target': 'model' }), 1);
    assert.equal(sum(points.get(METRIC.throttled), { 'bot.retry.target': 'model' }), 1);
    assert.equal(sum(points.get(METRIC.throttled), { 'bot.retry.target': 'connector' }), 0);
    assert.equal(sum(points.get(METRIC.stops)), 0);
    assert.equal(sum(points.get(METRIC.failures)), 0);
    const [informative] = points.get(METRIC.informativeLatency) ?? [];
    const [finalLatency] = points.get(METRIC.finalLatency) ?? [];
    assert.ok(
      (informative.value as { sum: number }).sum < (finalLatency.value as { sum: number }).sum,
      'the informative update went out before the final message',
    );
  });
});

describe('OpenTelemetry: nothing by default', function () {
  this.timeout(60000);

  it('registers no SDK and exports nothing when no exporter is configured', async () => {
    const bot = await startTestBot();
    try {
      await postAndWaitForAnswer(bot, userMessage('Hello', { conversationId: 'otel-default' }));
      const tracerProvider = trace.getTracerProvider();
      assert.ok(tracerProvider instanceof ProxyTracerProvider);
      assert.ok(
        !(tracerProvider.getDelegate() instanceof BasicTracerProvider),
        'no tracer provider registered',
      );
      assert.equal(trace.getTracer('probe').startSpan('probe').isRecording(), false);
      assert.ok(!(metrics.getMeterProvider() instanceof MeterProvider), 'no meter provider registered');
    } finally {
      await bot.close();
    }
  });
});
