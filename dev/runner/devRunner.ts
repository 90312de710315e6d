/**
 * `npm run dev`: starts the bot (`node build/src/index.js`) and the Agents Playground (a local Teams client,
 * offline) side by side, waits until both answer, prints where to open the playground, relays both outputs with
 * `[bot]` / `[playground]` prefixes, and stops both on Ctrl+C or SIGTERM. If either exits, the other is stopped
 * and the runner exits non-zero with a one-line reason.
 */
import path from 'node:path';
import { AppError } from '../../src/shared/errors';
import { systemClock, type Clock } from '../../src/shared/time';
import { readDevSettings, type DevSettings } from './devSettings';
import { formatLogLine, modelNamedIn } from './logLineFormat';
import { LOOPBACK_HOST } from './loopbackListenArgs';
import { startManagedChild, type ChildExit, type ManagedChild, type OutputStream } from './managedChild';
import { parseListeningPort, playgroundCommand } from './playgroundCommand';
import { ensurePortIsFree } from './portAvailability';
import { waitForHttp } from './waitForHttp';

/** How long the bot and the playground get to answer before the runner gives up. */
export const DEFAULT_READY_TIMEOUT_MS = 60_000;

/** Options of {@link runDevEnvironment}; everything has a default except the environment and the stop signal. */
export interface DevRunnerOptions {
  /** The environment; the bot inherits it. */
  env: NodeJS.ProcessEnv;
  /** Aborted when the user asks to stop (first Ctrl+C or SIGTERM): both children are stopped gracefully. */
  stopSignal: AbortSignal;
  /** Aborted when the user insists (second Ctrl+C): both children are killed at once. */
  forceSignal?: AbortSignal;
  /** Writes a line to stdout / stderr. */
  print?: (line: string) => void;
  printError?: (line: string) => void;
  /** The bot's entry script; defaults to build/src/index.js next to this file's build folder. */
  botEntry?: string;
  readyTimeoutMs?: number;
  clock?: Clock;
}

type Outcome =
  | { kind: 'ready' }
  | { kind: 'exited'; child: ManagedChild; exit: ChildExit }
  | { kind: 'stop' }
  | { kind: 'failed'; error: unknown };

/**
 * Runs the dev environment until the user stops it or a child exits.
 * @returns the process exit code: 0 after a requested stop, 1 when something failed (the reason is printed).
 */
export async function runDevEnvironment(options: DevRunnerOptions): Promise<number> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const printError = options.printError ?? ((line: string) => process.stderr.write(`${line}\n`));
  const settings = readDevSettings(options.env);
  await ensurePortIsFree(settings.botPort, settings.botHost, 'PORT');
  await ensurePortIsFree(settings.playgroundPort, LOOPBACK_HOST, 'AGENTS_PLAYGROUND_PORT');

  const botUrl = `http://${reachableHost(settings.botHost)}:${settings.botPort}`;
  const playgroundUrl = `http://localhost:${settings.playgroundPort}`;
  const playgroundLog = playgroundLogFile(options.env);
  let model: string | undefined;
  let playgroundListeningPort: number | undefined;

  const relay =
    (prefix: string, onLine?: (line: string) => void) =>
    (line: string, stream: OutputStream): void => {
      onLine?.(line);
      const write = stream === 'stderr' ? printError : print;
      for (const formatted of formatLogLine(line)) write(`${prefix} ${formatted}`);
    };

  const bot = startManagedChild({
    name: 'bot',
    command: process.execPath,
    args: [options.botEntry ?? path.resolve(__dirname, '../../src/index.js')],
    env: { ...options.env, PORT: String(settings.botPort), HOST: settings.botHost },
    onLine: relay('[bot]', (line) => {
      model = modelNamedIn(line) ?? model;
    }),
  });
  const playground = startManagedChild({
    name: 'Agents Playground',
    ...playgroundCommand({
      appEndpoint: `${botUrl}/api/messages`,
      port: settings.playgroundPort,
      logFile: playgroundLog,
      baseEnv: options.env,
    }),
    onLine: relay('[playground]', (line) => {
      playgroundListeningPort = parseListeningPort(line) ?? playgroundListeningPort;
    }),
  });
  print(
    `[dev] started the bot (pid ${bot.pid ?? '?'}) and the Agents Playground (pid ${playground.pid ?? '?'})`,
  );

  const onForce = (): void => {
    printError('[dev] killing the bot and the Agents Playground');
    bot.kill();
    playground.kill();
  };
  options.forceSignal?.addEventListener('abort', onForce, { once: true });
  const waiting = new AbortController();
  try {
    const exited = firstExit(bot, playground);
    const stopRequested = abortedPromise(options.stopSignal);
    const ready = waitUntilReady(settings, botUrl, {
      timeoutMs: options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
      signal: waiting.signal,
      clock: options.clock ?? systemClock,
    });
    const started = await Promise.race([ready, exited, stopRequested]);
    if (started.kind === 'ready' && playgroundListeningPort !== settings.playgroundPort) {
      // The playground silently moves to another port when its own is taken (a race with the check above).
      printError(
        `[dev] AGENTS_PLAYGROUND_PORT: port ${settings.playgroundPort} is already in use; set AGENTS_PLAYGROUND_PORT to a free port`,
      );
      return 1;
    }
    if (started.kind === 'ready') {
      printReadyBlock(print, { playgroundUrl, botUrl, model, playgroundLog });
    }
    const outcome = started.kind === 'ready' ? await Promise.race([exited, stopRequested]) : started;
    return reportOutcome(outcome, print, printError);
  } finally {
    waiting.abort();
    // The force listener stays until both are gone: a second Ctrl+C must be able to cut a slow stop short.
    await Promise.all([bot.stop(), playground.stop()]);
    options.forceSignal?.removeEventListener('abort', onForce);
    print('[dev] the bot and the Agents Playground are stopped');
  }
}

