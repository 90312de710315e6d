/**
 * The knowledge base: documents split into passages and searched by relevance. The passage index is
 * backend-specific (`sqlite/`: FTS5 with BM25; `postgres/`: tsvector with ts_rank); the knowledge base on top of it is not.
 */
export { KnowledgeBase } from './knowledgeBase';
export {
  DEFAULT_SEARCH_LIMIT,
  MAX_SEARCH_LIMIT,
  type ExtractedDocument,
  type IndexDocumentResult,
  type KnowledgePassage,
  type LoadSummary,
  type SearchHit,
} from './knowledgeTypes';
export type { IndexedDocument, PassageIndex, RankedPassage } from './passageIndex';
export { SqlitePassageIndex } from './sqlite/sqlitePassageIndex';
export { PostgresPassageIndex } from './postgres/postgresPassageIndex';
export { HEADING_SEPARATOR, PASSAGE_SIZE_CAP } from './markdownPassages';
export { SNIPPET_MAX_LENGTH } from './snippet';
