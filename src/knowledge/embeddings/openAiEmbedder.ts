import OpenAI from 'openai';
import { ModelError } from '../../shared/errors';
import type { Logger } from '../../shared/logging';
import { openAiErrorStatus, openAiRetryAfterMs } from '../../model';
import { type Clock, fullJitterDelay, systemClock } from '../../shared/time';
import type { Embedder } from './embedder';

/** How a failed embeddings request is retried: like a model call (3 retries, Retry-After honoured). */
export const EMBEDDINGS_RETRY = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  /** A Retry-After beyond this is not waited for; the request fails (search falls back to lexical). */
  maxRetryAfterMs: 20000,
} as const;

/** Inputs per request (OpenAI accepts up to 2048; smaller batches keep one failure cheap). */
export const EMBEDDINGS_BATCH_SIZE = 64;

/** Inputs are cut to this many characters, below the models' 8191-token input limit. */
export const MAX_EMBEDDING_INPUT_CHARS = 8000;

/** Options of an OpenAiEmbedder. */
export interface OpenAiEmbedderOptions {
  /** The model, or for Azure OpenAI the embeddings deployment. */
  model: string;
  description: string;
  logger: Logger;
  clock?: Clock;
  random?: () => number;
  batchSize?: number;
}

/**
 * Embeddings through the `openai` package's `embeddings.create` (OpenAI, Azure OpenAI or a compatible
 * server, as the client was built), in batches, each request retried on 408/429/5xx and connection
 * failures at most 3 times (after Retry-After, else exponential backoff with full jitter). The client
 * should be built with `maxRetries: 0`: retries are counted here, on the injectable clock.
 */
export class OpenAiEmbedder implements Embedder {
  readonly model: string;
  readonly description: string;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly batchSize: number;

  constructor(
    private readonly client: OpenAI,
    private readonly options: OpenAiEmbedderOptions,
  ) {
    this.model = options.model;
    this.description = options.description;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.batchSize = options.batchSize ?? EMBEDDINGS_BATCH_SIZE;
  }

  async embed(texts: readonly string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const batch = texts
        .slice(start, start + this.batchSize)
        .map((text) =>
          text.length > MAX_EMBEDDING_INPUT_CHARS ? text.slice(0, MAX_EMBEDDING_INPUT_CHARS) : text,
        )
        // The API rejects empty strings; a single space embeds as "nothing".
        .map((text) => (text.trim() === '' ? ' ' : text));
      vectors.push(...(await this.embedBatch(batch, options.signal)));
    }
    return vectors;
  }

  private async embedBatch(batch: string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.client.embeddings.create(
          { model: this.model, input: batch, encoding_format: 'float' },
          { signal },
        );
        return toVectors(response, batch.length);
      } catch (error) {
        if (error instanceof ModelError) throw error;
        const delayMs = this.retryDelay(error, attempt, signal);
        if (delayMs === undefined) {
          throw new ModelError(`embeddings request failed: ${describe(error)}`, isRetryable(error), {
            cause: error,
          });
        }
        this.options.logger.warn(
          { attempt, delayMs, status: openAiErrorStatus(error), err: error, model: this.model },
          'an embeddings request failed; retrying',
        );
        await this.clock.sleep(delayMs);
      }
    }
  }

  private retryDelay(error: unknown, attempt: number, signal: AbortSignal | undefined): number | undefined {
    if (attempt > EMBEDDINGS_RETRY.maxRetries || signal?.aborted || !isRetryable(error)) return undefined;
    const retryAfter = openAiRetryAfterMs(error, this.clock.now());
    if (retryAfter !== undefined)
      return retryAfter <= EMBEDDINGS_RETRY.maxRetryAfterMs ? retryAfter : undefined;
    return fullJitterDelay(attempt, EMBEDDINGS_RETRY, this.random);
  }
}

function toVectors(response: OpenAI.CreateEmbeddingResponse, expected: number): Float32Array[] {
  const data = Array.isArray(response?.data) ? [...response.data] : [];
  if (data.length !== expected) {
    throw new ModelError(
      `the embeddings endpoint returned ${data.length} vectors for ${expected} inputs`,
      false,
    );
  }
  data.sort((a, b) => a.index - b.index);
  const vectors = data.map((item) => {
    if (!Array.isArray(item.embedding) || item.embedding.some((value) => typeof value !== 'number')) {
      throw new ModelError('the embeddings endpoint returned a vector that is not a list of numbers', false);
    }
    return Float32Array.from(item.embedding);
  });
  const dimensions = vectors[0]?.length ?? 0;
  if (dimensions === 0 || vectors.some((vector) => vector.length !== dimensions)) {
    throw new ModelError(
      'the embeddings endpoint returned empty vectors or vectors of different sizes',
      false,
    );
  }
  return vectors;
}

function isRetryable(error: unknown): boolean {
  if (error instanceof OpenAI.APIUserAbortError) return false;
  if (error instanceof OpenAI.APIConnectionError) return true;
  const status = openAiErrorStatus(error);
  return status !== undefined && (status === 408 || status === 429 || status >= 500);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
