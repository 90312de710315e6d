import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { ETagConflictError } from '../../shared/errors';
import { systemClock, type Clock } from '../../shared/time';
import { parseStateValue, serialiseStoreItem } from '../stateItems';
import type { StateMaintenance } from '../userConversations';
import type { Db } from './database';
import { runStorage } from './storageErrors';

interface StateRow {
  key: string;
  value: string;
  etag: string;
}

/**
 * botbuilder `Storage` over the `bot_state` table: JSON values with optimistic concurrency by eTag.
 * Conversation and user state written here survive a restart of the bot.
 *
 * - `read(keys)` returns only the keys found, each value with its current `eTag`.
 * - `write(changes)` writes unconditionally when an item's `eTag` is missing or `'*'`; otherwise only
 *   when the stored etag equals it (a missing row counts as a conflict). A conflict throws an
 *   ETagConflictError (a retryable StorageError) and nothing of the batch is written. Every write gets a new etag.
 * - `delete(keys)` removes the keys (missing keys are ignored).
 */
export class SqliteStorage implements Storage, StateMaintenance {
  private readonly selectMany;
  private readonly selectEtag;
  private readonly upsert;
  private readonly deleteMany;
  private readonly deleteBefore;

  /** @param clock stamps `updated_at` (bookkeeping only); injectable for tests. */
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {
    this.selectMany = db.prepare<[string], StateRow>(
      'SELECT key, value, etag FROM bot_state WHERE key IN (SELECT value FROM json_each(?))',
    );
    this.selectEtag = db.prepare<[string], { etag: string }>('SELECT etag FROM bot_state WHERE key = ?');
    this.upsert = db.prepare<[string, string, string, string]>(
      `INSERT INTO bot_state (key, value, etag, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = excluded.etag, updated_at = excluded.updated_at`,
    );
    this.deleteMany = db.prepare<[string]>(
      'DELETE FROM bot_state WHERE key IN (SELECT value FROM json_each(?))',
    );
    this.deleteBefore = db.prepare<[string]>('DELETE FROM bot_state WHERE updated_at < ?');
  }

  /** Loads the stored items for `keys`; keys that are not stored are absent from the result. */
  read(keys: string[]): Promise<StoreItems> {
    return settle(() => {
      const items: StoreItems = {};
      if (keys.length === 0) return items;
      const rows = runStorage('reading bot state', () => this.selectMany.all(JSON.stringify(keys)));
      for (const row of rows) items[row.key] = { ...parseStateValue(row.key, row.value), eTag: row.etag };
      return items;
    });
  }

  /** Saves the items in one transaction; see the class comment for the eTag rules. */
  write(changes: StoreItems): Promise<void> {
    return settle(() => this.writeNow(changes));
  }

  /** Removes the items for `keys`. */
  delete(keys: string[]): Promise<void> {
    return settle(() => {
      if (keys.length > 0) runStorage('deleting bot state', () => this.deleteMany.run(JSON.stringify(keys)));
    });
  }

  /** Deletes state items (conversation history, user state) last written before `cutoff`. */
  deleteStateOlderThan(cutoff: Date): Promise<number> {
    return settle(() =>
      runStorage('deleting old bot state', () => this.deleteBefore.run(cutoff.toISOString()).changes),
    );
  }

  /** Deletes the state items with these keys; returns how many existed. */
  deleteStateKeys(keys: readonly string[]): Promise<number> {
    return settle(() =>
      keys.length === 0
        ? 0
        : runStorage('deleting bot state', () => this.deleteMany.run(JSON.stringify(keys)).changes),
    );
  }

  private writeNow(changes: StoreItems): void {
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    const prepared = entries.map(([key, item]) => ({ key, ...serialiseStoreItem(key, item) }));
    const now = new Date(this.clock.now()).toISOString();
    runStorage('writing bot state', () =>
      this.db
        .transaction(() => {
          for (const { key, json, expectedEtag } of prepared) {
            if (expectedEtag !== undefined) {
              const stored = this.selectEtag.get(key);
              if (stored?.etag !== expectedEtag) {
                throw new ETagConflictError(
                  key,
                  stored
                    ? `eTag conflict for "${key}": it was changed since it was read`
                    : `eTag conflict for "${key}": it was deleted since it was read`,
                );
              }
            }
            this.upsert.run(key, json, randomUUID(), now);
          }
          // IMMEDIATE: the eTag is read before the write, and another process (BOT_PROCESSES) may write the
          // same key in between; holding the write lock from the start makes the check and the write one step.
        })
        .immediate(),
    );
  }
}

/** Runs synchronous work and reports its result or its error through a promise. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}
