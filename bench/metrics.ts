import type { ModelTiming } from './modelTiming';
import type { SendRecord } from './timestampingConnector';

/**
 * The benchmark's figures, as pure functions of what was observed. Times are milliseconds on one clock.
 * Percentiles use the nearest-rank method: the smallest observed value with at least p % of the values at
 * or below it (so p99 of 200 values is the 198th smallest, and every reported figure was really observed).
 */

/** Teams throttles a stream to one send per second (docs/teams-platform-facts.md §2). */
export const MIN_SEND_GAP_MS = 1000;
/** Teams allows at most this many sends per conversation in any one second. */
export const MAX_SENDS_PER_SECOND = 7;

/** What happened in one conversation. */
export interface ConversationObservation {
  conversationId: string;
  /** When the inbound POST was sent. */
  postSentAt: number;
  /** The text the model streamed (the script); the final message must say exactly this. */
  expectedText: string;
  /** When the model sent answer text; undefined if it never did. */
  modelTiming?: ModelTiming;
  /** The bot's sends to this conversation, in arrival order. */
  sends: readonly SendRecord[];
  /** The answer text the connector kept (the final message's); undefined if no message arrived. */
  finalText?: string;
}

/** Distribution of one figure over the conversations that have it. */
export interface Summary {
  count: number;
  p50?: number;
  p99?: number;
  max?: number;
}

/** Rate-rule findings over all streams. */
export interface RateFindings {
  /** The smallest gap between two consecutive sends to one stream, over all streams. */
  smallestGapMs?: number;
  /** Consecutive sends to one stream less than 1000 ms apart. */
  gapsUnderOneSecond: number;
  /** Sends that made 8 or more sends of one conversation fall within less than one second. */
  burstsOverSevenPerSecond: number;
}

/** Breaches of the streaming protocol, reported beside the figures. */
export interface ProtocolFindings {
  /** Informative/streaming updates whose streamSequence was not the previous one plus 1 (starting at 1). */
  sequenceErrors: number;
  /** Streaming updates whose text did not start with the previous streaming update's text. */
  nonPrefixUpdates: number;
  /** Informative, streaming or final sends that arrived after the stream's final message. */
  sendsAfterFinal: number;
  /** `message` activities beyond the first per conversation (e.g. the card sent on its own). */
  extraMessages: number;
}

/** The value at rank ceil(p/100 × n) of the sorted values; undefined for none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/** Count, p50, p99 and max of the defined values. */
export function summarize(values: ReadonlyArray<number | undefined>): Summary {
  const present = values.filter((value): value is number => value !== undefined);
  if (present.length === 0) return { count: 0 };
  return {
    count: present.length,
    p50: percentile(present, 50),
    p99: percentile(present, 99),
    max: Math.max(...present),
  };
}

function isMessage(send: SendRecord): boolean {
  return send.kind === 'final' || send.kind === 'message';
}

function isStreamSend(send: SendRecord): boolean {
  return send.kind === 'informative' || send.kind === 'streaming' || send.kind === 'final';
}

/** The message that ends the answer: the stream's final message, else the first plain message. */
function finalMessageOf(sends: readonly SendRecord[]): SendRecord | undefined {
  return sends.find((send) => send.kind === 'final') ?? sends.find(isMessage);
}

/** Inbound POST sent → first update (of any kind) arrived at the connector. */
export function informativeLatency(observation: ConversationObservation): number | undefined {
  const first = observation.sends[0];
  return first ? first.at - observation.postSentAt : undefined;
}

/**
 * How much later than it could have the first streaming text update arrived. The earliest it could arrive is
 * the later of the model's first token and one second after the send before it (the informative update; in
 * a tool round the last informative update, since the one-second rule counts from the latest send).
 * Undefined when there was no streaming update or the model sent no text.
 */
