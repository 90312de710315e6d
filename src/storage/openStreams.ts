/**
 * The Teams streams this bot has open, on the database, so that a stream left open by a process that died
 * (SIGKILL, a crash, a lost machine) can be closed by another process, or by the next one, within Teams'
 * two minutes (docs/streaming.md, "After a crash"). A row exists from the stream's first update (when Teams
 * gave it an id) until the bot ends the stream itself (final message, roll-over, Stop, a handled failure).
 */

/** One open stream as recorded. Times are ms since the epoch. */
export interface OpenStream {
  /** The stream id Teams assigned (the id of its first update and of its final message). */
  streamId: string;
  conversationId: string;
  serviceUrl: string;
  tenantId: string;
  /**
   * The conversation reference (botbuilder `TurnContext.getConversationReference`) to send into the
   * conversation again, without the turn's context.
   */
  reference: Record<string, unknown>;
  locale: string | undefined;
  startedAt: number;
  /** The text the user sees in the stream's bubble (the last streaming update's text; '' before any). */
  shownText: string;
  /** The streamSequence of the last update sent. */
  streamSequence: number;
  /** The process that streams it (see `processInstanceId`). */
  ownerId: string;
  /** When its owner last touched it (an update, or the lease renewal): the owner's lease. */
  updatedAt: number;
}

/** The progress of a stream after a sent update. */
export interface OpenStreamProgress {
  streamId: string;
  conversationId: string;
  shownText: string;
  streamSequence: number;
  updatedAt: number;
}

/** Where the open streams are recorded (`open_streams`, migration 11); shared by every process on the database. */
export interface OpenStreamStore {
  /** Records a stream that just got its id (replaces a row with the same ids). */
  opened(stream: OpenStream): Promise<void>;
  /** Records what the user sees after a sent update, and renews the owner's lease on the row. */
  progressed(progress: OpenStreamProgress): Promise<void>;
  /** Forgets a stream the bot ended itself. */
  closed(conversationId: string, streamId: string): Promise<void>;
  /** Renews the lease on every stream `ownerId` has open (one statement); returns how many rows it touched. */
  renewLeases(ownerId: string, now: number): Promise<number>;
  /** The open streams of owners other than `ownerId`, oldest first. */
  othersStreams(ownerId: string): Promise<OpenStream[]>;
  /**
   * Takes a stream over to close it: deletes the row only if it is still exactly as read (same owner, same
   * `updatedAt`), atomically. True for the one caller that got it; false when its owner renewed it meanwhile
   * or another process claimed it first.
   */
  claim(stream: Pick<OpenStream, 'conversationId' | 'streamId' | 'ownerId' | 'updatedAt'>): Promise<boolean>;
}
