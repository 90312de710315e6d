import type { PostgresDatabase } from '../../storage';
import type { DocumentOrigin, KnowledgePassage } from '../knowledgeTypes';
import type { IndexedDocument, PassageIndex, RankedPassage } from '../passageIndex';
import { toTsQuery } from './tsQuery';

/**
 * ts_rank weights for {D, C, B, A}: body text (C) 1, heading (B) 2, title (A) 4, like SQLite's BM25 column
 * weights, scaled into ts_rank's 0..1 range.
 */
const RANK_WEIGHTS = '{0.1, 0.25, 0.5, 1.0}';

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
 * The passage index on PostgreSQL: an 'english' tsvector per passage (title weight A, heading B, text C) with
 * a GIN index, queried with an OR of the terms (longer ones as prefixes) and ranked with ts_rank. Its tables
 * come from the PostgreSQL storage migrations.
 */
export class PostgresPassageIndex implements PassageIndex {
  constructor(private readonly db: PostgresDatabase) {}

  async documentHashes(origin: DocumentOrigin): Promise<Map<string, string>> {
    const { rows } = await this.db.query<{ source: string; content_hash: string }>(
      'reading the knowledge index',
      'SELECT source, content_hash FROM kb_documents WHERE origin = $1',
      [origin],
    );
    return new Map(rows.map((row) => [row.source, row.content_hash]));
  }

  async documentHash(source: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ content_hash: string }>(
      'reading the knowledge index',
      'SELECT content_hash FROM kb_documents WHERE source = $1',
      [source],
    );
    return rows[0]?.content_hash;
  }

  async replaceDocument(document: IndexedDocument): Promise<void> {
    await this.db.transaction(`indexing ${document.source}`, async (tx) => {
      // Instances starting together index the same documents: one at a time per source, or the second
      // insert would fail on the unique source instead of replacing the first.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('kb_documents:' || $1))`, [document.source]);
      await tx.query('DELETE FROM kb_documents WHERE source = $1', [document.source]);
      await tx.query(
        `INSERT INTO kb_documents (id, source, origin, title, content_hash, indexed_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          document.id,
          document.source,
          document.origin,
          document.title,
          document.contentHash,
          document.indexedAt,
        ],
      );
      if (document.passages.length === 0) return;
      // All passages in one statement: positions, headings and texts as parallel arrays.
      await tx.query(
        `INSERT INTO kb_passages (passage_id, document_id, position, heading, text, search)
         SELECT $1 || '#' || p.position, $1, p.position, p.heading, p.text,
                setweight(to_tsvector('english', $2), 'A') ||
                setweight(to_tsvector('english', p.heading), 'B') ||
                setweight(to_tsvector('english', p.text), 'C')
         FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS p (heading, text, position)`,
        [
          document.id,
          document.title,
          document.passages.map((passage) => passage.heading),
          document.passages.map((passage) => passage.text),
        ],
      );
    });
  }

  async removeDocument(source: string): Promise<boolean> {
    const result = await this.db.query(
      `removing ${source} from the knowledge index`,
      'DELETE FROM kb_documents WHERE source = $1',
      [source],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async search(terms: readonly string[], limit: number): Promise<RankedPassage[]> {
    const query = toTsQuery(terms);
    if (query === undefined) return [];
    const { rows } = await this.db.query<HitRow>(
      'searching the knowledge base',
      `SELECT p.passage_id, p.document_id, d.title, p.heading, d.source, p.text,
              ts_rank('${RANK_WEIGHTS}', p.search, q.query) AS rank
       FROM to_tsquery('english', $1) AS q (query)
       JOIN kb_passages p ON p.search @@ q.query
       JOIN kb_documents d ON d.id = p.document_id
       ORDER BY rank DESC, p.id
       LIMIT $2`,
      [query, limit],
    );
    return rows.map((row) => ({ ...toPassage(row), score: row.rank }));
  }

  async allPassages(): Promise<KnowledgePassage[]> {
    const { rows } = await this.db.query<Omit<HitRow, 'rank'>>(
      'reading the knowledge index',
      `SELECT p.passage_id, p.document_id, d.title, p.heading, d.source, p.text
       FROM kb_passages p JOIN kb_documents d ON d.id = p.document_id
       ORDER BY p.document_id, p.position`,
    );
    return rows.map(toPassage);
  }

  async stats(): Promise<{ documents: number; passages: number }> {
    const { rows } = await this.db.query<{ documents: number; passages: number }>(
      'counting the knowledge index',
      `SELECT (SELECT count(*) FROM kb_documents)::int AS documents,
              (SELECT count(*) FROM kb_passages)::int AS passages`,
    );
    return { documents: rows[0]?.documents ?? 0, passages: rows[0]?.passages ?? 0 };
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
