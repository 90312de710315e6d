import { strict as assert } from 'node:assert';
import path from 'node:path';
import sinon from 'sinon';
import type { ChatRequest } from '../../dev/offline-model';
import { openDatabase, SqliteFeedbackStore } from '../../src/storage';
import { postAndWaitForAnswer } from '../support/answers';
import { capturingLogger, type CapturedLog } from '../support/capturingLogger';
import { streamInfoOf, type ReceivedActivity } from '../support/fakeBotConnector';
import { feedbackInvoke, startTestBot, userMessage, type TestBot } from '../support/testBot';
import { waitFor } from '../support/waitFor';

function finalMessages(sent: ReceivedActivity[]): ReceivedActivity[] {
  return sent.filter((activity) => activity.body.type === 'message');
}

/** Model requests that start a turn for `text`: the user's message is the last one (no tool result after it). */
function turnsStartedFor(bot: TestBot, text: string): ChatRequest[] {
  return bot.model.requests.filter((request) => {
    const last = request.messages.at(-1);
    return last?.role === 'user' && typeof last.content === 'string' && last.content.includes(text);
  });
}

/** Posts and measures how long the HTTP answer took. */
async function timedPost(
  bot: TestBot,
  activity: Record<string, unknown>,
): Promise<{ status: number; body: string; ms: number }> {
  const startedAt = Date.now();
  const response = await bot.post(activity);
  return { ...response, ms: Date.now() - startedAt };
}

describe('inbound activities: answered at once, the turn streams on (slow model)', function () {
  this.timeout(60000);
  let bot: TestBot;

  before(async () => {
    bot = await startTestBot({ model: { timeToFirstTokenMs: 3000 } });
  });
  after(() => bot.close());

  it('answers the POST of a message 200 within a second, and the final message arrives later', async () => {
    const response = await timedPost(
      bot,
      userMessage('How do I connect to the VPN?', { conversationId: 'early-ack-chat' }),
    );
    assert.equal(response.status, 200);
    assert.equal(response.body, '');
    assert.ok(response.ms < 1000, `the POST took ${response.ms} ms`);
    assert.equal(
      finalMessages(bot.connector.forConversation('early-ack-chat')).length,
      0,
      'no final message yet when the POST was answered',
    );

    assert.ok(
      await waitFor(() => finalMessages(bot.connector.forConversation('early-ack-chat')).length === 1, 30000),
      'the final message arrived after the POST was answered',
    );
    assert.match(finalMessages(bot.connector.forConversation('early-ack-chat'))[0].body.text!, /VPN/i);
  });

  it('answers a repeated activity (same id and conversation) 200 and streams only one answer', async () => {
    const activity = userMessage('What is the expense limit for meals?', { conversationId: 'retry-chat' });
    const first = await timedPost(bot, activity);
    // Teams retries while the first turn is still running (the model has not answered yet).
    const retry = await timedPost(bot, activity);
    assert.equal(first.status, 200);
    assert.equal(retry.status, 200);
    assert.equal(retry.body, '');
    assert.ok(retry.ms < 1000, `the repeat took ${retry.ms} ms`);

    assert.ok(
      await waitFor(() => finalMessages(bot.connector.forConversation('retry-chat')).length >= 1, 30000),
    );
    // Once more after the answer is complete: still a repeat.
    const late = await postAndWaitForAnswer(bot, activity, { until: () => true, settleMs: 1500 });
    assert.equal(late.status, 200);

    const sent = bot.connector.forConversation('retry-chat');
    assert.equal(finalMessages(sent).length, 1, 'exactly one final message');
    const streamsStarted = sent.filter((activity) => {
      const info = streamInfoOf(activity.body);
      return info?.streamType === 'informative' && info.streamId === undefined;
    });
    assert.equal(streamsStarted.length, 1, 'one stream was started');
    assert.equal(turnsStartedFor(bot, 'What is the expense limit for meals?').length, 1, 'one model turn');
  });
});

