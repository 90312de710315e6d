import { strict as assert } from 'node:assert';
import { startResourceMonitor } from '../../bench';

function blockFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Busy-wait on purpose: the event loop must be stalled.
  }
}

describe('bench resource monitor', () => {
  it('records a stall that ends right before stop(), in the same turn of the event loop', async () => {
    const monitor = startResourceMonitor({ sampleIntervalMs: 50, eventLoopResolutionMs: 10 });
    // The histogram's own timer has had no chance to run between the stall and stop().
    const summary = await new Promise<Awaited<ReturnType<typeof monitor.stop>>>((resolve, reject) => {
      setTimeout(() => {
        blockFor(300);
        monitor.stop().then(resolve, reject);
      }, 20);
    });
    assert.ok(summary.eventLoopDelayMaxMs >= 250, `max ${summary.eventLoopDelayMaxMs} ms`);
  });

  it('takes the RSS baseline at start and the peak over the samples', async () => {
    const readings = [100, 300, 200];
    let next = 0;
    const monitor = startResourceMonitor({
      sampleIntervalMs: 5,
      readRss: () => readings[Math.min(next++, 2)],
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const summary = await monitor.stop();
    assert.equal(summary.baselineRssBytes, 100);
    assert.equal(summary.peakRssBytes, 300);
    assert.ok(summary.rssSamples >= 3);
  });
});
