import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { ModelError } from '../../src/shared/errors';
import {
  cosineSimilarity,
  createEmbedder,
  KnowledgeBase,
  nearestByCosine,
  reciprocalRankFusion,
  RRF_K,
  type Embedder,
} from '../../src/knowledge';
import { createLogger, type Logger } from '../../src/shared/logging';
import { startOfflineModel, type RunningOfflineModel } from '../../dev/offline-model';
import { describeEachBackend, type TestBackend } from '../support/storageBackends';

describe('reciprocal rank fusion', () => {
  const id = (item: string): string => item;

  it('scores each item 1/(k + rank) summed over the rankings it appears in', () => {
    const fused = reciprocalRankFusion(
      [
        ['a', 'b', 'c'],
        ['c', 'a'],
      ],
      id,
    );
    const scores = Object.fromEntries(fused.map((result) => [result.item, result.score]));
    assert.equal(scores.a, 1 / (RRF_K + 1) + 1 / (RRF_K + 2));
    assert.equal(scores.b, 1 / (RRF_K + 2));
    assert.equal(scores.c, 1 / (RRF_K + 3) + 1 / (RRF_K + 1));
    assert.deepEqual(
      fused.map((result) => result.item),
      ['a', 'c', 'b'],
    );
  });

  it('ranks an item both lists agree on above the top item of only one list', () => {
    const fused = reciprocalRankFusion(
      [
        ['lexical-only', 'both'],
        ['vector-only', 'both'],
      ],
      id,
    );
    assert.equal(fused[0]?.item, 'both');
  });

  it('keeps the first ranking order on ties and counts a repeated item once per ranking', () => {
    assert.deepEqual(
      reciprocalRankFusion([['x'], ['y']], id).map((result) => result.item),
      ['x', 'y'],
    );
    const [only] = reciprocalRankFusion([['x', 'x']], id, 10);
    assert.equal(only?.score, 1 / 11);
  });

  it('returns nothing for no rankings', () => {
    assert.deepEqual(reciprocalRankFusion<string>([], id), []);
  });
});

describe('cosine similarity', () => {
  it('is 1 for the same direction, 0 for orthogonal vectors and for a zero vector', () => {
    assert.equal(cosineSimilarity(Float32Array.of(1, 2), Float32Array.of(2, 4)), 1);
    assert.equal(cosineSimilarity(Float32Array.of(1, 0), Float32Array.of(0, 3)), 0);
    assert.equal(cosineSimilarity(Float32Array.of(0, 0), Float32Array.of(1, 1)), 0);
    assert.throws(() => cosineSimilarity(Float32Array.of(1), Float32Array.of(1, 2)), RangeError);
  });

  it('finds the nearest candidates first and skips vectors of another dimension', () => {
    const nearest = nearestByCosine(
      Float32Array.of(1, 0),
      [
        { item: 'far', vector: Float32Array.of(0, 1) },
        { item: 'near', vector: Float32Array.of(1, 0.1) },
        { item: 'other-model', vector: Float32Array.of(1, 0, 0) },
      ],
      5,
    );
    assert.deepEqual(
      nearest.map((result) => result.item),
      ['near', 'far'],
    );
  });
});

