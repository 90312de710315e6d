/** What one model layer wants to see of a streamed completion, without adding a stage per chunk. */
export interface StreamTap<T> {
  /** Sees each chunk as it passes (it must not throw). */
  chunk?(chunk: T): void;
  /** Sees an error of the stream and returns the error to throw instead (or the same one). */
  error?(error: unknown): unknown;
  /** Runs once when the stream ends, fails or is left early (it must not throw). */
  end?(): void;
}

/**
 * A stream that passes its source's chunks through unchanged and shows them, its errors and its end to the
 * taps, in the order they were added (the first added is the innermost layer). Every model layer that
 * watches a stream adds a tap to the same stage: one plain async iterator per chunk instead of one async
 * generator per layer (each generator stage costs a promise and a queue round per chunk).
 */
export class TappedStream<T> implements AsyncIterable<T> {
  private readonly taps: Array<StreamTap<T>> = [];

  private constructor(private readonly source: AsyncIterable<T>) {}

  /** `stream` with `tap` added: the same stage when `stream` is already tapped, otherwise a new one. */
  static of<T>(stream: AsyncIterable<T>, tap: StreamTap<T>): TappedStream<T> {
    const tapped = stream instanceof TappedStream ? (stream as TappedStream<T>) : new TappedStream(stream);
    tapped.taps.push(tap);
    return tapped;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    const source = this.source[Symbol.asyncIterator]();
    const taps = this.taps;
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      for (const tap of taps) tap.end?.();
    };
    return {
      async next(): Promise<IteratorResult<T>> {
        let result: IteratorResult<T>;
        try {
          result = await source.next();
        } catch (error) {
          end();
          throw taps.reduce<unknown>((current, tap) => (tap.error ? tap.error(current) : current), error);
        }
        if (result.done) {
          end();
          return result;
        }
        for (const tap of taps) tap.chunk?.(result.value);
        return result;
      },
      async return(): Promise<IteratorResult<T>> {
        end();
        await source.return?.();
        return { done: true, value: undefined };
      },
    };
  }
}
