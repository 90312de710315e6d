import { AsyncLocalStorage } from 'node:async_hooks';

/** Set inside {@link withoutConsoleErrors}: console.error calls made there are dropped. */
const quiet = new AsyncLocalStorage<true>();

/** How many validations are running; the guard is in place while there is at least one. */
let running = 0;
/** The console.error the guard replaced, which every call made outside a validation still reaches. */
let replaced: typeof console.error | undefined;

function guardedConsoleError(this: unknown, ...args: unknown[]): void {
  if (quiet.getStore()) return;
  replaced?.apply(this, args);
}

/**
 * Runs `validate` (botbuilder's validation of an inbound token) with the `console.error` calls made inside it,
 * and only those, dropped. botframework-connector 4.23.3's JwtTokenExtractor prints every expired token's error
 * with its stack, and for any other failed verification the whole public key, to stderr past the logger; the
 * failure itself still reaches the caller as the thrown error, which the bot logs in one line.
 *
 * The guard replaces `console.error` only while a validation runs (the last one to finish puts the original
 * back), and calls made meanwhile outside a validation's async context, concurrent requests included, reach
 * the original unchanged.
 */
export async function withoutConsoleErrors<T>(validate: () => Promise<T>): Promise<T> {
  if (console.error !== guardedConsoleError) {
    replaced = console.error;
    console.error = guardedConsoleError;
  }
  running += 1;
  try {
    return await quiet.run(true, validate);
  } finally {
    running -= 1;
    // Put back only our own replacement: if something else replaced console.error meanwhile, it stays.
    if (running === 0 && console.error === guardedConsoleError && replaced) console.error = replaced;
  }
}
