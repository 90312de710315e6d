import { strict as assert } from 'node:assert';
import path from 'node:path';
import type { ChatRequest, ScriptedReply } from '../../dev/offline-model';
import { openDatabase, SqliteFeedbackStore, SqliteWorkItemStore } from '../../src/storage';
import { aiEntityOf, streamInfoOf, type ReceivedActivity } from '../support/fakeBotConnector';
import { waitFor } from '../support/waitFor';
import { postAndWaitForAnswer } from '../support/answers';
import { feedbackInvoke, startTestBot, userMessage, type TestBot } from '../support/testBot';
import { cardActionFrom } from '../support/teamsActivities';
import { CONFIRMATION_VERB } from '../../src/turn/cards';

function finalText(activities: ReceivedActivity[]): string {
  const final = activities.filter((activity) => activity.body.type === 'message').at(-1);
  assert.ok(final, 'a final message was sent');
  return final.body.text ?? '';
}

/** The text of every message the model saw in one request, by role. */
function transcript(request: ChatRequest): string[] {
  return request.messages.map((message) => {
    const content = typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
    return `${message.role}: ${content}`;
  });
}

function requestsMentioning(bot: TestBot, text: string): ChatRequest[] {
  return bot.model.requests.filter((request) => transcript(request).some((line) => line.includes(text)));
}

