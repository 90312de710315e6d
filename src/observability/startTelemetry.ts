import { metrics, trace } from '@opentelemetry/api';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TelemetryConfig } from '../config';
import type { Logger } from '../shared/logging';

/** A started OpenTelemetry SDK; `shutdown` flushes what is pending and unregisters it. */
export interface RunningTelemetry {
  /** Where it exports: `otlp`, `azure-monitor`, or both. */
  readonly exporters: readonly string[];
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK the configuration asks for and registers it globally, or nothing at all:
 * - neither OTEL_EXPORTER_OTLP_ENDPOINT nor APPLICATIONINSIGHTS_CONNECTION_STRING: no SDK, the API's no-ops;
 * - OTLP only: a tracer provider (batched) and a meter provider (periodic) exporting OTLP over HTTP/protobuf
 *   to `<endpoint>/v1/traces` and `<endpoint>/v1/metrics`;
 * - Application Insights: Microsoft's distribution (`useAzureMonitor`), loaded only then, with its automatic
 *   instrumentations off (the HTTP one would record Bot Connector URLs, which name the conversation) and the
 *   OTLP exporters added to it when both are set, and its rate-limited sampling (5 traces a second) replaced by
 *   keeping every trace.
 * The SDK packages are loaded only when something is configured, so a bot without telemetry loads none.
 */
export async function startTelemetry(
  config: TelemetryConfig,
  logger: Logger,
): Promise<RunningTelemetry | undefined> {
  if (!config.otlp && !config.azureMonitor) return undefined;
  const [{ resourceFromAttributes }, { MeterProvider, PeriodicExportingMetricReader }, tracing] =
    await Promise.all([
      import('@opentelemetry/resources'),
      import('@opentelemetry/sdk-metrics'),
      import('@opentelemetry/sdk-trace-base'),
    ]);
  const { BasicTracerProvider, BatchSpanProcessor } = tracing;
  const resource = resourceFromAttributes({ 'service.name': config.serviceName });
  const spanProcessors: SpanProcessor[] = [];
  const metricReaders: MetricReader[] = [];
  if (config.otlp) {
    const [{ OTLPTraceExporter }, { OTLPMetricExporter }] = await Promise.all([
      import('@opentelemetry/exporter-trace-otlp-proto'),
      import('@opentelemetry/exporter-metrics-otlp-proto'),
    ]);
    const base = config.otlp.endpoint.replace(/\/+$/, '');
    const headers = config.otlp.headers;
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${base}/v1/traces`, headers })));
    metricReaders.push(
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics`, headers }),
        exportIntervalMillis: config.metricExportIntervalMs,
      }),
    );
  }
  const exporters = [...(config.otlp ? ['otlp'] : []), ...(config.azureMonitor ? ['azure-monitor'] : [])];
  if (config.azureMonitor) {
    const azure = await import('@azure/monitor-opentelemetry');
    azure.useAzureMonitor({
      azureMonitorExporterOptions: { connectionString: config.azureMonitor.connectionString },
      resource,
      // Every turn keeps its trace: the distribution's default samples at most 5 traces a second.
      samplingRatio: 1,
      tracesPerSecond: 0,
      enableLiveMetrics: false,
      instrumentationOptions: {
        azureSdk: { enabled: false },
        http: { enabled: false },
        mongoDb: { enabled: false },
        mySql: { enabled: false },
        postgreSql: { enabled: false },
        redis: { enabled: false },
        redis4: { enabled: false },
        bunyan: { enabled: false },
        winston: { enabled: false },
      },
      spanProcessors,
      metricReaders,
    });
    logger.info({ exporters, serviceName: config.serviceName }, 'OpenTelemetry export started');
    return {
      exporters,
      shutdown: () => flushAndUnregister(() => azure.shutdownAzureMonitor(), exporters, logger),
    };
  }
  const tracerProvider = new BasicTracerProvider({ resource, spanProcessors });
  const meterProvider = new MeterProvider({ resource, readers: metricReaders });
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  logger.info({ exporters, serviceName: config.serviceName }, 'OpenTelemetry export started');
  return {
    exporters,
    shutdown: () =>
      flushAndUnregister(
        async () => {
          await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
        },
        exporters,
        logger,
      ),
  };
}

/**
 * Shuts the SDK down (flushing what is pending) and unregisters it. A failed last export (the receiver is
 * unreachable) is logged and does not fail the bot's shutdown. The error is described by its name and message
 * only: an exporter's error object may carry the request, headers and body.
 */
async function flushAndUnregister(
  shutdown: () => Promise<void>,
  exporters: readonly string[],
  logger: Logger,
): Promise<void> {
  try {
    await shutdown();
  } catch (error) {
    const description = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    logger.warn(
      { exporters, error: description.slice(0, 300) },
      'the last telemetry export failed at shutdown; it is lost',
    );
  } finally {
    trace.disable();
    metrics.disable();
  }
}
