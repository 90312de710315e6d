import { currentTurnScope, runInTurnScope, TurnUsage, type TurnScope } from '../model';
import type { TurnTelemetry } from '../observability';
import type { Logger } from '../shared/logging';
import type { CitationSource, StreamOutcome } from '../streaming';
import type { PendingConfirmation } from './pendingConfirmations';
import type { ConversationScope } from './requester';
import type { AnswerStream, TurnStream } from './turnStreams';

/** A passage a tool found, numbered for citation within the turn. */
export interface TurnSource extends CitationSource {
  /** Stable identity of the passage, so the same passage found twice keeps one number. */
  key: string;
  /** Where the passage comes from (a path or URL), shown on the card. */
  location: string;
}

/** What a turn is made from. */
export interface TurnOptions {
  scope: ConversationScope;
  locale: string | undefined;
  question: string;
  logger: Logger;
  /** Opens the turn's stream; it may use the turn (its sources, `abort`, `signal`, `usage`). */
  openStream: (turn: Turn) => TurnStream;
  /** The turn's trace and metrics (see src/observability); ended by `finish`. */
  telemetry?: TurnTelemetry;
}

/**
 * One answer turn: its stop signal, token usage, stream, sources, tools, confirmation cards, failure and
 * outcome. The message handler creates it and runs the turn inside it (`runTurn`); the planner, the tools,
 * the SAY action, the card and the model layer find it with `currentTurn()`, the one way to reach the turn.
 *
 * "Stopped" has one source of truth, `signal`: Teams' Stop (403 "canceled by user") or a surface's abort
 * calls `abort`, which ends the model call (`abortableFetch`), skips further tool rounds and retries, and
 * makes a failure that follows a Stop no error. A model failure is recorded here (the first counts) and
 * handed to the stream once, by `finish`, which sends the final message and records the outcome.
 */
export class Turn implements TurnScope {
  /** Where the turn's model calls add their token usage. */
  readonly usage = new TurnUsage();
  readonly scope: ConversationScope;
  readonly locale: string | undefined;
  readonly question: string;
  readonly logger: Logger;
  private readonly controller = new AbortController();
  private readonly sourceList: TurnSource[] = [];
  private readonly tools: string[] = [];
  private readonly pendingConfirmations: PendingConfirmation[] = [];
  private readonly createdWorkItems = new Set<string>();
  private failure: { error: unknown } | undefined;
  private outcomeValue: StreamOutcome | undefined;
  private readonly turnStream: TurnStream;
  private readonly telemetry: TurnTelemetry | undefined;

  constructor(options: TurnOptions) {
    this.telemetry = options.telemetry;
    this.scope = options.scope;
    this.locale = options.locale;
    this.question = options.question;
    this.logger = options.logger;
    this.turnStream = options.openStream(this);
  }

  /** Aborted when the turn is stopped; it reaches the model's HTTP request and the tools. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True once the turn was stopped. */
  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  /** The answer's stream, for the tools, the SAY action and the card. */
  get stream(): AnswerStream {
    return this.turnStream.stream;
  }

  /** What goes into `state.temp.streamer`, where teams-ai's LLMClient looks for a streamer to reuse. */
  get llmStreamer(): object {
    return this.turnStream.llmStreamer;
  }

  /** How the answer ended, once `finish` has run. */
  get outcome(): StreamOutcome | undefined {
    return this.outcomeValue;
  }

  /** The sources found so far, in citation order. */
  get sources(): readonly TurnSource[] {
    return this.sourceList;
  }

  /** The tools that ran this turn, in order, each once. */
  get toolsUsed(): readonly string[] {
    return this.tools;
  }

  /** Stops the turn (once): the signal aborts with an AbortError carrying `reason`. */
  abort(reason: string): void {
    if (this.stopped) return;
    this.logger.info({ reason }, 'the turn was stopped');
    this.telemetry?.noteStop();
    this.controller.abort(new DOMException(reason, 'AbortError'));
  }

  /**
   * Records that the model or the AI system failed; the first failure counts. A failure after the turn was
   * stopped is what stopping does to the model call, not an error: the turn stays "stopped".
   */
  recordFailure(error: unknown): void {
    if (this.stopped) {
      this.logger.debug({ err: error }, 'the model call ended after the turn was stopped');
      return;
    }
    this.failure ??= { error };
  }

  /**
   * Sends the final message (once), telling the stream about a failure, and records the outcome (on the
   * turn's span and metrics too).
   */
  async finish(): Promise<StreamOutcome> {
    this.outcomeValue ??= await this.turnStream.finish(this.failure);
    this.telemetry?.end(this.outcomeValue, this.usage.total, {
      modelCalls: this.usage.modelCalls,
      toolsUsed: this.tools.length,
    });
    return this.outcomeValue;
  }

  /** Adds a source (or finds it again) and returns its citation number. */
  addSource(source: Omit<TurnSource, 'position'>): number {
    const existing = this.sourceList.find((candidate) => candidate.key === source.key);
    if (existing) return existing.position;
    const position = this.sourceList.length + 1;
    this.sourceList.push({ ...source, position });
    return position;
  }

  /** The changes this turn's tools asked the user to confirm, shown after the answer (one per tool). */
  get confirmations(): readonly PendingConfirmation[] {
    return this.pendingConfirmations;
  }

  /** The confirmation this turn already asked for on behalf of `tool`, to add further changes to it. */
  confirmationOf(tool: string): PendingConfirmation | undefined {
    return this.pendingConfirmations.find((pending) => pending.tool === tool);
  }

  /** Records a confirmation asked for this turn, or its extended version (same id). */
  recordConfirmation(pending: PendingConfirmation): void {
    const index = this.pendingConfirmations.findIndex((known) => known.id === pending.id);
    if (index < 0) this.pendingConfirmations.push(pending);
    else this.pendingConfirmations[index] = pending;
  }

  /** Records that a tool created the work item `id` in this turn (for the user who asked). */
  noteCreatedWorkItem(id: string): void {
    this.createdWorkItems.add(id);
  }

  /** True when this turn created the work item `id`: only those may be changed without a confirmation. */
  createdThisTurn(id: string): boolean {
    return this.createdWorkItems.has(id);
  }

  /** Records that a tool ran. */
  noteTool(name: string): void {
    if (!this.tools.includes(name)) this.tools.push(name);
  }
}

/** Runs `work` as `turn`: everything it calls, awaits or starts finds the turn with `currentTurn()`. */
export function runTurn<T>(turn: Turn, work: () => T): T {
  return runInTurnScope(turn, work);
}

/**
 * The turn whose async context is running, if any. teams-ai passes nothing of ours down to the actions or
 * the model call, so the turn travels in the async context the message handler entered.
 */
export function currentTurn(): Turn | undefined {
  const scope = currentTurnScope();
  return scope instanceof Turn ? scope : undefined;
}
