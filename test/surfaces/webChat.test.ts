import assert from 'node:assert/strict';
import path from 'node:path';
import type { UIMessageChunk } from 'ai';
import { openDatabase, SqliteFeedbackStore, SqliteWorkItemStore } from '../../src/storage';
import { SURFACE_TENANT_ID, type ConfirmationPrompt } from '../../src/surfaces';
import { capturingLogger } from '../support/capturingLogger';
import { startTestBot, type TestBot } from '../support/testBot';
import { waitFor } from '../support/waitFor';
import { askWebChat, textOf } from './webChatClient';

const API_KEY = 'test-chat-key-0123456789';

function chunksOfType<T extends UIMessageChunk['type']>(
  chunks: UIMessageChunk[],
  type: T,
): Array<Extract<UIMessageChunk, { type: T }>> {
  return chunks.filter((chunk): chunk is Extract<UIMessageChunk, { type: T }> => chunk.type === type);
}

/** The `data-confirmation` parts among the chunks (data parts are typed by a template, so picked by hand). */
function confirmationParts(chunks: UIMessageChunk[]): Array<{ id?: string; data: ConfirmationPrompt }> {
  return chunks.flatMap((chunk) =>
    chunk.type === 'data-confirmation' ? [chunk as unknown as { id?: string; data: ConfirmationPrompt }] : [],
  );
}

async function latestAnswer(bot: TestBot, conversationId: string) {
  const db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });
  try {
    return await new SqliteFeedbackStore(db).latestAnswer({ tenantId: SURFACE_TENANT_ID, conversationId });
  } finally {
    db.close();
  }
}

