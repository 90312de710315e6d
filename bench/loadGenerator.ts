import http from 'node:http';
import { conversationIdOf, questionOf } from './scriptedAnswers';
import type { Now } from './time';

/** How one inbound POST ended. */
export interface PostOutcome {
  /** HTTP status, when a response came. */
  status?: number;
  /** Why there was no response (connection error, timeout, aborted). */
  error?: string;
}

/** The load in flight: when each POST was sent, and how they ended. */
export interface Load {
  /** When each POST was sent: entry i is conversation number firstIndex + i. */
  readonly sentAt: readonly number[];
  /** Resolves once every POST got its response or failed (entry i as in sentAt). Never rejects. */
  readonly outcomes: Promise<PostOutcome[]>;
  /** Destroys the sockets of POSTs still open. */
  abort(): void;
}

/** Where to send and how much. */
export interface LoadOptions {
  /** The bot's base URL, e.g. http://127.0.0.1:3978. */
  botUrl: string;
  /** The activities' serviceUrl: the fake Bot Connector. */
  serviceUrl: string;
  /** Conversation numbers firstIndex .. firstIndex + count − 1 each send one message. */
  firstIndex: number;
  count: number;
  /** 0: every POST at once; otherwise POST i is sent i × rampMs / count after the start. */
  rampMs: number;
  /** A POST with no response after this long is destroyed. */
  requestTimeoutMs: number;
  now: Now;
}

/** A Teams 1:1 message as the Bot Connector delivers it, one distinct user and conversation per number. */
export function inboundMessage(index: number, serviceUrl: string, timestamp: Date): Record<string, unknown> {
  const tenantId = 'bench-tenant';
  return {
    type: 'message',
    id: `bench-inbound-${index}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: timestamp.toISOString(),
    text: questionOf(index),
    locale: 'en-US',
    from: { id: `bench-user-${index}`, name: `Bench User ${index}`, aadObjectId: `bench-aad-${index}` },
    recipient: { id: 'bench-bot', name: 'Stream Assistant' },
    conversation: { id: conversationIdOf(index), conversationType: 'personal', tenantId },
    channelData: { tenant: { id: tenantId } },
  };
}

/**
 * Sends one message per conversation to the bot's /api/messages through a keep-alive agent with a socket
 * per conversation: all at once, or spread evenly over `rampMs`. Each POST's time is taken right before its
 * body is handed to the socket. The POST may be answered at once or only after the whole turn; the caller
 * waits for the final messages at the connector, not for these responses.
 */
export function startLoad(options: LoadOptions): Load {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.count + 16 });
  const url = new URL('/api/messages', options.botUrl);
  const sentAt: number[] = [];
  const pending: Array<Promise<PostOutcome>> = [];
  /** POSTs still waiting for their moment in a ramp, with how to settle them if the load is aborted. */
  const scheduled = new Map<NodeJS.Timeout, (outcome: PostOutcome) => void>();
  let aborted = false;

  const post = (offset: number, resolve: (outcome: PostOutcome) => void): void => {
    if (aborted) {
      resolve({ error: 'not sent: the load was aborted' });
      return;
    }
    const body = JSON.stringify(inboundMessage(options.firstIndex + offset, options.serviceUrl, new Date()));
    const request = http.request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    request.setTimeout(options.requestTimeoutMs, () => {
      request.destroy(new Error(`no response after ${options.requestTimeoutMs} ms`));
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode }));
      response.on('error', (error) => resolve({ status: response.statusCode, error: error.message }));
      // Runs after 'end' for a complete response, where resolving again changes nothing.
      response.on('close', () => resolve({ status: response.statusCode, error: 'the response was cut off' }));
    });
    request.on('error', (error) => resolve({ error: error.message }));
    sentAt[offset] = options.now();
    request.end(body);
  };

  for (let offset = 0; offset < options.count; offset += 1) {
    const delay = options.rampMs > 0 ? (offset * options.rampMs) / options.count : 0;
    pending.push(
      new Promise<PostOutcome>((resolve) => {
        if (delay === 0) {
          post(offset, resolve);
          return;
        }
        const timer = setTimeout(() => {
          scheduled.delete(timer);
          post(offset, resolve);
        }, delay);
        scheduled.set(timer, resolve);
      }),
    );
  }
  return {
    sentAt,
    outcomes: Promise.all(pending),
    abort: () => {
      aborted = true;
      for (const [timer, resolve] of scheduled) {
        clearTimeout(timer);
        resolve({ error: 'not sent: the load was aborted' });
      }
      scheduled.clear();
      agent.destroy();
    },
  };
}
