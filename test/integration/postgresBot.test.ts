import { strict as assert } from 'node:assert';
import { openBackend, type Backend } from '../../src/storage/backend';
import type { ChatRequest } from '../../dev/offline-model';
import { streamInfoOf, type ReceivedActivity } from '../support/fakeBotConnector';
import { postAndWaitForAnswer } from '../support/answers';
import { createTestDatabase, describePostgres } from '../support/storageBackends';
import { feedbackInvoke, startTestBot, userMessage, type TestBot } from '../support/testBot';

function finalText(activities: ReceivedActivity[]): string {
  const final = activities.filter((activity) => activity.body.type === 'message').at(-1);
  assert.ok(final, 'a final message was sent');
  return final.body.text ?? '';
}

function transcript(request: ChatRequest): string {
  return request.messages
    .map((message) =>
      typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
    )
    .join('\n');
}

describePostgres('the bot on PostgreSQL (real server, fake Bot Connector, local model)', (url) => {
  let database: { url: string; drop: () => Promise<void> };
  let bot: TestBot;
  let backend: Backend;

  before(async function () {
    this.timeout(60000);
    database = await createTestDatabase(url);
    bot = await startTestBot({ env: { DATABASE_URL: database.url } });
    backend = await openBackend({ kind: 'postgres', url: database.url, poolSize: 2 });
  });

  after(async () => {
    await backend?.close();
    await bot?.close();
    await database?.drop();
  });

  it('runs a tool, keeps the history across turns and stores feedback, all in PostgreSQL', async function () {
    this.timeout(60000);
    const scope = { tenantId: 'tenant-1', conversationId: 'pg-chat' };
    await postAndWaitForAnswer(
      bot,
      userMessage("Create a work item called 'Renew the TLS certificate' assigned to Dana due 2026-12-01", {
        conversationId: 'pg-chat',
      }),
    );
    assert.match(finalText(bot.connector.forConversation('pg-chat')), /WI-1\b/);
    const [item] = await backend.workItems.find(scope);
    assert.equal(item?.title, 'Renew the TLS certificate');
    assert.equal(item?.dueDate, '2026-12-01');

    await postAndWaitForAnswer(
      bot,
      userMessage('Show the work items in this chat', { conversationId: 'pg-chat' }),
    );
    const secondTurn = bot.model.requests.find((request) =>
      transcript(request).includes('Show the work items in this chat'),
    );
    assert.ok(secondTurn);
    assert.ok(
      transcript(secondTurn).includes('Create a work item called'),
      'the first turn is in the history the model sees',
    );

    const final = bot.connector.forConversation('pg-chat').at(-1)!.body;
    const response = await bot.post(
      feedbackInvoke({ reaction: 'dislike', feedback: 'Too long', conversationId: 'pg-chat' }),
    );
    assert.equal(response.status, 200);
    const [stored] = await backend.feedback.list(5);
    assert.equal(stored?.reaction, 'dislike');
    assert.equal(stored?.comment, 'Too long');
    assert.equal(stored?.messageId, streamInfoOf(final)?.streamId);
    assert.equal(stored?.answer?.question, 'Show the work items in this chat');
  });
});
