import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, ModelError } from '../../src/shared/errors';
import { composeReply } from './composeReply';
import { planCompletion, type SendableReply } from './completionPlan';
import { defaultErrorBody, sendError, sendJson } from './httpReplies';
import { PacedCompletion, SHUTDOWN_MESSAGE, type CompletionOutcome, type Timers } from './pacedCompletion';
import { parseEmbeddingsRequest, type EmbeddingsRequest } from './embeddingsRequest';
import { hashingEmbedding, HASHING_EMBEDDING_DIMENSIONS } from './hashingEmbedding';
import { refusedParameter } from './modelRules';
import { parseChatRequest } from './requestSchema';
import { BodyTooLargeError, readBody } from './readBody';
import type { ChatRequest, OfflineModelOptions, OfflineModelStats, RunningOfflineModel } from './types';

const DEFAULTS = { host: '127.0.0.1', port: 0, timeToFirstTokenMs: 300, tokensPerSecond: 40 } as const;
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** The model name the server reports and uses when a request names none. */
const OFFLINE_MODEL_ID = 'offline';

/** The global timers, looked up at each call so that sinon's global fake timers apply when installed. */
const globalTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

function validate(options: OfflineModelOptions): { timeToFirstTokenMs: number; tokensPerSecond: number } {
  const timeToFirstTokenMs = options.timeToFirstTokenMs ?? DEFAULTS.timeToFirstTokenMs;
  const tokensPerSecond = options.tokensPerSecond ?? DEFAULTS.tokensPerSecond;
  if (!Number.isFinite(timeToFirstTokenMs) || timeToFirstTokenMs < 0) {
    throw new ConfigError(
      'timeToFirstTokenMs',
      `must be a number of milliseconds >= 0, got ${timeToFirstTokenMs}`,
    );
  }
  if (!(tokensPerSecond > 0)) {
    throw new ConfigError('tokensPerSecond', `must be a number > 0, got ${tokensPerSecond}`);
  }
  return { timeToFirstTokenMs, tokensPerSecond };
}

/** Whether a path is the chat completions route; Azure's names the deployment, which is then the model. */
function chatRoute(path: string): { deployment?: string } | undefined {
  if (path === '/v1/chat/completions' || path === '/chat/completions') return {};
  const azure = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(path);
  return azure?.[1] ? { deployment: decodeURIComponent(azure[1]) } : undefined;
}

/** Whether a path is the embeddings route; Azure's names the deployment, which is then the model. */
function embeddingsRoute(path: string): { deployment?: string } | undefined {
  if (path === '/v1/embeddings' || path === '/embeddings') return {};
  const azure = /^\/openai\/deployments\/([^/]+)\/embeddings$/.exec(path);
  return azure?.[1] ? { deployment: decodeURIComponent(azure[1]) } : undefined;
}

