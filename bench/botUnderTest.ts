/**
 * The bot a pass measures, whichever way it runs: in this process (`startBotService` with a chosen streamer)
 * or as the production cluster in child processes (clusterBot.ts). A pass warms it up through `url`, measures
 * the load window with `startMeasuring`, and stops it.
 */
import path from 'node:path';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/shared/logging';
import { startBotService } from '../src/server';
import type { CpuTime } from './cpuUsage';
import { cpuDelta } from './cpuUsage';
import type { StreamImplementation } from './parameters';
import { startResourceMonitor, type ResourceSummary } from './resourceMonitor';

/** What the load window measured. */
export interface WindowFigures {
  /** The bot's CPU over the window (read first, when `stop` is called). */
  cpu: CpuTime;
  resources: ResourceSummary;
}

/** A running measurement of the load window. */
export interface MeasurementWindow {
  stop(): Promise<WindowFigures>;
}

/** A started bot. */
export interface BotUnderTest {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /**
   * True when the bot runs in this process: its CPU then includes the load generator's, which the pass
   * measures separately and subtracts.
   */
  readonly inThisProcess: boolean;
  /** The cluster pass: its processes. */
  readonly cluster?: { processes: number; primaryPid: number; workerPids: number[] };
  /** Starts measuring CPU, RSS and the event loop; resolves once measuring has begun. */
  startMeasuring(): Promise<MeasurementWindow>;
  /** Unhandled promise rejections in the bot so far. */
  unhandledRejections(): number;
  stop(): Promise<void>;
}

/** How to start a bot, whichever way. */
export interface BotSettings {
  repoRoot: string;
  dataDir: string;
  modelUrl: string;
}

/** The bot's settings for the benchmark, the same for every pass kind. */
export function benchBotEnv(settings: BotSettings, port: number): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: settings.dataDir,
    KNOWLEDGE_DIR: path.join(settings.repoRoot, 'knowledge'),
    OPENAI_BASE_URL: settings.modelUrl,
    OPENAI_MODEL: 'bench-model',
    LOG_LEVEL: 'silent',
    // The benchmark measures streaming: every conversation is answered, none gets the busy reply.
    MAX_ANSWERS_IN_PROGRESS: '100000',
  };
}

/**
 * Starts the bot in this process with the chosen streamer. Measuring: `process.cpuUsage()` and this
 * process's RSS and event-loop delay (resourceMonitor.ts); rejections: the run's own count.
 */
export async function startInProcessBot(
  implementation: StreamImplementation,
  settings: BotSettings,
  unhandledRejections: () => number,
): Promise<BotUnderTest> {
  const service = await startBotService(loadConfig(benchBotEnv(settings, 0)), {
    logger: createLogger('silent'),
    streamImplementation: implementation,
  });
  return {
    url: service.url,
    inThisProcess: true,
    startMeasuring: () => {
      const monitor = startResourceMonitor();
      const before = process.cpuUsage();
      return Promise.resolve({
        stop: async () => {
          const cpu = cpuDelta(before, process.cpuUsage());
          return { cpu, resources: await monitor.stop() };
        },
      });
    },
    unhandledRejections,
    stop: () => service.close(),
  };
}
