import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorError } from '../src/shared/errors';
import type { Now } from './time';

/** Longer than any pass; close() ends the connections. */
const IDLE_SOCKET_TIMEOUT_MS = 15 * 60_000;

/** What a send was, from its streaminfo entity (or channelData, where teams-ai 1.7.4 also puts it). */
export type SendKind = 'informative' | 'streaming' | 'final' | 'message' | 'other';

/** One activity the bot sent, reduced to what the metrics need. */
export interface SendRecord {
  conversationId: string;
  /** Arrival time (ms, the connector process's clock until converted). */
  at: number;
  kind: SendKind;
  /** `streamSequence` as sent, for informative and streaming updates. */
  sequence?: number;
  textLength: number;
  /** For streaming updates: the text starts with the previous streaming update's text, as Teams requires. */
  extendsPrevious: boolean;
  status: number;
}

/** The lean fake Bot Connector. */
export interface TimestampingConnector {
  readonly url: string;
  /** Every send, in arrival order. */
  readonly sends: readonly SendRecord[];
  /** TCP connections the bot opened to the connector (as many as sends means no keep-alive). */
  readonly connections: number;
  /**
   * The answer text per conversation: the stream's final message, or without one the first plain message
   * (an answer sent as one ordinary message).
   */
  readonly finalTexts: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

/** Called once per conversation, when its first `message` activity (final or plain) arrives. */
export type FinalListener = (conversationId: string, at: number) => void;

interface StreamInfoFields {
  streamType?: unknown;
  streamSequence?: unknown;
  streamId?: unknown;
}

interface WireActivity {
  type?: unknown;
  text?: unknown;
  entities?: unknown;
  channelData?: unknown;
}

const ACTIVITIES_PATH = /^\/v3\/conversations\/([^/]+)\/activities(?:\/[^/]+)?$/;

function streamInfoOf(activity: WireActivity): StreamInfoFields | undefined {
  if (Array.isArray(activity.entities)) {
    for (const entity of activity.entities as unknown[]) {
      if (
        typeof entity === 'object' &&
        entity !== null &&
        (entity as { type?: unknown }).type === 'streaminfo'
      ) {
        return entity;
      }
    }
  }
  const channelData = activity.channelData as StreamInfoFields | undefined;
  return channelData && typeof channelData === 'object' && 'streamType' in channelData
    ? channelData
    : undefined;
}

/** Classifies a send by its activity type and streaminfo. */
export function kindOf(type: unknown, streamType: unknown): SendKind {
  if (type === 'message') return streamType === 'final' ? 'final' : 'message';
  if (type === 'typing' && (streamType === 'informative' || streamType === 'streaming')) return streamType;
  return 'other';
}

/**
 * Starts a fake Bot Connector on 127.0.0.1 that answers like Teams (201 `{id}` for a stream's first update
 * and for messages, 202 for later updates) and records, per send, only its arrival time, kind, sequence, text
 * length and whether a streaming update extends the previous one. It keeps the last streamed text and the
 * final text per conversation, nothing else, so hundreds of concurrent streams cost it little.
 */
export async function startTimestampingConnector(
  now: Now,
  onFinal: FinalListener,
): Promise<TimestampingConnector> {
  const sends: SendRecord[] = [];
  const finalTexts = new Map<string, string>();
  const lastStreamed = new Map<string, string>();
  let nextId = 1;

  const record = (conversationId: string, at: number, activity: WireActivity): number => {
    const info = streamInfoOf(activity);
    const kind = kindOf(activity.type, info?.streamType);
    const text = typeof activity.text === 'string' ? activity.text : '';
    let extendsPrevious = true;
    if (kind === 'streaming') {
      extendsPrevious = text.startsWith(lastStreamed.get(conversationId) ?? '');
      lastStreamed.set(conversationId, text);
    }
    const newStream = kind === 'informative' || kind === 'streaming' ? info?.streamId === undefined : false;
    const status = kind === 'informative' || kind === 'streaming' ? (newStream ? 201 : 202) : 201;
    sends.push({
      conversationId,
      at,
      kind,
      ...(typeof info?.streamSequence === 'number' ? { sequence: info.streamSequence } : {}),
      textLength: text.length,
      extendsPrevious,
      status,
    });
    if (kind === 'final' || kind === 'message') {
      const first = !finalTexts.has(conversationId);
      // The stream's final message carries the answer; a later plain message (the card on its own) does not.
      if (first || kind === 'final') finalTexts.set(conversationId, text);
      if (first) onFinal(conversationId, at);
    }
    return status;
  };

  const server = http.createServer((req, res) => {
    const at = now();
    const match = req.method === 'POST' ? ACTIVITIES_PATH.exec(req.url ?? '') : null;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (!match) {
        res.writeHead(404).end();
        return;
      }
      let activity: WireActivity;
      try {
        activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WireActivity;
      } catch {
        // Recorded as an 'other' send with status 400, so the report shows it.
        sends.push({
          conversationId: decodeURIComponent(match[1]),
          at,
          kind: 'other',
          textLength: 0,
          extendsPrevious: true,
          status: 400,
        });
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'BadSyntax', message: 'the body is not JSON' } }));
        return;
      }
      const status = record(decodeURIComponent(match[1]), at, activity);
      const info = streamInfoOf(activity);
      const id = typeof info?.streamId === 'string' ? info.streamId : `activity-${nextId++}`;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 202 ? '{}' : JSON.stringify({ id }));
    });
  });
  // Idle sockets stay open for the whole pass: with a short timeout, the bot's connector client can pick a socket that the
  // server is just closing (more likely while the bot's event loop is blocked), a failure the harness would cause.
  server.keepAliveTimeout = IDLE_SOCKET_TIMEOUT_MS;
  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });
  server.listen(0, '127.0.0.1');
  try {
    await once(server, 'listening');
  } catch (error) {
    throw new ConnectorError(
      'the benchmark connector could not listen on 127.0.0.1',
      undefined,
      undefined,
      false,
      {
        cause: error,
      },
    );
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sends,
    get connections() {
      return connections;
    },
    finalTexts,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
