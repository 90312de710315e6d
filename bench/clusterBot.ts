/**
 * The `teams-streamer-cluster` pass's bot: the production multi-process mode, started as production starts it
 * (`node build/src/index.js` with BOT_PROCESSES) in a child process, with the same settings as the in-process
 * passes (LOG_LEVEL warn, so unhandled rejections are counted from the workers' log lines). It is ready once
 * every worker has answered GET /healthz with its pid. Measuring reads /proc: CPU (utime + stime) of the
 * primary and everything below it, RSS summed over them every 50 ms, and each worker's event-loop delay through
 * the opt-in probe (loopDelayProbe.ts) preloaded with NODE_OPTIONS.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseLogRecord } from '../dev/runner/logLineFormat';
import { startManagedChild, type ManagedChild } from '../dev/runner/managedChild';
import { BenchmarkError } from './benchmarkError';
import { benchBotEnv, type BotSettings, type BotUnderTest, type MeasurementWindow } from './botUnderTest';
import { cpuBetween } from './procStat';
import { clockTicksPerSecond, listProcessTree, readProcStats, readRssBytes } from './processTree';
import { startRssSampler, type ResourceSummary } from './resourceMonitor';
import { sleep } from './time';
import {
  LOOP_DELAY_DIR_ENV,
  parseWorkerLoopDelay,
  probeFileName,
  worstWorkerLoopDelay,
  type WorkerLoopDelay,
} from './workerLoopDelay';

/** Options of {@link startClusterBot}. */
export interface ClusterBotSettings extends BotSettings {
  /** BOT_PROCESSES: worker processes sharing the port (1: the bot alone, no cluster primary). */
  processes: number;
  /** How long the start (every worker answering) may take; default 90 s. */
  startTimeoutMs?: number;
}

const DEFAULT_START_TIMEOUT_MS = 90_000;
const RSS_SAMPLE_INTERVAL_MS = 50;
/** How long the probe in each worker may take to acknowledge a start or write its report. */
const PROBE_REPLY_TIMEOUT_MS = 10_000;
/** After SIGTERM, the primary forwards it and each worker drains its turns (10 s at most) before it exits. */
const STOP_GRACE_MS = 20_000;
/** Lines of the bot's output kept for an error message. */
const OUTPUT_LINES_KEPT = 50;
const UNHANDLED_REJECTION_MESSAGE = 'unhandled promise rejection';

/** A port that was free on 127.0.0.1 a moment ago (the OS's pick for port 0). */
export async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new BenchmarkError('no free port on 127.0.0.1');
  return address.port;
}

/**
 * Starts the cluster and waits until each of its `processes` workers answered GET /healthz (so all listen
 * before any load).
 * @throws BenchmarkError with the bot's last output lines when it does not get there in time or exits.
 */
export async function startClusterBot(settings: ClusterBotSettings): Promise<BotUnderTest> {
  const entry = path.join(settings.repoRoot, 'build', 'src', 'index.js');
  if (!existsSync(entry)) throw new BenchmarkError(`${entry} does not exist; run npm run build first`);
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const probe = path.join(__dirname, 'loopDelayProbe.js');
  const probeDir = mkdtempSync(path.join(os.tmpdir(), 'bench-loop-delay-'));
  const output: string[] = [];
  let rejections = 0;
  // Only the bot's own settings, as in the in-process passes (nothing inherited from this shell).
  const env: Record<string, string> = {
    ...benchBotEnv(settings, port),
    LOG_LEVEL: 'warn',
    BOT_PROCESSES: String(settings.processes),
    ...(existsSync(probe)
      ? { NODE_OPTIONS: `--require ${JSON.stringify(probe)}`, [LOOP_DELAY_DIR_ENV]: probeDir }
      : {}),
  };
  const child = startManagedChild({
    name: 'bot cluster',
    command: process.execPath,
    args: [entry],
    cwd: settings.repoRoot,
    env,
    onLine: (line) => {
      output.push(line);
      if (output.length > OUTPUT_LINES_KEPT) output.shift();
      if (parseLogRecord(line)?.msg === UNHANDLED_REJECTION_MESSAGE) rejections += 1;
    },
  });
  const removeProbeDir = (): void => rmSync(probeDir, { recursive: true, force: true });
  let servers: number[];
  try {
    servers = await waitForServers(url, child, settings.processes, settings.startTimeoutMs);
  } catch (error) {
    await child.stop({ graceMs: STOP_GRACE_MS });
    removeProbeDir();
    const reason = error instanceof Error ? error.message : String(error);
    throw new BenchmarkError(`the bot cluster did not start: ${reason}\n${output.join('\n')}`, {
      cause: error,
    });
  }
  const primaryPid = child.pid ?? 0;
  const tree = listProcessTree(primaryPid);
  const strangers = servers.filter((pid) => !tree.includes(pid));
  if (strangers.length > 0) {
    await child.stop({ graceMs: STOP_GRACE_MS });
    removeProbeDir();
    throw new BenchmarkError(
      `pids ${strangers.join(', ')} answered on ${url} but are not the bot's processes`,
    );
  }
  const ticksPerSecond = clockTicksPerSecond();
  return {
    url,
    inThisProcess: false,
    cluster: {
      processes: settings.processes,
      primaryPid,
      workerPids: servers.filter((pid) => pid !== primaryPid),
    },
    startMeasuring: () => startWindow(primaryPid, servers, probeDir, existsSync(probe), ticksPerSecond),
    unhandledRejections: () => rejections,
    stop: async () => {
      await child.stop({ graceMs: STOP_GRACE_MS });
      removeProbeDir();
    },
  };
}