describe('inbound activities: invokes and new ids (quick model)', function () {
  this.timeout(30000);
  let bot: TestBot;

  before(async () => {
    bot = await startTestBot();
  });
  after(() => bot.close());

  it('still processes a new activity id with the same text in the same conversation', async () => {
    await postAndWaitForAnswer(bot, userMessage('Are you there?', { conversationId: 'same-text-chat' }));
    await postAndWaitForAnswer(bot, userMessage('Are you there?', { conversationId: 'same-text-chat' }));
    assert.equal(finalMessages(bot.connector.forConversation('same-text-chat')).length, 2);
  });

  it('answers a feedback invoke with the handler’s invoke response (200, empty body) after storing it', async () => {
    const response = await bot.post(
      feedbackInvoke({ reaction: 'like', feedback: 'Helpful', conversationId: 'feedback-chat' }),
    );
    assert.equal(response.status, 200);
    assert.equal(response.body, '');
    const db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });
    try {
      const stored = (await new SqliteFeedbackStore(db).list(50)).find(
        (record) => record.conversationId === 'feedback-chat',
      );
      assert.equal(stored?.comment, 'Helpful', 'stored before the invoke was answered');
    } finally {
      db.close();
    }
  });

  it('answers an invoke no handler takes with the adapter’s 501, not an early 200', async () => {
    const response = await bot.post({
      ...feedbackInvoke({ reaction: 'like', feedback: '', conversationId: 'unknown-invoke-chat' }),
      name: 'nobody/handlesThis',
    });
    assert.equal(response.status, 501);
  });
});

describe('inbound activities with bot authentication on', function () {
  this.timeout(30000);
  let bot: TestBot;

  let log: CapturedLog;

  before(async () => {
    log = capturingLogger('warn');
    bot = await startTestBot({
      env: { BOT_ID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', BOT_PASSWORD: 'not-a-real-secret' },
      logger: log.logger,
    });
  });
  after(() => bot.close());

  it('refuses a POST without Authorization with 401 and starts no turn', async () => {
    const activity = userMessage('Who approves it?', { conversationId: 'unauthenticated-chat' });
    const requestsBefore = bot.model.requests.length;
    const botbuilderLog = sinon.stub(console, 'error');
    let response: { status: number };
    let repeated: { status: number };
    try {
      response = await bot.post(activity);
      repeated = await bot.post(activity);
    } finally {
      botbuilderLog.restore();
    }
    assert.equal(botbuilderLog.callCount, 0, 'nothing printed past the logger');
    assert.deepEqual(
      log.lines.map((line) => line.msg),
      Array(2).fill('refused an inbound request whose token was rejected (401)'),
      'each refusal is logged once',
    );
    assert.equal(response.status, 401);
    assert.equal(repeated.status, 401, 'a repeat is refused as well, not acknowledged as a known retry');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(bot.connector.forConversation('unauthenticated-chat').length, 0, 'nothing was sent');
    assert.equal(bot.model.requests.length, requestsBefore, 'the model was not asked');
  });
});

describe('shutting down while a turn streams', function () {
  this.timeout(60000);
  let bot: TestBot;

  before(async () => {
    bot = await startTestBot({ model: { timeToFirstTokenMs: 1500, tokensPerSecond: 40 } });
  });
  after(() => bot.close());

  it('waits in close() for the running turn’s final message', async () => {
    const response = await bot.post(
      userMessage('How do I connect to the VPN?', { conversationId: 'shutdown-chat' }),
    );
    assert.equal(response.status, 200);
    assert.ok(
      await waitFor(() => bot.connector.forConversation('shutdown-chat').length >= 1, 10000),
      'the stream started',
    );
    assert.equal(finalMessages(bot.connector.forConversation('shutdown-chat')).length, 0, 'still streaming');

    await bot.service.close();
    const sent = bot.connector.forConversation('shutdown-chat');
    assert.equal(finalMessages(sent).length, 1, 'the final message was sent before close() resolved');
    assert.equal(sent.at(-1)?.body.type, 'message', 'nothing after the final message');
  });
});
