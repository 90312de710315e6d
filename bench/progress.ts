/** Where progress lines go: a terminal gets one line rewritten in place, anything else plain lines. */
export interface Progress {
  /** Shows the line (on a terminal at once; otherwise when it changed, at most every `plainIntervalMs`). */
  update(line: string): void;
  /** Ends the in-place line, if any, so the next output starts on a fresh line. */
  done(): void;
}

/** A progress printer for `stream` (the benchmark uses stderr, keeping stdout for the results). */
export function createProgress(
  stream: NodeJS.WriteStream,
  now: () => number,
  plainIntervalMs = 5000,
): Progress {
  let shown = '';
  let lastPlainAt = -Infinity;
  let lineOpen = false;
  return {
    update(line) {
      if (line === shown) return;
      if (stream.isTTY) {
        stream.write(`\r${line}\x1b[K`);
        lineOpen = true;
        shown = line;
        return;
      }
      if (now() - lastPlainAt < plainIntervalMs) return;
      stream.write(`${line}\n`);
      lastPlainAt = now();
      shown = line;
    },
    done() {
      if (lineOpen) stream.write('\n');
      lineOpen = false;
      shown = '';
      lastPlainAt = -Infinity;
    },
  };
}
