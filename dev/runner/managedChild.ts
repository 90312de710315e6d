import { spawn } from 'node:child_process';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import type { ChildCommand } from './playgroundCommand';

/** How a child process ended. `error` is set when it could not be started at all. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: NodeJS.ErrnoException;
}

/** Which output stream a line came from. */
export type OutputStream = 'stdout' | 'stderr';

/** Options of {@link startManagedChild}. */
export interface ManagedChildOptions extends ChildCommand {
  /** A short name for messages, e.g. `bot`. */
  name: string;
  cwd?: string;
  /** Called with every complete output line (without the line break). */
  onLine?: (line: string, stream: OutputStream) => void;
}

/** A child process that runs in its own process group, so it can be stopped with everything it started. */
export interface ManagedChild {
  readonly name: string;
  /** The child's pid, which is also its process group id; undefined if it could not be spawned. */
  readonly pid: number | undefined;
  /** Resolves once when the process has exited (or failed to start); never rejects. */
  readonly exited: Promise<ChildExit>;
  /** The exit, once it happened. */
  exit(): ChildExit | undefined;
  /**
   * Stops the whole process group: SIGTERM, then SIGKILL after `graceMs` (default 5000) if the child is still
   * running. Resolves with the exit; calling it again, or after the child exited, is harmless.
   */
  stop(options?: { graceMs?: number }): Promise<ChildExit>;
  /** Sends SIGKILL to the whole process group at once. */
  kill(): void;
}

/** How long a child gets to exit after SIGTERM before it is killed. */
export const DEFAULT_STOP_GRACE_MS = 5000;

/**
 * Spawns a command in a new process group (detached), with stdin closed and stdout/stderr split into lines.
 * A terminal's Ctrl+C therefore reaches only the parent, which decides how to stop its children.
 */
export function startManagedChild(options: ManagedChildOptions): ManagedChild {
  const child = spawn(options.command, options.args, {
    env: options.env,
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exitInfo: ChildExit | undefined;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo ??= { code, signal };
      resolve(exitInfo);
    });
    child.once('error', (error) => {
      // 'error' without 'exit' means the process never started (e.g. ENOENT).
      if (child.pid === undefined) {
        exitInfo ??= { code: null, signal: null, error };
        resolve(exitInfo);
      }
    });
  });
  forwardLines(child.stdout, 'stdout', options.onLine);
  forwardLines(child.stderr, 'stderr', options.onLine);

  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch (error) {
      // ESRCH: the group is already gone, which is what we wanted.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  };

  let stopping: Promise<ChildExit> | undefined;
  const stop = ({ graceMs = DEFAULT_STOP_GRACE_MS }: { graceMs?: number } = {}): Promise<ChildExit> => {
    stopping ??= (async () => {
      if (exitInfo === undefined) {
        signalGroup('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const killed = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            signalGroup('SIGKILL');
            resolve();
          }, graceMs);
        });
        await Promise.race([exited, killed]);
        clearTimeout(timer);
      }
      const result = await exited;
      // Anything the child started and left behind in its group goes too.
      signalGroup('SIGKILL');
      return result;
    })();
    return stopping;
  };

  return {
    name: options.name,
    pid: child.pid,
    exited,
    exit: () => exitInfo,
    stop,
    kill: () => signalGroup('SIGKILL'),
  };
}

function forwardLines(
  stream: Readable,
  name: OutputStream,
  onLine: ((line: string, stream: OutputStream) => void) | undefined,
): void {
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => onLine?.(line, name));
}
