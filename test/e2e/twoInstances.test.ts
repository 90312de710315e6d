import { strict as assert } from 'node:assert';
import { openBackend, type Backend } from '../../src/storage/backend';
import { stateKeysOf } from '../../src/turn';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fakeBotConnector';
import { postAndWaitForAnswer } from '../support/answers';
import { createTestDatabase, describePostgres } from '../support/storageBackends';
import { userMessage } from '../support/testBot';
import { startBotProcess, type BotProcess } from './botProcess';

const CONVERSATION = 'shared-chat';
/** Where the bot keeps the conversation scope: `<channel>/<bot id>/tenants/<tenant>/conversations/<id>`. */
const STATE_KEY = stateKeysOf(userMessage('', { conversationId: CONVERSATION })).conversation;

interface HistoryMessage {
  role: string;
  content: unknown;
}

describePostgres('two bot processes on one PostgreSQL database', (url) => {
  let database: { url: string; drop: () => Promise<void> };
  let connector: FakeBotConnector;
  let backend: Backend;
  const bots: BotProcess[] = [];

  /** Lets a test talk to one process as if it were the only bot. */
  function client(bot: BotProcess): Parameters<typeof postAndWaitForAnswer>[0] {
    return {
      connector,
      post: async (activity) => {
        const response = await fetch(`${bot.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ serviceUrl: connector.url, ...activity }),
        });
        return { status: response.status, body: await response.text() };
      },
    };
  }

  /** The user questions in the stored conversation history, oldest first. */
  async function storedQuestions(): Promise<string[]> {
    const items = (await backend.storage.read([STATE_KEY])) as Record<
      string,
      { chat_history?: HistoryMessage[] } | undefined
    >;
    return (items[STATE_KEY]?.chat_history ?? [])
      .filter((message) => message.role === 'user')
      .map((message) =>
        typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
      );
  }

  before(async function () {
    this.timeout(90000);
    database = await createTestDatabase(url);
    connector = await startFakeBotConnector();
    const env = {
      DATABASE_URL: database.url,
      // Long enough that two turns started together both read the state before either writes it.
      OFFLINE_MODEL_TIME_TO_FIRST_TOKEN_MS: '400',
      OFFLINE_MODEL_TOKENS_PER_SECOND: '2000',
    };
    // Started together: both migrate the new database at once (one waits on the advisory lock).
    bots.push(...(await Promise.all([startBotProcess({ env }), startBotProcess({ env })])));
    backend = await openBackend({ kind: 'postgres', url: database.url, poolSize: 2 });
  });

  after(async function () {
    this.timeout(30000);
    for (const bot of bots.splice(0)) {
      await bot.stop();
      bot.removeData();
    }
    await backend?.close();
    await connector?.close();
    await database?.drop();
  });

  it('continues one conversation whichever instance takes the turn', async function () {
    this.timeout(90000);
    const questions = [
      'How do I connect to the VPN?',
      'Which port does the VPN use?',
      'How do I reset my password?',
      'Can I carry over unused PTO to next year?',
    ];
    for (const [index, question] of questions.entries()) {
      const bot = bots[index % 2];
      await postAndWaitForAnswer(client(bot), userMessage(question, { conversationId: CONVERSATION }));
      const stored = await storedQuestions();
      assert.equal(stored.at(-1), question, `turn ${index + 1} is the latest in the stored history`);
      if (index > 0) {
        assert.equal(
          stored.at(-2),
          questions[index - 1],
          `instance ${(index % 2) + 1} continued the history written by the other instance`,
        );
      }
    }
    for (const bot of bots) assert.match(bot.output(), /bot listening/);
  });

  it('detects two instances writing the same conversation at once (eTag) and keeps both turns', async function () {
    this.timeout(90000);
    const [first, second] = ['Who approves expense reports?', 'When does the code freeze start?'];
    await Promise.all([
      postAndWaitForAnswer(client(bots[0]), userMessage(first, { conversationId: CONVERSATION }), {
        until: (sent) => sent.filter((activity) => activity.body.type === 'message').length >= 2,
      }),
      client(bots[1]).post(userMessage(second, { conversationId: CONVERSATION })),
    ]);
    const stored = await storedQuestions();
    assert.ok(stored.includes(first), `the first concurrent turn is kept: ${JSON.stringify(stored)}`);
    assert.ok(stored.includes(second), `the second concurrent turn is kept: ${JSON.stringify(stored)}`);
    assert.equal(stored.indexOf('Can I carry over unused PTO to next year?'), stored.length - 3);
    const retries = bots.map((bot) => bot.output().match(/changed by another turn/g)?.length ?? 0);
    assert.equal(
      retries.reduce((sum, count) => sum + count, 0),
      1,
      `exactly one instance detected the conflict and retried (per instance: ${retries.join(', ')})`,
    );
  });
});
