import type { Logger } from '../shared/logging';

/** Where a Teams stream stands after a sent update. */
export interface StreamProgress {
  streamId: string;
  /** The text the user sees in the stream's bubble ('' while only informative updates were sent). */
  shownText: string;
  /** The streamSequence of the update just sent. */
  streamSequence: number;
}

/**
 * Where a Teams stream records itself while it is open, so that another process can close it after this one
 * died (the bot records it on the database: `src/turn/openStreamRecording.ts`). Called at most once per sent
 * update, never per token; the stream does not wait for it.
 */
export interface StreamJournal {
  /** The stream got its id from Teams with its first update. */
  opened(progress: StreamProgress): Promise<void>;
  /** Another update was sent. */
  progressed(progress: StreamProgress): Promise<void>;
  /** The bot ended the stream itself (final message, roll-over, Stop, a failed send it handled). */
  closed(streamId: string): Promise<void>;
}

/**
 * One stream's entries in a journal: in order (an entry starts when the one before it settled), after the
 * stream is closed nothing more, and a failing entry is logged, never thrown (the answer goes on without it).
 */
export class StreamRecord {
  private chain: Promise<void> = Promise.resolve();
  private streamId: string | undefined;
  private closed = false;
  private lastText = '';
  private failures = 0;

  constructor(
    private readonly journal: StreamJournal | undefined,
    private readonly logger: Logger,
  ) {}

  /** Records a sent update of the stream `streamId`; `shownText` undefined keeps the text recorded before. */
  updateSent(streamId: string, shownText: string | undefined, streamSequence: number): void {
    const { journal } = this;
    if (!journal || this.closed) return;
    const first = this.streamId === undefined;
    this.streamId = streamId;
    this.lastText = shownText ?? this.lastText;
    const progress: StreamProgress = { streamId, shownText: this.lastText, streamSequence };
    this.enqueue(first ? 'opened' : 'progressed', () =>
      first ? journal.opened(progress) : journal.progressed(progress),
    );
  }

  /** Records that the bot ended the stream (once); resolves when every entry so far has settled. */
  close(): Promise<void> {
    const { journal, streamId } = this;
    if (journal && streamId !== undefined && !this.closed) {
      this.enqueue('closed', () => journal.closed(streamId));
    }
    this.closed = true;
    return this.chain;
  }

  private enqueue(entry: string, write: () => Promise<void>): void {
    this.chain = this.chain.then(write).catch((error: unknown) => {
      // One warning per stream (the database is down: every update would fail alike), the rest at debug.
      this.failures += 1;
      this.logger[this.failures === 1 ? 'warn' : 'debug'](
        { err: error, streamId: this.streamId, entry, failures: this.failures },
        'recording the open stream failed; a crash now would leave it open until Teams closes it',
      );
    });
  }
}
