import { StreamingResponse } from '@microsoft/teams-ai';
import type { Attachment, TurnContext } from 'botbuilder';
import { translate } from '../shared/i18n';
import type { Logger } from '../shared/logging';
import type { TokenUsage } from '../model';
import { type CitationSource, type StreamBudget, TeamsStreamer } from '../streaming';
import { SurfaceStreamer, surfaceTurnOf, type SurfaceToolCall, type SurfaceToolResult } from '../surfaces';
import type { Clock } from '../shared/time';
import { streamModeOf } from './streamMode';

/** What the turn's handlers, tools and card need from the answer's stream, whichever implementation runs. */
export interface AnswerStream {
  queueInformativeUpdate(text: string): void;
  /** Appends answer text (the SAY action uses it when a model answered without streaming). */
  queueTextChunk(text: string): void;
  getMessage(): string;
  setAttachments(attachments: Attachment[]): void;
  readonly isCancelled: boolean;
  noteModelFailure(error: unknown): void;
  /** A tool call starts; surfaces that show tool activity implement it (Teams shows the informative update). */
  toolStarted?(call: SurfaceToolCall): void;
  /** A tool call finished with this output. */
  toolFinished?(result: SurfaceToolResult): void;
}

/** How a turn's stream ended, as the message handler records it. */
export type TurnStreamResult =
  | { kind: 'completed' | 'failed'; messageId: string | undefined; text: string }
  | { kind: 'cancelled'; shownText: string };

/** One turn's stream: the object LLMClient reuses (`state.temp.streamer`) and how to end it. */
export interface TurnStream {
  readonly stream: AnswerStream;
  /** Put into `state.temp.streamer`, where teams-ai's LLMClient looks for a streamer to reuse. */
  readonly llmStreamer: object;
  /** Makes sure the final message went out and reports how the stream ended. Never rejects. */
  finish(): Promise<TurnStreamResult>;
}

/** Which streamer answers: the bot's own (default) or teams-ai 1.7.4's stock one (for the benchmark). */
export type StreamImplementation = 'teams-streamer' | 'library';

/** What a turn stream is made from. */
export interface TurnStreamOptions {
  context: TurnContext;
  logger: Logger;
  sources: () => readonly CitationSource[];
  abortController: AbortController;
  clock: Clock;
  streamBudget?: Partial<StreamBudget>;
  /** The token usage of the turn's model calls so far (read when the turn ends). */
  usage: () => TokenUsage;
}

/**
 * The bot's TeamsStreamer, started with the localized informative update: paced, cancellable, and with a
 * polite final message whatever happens.
 */
export function teamsTurnStream(options: TurnStreamOptions): TurnStream {
  const locale = options.context.activity.locale;
  const streamer = new TeamsStreamer({
    context: options.context,
    mode: streamModeOf(options.context),
    logger: options.logger,
    sources: options.sources,
    clock: options.clock,
    limits: options.streamBudget,
    onCancelled: () => options.abortController.abort(),
    partialNotice: translate(locale, 'notice.partial'),
    failureText: translate(locale, 'error.model'),
    errorReference: (id) => translate(locale, 'error.reference', { id }),
  });
  streamer.setFeedbackLoop(true);
  streamer.setGeneratedByAILabel(true);
  streamer.queueInformativeUpdate(translate(locale, 'informative.start'));
  return {
    stream: streamer,
    llmStreamer: streamer,
    finish: async () => {
      const outcome = await streamer.endStream();
      return outcome.kind === 'cancelled'
        ? { kind: 'cancelled', shownText: outcome.shownText }
        : { kind: outcome.kind, messageId: outcome.messageId, text: outcome.text };
    },
  };
}

/**
 * A terminal or web turn (from the in-process adapter): text goes to the surface token by token, without
 * Teams' one-second pacing; the surface's abort (Ctrl+C, client disconnect, Stop) aborts the turn like
 * Teams' Stop does; the surface hears how the turn ended, with its token usage.
 */
export function surfaceTurnStream(options: TurnStreamOptions): TurnStream | undefined {
  const surface = surfaceTurnOf(options.context);
  if (!surface) return undefined;
  const locale = options.context.activity.locale;
  const streamer = new SurfaceStreamer({
    context: options.context,
    sink: surface.sink,
    logger: options.logger,
    sources: options.sources,
    partialNotice: translate(locale, 'notice.partial'),
    failureText: translate(locale, 'error.model'),
  });
  const stop = (): void => {
    streamer.cancel();
    options.abortController.abort();
  };
  if (surface.signal.aborted) stop();
  else surface.signal.addEventListener('abort', stop, { once: true });
  streamer.setFeedbackLoop(true);
  streamer.setGeneratedByAILabel(true);
  streamer.queueInformativeUpdate(translate(locale, 'informative.start'));
  return {
    stream: streamer,
    llmStreamer: streamer,
    finish: async () => {
      const outcome = await streamer.endStream();
      surface.signal.removeEventListener('abort', stop);
      surface.sink.onTurnEnd({
        outcome: outcome.kind,
        messageId: outcome.kind === 'cancelled' ? undefined : outcome.messageId,
        usage: options.usage(),
      });
      return outcome;
    },
  };
}

/**
 * teams-ai 1.7.4's own StreamingResponse, set up as LLMClient would set it up. Only for measuring the bot's
 * streamer against it (npm run bench); it has none of the fixes (see README).
 */
export function libraryTurnStream(options: TurnStreamOptions): TurnStream {
  const response = new StreamingResponse(options.context);
  response.setFeedbackLoop(true);
  response.setGeneratedByAILabel(true);
  response.queueInformativeUpdate(translate(options.context.activity.locale, 'informative.start'));
  const stream: AnswerStream = {
    queueInformativeUpdate: (text) => {
      if (response.getMessage() === '') response.queueInformativeUpdate(text);
    },
    queueTextChunk: (text) => response.queueTextChunk(text),
    getMessage: () => response.getMessage(),
    setAttachments: (attachments) => response.setAttachments(attachments),
    isCancelled: false,
    noteModelFailure: (error) => options.logger.warn({ err: error }, 'model failure (stock streamer)'),
  };
  return {
    stream,
    llmStreamer: response,
    finish: async () => {
      try {
        // LLMClient ends the stream after a successful answer; end it here when the turn stopped earlier.
        await response.endStream();
      } catch {
        // "The stream has already ended." is the normal case.
      }
      return { kind: 'completed', messageId: response.streamId, text: response.getMessage() };
    },
  };
}
