import {
  type Counter,
  type Histogram,
  type MeterProvider,
  metrics,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { INSTRUMENTATION_SCOPE, METRIC } from './names';

/** The bot's tracer and metric instruments. */
export interface Instruments {
  tracer: Tracer;
  /** Turns by outcome (completed, cancelled, timed_out, too_large, failed). */
  turns: Counter;
  /** Received → the first informative update sent (ms). */
  informativeLatency: Histogram;
  /** Received → the first update or message with answer text sent (ms). */
  firstTextLatency: Histogram;
  /** Received → the final message sent (ms). */
  finalLatency: Histogram;
  /** Prompt and completion tokens. */
  tokens: Counter;
  /** Retried model calls and connector sends. */
  retries: Counter;
  /** 429 answers from the model or the Bot Connector. */
  throttled: Counter;
  /** Turns the user stopped. */
  stops: Counter;
  /** Failed turns by cause. */
  failures: Counter;
}

/** Buckets for the latency histograms, in ms: Teams' one-second pacing up to its two-minute stream limit. */
const LATENCY_BUCKETS_MS = [
  50, 100, 250, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000, 20000, 60000, 120000,
];

let cached:
  { tracerProvider: TracerProvider; meterProvider: MeterProvider; instruments: Instruments } | undefined;

/**
 * The instruments of the globally registered providers. The metrics API has no proxy (a meter taken before
 * an SDK is registered stays a no-op), so they are created again whenever the global providers change: after
 * startup registers an SDK, or a test registers and disables its own. Without an SDK every one is a no-op.
 */
export function instruments(): Instruments {
  const tracerProvider = trace.getTracerProvider();
  const meterProvider = metrics.getMeterProvider();
  if (cached?.tracerProvider === tracerProvider && cached.meterProvider === meterProvider) {
    return cached.instruments;
  }
  const meter = meterProvider.getMeter(INSTRUMENTATION_SCOPE);
  const latency = (name: string, description: string): Histogram =>
    meter.createHistogram(name, {
      description,
      unit: 'ms',
      advice: { explicitBucketBoundaries: LATENCY_BUCKETS_MS },
    });
  const created: Instruments = {
    tracer: tracerProvider.getTracer(INSTRUMENTATION_SCOPE),
    turns: meter.createCounter(METRIC.turns, { description: 'Answer turns by outcome' }),
    informativeLatency: latency(METRIC.informativeLatency, 'Activity received to informative update sent'),
    firstTextLatency: latency(METRIC.firstTextLatency, 'Activity received to first answer text sent'),
    finalLatency: latency(METRIC.finalLatency, 'Activity received to final message sent'),
    tokens: meter.createCounter(METRIC.tokens, { description: 'Model tokens by type (prompt, completion)' }),
    retries: meter.createCounter(METRIC.retries, { description: 'Retried model calls and connector sends' }),
    throttled: meter.createCounter(METRIC.throttled, { description: 'HTTP 429 answers (model, connector)' }),
    stops: meter.createCounter(METRIC.stops, { description: 'Answers the user stopped' }),
    failures: meter.createCounter(METRIC.failures, { description: 'Failed turns by cause' }),
  };
  cached = { tracerProvider, meterProvider, instruments: created };
  return created;
}
