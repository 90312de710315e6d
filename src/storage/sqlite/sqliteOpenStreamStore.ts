import type { OpenStream, OpenStreamProgress, OpenStreamStore } from '../openStreams';
import { OPEN_STREAM_COLUMNS, openStreamOf, openStreamValues, type OpenStreamRow } from '../openStreamRows';
import type { Db } from './database';
import { runStorage } from './storageErrors';

/** OpenStreamStore on SQLite: the `open_streams` table, shared by every process on the database file. */
export class SqliteOpenStreamStore implements OpenStreamStore {
  private readonly insert;
  private readonly update;
  private readonly remove;
  private readonly renew;
  private readonly others;
  private readonly take;

  constructor(db: Db) {
    this.insert = db.prepare(
      `INSERT OR REPLACE INTO open_streams (${OPEN_STREAM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.update = db.prepare<[string, number, number, string, string]>(
      `UPDATE open_streams SET shown_text = ?, stream_sequence = ?, updated_at = ?
       WHERE conversation_id = ? AND stream_id = ?`,
    );
    this.remove = db.prepare<[string, string]>(
      'DELETE FROM open_streams WHERE conversation_id = ? AND stream_id = ?',
    );
    this.renew = db.prepare<[number, string]>('UPDATE open_streams SET updated_at = ? WHERE owner_id = ?');
    this.others = db.prepare<[string], OpenStreamRow>(
      `SELECT ${OPEN_STREAM_COLUMNS} FROM open_streams WHERE owner_id <> ? ORDER BY started_at`,
    );
    this.take = db.prepare<[string, string, string, number]>(
      `DELETE FROM open_streams
       WHERE conversation_id = ? AND stream_id = ? AND owner_id = ? AND updated_at = ?`,
    );
  }

  async opened(stream: OpenStream): Promise<void> {
    runStorage('recording an open stream', () => this.insert.run(...openStreamValues(stream)));
  }

  async progressed(progress: OpenStreamProgress): Promise<void> {
    runStorage('recording a stream update', () =>
      this.update.run(
        progress.shownText,
        progress.streamSequence,
        progress.updatedAt,
        progress.conversationId,
        progress.streamId,
      ),
    );
  }

  async closed(conversationId: string, streamId: string): Promise<void> {
    runStorage('forgetting a closed stream', () => this.remove.run(conversationId, streamId));
  }

  async renewLeases(ownerId: string, now: number): Promise<number> {
    return runStorage('renewing the open streams lease', () => this.renew.run(now, ownerId).changes);
  }

  async othersStreams(ownerId: string): Promise<OpenStream[]> {
    return runStorage('reading open streams', () => this.others.all(ownerId).map(openStreamOf));
  }

  async claim(
    stream: Pick<OpenStream, 'conversationId' | 'streamId' | 'ownerId' | 'updatedAt'>,
  ): Promise<boolean> {
    return runStorage(
      'claiming an abandoned stream',
      () =>
        this.take.run(stream.conversationId, stream.streamId, stream.ownerId, stream.updatedAt).changes === 1,
    );
  }
}
