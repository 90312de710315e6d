/** A stack of things to stop, run last-in first-out, so every server the benchmark started stops once. */
export class Cleanups {
  private readonly stack: Array<{ name: string; run: () => Promise<void> | void }> = [];

  /**
   * Registers a cleanup and returns a function that runs it now (and removes it from the stack); running it
   * twice, or after `runAll`, does nothing.
   */
  add(name: string, run: () => Promise<void> | void): () => Promise<void> {
    const entry = { name, run };
    this.stack.push(entry);
    return async () => {
      const at = this.stack.indexOf(entry);
      if (at < 0) return;
      this.stack.splice(at, 1);
      await entry.run();
    };
  }

  /** Runs every registered cleanup, newest first; a failing one is reported on stderr and the rest still run. */
  async runAll(): Promise<void> {
    for (let entry = this.stack.pop(); entry; entry = this.stack.pop()) {
      try {
        await entry.run();
      } catch (error) {
        console.error(`cleanup "${entry.name}" failed:`, error);
      }
    }
  }
}