describe('conversations with the bot (real server, fake Bot Connector, local model)', function () {
  this.timeout(60000);
  let bot: TestBot;
  let script: ((request: ChatRequest) => ScriptedReply | undefined) | undefined;

  before(async () => {
    bot = await startTestBot({ model: { script: (request) => script?.(request) } });
  });
  afterEach(() => {
    script = undefined;
    bot.connector.respondWith(undefined);
  });
  after(() => bot.close());

  it('answers a group chat with one final message: no streaming, same AI label, card and feedback', async () => {
    await postAndWaitForAnswer(
      bot,
      userMessage('What is the expense limit for meals?', {
        conversationId: 'team-chat',
        conversationType: 'groupChat',
      }),
    );
    const sent = bot.connector.forConversation('team-chat');
    assert.equal(sent.length, 1, 'exactly one activity');
    const only = sent[0].body;
    assert.equal(only.type, 'message');
    assert.equal(streamInfoOf(only), undefined);
    assert.deepEqual(aiEntityOf(only)?.additionalType, ['AIGeneratedContent']);
    assert.deepEqual(only.channelData?.feedbackLoop, { type: 'default' });
    assert.equal(only.attachments?.[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
  });

  it('creates, finds and updates work items through the tools, scoped to the conversation', async () => {
    await postAndWaitForAnswer(
      bot,
      userMessage("Create a work item called 'Renew the TLS certificate' assigned to Dana due 2026-12-01", {
        conversationId: 'ops-chat',
      }),
    );
    assert.match(finalText(bot.connector.forConversation('ops-chat')), /WI-\d+/);

    const db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });
    try {
      const store = new SqliteWorkItemStore(db);
      const [item] = await store.find({ tenantId: 'tenant-1', conversationId: 'ops-chat' });
      assert.equal(item?.title, 'Renew the TLS certificate');
      assert.equal(item?.assignee, 'Dana');
      assert.equal(item?.dueDate, '2026-12-01');

      // Changing an item created in an earlier turn waits for the requester's Confirm on a card.
      const cardsIn = (conversationId: string) =>
        bot.connector
          .forConversation(conversationId)
          .flatMap((activity) => activity.body.attachments ?? [])
          .filter((attachment) => JSON.stringify(attachment.content).includes(CONFIRMATION_VERB));
      await postAndWaitForAnswer(
        bot,
        userMessage(`Mark ${item.id} as resolved`, { conversationId: 'ops-chat' }),
        { until: () => cardsIn('ops-chat').length === 1 },
      );
      const opsScope = { tenantId: 'tenant-1', conversationId: 'ops-chat' };
      assert.equal((await store.get(opsScope, item.id))?.status, 'new', 'nothing changed before Confirm');
      const card = cardsIn('ops-chat')[0]?.content as { actions: Array<{ data: Record<string, unknown> }> };
      const confirm = await bot.post(
        cardActionFrom(
          { tenantId: 'tenant-1', conversationId: 'ops-chat', userId: 'aad-user-1' },
          { verb: CONFIRMATION_VERB, data: card.actions[0].data },
        ),
      );
      assert.equal(confirm.status, 200);
      assert.equal((await store.get(opsScope, item.id))?.status, 'resolved');

      await postAndWaitForAnswer(
        bot,
        userMessage('Show the work items in this chat', { conversationId: 'ops-chat' }),
      );
      assert.match(finalText(bot.connector.forConversation('ops-chat')), /Renew the TLS certificate/);

      await postAndWaitForAnswer(
        bot,
        userMessage('Show the work items in this chat', { conversationId: 'other-chat' }),
      );
      assert.doesNotMatch(
        finalText(bot.connector.forConversation('other-chat')),
        /Renew the TLS certificate/,
      );
      await postAndWaitForAnswer(
        bot,
        userMessage(`Mark ${item.id} as closed`, { conversationId: 'other-chat' }),
      );
      assert.equal(
        (await store.get({ tenantId: 'tenant-1', conversationId: 'ops-chat' }, item.id))?.status,
        'resolved',
        'another conversation cannot change it',
      );
    } finally {
      db.close();
    }
  });

  it('sends bad tool arguments back to the model as a tool error and still finishes the answer', async () => {
    script = (request) => {
      const last = request.messages.at(-1);
      if (last?.role === 'user' && transcript(request).at(-1)?.includes('broken tool call please')) {
        return { kind: 'toolCalls', calls: [{ name: 'create_work_item', arguments: '{"title": 5}' }] };
      }
      return undefined;
    };
    const response = await postAndWaitForAnswer(
      bot,
      userMessage('broken tool call please', { conversationId: 'bad-args-chat' }),
    );
    assert.equal(response.status, 200);
    const followUp = requestsMentioning(bot, 'broken tool call please').at(-1)!;
    const toolMessage = followUp.messages.find((message) => message.role === 'tool');
    assert.ok(toolMessage, 'the model got a tool result');
    const result = JSON.parse(toolMessage.content as string) as { ok: boolean; error: string };
    assert.equal(result.ok, false);
    assert.match(result.error, /invalid arguments/);
    assert.ok(finalText(bot.connector.forConversation('bad-args-chat')).length > 0);
  });

  it('ends the turn politely when the model fails, and keeps serving', async () => {
    script = (request) =>
      transcript(request).some((line) => line.includes('model down please'))
        ? { kind: 'httpError', status: 500 }
        : undefined;
    const response = await postAndWaitForAnswer(
      bot,
      userMessage('model down please', { conversationId: 'fail-chat' }),
    );
    assert.equal(response.status, 200);
    const sent = bot.connector.forConversation('fail-chat');
    assert.match(finalText(sent), /couldn't get an answer from the language model/);
    assert.equal(streamInfoOf(sent.at(-1)!.body)?.streamType, 'final', 'the stream got its final message');

    script = undefined;
    await postAndWaitForAnswer(
      bot,
      userMessage('How do I connect to the VPN?', { conversationId: 'fail-chat' }),
    );
    assert.match(finalText(bot.connector.forConversation('fail-chat')), /\[1\]/);
  });

  it('speaks the user’s language in the informative update', async () => {
    await postAndWaitForAnswer(
      bot,
      userMessage('Wie verbinde ich mich mit dem VPN?', { conversationId: 'de-chat', locale: 'de-DE' }),
    );
    const first = bot.connector.forConversation('de-chat')[0].body;
    assert.equal(streamInfoOf(first)?.streamType, 'informative');
    assert.match(first.text!, /Frage|Moment|denke|überlege/i);
  });

  it('lets the model see the earlier turns, also after the bot restarts', async () => {
    await postAndWaitForAnswer(
      bot,
      userMessage('How many days of paid time off do I get?', { conversationId: 'history-chat' }),
    );
    const firstAnswer = finalText(bot.connector.forConversation('history-chat'));
    await postAndWaitForAnswer(
      bot,
      userMessage('And how do I request it?', { conversationId: 'history-chat' }),
    );
    const secondTurn = requestsMentioning(bot, 'And how do I request it?')[0];
    const seen = transcript(secondTurn).join('\n');
    assert.ok(
      seen.includes('How many days of paid time off do I get?'),
      'the first question is in the history',
    );
    assert.ok(seen.includes(firstAnswer.slice(0, 40)), 'the first answer is in the history');
    assert.match(seen, /today is \d{4}-\d{2}-\d{2}\./, 'the prompt tells the model the date');

    await bot.restart();
    await postAndWaitForAnswer(bot, userMessage('Who approves it?', { conversationId: 'history-chat' }));
    const afterRestart = transcript(requestsMentioning(bot, 'Who approves it?')[0]).join('\n');
    assert.ok(afterRestart.includes('How many days of paid time off do I get?'));
    assert.ok(afterRestart.includes('And how do I request it?'));
  });

  it('stores the Agents Playground’s feedback form (plain text, no replyToId) against the latest answer', async () => {
    await postAndWaitForAnswer(
      bot,
      userMessage('How do I connect to the VPN?', { conversationId: 'playground-chat' }),
    );
    const final = bot.connector.forConversation('playground-chat').at(-1)!.body;
    const response = await bot.post(
      feedbackInvoke({ reaction: 'like', feedback: 'Clear and short', conversationId: 'playground-chat' }),
    );
    assert.equal(response.status, 200);
    const db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });
    try {
      const stored = (await new SqliteFeedbackStore(db).list(50)).find(
        (record) => record.conversationId === 'playground-chat',
      );
      assert.equal(stored?.reaction, 'like');
      assert.equal(stored?.comment, 'Clear and short');
      assert.equal(stored?.messageId, streamInfoOf(final)?.streamId);
      assert.equal(stored?.answer?.question, 'How do I connect to the VPN?');
    } finally {
      db.close();
    }
  });
});

