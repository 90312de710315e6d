import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Memory and event-loop figures of this process over one measured period. */
export interface ResourceSummary {
  /** RSS when the monitor started. */
  baselineRssBytes: number;
  /** Highest RSS sampled (every `sampleIntervalMs`, and once more at stop). */
  peakRssBytes: number;
  rssSamples: number;
  sampleIntervalMs: number;
  /** How often the event-loop histogram sampled. */
  eventLoopResolutionMs: number;
  /**
   * Event-loop delay percentiles: how late a timer due every `eventLoopResolutionMs` ran. Node's histogram
   * records the whole interval between its timer's runs (an idle loop shows about the resolution itself), so
   * the resolution is subtracted; `eventLoopIntervalP99Ms` keeps the raw figure.
   */
  eventLoopDelayP50Ms: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  eventLoopIntervalP99Ms: number;
}

/** A started monitor; `stop` ends sampling and returns the summary. */
export interface ResourceMonitor {
  stop(): Promise<ResourceSummary>;
}

/** Options; the defaults are the benchmark's. */
export interface ResourceMonitorOptions {
  sampleIntervalMs?: number;
  eventLoopResolutionMs?: number;
  readRss?: () => number;
}

const NS_PER_MS = 1e6;

/** Starts sampling RSS and recording event-loop delay in this process. */
export function startResourceMonitor(options: ResourceMonitorOptions = {}): ResourceMonitor {
  const sampleIntervalMs = options.sampleIntervalMs ?? 50;
  const eventLoopResolutionMs = options.eventLoopResolutionMs ?? 10;
  const readRss = options.readRss ?? (() => process.memoryUsage.rss());
  const baselineRssBytes = readRss();
  let peakRssBytes = baselineRssBytes;
  let rssSamples = 1;
  const sample = (): void => {
    peakRssBytes = Math.max(peakRssBytes, readRss());
    rssSamples += 1;
  };
  const timer = setInterval(sample, sampleIntervalMs);
  // A run that fails before stop() must still be able to exit.
  timer.unref();
  const histogram = monitorEventLoopDelay({ resolution: eventLoopResolutionMs });
  histogram.enable();

  return {
    async stop(): Promise<ResourceSummary> {
      clearInterval(timer);
      // A stall that ends just before stop() is recorded by the histogram's own timer only when that timer
      // runs; the caller's timer may run first in the same turn of the loop. Give it two periods.
      await new Promise((resolve) => setTimeout(resolve, 2 * eventLoopResolutionMs));
      histogram.disable();
      sample();
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
