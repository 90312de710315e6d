/** Turns what one pass recorded (helpers' records, POST times and outcomes) into per-conversation observations. */
import type { ConnectorCollection, ModelCollection } from './helperProtocol';
import type { PostOutcome } from './loadGenerator';
import type { ConversationObservation } from './metrics';
import type { BenchParameters } from './parameters';
import { conversationIdOf, expectedAnswerOf } from './scriptedAnswers';
import type { SendRecord } from './timestampingConnector';

const MAX_FAILURE_EXAMPLES = 5;

/**
 * The inbound POSTs that failed (non-2xx or no response), with a few examples.
 * @param outcomes undefined when they had not all settled after `waitedMs`, which fails every one.
 */
export function postFailures(
  outcomes: PostOutcome[] | undefined,
  conversations: number,
  waitedMs: number,
): { count: number; examples: string[] } {
  if (!outcomes) {
    return {
      count: conversations,
      examples: [`not every POST had its response within ${waitedMs} ms after the last answer`],
    };
  }
  const examples: string[] = [];
  let count = 0;
  outcomes.forEach((outcome, index) => {
    const ok = outcome.error === undefined && outcome.status !== undefined && outcome.status < 300;
    if (ok) return;
    count += 1;
    if (examples.length < MAX_FAILURE_EXAMPLES) {
      examples.push(`${conversationIdOf(index)}: ${outcome.error ?? `HTTP ${outcome.status}`}`);
    }
  });
  return { count, examples };
}

/** Puts what the helpers recorded and when each POST went out together, per measured conversation. */
export function observe(
  modelRecords: ModelCollection,
  connectorRecords: ConnectorCollection,
  sentAt: readonly number[],
  parameters: BenchParameters,
): ConversationObservation[] {
  const sendsByConversation = new Map<string, SendRecord[]>();
  for (const send of connectorRecords.sends) {
    const list = sendsByConversation.get(send.conversationId) ?? [];
    list.push(send);
    sendsByConversation.set(send.conversationId, list);
  }
  const finalTexts = new Map(connectorRecords.finalTexts);
  const timings = new Map(modelRecords.modelTimings);
  const observations: ConversationObservation[] = [];
  for (let index = 0; index < parameters.conversations; index += 1) {
    const conversationId = conversationIdOf(index);
    const timing = timings.get(index);
    const finalText = finalTexts.get(conversationId);
    observations.push({
      conversationId,
      postSentAt: sentAt[index],
      expectedText: expectedAnswerOf(index, parameters),
      sends: (sendsByConversation.get(conversationId) ?? []).sort((a, b) => a.at - b.at),
      ...(timing ? { modelTiming: timing } : {}),
      ...(finalText !== undefined ? { finalText } : {}),
    });
  }
  return observations;
}