export function firstTextDelayAboveBound(observation: ConversationObservation): number | undefined {
  const firstContentAt = observation.modelTiming?.firstContentAt;
  const index = observation.sends.findIndex((send) => send.kind === 'streaming');
  if (firstContentAt === undefined || index < 0) return undefined;
  const previous = observation.sends[index - 1];
  const bound = Math.max(firstContentAt, previous ? previous.at + MIN_SEND_GAP_MS : -Infinity);
  return observation.sends[index].at - bound;
}

/** The model's last token → the final message's arrival. Undefined without either. */
export function finalDelay(observation: ConversationObservation): number | undefined {
  const lastContentAt = observation.modelTiming?.lastContentAt;
  const final = finalMessageOf(observation.sends);
  return lastContentAt !== undefined && final ? final.at - lastContentAt : undefined;
}

/** Gaps between consecutive arrivals of one stream's sends (sorted by arrival). */
export function sendGaps(sends: readonly SendRecord[]): number[] {
  const gaps: number[] = [];
  for (let index = 1; index < sends.length; index += 1) gaps.push(sends[index].at - sends[index - 1].at);
  return gaps;
}

/**
 * Checks every conversation against Teams' rate rules: 1 s between two sends to its stream (informative,
 * streaming, final), and at most 7 sends of any kind to the conversation in any second.
 * @param streams each conversation's sends, sorted by arrival.
 */
export function rateFindings(streams: ReadonlyArray<readonly SendRecord[]>): RateFindings {
  let smallestGapMs: number | undefined;
  let gapsUnderOneSecond = 0;
  let burstsOverSevenPerSecond = 0;
  for (const sends of streams) {
    for (const gap of sendGaps(sends.filter(isStreamSend))) {
      smallestGapMs = smallestGapMs === undefined ? gap : Math.min(smallestGapMs, gap);
      if (gap < MIN_SEND_GAP_MS) gapsUnderOneSecond += 1;
    }
    for (let index = MAX_SENDS_PER_SECOND; index < sends.length; index += 1) {
      if (sends[index].at - sends[index - MAX_SENDS_PER_SECOND].at < 1000) burstsOverSevenPerSecond += 1;
    }
  }
  return {
    ...(smallestGapMs !== undefined ? { smallestGapMs } : {}),
    gapsUnderOneSecond,
    burstsOverSevenPerSecond,
  };
}

/**
 * Whether the final message says exactly what the model wrote. Citation markers: the model writes `[n]`,
 * which both streamers pass through unchanged; a `[docN]` marker is rewritten to `[N]` by both (teams-ai's
 * formatCitationsResponse, the bot's normalizeCitationMarkers), so it is compared in that form.
 */
export function finalTextMatches(finalText: string | undefined, expectedText: string): boolean {
  return finalText === expectedText.replace(/\[doc(\d+)\]/gi, '[$1]');
}

/** Breaches of the streaming protocol in one conversation's sends (sorted by arrival). */
export function protocolFindings(sends: readonly SendRecord[]): ProtocolFindings {
  let expectedSequence = 1;
  let sequenceErrors = 0;
  let nonPrefixUpdates = 0;
  let sendsAfterFinal = 0;
  let finalSeen = false;
  let messages = 0;
  for (const send of sends) {
    if (finalSeen && isStreamSend(send)) sendsAfterFinal += 1;
    if (send.kind === 'informative' || send.kind === 'streaming') {
      if (send.sequence !== expectedSequence) sequenceErrors += 1;
      expectedSequence = (send.sequence ?? expectedSequence) + 1;
    }
    if (send.kind === 'streaming' && !send.extendsPrevious) nonPrefixUpdates += 1;
    if (send.kind === 'final') finalSeen = true;
    if (isMessage(send)) messages += 1;
  }
  return { sequenceErrors, nonPrefixUpdates, sendsAfterFinal, extraMessages: Math.max(0, messages - 1) };
}

