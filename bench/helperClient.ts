import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { BenchmarkError } from './benchmarkError';
import {
  isHelperMessage,
  type ConnectorCollection,
  type HelperCollection,
  type HelperMessage,
  type ModelCollection,
  type ModelSettings,
  type ParentMessage,
  type StartMessage,
} from './helperProtocol';
import type { Now } from './time';

/** A helper process as the benchmark sees it. All times it returns are on the caller's clock. */
export interface Helper<C extends HelperCollection> {
  /** The model role: OPENAI_BASE_URL for the bot (the timing proxy). The connector role: the serviceUrl. */
  readonly url: string;
  /** The helper's clock minus ours, estimated from the fastest of a few round trips. */
  readonly clockOffsetMs: number;
  /** Conversations whose answer message has arrived so far (connector role; always 0 for the model). */
  readonly finalCount: number;
  /** Resolves true once `count` answer messages have arrived, or false at `timeoutMs`. */
  waitForFinals(count: number, timeoutMs: number): Promise<boolean>;
  /** Everything recorded, with times converted to our clock. */
  collect(): Promise<C>;
  /** Stops the helper's servers and the process (killing it if it does not stop in time). */
  stop(): Promise<void>;
}

const REPLY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;
const CLOCK_SYNC_ROUNDS = 7;

/** Forks a helper process hosting the offline model and its timing proxy. */
export function startModelHelper(settings: ModelSettings, now: Now): Promise<Helper<ModelCollection>> {
  return startHelper<ModelCollection>({ type: 'start', role: 'model', settings }, now);
}

/** Forks a helper process hosting the timestamping Bot Connector. */
export function startConnectorHelper(now: Now): Promise<Helper<ConnectorCollection>> {
  return startHelper<ConnectorCollection>({ type: 'start', role: 'connector' }, now);
}

