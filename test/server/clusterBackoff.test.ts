import { strict as assert } from 'node:assert';
import { restartBackoff, RESTART_MAX_DELAY_MS, RESTART_RESET_AFTER_MS } from '../../src/server';

describe('restartBackoff (a crashed cluster worker)', () => {
  it('waits 1 s after a first crash, doubling with each crash in a row up to 30 s', () => {
    let crashes = 0;
    const delays: number[] = [];
    for (let crash = 0; crash < 8; crash += 1) {
      const backoff = restartBackoff(crashes, 500);
      crashes = backoff.crashes;
      delays.push(backoff.delayMs);
    }
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    assert.equal(Math.max(...delays), RESTART_MAX_DELAY_MS);
  });

  it('starts over after a worker ran for a minute', () => {
    assert.deepEqual(restartBackoff(5, RESTART_RESET_AFTER_MS), { crashes: 1, delayMs: 1000 });
    assert.deepEqual(restartBackoff(5, RESTART_RESET_AFTER_MS - 1), { crashes: 6, delayMs: 30000 });
  });
});
