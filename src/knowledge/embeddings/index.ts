/** Embeddings for hybrid search: the Embedder interface, its `openai` implementation and passage inputs. */
export type { Embedder } from './embedder';
export { embeddingHash, embeddingInput } from './embeddingInput';
export {
  EMBEDDINGS_BATCH_SIZE,
  EMBEDDINGS_RETRY,
  MAX_EMBEDDING_INPUT_CHARS,
  OpenAiEmbedder,
  type OpenAiEmbedderOptions,
} from './openAiEmbedder';
export { createEmbedder, type OfflineEmbeddingsEndpoint } from './createEmbedder';
