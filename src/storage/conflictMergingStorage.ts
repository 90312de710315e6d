import type { Storage, StoreItems } from 'botbuilder';
import { ETagConflictError } from '../shared/errors';
import type { Logger } from '../shared/logging';
import { mergeStateChanges } from './stateMerge';

/** Settings of the merge-and-retry wrapper. */
export interface ConflictMergingOptions {
  logger: Logger;
  /** Writes per `write` call, the first included (default 5). */
  maxAttempts?: number;
}

const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * A botbuilder `Storage` that resolves eTag conflicts instead of failing the turn. teams-ai saves TurnState
 * with the eTag it read at the start of the turn; when another turn (in this or another bot instance) wrote
 * the same conversation meanwhile, the write is refused (ETagConflictError). This wrapper then re-reads the
 * latest state, re-applies this turn's changes to it (`mergeStateChanges`: appended history entries are
 * appended to the latest history, fields this turn did not touch keep the latest value) and writes again with
 * the latest eTag, at most `maxAttempts` times, logging every retry. Nothing is overwritten silently: a write
 * only lands when its eTag matches what is stored.
 */
export class ConflictMergingStorage implements Storage {
  /** Each item object handed out by `read`, as JSON without its eTag: what this turn started from. */
  private readonly asRead = new WeakMap<object, string>();
  private readonly maxAttempts: number;

  constructor(
    private readonly inner: Storage,
    private readonly options: ConflictMergingOptions,
  ) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  }

  /** Reads through, remembering each item as read. */
  async read(keys: string[]): Promise<StoreItems> {
    const items = await this.inner.read(keys);
    for (const item of Object.values(items) as unknown[]) {
      if (isRecord(item)) this.asRead.set(item, JSON.stringify(withoutETag(item)));
    }
    return items;
  }

  /** Writes; on an eTag conflict merges this turn's changes into the latest state and writes again. */
  async write(changes: StoreItems): Promise<void> {
    let pending = changes;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.inner.write(pending);
        return;
      } catch (error) {
        if (!(error instanceof ETagConflictError) || attempt >= this.maxAttempts) throw error;
        const keys = Object.keys(changes);
        this.options.logger.warn(
          { keys, conflictingKey: error.key, attempt },
          'state was changed by another turn since it was read; merging this turn into the latest and writing again',
        );
        pending = this.rebase(changes, await this.inner.read(keys));
      }
    }
  }

  /** Deletes through. */
  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }

  /** This turn's changes re-applied onto the latest stored items, each carrying the latest eTag. */
  private rebase(changes: StoreItems, latest: StoreItems): StoreItems {
    const rebased: StoreItems = {};
    for (const [key, change] of Object.entries(changes) as Array<[string, unknown]>) {
      const base = isRecord(change) ? this.asRead.get(change) : undefined;
      const current: unknown = latest[key];
      if (!isRecord(change) || base === undefined) {
        rebased[key] = change;
      } else if (!isRecord(current)) {
        // Deleted meanwhile: this turn's state is all there is; write it as a new item.
        rebased[key] = withoutETag(change);
      } else {
        const merged = mergeStateChanges(
          JSON.parse(base) as Record<string, unknown>,
          withoutETag(change),
          withoutETag(current),
        );
        rebased[key] = { ...merged, eTag: current.eTag };
      }
    }
    return rebased;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutETag(item: Record<string, unknown>): Record<string, unknown> {
  const value = { ...item };
  delete value.eTag;
  return value;
}
