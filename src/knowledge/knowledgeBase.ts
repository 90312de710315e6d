import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StorageError } from '../errors';
import { runStorage, systemClock, type Clock, type Db } from '../storage';
import { listMarkdownFiles } from './markdownFiles';
import { splitMarkdown, type MarkdownPassage } from './markdownPassages';
import { searchTerms, toFtsQuery } from './searchTerms';
import { bestSnippet } from './snippet';

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

/**
 * Changing how documents are split must re-index them even though the files did not change: the
 * version is part of the content hash.
 */
const INDEX_FORMAT_VERSION = 'v1';

/** BM25 column weights: title, heading, text. A match in the title or heading says more than one in the body. */
const BM25_WEIGHTS = '4.0, 2.0, 1.0';

interface HitRow {
  passage_id: string;
  document_id: string;
  title: string;
  heading: string;
  source: string;
  text: string;
  rank: number;
}

/**
 * The knowledge base: markdown documents split into passages and indexed for BM25 full-text search
 * with SQLite FTS5 (porter stemming, unicode61 tokens). Its tables come from the storage migrations.
 */
export class KnowledgeBase {
  private readonly selectDocuments;
  private readonly selectDocumentHash;
  private readonly deleteDocument;
  private readonly insertDocument;
  private readonly insertPassage;
  private readonly countAll;
  private readonly selectHits;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {
    this.selectDocuments = db.prepare<[], { source: string; content_hash: string }>(
      'SELECT source, content_hash FROM kb_documents',
    );
    this.selectDocumentHash = db.prepare<[string], { content_hash: string }>(
      'SELECT content_hash FROM kb_documents WHERE source = ?',
    );
    this.deleteDocument = db.prepare<[string]>('DELETE FROM kb_documents WHERE source = ?');
    this.insertDocument = db.prepare<[string, string, string, string, string]>(
      'INSERT INTO kb_documents (id, source, title, content_hash, indexed_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertPassage = db.prepare<[string, string, number, string, string]>(
      'INSERT INTO kb_passages (passage_id, document_id, position, heading, text) VALUES (?, ?, ?, ?, ?)',
    );
    this.countAll = db.prepare<[], { documents: number; passages: number }>(
      `SELECT (SELECT count(*) FROM kb_documents) AS documents, (SELECT count(*) FROM kb_passages) AS passages`,
    );
    this.selectHits = db.prepare<[string, number], HitRow>(
      `SELECT p.passage_id, p.document_id, d.title, p.heading, d.source, p.text,
              bm25(kb_passages_fts, ${BM25_WEIGHTS}) AS rank
       FROM kb_passages_fts
       JOIN kb_passages p ON p.id = kb_passages_fts.rowid
       JOIN kb_documents d ON d.id = p.document_id
       WHERE kb_passages_fts MATCH ?
       ORDER BY rank, p.id
       LIMIT ?`,
    );
  }

  /**
   * Loads every .md file under the folder (recursively): splits each on headings into passages
   * (long sections cut at paragraph boundaries, about 1200 characters at most), indexes them,
   * replaces documents whose content changed, skips unchanged ones (by content hash) and removes
   * documents whose files are gone. Each document is replaced in its own transaction. Documents
   * with an absolute source were indexed by `indexDocument` (ingestion) and are left alone.
   * @throws StorageError when the folder or a file cannot be read, or the index cannot be written.
   */
  async loadFolder(folder: string): Promise<LoadSummary> {
    const root = path.resolve(folder);
    const sources = await readFolder(root);
    const known = new Map(
      runStorage('reading the knowledge index', () => this.selectDocuments.all()).map((row) => [
        row.source,
        row.content_hash,
      ]),
    );

    let skipped = 0;
    for (const source of sources) {
      const content = await readDocument(root, source);
      const hash = contentHash(content);
      if (known.get(source) === hash) {
        skipped += 1;
        continue;
      }
      const fallbackTitle = path.posix.basename(source).replace(/\.md$/i, '');
      this.replaceDocument(source, hash, splitMarkdown(content, fallbackTitle));
    }

    const present = new Set(sources);
    let removed = 0;
    for (const source of known.keys()) {
      // Absolute sources were indexed by `indexDocument` (ingestion), not from this folder: keep them.
      if (present.has(source) || isAbsoluteSource(source)) continue;
      runStorage(`removing ${source} from the knowledge index`, () => this.deleteDocument.run(source));
      removed += 1;
    }
    return { ...this.stats(), skipped, removed };
  }