describe('the Stop button (403 ContentStreamNotAllowed "canceled by user")', function () {
  this.timeout(30000);
  let bot: TestBot;
  before(async () => {
    const longAnswer = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');
    bot = await startTestBot({
      model: {
        timeToFirstTokenMs: 100,
        tokensPerSecond: 20,
        script: () => ({ kind: 'text', text: longAnswer }),
      },
    });
  });
  after(() => bot.close());

  it('stops sending to the stream, aborts the model request and keeps serving', async () => {
    let rejectedAt = 0;
    bot.connector.respondWith((activity) => {
      if (streamInfoOf(activity)?.streamType === 'streaming' && rejectedAt === 0) {
        rejectedAt = Date.now();
        return {
          status: 403,
          body: {
            error: { code: 'ContentStreamNotAllowed', message: 'Content stream was canceled by user.' },
          },
        };
      }
      return undefined;
    });
    const response = await postAndWaitForAnswer(
      bot,
      userMessage('Tell me everything', { conversationId: 'stop-chat' }),
      // Longer than the 1 s between stream sends, so a send after Stop would show up.
      { until: (sent) => sent.some((activity) => activity.status === 403), settleMs: 1500 },
    );
    assert.equal(response.status, 200);
    const sent = bot.connector.forConversation('stop-chat');
    const rejectedIndex = sent.findIndex((activity) => activity.status === 403);
    assert.ok(rejectedIndex > 0);
    assert.equal(sent.length, rejectedIndex + 1, 'nothing is sent to the stream after Stop');
    assert.ok(
      await waitFor(() => bot.model.stats.aborted === 1, 1000),
      'the model request was aborted within a second',
    );
    assert.equal(bot.model.stats.open, 0);

    bot.connector.respondWith(undefined);
    const next = await postAndWaitForAnswer(
      bot,
      userMessage('Are you still there?', { conversationId: 'stop-chat' }),
    );
    assert.equal(next.status, 200);
    assert.ok(
      bot.connector.forConversation('stop-chat').some((activity) => activity.body.type === 'message'),
    );
  });

  it('keeps the stopped turn in the history as what the user saw, marked as stopped', () => {
    const nextTurn = bot.model.requests.find((request) =>
      request.messages.some(
        (message) => message.role === 'user' && message.content === 'Are you still there?',
      ),
    );
    assert.ok(nextTurn, 'the next turn reached the model');
    const lines = transcript(nextTurn);
    const stoppedAt = lines.indexOf('user: Tell me everything');
    assert.ok(stoppedAt >= 0, 'the stopped question is in the history');
    assert.equal(
      lines[stoppedAt + 1],
      'assistant: [stopped by the user]',
      'nothing was shown, and it is marked',
    );
  });
});