/** One conversation's own figures, kept in the JSON result for a closer look. */
export interface ConversationFigures {
  conversationId: string;
  informativeLatencyMs?: number;
  firstTextDelayAboveBoundMs?: number;
  finalDelayMs?: number;
  smallestGapMs?: number;
  sends: number;
  /** Model requests (2 after a tool round). */
  modelRequests: number;
  finalTextMatches: boolean;
}

/** The figures of one conversation. */
export function conversationFigures(observation: ConversationObservation): ConversationFigures {
  const gaps = sendGaps(observation.sends.filter(isStreamSend));
  const figures: ConversationFigures = {
    conversationId: observation.conversationId,
    sends: observation.sends.length,
    modelRequests: observation.modelTiming?.requests ?? 0,
    finalTextMatches: finalTextMatches(observation.finalText, observation.expectedText),
  };
  const informative = informativeLatency(observation);
  const firstText = firstTextDelayAboveBound(observation);
  const final = finalDelay(observation);
  if (informative !== undefined) figures.informativeLatencyMs = informative;
  if (firstText !== undefined) figures.firstTextDelayAboveBoundMs = firstText;
  if (final !== undefined) figures.finalDelayMs = final;
  if (gaps.length > 0) figures.smallestGapMs = Math.min(...gaps);
  return figures;
}

/** The figures of one pass that come from the conversations (resources are measured separately). */
export interface ConversationMetrics {
  conversations: number;
  /** Conversations whose final message arrived. */
  completed: number;
  informativeLatencyMs: Summary;
  firstTextDelayAboveBoundMs: Summary;
  finalDelayMs: Summary;
  rate: RateFindings;
  /** Conversations whose final text equals the model's. */
  matchingFinals: number;
  /** matchingFinals / conversations, in percent. */
  fidelityPercent: number;
  protocol: ProtocolFindings;
  /** Sends the connector answered with an error status (it only does for bodies that are not JSON). */
  rejectedSends: number;
}

/** Computes every conversation figure of one pass. */
export function conversationMetrics(observations: readonly ConversationObservation[]): ConversationMetrics {
  const protocol: ProtocolFindings = {
    sequenceErrors: 0,
    nonPrefixUpdates: 0,
    sendsAfterFinal: 0,
    extraMessages: 0,
  };
  let matching = 0;
  let rejectedSends = 0;
  for (const observation of observations) {
    const found = protocolFindings(observation.sends);
    protocol.sequenceErrors += found.sequenceErrors;
    protocol.nonPrefixUpdates += found.nonPrefixUpdates;
    protocol.sendsAfterFinal += found.sendsAfterFinal;
    protocol.extraMessages += found.extraMessages;
    if (finalTextMatches(observation.finalText, observation.expectedText)) matching += 1;
    rejectedSends += observation.sends.filter((send) => send.status >= 400).length;
  }
  return {
    conversations: observations.length,
    completed: observations.filter((observation) => finalMessageOf(observation.sends) !== undefined).length,
    informativeLatencyMs: summarize(observations.map(informativeLatency)),
    firstTextDelayAboveBoundMs: summarize(observations.map(firstTextDelayAboveBound)),
    finalDelayMs: summarize(observations.map(finalDelay)),
    rate: rateFindings(observations.map((observation) => observation.sends)),
    matchingFinals: matching,
    fidelityPercent: observations.length === 0 ? 0 : (matching / observations.length) * 100,
    protocol,
    rejectedSends,
  };
}

/** RSS growth per concurrent stream: (peak − baseline) / streams, in bytes. */
export function rssPerStream(baselineBytes: number, peakBytes: number, streams: number): number {
  return streams > 0 ? (peakBytes - baselineBytes) / streams : 0;
}

/** library / teams-streamer; undefined when either is missing or the divisor is 0. */
export function ratio(library: number | undefined, teamsStreamer: number | undefined): number | undefined {
  if (library === undefined || teamsStreamer === undefined || teamsStreamer === 0) return undefined;
  return library / teamsStreamer;
}
