import type { PostgresDatabase } from '../../storage';
import type { PassageVectorStore } from '../vectorStore';

/** Passage vectors in PostgreSQL (table kb_passage_vectors), as little-endian float32 bytea. */
export class PostgresVectorStore implements PassageVectorStore {
  constructor(private readonly db: PostgresDatabase) {}

  async vectors(model: string): Promise<Map<string, Float32Array>> {
    const { rows } = await this.db.query<{ text_hash: string; dimensions: number; vector: Buffer }>(
      'reading passage vectors',
      'SELECT text_hash, dimensions, vector FROM kb_passage_vectors WHERE model = $1',
      [model],
    );
    return new Map(rows.map((row) => [row.text_hash, toVector(row.vector, row.dimensions)]));
  }

  async store(
    model: string,
    entries: ReadonlyArray<{ textHash: string; vector: Float32Array }>,
  ): Promise<void> {
    if (entries.length === 0) return;
    // All vectors in one statement: hashes, sizes and blobs as parallel arrays.
    await this.db.query(
      'storing passage vectors',
      `INSERT INTO kb_passage_vectors (model, text_hash, dimensions, vector)
       SELECT $1, v.text_hash, v.dimensions, v.vector
       FROM unnest($2::text[], $3::int[], $4::bytea[]) AS v (text_hash, dimensions, vector)
       ON CONFLICT (model, text_hash) DO UPDATE SET dimensions = excluded.dimensions, vector = excluded.vector`,
      [
        model,
        entries.map((entry) => entry.textHash),
        entries.map((entry) => entry.vector.length),
        entries.map((entry) => toBlob(entry.vector)),
      ],
    );
  }

  async prune(model: string, keep: ReadonlySet<string>): Promise<number> {
    const result = await this.db.query(
      'pruning passage vectors',
      'DELETE FROM kb_passage_vectors WHERE NOT (model = $1 AND text_hash = ANY($2::text[]))',
      [model, [...keep]],
    );
    return result.rowCount ?? 0;
  }
}

function toBlob(vector: Float32Array): Buffer {
  const blob = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => blob.writeFloatLE(value, index * 4));
  return blob;
}

function toVector(blob: Buffer, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  for (let index = 0; index < dimensions; index += 1) vector[index] = blob.readFloatLE(index * 4);
  return vector;
}