/**
 * Polls GET /healthz, each time on a new connection (the primary hands connections to its workers in turn),
 * until `processes` distinct pids answered. With one process the bot answers itself.
 */
async function waitForServers(
  url: string,
  child: ManagedChild,
  processes: number,
  timeoutMs = DEFAULT_START_TIMEOUT_MS,
): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Set<number>();
  let lastProblem = 'no answer yet';
  while (seen.size < processes) {
    const exit = child.exit();
    if (exit) throw new Error(`it exited (code ${exit.code}, signal ${exit.signal})`);
    if (Date.now() > deadline) {
      throw new Error(
        `${seen.size} of ${processes} processes answered ${url}/healthz within ${timeoutMs} ms (last: ${lastProblem})`,
      );
    }
    try {
      const pid = await healthPid(`${url}/healthz`);
      if (pid !== undefined && (processes === 1 || pid !== child.pid)) seen.add(pid);
      if (pid === undefined) lastProblem = 'an answer without a pid';
      // Until every worker listens, the same one answers again and again: no need to hurry it.
      if (seen.size < processes) await sleep(50);
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
      await sleep(200);
    }
  }
  return [...seen].sort((a, b) => a - b);
}

/** GET /healthz on a connection of its own; the pid it reports, undefined for another answer. */
function healthPid(url: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, timeout: 2000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { pid?: unknown };
          resolve(response.statusCode === 200 && typeof body.pid === 'number' ? body.pid : undefined);
        } catch {
          resolve(undefined);
        }
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('no answer within 2000 ms')));
    request.on('error', reject);
  });
}

/** Starts measuring the load window: CPU and RSS of the process tree, the probe in each serving process. */
async function startWindow(
  primaryPid: number,
  servers: readonly number[],
  probeDir: string,
  probeLoaded: boolean,
  ticksPerSecond: number,
): Promise<MeasurementWindow> {
  const pids = listProcessTree(primaryPid);
  const probed = probeLoaded ? await signalProbes(servers, probeDir, 'started') : [];
  const cpuBefore = readProcStats(pids);
  const rss = startRssSampler(
    () => pids.reduce((sum, pid) => sum + readRssBytes(pid), 0),
    RSS_SAMPLE_INTERVAL_MS,
  );
  return {
    stop: async () => {
      const cpu = cpuBetween(cpuBefore, readProcStats(pids), ticksPerSecond);
      const { baselineRssBytes, peakRssBytes, rssSamples } = rss.stop();
      const reported = probed.length > 0 ? await signalProbes(probed, probeDir, 'report') : [];
      const loops = reported.flatMap((pid) => {
        const report = parseWorkerLoopDelay(
          readFileSync(path.join(probeDir, probeFileName(pid, 'report')), 'utf8'),
        );
        return report ? [report] : [];
      });
      return { cpu, resources: summary(pids, baselineRssBytes, peakRssBytes, rssSamples, loops, servers) };
    },
  };
}

function summary(
  pids: number[],
  baselineRssBytes: number,
  peakRssBytes: number,
  rssSamples: number,
  loops: WorkerLoopDelay[],
  servers: readonly number[],
): ResourceSummary {
  const resources: ResourceSummary = {
    baselineRssBytes,
    peakRssBytes,
    rssSamples,
    sampleIntervalMs: RSS_SAMPLE_INTERVAL_MS,
    pids,
    workerEventLoops: loops,
  };
  // The worst worker's figures, only when every serving process reported: a silent one could be the worst.
  const worst = loops.length === servers.length ? worstWorkerLoopDelay(loops) : undefined;
  if (worst) {
    resources.eventLoopResolutionMs = worst.resolutionMs;
    resources.eventLoopDelayP50Ms = worst.p50Ms;
    resources.eventLoopDelayP99Ms = worst.p99Ms;
    resources.eventLoopDelayMaxMs = worst.maxMs;
    resources.eventLoopIntervalP99Ms = worst.intervalP99Ms;
  }
  return resources;
}

/**
 * Sends SIGUSR2 to each process's probe and waits for its file (`started` or `report`); returns the pids whose
 * file appeared in time. Old files of that kind are removed first.
 */
async function signalProbes(
  pids: readonly number[],
  probeDir: string,
  kind: 'started' | 'report',
): Promise<number[]> {
  const fileOf = (pid: number): string => path.join(probeDir, probeFileName(pid, kind));
  for (const pid of pids) rmSync(fileOf(pid), { force: true });
  const signalled = pids.filter((pid) => {
    try {
      process.kill(pid, 'SIGUSR2');
      return true;
    } catch {
      return false;
    }
  });
  const deadline = Date.now() + PROBE_REPLY_TIMEOUT_MS;
  while (Date.now() < deadline && !signalled.every((pid) => existsSync(fileOf(pid)))) await sleep(20);
  return signalled.filter((pid) => existsSync(fileOf(pid)));
}
