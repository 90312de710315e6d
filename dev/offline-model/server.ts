import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, ModelError } from '../../src/shared/errors';
import type { EmbeddingsRequest } from './embeddingsRequest';
import { sendError } from './httpReplies';
import type { PacedCompletion, Timers } from './pacedCompletion';
import { createRequestHandler } from './requestHandler';
import type { ChatRequest, OfflineModelOptions, OfflineModelStats, RunningOfflineModel } from './types';

const DEFAULTS = { host: '127.0.0.1', port: 0, timeToFirstTokenMs: 300, tokensPerSecond: 40 } as const;

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
  const embeddingRequests: EmbeddingsRequest[] = [];
  const stats: OfflineModelStats = { open: 0, aborted: 0, completed: 0 };
  const active = new Set<PacedCompletion>();
  let closing: Promise<void> | undefined;

  const handle = createRequestHandler({
    options,
    pace,
    timers,
    requests,
    embeddingRequests,
    stats,
    active,
    isClosing: () => closing !== undefined,
  });

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
    // exclusive: in a cluster worker (BOT_PROCESSES > 1) a plain listen is shared through the primary, so every
    // worker's model server would answer on one port; each worker's own bot should reach its own model.
    const listenOptions = {
      port: options.port ?? DEFAULTS.port,
      host: options.host ?? DEFAULTS.host,
      exclusive: true,
    };
    server.listen(listenOptions, () => {
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
