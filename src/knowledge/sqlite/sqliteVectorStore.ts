import { runStorage, type Db } from '../../storage';
import type { PassageVectorStore } from '../vectorStore';

interface VectorRow {
  model: string;
  text_hash: string;
  dimensions: number;
  vector: Buffer;
}

/** Passage vectors in SQLite (table kb_passage_vectors), as little-endian float32 BLOBs. */
export class SqliteVectorStore implements PassageVectorStore {
  private readonly selectVectors;
  private readonly upsertVector;
  private readonly selectKeys;
  private readonly deleteVector;

  constructor(private readonly db: Db) {
    this.selectVectors = db.prepare<[string], VectorRow>(
      'SELECT model, text_hash, dimensions, vector FROM kb_passage_vectors WHERE model = ?',
    );
    this.upsertVector = db.prepare<[string, string, number, Buffer]>(
      `INSERT INTO kb_passage_vectors (model, text_hash, dimensions, vector) VALUES (?, ?, ?, ?)
       ON CONFLICT (model, text_hash) DO UPDATE SET dimensions = excluded.dimensions, vector = excluded.vector`,
    );
    this.selectKeys = db.prepare<[], { model: string; text_hash: string }>(
      'SELECT model, text_hash FROM kb_passage_vectors',
    );
    this.deleteVector = db.prepare<[string, string]>(
      'DELETE FROM kb_passage_vectors WHERE model = ? AND text_hash = ?',
    );
  }

  async vectors(model: string): Promise<Map<string, Float32Array>> {
    const rows = runStorage('reading passage vectors', () => this.selectVectors.all(model));
    return new Map(rows.map((row) => [row.text_hash, toVector(row.vector, row.dimensions)]));
  }

  async store(
    model: string,
    entries: ReadonlyArray<{ textHash: string; vector: Float32Array }>,
  ): Promise<void> {
    runStorage('storing passage vectors', () =>
      this.db.transaction(() => {
        for (const entry of entries) {
          this.upsertVector.run(model, entry.textHash, entry.vector.length, toBlob(entry.vector));
        }
      })(),
    );
  }

  async prune(model: string, keep: ReadonlySet<string>): Promise<number> {
    return runStorage('pruning passage vectors', () =>
      this.db.transaction(() => {
        let removed = 0;
        for (const row of this.selectKeys.all()) {
          if (row.model === model && keep.has(row.text_hash)) continue;
          removed += this.deleteVector.run(row.model, row.text_hash).changes;
        }
        return removed;
      })(),
    );
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
