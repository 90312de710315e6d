/**
 * The offline model's work meter: the parsing and rule matching count the characters they visit here, so a
 * test can bound the WORK a message costs (and see that it grows linearly with the message) without timing
 * anything. Nothing is counted unless a meter is installed with `withWorkMeter`; the offline model's reply
 * composition is synchronous, so one meter at a time is enough.
 */

/** Receives the units of work (characters visited) counted while it is installed. */
export interface WorkMeter {
  add(units: number): void;
}

let installed: WorkMeter | undefined;

/** Runs `run` with `meter` counting the work done by the offline model's scanners and patterns. */
export function withWorkMeter<T>(meter: WorkMeter, run: () => T): T {
  const previous = installed;
  installed = meter;
  try {
    return run();
  } finally {
    installed = previous;
  }
}

/** Counts `units` characters visited, on the installed meter if there is one. */
export function countWork(units: number): void {
  installed?.add(units);
}

/**
 * A RegExp that counts, on each execution, the characters it searched: from where the search started to the
 * end of the match (or of the text when nothing matched). `test`, `replace`, `matchAll` and `split` all run
 * through `exec`, so every use is counted while a meter is installed; without one, they run on a plain twin
 * of the pattern, so that V8's fast paths for built-in patterns still apply. This measures how far searches
 * travel, which catches rescans (searching again from the start for every word, slicing and searching in a
 * loop); it cannot see backtracking inside one execution, which is why the patterns here avoid overlapping
 * or unbounded quantifiers whose failures can restart, and leave such scans to counted scanners
 * (textScan.ts, markdownScan.ts).
 */
export class MeteredRegExp extends RegExp {
  private readonly plain = new RegExp(this.source, this.flags);

  override exec(text: string): RegExpExecArray | null {
    const from = this.global || this.sticky ? this.lastIndex : 0;
    const match = super.exec(text);
    if (this.sticky) countWork(match ? match[0].length + 1 : 1);
    else countWork(Math.max(0, (match ? match.index + match[0].length : text.length) - from) + 1);
    return match;
  }

  override [Symbol.replace](
    text: string,
    replacement: string | ((match: string, ...rest: unknown[]) => string),
  ): string {
    // The built-in takes either form of replacement; the overloads only tell TypeScript which one it got.
    if (installed) return super[Symbol.replace](text, replacement as string);
    return this.onPlainTwin((plain) => plain[Symbol.replace](text, replacement as string));
  }

  override [Symbol.split](text: string, limit?: number): string[] {
    if (installed) return super[Symbol.split](text, limit);
    return this.onPlainTwin((plain) => plain[Symbol.split](text, limit));
  }

  override [Symbol.match](text: string): RegExpMatchArray | null {
    if (installed) return super[Symbol.match](text);
    return this.onPlainTwin((plain) => plain[Symbol.match](text));
  }

  override [Symbol.matchAll](text: string): ReturnType<RegExp[typeof Symbol.matchAll]> {
    if (installed) return super[Symbol.matchAll](text);
    return this.onPlainTwin((plain) => plain[Symbol.matchAll](text));
  }

  override test(text: string): boolean {
    if (installed) return super.test(text);
    return this.onPlainTwin((plain) => plain.test(text));
  }

  /** Runs `use` on the plain twin, carrying `lastIndex` over and back as the built-in methods read and set it. */
  private onPlainTwin<T>(use: (plain: RegExp) => T): T {
    this.plain.lastIndex = this.lastIndex;
    try {
      return use(this.plain);
    } finally {
      this.lastIndex = this.plain.lastIndex;
    }
  }
}

/** The same pattern as a MeteredRegExp. */
export function metered(pattern: RegExp): RegExp {
  return new MeteredRegExp(pattern.source, pattern.flags);
}
