import { type Activity, ActivityTypes, type Attachment } from 'botbuilder';
import type { ClientCitation } from './citations';
import { aiMessageEntity, streamInfoEntity, type StreamInfo } from './wireEntities';

/** What only the last message of an answer carries (docs/teams-platform-facts.md §1, §4). */
export interface LastMessageParts {
  /** Thumbs up/down on the message. */
  feedbackLoop: boolean;
  /** The answer card. */
  attachments: readonly Attachment[];
}

/** What every message of an answer carries besides its text. */
export interface MessageParts {
  /** The "AI generated" label. */
  aiLabel: boolean;
  /** The citations of this message's text. */
  citations: ClientCitation[];
  /** Present on the last message of the answer only. */
  last?: LastMessageParts;
}

/**
 * An informative or streaming update (a typing activity): the streaminfo entity, copied into channelData,
 * and the citations of its text. Updates never carry the AI label, attachments or the feedback flag.
 */
export function streamUpdateActivity(
  streamType: 'informative' | 'streaming',
  text: string,
  streamSequence: number,
  streamId: string | undefined,
  citations: ClientCitation[],
): Partial<Activity> {
  const info: StreamInfo = { streamType, streamSequence, ...(streamId ? { streamId } : {}) };
  return {
    type: ActivityTypes.Typing,
    text,
    entities: compact([streamInfoEntity(info), aiMessageEntity({ aiLabel: false, citations })]),
    channelData: { ...info },
  };
}

/** The final message of a Teams stream: same id as the stream, `streamType: final`, no sequence number. */
export function streamFinalActivity(
  text: string,
  streamId: string | undefined,
  parts: MessageParts,
): Partial<Activity> {
  const info: StreamInfo = { streamType: 'final', streamId };
  return {
    type: ActivityTypes.Message,
    id: streamId,
    text,
    entities: compact([streamInfoEntity(info), aiMessageEntity(parts)]),
    channelData: { ...info, ...feedbackChannelData(parts.last) },
    ...attachmentsOf(parts.last),
  };
}

/** An ordinary (not streamed) message of an answer. */
export function plainMessageActivity(text: string, parts: MessageParts): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    text,
    entities: compact([aiMessageEntity(parts)]),
    channelData: feedbackChannelData(parts.last),
    ...attachmentsOf(parts.last),
  };
}

/**
 * The final message of an answer on an in-process surface: an ordinary message marked as the end of the
 * stream `streamId` (its text already reached the surface as deltas).
 */
export function surfaceFinalActivity(text: string, streamId: string, parts: MessageParts): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    text,
    entities: compact([streamInfoEntity({ streamType: 'final', streamId }), aiMessageEntity(parts)]),
    channelData: feedbackChannelData(parts.last),
    ...attachmentsOf(parts.last),
  };
}

function feedbackChannelData(last: LastMessageParts | undefined): Record<string, unknown> {
  return last?.feedbackLoop ? { feedbackLoop: { type: 'default' } } : {};
}

function attachmentsOf(last: LastMessageParts | undefined): { attachments?: Attachment[] } {
  return last && last.attachments.length > 0 ? { attachments: [...last.attachments] } : {};
}

function compact<T>(items: Array<T | undefined>): T[] {
  return items.filter((item): item is T => item !== undefined);
}
