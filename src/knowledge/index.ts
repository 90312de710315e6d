/**
 * The knowledge base: documents split into passages and searched by relevance, lexically (the passage
 * index is backend-specific, `sqlite/`: FTS5 with BM25; `postgres/`: tsvector with ts_rank) or, with an
 * embeddings model, hybrid (lexical and vector results fused by reciprocal rank). Reading document files
 * is ingestion's job (src/knowledge/ingestion).
 */
export { HYBRID_CANDIDATES, KnowledgeBase, type KnowledgeBaseOptions } from './knowledgeBase';
export {
  DEFAULT_SEARCH_LIMIT,
  MAX_SEARCH_LIMIT,
  type DocumentOrigin,
  type EmbeddingSummary,
  type ExtractedDocument,
  type IndexDocumentResult,
  type KnowledgePassage,
  type SearchHit,
  type SearchOptions,
} from './knowledgeTypes';
export type { IndexedDocument, PassageIndex, RankedPassage } from './passageIndex';
export type { PassageVectorStore } from './vectorStore';
export { SqlitePassageIndex } from './sqlite/sqlitePassageIndex';
export { SqliteVectorStore } from './sqlite/sqliteVectorStore';
export { PostgresPassageIndex } from './postgres/postgresPassageIndex';
export { PostgresVectorStore } from './postgres/postgresVectorStore';
export { HEADING_SEPARATOR, PASSAGE_OVERLAP, PASSAGE_SIZE_CAP } from './markdownPassages';
export { SNIPPET_MAX_LENGTH } from './snippet';
export { sourceUrl } from './sourceUrl';
export {
  createEmbedder,
  embeddingHash,
  embeddingInput,
  EMBEDDINGS_BATCH_SIZE,
  EMBEDDINGS_RETRY,
  OpenAiEmbedder,
  type Embedder,
  type OfflineEmbeddingsEndpoint,
} from './embeddings';
export { cosineSimilarity, nearestByCosine, reciprocalRankFusion, RRF_K } from './ranking';

// Reading document files into the knowledge base (startup sync and `npm run ingest`).
export * from './ingestion';
