import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { GPTTokenizer } from '@microsoft/teams-ai';
import { startOfflineModel, type RunningOfflineModel } from '../../dev/offline-model';
import { askWebChat, textOf } from '../surfaces/webChatClient';
import { startTestBot, type TestBot } from '../support/testBot';

const API_KEY = 'usage-test-key-0123456789';

/**
 * An OpenAI-compatible server that reports no usage: a proxy in front of the offline model that records
 * whether the client asked for usage and then drops `stream_options`, so no usage chunk comes back.
 */
async function startUsagelessProxy(target: RunningOfflineModel): Promise<{
  url: string;
  askedForUsage: boolean[];
  close(): Promise<void>;
}> {
  const askedForUsage: boolean[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      askedForUsage.push(
        (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true,
      );
      delete body.stream_options;
      fetch(`${target.baseUrl}${(req.url ?? '').replace(/^\/v1/, '')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(
        (upstream) => {
          res.writeHead(upstream.status, {
            'content-type': upstream.headers.get('content-type') ?? 'text/plain',
          });
          if (upstream.body) Readable.fromWeb(upstream.body as never).pipe(res);
          else res.end();
        },
        () => {
          res.writeHead(502).end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    askedForUsage,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('token usage when the provider reports none', function () {
  this.timeout(20000);
  let model: RunningOfflineModel;
  let proxy: Awaited<ReturnType<typeof startUsagelessProxy>>;
  let bot: TestBot;

  before(async () => {
    model = await startOfflineModel({ timeToFirstTokenMs: 20, tokensPerSecond: 400 });
    proxy = await startUsagelessProxy(model);
    bot = await startTestBot({ env: { CHAT_API_KEY: API_KEY, OPENAI_BASE_URL: proxy.url } });
  });
  after(async () => {
    await bot.close();
    await proxy.close();
    await model.close();
  });

  it('asks for usage, then counts the prompt and the output with the tokenizer and marks it estimated', async () => {
    const { message } = await askWebChat({
      baseUrl: bot.service.url,
      apiKey: API_KEY,
      chatId: 'usage-chat',
      question: 'How do I connect to the VPN?',
    });
    assert.deepEqual(
      proxy.askedForUsage,
      [true, true],
      'both model calls (tool round, answer) asked for usage',
    );

    const usage = message?.metadata?.usage;
    assert.equal(usage?.estimated, true);
    // The output of the two calls: the tool call (name and arguments), then the answer text.
    const tokenizer = new GPTTokenizer();
    const toolCall = `search_knowledge${JSON.stringify({ query: 'How do I connect to the VPN?' })}`;
    const expected = tokenizer.encode(toolCall).length + tokenizer.encode(textOf(message)).length;
    assert.equal(usage.outputTokens, expected);
    // The prompt: system prompt, tool definitions and question (first call), plus the tool results (second).
    assert.ok(usage.inputTokens > 1000, `prompt tokens ${usage.inputTokens}`);
  });
});
