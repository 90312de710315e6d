import { strict as assert } from 'node:assert';
import type { ChatRequest, ScriptedReply } from '../../dev/offline-model';
import { activitySize } from '../../src/streaming/messageBudget';
import { postAndWaitForAnswer } from '../support/answers';
import { streamInfoOf, type ReceivedActivity } from '../support/fakeBotConnector';
import { startTestBot, userMessage, type TestBot } from '../support/testBot';
import { waitFor } from '../support/waitFor';

/** A long answer of numbered paragraphs, so cuts and losses are visible. */
function paragraphs(count: number, wordsEach: number): string {
  return Array.from(
    { length: count },
    (_, p) => Array.from({ length: wordsEach }, (_, w) => `p${p}w${w}`).join(' ') + '.',
  ).join('\n\n');
}

/** The answer as the user ends up with it: the stream's final text and every ordinary message after it. */
function deliveredText(sent: ReceivedActivity[]): string {
  return sent
    .filter((activity) => activity.body.type === 'message' && activity.status < 300)
    .map((activity) => activity.body.text ?? '')
    .join('');
}

function lastMessage(sent: ReceivedActivity[]): ReceivedActivity {
  const last = sent.filter((activity) => activity.body.type === 'message').at(-1);
  assert.ok(last, 'a message was sent');
  return last;
}

/** Waits until the answer's last message (the one with the card) has arrived. */
function untilCardArrived(sent: ReceivedActivity[]): boolean {
  return sent.some(
    (activity) => activity.body.type === 'message' && (activity.body.attachments?.length ?? 0) > 0,
  );
}

describe('streaming that survives real Teams (real server, fake Bot Connector, local model)', function () {
  this.timeout(90000);
  let bot: TestBot;
  const answers = new Map<string, string>();
  const script = (request: ChatRequest): ScriptedReply | undefined => {
    const user = [...request.messages].reverse().find((message) => message.role === 'user');
    const text = typeof user?.content === 'string' ? user.content : '';
    const scripted = answers.get(text);
    return scripted ? { kind: 'text', text: scripted } : undefined;
  };

  before(async () => {
    answers.set('long answer please', paragraphs(12, 10));
    answers.set('throttled answer please', paragraphs(3, 12));
    answers.set('expiring answer please', paragraphs(6, 12));
    answers.set('broken stream please', paragraphs(3, 12));
    bot = await startTestBot({
      model: { timeToFirstTokenMs: 100, tokensPerSecond: 25, script },
      // The same code as Teams' 105 s / 28 KB limits, reached in seconds.
      streamBudget: { finalizeStreamAfterMs: 3000 },
    });
  });
  afterEach(() => bot.connector.respondWith(undefined));
  after(() => bot.close());

  it('finalizes the stream before its time limit and delivers the rest as ordinary messages, losing nothing', async () => {
    await postAndWaitForAnswer(bot, userMessage('long answer please', { conversationId: 'time-chat' }), {
      until: untilCardArrived,
      timeoutMs: 30000,
    });
    const sent = bot.connector.forConversation('time-chat');
    const final = sent.find((activity) => streamInfoOf(activity.body)?.streamType === 'final');
    assert.ok(final, 'the stream was finalized');
    assert.ok(final.at - sent[0].at < 3000 + 1500, 'soon after the limit, not when the answer ended');
    const after = sent.slice(sent.indexOf(final) + 1);
    assert.ok(after.length >= 1 && after.every((activity) => streamInfoOf(activity.body) === undefined));
    assert.equal(deliveredText(sent), answers.get('long answer please'));
    assert.deepEqual(lastMessage(sent).body.channelData?.feedbackLoop, { type: 'default' });
  });

  it('retries a throttled send (429 with Retry-After) and loses nothing', async () => {
    let throttledAt = 0;
    bot.connector.respondWith((activity) => {
      if (throttledAt === 0 && streamInfoOf(activity)?.streamType === 'streaming') {
        throttledAt = Date.now();
        return { status: 429, headers: { 'retry-after': '2' }, body: { error: { code: 'Throttled' } } };
      }
      return undefined;
    });
    await postAndWaitForAnswer(bot, userMessage('throttled answer please', { conversationId: '429-chat' }));
    const sent = bot.connector.forConversation('429-chat');
    const retried = sent.find((activity) => activity.at > throttledAt && activity.status < 300);
    assert.ok(retried && retried.at - throttledAt >= 2000, 'the retry waited for Retry-After');
    assert.equal(lastMessage(sent).body.text, answers.get('throttled answer please'));
    assert.equal(streamInfoOf(lastMessage(sent).body)?.streamType, 'final', 'the stream itself finished');
  });

  it('recovers from 403 "exceeded streaming time": the rest follows as a message, nothing lost', async () => {
    let updates = 0;
    bot.connector.respondWith((activity) => {
      const info = streamInfoOf(activity);
      if (info?.streamType === 'streaming' && ++updates > 1) {
        return {
          status: 403,
          body: {
            error: {
              code: 'ContentStreamNotAllowed',
              message: 'Content stream finished due to exceeded streaming time.',
            },
          },
        };
      }
      return undefined;
    });
    await postAndWaitForAnswer(
      bot,
      userMessage('expiring answer please', { conversationId: 'expired-chat' }),
      {
        until: untilCardArrived,
      },
    );
    const sent = bot.connector.forConversation('expired-chat');
    const shown = sent.filter(
      (activity) => activity.status < 300 && streamInfoOf(activity.body)?.streamType === 'streaming',
    );
    const lastShown = shown.at(-1)!.body.text ?? '';
    const rest = sent
      .filter((activity) => activity.body.type === 'message' && activity.status < 300)
      .map((activity) => activity.body.text ?? '')
      .join('');
    assert.equal(lastShown + rest, answers.get('expiring answer please'));
    assert.equal(streamInfoOf(lastMessage(sent).body), undefined, 'an ordinary message');
  });

  it('ends the stream on a terminal connector error (400) and delivers the answer as an ordinary message', async () => {
    let failed = false;
    bot.connector.respondWith((activity) => {
      if (!failed && streamInfoOf(activity)?.streamType === 'streaming') {
        failed = true;
        return { status: 400, body: { error: { code: 'BadRequest', message: 'bad payload' } } };
      }
      return undefined;
    });
    await postAndWaitForAnswer(bot, userMessage('broken stream please', { conversationId: 'broken-chat' }));
    const sent = bot.connector.forConversation('broken-chat');
    const failedAt = sent.findIndex((activity) => activity.status === 400);
    assert.ok(
      sent.slice(failedAt + 1).every((activity) => streamInfoOf(activity.body) === undefined),
      'nothing more is sent to the broken stream',
    );
    assert.equal(lastMessage(sent).body.text, answers.get('broken stream please'));
  });
});

