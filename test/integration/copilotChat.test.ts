import { strict as assert } from 'node:assert';
import path from 'node:path';
import { openDatabase, SqliteFeedbackStore } from '../../src/storage';
import { postAndWaitForAnswer } from '../support/answers';
import { capturingLogger } from '../support/capturingLogger';
import { aiEntityOf, streamInfoOf, type ReceivedActivity } from '../support/fakeBotConnector';
import { feedbackFrom, messageFrom, type Sender } from '../support/teamsActivities';
import { feedbackInvoke, startTestBot, userMessage, type TestBot } from '../support/testBot';
import { waitFor } from '../support/waitFor';

/** Microsoft 365 Copilot Chat's compound channel id (docs/teams-platform-facts.md §9). */
const COPILOT = 'msteams:Copilot';

function finalMessage(activities: ReceivedActivity[]): ReceivedActivity {
  const final = activities.filter((activity) => activity.body.type === 'message').at(-1);
  assert.ok(final, 'a final message was sent');
  return final;
}

function storedFeedback(bot: TestBot) {
  const db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });
  return new SqliteFeedbackStore(db).list(100).finally(() => db.close());
}

describe('Microsoft 365 Copilot Chat (msteams:Copilot) through the real bot and a fake Bot Connector', function () {
  this.timeout(30000);
  let bot: TestBot;
  let sent: ReceivedActivity[];

  before(async () => {
    bot = await startTestBot({
      model: { timeToFirstTokenMs: 1200, tokensPerSecond: 40 },
      env: { KNOWLEDGE_BASE_URL: 'https://wiki.example.com/kb' },
    });
    const response = await postAndWaitForAnswer(
      bot,
      userMessage('How do I connect to the VPN?', { conversationId: 'copilot-chat', channelId: COPILOT }),
    );
    assert.equal(response.status, 200);
    sent = bot.connector.forConversation('copilot-chat');
  });
  after(() => bot.close());

  it('streams: an informative update first, then numbered, paced, cumulative streaming updates', () => {
    const first = sent[0];
    assert.equal(first.body.type, 'typing');
    assert.deepEqual(
      { ...streamInfoOf(first.body) },
      { type: 'streaminfo', streamType: 'informative', streamSequence: 1 },
    );
    assert.equal(first.status, 201);

    const updates = sent.filter((activity) => activity.body.type === 'typing');
    const streaming = updates.filter((activity) => streamInfoOf(activity.body)?.streamType === 'streaming');
    assert.ok(streaming.length >= 2, `expected several streaming updates, got ${streaming.length}`);
    updates.forEach((update, index) => {
      assert.equal(streamInfoOf(update.body)?.streamSequence, index + 1);
      assert.equal(update.body.channelData?.streamSequence, index + 1);
      if (index > 0) assert.equal(streamInfoOf(update.body)?.streamId, 'activity-1');
    });
    for (let i = 1; i < streaming.length; i++) {
      assert.ok((streaming[i].body.text ?? '').startsWith(streaming[i - 1].body.text ?? ''));
    }
    for (let i = 1; i < sent.length; i++) {
      const gap = sent[i].at - sent[i - 1].at;
      assert.ok(gap >= 990, `sends ${i - 1} and ${i} were only ${gap} ms apart`);
    }
  });

  it('ends the stream with a final message: AI label, citations, the answer card and the feedback flag', () => {
    const final = finalMessage(sent).body;
    assert.deepEqual(
      { ...streamInfoOf(final) },
      { type: 'streaminfo', streamType: 'final', streamId: 'activity-1' },
    );
    assert.deepEqual(final.channelData?.feedbackLoop, { type: 'default' });
    assert.equal(final.channelData?.feedbackLoopEnabled, undefined);
    const ai = aiEntityOf(final);
    assert.deepEqual(ai?.additionalType, ['AIGeneratedContent']);
    const citations = ai?.citation as Array<{ position: number; appearance: { url?: string } }>;
    assert.ok(citations.length >= 1, 'the answer cites the knowledge base');
    for (const citation of citations) assert.ok(final.text!.includes(`[${citation.position}]`));
    assert.equal(citations[0]?.appearance.url, 'https://wiki.example.com/kb/remote-work-and-vpn.md');
    assert.equal(final.attachments?.[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
  });

  it('answers on the channel the turn came from: every reply keeps channelId msteams:Copilot', () => {
    assert.ok(sent.length >= 3);
    for (const activity of sent) assert.equal(activity.body.channelId, COPILOT);
  });

  it('answers a Copilot feedback invoke 200 and stores it against the rated answer', async () => {
    const response = await bot.post(
      feedbackInvoke({
        reaction: 'like',
        feedback: JSON.stringify({ feedbackText: 'Rated in Copilot Chat' }),
        replyToId: 'activity-1',
        conversationId: 'copilot-chat',
        channelId: COPILOT,
      }),
    );
    assert.equal(response.status, 200);
    assert.equal(response.body, '', 'answered with an empty body');
    const stored = (await storedFeedback(bot)).find((entry) => entry.comment === 'Rated in Copilot Chat');
    assert.equal(stored?.reaction, 'like');
    assert.equal(stored?.messageId, 'activity-1');
    assert.equal(stored?.conversationId, 'copilot-chat');
    assert.equal(stored?.answer?.question, 'How do I connect to the VPN?');
    assert.equal(stored?.answer?.answer, finalMessage(sent).body.text);
  });

  it('does not treat a compound id of another base channel (webchat:foo) as Teams: one plain message', async () => {
    await postAndWaitForAnswer(
      bot,
      userMessage('How do I connect to the VPN?', {
        conversationId: 'webchat-foo',
        channelId: 'webchat:foo',
      }),
    );
    const other = bot.connector.forConversation('webchat-foo');
    // teams-ai's typing indicator (plain typing activities) may run meanwhile; nothing is a stream.
    assert.deepEqual(
      other.filter((activity) => streamInfoOf(activity.body) || activity.body.channelData?.streamType),
      [],
      'no streaming update and no streamed final message',
    );
    const messages = other.filter((activity) => activity.body.type === 'message');
    assert.equal(messages.length, 1, 'one ordinary message');
    assert.equal(messages[0].body.channelId, 'webchat:foo');
  });
});

describe('ALLOWED_TENANTS applies to Microsoft 365 Copilot Chat turns', function () {
  this.timeout(30000);
  const ALLOWED = '6b1f9c2e-2f0a-4f57-9d3c-3a6a1b2c4d5e';
  const OTHER = 'a0d3e7c1-8b9f-4e2a-b6c4-7f1e2d3c4b5a';
  let bot: TestBot;
  let logs: Array<Record<string, unknown>>;

  before(async () => {
    const captured = capturingLogger('info');
    logs = captured.lines;
    bot = await startTestBot({ env: { ALLOWED_TENANTS: ALLOWED }, logger: captured.logger });
  });
  after(() => bot.close());

  const copilotUser = (tenantId: string, conversationId: string): Sender => ({
    tenantId,
    conversationId,
    userId: `aad-${conversationId}`,
    channelId: COPILOT,
  });

  it('streams the answer to a Copilot user of an allowed tenant', async () => {
    await postAndWaitForAnswer(
      bot,
      messageFrom(copilotUser(ALLOWED, 'copilot-allowed'), 'How do I connect to the VPN?'),
    );
    const sent = bot.connector.forConversation('copilot-allowed');
    assert.equal(streamInfoOf(sent[0].body)?.streamType, 'informative');
    assert.equal(finalMessage(sent).body.channelData?.streamType, 'final');
  });

  it('gives a Copilot user of another tenant no answer and no model call, and logs the refusal', async () => {
    const requestsBefore = bot.model.requests.length;
    const response = await bot.post(
      messageFrom(copilotUser(OTHER, 'copilot-foreign'), 'How do I connect to the VPN?'),
    );
    assert.equal(response.status, 200);
    assert.ok(
      await waitFor(
        () =>
          logs.some(
            (line) =>
              line.conversationId === 'copilot-foreign' && String(line.msg).startsWith('activity refused'),
          ),
        5000,
      ),
      'the refusal is logged',
    );
    assert.equal(bot.connector.forConversation('copilot-foreign').length, 0);
    assert.equal(bot.model.requests.length, requestsBefore);
  });

  it('refuses Copilot feedback from another tenant with 403 and stores nothing', async () => {
    const response = await bot.post(
      feedbackFrom(copilotUser(OTHER, 'copilot-allowed'), {
        reaction: 'dislike',
        comment: 'copilot outsider',
      }),
    );
    assert.equal(response.status, 403);
    const stored = await storedFeedback(bot);
    assert.equal(stored.filter((entry) => entry.comment === 'copilot outsider').length, 0);
  });
});
