/** One indexed section of a knowledge document. */
export interface KnowledgePassage {
  /** '<documentId>#<position>', position counting from 1 within the document. */
  id: string;
  /** The document's path relative to the knowledge folder, without '.md', e.g. 'remote-work-and-vpn'. */
  documentId: string;
  /** The document's `# ` title, or its file name. */
  title: string;
  /** The section path, e.g. 'Connecting > Troubleshooting'; '' for text before the first sub-heading. */
  heading: string;
  /** Path relative to the knowledge folder, e.g. 'remote-work-and-vpn.md'. */
  source: string;
  /** The section's markdown. */
  text: string;
}

/** A passage found by a search. */
export interface SearchHit extends KnowledgePassage {
  /** Relevance (negated BM25): higher is better; only comparable within one search. */
  score: number;
  /** At most 300 characters: the most relevant sentence(s) of the passage. */
  snippet: string;
}

/** What `loadFolder` did. */
export interface LoadSummary {
  /** Documents in the index after loading (= markdown files in the folder, plus ingested documents). */
  documents: number;
  /** Passages in the index after loading. */
  passages: number;
  /** Documents left as they were because their content hash had not changed. */
  skipped: number;
  /** Documents removed because their files are gone. */
  removed: number;
}

/** A document whose text was extracted elsewhere (e.g. by `npm run ingest`), ready to index. */
export interface ExtractedDocument {
  /** Where the document lives, shown in citations; must be unique, e.g. an absolute file path. */
  source: string;
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
