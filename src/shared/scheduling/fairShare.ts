import type { Clock } from '../time';

/** A point where work may give way: undefined to go on at once, or a promise that resolves at its turn. */
export type Checkpoint = () => Promise<void> | undefined;

/** What a fair share is made from. */
export interface FairShareOptions {
  /** How long work behind checkpoints may run in one event-loop iteration (and in one drain) before it waits. */
  sliceMs: number;
  clock: Clock;
}

/**
 * Bounds how much admitted work one event-loop iteration runs, so new arrivals are never starved.
 *
 * Node's event loop (libuv 1.46) accepts one new connection per iteration, and a request's bytes are read in
 * an iteration's poll phase: when every iteration is long with work of turns already admitted (state loading,
 * prompt rendering, model chunks, streaming updates), later arrivals wait seconds before their informative
 * update. Work of admitted turns passes a `checkpoint` at its natural seams; while the current iteration's
 * slice has time left and nothing waits, it goes on at once; otherwise it waits in one FIFO queue, which is
 * drained in later iterations' check phase (`setImmediate`), at most one slice per iteration. What is not
 * behind a checkpoint (accepting, reading and admitting a request, sending its informative update) goes
 * first. The queue is FIFO, so a turn with many steps cannot starve one with few.
 */
export class FairShare {
  private readonly waiting: Array<() => void> = [];
  private sliceStartedAt: number | undefined;
  private sliceEndScheduled = false;
  private drainScheduled = false;

  constructor(private readonly options: FairShareOptions) {}

  /** The checkpoint, as a function that can be passed around. */
  readonly checkpoint: Checkpoint = () => {
    const now = this.options.clock.now();
    if (this.waiting.length === 0) {
      if (this.sliceStartedAt === undefined) {
        this.startSlice(now);
        return undefined;
      }
      if (now - this.sliceStartedAt < this.options.sliceMs) return undefined;
    }
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.scheduleDrain();
    });
  };

  /** How many pieces of work wait for their turn. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  private startSlice(now: number): void {
    this.sliceStartedAt = now;
    if (this.sliceEndScheduled) return;
    this.sliceEndScheduled = true;
    // The check phase ends this iteration's slice; work after it (the next poll phase) starts a new one.
    setImmediate(() => {
      this.sliceEndScheduled = false;
      this.sliceStartedAt = undefined;
    });
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(this.drain);
  }

  /**
   * Releases waiting work in order, one piece at a time (each runs up to its next await before the next is
   * released), until the slice is used up; what is left waits for the next iteration.
   */
  private readonly drain = (): void => {
    this.drainScheduled = false;
    const startedAt = this.options.clock.now();
    const releaseNext = (): void => {
      if (this.waiting.length === 0) return;
      if (this.options.clock.now() - startedAt >= this.options.sliceMs) {
        this.scheduleDrain();
        return;
      }
      this.waiting.shift()?.();
      queueMicrotask(releaseNext);
    };
    releaseNext();
  };
}

/** A checkpoint that never waits (tests, tools and surfaces that need no fairness). */
export const noCheckpoint: Checkpoint = () => undefined;
