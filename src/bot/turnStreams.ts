import { StreamingResponse } from '@microsoft/teams-ai';
import type { Attachment, TurnContext } from 'botbuilder';
import { translate } from '../i18n';
import type { Logger } from '../logging';
import { type CitationSource, type StreamBudget, TeamsStreamer } from '../streaming';
import type { Clock } from '../time';
import { streamModeOf } from './streamMode';

/** What the turn's handlers, tools and card need from the answer's stream, whichever implementation runs. */
export interface AnswerStream {
  queueInformativeUpdate(text: string): void;
  getMessage(): string;
  setAttachments(attachments: Attachment[]): void;
  readonly isCancelled: boolean;
  noteModelFailure(error: unknown): void;
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
