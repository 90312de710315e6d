/** The knowledge base: markdown documents indexed for full-text search (SQLite FTS5, BM25). */
export {
  DEFAULT_SEARCH_LIMIT,
  KnowledgeBase,
  MAX_SEARCH_LIMIT,
  type ExtractedDocument,
  type IndexDocumentResult,
  type KnowledgePassage,
  type LoadSummary,
  type SearchHit,
} from './knowledgeBase';
export { HEADING_SEPARATOR, PASSAGE_SIZE_CAP } from './markdownPassages';
export { SNIPPET_MAX_LENGTH } from './snippet';
