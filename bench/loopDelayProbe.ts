/**
 * The cluster pass's opt-in event-loop probe. The benchmark preloads it into the bot's processes
 * (NODE_OPTIONS=--require build/bench/loopDelayProbe.js, inherited by the cluster's workers); nothing in src/
 * knows of it, and without BENCH_LOOP_DELAY_DIR it does nothing. With it, each process answers SIGUSR2: the
 * first signal resets and starts an event-loop delay histogram (`monitorEventLoopDelay`, 10 ms resolution, as
 * the in-process monitor) and writes `<pid>.started`; the second stops it and writes `<pid>.json` (a
 * WorkerLoopDelay) into that folder. Its cost is the histogram's timer, as in the in-process passes. It reads
 * process.env itself because it runs before the bot's own entry point.
 */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LOOP_DELAY_DIR_ENV, probeFileName, type WorkerLoopDelay } from './workerLoopDelay';

const RESOLUTION_MS = 10;
const NS_PER_MS = 1e6;

function install(dir: string): void {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  let measuring = false;
  const write = (name: string, text: string): void => {
    // Written whole, then renamed, so the benchmark never reads half a file.
    const file = path.join(dir, name);
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  };
  process.on('SIGUSR2', () => {
    if (!measuring) {
      histogram.reset();
      histogram.enable();
      measuring = true;
      write(probeFileName(process.pid, 'started'), '');
      return;
    }
    histogram.disable();
    measuring = false;
    const delay = (nanoseconds: number): number => Math.max(0, nanoseconds / NS_PER_MS - RESOLUTION_MS);
    const report: WorkerLoopDelay = {
      pid: process.pid,
      resolutionMs: RESOLUTION_MS,
      p50Ms: delay(histogram.percentile(50)),
      p99Ms: delay(histogram.percentile(99)),
      maxMs: delay(histogram.max),
      intervalP99Ms: histogram.percentile(99) / NS_PER_MS,
    };
    write(probeFileName(process.pid, 'report'), JSON.stringify(report));
  });
}

const probeDir = process.env[LOOP_DELAY_DIR_ENV];
if (probeDir) install(probeDir);
