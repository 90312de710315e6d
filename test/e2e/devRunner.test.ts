/**
 * `npm run dev` as a user runs it: `node build/dev/runner/devRunner.js` in its own process group (like a
 * terminal's foreground job) with the real bot and the real Agents Playground.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { offlineBotEnv } from './botProcess';
import { freePort, processExists, startDevRunner, type DevRunnerProcess } from './devRunnerProcess';

const READY_TIMEOUT_MS = 60_000;

describe('e2e: npm run dev (bot + Agents Playground)', function () {
  this.timeout(120_000);

  let dataDir: string;
  let runner: DevRunnerProcess | undefined;
  let botPort: number;
  let playgroundPort: number;

  beforeEach(async function () {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'dev-runner-e2e-'));
    botPort = await freePort();
    playgroundPort = await freePort();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && runner)
      console.error(`--- dev runner output ---\n${runner.output()}`);
    await runner?.cleanUp();
    runner = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const devEnv = (): NodeJS.ProcessEnv => ({
    ...offlineBotEnv(dataDir, botPort),
    AGENTS_PLAYGROUND_PORT: String(playgroundPort),
  });

  /** Starts the runner and waits for its ready block; returns the children's pids. */
  async function startAndWaitUntilReady(): Promise<{
    runner: DevRunnerProcess;
    bot: number;
    playground: number;
  }> {
    runner = startDevRunner(devEnv());
    await runner.waitForLine(new RegExp(`http://localhost:${playgroundPort}\\b`), READY_TIMEOUT_MS);
    await runner.waitForLine(/Ctrl\+C/, 5_000);
    const pids = runner.childPids();
    assert.ok(pids, `the runner printed its children's pids:\n${runner.output()}`);
    return { runner, ...pids };
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`prints where to open the playground, serves both ports, and stops both children on ${signal} (exit 0)`, async function () {
      const { runner, bot, playground } = await startAndWaitUntilReady();

      const ready = runner.output();
      assert.match(ready, /Open the Agents Playground: +http:\/\/localhost:\d+/);
      assert.match(ready, /Model: +.*offline model/, 'the ready block relays the model the bot logged');
      assert.match(ready, /Ctrl\+C/);
      assert.ok(
        runner.lines.some((line) => line.text.startsWith('[bot] ')),
        'bot lines are prefixed',
      );
      assert.ok(
        runner.lines.some((line) => line.text.startsWith('[playground] ')),
        'playground lines are prefixed',
      );
      const health = await fetch(`http://127.0.0.1:${botPort}/healthz`);
      assert.equal(health.status, 200);
      const ping = await fetch(`http://127.0.0.1:${playgroundPort}/_debug/ping`);
      assert.equal((await ping.text()).trim(), 'pong');

      runner.signal(signal);
      const exit = await runner.exited;

      assert.deepEqual(exit, { code: 0, signal: null }, runner.output());
      assert.equal(processExists(bot), false, 'the bot is gone');
      assert.equal(processExists(playground), false, 'the playground is gone');
      await assertPortIsFree(botPort);
      await assertPortIsFree(playgroundPort);
    });
  }

  it('when the bot dies, stops the playground and exits 1 with a one-line reason', async function () {
    const { runner, bot, playground } = await startAndWaitUntilReady();

    process.kill(bot, 'SIGKILL');
    const exit = await runner.exited;

    assert.equal(exit.code, 1, runner.output());
    const reasons = runner.lines.filter((line) => line.stream === 'stderr' && line.text.startsWith('[dev]'));
    assert.deepEqual(
      reasons.map((line) => line.text),
      ['[dev] the bot exited (killed by SIGKILL); stopping everything'],
    );
    assert.equal(processExists(playground), false, 'the playground is gone');
  });

  for (const [setting, port] of [
    ['PORT', () => botPort],
    ['AGENTS_PLAYGROUND_PORT', () => playgroundPort],
  ] as const) {
    it(`refuses to start when ${setting}'s port is taken, in one line naming the port and ${setting}`, async function () {
      const blocker = net.createServer();
      await new Promise<void>((resolve) => blocker.listen(port(), '127.0.0.1', resolve));
      try {
        runner = startDevRunner(devEnv());
        const exit = await runner.exited;

        assert.equal(exit.code, 1, runner.output());
        assert.deepEqual(
          runner.lines.map((line) => `${line.stream}: ${line.text}`),
          [`stderr: [dev] ${setting}: port ${port()} is already in use; set ${setting} to a free port`],
        );
      } finally {
        await new Promise<void>((resolve) => blocker.close(() => resolve()));
      }
    });
  }

  it('refuses a port that is not a number, naming the variable', async function () {
    runner = startDevRunner({ ...devEnv(), AGENTS_PLAYGROUND_PORT: 'sixty' });
    const exit = await runner.exited;

    assert.equal(exit.code, 1);
    assert.deepEqual(
      runner.lines.map((line) => line.text),
      ['[dev] AGENTS_PLAYGROUND_PORT: must be a port number between 1 and 65535, got "sixty"'],
    );
  });
});

async function assertPortIsFree(port: number): Promise<void> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
