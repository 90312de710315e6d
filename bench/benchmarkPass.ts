import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Cleanups } from './cleanups';
import { BenchmarkError } from './benchmarkError';
import { startInProcessBot, type BotUnderTest } from './botUnderTest';
import { startClusterBot } from './clusterBot';
import { startConnectorHelper, startModelHelper, type Helper } from './helperClient';
import type { ConnectorCollection, ModelCollection } from './helperProtocol';
import { startLoad } from './loadGenerator';
import { botProcessesCpuPerTurn, cpuDelta, cpuPerTurn } from './cpuUsage';
import { conversationFigures, conversationMetrics, rssPerStream } from './metrics';
import { observe, postFailures } from './passObservations';
import {
  CLUSTER_IMPLEMENTATION,
  finalsDeadlineMs,
  type BenchParameters,
  type PassImplementation,
} from './parameters';
import type { PassResult } from './passResult';
import { sleep, type Now } from './time';

/** What a pass needs from the run around it. */
export interface PassContext {
  repoRoot: string;
  now: Now;
  cleanups: Cleanups;
  /** Unhandled rejections in this process so far (the run counts them). */
  unhandledRejections: () => number;
  /** Shows how many final messages have arrived, while waiting. */
  progress: (line: string) => void;
}

/** Pause after the bot started and a GC, so the baseline RSS is read on a settled process. */
const SETTLE_BEFORE_LOAD_MS = 1000;
/** After the last final message: teams-ai's StreamingResponse still sleeps 1.5 s before its turn ends. */
const SETTLE_AFTER_FINALS_MS = 2000;
/** Longest wait for inbound POST responses after the last final message. */
const POST_RESPONSE_WAIT_MS = 15_000;
const PROGRESS_INTERVAL_MS = 500;

/**
 * One pass: fresh helper processes (the model with its timing proxy; the connector) and a fresh bot (in this
 * process with the chosen streamer, or the cluster in child processes), the load, then everything collected
 * and stopped. Every server it starts is registered in `context.cleanups` first, so an error or Ctrl+C stops
 * it too.
 */
export async function runPass(
  implementation: PassImplementation,
  parameters: BenchParameters,
  context: PassContext,
): Promise<PassResult> {
  const { now, cleanups } = context;
  const model = await startModelHelper(
    {
      timeToFirstTokenMs: parameters.timeToFirstTokenMs,
      tokensPerSecond: parameters.tokensPerSecond,
      answerTokens: parameters.answerTokens,
      toolShare: parameters.toolShare,
    },
    now,
  );
  const stopModel = cleanups.add(`${implementation}: model process`, () => model.stop());
  const connector = await startConnectorHelper(now);
  const stopConnector = cleanups.add(`${implementation}: connector process`, () => connector.stop());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `bench-${implementation}-`));
  const removeDataDir = cleanups.add(`${implementation}: data folder`, () => {
    rmSync(dataDir, { recursive: true, force: true });
  });
  const settings = { repoRoot: context.repoRoot, dataDir, modelUrl: model.url };
  if (implementation === CLUSTER_IMPLEMENTATION) {
    context.progress(`${implementation}: starting ${parameters.processes} bot processes`);
  }
  const bot: BotUnderTest =
    implementation === CLUSTER_IMPLEMENTATION
      ? await startClusterBot({ ...settings, processes: parameters.processes })
      : await startInProcessBot(implementation, settings, context.unhandledRejections);
  const stopBot = cleanups.add(`${implementation}: bot`, () => bot.stop());

  await warmUp(implementation, parameters, context, bot.url, connector);
  collectGarbage();
  await sleep(SETTLE_BEFORE_LOAD_MS);
  const rejectionsBefore = bot.unhandledRejections();
  const loadAverageBefore = os.loadavg()[0] ?? 0;
  const window = await bot.startMeasuring();
  const load = startLoad({
    botUrl: bot.url,
    serviceUrl: connector.url,
    firstIndex: 0,
    count: parameters.conversations,
    rampMs: parameters.rampMs,
    requestTimeoutMs: finalsDeadlineMs(parameters) + POST_RESPONSE_WAIT_MS,
    now,
  });
  const abortLoad = cleanups.add(`${implementation}: inbound requests`, () => load.abort());
  const loadStartedAt = load.sentAt[0] ?? now();
  const allFinalsArrived = await waitForAnswers(
    implementation,
    connector,
    parameters.warmupConversations,
    parameters.conversations,
    finalsDeadlineMs(parameters),
    context,
  );
  const loadEndedAt = now();
  const { cpu: cpuWindow, resources } = await window.stop();
  const answeredByDeadline = connector.finalCount - parameters.warmupConversations;

  const outcomes = await waitAtMost(load.outcomes, POST_RESPONSE_WAIT_MS);
  await sleep(SETTLE_AFTER_FINALS_MS);
  const unhandledRejections = bot.unhandledRejections() - rejectionsBefore;
  await abortLoad();
  let modelRecords: ModelCollection;
  let connectorRecords: ConnectorCollection;
  if (allFinalsArrived) {
    // The bot first, so that anything it still sends (after a final message, say) is recorded.
    await stopBot();
    [modelRecords, connectorRecords] = await Promise.all([model.collect(), connector.collect()]);
    await stopModel();
  } else {
    // Answers are still streaming: stop the model first so the bot's turns end at once instead of running on.
    modelRecords = await model.collect();
    await stopModel();
    connectorRecords = await connector.collect();
    await stopBot();
  }
  const windowMs = loadEndedAt - loadStartedAt;
  let cpu;
  if (bot.inThisProcess) {
    // After the collection, so these requests count in none of the connector's figures.
    context.progress(`${implementation}: measuring the load generator's own CPU`);
    const loadGeneratorMicros = await measureLoadGeneratorCpu(connector.url, parameters, now);
    cpu = cpuPerTurn(cpuWindow, windowMs, answeredByDeadline, loadGeneratorMicros);
  } else {
    cpu = botProcessesCpuPerTurn(cpuWindow, windowMs, answeredByDeadline);
  }
  await stopConnector();
  await removeDataDir();

  const failures = postFailures(outcomes, parameters.conversations, POST_RESPONSE_WAIT_MS);
  const observations = observe(modelRecords, connectorRecords, load.sentAt, parameters);
  return {
    implementation,
    ...(bot.cluster ? { cluster: bot.cluster } : {}),
    loadAverageBefore,
    metrics: conversationMetrics(observations),
    resources,
    rssPerStreamBytes: rssPerStream(
      resources.baselineRssBytes,
      resources.peakRssBytes,
      parameters.conversations,
    ),
    loadDurationMs: windowMs,
    cpu,
    allFinalsArrived,
    answeredByDeadline,
    failedPosts: failures.count,
    postFailureExamples: failures.examples,
    unhandledRejections,
    modelStats: modelRecords.modelStats,
    toolRounds: modelRecords.modelTimings.filter(
      ([index, timing]) => index < parameters.conversations && timing.requests > 1,
    ).length,
    clockOffsetsMs: { model: model.clockOffsetMs, connector: connector.clockOffsetMs },
    connections: { model: modelRecords.connections, connector: connectorRecords.connections },
    sendsReceived: connectorRecords.sends.length,
    modelProcessLoopDelay: {
      eventLoopDelayP99Ms: modelRecords.eventLoopDelayP99Ms,
      eventLoopDelayMaxMs: modelRecords.eventLoopDelayMaxMs,
    },
    connectorProcessLoopDelay: {
      eventLoopDelayP99Ms: connectorRecords.eventLoopDelayP99Ms,
      eventLoopDelayMaxMs: connectorRecords.eventLoopDelayMaxMs,
    },
    conversations: observations.map(conversationFigures),
  };
}