describe('web chat: POST /api/chat (AI SDK UI message stream)', function () {
  this.timeout(20000);
  let bot: TestBot;
  const { logger, lines: logLines } = capturingLogger();

  before(async () => {
    bot = await startTestBot({
      // Rate limiting has its own tests (webChatRateLimit); these send more questions than one burst.
      env: { CHAT_API_KEY: API_KEY, CHAT_RATE_LIMIT_PER_MINUTE: '0' },
      logger,
    });
  });
  after(() => bot.close());

  it('streams text deltas, the tool call and its result, the cited sources and a finish part with token usage', async () => {
    const { chunks, message } = await askWebChat({
      baseUrl: bot.service.url,
      apiKey: API_KEY,
      chatId: 'vpn-chat',
      question: 'How do I connect to the VPN?',
    });

    const deltas = chunksOfType(chunks, 'text-delta');
    assert.ok(deltas.length > 10, `the answer arrives token by token (${deltas.length} deltas)`);
    const call = chunksOfType(chunks, 'tool-input-available')[0];
    assert.equal(call?.toolName, 'search_knowledge');
    assert.deepEqual(call?.input, { query: 'How do I connect to the VPN?' });
    const result = chunksOfType(chunks, 'tool-output-available')[0];
    assert.equal(result?.toolCallId, call?.toolCallId);
    assert.equal((result?.output as { ok?: boolean }).ok, true);
    const types = chunks.map((chunk) => chunk.type);
    assert.ok(
      types.indexOf('tool-output-available') < types.indexOf('text-start'),
      'the tool ran before the text',
    );

    const text = textOf(message);
    assert.equal(text, deltas.map((delta) => delta.delta).join(''));
    assert.match(text, /VPN/);
    const sources = chunksOfType(chunks, 'source-document');
    const cited = [...new Set([...text.matchAll(/\[(\d+)\]/g)].map((match) => match[1]))];
    assert.deepEqual(
      sources.map((source) => source.sourceId),
      cited,
      'one source per citation marker, in order',
    );
    assert.ok(sources.every((source) => source.title.length > 0));
    assert.deepEqual(
      message?.parts.filter((part) => part.type === 'source-document').map((part) => part.sourceId),
      cited,
    );

    const finish = chunksOfType(chunks, 'finish')[0];
    assert.equal(finish?.finishReason, 'stop');
    const usage = message?.metadata?.usage;
    assert.ok(usage && usage.inputTokens > 0 && usage.outputTokens > 0, JSON.stringify(usage));
    assert.equal(usage.totalTokens, usage.inputTokens + usage.outputTokens);
    assert.equal(usage.estimated, false, 'the offline model reports usage when asked, as OpenAI does');

    // The turn is logged with its usage.
    const logged = logLines.find(
      (line) => line.msg === 'answer finished' && line.conversationId === 'web-vpn-chat',
    );
    assert.deepEqual(logged?.usage, {
      promptTokens: usage.inputTokens,
      completionTokens: usage.outputTokens,
      estimated: false,
    });
    assert.equal(logged?.channel, 'web');
    assert.equal(logged?.modelCalls, 2);

    // The same record as a Teams answer: question, answer, sources and the token usage of the turn.
    const stored = await latestAnswer(bot, 'web-vpn-chat');
    assert.equal(stored?.question, 'How do I connect to the VPN?');
    assert.equal(stored?.answer, text);
    assert.equal(stored?.messageId, message?.metadata?.answerId);
    assert.deepEqual(stored?.usage, {
      promptTokens: usage.inputTokens,
      completionTokens: usage.outputTokens,
      estimated: false,
    });
    assert.deepEqual(
      stored?.sources.map((source) => String(source.position)),
      cited,
    );
  });

  it('stores a like or dislike of an answer through the feedback loop, as Teams feedback', async () => {
    const { message } = await askWebChat({
      baseUrl: bot.service.url,
      apiKey: API_KEY,
      chatId: 'rated-chat',
      question: 'How do I connect to the VPN?',
    });
    const answerId = message?.metadata?.answerId;
    assert.ok(answerId);
    const post = (body: object, authorization = `Bearer ${API_KEY}`) =>
      fetch(`${bot.service.url}/api/chat/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify(body),
      });
    const unauthorized = await post(
      { chatId: 'rated-chat', answerId, reaction: 'like' },
      'Bearer nope-nope-nope-nope',
    );
    assert.equal(unauthorized.status, 401);
    const invalid = await post({ chatId: 'rated-chat', answerId, reaction: 'meh' });
    assert.equal(invalid.status, 400);
    const stored = await post({ chatId: 'rated-chat', answerId, reaction: 'dislike', comment: 'Too long' });
    assert.equal(stored.status, 204);

    const db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });
    try {
      const [feedback] = await new SqliteFeedbackStore(db).list(1);
      assert.equal(feedback?.reaction, 'dislike');
      assert.equal(feedback?.comment, 'Too long');
      assert.equal(feedback?.messageId, answerId);
      assert.equal(feedback?.conversationId, 'web-rated-chat');
      assert.equal(feedback?.answer?.question, 'How do I connect to the VPN?');
    } finally {
      db.close();
    }
  });

  it('keeps the conversation history per chat id on the server', async () => {
    await askWebChat({
      baseUrl: bot.service.url,
      apiKey: API_KEY,
      chatId: 'history-chat',
      question: 'What is the VPN gateway address?',
    });
    const before = bot.model.requests.length;
    await askWebChat({
      baseUrl: bot.service.url,
      apiKey: API_KEY,
      chatId: 'history-chat',
      question: 'And the backup one?',
    });
    const followUp = bot.model.requests[before];
    const userTexts = followUp?.messages.filter((m) => m.role === 'user').map((m) => m.content);
    assert.deepEqual(userTexts, ['What is the VPN gateway address?', 'And the backup one?']);

    const other = bot.model.requests.length;
    await askWebChat({
      baseUrl: bot.service.url,
      apiKey: API_KEY,
      chatId: 'another-chat',
      question: 'Hello?',
    });
    const fresh = bot.model.requests[other];
    assert.deepEqual(
      fresh?.messages.filter((m) => m.role === 'user').map((m) => m.content),
      ['Hello?'],
      'another chat id starts without that history',
    );
  });

  it('answers 401 without the key or with a wrong one, and sends the SSE headers with the right one', async () => {
    const body = JSON.stringify({
      id: 'auth-chat',
      messages: [{ id: '1', role: 'user', parts: [{ type: 'text', text: 'Hi' }] }],
    });
    for (const authorization of [undefined, 'Bearer wrong-key-0123456789', `Basic ${API_KEY}`]) {
      const response = await fetch(`${bot.service.url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body,
      });
      assert.equal(response.status, 401, `authorization: ${String(authorization)}`);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
      await response.text();
    }
    const ok = await fetch(`${bot.service.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body,
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('content-type'), 'text/event-stream');
    assert.equal(ok.headers.get('x-vercel-ai-ui-message-stream'), 'v1');
    const events = await ok.text();
    assert.match(events, /^data: \{"type":"start"/);
    assert.match(events, /data: \[DONE\]\n\n$/);
  });

  it('serves the chat page so that no other site can frame it (clickjacking)', async () => {
    const page = await fetch(`${bot.service.url}/chat`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const policy = (page.headers.get('content-security-policy') ?? '').split(';').map((part) => part.trim());
    assert.ok(policy.includes("frame-ancestors 'none'"), policy.join('; '));
    assert.ok(policy.includes("default-src 'none'"), 'the rest of the policy is kept');
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    await page.text();
  });

  it('answers 409 to a second question in a chat while its first answer still streams', async () => {
    const first = askWebChat({
      baseUrl: bot.service.url,
      apiKey: API_KEY,
      chatId: 'busy-chat',
      question: 'How do I connect to the VPN?',
    });
    assert.ok(await waitFor(() => bot.model.stats.open > 0, 5000), 'the first answer is under way');
    const second = await fetch(`${bot.service.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({
        id: 'busy-chat',
        messages: [{ id: '2', role: 'user', parts: [{ type: 'text', text: 'Hello?' }] }],
      }),
    });
    assert.equal(second.status, 409);
    assert.match(((await second.json()) as { error: string }).error, /still streaming/);
    const { message } = await first;
    assert.equal(message?.metadata?.outcome, 'completed');
  });

  it('shows a change to an existing work item as a data-confirmation part; POST /api/chat/confirm answers it', async () => {
    const ask = (question: string) =>
      askWebChat({ baseUrl: bot.service.url, apiKey: API_KEY, chatId: 'confirm-chat', question });
    const created = await ask('create a task called Rotate keys');
    const id = /\*\*(WI-\d+)\*\*/.exec(textOf(created.message))?.[1];
    assert.ok(id, textOf(created.message));
    const scope = { tenantId: 'local', conversationId: 'web-confirm-chat' };
    const stored = async () => {
      const db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });
      try {
        return await new SqliteWorkItemStore(db).get(scope, id);
      } finally {
        db.close();
      }
    };

    const { chunks, message } = await ask(`rename ${id} to PWNED and mark it resolved`);
    const [part] = confirmationParts(chunks);
    assert.ok(part, 'a data-confirmation part');
    const prompt = part.data;
    assert.equal(part.id, prompt.confirmationId);
    assert.equal(prompt.title, 'Change 1 work item(s)?');
    assert.deepEqual(prompt.items, [
      {
        heading: `${id} "Rotate keys"`,
        fields: [
          { label: 'Title', before: 'Rotate keys', after: 'PWNED' },
          { label: 'Status', before: 'new', after: 'resolved' },
        ],
      },
    ]);
    assert.deepEqual([prompt.confirmLabel, prompt.cancelLabel], ['Confirm', 'Cancel']);
    const types = chunks.map((chunk) => chunk.type);
    assert.ok(types.indexOf('data-confirmation') < types.indexOf('finish'), 'part of the answer message');
    assert.equal(message?.metadata?.outcome, 'completed');
    assert.ok(message?.parts.some((messagePart) => messagePart.type === 'data-confirmation'));
    assert.equal((await stored())?.title, 'Rotate keys', 'nothing changed before Confirm');

    const post = (body: object, authorization = `Bearer ${API_KEY}`) =>
      fetch(`${bot.service.url}/api/chat/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify(body),
      });
    const answer = { chatId: 'confirm-chat', confirmationId: prompt.confirmationId, decision: 'confirm' };
    const unauthorized = await post(answer, 'Bearer nope-nope-nope-nope');
    assert.equal(unauthorized.status, 401);
    await unauthorized.text();
    const invalid = await post({ ...answer, decision: 'maybe' });
    assert.equal(invalid.status, 400);
    await invalid.text();
    const elsewhere = await post({ ...answer, chatId: 'another-chat' });
    assert.equal(elsewhere.status, 200);
    assert.deepEqual(((await elsewhere.json()) as { lines: string[] }).lines, [
      'This request is no longer pending: nothing was changed.',
    ]);
    assert.equal((await stored())?.title, 'Rotate keys', 'another chat cannot confirm it');

    const confirmed = await post(answer);
    assert.equal(confirmed.status, 200);
    assert.deepEqual(((await confirmed.json()) as { lines: string[] }).lines, [
      'Change 1 work item(s)?',
      'Done: the change was applied.',
      `${id} "Rotate keys": changed`,
      'Title: Rotate keys → PWNED',
      'Status: new → resolved',
    ]);
    assert.deepEqual([(await stored())?.title, (await stored())?.status], ['PWNED', 'resolved']);
    const again = await post(answer);
    assert.match(((await again.json()) as { lines: string[] }).lines.join('\n'), /no longer pending/);

    // Cancel discards a proposed change.
    const second = await ask(`rename ${id} to Something else`);
    const [secondPart] = confirmationParts(second.chunks);
    const cancelled = await post({
      ...answer,
      confirmationId: secondPart?.data.confirmationId,
      decision: 'cancel',
    });
    assert.match(
      ((await cancelled.json()) as { lines: string[] }).lines.join('\n'),
      /Cancelled: nothing was changed/,
    );
    assert.equal((await stored())?.title, 'PWNED');
  });

  it('rejects a malformed request with 400 and a reason', async () => {
    const response = await fetch(`${bot.service.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ id: 'x', messages: [] }),
    });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { error: string }).error, /messages/);
  });
});

