import { strict as assert } from 'node:assert';
import OpenAI, { AzureOpenAI } from 'openai';
import {
  hashingEmbedding,
  HASHING_EMBEDDING_DIMENSIONS,
  startOfflineModel,
  type RunningOfflineModel,
} from '../../../dev/offline-model';

function cosine(a: readonly number[], b: readonly number[]): number {
  return a.reduce((sum, value, index) => sum + value * b[index], 0);
}

describe('offline model: /v1/embeddings (lexical-hashing stand-in)', () => {
  let model: RunningOfflineModel;

  beforeEach(async () => {
    model = await startOfflineModel();
  });

  afterEach(async () => {
    await model.close();
  });

  it('answers the openai client with one L2-normalized vector per input, in order', async () => {
    const client = new OpenAI({ apiKey: 'offline', baseURL: model.baseUrl, maxRetries: 0 });
    const response = await client.embeddings.create({ model: 'any', input: ['vpn gateway', 'parking'] });
    assert.equal(response.object, 'list');
    assert.equal(response.model, 'any');
    assert.deepEqual(
      response.data.map((item) => item.index),
      [0, 1],
    );
    for (const item of response.data) {
      assert.equal(item.embedding.length, HASHING_EMBEDDING_DIMENSIONS);
      assert.ok(Math.abs(cosine(item.embedding, item.embedding) - 1) < 1e-9);
    }
    assert.deepEqual(response.data[0].embedding, hashingEmbedding('vpn gateway'));
    assert.ok(response.usage.total_tokens >= 3);
    assert.deepEqual(model.embeddingRequests[0]?.input, ['vpn gateway', 'parking']);
  });

  it('serves base64 floats and the Azure deployment route', async () => {
    const azure = new AzureOpenAI({
      endpoint: model.baseUrl.replace(/\/v1$/, ''),
      apiKey: 'offline',
      apiVersion: '2024-10-21',
      deployment: 'embeddings-deployment',
      maxRetries: 0,
    });
    const response = await azure.embeddings.create({
      model: 'ignored',
      input: 'vpn',
      encoding_format: 'base64',
    });
    const base64 = response.data[0].embedding as unknown as string;
    const bytes = Uint8Array.from(Buffer.from(base64, 'base64'));
    const floats = new Float32Array(bytes.buffer);
    assert.equal(floats.length, HASHING_EMBEDDING_DIMENSIONS);
    assert.equal(model.embeddingRequests.at(-1)?.model, 'embeddings-deployment');
  });

  it('rejects an empty input with 400 like OpenAI', async () => {
    const response = await fetch(`${model.baseUrl}/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'any', input: '' }),
    });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'invalid_request');
  });

  it('is deterministic; shared words count most, shared spelling fragments a little', () => {
    assert.deepEqual(hashingEmbedding('reset password'), hashingEmbedding('reset password'));
    const password = hashingEmbedding('How do I reset my password?');
    assert.ok(cosine(password, hashingEmbedding('password reset')) > 0.95, 'same words, other order');
    const typo = cosine(password, hashingEmbedding('pasword resett'));
    const unrelated = cosine(password, hashingEmbedding('parking garage hours'));
    assert.ok(typo > unrelated, `misspelt ${typo} vs unrelated ${unrelated}`);
    assert.ok(cosine(hashingEmbedding('wifi'), hashingEmbedding('Wi-Fi')) > 0);
    assert.deepEqual(
      hashingEmbedding('the and of').every((value) => value === 0),
      true,
      'stop words alone give the zero vector',
    );
  });
});
