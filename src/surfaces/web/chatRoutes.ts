import { createHash, randomUUID } from 'node:crypto';
import { createUIMessageStream, pipeUIMessageStreamToResponse } from 'ai';
import type { Request, Response, Server } from 'restify';
import { presentedToken, tokenMatches } from '../../admin';
import type { Logger } from '../../shared/logging';
import { perMinutePolicy, RateLimiter, retryAfterSeconds } from '../../shared/rateLimit';
import type { Clock } from '../../shared/time';
import type { InProcessChannel } from '../inProcess';
import { CHAT_PAGE_CSP, renderChatPage } from './chatPage';
import { parseChatRequest, parseConfirmationRequest, parseFeedbackRequest } from './chatRequest';
import { type ChatUIMessage, UIMessageSink } from './uiMessageSink';

/** Where the web chat lives. */
export const CHAT_API_PATH = '/api/chat';
export const CHAT_PAGE_PATH = '/chat';
export const CHAT_FEEDBACK_PATH = '/api/chat/feedback';
export const CHAT_CONFIRM_PATH = '/api/chat/confirm';

/** The user id of web chat turns: whoever holds the key. */
const WEB_USER_ID = 'web-user';

/** What the web chat needs. */
export interface WebChatOptions {
  /** The bearer token requests must carry; unset, the web chat does not exist (its paths answer 404). */
  apiKey: string | undefined;
  /** The assistant on the `web` channel. */
  channel: InProcessChannel;
  logger: Logger;
  /**
   * Questions (`POST /api/chat`) per key: `burst` at once, then `perMinute` a minute; requests without the
   * right key are counted per client address instead. Unset: no limit.
   */
  rateLimit?: { perMinute: number; burst: number };
  /** The rate limit's time source; default the system clock. */
  clock?: Clock;
}

/** Who a request counts against: the key it presents when that is the right one, else its client address. */
interface Caller {
  authorized: boolean;
  /** The rate limit's bucket: a fingerprint of the key (never the key itself), or the client address. */
  limitKey: string;
}

/**
 * The web chat: `POST /api/chat` answers a question as a Server-Sent Events stream in the AI SDK's UI
 * message stream protocol (made with the `ai` package, so an unmodified `useChat` front end works), and
 * `GET /chat` serves a small chat page that talks to it. The history is kept per chat id in the bot's store;
 * a client that disconnects (or aborts its request) stops the answer and the model request. A change waiting
 * for confirmation (a `data-confirmation` part) is answered with `POST /api/chat/confirm`, and feedback goes to
 * `POST /api/chat/feedback`; every route takes the same bearer key. Questions are rate limited per key (per
 * client address without the right key): over the limit, 429 with Retry-After, before anything else is done.
 */
export class WebChat {
  private readonly running = new Set<Promise<void>>();
  /** Chats with an answer streaming: one answer per chat at a time, so its history stays in order. */
  private readonly busyChats = new Set<string>();
  private readonly limiter: RateLimiter | undefined;
  private readonly keyBucket: string;

  constructor(private readonly options: WebChatOptions) {
    const { rateLimit } = options;
    this.limiter = rateLimit
      ? new RateLimiter(perMinutePolicy(rateLimit), { clock: options.clock })
      : undefined;
    const fingerprint = createHash('sha256')
      .update(options.apiKey ?? '')
      .digest('hex')
      .slice(0, 16);
    this.keyBucket = `key:${fingerprint}`;
  }

  /** Registers the routes when a key is configured. @returns whether the web chat is on. */
  register(server: Server): boolean {
    if (!this.options.apiKey) return false;
    // restify tells async handlers apart by their function kind, so this must be an async function.
    server.post(CHAT_API_PATH, async (req: Request, res: Response) => this.handleChat(req, res));
    server.post(CHAT_FEEDBACK_PATH, async (req: Request, res: Response) => this.handleFeedback(req, res));
    server.post(CHAT_CONFIRM_PATH, async (req: Request, res: Response) => this.handleConfirmation(req, res));
    server.get(CHAT_PAGE_PATH, (_req: Request, res: Response, next: () => void) => {
      res.sendRaw(200, renderChatPage(), {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': CHAT_PAGE_CSP,
        'X-Frame-Options': 'DENY',
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      });
      next();
    });
    return true;
  }

  /** Resolves when no answer is streaming any more (used at shutdown, after connections were closed). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Whether the request carries the key as a bearer token, and which rate limit bucket it counts against. */
  private caller(req: Request): Caller & { tokenPresented: boolean } {
    const presented = presentedToken(req.headers.authorization, new URLSearchParams());
    const authorized = tokenMatches(presented, this.options.apiKey ?? '');
    const limitKey = authorized ? this.keyBucket : `address:${req.socket.remoteAddress ?? 'unknown'}`;
    return { authorized, limitKey, tokenPresented: presented !== undefined };
  }

