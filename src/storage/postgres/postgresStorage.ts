import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { ETagConflictError } from '../../shared/errors';
import { systemClock, type Clock } from '../../shared/time';
import { parseStateValue, serialiseStoreItem } from '../stateItems';
import type { StateMaintenance } from '../userConversations';
import type { PostgresDatabase } from './postgresDatabase';

interface StateRow {
  key: string;
  value: string;
  etag: string;
}

/**
 * botbuilder `Storage` over the `bot_state` table, with the same eTag semantics as SqliteStorage:
 *
 * - `read(keys)` returns only the keys found, each value with its current `eTag`.
 * - `write(changes)` writes unconditionally when an item's `eTag` is missing or `'*'`; otherwise only
 *   when the stored etag equals it (a missing row counts as a conflict). A conflict throws an
 *   ETagConflictError (a retryable StorageError) and nothing of the batch is written. Every write gets a new etag.
 * - `delete(keys)` removes the keys (missing keys are ignored).
 *
 * The conditional write is one `UPDATE … WHERE etag = $expected`: PostgreSQL re-checks the condition against
 * a row another transaction changed meanwhile, so of two writers holding the same eTag exactly one wins,
 * whichever instance they run in.
 */
export class PostgresStorage implements Storage, StateMaintenance {
  /** @param clock stamps `updated_at` (bookkeeping only); injectable for tests. */
  constructor(
    private readonly db: PostgresDatabase,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Loads the stored items for `keys`; keys that are not stored are absent from the result. */
  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    const { rows } = await this.db.query<StateRow>(
      'reading bot state',
      'SELECT key, value, etag FROM bot_state WHERE key = ANY($1::text[])',
      [keys],
    );
    for (const row of rows) items[row.key] = { ...parseStateValue(row.key, row.value), eTag: row.etag };
    return items;
  }

  /** Saves the items in one transaction; see the class comment for the eTag rules. */
  async write(changes: StoreItems): Promise<void> {
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    const prepared = entries.map(([key, item]) => ({ key, ...serialiseStoreItem(key, item) }));
    const now = new Date(this.clock.now()).toISOString();
    await this.db.transaction('writing bot state', async (tx) => {
      for (const { key, json, expectedEtag } of prepared) {
        if (expectedEtag === undefined) {
          await tx.query(
            `INSERT INTO bot_state (key, value, etag, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = excluded.etag,
                                             updated_at = excluded.updated_at`,
            [key, json, randomUUID(), now],
          );
          continue;
        }
        const updated = await tx.query(
          'UPDATE bot_state SET value = $2, etag = $3, updated_at = $4 WHERE key = $1 AND etag = $5',
          [key, json, randomUUID(), now, expectedEtag],
        );
        if (updated.rowCount === 0) {
          throw new ETagConflictError(
            key,
            `eTag conflict for "${key}": it was changed or deleted since it was read`,
          );
        }
      }
    });
  }

  /** Removes the items for `keys`. */
  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.query('deleting bot state', 'DELETE FROM bot_state WHERE key = ANY($1::text[])', [keys]);
  }

  /** Deletes state items (conversation history, user state) last written before `cutoff`. */
  async deleteStateOlderThan(cutoff: Date): Promise<number> {
    const result = await this.db.query(
      'deleting old bot state',
      'DELETE FROM bot_state WHERE updated_at < $1',
      [cutoff.toISOString()],
    );
    return result.rowCount ?? 0;
  }

  /** Deletes the state items with these keys; returns how many existed. */
  async deleteStateKeys(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const result = await this.db.query(
      'deleting bot state',
      'DELETE FROM bot_state WHERE key = ANY($1::text[])',
      [[...keys]],
    );
    return result.rowCount ?? 0;
  }
}
