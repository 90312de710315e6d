import { strict as assert } from 'node:assert';
import { postAndWaitForAnswer } from '../support/answers';
import { streamInfoOf, type ReceivedActivity } from '../support/fakeBotConnector';
import { startTestBot, type TestBot, userMessage } from '../support/testBot';
import { waitFor } from '../support/waitFor';

function messagesOf(activities: ReceivedActivity[]): ReceivedActivity[] {
  return activities.filter((activity) => activity.body.type === 'message');
}

describe('admission control on the wire: busy and too-fast replies without a model call', () => {
  describe('with one answer at a time', () => {
    let bot: TestBot;
    before(async () => {
      // A slow answer keeps the one slot taken while the second message arrives.
      bot = await startTestBot({
        model: { timeToFirstTokenMs: 30, tokensPerSecond: 20 },
        env: { MAX_ANSWERS_IN_PROGRESS: '1' },
      });
    });
    after(() => bot.close());

    it('answers a message beyond the limit at once with a localized busy reply, and no model call', async () => {
      await bot.post(
        userMessage('Tell me about the VPN policy.', { conversationId: 'busy-first', userId: 'u-1' }),
      );
      assert.ok(
        await waitFor(() => bot.model.requests.length >= 1, 10000),
        'the first answer is with the model',
      );
      const requestsBefore = bot.model.requests.length;
      await postAndWaitForAnswer(
        bot,
        userMessage('Wie setze ich mein Passwort zurück?', {
          conversationId: 'busy-second',
          userId: 'u-2',
          locale: 'de-DE',
        }),
      );
      const reply = bot.connector.forConversation('busy-second');
      assert.equal(reply.length, 1, 'one plain message: no informative update, no stream');
      assert.equal(streamInfoOf(reply[0].body), undefined);
      assert.match(reply[0].body.text ?? '', /versuchen Sie es gleich noch einmal/);
      assert.equal(bot.model.requests.length, requestsBefore, 'the model was not asked');
      assert.ok(
        await waitFor(() => messagesOf(bot.connector.forConversation('busy-first')).length >= 1, 30000),
        'the first answer still completes',
      );
      await postAndWaitForAnswer(
        bot,
        userMessage('And now?', { conversationId: 'busy-second', userId: 'u-2' }),
      );
      const answer = messagesOf(bot.connector.forConversation('busy-second')).at(-1);
      assert.equal(
        streamInfoOf(answer?.body ?? { type: 'message' })?.streamType,
        'final',
        'answered once free',
      );
    });
  });

  describe('with a per-user rate limit', () => {
    let bot: TestBot;
    before(async () => {
      bot = await startTestBot({ env: { USER_MESSAGES_PER_MINUTE: '1', USER_MESSAGE_BURST: '1' } });
    });
    after(() => bot.close());

    it('tells a user who sends too fast how long to wait, without a model call', async () => {
      await postAndWaitForAnswer(
        bot,
        userMessage('First question', { conversationId: 'fast-1', userId: 'eager' }),
      );
      const requestsBefore = bot.model.requests.length;
      await postAndWaitForAnswer(
        bot,
        userMessage('Second question', { conversationId: 'fast-1', userId: 'eager' }),
      );
      const reply = messagesOf(bot.connector.forConversation('fast-1')).at(-1);
      assert.match(reply?.body.text ?? '', /faster than I can answer\. Please wait \d+ seconds/);
      assert.equal(bot.model.requests.length, requestsBefore, 'the model was not asked');
      await postAndWaitForAnswer(
        bot,
        userMessage('My question', { conversationId: 'fast-2', userId: 'calm' }),
      );
      const other = messagesOf(bot.connector.forConversation('fast-2')).at(-1);
      assert.equal(
        streamInfoOf(other?.body ?? { type: 'message' })?.streamType,
        'final',
        'another user is answered',
      );
    });
  });
});
