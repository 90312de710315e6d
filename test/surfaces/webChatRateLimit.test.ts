import assert from 'node:assert/strict';
import sinon from 'sinon';
import { capturingLogger } from '../support/capturingLogger';
import { startTestBot, type TestBot } from '../support/testBot';
import { askWebChat, textOf } from './webChatClient';

const API_KEY = 'rate-limit-chat-key-0123';

describe('web chat: rate limit per key (CHAT_RATE_LIMIT_PER_MINUTE, CHAT_RATE_LIMIT_BURST)', function () {
  this.timeout(20000);
  let bot: TestBot;
  let timers: sinon.SinonFakeTimers | undefined;
  const { logger, lines: logLines } = capturingLogger();
  /** Each test starts an hour after the last one on the fake clock, so every bucket is full again. */
  let hour = 0;

  before(async () => {
    // 6 a minute: one question every 10 s, and 3 at once.
    bot = await startTestBot({
      env: { CHAT_API_KEY: API_KEY, CHAT_RATE_LIMIT_PER_MINUTE: '6', CHAT_RATE_LIMIT_BURST: '3' },
      logger,
    });
  });
  after(() => bot.close());
  beforeEach(() => {
    hour += 1;
    // Only Date is fake: the limiter reads the time through the system clock, the network keeps real timers.
    timers = sinon.useFakeTimers({ now: Date.UTC(2026, 2, 1, hour), toFake: ['Date'] });
  });
  afterEach(() => timers?.restore());

  /** POSTs a question with `authorization` ('' sends none). */
  function post(chatId: string, authorization = `Bearer ${API_KEY}`): Promise<Response> {
    return fetch(`${bot.service.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({
        id: chatId,
        messages: [{ id: '1', role: 'user', parts: [{ type: 'text', text: 'Thanks!' }] }],
      }),
    });
  }

  async function ask(chatId: string): Promise<string> {
    const { message } = await askWebChat({
      baseUrl: bot.service.url,
      apiKey: API_KEY,
      chatId,
      question: 'Thanks!',
    });
    return textOf(message);
  }

  it('answers 429 with Retry-After after the burst, starting no turn and making no model request', async () => {
    for (let question = 1; question <= 3; question += 1) {
      assert.match(await ask(`burst-chat-${question}`), /welcome/, `question ${question} is answered`);
    }
    const modelRequests = bot.model.requests.length;
    const limited = await post('burst-chat-4');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '10');
    assert.match(limited.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await limited.json()) as { error: string };
    assert.match(body.error, /Too many questions: try again in 10 s/);
    assert.equal(bot.model.requests.length, modelRequests, 'no model request for the refused question');
    assert.ok(
      !logLines.some((line) => line.conversationId === 'web-burst-chat-4'),
      'no turn was started for the refused question',
    );
    const logged = logLines.find((line) => line.msg === 'refused a web chat question over the rate limit');
    assert.equal(logged?.limitedBy, 'key');
    assert.equal(logged?.retryAfterSeconds, 10);
  });

  it('lets questions through again as time passes, one per 10 s', async () => {
    for (let question = 1; question <= 3; question += 1) await ask(`refill-chat-${question}`);
    assert.equal((await post('refill-chat-4')).status, 429);
    timers?.tick(9_000);
    const early = await post('refill-chat-4');
    assert.equal(early.status, 429);
    assert.equal(early.headers.get('retry-after'), '1');
    timers?.tick(1_000);
    const modelRequests = bot.model.requests.length;
    assert.match(await ask('refill-chat-4'), /welcome/, 'answered after the wait');
    assert.ok(bot.model.requests.length > modelRequests, 'the model was asked');
    assert.equal((await post('refill-chat-5')).status, 429, 'and only one token came back');
  });

  it('keeps the key and requests without it in separate buckets (those counted per client address)', async () => {
    for (let question = 1; question <= 3; question += 1) await ask(`separate-chat-${question}`);
    assert.equal((await post('separate-chat-4')).status, 429, 'the key is used up');
    // A caller without the right key has its own bucket (its address): refused for the key, not the limit.
    for (const authorization of ['', 'Bearer wrong-key-0123456789', '']) {
      const response = await post('separate-anonymous', authorization);
      assert.equal(response.status, 401);
      await response.text();
    }
    const limited = await post('separate-anonymous', 'Bearer wrong-key-0123456789');
    assert.equal(limited.status, 429, 'guessing keys is limited per client address');
    assert.equal(limited.headers.get('retry-after'), '10');
    await limited.text();
    const logged = logLines
      .filter((line) => line.msg === 'refused a web chat question over the rate limit')
      .at(-1);
    assert.equal(logged?.limitedBy, 'address');
    // Time refills both buckets; the address bucket being empty never held up the key.
    timers?.tick(10_000);
    assert.match(await ask('separate-chat-4'), /welcome/);
  });
});
