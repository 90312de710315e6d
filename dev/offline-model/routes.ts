import { HASHING_EMBEDDING_DIMENSIONS, hashingEmbedding } from './hashingEmbedding';
import type { EmbeddingsRequest } from './embeddingsRequest';

/** The model name the server reports and uses when a request names none. */
export const OFFLINE_MODEL_ID = 'offline';

/** Whether a path is the chat completions route; Azure's names the deployment, which is then the model. */
export function chatRoute(path: string): { deployment?: string } | undefined {
  if (path === '/v1/chat/completions' || path === '/chat/completions') return {};
  const azure = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(path);
  return azure?.[1] ? { deployment: decodeURIComponent(azure[1]) } : undefined;
}

/** Whether a path is the embeddings route; Azure's names the deployment, which is then the model. */
export function embeddingsRoute(path: string): { deployment?: string } | undefined {
  if (path === '/v1/embeddings' || path === '/embeddings') return {};
  const azure = /^\/openai\/deployments\/([^/]+)\/embeddings$/.exec(path);
  return azure?.[1] ? { deployment: decodeURIComponent(azure[1]) } : undefined;
}

/** The vectors of an embeddings request as OpenAI sends them (floats, or base64 of float32 LE). */
export function embeddingsResponse(request: EmbeddingsRequest): unknown {
  const dimensions = request.dimensions ?? HASHING_EMBEDDING_DIMENSIONS;
  let tokens = 0;
  const data = request.input.map((text, index) => {
    tokens += text.split(/\s+/).filter((word) => word !== '').length;
    const vector = hashingEmbedding(text, dimensions);
    const embedding =
      request.encodingFormat === 'base64'
        ? Buffer.from(Float32Array.from(vector).buffer).toString('base64')
        : vector;
    return { object: 'embedding', index, embedding };
  });
  return {
    object: 'list',
    data,
    model: request.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
