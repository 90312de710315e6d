/** One indexed section of a knowledge document. */
export interface KnowledgePassage {
  /** '<documentId>#<position>', position counting from 1 within the document. */
  id: string;
  /** The document's source without a '.md' extension, e.g. 'remote-work-and-vpn' or 'guides/setup.pdf'. */
  documentId: string;
  /** The document's `# ` title, or its file name. */
  title: string;
  /** The section path, e.g. 'Connecting > Troubleshooting'; '' for text before the first sub-heading. */
  heading: string;
  /**
   * Where the document lives, shown in citations: for the knowledge folder a path relative to it
   * ('remote-work-and-vpn.md'), for `npm run ingest` the absolute path.
   */
  source: string;
  /** The section's markdown. */
  text: string;
}

/** A passage found by a search. */
export interface SearchHit extends KnowledgePassage {
  /** Relevance (negated BM25, or the fused rank score in hybrid search): higher is better; only comparable within one search. */
  score: number;
  /** At most 300 characters: the most relevant sentence(s) of the passage. */
  snippet: string;
}

/**
 * Who indexed a document: 'folder' for the bot's knowledge folder (KNOWLEDGE_DIR, synced at startup),
 * 'ingest' for `npm run ingest`. Each only removes documents of its own origin.
 */
export type DocumentOrigin = 'folder' | 'ingest';

/** A document whose text was extracted elsewhere (e.g. by `npm run ingest`), ready to index. */
export interface ExtractedDocument {
  /** Where the document lives, shown in citations; must be unique, e.g. an absolute file path. */
  source: string;
  origin: DocumentOrigin;
  /** The title when the markdown has no `# ` heading, e.g. the file name. */
  fallbackTitle: string;
  /** The document as markdown (headings as `#` lines) or plain text (paragraphs separated by blank lines). */
  markdown: string;
  /** A hash of the document's content: when it equals the indexed one, the document is left as it is. */
  contentHash: string;
}

/** What `indexDocument` did. */
export interface IndexDocumentResult {
  /** Passages written for the document (0 when skipped). */
  passages: number;
  /** True when the document was left as it was because its content hash had not changed. */
  skipped: boolean;
}

/** Default number of hits `search` returns. */
export const DEFAULT_SEARCH_LIMIT = 5;
/** Most hits `search` returns, whatever is asked. */
export const MAX_SEARCH_LIMIT = 50;

/** How search was asked to run. */
export interface SearchOptions {
  /** Aborts the query's embeddings request (the turn's Stop); lexical search is not interruptible. */
  signal?: AbortSignal;
}

/** What `embedMissing` did. */
export interface EmbeddingSummary {
  /** Passages embedded now (new or changed content). */
  embedded: number;
  /** Passages whose content already had a vector. */
  reused: number;
  /** Vectors removed because no passage has their content any more (or another model made them). */
  removed: number;
  /** Set when embedding failed: the passages without vectors are found by lexical search only. */
  error?: string;
}
