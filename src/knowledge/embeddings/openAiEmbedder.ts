import OpenAI from 'openai';
import { ModelError } from '../../shared/errors';
import type { Logger } from '../../shared/logging';
import { isRetryableModelStatus, openAiErrorStatus, openAiRetryAfterHeaders } from '../../model';
import { type RetryPolicy, withRetry } from '../../shared/retry';
import { type Clock, systemClock } from '../../shared/time';
import type { Embedder } from './embedder';

/** How a failed embeddings request is retried: like a model call (3 retries, Retry-After honoured). */
export const EMBEDDINGS_RETRY = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  /** A Retry-After beyond this is not waited for; the request fails (search falls back to lexical). */
  maxRetryAfterMs: 20000,
} as const satisfies RetryPolicy;

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
 * should be built with `maxRetries: 0`: retries are counted here, on the injectable clock; an aborted `signal`
 * ends a wait between attempts.
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
    return withRetry(
      async () => {
        try {
          const response = await this.client.embeddings.create(
            { model: this.model, input: batch, encoding_format: 'float' },
            { signal },
          );
          return toVectors(response, batch.length);
        } catch (error) {
          if (error instanceof ModelError) throw error;
          throw asEmbeddingsError(error);
        }
      },
      {
        policy: EMBEDDINGS_RETRY,
        clock: this.clock,
        random: this.random,
        signal,
        onRetry: ({ attempt, delayMs, failure }) =>
          this.options.logger.warn(
            {
              attempt,
              delayMs,
              status: openAiErrorStatus(failure.cause),
              err: failure.cause,
              model: this.model,
            },
            'an embeddings request failed; retrying',
          ),
      },
    );
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

/**
 * A failed embeddings request as a ModelError: retryable for a connection failure and for the statuses a
 * model call retries (408, 429, 5xx); not for an abort or an error without a status. It carries the
 * response's Retry-After and the provider's error as its cause.
 */
function asEmbeddingsError(error: unknown): ModelError {
  return new ModelError(`embeddings request failed: ${describe(error)}`, isRetryable(error), {
    cause: error,
    retryAfter: openAiRetryAfterHeaders(error),
  });
}

function isRetryable(error: unknown): boolean {
  if (error instanceof OpenAI.APIUserAbortError) return false;
  if (error instanceof OpenAI.APIConnectionError) return true;
  const status = openAiErrorStatus(error);
  return status !== undefined && isRetryableModelStatus(status);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
