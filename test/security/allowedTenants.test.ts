import { strict as assert } from 'node:assert';
import path from 'node:path';
import { openDatabase, SqliteFeedbackStore } from '../../src/storage';
import { postAndWaitForAnswer } from '../support/answers';
import { capturingLogger } from '../support/capturingLogger';
import { CONFIRMATION_VERB } from '../../src/turn/cards';
import { cardActionFrom, feedbackFrom, messageFrom, type Sender } from '../support/teamsActivities';
import { startTestBot, type TestBot } from '../support/testBot';
import { askWebChat, textOf } from '../surfaces/webChatClient';
import { waitFor } from '../support/waitFor';

const ALLOWED = '6b1f9c2e-2f0a-4f57-9d3c-3a6a1b2c4d5e';
const OTHER = 'a0d3e7c1-8b9f-4e2a-b6c4-7f1e2d3c4b5a';
const CHAT_API_KEY = 'web-chat-key-for-the-tenant-test';

describe('ALLOWED_TENANTS (real bot, fake Bot Connector, local model)', function () {
  this.timeout(60000);
  let bot: TestBot;
  let logs: Array<Record<string, unknown>>;

  before(async () => {
    const captured = capturingLogger('info');
    logs = captured.lines;
    // Upper case in the setting: tenant ids compare case-insensitively.
    bot = await startTestBot({
      env: { ALLOWED_TENANTS: ` ${ALLOWED.toUpperCase()} `, CHAT_API_KEY },
      logger: captured.logger,
    });
  });
  after(() => bot.close());

  function refusals(conversationId: string): Array<Record<string, unknown>> {
    return logs.filter(
      (line) => line.conversationId === conversationId && String(line.msg).startsWith('activity refused'),
    );
  }

  it('answers a message from an allowed tenant', async () => {
    const sender: Sender = { tenantId: ALLOWED, conversationId: 'allowed-chat', userId: 'aad-allowed' };
    await postAndWaitForAnswer(bot, messageFrom(sender, 'How do I connect to the VPN?'));
    const final = bot.connector.forConversation('allowed-chat').at(-1);
    assert.equal(final?.body.type, 'message');
    assert.match(final?.body.text ?? '', /\[1\]/);
  });

  it('gives a message from another tenant no answer and no model call, and logs the refusal', async () => {
    const requestsBefore = bot.model.requests.length;
    const sender: Sender = { tenantId: OTHER, conversationId: 'foreign-chat', userId: 'aad-foreign' };
    const response = await bot.post(messageFrom(sender, 'How do I connect to the VPN?'));
    assert.equal(response.status, 200, 'acknowledged like any activity (Teams would retry otherwise)');
    assert.ok(await waitFor(() => refusals('foreign-chat').length === 1, 5000), 'the refusal is logged');
    const [refusal] = refusals('foreign-chat');
    assert.equal(refusal.level, 30, 'at info level');
    assert.equal(refusal.tenantId, OTHER);

    // A later allowed turn has finished: whatever the refused one could have done would have happened.
    await postAndWaitForAnswer(
      bot,
      messageFrom({ tenantId: ALLOWED, conversationId: 'allowed-chat-2', userId: 'aad-allowed' }, 'Hello'),
    );
    assert.equal(bot.connector.forConversation('foreign-chat').length, 0, 'nothing was sent to it');
    assert.equal(
      bot.model.requests.filter((request) => JSON.stringify(request.messages).includes('foreign')).length,
      0,
    );
    assert.equal(bot.model.requests.length, requestsBefore + 1, 'only the allowed turn asked the model');
  });

  it('refuses an activity whose two tenant fields disagree', async () => {
    const requestsBefore = bot.model.requests.length;
    const activity = messageFrom(
      { tenantId: ALLOWED, conversationId: 'spoofed-chat', userId: 'aad-spoof' },
      'How do I connect to the VPN?',
    );
    activity.channelData = { tenant: { id: OTHER } };
    await bot.post(activity);
    assert.ok(await waitFor(() => refusals('spoofed-chat').length === 1, 5000));
    assert.equal(bot.connector.forConversation('spoofed-chat').length, 0);
    assert.equal(bot.model.requests.length, requestsBefore);
  });

  it('refuses a message that names no tenant at all', async () => {
    const activity = messageFrom(
      { tenantId: ALLOWED, conversationId: 'tenantless-chat', userId: 'aad-x' },
      'How do I connect to the VPN?',
    );
    delete activity.channelData;
    activity.conversation = { id: 'tenantless-chat', conversationType: 'personal' };
    await bot.post(activity);
    assert.ok(await waitFor(() => refusals('tenantless-chat').length === 1, 5000));
    assert.equal(bot.connector.forConversation('tenantless-chat').length, 0);
  });

  it('refuses feedback from another tenant with 403 and stores nothing', async () => {
    const response = await bot.post(
      feedbackFrom(
        { tenantId: OTHER, conversationId: 'allowed-chat', userId: 'aad-foreign' },
        { reaction: 'dislike', comment: 'from outside' },
      ),
    );
    assert.equal(response.status, 403);
    const db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });
    try {
      const feedback = await new SqliteFeedbackStore(db).list(100);
      assert.equal(feedback.filter((entry) => entry.comment === 'from outside').length, 0);
    } finally {
      db.close();
    }
  });

  it('refuses an Adaptive Card button press from another tenant with 403', async () => {
    const response = await bot.post(
      cardActionFrom(
        { tenantId: OTHER, conversationId: 'allowed-chat', userId: 'aad-foreign' },
        { verb: CONFIRMATION_VERB, data: { confirmationId: 'anything', decision: 'confirm' } },
      ),
    );
    assert.equal(response.status, 403);
  });

  it('accepts feedback from the allowed tenant', async () => {
    const response = await bot.post(
      feedbackFrom(
        { tenantId: ALLOWED, conversationId: 'allowed-chat', userId: 'aad-allowed' },
        { reaction: 'like', comment: 'from inside' },
      ),
    );
    assert.equal(response.status, 200);
    const db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });
    try {
      const feedback = await new SqliteFeedbackStore(db).list(100);
      assert.equal(feedback.filter((entry) => entry.comment === 'from inside').length, 1);
    } finally {
      db.close();
    }
  });

  it('leaves the web chat alone: the allow-list is for Teams traffic, the web chat has its own key', async () => {
    const { message } = await askWebChat({
      baseUrl: bot.service.url,
      apiKey: CHAT_API_KEY,
      chatId: 'web-under-allow-list',
      question: 'How do I connect to the VPN?',
    });
    assert.match(textOf(message), /\[1\]/);
  });

  it('refuses a Teams request that claims to come from the web chat channel', async () => {
    const activity = messageFrom(
      { tenantId: 'local', conversationId: 'fake-web-chat', userId: 'aad-x' },
      'How do I connect to the VPN?',
    );
    activity.channelId = 'web';
    await bot.post(activity);
    assert.ok(await waitFor(() => refusals('fake-web-chat').length === 1, 5000));
  });

  it('refuses an activity from another channel that names an allowed tenant: no state, no model call, one log line', async () => {
    const requestsBefore = bot.model.requests.length;
    for (const channelId of ['webchat', 'directline', 'emulator']) {
      const sender: Sender = {
        tenantId: ALLOWED,
        conversationId: `${channelId}-forged-chat`,
        userId: 'aad-forger',
        channelId,
      };
      const response = await bot.post(messageFrom(sender, 'How do I connect to the VPN?'));
      assert.equal(response.status, 200, `${channelId}: acknowledged like any activity`);
      assert.ok(await waitFor(() => refusals(sender.conversationId).length === 1, 5000), channelId);
      const invoke = await bot.post(
        feedbackFrom(
          { ...sender, conversationId: `${channelId}-forged-feedback` },
          { reaction: 'like', comment: 'x' },
        ),
      );
      assert.equal(invoke.status, 403, `${channelId}: an invoke gets a definite refusal`);
    }
    // A later allowed turn has finished: whatever the refused ones could have done would have happened.
    await postAndWaitForAnswer(
      bot,
      messageFrom(
        { tenantId: ALLOWED, conversationId: 'allowed-after-channels', userId: 'aad-allowed' },
        'Hi',
      ),
    );
    assert.equal(bot.model.requests.length, requestsBefore + 1, 'only the Teams turn asked the model');
    for (const channelId of ['webchat', 'directline', 'emulator']) {
      const conversationId = `${channelId}-forged-chat`;
      const [refusal, ...more] = refusals(conversationId);
      assert.equal(more.length, 0, 'logged once');
      assert.equal(
        refusal?.msg,
        'activity refused: ALLOWED_TENANTS trusts tenant fields from Teams channels only',
      );
      assert.equal(refusal?.channelId, channelId);
      assert.equal(bot.connector.forConversation(conversationId).length, 0, 'nothing was sent');
    }
    const db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });
    try {
      const rows = db
        .prepare<[], { key: string }>("SELECT key FROM bot_state WHERE key LIKE '%forged%'")
        .all()
        .concat(
          db
            .prepare<[], { key: string }>(
              "SELECT conversation_id AS key FROM user_conversations WHERE conversation_id LIKE '%forged%'",
            )
            .all(),
        );
      assert.deepEqual(rows, [], 'no state was loaded or saved for them');
      const allowedState = db
        .prepare<[], { key: string }>("SELECT key FROM bot_state WHERE key LIKE '%allowed-after-channels%'")
        .all();
      assert.ok(allowedState.length > 0, 'the same query finds the state of an admitted conversation');
      assert.equal(
        (await new SqliteFeedbackStore(db).list(100)).filter((entry) =>
          entry.conversationId.includes('forged'),
        ).length,
        0,
      );
    } finally {
      db.close();
    }
  });
});