  /**
   * Indexes one document from already-extracted content, split like `loadFolder` does (headings,
   * size cap), replacing the indexed version of the same source in one transaction; skipped when
   * the stored content hash equals `document.contentHash`.
   * @throws StorageError when the index cannot be written.
   */
  indexDocument(document: ExtractedDocument): IndexDocumentResult {
    const stored = runStorage('reading the knowledge index', () =>
      this.selectDocumentHash.get(document.source),
    );
    if (stored?.content_hash === document.contentHash) return { passages: 0, skipped: true };
    const split = splitMarkdown(document.markdown, document.fallbackTitle);
    this.replaceDocument(document.source, document.contentHash, split);
    return { passages: split.passages.length, skipped: false };
  }

  /** The indexed documents: source → content hash. */
  indexedDocuments(): Map<string, string> {
    const rows = runStorage('reading the knowledge index', () => this.selectDocuments.all());
    return new Map(rows.map((row) => [row.source, row.content_hash]));
  }

  /**
   * Removes one document and its passages.
   * @returns whether the document was indexed.
   * @throws StorageError when the index cannot be written.
   */
  removeDocument(source: string): boolean {
    const result = runStorage(`removing ${source} from the knowledge index`, () =>
      this.deleteDocument.run(source),
    );
    return result.changes > 0;
  }

  /**
   * BM25-ranked full-text search over the passages. Any text is accepted: it is reduced to its
   * content words (stop words dropped) and searched as an OR of quoted terms, longer ones as prefixes.
   * @returns the best passages first, at most `limit` (default 5, at most 50); [] when the text has no content words.
   */
  search(query: string, limit: number = DEFAULT_SEARCH_LIMIT): SearchHit[] {
    const terms = searchTerms(query);
    const match = toFtsQuery(terms);
    if (match === undefined) return [];
    const rows = runStorage('searching the knowledge base', () =>
      this.selectHits.all(match, clampLimit(limit)),
    );
    return rows.map((row) => ({
      id: row.passage_id,
      documentId: row.document_id,
      title: row.title,
      heading: row.heading,
      source: row.source,
      text: row.text,
      score: -row.rank,
      snippet: bestSnippet(row.text, terms),
    }));
  }

  /** Number of documents and passages indexed. */
  stats(): { documents: number; passages: number } {
    const counts = runStorage('counting the knowledge index', () => this.countAll.get());
    return { documents: counts?.documents ?? 0, passages: counts?.passages ?? 0 };
  }

  private replaceDocument(
    source: string,
    hash: string,
    document: { title: string; passages: MarkdownPassage[] },
  ): void {
    const documentId = source.replace(/\.md$/i, '');
    runStorage(`indexing ${source}`, () =>
      this.db.transaction(() => {
        this.deleteDocument.run(source);
        this.insertDocument.run(documentId, source, document.title, hash, this.clock().toISOString());
        document.passages.forEach((passage, index) => {
          const position = index + 1;
          this.insertPassage.run(
            `${documentId}#${position}`,
            documentId,
            position,
            passage.heading,
            passage.text,
          );
        });
      })(),
    );
  }
}

async function readFolder(root: string): Promise<string[]> {
  try {
    return await listMarkdownFiles(root);
  } catch (error) {
    throw new StorageError(`cannot read the knowledge folder ${root}`, false, { cause: error });
  }
}

async function readDocument(root: string, source: string): Promise<string> {
  try {
    return await fs.readFile(path.join(root, source), 'utf8');
  } catch (error) {
    throw new StorageError(`cannot read the knowledge document ${source}`, false, { cause: error });
  }
}

function isAbsoluteSource(source: string): boolean {
  return path.isAbsolute(source);
}

function contentHash(content: string): string {
  return createHash('sha256').update(INDEX_FORMAT_VERSION).update('\0').update(content).digest('hex');
}

function clampLimit(limit: number): number {
  if (!Number.isFinite(limit)) return DEFAULT_SEARCH_LIMIT;
  return Math.min(MAX_SEARCH_LIMIT, Math.max(1, Math.floor(limit)));
}