describe('the message size budget (real server, fake Bot Connector, local model)', function () {
  this.timeout(90000);
  let bot: TestBot;
  // Under the prompt's max_tokens (1000), so the model's output is the whole text.
  const huge = paragraphs(24, 14);
  before(async () => {
    bot = await startTestBot({
      model: { timeToFirstTokenMs: 100, tokensPerSecond: 400, script: () => ({ kind: 'text', text: huge }) },
      // The same code as Teams' 28 KB limit, reached with a shorter answer.
      streamBudget: { maxActivityBytes: 3500 },
    });
  });
  after(() => bot.close());

  it('keeps every activity within the size budget, cutting at paragraphs, losing nothing', async () => {
    await postAndWaitForAnswer(bot, userMessage('huge answer please', { conversationId: 'size-chat' }), {
      until: untilCardArrived,
      timeoutMs: 60000,
    });
    const sent = bot.connector.forConversation('size-chat');
    for (const activity of sent)
      assert.ok(activitySize(activity.body) <= 3500, `${activitySize(activity.body)} bytes`);
    const messages = sent.filter((activity) => activity.body.type === 'message');
    assert.ok(messages.length >= 3);
    let delivered = 0;
    for (const message of messages) {
      delivered += message.body.text?.length ?? 0;
      if (delivered < huge.length) assert.match(message.body.text ?? '', /\.\n\n$/, 'cut at a paragraph');
    }
    assert.equal(messages.at(-1)!.body.attachments?.length, 1, 'the card comes last, on its own if it must');
    assert.equal(deliveredText(sent), huge);
  });
});

describe('Stop while tools run', function () {
  this.timeout(30000);
  let bot: TestBot;
  let rounds = 0;
  before(async () => {
    bot = await startTestBot({
      model: {
        timeToFirstTokenMs: 600,
        tokensPerSecond: 50,
        script: (request) => {
          rounds += 1;
          const toolResults = request.messages.filter((message) => message.role === 'tool').length;
          return toolResults < 6
            ? { kind: 'toolCalls', calls: [{ name: 'search_knowledge', arguments: '{"query":"VPN"}' }] }
            : { kind: 'text', text: 'done' };
        },
      },
    });
  });
  after(() => bot.close());

  it('skips the remaining tool rounds once the user pressed Stop', async () => {
    bot.connector.respondWith((activity) =>
      activity.text === 'Searching the knowledge base...'
        ? {
            status: 403,
            body: {
              error: { code: 'ContentStreamNotAllowed', message: 'Content stream was canceled by user.' },
            },
          }
        : undefined,
    );
    await bot.post(userMessage('search in a loop', { conversationId: 'loop-chat' }));
    assert.ok(
      await waitFor(() => bot.connector.forConversation('loop-chat').some((a) => a.status === 403), 10000),
    );
    const roundsAtStop = rounds;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.ok(rounds <= roundsAtStop + 1, `model rounds after Stop: ${rounds - roundsAtStop}`);
    assert.ok(rounds < 7, 'the tool loop did not run to its end');
    const sent = bot.connector.forConversation('loop-chat');
    assert.equal(sent.at(-1)!.status, 403, 'nothing was sent after Stop');
  });
});
