import type { IncomingMessage, ServerResponse } from 'node:http';
import { composeReply } from './composeReply';
import { planCompletion, type SendableReply } from './completionPlan';
import { parseEmbeddingsRequest, type EmbeddingsRequest } from './embeddingsRequest';
import { defaultErrorBody, sendError, sendJson } from './httpReplies';
import { refusedParameter } from './modelRules';
import { PacedCompletion, SHUTDOWN_MESSAGE, type CompletionOutcome, type Timers } from './pacedCompletion';
import { BodyTooLargeError, readBody } from './readBody';
import { parseChatRequest } from './requestSchema';
import { chatRoute, embeddingsResponse, embeddingsRoute, OFFLINE_MODEL_ID } from './routes';
import type { ChatRequest, OfflineModelOptions, OfflineModelStats } from './types';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** What the request handler shares with the server that runs it: its options, pace and records. */
export interface OfflineModelState {
  options: OfflineModelOptions;
  pace: { timeToFirstTokenMs: number; tokensPerSecond: number };
  timers: Timers;
  /** Chat requests as received (refused ones included). */
  requests: ChatRequest[];
  embeddingRequests: EmbeddingsRequest[];
  stats: OfflineModelStats;
  /** The completions still streaming; the server shuts them down when it closes. */
  active: Set<PacedCompletion>;
  /** True once the server is closing: new completions get 503. */
  isClosing: () => boolean;
}

/**
 * The offline model's request handler: `GET /v1/models`, the chat completions routes (OpenAI's and Azure's)
 * and the embeddings routes, recording what it receives in `state`. It answers every error it detects itself;
 * it rejects only on an unexpected failure, which the server turns into a 500.
 */
export function createRequestHandler(
  state: OfflineModelState,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { options, pace, timers, requests, embeddingRequests, stats, active } = state;
  const reasoningModels = new Set(options.reasoningModels ?? []);
  let sequence = 0;

  function sendReply(res: ServerResponse, request: ChatRequest, reply: SendableReply): void {
    sequence += 1;
    const plan = planCompletion(request, reply, sequence, Math.floor(Date.now() / 1000));
    stats.open += 1;
    const onEnd = (outcome: CompletionOutcome): void => {
      active.delete(completion);
      stats.open -= 1;
      if (outcome === 'aborted') stats.aborted += 1;
      if (outcome === 'completed') stats.completed += 1;
    };
    // With an injected clock only the clock's time counts; with real timers, late timers catch up on Date.now.
    const completion = new PacedCompletion(
      res,
      plan,
      pace,
      timers,
      onEnd,
      options.clock ? undefined : Date.now,
    );
    active.add(completion);
    completion.start();
  }

  /** Reads and JSON-parses a request body; answers 413 or 400 itself and resolves undefined then. */
  async function readJson(req: IncomingMessage, res: ServerResponse): Promise<{ json: unknown } | undefined> {
    let raw: string;
    try {
      raw = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendError(res, 413, error.message, 'invalid_request_error', 'request_too_large');
        return undefined;
      }
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      sendError(
        res,
        400,
        `We could not parse the JSON body of your request: ${detail}`,
        'invalid_request_error',
        'invalid_json',
      );
      return undefined;
    }
    return { json };
  }

  /**
   * Reads, JSON-parses and validates a request body with `parse`; answers 413, 400 or (while closing) 503 itself
   * and resolves undefined then.
   */
  async function readRequest<T>(
    req: IncomingMessage,
    res: ServerResponse,
    parse: (json: unknown, defaultModel: string) => { ok: true; request: T } | { ok: false; message: string },
  ): Promise<{ json: unknown; request: T } | undefined> {
    const body = await readJson(req, res);
    if (!body) return undefined;
    const parsed = parse(body.json, OFFLINE_MODEL_ID);
    if (!parsed.ok) {
      sendError(res, 400, parsed.message, 'invalid_request_error', 'invalid_request');
      return undefined;
    }
    if (state.isClosing()) {
      sendError(res, 503, SHUTDOWN_MESSAGE, 'server_error', 'server_shutting_down');
      return undefined;
    }
    return { json: body.json, request: parsed.request };
  }

  /** `POST /v1/embeddings`: the lexical-hashing stand-in's vectors (see hashingEmbedding). */
  async function handleEmbeddings(
    req: IncomingMessage,
    res: ServerResponse,
    deployment: string | undefined,
  ): Promise<void> {
    const read = await readRequest(req, res, parseEmbeddingsRequest);
    if (!read) return;
    const request = deployment ? { ...read.request, model: deployment } : read.request;
    embeddingRequests.push(request);
    const failure = options.embeddingsScript?.(request);
    if (failure) {
      sendScriptedFailure(res, failure);
      return;
    }
    sendJson(res, 200, embeddingsResponse(request));
  }

  async function handleChat(
    req: IncomingMessage,
    res: ServerResponse,
    deployment: string | undefined,
  ): Promise<void> {
    const read = await readRequest(req, res, parseChatRequest);
    if (!read) return;
    // Azure takes the model from the path and ignores the body's.
    const request = deployment ? { ...read.request, model: deployment } : read.request;
    requests.push(request);
    const refusal = refusedParameter(read.json as Record<string, unknown>, request.model, reasoningModels);
    if (refusal) {
      sendJson(res, 400, refusal);
      return;
    }
    const reply = options.script?.(request) ?? composeReply(request, new Date());
    if (reply.kind === 'httpError') {
      sendScriptedFailure(res, reply);
      return;
    }
    sendReply(res, request, reply);
  }

  /** Answers one request: the models list, chat completions or embeddings, else 404/405. */
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://offline.invalid').pathname.replace(/\/+$/, '');
    if (path === '/v1/models' || path === '/models') {
      if (req.method !== 'GET') {
        sendError(
          res,
          405,
          `Method ${req.method} is not allowed on ${path}`,
          'invalid_request_error',
          'method_not_allowed',
        );
        return;
      }
      sendJson(res, 200, {
        object: 'list',
        data: [{ id: OFFLINE_MODEL_ID, object: 'model', created: 0, owned_by: 'offline' }],
      });
      return;
    }
    const route = chatRoute(path);
    const embeddings = route ? undefined : embeddingsRoute(path);
    if (!route && !embeddings) {
      sendError(
        res,
        404,
        `Unknown request URL: ${req.method} ${path}`,
        'invalid_request_error',
        'unknown_url',
      );
      return;
    }
    if (req.method !== 'POST') {
      sendError(
        res,
        405,
        `Method ${req.method} is not allowed on ${path}`,
        'invalid_request_error',
        'method_not_allowed',
      );
      return;
    }
    if (route) await handleChat(req, res, route.deployment);
    else await handleEmbeddings(req, res, embeddings?.deployment);
  };
}

/** Answers with a failure a test script chose: its status, its body (or OpenAI's for the status), Retry-After. */
function sendScriptedFailure(
  res: ServerResponse,
  failure: { status: number; body?: unknown; retryAfterSeconds?: number },
): void {
  const headers: Record<string, string> =
    failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {};
  sendJson(res, failure.status, failure.body ?? defaultErrorBody(failure.status), headers);
}
