import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitUntil } from '../support/waitFor';

const run = promisify(execFile);

/**
 * A program running in a real pseudo-terminal: a detached tmux session on a private tmux server (its own
 * socket in a temporary folder, so nobody else's tmux is touched and nothing is left behind). The test types
 * into it and reads the screen as a user sees it.
 */
export class TmuxTerminal {
  private constructor(
    private readonly socket: string,
    private readonly session: string,
  ) {}

  /** Whether tmux is installed. */
  static async available(): Promise<boolean> {
    try {
      await run('tmux', ['-V']);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Starts `command` (a shell command line) in a new session of `columns` x `rows`. When the command ends,
   * `[exited <code>]` is printed and the pane stays, so the test can read the last screen.
   */
  static async start(
    command: string,
    options: { columns?: number; rows?: number } = {},
  ): Promise<TmuxTerminal> {
    const socket = path.join(mkdtempSync(path.join(os.tmpdir(), 'tmux-test-')), 'socket');
    const terminal = new TmuxTerminal(socket, 'chat');
    await terminal.tmux(
      'new-session',
      '-d',
      '-s',
      'chat',
      '-x',
      String(options.columns ?? 100),
      '-y',
      String(options.rows ?? 50),
      `${command}; echo "[exited $?]"; sleep 600`,
    );
    return terminal;
  }

  /** Types text (literally, no key names) and optionally presses Enter. */
  async type(text: string, enter = true): Promise<void> {
    await this.tmux('send-keys', '-t', this.session, '-l', text);
    if (enter) await this.tmux('send-keys', '-t', this.session, 'Enter');
  }

  /** Presses a key by tmux name, e.g. 'C-c'. */
  async press(key: string): Promise<void> {
    await this.tmux('send-keys', '-t', this.session, key);
  }

  /** The screen and its scrollback as text, wrapped lines joined. */
  async screen(): Promise<string> {
    const { stdout } = await this.tmux('capture-pane', '-p', '-J', '-S', '-2000', '-t', this.session);
    return stdout;
  }

  /** Polls the screen until `condition` holds; returns the screen then, or throws with the last screen. */
  async waitFor(condition: (screen: string) => boolean, what: string, timeoutMs = 15000): Promise<string> {
    let screen = '';
    await waitUntil(async () => condition((screen = await this.screen())), what, {
      timeoutMs,
      intervalMs: 50,
      detail: () => `the screen:\n${screen}`,
    });
    return screen;
  }

  /** Ends the session and its private tmux server, and removes the socket's folder. */
  async close(): Promise<void> {
    try {
      await this.tmux('kill-server');
    } catch {
      // Already gone.
    }
    rmSync(path.dirname(this.socket), { recursive: true, force: true });
  }

  private tmux(...args: string[]): Promise<{ stdout: string; stderr: string }> {
    return run('tmux', ['-S', this.socket, ...args]);
  }
}
