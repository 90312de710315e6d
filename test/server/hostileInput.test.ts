import { strict as assert } from 'node:assert';
import {
  MAX_ACTIVITY_ATTACHMENTS,
  MAX_ACTIVITY_BODY_BYTES,
  MAX_ACTIVITY_ENTITIES,
  MAX_ACTIVITY_TEXT_CHARS,
  MAX_REQUEST_BODY_BYTES,
} from '../../src/server';
import { postAndWaitForAnswer } from '../support/answers';
import { capturingLogger } from '../support/capturingLogger';
import { startTestBot, userMessage, type TestBot } from '../support/testBot';
import { waitFor } from '../support/waitFor';

const ADMIN_TOKEN = 'admin-token-for-hostile-tests';
const CHAT_API_KEY = 'chat-key-for-hostile-tests';

describe('hostile input to /api/messages and the admin routes: 4xx or ignored, never 5xx', function () {
  this.timeout(60000);
  let bot: TestBot;
  const log = capturingLogger({ product: true });
  const logLines = log.lines;

  before(async () => {
    bot = await startTestBot({
      env: { ADMIN_TOKEN, CHAT_API_KEY },
      logger: log.logger,
    });
  });
  after(() => bot.close());

  /** POSTs a raw body to /api/messages. */
  async function postRaw(body: string, contentType?: string): Promise<{ status: number; body: string }> {
    const response = await fetch(`${bot.service.url}/api/messages`, {
      method: 'POST',
      headers: contentType ? { 'content-type': contentType } : {},
      body,
    });
    return { status: response.status, body: await response.text() };
  }

  /** POSTs an activity as JSON (with the fake connector's serviceUrl unless it sets its own). */
  const postActivity = (activity: Record<string, unknown>) => bot.post(activity);

  /** Asserts that nothing was sent to the conversation and the model was not asked since `requestsBefore`. */
  async function assertNoTurn(conversationId: string, requestsBefore: number): Promise<void> {
    await waitFor(() => false, 200);
    assert.equal(bot.connector.forConversation(conversationId).length, 0, 'nothing was sent');
    assert.equal(bot.model.requests.length, requestsBefore, 'the model was not asked');
  }

  it('answers 415 to anything but JSON', async () => {
    const json = JSON.stringify({
      ...userMessage('hello', { conversationId: 'content-type-chat' }),
      serviceUrl: bot.connector.url,
    });
    assert.equal((await postRaw(json, 'text/plain')).status, 415);
    assert.equal((await postRaw(json)).status, 415, 'no content type');
    assert.equal((await postRaw('type=message&text=hello', 'application/x-www-form-urlencoded')).status, 415);
    assert.equal((await postRaw('--x\r\n\r\n--x--', 'multipart/form-data; boundary=x')).status, 415);
    assert.equal(
      (await postRaw(json, 'application/json; charset=utf-8')).status,
      200,
      'JSON with a charset is fine',
    );
    // Let that turn finish, so its model request does not count against the next test.
    assert.ok(
      await waitFor(
        () => bot.connector.forConversation('content-type-chat').some((sent) => sent.body.type === 'message'),
        20000,
      ),
    );
  });

  it('answers 400 to malformed JSON and to JSON that is not an object', async () => {
    for (const body of ['{"type":', '{type: "message"}', '\u0000', '[]', '"message"', '5', 'null', '']) {
      const response = await postRaw(body, 'application/json');
      assert.equal(response.status, 400, `${JSON.stringify(body)} answered ${response.status}`);
    }
  });

  it(`answers 413 to a body over ${MAX_ACTIVITY_BODY_BYTES} bytes, and keeps serving`, async () => {
    const activity = userMessage('x', { conversationId: 'huge-body-chat' });
    const huge = JSON.stringify({
      ...activity,
      channelData: { padding: 'x'.repeat(MAX_ACTIVITY_BODY_BYTES) },
    });
    assert.equal((await postRaw(huge, 'application/json')).status, 413);
    assert.equal((await fetch(`${bot.service.url}/healthz`)).status, 200);
  });

  it('answers 400 to activities with missing or wrong-typed fields, naming the field', async () => {
    const base = userMessage('hello', { conversationId: 'bad-fields-chat' });
    const requestsBefore = bot.model.requests.length;
    const cases: Array<[string, Record<string, unknown>]> = [
      ['type', { ...base, type: undefined }],
      ['type', { ...base, type: 5 }],
      ['type', { ...base, type: '' }],
      ['conversation', { ...base, conversation: undefined }],
      ['conversation', { ...base, conversation: 'conversation-1' }],
      ['conversation.id', { ...base, conversation: { id: 7 } }],
      ['from', { ...base, from: null }],
      ['recipient', { ...base, recipient: [] }],
      ['text', { ...base, text: { html: '<b>hi</b>' } }],
      ['locale', { ...base, locale: 12 }],
      ['timestamp', { ...base, timestamp: 'yesterday-ish' }],
      ['entities', { ...base, entities: 'mention' }],
      ['entities.0', { ...base, entities: [null] }],
      ['attachments.0.contentType', { ...base, attachments: [{ content: 'x' }] }],
      ['channelData', { ...base, channelData: 'tenant-1' }],
      ['serviceUrl', { ...base, serviceUrl: 42 }],
    ];
    for (const [field, activity] of cases) {
      const response = await postActivity(activity);
      assert.equal(response.status, 400, `${field}: answered ${response.status} ${response.body}`);
      const body = JSON.parse(response.body) as { message?: string };
      assert.ok(body.message?.startsWith(field), `names ${field}: ${response.body}`);
    }
    await assertNoTurn('bad-fields-chat', requestsBefore);
  });

  it('acknowledges an unknown activity type with 200 and ignores it', async () => {
    const requestsBefore = bot.model.requests.length;
    const response = await postActivity({
      ...userMessage('hello', { conversationId: 'unknown-type-chat' }),
      type: 'surpriseActivity',
    });
    assert.equal(response.status, 200);
    await assertNoTurn('unknown-type-chat', requestsBefore);
    assert.ok(
      logLines.some(
        (line) =>
          line.msg === 'ignored an activity of an unknown type' && line.activityType === 'surpriseActivity',
      ),
      'ignored before the Teams AI application saw it',
    );
  });

  it(`answers 400 to text over ${MAX_ACTIVITY_TEXT_CHARS} characters, and accepts text at the limit`, async () => {
    const requestsBefore = bot.model.requests.length;
    const over = await postActivity(
      userMessage('a'.repeat(MAX_ACTIVITY_TEXT_CHARS + 1), { conversationId: 'long-text-chat' }),
    );
    assert.equal(over.status, 400);
    await assertNoTurn('long-text-chat', requestsBefore);
    const atLimit = await postAndWaitForAnswer(
      bot,
      userMessage(`VPN ${'a'.repeat(MAX_ACTIVITY_TEXT_CHARS - 4)}`, { conversationId: 'limit-text-chat' }),
    );
    assert.equal(atLimit.status, 200);
  });

  it('answers 400 to more entities or attachments than a Teams message can carry', async () => {
    const base = userMessage('hello', { conversationId: 'many-parts-chat' });
    const requestsBefore = bot.model.requests.length;
    const entities = Array.from({ length: MAX_ACTIVITY_ENTITIES + 1 }, () => ({ type: 'mention' }));
    const attachments = Array.from({ length: MAX_ACTIVITY_ATTACHMENTS + 1 }, () => ({
      contentType: 'text/html',
    }));
    assert.equal((await postActivity({ ...base, entities })).status, 400);
    assert.equal((await postActivity({ ...base, attachments })).status, 400);
    assert.equal((await postActivity({ ...base, membersAdded: Array(1000).fill({ id: 'u' }) })).status, 400);
    await assertNoTurn('many-parts-chat', requestsBefore);
  });

  it('answers other methods on /api/messages with 405', async () => {
    assert.equal((await fetch(`${bot.service.url}/api/messages`)).status, 405);
    assert.equal((await fetch(`${bot.service.url}/api/messages`, { method: 'PUT' })).status, 405);
  });

  it('answers hostile admin requests with 4xx', async () => {
    const url = `${bot.service.url}/admin/feedback`;
    const statuses = [
      (await fetch(url)).status,
      (await fetch(`${url}?token=${'x'.repeat(10_000)}`)).status,
      (await fetch(url, { headers: { authorization: `Bearer ${'\u00e9'.repeat(100)}` } })).status,
      (await fetch(`${url}?token=${ADMIN_TOKEN}&format=${encodeURIComponent('../../etc/passwd')}`)).status,
      (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }))
        .status,
      (await fetch(`${bot.service.url}/admin/../admin/feedback%00`)).status,
    ];
    for (const status of statuses) assert.ok(status >= 400 && status < 500, `answered ${status}`);
    assert.equal((await fetch(`${url}?token=${ADMIN_TOKEN}`)).status, 200, 'the real token still works');
  });

  it('answers hostile web chat requests with 4xx: JSON only, at most MAX_REQUEST_BODY_BYTES', async () => {
    const chat = (body: string, contentType: string, key = CHAT_API_KEY) =>
      fetch(`${bot.service.url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': contentType, authorization: `Bearer ${key}` },
        body,
      }).then((response) => response.status);
    assert.equal(await chat('{"id":', 'application/json'), 400, 'malformed JSON');
    assert.equal(
      await chat('id=x&messages=y', 'application/x-www-form-urlencoded'),
      400,
      'forms are not parsed',
    );
    assert.equal(await chat('--x\r\n\r\n--x--', 'multipart/form-data; boundary=x'), 400, 'no uploads');
    const huge = JSON.stringify({ id: 'c', messages: [], padding: 'x'.repeat(MAX_REQUEST_BODY_BYTES) });
    assert.equal(await chat(huge, 'application/json'), 413);
    assert.equal(await chat('{}', 'application/json', 'wrong-key-for-hostile-tests'), 401);
    assert.equal(await chat('[]', 'application/json'), 400);
  });

  it('still answers a normal message after all of that', async () => {
    const response = await postAndWaitForAnswer(
      bot,
      userMessage('How do I connect to the VPN?', { conversationId: 'after-hostile-chat' }),
    );
    assert.equal(response.status, 200);
    assert.match(bot.connector.forConversation('after-hostile-chat').at(-1)?.body.text ?? '', /VPN/i);
  });
});
