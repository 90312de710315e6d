import { runStorage, type Db } from '../../storage';
import type { DocumentOrigin, KnowledgePassage } from '../knowledgeTypes';
import type { IndexedDocument, PassageIndex, RankedPassage } from '../passageIndex';
import { toFtsQuery } from '../searchTerms';

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
 * The passage index on SQLite: FTS5 (porter stemming, unicode61 tokens) ranked by BM25. Its tables come from
 * the storage migrations.
 */
export class SqlitePassageIndex implements PassageIndex {
  private readonly selectDocuments;
  private readonly selectDocumentHash;
  private readonly deleteDocument;
  private readonly insertDocument;
  private readonly insertPassage;
  private readonly countAll;
  private readonly selectHits;
  private readonly selectAllPassages;

  constructor(private readonly db: Db) {
    this.selectDocuments = db.prepare<[DocumentOrigin], { source: string; content_hash: string }>(
      'SELECT source, content_hash FROM kb_documents WHERE origin = ?',
    );
    this.selectDocumentHash = db.prepare<[string], { content_hash: string }>(
      'SELECT content_hash FROM kb_documents WHERE source = ?',
    );
    this.deleteDocument = db.prepare<[string]>('DELETE FROM kb_documents WHERE source = ?');
    this.insertDocument = db.prepare<[string, string, DocumentOrigin, string, string, string]>(
      `INSERT INTO kb_documents (id, source, origin, title, content_hash, indexed_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
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
    this.selectAllPassages = db.prepare<[], Omit<HitRow, 'rank'>>(
      `SELECT p.passage_id, p.document_id, d.title, p.heading, d.source, p.text
       FROM kb_passages p JOIN kb_documents d ON d.id = p.document_id
       ORDER BY p.document_id, p.position`,
    );
  }

  async documentHashes(origin: DocumentOrigin): Promise<Map<string, string>> {
    const rows = runStorage('reading the knowledge index', () => this.selectDocuments.all(origin));
    return new Map(rows.map((row) => [row.source, row.content_hash]));
  }

  async documentHash(source: string): Promise<string | undefined> {
    return runStorage('reading the knowledge index', () => this.selectDocumentHash.get(source))?.content_hash;
  }

  async replaceDocument(document: IndexedDocument): Promise<void> {
    runStorage(`indexing ${document.source}`, () =>
      this.db.transaction(() => {
        this.deleteDocument.run(document.source);
        this.insertDocument.run(
          document.id,
          document.source,
          document.origin,
          document.title,
          document.contentHash,
          document.indexedAt,
        );
        document.passages.forEach((passage, index) => {
          const position = index + 1;
          this.insertPassage.run(
            `${document.id}#${position}`,
            document.id,
            position,
            passage.heading,
            passage.text,
          );
        });
      })(),
    );
  }

  async removeDocument(source: string): Promise<boolean> {
    const result = runStorage(`removing ${source} from the knowledge index`, () =>
      this.deleteDocument.run(source),
    );
    return result.changes > 0;
  }

  async search(terms: readonly string[], limit: number): Promise<RankedPassage[]> {
    const match = toFtsQuery(terms);
    if (match === undefined) return [];
    const rows = runStorage('searching the knowledge base', () => this.selectHits.all(match, limit));
    return rows.map((row) => ({ ...toPassage(row), score: -row.rank }));
  }

  async allPassages(): Promise<KnowledgePassage[]> {
    return runStorage('reading the knowledge index', () => this.selectAllPassages.all()).map(toPassage);
  }

  async stats(): Promise<{ documents: number; passages: number }> {
    const counts = runStorage('counting the knowledge index', () => this.countAll.get());
    return { documents: counts?.documents ?? 0, passages: counts?.passages ?? 0 };
  }
}

function toPassage(row: Omit<HitRow, 'rank'>): KnowledgePassage {
  return {
    id: row.passage_id,
    documentId: row.document_id,
    title: row.title,
    heading: row.heading,
    source: row.source,
    text: row.text,
  };
}
