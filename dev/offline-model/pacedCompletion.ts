import type { ServerResponse } from 'node:http';
import { chunkOf, completionOf, deltasOf, firstDelta, usageChunkOf } from './completionChunks';
import type { CompletionPlan } from './completionPlan';
import { openAiError, sendJson } from './httpReplies';
import { dueTimeMs, unitsDue, type Pace } from './pacing';

/** The timers a completion paces with (a subset of OfflineModelClock, so wrappers are easy to write). */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** How a completion ended. */
export type CompletionOutcome = 'completed' | 'aborted' | 'dropped' | 'shutdown';

/** The message a client sees when the server is closed under an open stream. */
export const SHUTDOWN_MESSAGE = 'The offline model server is shutting down.';

function sse(payload: object | string): string {
  return `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;
}

/**
 * An SSE comment line, ignored by every SSE parser, written after the events of each write that does not
 * end the response. openai-node 4.x only splits off an event when at least one byte follows its blank line
 * (its `findDoubleNewlineIndex` stops scanning two bytes short of the end), so without it the last event
 * of each write would reach the caller only with the next write, one token late.
 */
const FLUSH_COMMENT = ':\n';

/**
 * Sends one chat completion at the model's pace: a stream of `chat.completion.chunk` events (units due at
 * the same tick go in one write), or after the same delay one `chat.completion` object. It watches its
 * connection: a client that closes early stops the timers at once and the completion ends as 'aborted'.
 */
export class PacedCompletion {
  private state: 'idle' | 'running' | CompletionOutcome = 'idle';
  private sent = 0;
  private startedAt = 0;
  /** The elapsed time the pending timer was set to fire at; fake clocks advance only this. */
  private scheduledElapsed = 0;
  private timer: unknown;

  /**
   * @param onEnd called exactly once, when the completion ends for any reason.
   * @param now the real time in ms, used only to catch up when timers fire late (a busy event loop). Left out
   *   with a fake clock, so that only the clock's own time counts.
   */
  constructor(
    private readonly res: ServerResponse,
    private readonly plan: CompletionPlan,
    private readonly pace: Pace,
    private readonly timers: Timers,
    private readonly onEnd: (outcome: CompletionOutcome) => void,
    private readonly now?: () => number,
  ) {}

  /** Sends the headers and role chunk (streams) and starts pacing. */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'running';
    this.startedAt = this.now?.() ?? 0;
    this.res.on('close', () => this.end('aborted'));
    // A write to a connection the client just reset fails here; 'close' follows and ends it as aborted.
    this.res.on('error', () => this.end('aborted'));
    if (this.plan.stream) {
      this.res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-request-id': this.plan.id,
      });
      this.res.write(sse(chunkOf(this.plan, firstDelta(this.plan))) + FLUSH_COMMENT);
    }
    this.schedule(this.pace.timeToFirstTokenMs, 0);
  }

  /** Ends a running completion because the server is closing; resolves when the connection is done with it. */
  shutdown(): Promise<void> {
    const done = new Promise<void>((resolve) => {
      if (this.res.writableFinished || this.res.destroyed) resolve();
      else {
        this.res.once('finish', resolve);
        this.res.once('close', resolve);
      }
    });
    if (this.state !== 'running') return done;
    this.end('shutdown');
    const error = openAiError(SHUTDOWN_MESSAGE, 'server_error', 'server_shutting_down');
    if (this.plan.stream) this.res.end(sse(error));
    else sendJson(this.res, 503, error);
    return done;
  }

  private schedule(atElapsed: number, elapsed: number): void {
    const delay = Math.max(0, Math.ceil(atElapsed - elapsed));
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.scheduledElapsed = elapsed + delay;
      this.tick();
    }, delay);
  }

  private tick(): void {
    if (this.state !== 'running') return;
    const realElapsed = this.now ? this.now() - this.startedAt : 0;
    const elapsed = Math.max(this.scheduledElapsed, realElapsed);
    const limit = this.plan.dropAfterUnits ?? this.plan.units.length;
    const due = Math.min(unitsDue(elapsed, this.plan.units.length, this.pace), limit);
    let lastWrite: Promise<void> | undefined;
    if (due > this.sent) {
      if (this.plan.stream) {
        const batch = this.plan.units.slice(this.sent, due);
        const text = deltasOf(batch)
          .map((delta) => sse(chunkOf(this.plan, delta)))
          .join('');
        lastWrite = new Promise((resolve) => this.res.write(text + FLUSH_COMMENT, () => resolve()));
      }
      this.sent = due;
    }
    if (this.sent < limit) {
      this.schedule(dueTimeMs(this.sent + 1, this.pace), elapsed);
    } else if (this.plan.dropAfterUnits !== undefined) {
      this.drop(lastWrite);
    } else {
      this.finish();
    }
  }

  private drop(lastWrite: Promise<void> | undefined): void {
    this.end('dropped');
    // Let what was written reach the client first, so it sees the tokens and then a broken connection.
    if (lastWrite) void lastWrite.then(() => this.res.destroy());
    else this.res.destroy();
  }

  private finish(): void {
    this.end('completed');
    if (this.plan.stream) {
      let tail = sse(chunkOf(this.plan, {}, this.plan.finishReason));
      if (this.plan.includeUsage) tail += sse(usageChunkOf(this.plan));
      this.res.end(`${tail}${sse('[DONE]')}`);
    } else {
      sendJson(this.res, 200, completionOf(this.plan), { 'x-request-id': this.plan.id });
    }
  }

  private end(outcome: CompletionOutcome): void {
    if (this.state !== 'running') return;
    this.state = outcome;
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.onEnd(outcome);
  }
}
