import { systemClock, type Clock } from '../shared/time';

/** How often {@link InFlightTurns.drain} looks at the clock while it waits (keeps its timers short). */
const DRAIN_SLICE_MS = 100;

/**
 * The turns that are still running, possibly after their HTTP request was answered, so that shutting down
 * can wait for them instead of cutting their answer streams mid-way.
 */
export class InFlightTurns {
  /** One settled-never-rejecting promise per running turn; used only to wait, never to report errors. */
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly clock: Clock = systemClock) {}

  /** How many turns are running now. */
  get count(): number {
    return this.running.size;
  }

  /**
   * Runs `work` as a tracked turn and returns its promise unchanged: the caller still owns (and must
   * handle) its result and its error.
   */
  run(work: () => Promise<void>): Promise<void> {
    const turn = work();
    const done: Promise<void> = turn.then(
      () => this.forget(done),
      // The caller handles the error of `turn`; this branch only notices that it ended.
      () => this.forget(done),
    );
    this.running.add(done);
    return turn;
  }

  /**
   * Waits until every running turn has ended, but at most `timeoutMs`. Resolves to the number of turns
   * still running when it stopped waiting (0 when all ended).
   */
  async drain(timeoutMs: number): Promise<number> {
    const deadline = this.clock.now() + timeoutMs;
    while (this.running.size > 0) {
      const remaining = deadline - this.clock.now();
      if (remaining <= 0) break;
      // Short slices instead of one long timer, so nothing keeps the process alive once the turns end.
      await Promise.race([...this.running, this.clock.sleep(Math.min(remaining, DRAIN_SLICE_MS))]);
    }
    return this.running.size;
  }

  private forget(turn: Promise<void>): void {
    this.running.delete(turn);
  }
}