/**
 * Answers the warm-up conversations (numbered after the measured ones, so their records are left out).
 * @throws BenchmarkError when they do not all finish: the bot is not working, and measuring it would be moot.
 */
async function warmUp(
  implementation: PassImplementation,
  parameters: BenchParameters,
  context: PassContext,
  botUrl: string,
  connector: Helper<ConnectorCollection>,
): Promise<void> {
  const count = parameters.warmupConversations;
  if (count === 0) return;
  const warmup = startLoad({
    botUrl,
    serviceUrl: connector.url,
    firstIndex: parameters.conversations,
    count,
    rampMs: 0,
    requestTimeoutMs: finalsDeadlineMs(parameters),
    now: context.now,
  });
  try {
    const finished = await waitForAnswers(
      `${implementation} warm-up`,
      connector,
      0,
      count,
      finalsDeadlineMs(parameters),
      context,
    );
    if (!finished) {
      throw new BenchmarkError(
        `${implementation}: only ${connector.finalCount} of ${count} warm-up conversations were answered in time`,
      );
    }
    await waitAtMost(warmup.outcomes, POST_RESPONSE_WAIT_MS);
    await sleep(SETTLE_AFTER_FINALS_MS);
  } finally {
    warmup.abort();
  }
}

/** Waits until `count` more final messages (after `already`) arrived, showing progress; false at the deadline. */
async function waitForAnswers(
  label: string,
  connector: Helper<ConnectorCollection>,
  already: number,
  count: number,
  timeoutMs: number,
  context: PassContext,
): Promise<boolean> {
  const show = (): void =>
    context.progress(`${label}: ${connector.finalCount - already}/${count} answers complete`);
  const timer = setInterval(show, PROGRESS_INTERVAL_MS);
  try {
    return await connector.waitForFinals(already + count, timeoutMs);
  } finally {
    clearInterval(timer);
    show();
  }
}

/**
 * The load generator's own CPU (user + system, µs) for the pass's number of POSTs: the same generator sends
 * them from this process to the connector helper's server, which reads each body and answers 404 at once
 * (it records nothing for that path). The bot is stopped by then, so this process does little else. Sent all
 * at once whatever the ramp: the work per POST is the same, and the measurement stays short.
 */
export async function measureLoadGeneratorCpu(
  sinkUrl: string,
  parameters: BenchParameters,
  now: Now,
): Promise<number> {
  collectGarbage();
  const before = process.cpuUsage();
  const load = startLoad({
    botUrl: sinkUrl,
    serviceUrl: sinkUrl,
    firstIndex: 0,
    count: parameters.conversations,
    rampMs: 0,
    requestTimeoutMs: POST_RESPONSE_WAIT_MS,
    now,
  });
  try {
    await load.outcomes;
  } finally {
    load.abort();
  }
  const used = cpuDelta(before, process.cpuUsage());
  return used.user + used.system;
}

function collectGarbage(): void {
  // Only available with node --expose-gc (the npm script passes it); without it the baseline is noisier.
  if (typeof global.gc === 'function') global.gc();
}

/** The promise's value, or undefined after `ms` (the timer is cleared either way). */
export async function waitAtMost<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
