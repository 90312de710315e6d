import { strict as assert } from 'node:assert';
import type { Storage } from 'botbuilder';
import { ETagConflictError } from '../../src/shared/errors';
import { ConflictMergingStorage, mergeStateChanges } from '../../src/storage';
import { capturingLogger } from '../support/capturingLogger';
import { describeEachBackend, type TestBackend } from '../support/storageBackends';

interface ConversationItem {
  eTag?: string;
  chat_history?: string[];
  topic?: string;
  counter?: number;
}

async function readConversation(storage: Storage, key = 'conv'): Promise<ConversationItem> {
  const items: unknown = await storage.read([key]);
  return (items as Record<string, ConversationItem>)[key] ?? {};
}

/** Collects the warnings the wrapper logs, to see every retry. */
const recordingLogger = () => {
  const { logger, lines: warnings } = capturingLogger('warn');
  return { logger, warnings };
};

describeEachBackend('ConflictMergingStorage: two turns racing on one conversation', (backendUnderTest) => {
  let backend: TestBackend;

  beforeEach(async () => {
    backend = await backendUnderTest.open();
    await backend.storage.write({ conv: { chat_history: ['q1', 'a1'], topic: 'vpn', counter: 1 } });
  });

  afterEach(async () => {
    await backend.close();
  });

  it('without merging, the slower turn is refused (eTag conflict), never written over the faster one', async () => {
    const first = await readConversation(backend.storage);
    const second = await readConversation(backend.storage);
    await backend.storage.write({ conv: { ...first, chat_history: [...first.chat_history!, 'q2', 'a2'] } });
    await assert.rejects(
      backend.storage.write({ conv: { ...second, chat_history: [...second.chat_history!, 'q3', 'a3'] } }),
      ETagConflictError,
    );
    assert.deepEqual((await readConversation(backend.storage)).chat_history, ['q1', 'a1', 'q2', 'a2']);
  });

  it('keeps both turns: the slower turn’s messages are appended to the latest history and the retry is logged', async () => {
    const { logger, warnings } = recordingLogger();
    const turnA = new ConflictMergingStorage(backend.storage, { logger });
    const turnB = new ConflictMergingStorage(backend.storage, { logger });
    const readByA = await readConversation(turnA);
    const readByB = await readConversation(turnB);

    // Like teams-ai's TurnState, each turn changes the very object it read and writes it back.
    readByA.chat_history!.push('qA', 'aA');
    readByA.topic = 'wifi';
    readByB.chat_history!.push('qB', 'aB');
    readByB.counter = 2;
    await turnA.write({ conv: readByA });
    await turnB.write({ conv: readByB });

    const stored = await readConversation(backend.storage);
    assert.deepEqual(stored.chat_history, ['q1', 'a1', 'qA', 'aA', 'qB', 'aB']);
    assert.equal(stored.topic, 'wifi', 'a field only the first turn changed keeps its change');
    assert.equal(stored.counter, 2, 'a field only the second turn changed keeps its change');
    assert.equal(warnings.length, 1);
    assert.match(String(warnings[0].msg), /changed by another turn/);
  });

  it('merges many concurrent turns without losing one', async () => {
    const { logger } = recordingLogger();
    const turns = Array.from(
      { length: 6 },
      () => new ConflictMergingStorage(backend.storage, { logger, maxAttempts: 10 }),
    );
    const reads = await Promise.all(turns.map((turn) => readConversation(turn)));
    await Promise.all(
      turns.map((turn, index) =>
        turn.write({
          conv: Object.assign(reads[index], { chat_history: [...reads[index].chat_history!, `q${index}`] }),
        }),
      ),
    );
    const history = (await readConversation(backend.storage)).chat_history!;
    assert.deepEqual(history.slice(0, 2), ['q1', 'a1']);
    assert.deepEqual([...history.slice(2)].sort(), ['q0', 'q1', 'q2', 'q3', 'q4', 'q5'].sort());
  });

  it('gives up after maxAttempts and reports the conflict', async () => {
    const { logger, warnings } = recordingLogger();
    const interfering: Storage = {
      read: (keys) => backend.storage.read(keys),
      delete: (keys) => backend.storage.delete(keys),
      // Another turn always gets in first.
      write: async (changes) => {
        await backend.storage.write({
          conv: { ...(await readConversation(backend.storage)), counter: Math.random() },
        });
        await backend.storage.write(changes);
      },
    };
    const turn = new ConflictMergingStorage(interfering, { logger, maxAttempts: 3 });
    const read = await readConversation(turn);
    read.topic = 'lost race';
    await assert.rejects(turn.write({ conv: read }), ETagConflictError);
    assert.equal(warnings.length, 2, 'two retries after the first attempt');
  });
});

describe('mergeStateChanges', () => {
  it('appends this turn’s new entries to a history another turn extended', () => {
    assert.deepEqual(mergeStateChanges({ h: [1, 2] }, { h: [1, 2, 3, 4] }, { h: [1, 2, 'x', 'y'] }), {
      h: [1, 2, 'x', 'y', 3, 4],
    });
  });

  it('keeps the history length when this turn trimmed it from the front', () => {
    assert.deepEqual(mergeStateChanges({ h: [1, 2, 3] }, { h: [2, 3, 4] }, { h: [1, 2, 3, 'x'] }), {
      h: [2, 3, 'x', 4].slice(-3),
    });
  });

  it('takes the latest value of fields this turn did not change and drops fields it removed', () => {
    assert.deepEqual(mergeStateChanges({ a: 1, b: 1, c: 1 }, { a: 1, b: 2 }, { a: 5, b: 1, c: 1, d: 7 }), {
      a: 5,
      b: 2,
      d: 7,
    });
  });

  it('merges nested objects field by field', () => {
    assert.deepEqual(mergeStateChanges({ o: { x: 1, y: 1 } }, { o: { x: 2, y: 1 } }, { o: { x: 1, y: 3 } }), {
      o: { x: 2, y: 3 },
    });
  });

  it('takes this turn’s array when it replaced the array rather than appending', () => {
    assert.deepEqual(mergeStateChanges({ h: [1, 2] }, { h: ['new'] }, { h: [1, 2, 3] }), { h: ['new'] });
  });
});
