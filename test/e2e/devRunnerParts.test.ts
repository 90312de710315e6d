/** The dev runner's building blocks, each on its own (no bot, no playground). */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Clock } from '../../src/shared/time';
import { DevRunnerError } from '../../dev/runner/devRunnerError';
import { readDevSettings } from '../../dev/runner/devSettings';
import { formatLogLine, modelNamedIn } from '../../dev/runner/logLineFormat';
import { loopbackListenArgs } from '../../dev/runner/loopbackListenArgs';
import { startManagedChild } from '../../dev/runner/managedChild';
import { parseListeningPort, playgroundCommand } from '../../dev/runner/playgroundCommand';
import { ensurePortIsFree } from '../../dev/runner/portAvailability';
import { waitForHttp } from '../../dev/runner/waitForHttp';
import { ConfigError } from '../../src/shared/errors';
import { waitUntil } from '../support/waitFor';
import { processIsRunning } from './devRunnerProcess';

const run = promisify(execFile);
const DEVTOOLS_BUILD = path.resolve(__dirname, '../../dev/runner');

describe('dev runner parts', function () {
  describe('readDevSettings', function () {
    it('defaults to the bot on 127.0.0.1:3978 and the playground on 56150', function () {
      assert.deepEqual(readDevSettings({}), { botPort: 3978, botHost: '127.0.0.1', playgroundPort: 56150 });
    });

    it('reads PORT, HOST and AGENTS_PLAYGROUND_PORT', function () {
      assert.deepEqual(
        readDevSettings({ PORT: '4000', HOST: '0.0.0.0', AGENTS_PLAYGROUND_PORT: ' 57000 ' }),
        {
          botPort: 4000,
          botHost: '0.0.0.0',
          playgroundPort: 57000,
        },
      );
    });

    for (const bad of ['0', '65536', '12ab', '-1', '3978.5']) {
      it(`refuses PORT=${bad} with a ConfigError naming PORT`, function () {
        assert.throws(
          () => readDevSettings({ PORT: bad }),
          (error: unknown) =>
            error instanceof ConfigError && error.setting === 'PORT' && error.message.includes(`"${bad}"`),
        );
      });
    }
  });

  describe('ensurePortIsFree', function () {
    it('passes for a free port and names the setting when the port is taken', async function () {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as net.AddressInfo).port;
      try {
        await assert.rejects(ensurePortIsFree(port, '127.0.0.1', 'AGENTS_PLAYGROUND_PORT'), {
          name: 'ConfigError',
          message: `AGENTS_PLAYGROUND_PORT: port ${port} is already in use; set AGENTS_PLAYGROUND_PORT to a free port`,
        });
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await ensurePortIsFree(port, '127.0.0.1', 'PORT');
    });
  });

  describe('formatLogLine', function () {
    it('turns a pino JSON line into level, message and fields', function () {
      const line = JSON.stringify({
        level: 30,
        time: 1,
        service: 'x',
        msg: 'knowledge base loaded',
        documents: 8,
        folder: '/tmp/knowledge base',
      });
      assert.deepEqual(formatLogLine(line), [
        'INFO  knowledge base loaded documents=8 folder="/tmp/knowledge base"',
      ]);
    });

    it('shows an error with its stack at ERROR level and above', function () {
      const line = JSON.stringify({
        level: 60,
        msg: 'the bot could not start',
        err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at start (a.js:1:1)' },
      });
      assert.deepEqual(formatLogLine(line), [
        'FATAL the bot could not start err=Error: boom',
        '    at start (a.js:1:1)',
      ]);
    });

    it('leaves any other line as it is', function () {
      assert.deepEqual(formatLogLine('(node:1) DeprecationWarning: x'), ['(node:1) DeprecationWarning: x']);
      assert.deepEqual(formatLogLine('{not json'), ['{not json']);
    });

    it('finds the model the bot names in its startup line', function () {
      assert.equal(
        modelNamedIn(JSON.stringify({ level: 30, msg: 'listening', model: 'OpenAI, model gpt-4o' })),
        'OpenAI, model gpt-4o',
      );
      assert.equal(modelNamedIn(JSON.stringify({ level: 30, msg: 'other' })), undefined);
      assert.equal(modelNamedIn('model: x'), undefined);
    });
  });

  describe('loopbackListenArgs', function () {
    const callback = (): void => undefined;

    it('adds 127.0.0.1 when listen is given no host', function () {
      assert.deepEqual(loopbackListenArgs([3978]), [3978, '127.0.0.1']);
      assert.deepEqual(loopbackListenArgs([0, callback]), [0, '127.0.0.1', callback]);
      assert.deepEqual(loopbackListenArgs([{ port: 5 }, callback]), [
        { port: 5, host: '127.0.0.1' },
        callback,
      ]);
    });

    it('replaces wildcard hosts and keeps specific ones', function () {
      assert.deepEqual(loopbackListenArgs([80, '0.0.0.0', callback]), [80, '127.0.0.1', callback]);
      assert.deepEqual(loopbackListenArgs([80, '::']), [80, '127.0.0.1']);
      assert.deepEqual(loopbackListenArgs([80, '10.1.2.3']), [80, '10.1.2.3']);
      assert.deepEqual(loopbackListenArgs([{ path: '/tmp/socket' }]), [{ path: '/tmp/socket' }]);
    });

    it('as a preload, keeps a program that listens on all interfaces on loopback', async function () {
      const program =
        "const s=require('http').createServer();s.listen(0,()=>{console.log(s.address().address);s.close()})";
      const { stdout } = await run(process.execPath, [
        '--require',
        path.join(DEVTOOLS_BUILD, 'loopbackOnly.js'),
        '-e',
        program,
      ]);
      assert.equal(stdout.trim(), '127.0.0.1');
    });
  });

  describe('playgroundCommand', function () {
    it('runs the playground CLI offline, as Teams, on the given port, loopback only', function () {
      const command = playgroundCommand({
        appEndpoint: 'http://127.0.0.1:3978/api/messages',
        port: 56150,
        logFile: '/tmp/pg.log',
        baseEnv: { KEEP: 'me' },
      });
      assert.equal(command.command, process.execPath);
      assert.deepEqual(command.args.slice(0, 2), ['--require', path.join(DEVTOOLS_BUILD, 'loopbackOnly.js')]);
      assert.match(command.args[2] ?? '', /@microsoft[/\\]m365agentsplayground[/\\]cli\.js$/);
      assert.deepEqual(command.args.slice(3), [
        'start',
        '--app-endpoint',
        'http://127.0.0.1:3978/api/messages',
        '--channel-id',
        'msteams',
        '--port',
        '56150',
        '--disable-telemetry',
      ]);
      assert.deepEqual(command.env, {
        KEEP: 'me',
        TEAMSAPPTESTER_BROWSER: 'none',
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        M365_AGENTS_PLAYGROUND_LOGFILE: '/tmp/pg.log',
      });
    });

    it('reads the port from the "Listening on" line only', function () {
      assert.equal(parseListeningPort('Listening on 56150'), 56150);
      assert.equal(
        parseListeningPort('Port 56150 is already in use. Finding an available port...'),
        undefined,
      );
    });
  });

  describe('waitForHttp', function () {
    let server: http.Server;
    let url: string;
    let answers: number[];

    beforeEach(async function () {
      answers = [];
      server = http.createServer((_request, response) => {
        const status = answers.shift() ?? 200;
        // Not chained: restify (loaded by other tests in this process) makes writeHead return undefined.
        response.writeHead(status);
        response.end(status === 200 ? 'pong' : 'not yet');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/_debug/ping`;
    });

    afterEach(async function () {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    /** A clock whose sleep returns at once and moves time forward by the time slept. */
    function steppingClock(onSleep: () => void = () => undefined): Clock & { slept: number[] } {
      let now = 0;
      const slept: number[] = [];
      return {
        slept,
        now: () => now,
        sleep: (ms) => {
          slept.push(ms);
          now += ms;
          onSleep();
          return Promise.resolve();
        },
      };
    }

    it('retries until the answer is ready', async function () {
      answers = [503, 503];
      const clock = steppingClock();
      await waitForHttp(url, { timeoutMs: 10_000, intervalMs: 100, clock });
      assert.deepEqual(clock.slept, [100, 100]);
    });

    it('gives up after the timeout, naming the URL and the last answer', async function () {
      answers = Array<number>(100).fill(503);
      await assert.rejects(waitForHttp(url, { timeoutMs: 1000, intervalMs: 250, clock: steppingClock() }), {
        name: 'DevRunnerError',
        message: `${url} did not answer within 1000 ms (last: HTTP 503)`,
      });
    });

    it('reports a refused connection as the last problem', async function () {
      const closed = `http://127.0.0.1:${await closedPort()}/healthz`;
      await assert.rejects(waitForHttp(closed, { timeoutMs: 0, clock: steppingClock() }), {
        message: `${closed} did not answer within 0 ms (last: ECONNREFUSED)`,
      });
    });

    it('stops when its signal aborts', async function () {
      answers = Array<number>(100).fill(503);
      const controller = new AbortController();
      const clock = steppingClock(() => controller.abort());
      await assert.rejects(
        waitForHttp(url, { timeoutMs: 60_000, clock, signal: controller.signal }),
        (error: unknown) => error instanceof DevRunnerError && error.message === `stopped waiting for ${url}`,
      );
    });
  });

  describe('startManagedChild', function () {
    it('splits output into lines and reports the exit code', async function () {
      const lines: string[] = [];
      const child = startManagedChild({
        name: 'echo',
        command: process.execPath,
        args: ['-e', "process.stdout.write('one\\ntwo\\n'); console.error('three'); process.exit(3)"],
        env: process.env,
        onLine: (line, stream) => lines.push(`${stream}:${line}`),
      });
      const exit = await child.exited;
      assert.deepEqual(exit, { code: 3, signal: null });
      // Lines can still be in the pipes when 'exit' fires.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(lines.sort(), ['stderr:three', 'stdout:one', 'stdout:two']);
    });

    it('stop() kills the whole process group, escalating to SIGKILL when SIGTERM is ignored', async function () {
      this.timeout(10_000);
      // A parent that ignores SIGTERM and has started a grandchild that would otherwise outlive it.
      const program = [
        "process.on('SIGTERM', () => {});",
        "const g = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });",
        'console.log(g.pid);',
        'setInterval(() => {}, 1000);',
      ].join('\n');
      let grandchild: number | undefined;
      let onPrinted: () => void = () => undefined;
      const printed = new Promise<void>((resolve) => (onPrinted = resolve));
      const stubborn = startManagedChild({
        name: 'stubborn',
        command: process.execPath,
        args: ['-e', program],
        env: process.env,
        onLine: (line) => {
          grandchild = Number(line);
          onPrinted();
        },
      });
      await printed;

      const exit = await stubborn.stop({ graceMs: 300 });

      assert.deepEqual(exit, { code: null, signal: 'SIGKILL' });
      assert.ok(grandchild);
      // The grandchild is reaped by init, not by us: poll until it is gone.
      await waitUntil(() => !processIsRunning(grandchild!), 'the grandchild has exited', { timeoutMs: 2000 });
    });

    it('reports a command that cannot start as an exit with an error', async function () {
      const child = startManagedChild({
        name: 'missing',
        command: '/nonexistent/program',
        args: [],
        env: {},
      });
      const exit = await child.exited;
      assert.equal(exit.error?.code, 'ENOENT');
      assert.deepEqual(await child.stop(), exit);
    });
  });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