async function waitUntilReady(
  settings: DevSettings,
  botUrl: string,
  options: { timeoutMs: number; signal: AbortSignal; clock: Clock },
): Promise<Outcome> {
  try {
    await Promise.all([
      waitForHttp(`${botUrl}/healthz`, options),
      waitForHttp(`http://${LOOPBACK_HOST}:${settings.playgroundPort}/_debug/ping`, {
        ...options,
        isReady: (status, body) => status === 200 && body.trim() === 'pong',
      }),
    ]);
    return { kind: 'ready' };
  } catch (error) {
    return { kind: 'failed', error };
  }
}

function firstExit(...children: ManagedChild[]): Promise<Outcome> {
  return Promise.race(
    children.map((child) => child.exited.then((exit): Outcome => ({ kind: 'exited', child, exit }))),
  );
}

function abortedPromise(signal: AbortSignal): Promise<Outcome> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve({ kind: 'stop' });
    else signal.addEventListener('abort', () => resolve({ kind: 'stop' }), { once: true });
  });
}

function reportOutcome(
  outcome: Outcome,
  print: (line: string) => void,
  printError: (line: string) => void,
): number {
  switch (outcome.kind) {
    case 'stop':
    case 'ready':
      print('[dev] stopping the bot and the Agents Playground');
      return 0;
    case 'exited':
      printError(
        `[dev] the ${outcome.child.name} exited (${describeExit(outcome.exit)}); stopping everything`,
      );
      return 1;
    case 'failed':
      printError(`[dev] ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`);
      return 1;
  }
}

function describeExit(exit: ChildExit): string {
  if (exit.error) return `could not start: ${exit.error.message}`;
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exit code ${exit.code ?? '?'}`;
}

function printReadyBlock(
  print: (line: string) => void,
  info: { playgroundUrl: string; botUrl: string; model: string | undefined; playgroundLog: string },
): void {
  const rule = '='.repeat(72);
  print(rule);
  print(`  Open the Agents Playground:  ${info.playgroundUrl}`);
  print(`  Bot endpoint:                ${info.botUrl}/api/messages`);
  print(`  Model:                       ${info.model ?? 'see the [bot] startup lines above'}`);
  print(`  Playground log:              ${info.playgroundLog}`);
  print('  Stop:                        press Ctrl+C (stops the bot and the playground)');
  print(rule);
}

/** An address to reach a server listening on `host` from this machine. */
function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return LOOPBACK_HOST;
  return host.includes(':') ? `[${host}]` : host;
}

/** The playground writes its console to a file; by default next to the bot's data (a git-ignored folder). */
function playgroundLogFile(env: NodeJS.ProcessEnv): string {
  const configured = env.M365_AGENTS_PLAYGROUND_LOGFILE?.trim();
  if (configured) return path.resolve(configured);
  return path.resolve(env.DATA_DIR?.trim() || 'data', 'agents-playground.log');
}

/** Runs the dev environment as a program: Ctrl+C, SIGTERM or SIGHUP stop it; a second Ctrl+C kills the children. */
function main(): void {
  const stop = new AbortController();
  const force = new AbortController();
  const onSignal = (): void => {
    if (!stop.signal.aborted) stop.abort();
    else force.abort();
  };
  // SIGHUP: the terminal closed. The children run in their own process groups and would not get it.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  runDevEnvironment({ env: process.env, stopSignal: stop.signal, forceSignal: force.signal }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const reason = error instanceof AppError ? error.message : String(error);
      process.stderr.write(`[dev] ${reason}\n`);
      if (!(error instanceof AppError) && error instanceof Error && error.stack) {
        process.stderr.write(`${error.stack}\n`);
      }
      process.exitCode = 1;
    },
  );
}

if (require.main === module) main();
