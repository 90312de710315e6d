import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConversationState, TestAdapter, type Storage } from 'botbuilder';
import { StorageError } from '../../src/shared/errors';
import { openDatabase, SqliteStorage } from '../../src/storage';
import { describeEachBackend, type TestBackend } from '../support/storageBackends';

/** The shape of the test values; `Storage.read` itself types them as `any`. */
interface TestItem {
  eTag?: string;
  count?: number;
  nested?: unknown;
  text?: string;
  history?: string[];
}

/** Reads through the storage under test, typed for assertions. */
async function readItems(storage: Storage, keys: string[]): Promise<Record<string, TestItem>> {
  const items: unknown = await storage.read(keys);
  return items as Record<string, TestItem>;
}

function isConflict(error: unknown): boolean {
  return error instanceof StorageError && error.isRetryable && /eTag conflict/.test(error.message);
}

describeEachBackend('bot state Storage', (backendUnderTest) => {
  let backend: TestBackend;
  let storage: Storage;

  beforeEach(async () => {
    backend = await backendUnderTest.open();
    storage = backend.storage;
  });

  afterEach(async () => {
    await backend.close();
  });

  it('reads back what was written, with an eTag, and only the keys that exist', async () => {
    await storage.write({ a: { count: 1, nested: { list: [1, 'two', null] } }, b: { text: 'héllo' } });
    const items = await readItems(storage, ['a', 'b', 'missing']);
    assert.deepEqual(Object.keys(items).sort(), ['a', 'b']);
    assert.equal(items.a.count, 1);
    assert.deepEqual(items.a.nested, { list: [1, 'two', null] });
    assert.equal(items.b.text, 'héllo');
    assert.equal(typeof items.a.eTag, 'string');
    assert.notEqual(items.a.eTag, items.b.eTag);
  });

  it('returns nothing for an empty key list', async () => {
    await storage.write({ a: { count: 1 } });
    assert.deepEqual(await readItems(storage, []), {});
  });

  it('does not store the eTag inside the value', async () => {
    const storedValue = async (): Promise<unknown> => {
      const [row] = await backend.rows<{ value: string }>("SELECT value FROM bot_state WHERE key = 'a'");
      return JSON.parse(row.value);
    };

    await storage.write({ a: { count: 1, eTag: '*' } });
    assert.deepEqual(await storedValue(), { count: 1 });
    const read = (await readItems(storage, ['a'])).a;
    await storage.write({ a: { ...read, count: 2 } });
    assert.deepEqual(await storedValue(), { count: 2 });
  });

  it('gives every write a new eTag and accepts a write carrying the current eTag', async () => {
    await storage.write({ a: { count: 1 } });
    const first = (await readItems(storage, ['a'])).a;
    await storage.write({ a: { ...first, count: 2 } });
    const second = (await readItems(storage, ['a'])).a;
    assert.notEqual(second.eTag, first.eTag);
    assert.equal(second.count, 2);
  });

  it('rejects a write with a stale eTag as a retryable conflict and keeps the newer value', async () => {
    await storage.write({ a: { count: 1 } });
    const stale = (await readItems(storage, ['a'])).a;
    await storage.write({ a: { ...stale, count: 2 } });

    await assert.rejects(storage.write({ a: { ...stale, count: 99 } }), isConflict);
    assert.equal((await readItems(storage, ['a'])).a.count, 2);
  });

  it('writes nothing of a batch when one item conflicts', async () => {
    await storage.write({ a: { count: 1 }, b: { count: 1 } });
    const read = await readItems(storage, ['a', 'b']);
    await storage.write({ b: { ...read.b, count: 2 } });

    await assert.rejects(
      storage.write({ a: { ...read.a, count: 50 }, b: { ...read.b, count: 50 }, c: { count: 50 } }),
      isConflict,
    );
    const after = await readItems(storage, ['a', 'b', 'c']);
    assert.equal(after.a.eTag, read.a.eTag);
    assert.equal(after.a.count, 1);
    assert.equal(after.b.count, 2);
    assert.equal(after.c, undefined);
  });

  it('treats an eTag for a key that does not exist as a conflict', async () => {
    await assert.rejects(storage.write({ ghost: { count: 1, eTag: 'made-up' } }), isConflict);
    assert.deepEqual(await readItems(storage, ['ghost']), {});
  });

  it("overwrites unconditionally when the eTag is '*' or missing", async () => {
    await storage.write({ a: { count: 1 } });
    await storage.write({ a: { count: 2, eTag: '*' } });
    assert.equal((await readItems(storage, ['a'])).a.count, 2);
    await storage.write({ a: { count: 3 } });
    assert.equal((await readItems(storage, ['a'])).a.count, 3);
  });

  it('deletes keys and ignores keys that do not exist', async () => {
    await storage.write({ a: { count: 1 }, b: { count: 2 } });
    await storage.delete(['a', 'missing']);
    assert.deepEqual(Object.keys(await readItems(storage, ['a', 'b'])), ['b']);
  });

  it('rejects a value that is not an object, or cannot be JSON', async () => {
    await assert.rejects(storage.write({ a: 'text' }), StorageError);
    await assert.rejects(storage.write({ a: { big: BigInt(1) } }), StorageError);
  });

  it('reports a failure of the database as a rejected promise with a StorageError', async () => {
    await backend.disconnect();
    await assert.rejects(storage.read(['a']), StorageError);
    await assert.rejects(storage.write({ a: { count: 1 } }), StorageError);
  });

  it('lets exactly one of two writers holding the same eTag win, the other getting a conflict', async () => {
    await storage.write({ a: { count: 0 } });
    const read = (await readItems(storage, ['a'])).a;
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, index) => storage.write({ a: { ...read, count: index + 1 } })),
    );
    const won = results.filter((result) => result.status === 'fulfilled');
    assert.equal(won.length, 1);
    for (const result of results) {
      if (result.status === 'rejected') assert.ok(isConflict(result.reason), String(result.reason));
    }
    const winner = results.findIndex((result) => result.status === 'fulfilled') + 1;
    assert.equal((await readItems(storage, ['a'])).a.count, winner);
  });
});

