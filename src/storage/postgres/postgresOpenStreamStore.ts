import type { OpenStream, OpenStreamProgress, OpenStreamStore } from '../openStreams';
import { OPEN_STREAM_COLUMNS, openStreamOf, openStreamValues, type OpenStreamRow } from '../openStreamRows';
import type { PostgresDatabase } from './postgresDatabase';

/** OpenStreamStore on PostgreSQL: the `open_streams` table, as on SQLite, shared by every instance. */
export class PostgresOpenStreamStore implements OpenStreamStore {
  constructor(private readonly db: PostgresDatabase) {}

  async opened(stream: OpenStream): Promise<void> {
    await this.db.query(
      'recording an open stream',
      `INSERT INTO open_streams (${OPEN_STREAM_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (conversation_id, stream_id) DO UPDATE SET
         service_url = excluded.service_url, tenant_id = excluded.tenant_id, reference = excluded.reference,
         locale = excluded.locale, started_at = excluded.started_at, shown_text = excluded.shown_text,
         stream_sequence = excluded.stream_sequence, owner_id = excluded.owner_id,
         updated_at = excluded.updated_at`,
      openStreamValues(stream),
    );
  }

  async progressed(progress: OpenStreamProgress): Promise<void> {
    await this.db.query(
      'recording a stream update',
      `UPDATE open_streams SET shown_text = $1, stream_sequence = $2, updated_at = $3
       WHERE conversation_id = $4 AND stream_id = $5`,
      [
        progress.shownText,
        progress.streamSequence,
        progress.updatedAt,
        progress.conversationId,
        progress.streamId,
      ],
    );
  }

  async closed(conversationId: string, streamId: string): Promise<void> {
    await this.db.query(
      'forgetting a closed stream',
      'DELETE FROM open_streams WHERE conversation_id = $1 AND stream_id = $2',
      [conversationId, streamId],
    );
  }

  async renewLeases(ownerId: string, now: number): Promise<number> {
    const result = await this.db.query(
      'renewing the open streams lease',
      'UPDATE open_streams SET updated_at = $1 WHERE owner_id = $2',
      [now, ownerId],
    );
    return result.rowCount ?? 0;
  }

  async othersStreams(ownerId: string): Promise<OpenStream[]> {
    const { rows } = await this.db.query<OpenStreamRow>(
      'reading open streams',
      `SELECT ${OPEN_STREAM_COLUMNS} FROM open_streams WHERE owner_id <> $1 ORDER BY started_at`,
      [ownerId],
    );
    return rows.map(openStreamOf);
  }

  async claim(
    stream: Pick<OpenStream, 'conversationId' | 'streamId' | 'ownerId' | 'updatedAt'>,
  ): Promise<boolean> {
    const result = await this.db.query(
      'claiming an abandoned stream',
      `DELETE FROM open_streams
       WHERE conversation_id = $1 AND stream_id = $2 AND owner_id = $3 AND updated_at = $4`,
      [stream.conversationId, stream.streamId, stream.ownerId, stream.updatedAt],
    );
    return result.rowCount === 1;
  }
}
