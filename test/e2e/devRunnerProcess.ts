import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startManagedChild, type ChildExit, type ManagedChild } from '../../dev/runner/managedChild';
import { REPO_ROOT } from './botProcess';

/** The dev runner, as `npm run dev` runs it after the build. */
export const DEV_RUNNER_ENTRY = path.join(REPO_ROOT, 'build/dev/runner/devRunner.js');

/** One output line of the dev runner. */
export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** `node build/dev/runner/devRunner.js` running in its own process group, as in a terminal. */
export interface DevRunnerProcess {
  readonly pid: number;
  readonly lines: OutputLine[];
  readonly exited: Promise<ChildExit>;
  /** Resolves with the first line matching `pattern`; rejects (with the output so far) after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** The pids the runner printed for its bot and playground children. */
  childPids(): { bot: number; playground: number } | undefined;
  /** Sends a signal to the runner's process group, as a terminal's Ctrl+C does. */
  signal(signal: NodeJS.Signals): void;
  /** Stops the runner and, in case it failed to, kills the children it printed. */
  cleanUp(): Promise<void>;
  output(): string;
}

/** Starts the dev runner with exactly `env`. */
export function startDevRunner(env: NodeJS.ProcessEnv): DevRunnerProcess {
  const lines: OutputLine[] = [];
  const waiters = new Set<() => void>();
  const child: ManagedChild = startManagedChild({
    name: 'dev runner',
    command: process.execPath,
    args: [DEV_RUNNER_ENTRY],
    cwd: REPO_ROOT,
    env,
    onLine: (text, stream) => {
      lines.push({ stream, text });
      for (const waiter of [...waiters]) waiter();
    },
  });
  assert.ok(child.pid, 'the dev runner started');
  const pid = child.pid;
  const output = (): string => lines.map((line) => `${line.stream}: ${line.text}`).join('\n');
  const childPids = (): { bot: number; playground: number } | undefined => {
    for (const { text } of lines) {
      const match = /started the bot \(pid (\d+)\) and the Agents Playground \(pid (\d+)\)/.exec(text);
      if (match) return { bot: Number(match[1]), playground: Number(match[2]) };
    }
    return undefined;
  };

  return {
    pid,
    lines,
    exited: child.exited,
    output,
    childPids,
    waitForLine: (pattern, timeoutMs) =>
      new Promise<string>((resolve, reject) => {
        const check = (): void => {
          const found = lines.find((line) => pattern.test(line.text));
          if (!found) return;
          done();
          resolve(found.text);
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new assert.AssertionError({
              message: `no line matching ${pattern} within ${timeoutMs} ms:\n${output()}`,
            }),
          );
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    signal: (signal) => process.kill(-pid, signal),
    cleanUp: async () => {
      await child.stop({ graceMs: 15_000 });
      const children = childPids();
      for (const childPid of children ? [children.bot, children.playground] : []) {
        killGroup(childPid);
      }
    },
  };
}

/** Whether a process with this pid exists (a zombie counts as existing: it was not waited for). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/**
 * Whether a process is still running: it exists and is not a zombie. For a process reparented to init
 * (a grandchild), being dead is all a test can ask for; reaping it is init's job.
 */
export function processIsRunning(pid: number): boolean {
  if (!processExists(pid)) return false;
  try {
    // /proc/<pid>/stat: "pid (comm) state ..."; comm may contain spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** A port nothing listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
