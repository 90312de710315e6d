import { StreamingResponse } from '@microsoft/teams-ai';
import type { Attachment, TurnContext } from 'botbuilder';
import { translate } from '../shared/i18n';
import type { Logger } from '../shared/logging';
import { LlmClientStream, type StreamBudget, type StreamOutcome, TeamsStreamer } from '../streaming';
import { SurfaceStreamer, surfaceTurnOf, type SurfaceToolCall, type SurfaceToolResult } from '../surfaces';
import type { Clock } from '../shared/time';
import { PROCESS_INSTANCE_ID } from '../shared/process';
import type { OpenStreamStore } from '../storage';
import { openStreamRecording } from './openStreamRecording';
import { streamModeOf } from './streamMode';
import type { Turn } from './turn';

/** What the turn's tools, SAY action and card need from the answer's stream, whichever implementation runs. */
export interface AnswerStream {
  queueInformativeUpdate(text: string): void;
  /** Appends answer text (the SAY action uses it when a model answered without streaming). */
  queueTextChunk(text: string): void;
  getMessage(): string;
  setAttachments(attachments: Attachment[]): void;
  /** A tool call starts; surfaces that show tool activity implement it (Teams shows the informative update). */
  toolStarted?(call: SurfaceToolCall): void;
  /** A tool call finished with this output. */
  toolFinished?(result: SurfaceToolResult): void;
}

/** A failure the turn recorded (see `Turn.recordFailure`). */
export interface TurnFailure {
  error: unknown;
}

/** One turn's stream: what the turn's code uses, what LLMClient drives, and how the turn ends it. */
export interface TurnStream {
  readonly stream: AnswerStream;
  /** Put into `state.temp.streamer`, where teams-ai's LLMClient looks for a streamer to reuse. */
  readonly llmStreamer: object;
  /** Tells the stream about the turn's failure, if any, sends the final message, reports how it ended. */
  finish(failure: TurnFailure | undefined): Promise<StreamOutcome>;
}

/** Which streamer answers: the bot's own (default) or teams-ai 1.7.4's stock one (for the benchmark). */
export type StreamImplementation = 'teams-streamer' | 'library';

/** What a turn stream is made from. */
export interface TurnStreamOptions {
  context: TurnContext;
  logger: Logger;
  /** The turn the stream belongs to: its sources, its `abort`, its signal and usage. */
  turn: Turn;
  clock: Clock;
  streamBudget?: Partial<StreamBudget>;
  /** Where open Teams streams are recorded (closed by another process after a crash); none: not recorded. */
  openStreams?: OpenStreamStore;
}

/** A streamer of the bot's own (Teams or surface) as a turn stream; LLMClient drives it through LlmClientStream. */
export function turnStreamOf(streamer: TeamsStreamer | SurfaceStreamer): TurnStream {
  return {
    stream: streamer,
    llmStreamer: new LlmClientStream(streamer),
    finish: (failure) => {
      if (failure) streamer.noteModelFailure(failure.error);
      return streamer.endStream();
    },
  };
}

/**
 * The bot's TeamsStreamer, started with the localized informative update: paced, cancellable, and with a
 * polite final message whatever happens. Teams' Stop (403 "canceled by user") stops the turn.
 */
export function teamsTurnStream(options: TurnStreamOptions): TurnStream {
  const { context, turn } = options;
  const locale = context.activity.locale;
  const mode = streamModeOf(context);
  const streamer = new TeamsStreamer({
    context,
    mode,
    journal:
      options.openStreams && mode === 'stream'
        ? openStreamRecording(options.openStreams, context, {
            ownerId: PROCESS_INSTANCE_ID,
            clock: options.clock,
          })
        : undefined,
    logger: options.logger,
    sources: () => turn.sources,
    clock: options.clock,
    limits: options.streamBudget,
    onCancelled: () => turn.abort('the user pressed Stop in Teams'),
    partialNotice: translate(locale, 'notice.partial'),
    failureText: translate(locale, 'error.model'),
    errorReference: (id) => translate(locale, 'error.reference', { id }),
  });
  streamer.setFeedbackLoop(true);
  streamer.setGeneratedByAILabel(true);
  streamer.queueInformativeUpdate(translate(locale, 'informative.start'));
  return turnStreamOf(streamer);
}

/**
 * A terminal or web turn (from the in-process adapter): text goes to the surface token by token, without
 * Teams' one-second pacing; the surface's abort (Ctrl+C, client disconnect, Stop) stops the turn, which
 * stops the stream, like Teams' Stop does; the surface hears how the turn ended, with its token usage.
 */
export function surfaceTurnStream(options: TurnStreamOptions): TurnStream | undefined {
  const { context, turn } = options;
  const surface = surfaceTurnOf(context);
  if (!surface) return undefined;
  const locale = context.activity.locale;
  const streamer = new SurfaceStreamer({
    context,
    sink: surface.sink,
    logger: options.logger,
    sources: () => turn.sources,
    partialNotice: translate(locale, 'notice.partial'),
    failureText: translate(locale, 'error.model'),
  });
  const stopStream = (): void => streamer.cancel();
  const stopTurn = (): void => turn.abort('the surface stopped the answer');
  turn.signal.addEventListener('abort', stopStream, { once: true });
  if (surface.signal.aborted) stopTurn();
  else surface.signal.addEventListener('abort', stopTurn, { once: true });
  streamer.setFeedbackLoop(true);
  streamer.setGeneratedByAILabel(true);
  streamer.queueInformativeUpdate(translate(locale, 'informative.start'));
  const own = turnStreamOf(streamer);
  return {
    ...own,
    finish: async (failure) => {
      const outcome = await own.finish(failure);
      surface.signal.removeEventListener('abort', stopTurn);
      turn.signal.removeEventListener('abort', stopStream);
      surface.sink.onTurnEnd({
        outcome: outcome.kind,
        messageId: outcome.kind === 'cancelled' ? undefined : outcome.messageId,
        usage: turn.usage.total,
      });
      return outcome;
    },
  };
}

/**
 * teams-ai 1.7.4's own StreamingResponse, set up as LLMClient would set it up. Only for measuring the bot's
 * streamer against it (npm run bench); it has none of the fixes (see docs/streaming.md).
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
  };
  return {
    stream,
    llmStreamer: response,
    finish: async (failure) => {
      if (failure) options.logger.warn({ err: failure.error }, 'model failure (stock streamer)');
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