describe('web chat: stopping', function () {
  this.timeout(20000);
  let bot: TestBot;

  before(async () => {
    bot = await startTestBot({ env: { CHAT_API_KEY: API_KEY }, model: { tokensPerSecond: 10 } });
  });
  after(() => bot.close());

  it('closes the model request when the client aborts, and keeps what was shown in the history', async () => {
    const abort = new AbortController();
    let deltas = 0;
    const exchange = askWebChat({
      baseUrl: bot.service.url,
      apiKey: API_KEY,
      chatId: 'stop-chat',
      question: 'How do I connect to the VPN?',
      abortSignal: abort.signal,
      onChunk: (chunk) => {
        if (chunk.type === 'text-delta') deltas += 1;
        if (deltas === 3) abort.abort();
      },
    });
    await assert.rejects(exchange, (error: Error) => error.name === 'AbortError');
    assert.ok(await waitFor(() => bot.model.stats.aborted === 1, 2000), 'the model request was aborted');
    assert.equal(bot.model.stats.open, 0);

    const before = bot.model.requests.length;
    await askWebChat({ baseUrl: bot.service.url, apiKey: API_KEY, chatId: 'stop-chat', question: 'Thanks' });
    const history = bot.model.requests[before]?.messages ?? [];
    const stopped = history.find(
      (m) =>
        m.role === 'assistant' &&
        typeof m.content === 'string' &&
        m.content.includes('[stopped by the user]'),
    );
    assert.ok(stopped, 'the stopped answer is in the history, marked as stopped');
  });
});

