/**
 * The physical floor of the informative latency: the same load through a stripped bot that only does what
 * must happen before the first update can reach Teams. It is built from the product's public pieces and
 * changes nothing in src/:
 * - the product's HTTP front (`startHttpServer`: body limits, the inbound activity check, the serviceUrl
 *   allow-list, the repeated-activity check, the early 200) and its adapter (`createAdapter`: botbuilder's
 *   inbound authentication, the allow-listed outbound credentials, the stream-order middleware), set up from
 *   the same configuration as the real bot;
 * - instead of the Teams AI application (state loading, the tenant gate, the planner, the model, the
 *   streamer), a handler that sends the informative update and returns. The update is the one the bot's
 *   TeamsStreamer sends first, built by the same pure builder (src/streaming's `streamUpdateActivity`): a
 *   typing activity with the localized `informative.start` text, the `streaminfo` entity (streamType
 *   informative, streamSequence 1) and the same fields in channelData. `installEntitySerializationFix` is
 *   installed as the bot does.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { createAdapter, ServiceUrlAllowList, startHttpServer } from '../src/server';
import { translate } from '../src/shared/i18n';
import { createLogger } from '../src/shared/logging';
import { installEntitySerializationFix, streamUpdateActivity } from '../src/streaming';
import { BenchmarkError } from './benchmarkError';
import type { Cleanups } from './cleanups';
import { cpuDelta, cpuPerTurn, type CpuPerTurn } from './cpuUsage';
import { startConnectorHelper } from './helperClient';
import { startLoad } from './loadGenerator';
import { summarize, type Summary } from './metrics';
import { measureLoadGeneratorCpu, waitAtMost } from './benchmarkPass';
import type { BenchParameters } from './parameters';
import { postFailures } from './passObservations';
import { startResourceMonitor, type ResourceSummary } from './resourceMonitor';
import { conversationIdOf } from './scriptedAnswers';
import { sleep, type Now } from './time';

/** What the floor pass measured. */
export interface FloorResult {
  conversations: number;
  /** Conversations whose informative update arrived at the connector. */
  informativeUpdates: number;
  /** POST sent → the informative update arrived, as for the streamers. */
  informativeLatencyMs: Summary;
  /** CPU of this process over the window (POSTs sent → every informative update sent), per update. */
  cpu: CpuPerTurn;
  resources: ResourceSummary;
  failedPosts: number;
  postFailureExamples: string[];
  /** False when some informative updates had not been sent by the deadline. */
  allArrived: boolean;
}

const SETTLE_BEFORE_LOAD_MS = 1000;
const POST_RESPONSE_WAIT_MS = 15_000;
/** The floor has no model: every update is due within this long after its POST (plus the ramp). */
const FLOOR_DEADLINE_MS = 30_000;

/** The informative update exactly as the bot's TeamsStreamer sends it first (no stream id yet, no citations). */
export function informativeActivity(locale: string | undefined): Partial<Activity> {
  return streamUpdateActivity('informative', translate(locale, 'informative.start'), 1, undefined, []);
}

/** POST sent → its first update arrived; undefined without either. */
function floorLatency(sentAt: number | undefined, arrivedAt: number | undefined): number | undefined {
  return sentAt !== undefined && arrivedAt !== undefined ? arrivedAt - sentAt : undefined;
}