describe('model faults', function () {
  this.timeout(60000);
  let bot: TestBot;
  const calls = new Map<string, number>();
  before(async () => {
    bot = await startTestBot({
      model: {
        timeToFirstTokenMs: 50,
        tokensPerSecond: 200,
        script: (request) => {
          const question = transcript(request).find((line) => line.startsWith('user: fault '));
          if (!question) return undefined;
          const count = (calls.get(question) ?? 0) + 1;
          calls.set(question, count);
          if (question.includes('throttled') && count === 1) {
            return { kind: 'httpError', status: 429, retryAfterSeconds: 1 };
          }
          if (question.includes('reset') && count === 1)
            return { kind: 'dropAfter', text: 'never sent', afterTokens: 0 };
          if (question.includes('midway')) {
            return {
              kind: 'dropAfter',
              text: 'The first half of the answer and then nothing more',
              afterTokens: 6,
            };
          }
          if (question.includes('always down')) return { kind: 'httpError', status: 503 };
          return { kind: 'text', text: `Recovered answer to ${question}` };
        },
      },
    });
  });
  after(() => bot.close());

  it('retries a 429 before the first token after the Retry-After, and answers normally', async () => {
    const started = Date.now();
    await postAndWaitForAnswer(bot, userMessage('fault throttled', { conversationId: 'fault-429' }));
    assert.equal(calls.get('user: fault throttled'), 2);
    assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
    assert.match(finalText(bot.connector.forConversation('fault-429')), /Recovered answer/);
  });

  it('retries a connection reset before the first token', async () => {
    await postAndWaitForAnswer(bot, userMessage('fault reset', { conversationId: 'fault-reset' }));
    assert.equal(calls.get('user: fault reset'), 2);
    assert.match(finalText(bot.connector.forConversation('fault-reset')), /Recovered answer/);
  });

  it('does not retry after the first token: the partial text is kept with a notice', async () => {
    await postAndWaitForAnswer(bot, userMessage('fault midway', { conversationId: 'fault-midway' }));
    assert.equal(calls.get('user: fault midway'), 1);
    const text = finalText(bot.connector.forConversation('fault-midway'));
    assert.match(text, /^The first half/);
    assert.match(text, /cut short because the model stopped responding/);
  });

  it('gives up after 3 retries and apologises in a final message', async () => {
    await postAndWaitForAnswer(bot, userMessage('fault always down', { conversationId: 'fault-down' }));
    assert.equal(calls.get('user: fault always down'), 4);
    const sent = bot.connector.forConversation('fault-down');
    assert.match(finalText(sent), /couldn't get an answer from the language model/);
    assert.equal(streamInfoOf(sent.at(-1)!.body)?.streamType, 'final');
  });
});
