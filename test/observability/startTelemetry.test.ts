import { strict as assert } from 'node:assert';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metrics, trace } from '@opentelemetry/api';
import { loadConfig } from '../../src/config';
import { instruments, startTelemetry } from '../../src/observability';
import { ConfigError } from '../../src/shared/errors';
import { createLogger } from '../../src/shared/logging';

/** An OTLP/HTTP receiver on loopback that records what arrives. */
async function startReceiver(): Promise<{
  url: string;
  requests: Array<{ path: string; headers: IncomingHttpHeaders; bytes: number }>;
  server: Server;
}> {
  const requests: Array<{ path: string; headers: IncomingHttpHeaders; bytes: number }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', headers: req.headers, bytes: Buffer.concat(chunks).length });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

describe('startTelemetry', () => {
  it('starts nothing without an exporter', async () => {
    const running = await startTelemetry(loadConfig({}).telemetry, createLogger('silent'));
    assert.equal(running, undefined);
    assert.equal(trace.getTracer('probe').startSpan('probe').isRecording(), false);
  });

  it('exports spans and metrics as OTLP HTTP/protobuf with the configured headers, and unregisters at shutdown', async () => {
    const receiver = await startReceiver();
    try {
      const config = loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/`,
        OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s%3Dcret,x-team=ops',
      });
      const running = await startTelemetry(config.telemetry, createLogger('silent'));
      assert.ok(running, 'started');
      assert.deepEqual(running.exporters, ['otlp']);
      const { tracer, turns } = instruments();
      const span = tracer.startSpan('probe');
      assert.equal(span.isRecording(), true, 'a tracer provider is registered');
      span.end();
      turns.add(1, { 'bot.turn.outcome': 'completed' });
      await running.shutdown();

      const paths = receiver.requests.map((request) => request.path).sort();
      assert.deepEqual(paths, ['/v1/metrics', '/v1/traces']);
      for (const request of receiver.requests) {
        assert.equal(request.headers['content-type'], 'application/x-protobuf');
        assert.equal(request.headers['api-key'], 's=cret');
        assert.equal(request.headers['x-team'], 'ops');
        assert.ok(request.bytes > 0);
      }
      assert.equal(trace.getTracer('probe').startSpan('probe').isRecording(), false, 'unregistered');
    } finally {
      trace.disable();
      metrics.disable();
      await new Promise((resolve) => receiver.server.close(resolve));
    }
  });
});

describe('telemetry settings', () => {
  it('reads the standard OpenTelemetry names and the Application Insights connection string', () => {
    const config = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_SERVICE_NAME: 'helpdesk-bot',
      OTEL_METRIC_EXPORT_INTERVAL: '15000',
      APPLICATIONINSIGHTS_CONNECTION_STRING:
        'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://x',
    });
    assert.deepEqual(config.telemetry, {
      serviceName: 'helpdesk-bot',
      metricExportIntervalMs: 15000,
      otlp: { endpoint: 'http://collector:4318', headers: {} },
      azureMonitor: {
        connectionString:
          'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://x',
      },
    });
    assert.deepEqual(loadConfig({}).telemetry, {
      serviceName: 'teams-stream-assistant',
      metricExportIntervalMs: 60000,
      otlp: undefined,
      azureMonitor: undefined,
    });
  });

  it('refuses an unsupported protocol, malformed headers and a wrong connection string, naming the setting', () => {
    for (const [name, value] of [
      ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc'],
      ['OTEL_EXPORTER_OTLP_HEADERS', 'no-equals-sign'],
      ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
      ['APPLICATIONINSIGHTS_CONNECTION_STRING', 'not a connection string'],
    ] as const) {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (error: unknown) => error instanceof ConfigError && error.message.startsWith(`${name}:`),
        name,
      );
    }
  });
});
