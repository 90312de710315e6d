import type { DocumentOrigin, KnowledgePassage } from './knowledgeTypes';

/** One document as the index stores it: its passages replace any earlier version of the same source. */
export interface IndexedDocument {
  /** The document id passages are numbered under: '<documentId>#<position>'. */
  id: string;
  /** Where the document lives (unique): a path relative to the knowledge folder, or an absolute path/URL. */
  source: string;
  /** Who indexed it: each origin only ever removes its own documents. */
  origin: DocumentOrigin;
  title: string;
  contentHash: string;
  /** ISO 8601 */
  indexedAt: string;
  /** In document order; position = index + 1. */
  passages: ReadonlyArray<{ heading: string; text: string }>;
}

/** A passage with its lexical relevance (higher is better; only comparable within one search). */
export interface RankedPassage extends KnowledgePassage {
  score: number;
}

/**
 * Where passages are stored and searched: one implementation per storage backend (SQLite FTS5 with BM25,
 * PostgreSQL full-text search with ts_rank). The knowledge base on top of it is the same for all.
 */
export interface PassageIndex {
  /** The indexed documents of one origin: source → content hash. */
  documentHashes(origin: DocumentOrigin): Promise<Map<string, string>>;
  /** The content hash of one indexed document, or undefined when it is not indexed. */
  documentHash(source: string): Promise<string | undefined>;
  /** Replaces the document with this source (and all its passages) in one transaction. */
  replaceDocument(document: IndexedDocument): Promise<void>;
  /** Removes one document and its passages; resolves whether it was indexed. */
  removeDocument(source: string): Promise<boolean>;
  /**
   * Passages matching any of the content words `terms` (longer ones also as prefixes), best first,
   * at most `limit`. Title matches weigh more than heading matches, which weigh more than body matches.
   */
  search(terms: readonly string[], limit: number): Promise<RankedPassage[]>;
  /** Every passage, in document and position order (for vector search and embedding). */
  allPassages(): Promise<KnowledgePassage[]>;
  /** Number of documents and passages indexed. */
  stats(): Promise<{ documents: number; passages: number }>;
}
