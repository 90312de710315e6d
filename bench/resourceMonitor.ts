import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { WorkerLoopDelay } from './workerLoopDelay';

/**
 * Memory and event-loop figures of the bot over one measured period: of this process for the in-process
 * passes; for the cluster pass, RSS summed over the primary and its workers and the worst worker's event loop.
 */
export interface ResourceSummary {
  /** RSS when the monitor started. */
  baselineRssBytes: number;
  /** Highest RSS sampled (every `sampleIntervalMs`, and once more at stop). */
  peakRssBytes: number;
  rssSamples: number;
  sampleIntervalMs: number;
  /** How often the event-loop histogram sampled; absent when the event loop was not measured. */
  eventLoopResolutionMs?: number;
  /**
   * Event-loop delay percentiles: how late a timer due every `eventLoopResolutionMs` ran. Node's histogram
   * records the whole interval between its timer's runs (an idle loop shows about the resolution itself), so
   * the resolution is subtracted; `eventLoopIntervalP99Ms` keeps the raw figure. Absent (n/a in the report)
   * when not measured: in the cluster pass when a worker's probe did not report.
   */
  eventLoopDelayP50Ms?: number;
  eventLoopDelayP99Ms?: number;
  eventLoopDelayMaxMs?: number;
  eventLoopIntervalP99Ms?: number;
  /** Cluster pass: the pids whose RSS was summed (the primary first, then its workers). */
  pids?: number[];
  /** Cluster pass: each worker's own event-loop figures; the ones above are the worst worker's. */
  workerEventLoops?: WorkerLoopDelay[];
}

/** What the in-process monitor always measures: the event loop too. */
export type MonitoredResources = ResourceSummary &
  Required<
    Pick<
      ResourceSummary,
      | 'eventLoopResolutionMs'
      | 'eventLoopDelayP50Ms'
      | 'eventLoopDelayP99Ms'
      | 'eventLoopDelayMaxMs'
      | 'eventLoopIntervalP99Ms'
    >
  >;

/** A started monitor; `stop` ends sampling and returns the summary. */
export interface ResourceMonitor {
  stop(): Promise<MonitoredResources>;
}

/** Options; the defaults are the benchmark's. */
export interface ResourceMonitorOptions {
  sampleIntervalMs?: number;
  eventLoopResolutionMs?: number;
  readRss?: () => number;
}

const NS_PER_MS = 1e6;

/** The RSS a sampler saw: where it started, its peak, and how many samples it took. */
export interface RssPeak {
  baselineRssBytes: number;
  peakRssBytes: number;
  rssSamples: number;
}

/** A running RSS sampler; `stop` takes a last sample and reports what it saw. */
export interface RssSampler {
  stop(): RssPeak;
}

/**
 * Samples `readRss` now and every `intervalMs` (unref'd: a run that fails before stop() must still be able to
 * exit), keeping the peak. Used for this process and for the cluster's summed processes.
 */
export function startRssSampler(readRss: () => number, intervalMs: number): RssSampler {
  const baselineRssBytes = readRss();
  let peakRssBytes = baselineRssBytes;
  let rssSamples = 1;
  const sample = (): void => {
    peakRssBytes = Math.max(peakRssBytes, readRss());
    rssSamples += 1;
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { baselineRssBytes, peakRssBytes, rssSamples };
    },
  };
}

/** Starts sampling RSS and recording event-loop delay in this process. */
export function startResourceMonitor(options: ResourceMonitorOptions = {}): ResourceMonitor {
  const sampleIntervalMs = options.sampleIntervalMs ?? 50;
  const eventLoopResolutionMs = options.eventLoopResolutionMs ?? 10;
  const rss = startRssSampler(options.readRss ?? (() => process.memoryUsage.rss()), sampleIntervalMs);
  const histogram = monitorEventLoopDelay({ resolution: eventLoopResolutionMs });
  histogram.enable();

  return {
    async stop(): Promise<MonitoredResources> {
      // A stall that ends just before stop() is recorded by the histogram's own timer only when that timer
      // runs; the caller's timer may run first in the same turn of the loop. Give it two periods.
      await new Promise((resolve) => setTimeout(resolve, 2 * eventLoopResolutionMs));
      histogram.disable();
      const { baselineRssBytes, peakRssBytes, rssSamples } = rss.stop();
      const delay = (nanoseconds: number): number =>
        Math.max(0, nanoseconds / NS_PER_MS - eventLoopResolutionMs);
      return {
        baselineRssBytes,
        peakRssBytes,
        rssSamples,
        sampleIntervalMs,
        eventLoopResolutionMs,
        eventLoopDelayP50Ms: delay(histogram.percentile(50)),
        eventLoopDelayP99Ms: delay(histogram.percentile(99)),
        eventLoopDelayMaxMs: delay(histogram.max),
        eventLoopIntervalP99Ms: histogram.percentile(99) / NS_PER_MS,
      };
    },
  };
}