describe('SqliteStorage', () => {
  describe('on a file', () => {
    let folder: string;

    beforeEach(() => {
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-state-'));
    });

    afterEach(() => {
      fs.rmSync(folder, { recursive: true, force: true });
    });

    it('keeps the data when the database is closed and opened again', async () => {
      const file = path.join(folder, 'bot.sqlite');
      const first = openDatabase({ file });
      await new SqliteStorage(first).write({ 'conv/1': { history: ['hello', 'hi there'] } });
      first.close();

      const second = openDatabase({ file });
      try {
        const items = await readItems(new SqliteStorage(second), ['conv/1']);
        assert.deepEqual(items['conv/1'].history, ['hello', 'hi there']);
      } finally {
        second.close();
      }
    });

    it('keeps botbuilder conversation state across a restart of the bot', async () => {
      const file = path.join(folder, 'bot.sqlite');

      /** One "bot process": its own connection, storage, state and adapter, counting turns per conversation. */
      async function runBot(messages: string[]): Promise<string[]> {
        const botDb = openDatabase({ file });
        try {
          const state = new ConversationState(new SqliteStorage(botDb));
          const turns = state.createProperty<number>('turns');
          const replies: string[] = [];
          const adapter = new TestAdapter(async (context) => {
            const count = (await turns.get(context, 0)) + 1;
            await turns.set(context, count);
            await state.saveChanges(context);
            await context.sendActivity(`turn ${count}`);
          });
          for (const message of messages) {
            await adapter.send(message).assertReply((reply) => {
              replies.push(reply.text ?? '');
            });
          }
          return replies;
        } finally {
          botDb.close();
        }
      }

      assert.deepEqual(await runBot(['one', 'two']), ['turn 1', 'turn 2']);
      assert.deepEqual(await runBot(['three']), ['turn 3']);
    });
  });
});