/** Forks build/bench/helperProcess.js, starts its role and measures its clock offset. */
async function startHelper<C extends HelperCollection>(start: StartMessage, now: Now): Promise<Helper<C>> {
  const child = fork(path.join(__dirname, 'helperProcess.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  });
  const channel = new HelperChannel(child);
  try {
    const ready = await channel.request(start, 'ready');
    const clockOffsetMs = await measureClockOffset(channel, now);
    return {
      url: ready.url,
      clockOffsetMs,
      get finalCount() {
        return channel.finalCount;
      },
      waitForFinals: (count, timeoutMs) => channel.waitForFinals(count, timeoutMs),
      collect: async () => {
        const { collection } = await channel.request({ type: 'collect' }, 'collected');
        if (collection.role !== start.role) {
          throw new BenchmarkError(`the ${start.role} helper sent a ${collection.role} collection`);
        }
        // The role check above is what makes this the collection type the caller asked for.
        return toOurClock(collection, clockOffsetMs) as C;
      },
      stop: () => channel.stop(),
    };
  } catch (error) {
    await channel.stop();
    throw error;
  }
}

async function measureClockOffset(channel: HelperChannel, now: Now): Promise<number> {
  let best: { roundTrip: number; offset: number } | undefined;
  for (let id = 1; id <= CLOCK_SYNC_ROUNDS; id += 1) {
    const sentAt = now();
    const pong = await channel.request({ type: 'ping', id }, 'pong');
    const receivedAt = now();
    const roundTrip = receivedAt - sentAt;
    const offset = pong.now - (sentAt + receivedAt) / 2;
    if (!best || roundTrip < best.roundTrip) best = { roundTrip, offset };
  }
  return best?.offset ?? 0;
}

function toOurClock(collection: HelperCollection, offsetMs: number): HelperCollection {
  if (collection.role === 'connector') {
    return { ...collection, sends: collection.sends.map((send) => ({ ...send, at: send.at - offsetMs })) };
  }
  return {
    ...collection,
    modelTimings: collection.modelTimings.map(([index, timing]) => [
      index,
      {
        requests: timing.requests,
        ...(timing.firstContentAt !== undefined ? { firstContentAt: timing.firstContentAt - offsetMs } : {}),
        ...(timing.lastContentAt !== undefined ? { lastContentAt: timing.lastContentAt - offsetMs } : {}),
      },
    ]),
  };
}

type Reply<T extends HelperMessage['type']> = Extract<HelperMessage, { type: T }>;

/**
 * Request/response over the IPC channel (one request per reply type at a time, which is how the benchmark
 * uses it), the stream of 'final' notices, and the child's lifetime.
 */
class HelperChannel {
  private readonly finals = new Set<string>();
  private readonly finalWaiters = new Set<() => void>();
  private readonly replyWaiters = new Map<string, (message: HelperMessage) => void>();
  private exited = false;
  private failure: Error | undefined;
  private readonly exitPromise: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    this.exitPromise = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exited = true;
        this.failure ??= new BenchmarkError(`the benchmark helper exited (code ${code}, signal ${signal})`);
        for (const waiter of this.replyWaiters.values()) {
          waiter({ type: 'failed', message: this.failure.message });
        }
        this.replyWaiters.clear();
        for (const check of [...this.finalWaiters]) check();
        resolve();
      });
    });
    child.on('error', (error) => {
      this.failure ??= new BenchmarkError('the benchmark helper failed', { cause: error });
    });
    child.on('message', (message: unknown) => {
      if (isHelperMessage(message)) this.onMessage(message);
    });
  }

  get finalCount(): number {
    return this.finals.size;
  }

  request<T extends HelperMessage['type']>(message: ParentMessage, replyType: T): Promise<Reply<T>> {
    if (this.exited) {
      return Promise.reject(this.failure ?? new BenchmarkError('the benchmark helper is gone'));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.replyWaiters.delete(replyType);
        reject(new BenchmarkError(`the benchmark helper did not answer '${message.type}' in time`));
      }, REPLY_TIMEOUT_MS);
      this.replyWaiters.set(replyType, (reply) => {
        clearTimeout(timer);
        if (reply.type === 'failed') {
          reject(new BenchmarkError(`the benchmark helper failed: ${reply.message}`));
        } else {
          resolve(reply as Reply<T>);
        }
      });
      this.child.send(message, (error) => {
        if (!error) return;
        clearTimeout(timer);
        this.replyWaiters.delete(replyType);
        reject(
          new BenchmarkError(`the benchmark helper could not be sent '${message.type}'`, { cause: error }),
        );
      });
    });
  }

  waitForFinals(count: number, timeoutMs: number): Promise<boolean> {
    if (this.finals.size >= count) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (complete: boolean): void => {
        clearTimeout(timer);
        this.finalWaiters.delete(check);
        resolve(complete);
      };
      const check = (): void => {
        if (this.finals.size >= count) done(true);
        else if (this.exited) done(false);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      this.finalWaiters.add(check);
    });
  }

  async stop(): Promise<void> {
    if (!this.exited && this.child.connected) {
      try {
        await this.request({ type: 'stop' }, 'stopped');
      } catch (error) {
        console.error(
          `benchmark helper: ${error instanceof Error ? error.message : String(error)}; killing it`,
        );
      }
    }
    const killTimer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exitPromise;
    clearTimeout(killTimer);
  }

  private onMessage(message: HelperMessage): void {
    if (message.type === 'final') {
      this.finals.add(message.conversationId);
      for (const check of [...this.finalWaiters]) check();
      return;
    }
    // A failure answers whatever request is waiting; with none waiting it is kept for the next one.
    const waiterType = message.type === 'failed' ? [...this.replyWaiters.keys()][0] : message.type;
    const waiter = waiterType ? this.replyWaiters.get(waiterType) : undefined;
    if (waiter && waiterType) {
      this.replyWaiters.delete(waiterType);
      waiter(message);
    } else if (message.type === 'failed') {
      this.failure = new BenchmarkError(`the benchmark helper failed: ${message.message}`);
      console.error(this.failure.message);
    }
  }
}