describe('web chat: off without CHAT_API_KEY', function () {
  this.timeout(20000);
  let bot: TestBot;

  before(async () => {
    bot = await startTestBot();
  });
  after(() => bot.close());

  it('does not exist: /api/chat and /chat answer 404', async () => {
    const post = await fetch(`${bot.service.url}/api/chat`, { method: 'POST', body: '{}' });
    assert.equal(post.status, 404);
    await post.text();
    const page = await fetch(`${bot.service.url}/chat`);
    assert.equal(page.status, 404);
    await page.text();
  });
});

describe('web chat with KNOWLEDGE_BASE_URL: sources as links', function () {
  this.timeout(20000);
  let bot: TestBot;

  before(async () => {
    bot = await startTestBot({
      env: { CHAT_API_KEY: API_KEY, KNOWLEDGE_BASE_URL: 'https://wiki.example.com/it docs' },
    });
  });
  after(() => bot.close());

  it('sends each cited knowledge-folder source as a source-url part with the published address', async () => {
    const { chunks, message } = await askWebChat({
      baseUrl: bot.service.url,
      apiKey: API_KEY,
      chatId: 'linked-chat',
      question: 'How do I connect to the VPN?',
    });
    const links = chunksOfType(chunks, 'source-url');
    assert.equal(chunksOfType(chunks, 'source-document').length, 0, 'every source has a link');
    assert.ok(links.length >= 1);
    assert.deepEqual(links[0], {
      type: 'source-url',
      sourceId: '1',
      url: 'https://wiki.example.com/it%20docs/remote-work-and-vpn.md',
      title: 'Remote Work and VPN: Connecting to the VPN',
    });
    assert.deepEqual(
      message?.parts.filter((part) => part.type === 'source-url').map((part) => part.url),
      links.map((link) => link.url),
    );
    // The answer record (feedback page, CSV) keeps the link too.
    const stored = await latestAnswer(bot, 'web-linked-chat');
    assert.equal(stored?.sources[0]?.url, 'https://wiki.example.com/it%20docs/remote-work-and-vpn.md');
  });
});