describeEachBackend('hybrid search', (backendUnderTest) => {
  let backend: TestBackend;
  let offline: RunningOfflineModel;
  let failEmbeddings: boolean;
  let logger: Logger;
  let warnings: sinon.SinonSpy;

  beforeEach(async () => {
    failEmbeddings = false;
    offline = await startOfflineModel({
      embeddingsScript: () => (failEmbeddings ? { status: 400 } : undefined),
    });
    backend = await backendUnderTest.open();
    logger = createLogger('silent');
    warnings = sinon.spy(logger, 'warn');
  });

  afterEach(async () => {
    await backend.close();
    await offline.close();
  });

  function embedder(): Embedder {
    return createEmbedder(
      { provider: 'offline', timeToFirstTokenMs: 0, tokensPerSecond: 1 },
      { model: 'stand-in' },
      { logger, offline },
    );
  }

  async function indexSample(kb: KnowledgeBase): Promise<void> {
    const documents = [
      [
        'passwords.md',
        '# Accounts\n\n## Password reset\n\nYou can reset a forgotten password at the self-service portal.',
      ],
      ['parking.md', '# Parking\n\n## Garage\n\nThe garage on level minus two opens at 06:30.'],
      ['printing.md', '# Printing\n\n## Printers\n\nPrinters on every floor print double-sided by default.'],
    ];
    for (const [source, markdown] of documents) {
      await kb.indexDocument({
        source,
        origin: 'folder',
        fallbackTitle: source,
        markdown,
        contentHash: source,
      });
    }
  }

  it('finds through the embeddings a passage that lexical search misses (misspelt words)', async () => {
    const index = backend.passageIndex;
    const lexical = new KnowledgeBase(index);
    const hybrid = new KnowledgeBase(index, {
      logger,
      embeddings: { embedder: embedder(), vectors: backend.vectors },
    });
    await indexSample(lexical);
    const summary = await hybrid.embedMissing();
    assert.deepEqual(summary, { embedded: 3, reused: 0, removed: 0 });

    const query = 'pasword resett';
    assert.deepEqual(await lexical.search(query), [], 'no word of the query is in the index');
    const [hit] = await hybrid.search(query);
    assert.equal(hit?.source, 'passwords.md');
    assert.equal(hit?.heading, 'Password reset');
    assert.ok(hit.score > 0);
    assert.ok(
      offline.embeddingRequests.some((request) => request.input.length === 1 && request.input[0] === query),
      'the query went to /v1/embeddings through the openai client',
    );
  });

  it('embeds only new or changed passages and drops vectors no passage needs', async () => {
    const kb = new KnowledgeBase(backend.passageIndex, {
      logger,
      embeddings: { embedder: embedder(), vectors: backend.vectors },
    });
    await indexSample(kb);
    await kb.embedMissing();
    await kb.indexDocument({
      source: 'parking.md',
      origin: 'folder',
      fallbackTitle: 'parking',
      markdown:
        '# Parking\n\n## Garage\n\nThe garage on level minus two opens at 06:30.\n\n## Bicycles\n\nRacks by the door.',
      contentHash: 'changed',
    });
    await kb.removeDocument('printing.md');
    const requestsBefore = offline.embeddingRequests.length;
    assert.deepEqual(await kb.embedMissing(), { embedded: 1, reused: 2, removed: 1 });
    assert.deepEqual(offline.embeddingRequests.slice(requestsBefore)[0]?.input, [
      'Parking\nBicycles\nRacks by the door.',
    ]);
    assert.deepEqual(await kb.embedMissing(), { embedded: 0, reused: 3, removed: 0 });
  });

  it('falls back to the lexical results with a logged warning when the query cannot be embedded', async () => {
    const index = backend.passageIndex;
    const lexical = new KnowledgeBase(index);
    const hybrid = new KnowledgeBase(index, {
      logger,
      embeddings: { embedder: embedder(), vectors: backend.vectors },
    });
    await indexSample(lexical);
    await hybrid.embedMissing();
    failEmbeddings = true;
    const hits = await hybrid.search('garage opening hours');
    assert.deepEqual(hits, await lexical.search('garage opening hours'));
    assert.equal(hits[0]?.source, 'parking.md');
    assert.ok(
      warnings.calledWithMatch(
        sinon.match.has('err', sinon.match.instanceOf(ModelError)),
        sinon.match(/lexical/),
      ),
      'a warning naming the fallback',
    );
  });

  it('after Stop (an aborted signal) does not ask for the query embedding and answers lexically, quietly', async () => {
    const index = backend.passageIndex;
    const lexical = new KnowledgeBase(index);
    const hybrid = new KnowledgeBase(index, {
      logger,
      embeddings: { embedder: embedder(), vectors: backend.vectors },
    });
    await indexSample(lexical);
    await hybrid.embedMissing();
    const requests = offline.embeddingRequests.length;
    const controller = new AbortController();
    controller.abort();
    const hits = await hybrid.search('garage opening hours', 5, { signal: controller.signal });
    assert.deepEqual(hits, await lexical.search('garage opening hours'));
    assert.equal(offline.embeddingRequests.length, requests, 'no embeddings request went out');
    assert.ok(warnings.notCalled);
  });

  it('stores vectors as float32 per model and content hash, and prunes the ones not kept', async () => {
    const vector = Float32Array.of(0.25, -1.5, 3.125);
    await backend.vectors.store('model-a', [
      { textHash: 'h1', vector },
      { textHash: 'h2', vector: Float32Array.of(1, 2, 3) },
    ]);
    await backend.vectors.store('model-b', [{ textHash: 'h1', vector }]);
    await backend.vectors.store('model-a', [{ textHash: 'h2', vector: Float32Array.of(4, 5, 6) }]);
    const stored = await backend.vectors.vectors('model-a');
    assert.deepEqual([...stored.keys()].sort(), ['h1', 'h2']);
    assert.deepEqual(stored.get('h1'), vector);
    assert.deepEqual(stored.get('h2'), Float32Array.of(4, 5, 6), 'replaced');
    assert.equal(await backend.vectors.prune('model-a', new Set(['h2'])), 2, 'h1 of model-a and model-b');
    assert.deepEqual([...(await backend.vectors.vectors('model-a')).keys()], ['h2']);
    assert.equal((await backend.vectors.vectors('model-b')).size, 0);
  });

  it('reports an embeddings failure at index time without throwing; lexical search still works', async () => {
    failEmbeddings = true;
    const kb = new KnowledgeBase(backend.passageIndex, {
      logger,
      embeddings: { embedder: embedder(), vectors: backend.vectors },
    });
    await indexSample(kb);
    const summary = await kb.embedMissing();
    assert.equal(summary.embedded, 0);
    assert.match(summary.error ?? '', /embeddings request failed/);
    assert.ok(warnings.called);
    assert.equal((await kb.search('garage'))[0]?.source, 'parking.md');
  });
});