  /**
   * Takes a token from the caller's bucket; without one, answers 429 with Retry-After (whole seconds) and
   * returns false, before anything else is done with the request.
   */
  private withinRateLimit(caller: Caller, req: Request, res: Response): boolean {
    const decision = this.limiter?.take(caller.limitKey) ?? { allowed: true };
    if (decision.allowed) return true;
    const seconds = retryAfterSeconds(decision.retryAfterMs);
    this.options.logger.warn(
      {
        remoteAddress: req.socket.remoteAddress,
        limitedBy: caller.authorized ? 'key' : 'address',
        retryAfterSeconds: seconds,
      },
      'refused a web chat question over the rate limit',
    );
    sendJson(
      res,
      429,
      { error: `Too many questions: try again in ${seconds} s.` },
      { 'Retry-After': String(seconds) },
    );
    return false;
  }

  /** Answers 401 and returns false unless the request carries the key as a bearer token. */
  private authorized(req: Request, res: Response, caller = this.caller(req)): boolean {
    if (caller.authorized) return true;
    this.options.logger.warn(
      { remoteAddress: req.socket.remoteAddress, tokenPresented: caller.tokenPresented },
      'refused a web chat request without the right key',
    );
    sendJson(
      res,
      401,
      { error: 'Unauthorized: send the chat API key as a bearer token.' },
      { 'WWW-Authenticate': 'Bearer realm="chat"' },
    );
    return false;
  }

  /** Stores a like or dislike through the Application's feedback loop, as Teams' buttons do. */
  private async handleFeedback(req: Request, res: Response): Promise<void> {
    if (!this.authorized(req, res)) return;
    const parsed = parseFeedbackRequest(req.body as unknown);
    if (!parsed.ok) {
      sendJson(res, 400, { error: parsed.error });
      return;
    }
    const { chatId, answerId, reaction, comment } = parsed.request;
    try {
      await this.options.channel.sendFeedback({
        conversationId: `web-${chatId}`,
        userId: WEB_USER_ID,
        messageId: answerId,
        reaction,
        comment,
      });
      res.sendRaw(204, '');
    } catch (error) {
      this.options.logger.error({ err: error }, 'web chat feedback failed');
      sendJson(res, 500, { error: 'The feedback could not be stored; see the bot log.' });
    }
  }

  /**
   * Confirms or cancels a change the assistant asked about (`data-confirmation`), through the same
   * confirmation handler as Teams' card buttons; answers 200 with the outcome as `{lines}`.
   */
  private async handleConfirmation(req: Request, res: Response): Promise<void> {
    if (!this.authorized(req, res)) return;
    const parsed = parseConfirmationRequest(req.body as unknown);
    if (!parsed.ok) {
      sendJson(res, 400, { error: parsed.error });
      return;
    }
    const { chatId, confirmationId, decision } = parsed.request;
    try {
      const result = await this.options.channel.sendConfirmation({
        conversationId: `web-${chatId}`,
        userId: WEB_USER_ID,
        confirmationId,
        decision,
      });
      sendJson(res, 200, { lines: result.lines });
    } catch (error) {
      this.options.logger.error({ err: error }, 'web chat confirmation failed');
      sendJson(res, 500, { error: 'The confirmation could not be handled; see the bot log.' });
    }
  }

  private async handleChat(req: Request, res: Response): Promise<void> {
    // The limit comes first, so that requests without the key are limited too (per client address).
    const caller = this.caller(req);
    if (!this.withinRateLimit(caller, req, res)) return;
    if (!this.authorized(req, res, caller)) return;
    const parsed = parseChatRequest(req.body as unknown);
    if (!parsed.ok) {
      sendJson(res, 400, { error: parsed.error });
      return;
    }
    const { chatId, question } = parsed.request;
    if (this.busyChats.has(chatId)) {
      sendJson(res, 409, {
        error: 'An answer is still streaming in this chat; stop it or wait for it first.',
      });
      return;
    }
    this.busyChats.add(chatId);
    const turn = this.stream(chatId, question, res);
    this.running.add(turn);
    try {
      await turn;
    } finally {
      this.running.delete(turn);
      this.busyChats.delete(chatId);
    }
  }

  private async stream(chatId: string, question: string, res: Response): Promise<void> {
    const conversationId = `web-${chatId}`;
    const abort = new AbortController();
    // The client went away (closed the page, pressed Stop, or the server is shutting down): stop the answer.
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const logger = this.options.logger.child({ conversationId, channel: 'web' });
    const stream = createUIMessageStream<ChatUIMessage>({
      execute: async ({ writer }) => {
        writer.write({ type: 'start', messageId: randomUUID(), messageMetadata: { conversationId } });
        const sink = new UIMessageSink(writer, conversationId);
        try {
          await this.options.channel.ask({
            conversationId,
            userId: WEB_USER_ID,
            text: question,
            signal: abort.signal,
            sink,
          });
        } catch (error) {
          logger.error({ err: error }, 'the web chat turn failed');
          writer.write({ type: 'error', errorText: 'The assistant failed to answer; see the bot log.' });
          sink.finish('error');
          return;
        }
        sink.finish('stop');
      },
      onError: (error) => {
        logger.error({ err: error }, 'the web chat stream failed');
        return 'The assistant failed to answer; see the bot log.';
      },
    });
    await pipeUIMessageStreamToResponse({ response: res, stream });
  }
}

function sendJson(res: Response, status: number, body: object, headers: Record<string, string> = {}): void {
  res.sendRaw(status, JSON.stringify(body), {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
}
