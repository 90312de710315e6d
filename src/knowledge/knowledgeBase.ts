import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StorageError } from '../errors';
import { systemClock, type Clock } from '../storage';
import {
  DEFAULT_SEARCH_LIMIT,
  MAX_SEARCH_LIMIT,
  type ExtractedDocument,
  type IndexDocumentResult,
  type LoadSummary,
  type SearchHit,
} from './knowledgeTypes';
import { listMarkdownFiles } from './markdownFiles';
import { splitMarkdown, type MarkdownPassage } from './markdownPassages';
import type { PassageIndex } from './passageIndex';
import { searchTerms } from './searchTerms';
import { bestSnippet } from './snippet';

/**
 * Changing how documents are split must re-index them even though the files did not change: the
 * version is part of the content hash.
 */
const INDEX_FORMAT_VERSION = 'v1';

/**
 * The knowledge base: documents split into passages (on headings, with a size cap) and searched by
 * relevance. Where passages live and how they are ranked is the `PassageIndex`'s business (SQLite FTS5 or
 * PostgreSQL full-text search); splitting, change detection and snippets are the same for every backend.
 */
export class KnowledgeBase {
  constructor(
    private readonly index: PassageIndex,
    private readonly clock: Clock = systemClock,
  ) {}

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
    const known = await this.index.documentHashes();

    let skipped = 0;
    for (const source of sources) {
      const content = await readDocument(root, source);
      const hash = contentHash(content);
      if (known.get(source) === hash) {
        skipped += 1;
        continue;
      }
      const fallbackTitle = path.posix.basename(source).replace(/\.md$/i, '');
      await this.replaceDocument(source, hash, splitMarkdown(content, fallbackTitle));
    }

    const present = new Set(sources);
    let removed = 0;
    for (const source of known.keys()) {
      // Absolute sources were indexed by `indexDocument` (ingestion), not from this folder: keep them.
      if (present.has(source) || path.isAbsolute(source)) continue;
      await this.index.removeDocument(source);
      removed += 1;
    }
    return { ...(await this.index.stats()), skipped, removed };
  }

  /**
   * Indexes one document from already-extracted content, split like `loadFolder` does (headings,
   * size cap), replacing the indexed version of the same source in one transaction; skipped when
   * the stored content hash equals `document.contentHash`.
   * @throws StorageError when the index cannot be written.
   */
  async indexDocument(document: ExtractedDocument): Promise<IndexDocumentResult> {
    if ((await this.index.documentHash(document.source)) === document.contentHash) {
      return { passages: 0, skipped: true };
    }
    const split = splitMarkdown(document.markdown, document.fallbackTitle);
    await this.replaceDocument(document.source, document.contentHash, split);
    return { passages: split.passages.length, skipped: false };
  }

  /** The indexed documents: source → content hash. */
  async indexedDocuments(): Promise<Map<string, string>> {
    return this.index.documentHashes();
  }

  /**
   * Removes one document and its passages.
   * @returns whether the document was indexed.
   * @throws StorageError when the index cannot be written.
   */
  async removeDocument(source: string): Promise<boolean> {
    return this.index.removeDocument(source);
  }

  /**
   * Relevance-ranked full-text search over the passages. Any text is accepted: it is reduced to its
   * content words (stop words dropped) and searched as an OR of terms, longer ones as prefixes.
   * @returns the best passages first, at most `limit` (default 5, at most 50); [] when the text has no content words.
   */
  async search(query: string, limit: number = DEFAULT_SEARCH_LIMIT): Promise<SearchHit[]> {
    const terms = searchTerms(query);
    if (terms.length === 0) return [];
    const passages = await this.index.search(terms, clampLimit(limit));
    return passages.map((passage) => ({ ...passage, snippet: bestSnippet(passage.text, terms) }));
  }

  /** Number of documents and passages indexed. */
  async stats(): Promise<{ documents: number; passages: number }> {
    return this.index.stats();
  }

  private async replaceDocument(
    source: string,
    hash: string,
    document: { title: string; passages: MarkdownPassage[] },
  ): Promise<void> {
    await this.index.replaceDocument({
      id: source.replace(/\.md$/i, ''),
      source,
      title: document.title,
      contentHash: hash,
      indexedAt: this.clock().toISOString(),
      passages: document.passages,
    });
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

function contentHash(content: string): string {
  return createHash('sha256').update(INDEX_FORMAT_VERSION).update('\0').update(content).digest('hex');
}

function clampLimit(limit: number): number {
  if (!Number.isFinite(limit)) return DEFAULT_SEARCH_LIMIT;
  return Math.min(MAX_SEARCH_LIMIT, Math.max(1, Math.floor(limit)));
}