/** Runs the load through the stripped path and measures the informative latency. */
export async function runFloorPass(
  parameters: BenchParameters,
  context: { now: Now; cleanups: Cleanups; progress: (line: string) => void },
): Promise<FloorResult> {
  const { now, cleanups } = context;
  const connector = await startConnectorHelper(now);
  const stopConnector = cleanups.add('floor: connector process', () => connector.stop());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-floor-'));
  const removeDataDir = cleanups.add('floor: data folder', () => {
    rmSync(dataDir, { recursive: true, force: true });
  });
  // The same configuration as the real bot's passes (the model URL is never used).
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    OPENAI_MODEL: 'bench-model',
    LOG_LEVEL: 'silent',
  });
  const logger = createLogger('silent');
  installEntitySerializationFix();
  const allowList = new ServiceUrlAllowList({
    extraHosts: config.outbound.extraServiceUrlHosts,
    allowLoopback: config.outbound.allowLoopback,
  });
  const adapter = createAdapter(config.bot, logger, { allowList, endpoints: config.botAuthentication });

  let sent = 0;
  let sendFailures = 0;
  const waiters = new Set<() => void>();
  const app = {
    run: async (turn: TurnContext): Promise<boolean> => {
      if (turn.activity.type !== String(ActivityTypes.Message)) return false;
      try {
        await turn.sendActivity(informativeActivity(turn.activity.locale));
      } catch {
        sendFailures += 1;
      }
      sent += 1;
      for (const check of [...waiters]) check();
      return true;
    },
  };
  const server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    adapter,
    // The messages endpoint only calls `run`; the floor's stands in for the whole Teams AI application.
    app: app as unknown as Application<TurnState>,
    logger,
    allowList,
  });
  const stopServer = cleanups.add('floor: bot front', () => server.close());

  const waitForSends = (count: number, timeoutMs: number): Promise<boolean> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (sent < count) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(true);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        resolve(false);
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  // Warm-up (numbered after the measured conversations, left out of the figures).
  if (parameters.warmupConversations > 0) {
    const warmup = startLoad({
      botUrl: server.url,
      serviceUrl: connector.url,
      firstIndex: parameters.conversations,
      count: parameters.warmupConversations,
      rampMs: 0,
      requestTimeoutMs: POST_RESPONSE_WAIT_MS,
      now,
    });
    const warmed = await waitForSends(parameters.warmupConversations, FLOOR_DEADLINE_MS);
    await warmup.outcomes;
    warmup.abort();
    if (!warmed) throw new BenchmarkError('floor: the warm-up conversations got no informative update');
  }
  if (typeof global.gc === 'function') global.gc();
  await sleep(SETTLE_BEFORE_LOAD_MS);

  const already = sent;
  const monitor = startResourceMonitor();
  const cpuBefore = process.cpuUsage();
  context.progress(`floor: ${parameters.conversations} conversations`);
  const load = startLoad({
    botUrl: server.url,
    serviceUrl: connector.url,
    firstIndex: 0,
    count: parameters.conversations,
    rampMs: parameters.rampMs,
    requestTimeoutMs: FLOOR_DEADLINE_MS + parameters.rampMs + POST_RESPONSE_WAIT_MS,
    now,
  });
  const abortLoad = cleanups.add('floor: inbound requests', () => load.abort());
  const loadStartedAt = load.sentAt[0] ?? now();
  const allArrived = await waitForSends(
    already + parameters.conversations,
    FLOOR_DEADLINE_MS + parameters.rampMs,
  );
  const loadEndedAt = now();
  const cpuWindow = cpuDelta(cpuBefore, process.cpuUsage());
  const resources = await monitor.stop();
  const outcomes = await waitAtMost(load.outcomes, POST_RESPONSE_WAIT_MS);
  await abortLoad();
  await stopServer();
  const records = await connector.collect();
  const loadGeneratorMicros = await measureLoadGeneratorCpu(connector.url, parameters, now);
  await stopConnector();
  await removeDataDir();

  // The first send to each measured conversation (the warm-up's are numbered after them).
  const firstArrival = new Map<string, number>();
  for (const send of records.sends) {
    const seen = firstArrival.get(send.conversationId);
    if (seen === undefined || send.at < seen) firstArrival.set(send.conversationId, send.at);
  }
  const latencies = Array.from({ length: parameters.conversations }, (_, index) =>
    floorLatency(load.sentAt[index], firstArrival.get(conversationIdOf(index))),
  );
  const failures = postFailures(outcomes, parameters.conversations, POST_RESPONSE_WAIT_MS);
  if (sendFailures > 0) failures.examples.push(`${sendFailures} informative sends failed`);
  return {
    conversations: parameters.conversations,
    informativeUpdates: latencies.filter((latency) => latency !== undefined).length,
    informativeLatencyMs: summarize(latencies),
    cpu: cpuPerTurn(cpuWindow, loadEndedAt - loadStartedAt, sent - already, loadGeneratorMicros),
    resources,
    failedPosts: failures.count,
    postFailureExamples: failures.examples,
    allArrived,
  };
}
