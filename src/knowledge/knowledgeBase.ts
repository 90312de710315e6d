import { StorageError } from '../shared/errors';
import type { Logger } from '../shared/logging';
import { systemClock, type Clock } from '../shared/time';
import { embeddingHash, embeddingInput, type Embedder } from './embeddings';
import {
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
import { splitMarkdown } from './markdownPassages';
import type { PassageIndex, RankedPassage } from './passageIndex';
import { nearestByCosine, reciprocalRankFusion, type VectorCandidate } from './ranking';
import { searchTerms } from './searchTerms';
import { bestSnippet } from './snippet';
import type { PassageVectorStore } from './vectorStore';

/** In hybrid search, this many of the best passages of each search (lexical, vector) are fused. */
export const HYBRID_CANDIDATES = 20;

/**
 * Replaceable parts of a knowledge base. `embeddings` turns on hybrid search (vectors of this embedder,
 * kept in this store; unset: lexical search only) and then needs the `logger` that hears about
 * embeddings failures (search falls back to lexical).
 */
export type KnowledgeBaseOptions = { clock?: Clock } & (
  | { embeddings?: undefined; logger?: Logger }
  | { embeddings: { embedder: Embedder; vectors: PassageVectorStore }; logger: Logger }
);

/**
 * The knowledge base: documents split into passages (on headings, with a size cap) and searched by
 * relevance. Where passages live and how they are ranked lexically is the `PassageIndex`'s business
 * (SQLite FTS5 or PostgreSQL full-text search); splitting, change detection, snippets and hybrid ranking
 * are the same for every backend. Reading files is ingestion's job (src/knowledge/ingestion).
 */
export class KnowledgeBase {
  private readonly clock: Clock;
  private readonly embeddings: { embedder: Embedder; vectors: PassageVectorStore } | undefined;
  private readonly logger: Logger | undefined;
  /** Vectors are content-addressed, so a cached one never goes stale; new ones are read when missing. */
  private vectorCache = new Map<string, Float32Array>();
  /** embeddingInput → its hash, for the passages seen by the last vector search. */
  private hashCache = new Map<string, string>();

  constructor(
    private readonly index: PassageIndex,
    options: KnowledgeBaseOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.embeddings = options.embeddings;
    this.logger = options.logger;
  }

  /** What ranks the passages: 'lexical', or 'hybrid' with the embedder's description. */
  get searchMode(): string {
    return this.embeddings ? `hybrid (lexical + ${this.embeddings.embedder.description})` : 'lexical';
  }

  /**
   * Indexes one document from already-extracted content, split on headings with a size cap, replacing
   * the indexed version of the same source in one transaction; skipped when the stored content hash
   * equals `document.contentHash`. Vectors are computed afterwards, by `embedMissing`.
   * @throws StorageError when the index cannot be written.
   */
  async indexDocument(document: ExtractedDocument): Promise<IndexDocumentResult> {
    if ((await this.index.documentHash(document.source)) === document.contentHash) {
      return { passages: 0, skipped: true };
    }
    const split = splitMarkdown(document.markdown, document.fallbackTitle);
    await this.index.replaceDocument({
      id: document.source.replace(/\.md$/i, ''),
      source: document.source,
      origin: document.origin,
      title: split.title,
      contentHash: document.contentHash,
      indexedAt: new Date(this.clock.now()).toISOString(),
      passages: split.passages,
    });
    return { passages: split.passages.length, skipped: false };
  }

  /** The indexed documents of one origin: source → content hash. */
  async indexedDocuments(origin: DocumentOrigin): Promise<Map<string, string>> {
    return this.index.documentHashes(origin);
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
   * With embeddings configured: embeds the passages whose content has no vector yet (new and changed
   * passages only; an unchanged passage of a changed document keeps its vector), in batches, and removes
   * vectors no passage needs any more. An embeddings failure is logged and reported, never thrown: those
   * passages are still found by lexical search, and the next run tries again. Without embeddings: nothing.
   * @throws StorageError when the index or the vector store cannot be read or written.
   */
  async embedMissing(): Promise<EmbeddingSummary> {
    const summary: EmbeddingSummary = { embedded: 0, reused: 0, removed: 0 };
    if (!this.embeddings) return summary;
    const { embedder, vectors } = this.embeddings;
    const stored = await vectors.vectors(embedder.model);
    const wanted = new Map<string, string>();
    for (const passage of await this.index.allPassages()) {
      const input = embeddingInput(passage);
      wanted.set(embeddingHash(input), input);
    }
    const missing = [...wanted].filter(([hash]) => !stored.has(hash));
    summary.reused = wanted.size - missing.length;
    try {
      const embedded = await embedder.embed(missing.map(([, input]) => input));
      await vectors.store(
        embedder.model,
        missing.map(([textHash], index) => ({ textHash, vector: embedded[index] })),
      );
      summary.embedded = missing.length;
    } catch (error) {
      if (error instanceof StorageError) throw error;
      summary.error = error instanceof Error ? error.message : String(error);
      this.logger?.warn(
        { err: error, passages: missing.length, model: embedder.model },
        'embedding passages failed; they are found by lexical search only until the next start',
      );
    }
    summary.removed = await vectors.prune(embedder.model, new Set(wanted.keys()));
    return summary;
  }

  /**
   * Relevance-ranked search over the passages. Any text is accepted: it is reduced to its content words
   * (stop words dropped) and searched as an OR of terms, longer ones as prefixes. With embeddings, the
   * query is also embedded and the passages nearest to it by cosine similarity are fused with the lexical
   * ones (reciprocal rank fusion, HYBRID_CANDIDATES of each); if embedding the query fails the lexical
   * results are returned and a warning is logged.
   * @returns the best passages first, at most `limit` (default 5, at most 50); [] when the text has no content words.
   */
  async search(
    query: string,
    limit: number = DEFAULT_SEARCH_LIMIT,
    options: SearchOptions = {},
  ): Promise<SearchHit[]> {
    const terms = searchTerms(query);
    if (terms.length === 0) return [];
    const wanted = clampLimit(limit);
    if (!this.embeddings) return withSnippets(await this.index.search(terms, wanted), terms);

    const lexical = await this.index.search(terms, Math.max(wanted, HYBRID_CANDIDATES));
    let nearest: KnowledgePassage[];
    try {
      nearest = await this.nearestPassages(query, Math.max(wanted, HYBRID_CANDIDATES), options.signal);
    } catch (error) {
      if (error instanceof StorageError) throw error;
      // After Stop nobody waits for the answer: the lexical results are enough, and no warning is due.
      if (!options.signal?.aborted) {
        this.logger?.warn(
          { err: error, model: this.embeddings.embedder.model },
          'embedding the search query failed; answering from lexical search only',
        );
      }
      return withSnippets(lexical.slice(0, wanted), terms);
    }
    const fused = reciprocalRankFusion<KnowledgePassage>([lexical, nearest], (passage) => passage.id)
      .slice(0, wanted)
      .map(({ item, score }): RankedPassage => ({ ...toPassage(item), score }));
    return withSnippets(fused, terms);
  }

  /** Number of documents and passages indexed. */
  async stats(): Promise<{ documents: number; passages: number }> {
    return this.index.stats();
  }

  /** The passages nearest to the query's embedding, best first (brute force over all passages). */
  private async nearestPassages(
    query: string,
    limit: number,
    signal: AbortSignal | undefined,
  ): Promise<KnowledgePassage[]> {
    const { embedder, vectors } = this.embeddings ?? {};
    if (!embedder || !vectors) return [];
    const [queryVector] = await embedder.embed([query], { signal });
    const passages = await this.index.allPassages();
    const hashes = new Map<string, string>();
    const keyed = passages.map((passage) => {
      const input = embeddingInput(passage);
      const hash = this.hashCache.get(input) ?? embeddingHash(input);
      hashes.set(input, hash);
      return { passage, hash };
    });
    this.hashCache = hashes;
    if (keyed.some(({ hash }) => !this.vectorCache.has(hash))) {
      this.vectorCache = await vectors.vectors(embedder.model);
    }
    const candidates: VectorCandidate<KnowledgePassage>[] = [];
    for (const { passage, hash } of keyed) {
      const vector = this.vectorCache.get(hash);
      if (vector) candidates.push({ item: passage, vector });
    }
    return nearestByCosine(queryVector, candidates, limit).map(({ item }) => item);
  }
}

function toPassage(passage: KnowledgePassage): KnowledgePassage {
  const { id, documentId, title, heading, source, text } = passage;
  return { id, documentId, title, heading, source, text };
}

function withSnippets(passages: readonly RankedPassage[], terms: readonly string[]): SearchHit[] {
  return passages.map((passage) => ({ ...passage, snippet: bestSnippet(passage.text, terms) }));
}

function clampLimit(limit: number): number {
  if (!Number.isFinite(limit)) return DEFAULT_SEARCH_LIMIT;
  return Math.min(MAX_SEARCH_LIMIT, Math.max(1, Math.floor(limit)));
}