/** The vectors of an embeddings request as OpenAI sends them (floats, or base64 of float32 LE). */
function embeddingsResponse(request: EmbeddingsRequest): unknown {
  const dimensions = request.dimensions ?? HASHING_EMBEDDING_DIMENSIONS;
  let tokens = 0;
  const data = request.input.map((text, index) => {
    tokens += text.split(/\s+/).filter((word) => word !== '').length;
    const vector = hashingEmbedding(text, dimensions);
    const embedding =
      request.encodingFormat === 'base64'
        ? Buffer.from(Float32Array.from(vector).buffer).toString('base64')
        : vector;
    return { object: 'embedding', index, embedding };
  });
  return {
    object: 'list',
    data,
    model: request.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

function hostForUrl(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

/**
 * Starts the built-in offline model: an HTTP server speaking the OpenAI Chat Completions API (streamed and
 * not), answering with `composeReply` (or `options.script`) at a realistic pace. Routes:
 * `POST /v1/chat/completions`, `POST /openai/deployments/<name>/chat/completions` (Azure), `GET /v1/models`,
 * and `POST /v1/embeddings` (and Azure's `/openai/deployments/<name>/embeddings`), whose vectors are a
 * lexical-hashing stand-in (hashed words and character trigrams), not a semantic model. Like OpenAI, it
 * refuses with 400 the parameters a model's family does not take (see `refusedParameter`); refused requests
 * are recorded in `requests` too.
 * @throws ConfigError for an invalid pace; ModelError when the server cannot listen.
 */
export async function startOfflineModel(options: OfflineModelOptions = {}): Promise<RunningOfflineModel> {
  const pace = validate(options);
  const timers: Timers = options.clock ?? globalTimers;
  const requests: ChatRequest[] = [];
  const reasoningModels = new Set(options.reasoningModels ?? []);
  const embeddingRequests: EmbeddingsRequest[] = [];
  const stats: OfflineModelStats = { open: 0, aborted: 0, completed: 0 };
  const active = new Set<PacedCompletion>();
  let sequence = 0;
  let closing: Promise<void> | undefined;

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

  /** `POST /v1/embeddings`: the lexical-hashing stand-in's vectors (see hashingEmbedding). */
  async function handleEmbeddings(
    req: IncomingMessage,
    res: ServerResponse,
    deployment: string | undefined,
  ): Promise<void> {
    const body = await readJson(req, res);
    if (!body) return;
    const parsed = parseEmbeddingsRequest(body.json, OFFLINE_MODEL_ID);
    if (!parsed.ok) {
      sendError(res, 400, parsed.message, 'invalid_request_error', 'invalid_request');
      return;
    }
    if (closing) {
      sendError(res, 503, SHUTDOWN_MESSAGE, 'server_error', 'server_shutting_down');
      return;
    }
    const request = deployment ? { ...parsed.request, model: deployment } : parsed.request;
    embeddingRequests.push(request);
    const failure = options.embeddingsScript?.(request);
    if (failure) {
      const headers: Record<string, string> =
        failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {};
      sendJson(res, failure.status, failure.body ?? defaultErrorBody(failure.status), headers);
      return;
    }
    sendJson(res, 200, embeddingsResponse(request));
  }

  async function handleChat(
    req: IncomingMessage,
    res: ServerResponse,
    deployment: string | undefined,
  ): Promise<void> {
    const body = await readJson(req, res);
    if (!body) return;
    const parsed = parseChatRequest(body.json, OFFLINE_MODEL_ID);
    if (!parsed.ok) {
      sendError(res, 400, parsed.message, 'invalid_request_error', 'invalid_request');
      return;
    }
    if (closing) {
      sendError(res, 503, SHUTDOWN_MESSAGE, 'server_error', 'server_shutting_down');
      return;
    }
    // Azure takes the model from the path and ignores the body's.
    const request = deployment ? { ...parsed.request, model: deployment } : parsed.request;
    requests.push(request);
    const refusal = refusedParameter(body.json as Record<string, unknown>, request.model, reasoningModels);
    if (refusal) {
      sendJson(res, 400, refusal);
      return;
    }
    const reply = options.script?.(request) ?? composeReply(request, new Date());
    if (reply.kind === 'httpError') {
      const headers: Record<string, string> =
        reply.retryAfterSeconds !== undefined ? { 'retry-after': String(reply.retryAfterSeconds) } : {};
      sendJson(res, reply.status, reply.body ?? defaultErrorBody(reply.status), headers);
      return;
    }
    sendReply(res, request, reply);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
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
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // The client sees every failure: a 500 with the message while nothing was sent yet, else a cut connection.
      // (If the client itself went away, e.g. while sending the body, there is nobody left to tell.)
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      sendError(res, 500, `The offline model failed: ${message}`, 'server_error', 'internal_error');
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(
        new ModelError(`the offline model could not listen on ${options.host ?? DEFAULTS.host}`, false, {
          cause: error,
        }),
      );
    };
    server.once('error', onError);
    server.listen(options.port ?? DEFAULTS.port, options.host ?? DEFAULTS.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const baseUrl = `http://${hostForUrl(address)}:${address.port}/v1`;

  async function close(): Promise<void> {
    const stopped = new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
    });
    await Promise.all([...active].map((completion) => completion.shutdown()));
    // Keep-alive connections (the openai client pools them) would otherwise hold the server open.
    server.closeAllConnections();
    await stopped;
  }

  return {
    baseUrl,
    get requests(): readonly ChatRequest[] {
      return requests;
    },
    get embeddingRequests(): readonly EmbeddingsRequest[] {
      return embeddingRequests;
    },
    get stats(): OfflineModelStats {
      return { ...stats };
    },
    close(): Promise<void> {
      closing ??= close();
      return closing;
    },
  };
}
