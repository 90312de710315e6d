import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One activity the bot sent, exactly as it arrived over HTTP. */
export interface ReceivedActivity {
  /** Arrival time in ms (Date.now()). */
  at: number;
  path: string;
  authorization: string | undefined;
  // The raw wire JSON: tests read it field by field.
  body: WireActivity;
  status: number;
}

/** The fields of a Bot Framework activity that the tests read. */
export interface WireActivity {
  type: string;
  id?: string;
  channelId?: string;
  text?: string;
  replyToId?: string;
  entities?: Array<Record<string, unknown> & { type: string }>;
  channelData?: Record<string, unknown>;
  attachments?: Array<{ contentType: string; content: unknown }>;
  conversation?: { id: string };
}

/** A scripted answer for one send; return undefined to answer like Teams normally does. */
export type ConnectorResponder = (
  activity: WireActivity,
  index: number,
) => { status: number; body?: unknown; headers?: Record<string, string> } | undefined;

/** A fake Bot Connector: records every activity and answers like Teams (201 {id} for a stream's first update, 202 after). */
export interface FakeBotConnector {
  readonly url: string;
  readonly activities: ReceivedActivity[];
  /** Activities sent to one conversation. */
  forConversation(conversationId: string): ReceivedActivity[];
  respondWith(responder: ConnectorResponder | undefined): void;
  close(): Promise<void>;
}

/** Starts the fake connector on 127.0.0.1 and an ephemeral port. */
export async function startFakeBotConnector(): Promise<FakeBotConnector> {
  const activities: ReceivedActivity[] = [];
  let responder: ConnectorResponder | undefined;
  let nextId = 1;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      if (req.method !== 'POST' || !/^\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/.test(path)) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WireActivity;
      const scripted = responder?.(body, activities.length);
      const answer = scripted ?? defaultAnswer(body, () => `activity-${nextId++}`);
      activities.push({
        at: Date.now(),
        path,
        authorization: req.headers.authorization,
        body,
        status: answer.status,
      });
      res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    activities,
    forConversation: (conversationId) =>
      activities.filter((activity) =>
        activity.path.startsWith(`/v3/conversations/${encodeURIComponent(conversationId)}/`),
      ),
    respondWith: (next) => {
      responder = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function defaultAnswer(
  activity: WireActivity,
  newId: () => string,
): { status: number; body?: unknown; headers?: Record<string, string> } {
  const streamInfo = activity.entities?.find((entity) => entity.type === 'streaminfo');
  const streamId = streamInfo?.streamId as string | undefined;
  if (activity.type === 'typing' && streamInfo && !streamId) return { status: 201, body: { id: newId() } };
  if (activity.type === 'typing' && streamId) return { status: 202, body: {} };
  return { status: 201, body: { id: streamId ?? newId() } };
}

/** The streaminfo entity of a received activity, if any. */
export function streamInfoOf(activity: WireActivity): Record<string, unknown> | undefined {
  return activity.entities?.find((entity) => entity.type === 'streaminfo');
}

/** The schema.org Message entity (AI label and citations) of a received activity, if any. */
export function aiEntityOf(activity: WireActivity): Record<string, unknown> | undefined {
  return activity.entities?.find((entity) => entity.type === 'https://schema.org/Message');
}
