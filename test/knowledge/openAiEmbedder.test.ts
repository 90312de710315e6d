import { strict as assert } from 'node:assert';
import OpenAI from 'openai';
import { ModelError } from '../../src/shared/errors';
import { EMBEDDINGS_RETRY, OpenAiEmbedder } from '../../src/knowledge';
import { createLogger } from '../../src/shared/logging';
import { startOfflineModel, type EmbeddingsFailure, type RunningOfflineModel } from '../../dev/offline-model';
import type { Clock } from '../../src/shared/time';

describe('OpenAiEmbedder against the offline /v1/embeddings', () => {
  let offline: RunningOfflineModel;
  let failures: EmbeddingsFailure[];
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => 0,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };

  beforeEach(async () => {
    failures = [];
    sleeps.length = 0;
    offline = await startOfflineModel({ embeddingsScript: () => failures.shift() });
  });

  afterEach(async () => {
    await offline.close();
  });

  function embedder(batchSize = 2): OpenAiEmbedder {
    return new OpenAiEmbedder(new OpenAI({ apiKey: 'offline', baseURL: offline.baseUrl, maxRetries: 0 }), {
      model: 'stand-in',
      description: 'test',
      logger: createLogger('silent'),
      clock,
      random: () => 0.5,
      batchSize,
    });
  }

  it('embeds in batches, one L2-normalized vector per text in order, the same text always the same vector', async () => {
    const vectors = await embedder().embed(['vpn gateway', 'parking garage', 'vpn gateway']);
    assert.deepEqual(
      offline.embeddingRequests.map((request) => request.input.length),
      [2, 1],
    );
    assert.equal(vectors.length, 3);
    for (const vector of vectors) {
      const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
      assert.ok(Math.abs(norm - 1) < 1e-5, `norm ${norm}`);
    }
    assert.deepEqual(vectors[0], vectors[2]);
    assert.notDeepEqual(vectors[0], vectors[1]);
  });

  it('retries a 429 or 5xx at most 3 times, after Retry-After or a jittered backoff', async () => {
    failures = [{ status: 429, retryAfterSeconds: 2 }, { status: 503 }, { status: 500 }];
    const [vector] = await embedder().embed(['vpn']);
    assert.ok(vector.length > 0);
    assert.deepEqual(sleeps, [2000, 500, 1000]);

    failures = [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }];
    sleeps.length = 0;
    await assert.rejects(embedder().embed(['vpn']), ModelError);
    assert.equal(sleeps.length, EMBEDDINGS_RETRY.maxRetries);
  });

  it('does not retry a 400 or an aborted request', async () => {
    failures = [{ status: 400 }];
    await assert.rejects(
      embedder().embed(['vpn']),
      (error: unknown) => error instanceof ModelError && !error.isRetryable,
    );
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(embedder().embed(['vpn'], { signal: controller.signal }), ModelError);
    assert.deepEqual(sleeps, []);
  });
});
