import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseLogRecord } from '../../dev/runner/logLineFormat';
import { startBotProcess, type BotProcess } from '../e2e/botProcess';
import { postAndWaitForAnswer } from '../support/answers';
import { childBotTurns } from '../support/childBotTurns';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fakeBotConnector';
import { userMessage } from '../support/testBot';

/** A recognisable key that matches none of the logger's secret shapes: only the configured value can hide it. */
const SECRET_SUFFIX = randomBytes(12).toString('hex');
const API_KEY = `leaky-secret-${SECRET_SUFFIX}`;

/** The failures the hostile upstream answers with, by the user's question. */
const FAILURES = ['leak 400', 'leak 401', 'leak 500', 'leak stream', 'leak garbage'] as const;

/**
 * An OpenAI-compatible server that fails every call and echoes the caller's key back in everything it can:
 * the error message, the error's code and param, a response header, an error event inside a stream, and a
 * stream event that is not JSON (which the openai package itself would print raw with console.error).
 */
async function startEchoingUpstream(): Promise<{ url: string; keysSeen: string[]; close(): Promise<void> }> {
  const keysSeen: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      keysSeen.push(key);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        messages: Array<{ role: string; content: unknown }>;
      };
      const question = body.messages.filter((message) => message.role === 'user').at(-1)?.content;
      const echo = { 'x-echoed-key': key, 'x-request-id': `req-${key}` };
      if (question === 'leak garbage') {
        res.writeHead(200, { 'content-type': 'text/event-stream', ...echo });
        res.write(`data: {"choices": [not json for ${key}\n\n`);
        res.end(`event: ${key}\n\n`);
        return;
      }
      if (question === 'leak stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream', ...echo });
        const chunk = { id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'test-model' };
        res.write(
          `data: ${JSON.stringify({ ...chunk, choices: [{ index: 0, delta: { role: 'assistant' } }] })}\n\n`,
        );
        res.end(
          `data: ${JSON.stringify({ error: { message: `stream broke for ${key}`, code: key, param: key } })}\n\n`,
        );
        return;
      }
      const status = Number(String(question).replace('leak ', '')) || 500;
      res.writeHead(status, { 'content-type': 'application/json', ...echo });
      res.end(
        JSON.stringify({
          error: {
            message: `Incorrect API key provided: ${key}.`,
            type: 'invalid_request_error',
            param: key,
            code: key,
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    keysSeen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('no model key reaches stdout or stderr when the model endpoint fails (real bot process)', function () {
  this.timeout(120000);
  let upstream: Awaited<ReturnType<typeof startEchoingUpstream>>;
  let connector: FakeBotConnector;
  let bot: BotProcess | undefined;

  before(async () => {
    upstream = await startEchoingUpstream();
    connector = await startFakeBotConnector();
    bot = await startBotProcess({
      env: { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: upstream.url, OPENAI_MODEL: 'test-model' },
    });
  });
  after(async () => {
    await bot?.stop();
    bot?.removeData();
    await connector.close();
    await upstream.close();
  });

  it('answers each failure with the polite notice, logs it, and prints the key nowhere', async () => {
    assert.ok(bot);
    for (const question of FAILURES) {
      const conversationId = question.replace(' ', '-');
      await postAndWaitForAnswer(childBotTurns(bot, connector), userMessage(question, { conversationId }), {
        timeoutMs: 30000,
      });
      const final = connector
        .forConversation(conversationId)
        .filter((a) => a.body.type === 'message')
        .at(-1);
      assert.match(final?.body.text ?? '', /couldn't get an answer from the language model/, question);
    }
    assert.ok(
      upstream.keysSeen.length >= FAILURES.length && upstream.keysSeen.every((key) => key === API_KEY),
    );

    const output = bot.output();
    assert.ok(!output.includes(SECRET_SUFFIX), 'the key (or a part of it) was printed');
    // The failures were logged by the bot, as JSON lines with their status.
    const failures = output
      .split('\n')
      .map(parseLogRecord)
      .filter((record) => record?.msg === 'the model call failed');
    const statuses = new Set(failures.map((record) => record?.status));
    for (const status of [400, 401, 500]) assert.ok(statuses.has(status), `a ${status} was logged`);
    assert.ok(
      failures.some((record) => record?.failure === 'stream'),
      'the broken stream was logged',
    );
  });
});
