import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ModelError } from '../src/shared/errors';
import { findConversationIndex } from './scriptedAnswers';
import type { Now } from './time';

/** Longer than any pass; close() ends the connections. */
const IDLE_SOCKET_TIMEOUT_MS = 15 * 60_000;

/** When the model streamed answer text to one conversation, over all of its requests (tool rounds included). */
export interface ModelTiming {
  /** Chat completion requests the conversation made. */
  requests: number;
  /** When the first SSE event carrying non-empty `delta.content` went out to the bot. */
  firstContentAt?: number;
  /** When the last such event went out. */
  lastContentAt?: number;
}

/** A running timing proxy in front of the offline model. */
export interface ModelTimingProxy {
  /** Base URL for OPENAI_BASE_URL, e.g. 'http://127.0.0.1:54321/v1'. */
  readonly baseUrl: string;
  /** Timings per conversation number (requests without a conversation tag are not timed). */
  readonly timings: ReadonlyMap<number, ModelTiming>;
  /** TCP connections the bot opened to the model. */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * Where `"content":"` followed by at least one character appears: a text delta that is not the empty
 * role-only first delta (`"content":""`) nor a tool-call delta (`"content":null`).
 */
const CONTENT_DELTA = /"content":"[^"]/;
/** Enough of the previous chunk's end to find a marker split across two chunks. */
const TAIL_LENGTH = '"content":"x'.length - 1;

/**
 * Whether a chunk of an SSE response carries answer text, also when the marker was split between the
 * previous chunk and this one. Returns the tail to pass with the next chunk.
 * @param previousTail the `tail` returned for the previous chunk ('' for the first).
 * @param chunk the chunk as latin1 text (one character per byte; the marker is ASCII).
 */
export function scanForContent(previousTail: string, chunk: string): { found: boolean; tail: string } {
  const text = previousTail + chunk;
  return { found: CONTENT_DELTA.test(text), tail: text.slice(-TAIL_LENGTH) };
}

/**
 * Starts an HTTP proxy on 127.0.0.1 in front of the model at `targetBaseUrl` that timestamps, per
 * conversation, the first and the last response chunk carrying answer text, at the moment it forwards them.
 * It reads the conversation tag from the request body (the user's question carries it) and passes bytes
 * through unchanged in both directions.
 */
export async function startModelTimingProxy(targetBaseUrl: string, now: Now): Promise<ModelTimingProxy> {
  const target = new URL(targetBaseUrl);
  const timings = new Map<number, ModelTiming>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const index = findConversationIndex(body.toString('utf8'));
    let timing: ModelTiming | undefined;
    if (index !== undefined) {
      timing = timings.get(index) ?? { requests: 0 };
      timing.requests += 1;
      timings.set(index, timing);
    }
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        let tail = '';
        answer.on('data', (chunk: Buffer) => {
          if (timing) {
            const scan = scanForContent(tail, chunk.toString('latin1'));
            tail = scan.tail;
            if (scan.found) {
              const at = now();
              timing.firstContentAt ??= at;
              timing.lastContentAt = at;
            }
          }
          res.write(chunk);
        });
        answer.on('end', () => res.end());
        answer.on('error', () => res.destroy());
      },
    );
    upstream.on('error', (error) => {
      if (res.headersSent) res.destroy(error);
      else res.writeHead(502, { 'content-type': 'text/plain' }).end(`model proxy: ${error.message}`);
    });
    // The bot aborted (Stop, or shutdown): the model request goes too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end(body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, res, Buffer.concat(chunks)));
  });
  // Idle sockets stay open for the whole pass: with a short timeout, the bot's model client can pick a socket that the
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
    agent.destroy();
    throw new ModelError('the model timing proxy could not listen on 127.0.0.1', false, { cause: error });
  }
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${target.pathname.replace(/\/+$/, '')}`,
    timings,
    get connections() {
      return connections;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}
