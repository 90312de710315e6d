import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorClient } from 'botframework-connector';
import OpenAI from 'openai';
import { capturingLogger } from '../../support/capturingLogger';
import { StaticBotCredentials } from '../../support/staticBotCredentials';

const OPENAI_KEY = 'sk-proj-0123456789abcdefghijklmnopqrstuv';
const BOT_PASSWORD = 'bot~client~secret~value';
const BOT_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJib3QifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const ADMIN_TOKEN = 'admin-token-0123456789';
const DATABASE_PASSWORD = 'db-pass-hunter2';
const DATABASE_URL = `postgres://assistant:${DATABASE_PASSWORD}@db.internal:5432/bot`;
const EVERY_SECRET = [OPENAI_KEY, BOT_PASSWORD, BOT_TOKEN, ADMIN_TOKEN, DATABASE_PASSWORD];

/** The real logger, writing into memory. */
function capture() {
  const log = capturingLogger({ secrets: [OPENAI_KEY, BOT_PASSWORD, ADMIN_TOKEN] });
  return { logger: log.logger, text: log.text, lines: () => log.lines };
}

function assertNoSecret(text: string): void {
  for (const secret of EVERY_SECRET)
    assert.ok(!text.includes(secret), `the log contains ${secret}:\n${text}`);
}

/** A local HTTP server that answers every request with `status` and `body` (JSON), recording the headers. */
async function answeringServer(
  status: number,
  body: unknown,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('logging: secrets never reach the log', () => {
  it('redacts secrets under known names at any depth, and connection strings', () => {
    const { logger, text, lines } = capture();
    logger.info(
      { headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json' } },
      'request',
    );
    logger.info({ model: { apiKey: OPENAI_KEY, name: 'gpt-4o' } }, 'model');
    logger.info({ settings: { nested: { deeper: { password: BOT_PASSWORD, DATABASE_URL } } } }, 'settings');
    logger.info({ 'api-key': OPENAI_KEY, token: ADMIN_TOKEN }, 'flat');
    logger.info({ endpoint: new URL(DATABASE_URL) }, 'a URL object');
    assertNoSecret(text());
    const [request, model, , , withUrl] = lines();
    assert.match(String(withUrl.endpoint), /^postgres:\/\/assistant:\[Redacted\]@db\.internal:5432\/bot$/);
    assert.deepEqual(
      (request.headers as Record<string, unknown>)['content-type'],
      'application/json',
      'the rest stays',
    );
    assert.equal((model.model as Record<string, unknown>).name, 'gpt-4o');
    assert.equal((model.model as Record<string, unknown>).apiKey, '[Redacted]');
  });

  it('removes configured secret values and secret shapes from messages and free text', () => {
    const { logger, text } = capture();
    logger.warn(`could not connect with key ${OPENAI_KEY}`);
    logger.info({ note: `admin asked with ?token=${ADMIN_TOKEN}` }, 'admin');
    logger.info({ url: DATABASE_URL }, `database at ${DATABASE_URL}`);
    logger.info({ header: `Authorization: Bearer ${BOT_TOKEN}` }, 'raw header');
    logger.error(new Error(`login failed for secret ${BOT_PASSWORD}`), 'bot login');
    logger.error(new Error(`no message given, secret ${BOT_PASSWORD}`));
    logger.error({ err: new Error(`no message either, key ${OPENAI_KEY}`) });
    logger.info('Basic authentication is off; the Bearer scheme is used instead');
    assertNoSecret(text());
    assert.match(text(), /db\.internal:5432/, 'the rest of the URL stays');
    assert.match(
      text(),
      /Basic authentication is off; the Bearer scheme is used instead/,
      'ordinary words stay',
    );
  });

  it('scrubs an openai error (its message echoes the key) logged as err', async () => {
    const server = await answeringServer(401, {
      error: {
        message: `Incorrect API key provided: ${OPENAI_KEY}.`,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      },
    });
    try {
      const client = new OpenAI({ apiKey: OPENAI_KEY, baseURL: server.url, maxRetries: 0 });
      const error = await client.chat.completions
        .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
        .then(
          () => undefined,
          (failure: unknown) => failure,
        );
      assert.ok(error instanceof OpenAI.APIError, 'a real openai error');
      const { logger, text, lines } = capture();
      logger.error({ err: error }, 'the model failed');
      assertNoSecret(text());
      const err = lines()[0].err as Record<string, unknown>;
      assert.equal(err.status, 401, 'the useful fields stay');
      assert.match(String(err.message), /Incorrect API key provided/);
    } finally {
      await server.close();
    }
  });

  it('scrubs a botbuilder connector error, which carries the request with the bot’s bearer token', async () => {
    const server = await answeringServer(400, { error: { code: 'BadArgument', message: 'boom' } });
    try {
      const credentials = await new StaticBotCredentials('app', BOT_TOKEN).createCredentials('app');
      const client = new ConnectorClient(credentials, { baseUri: server.url });
      const error = await client.conversations
        .sendToConversation('chat', { type: 'message', text: 'hi' })
        .then(
          () => undefined,
          (failure: unknown) => failure,
        );
      assert.ok(error instanceof Error, 'the send failed');
      // core-rest-pipeline keeps the sent request (with its Authorization header) on the error.
      const { request } = error as Error & { request?: unknown };
      assert.ok(hasTokenDeep(request), 'the error carries the bot token');
      const { logger, text } = capture();
      logger.error({ err: error, request }, 'a send failed');
      logger.warn({ failure: { cause: error, request } }, 'nested');
      assertNoSecret(text());
      assert.match(text(), /"statusCode":400/);
    } finally {
      await server.close();
    }
  });
});

/** Whether the token is reachable anywhere inside the error object (proves the test logs something dangerous). */
function hasTokenDeep(value: unknown, seen = new WeakSet<object>(), depth = 0): boolean {
  if (typeof value === 'string') return value.includes(BOT_TOKEN);
  if (typeof value !== 'object' || value === null || seen.has(value) || depth > 8) return false;
  seen.add(value);
  if (value instanceof Map) return [...value.values()].some((item) => hasTokenDeep(item, seen, depth + 1));
  return Object.values(value).some((item) => hasTokenDeep(item, seen, depth + 1));
}
