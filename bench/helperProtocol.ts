import type { OfflineModelStats } from '../dev/offline-model';
import type { ModelTiming } from './modelTiming';
import type { AnswerSettings } from './scriptedAnswers';
import type { SendRecord } from './timestampingConnector';

/**
 * The messages between the benchmark (the bot's process) and its two helper processes: one hosts the offline
 * model and the timing proxy in front of it, the other the fake Bot Connector. Their work then neither loads
 * the bot's event loop nor counts in its memory, and the connector's arrival times do not wait behind the
 * model's pacing.
 */

/** What a helper process hosts. */
export type HelperRole = 'model' | 'connector';

/** How the model behaves. */
export interface ModelSettings extends AnswerSettings {
  timeToFirstTokenMs: number;
  tokensPerSecond: number;
}

/** How to start a helper of each role. */
export type StartMessage =
  { type: 'start'; role: 'model'; settings: ModelSettings } | { type: 'start'; role: 'connector' };

/** A helper process's own event-loop delay since it started (resolution subtracted, as in resourceMonitor). */
export interface HelperLoopDelay {
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
}

/** What the model helper recorded; times on its clock until the client converts them. */
export interface ModelCollection extends HelperLoopDelay {
  role: 'model';
  /** [conversation number, timing]. */
  modelTimings: Array<[number, ModelTiming]>;
  modelStats: OfflineModelStats;
  /** TCP connections the bot opened to the model. */
  connections: number;
}

/** What the connector helper recorded; times on its clock until the client converts them. */
export interface ConnectorCollection extends HelperLoopDelay {
  role: 'connector';
  sends: SendRecord[];
  /** [conversation id, answer text]. */
  finalTexts: Array<[string, string]>;
  /** TCP connections the bot opened to the connector. */
  connections: number;
}

/** What a helper of either role recorded. */
export type HelperCollection = ModelCollection | ConnectorCollection;

/** Parent → helper. */
export type ParentMessage =
  StartMessage | { type: 'ping'; id: number } | { type: 'collect' } | { type: 'stop' };

/** Helper → parent. */
export type HelperMessage =
  | { type: 'ready'; url: string }
  | { type: 'pong'; id: number; now: number }
  | { type: 'final'; conversationId: string; at: number }
  | { type: 'collected'; collection: HelperCollection }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };

const PARENT_TYPES = new Set(['start', 'ping', 'collect', 'stop']);
const HELPER_TYPES = new Set(['ready', 'pong', 'final', 'collected', 'stopped', 'failed']);

function typeOf(message: unknown): unknown {
  return typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
}

/** True for a message the parent sends (both sides are this code, so the type field is enough). */
export function isParentMessage(message: unknown): message is ParentMessage {
  const type = typeOf(message);
  return typeof type === 'string' && PARENT_TYPES.has(type);
}

/** True for a message a helper sends. */
export function isHelperMessage(message: unknown): message is HelperMessage {
  const type = typeOf(message);
  return typeof type === 'string' && HELPER_TYPES.has(type);
}
