import { strict as assert } from 'node:assert';
import pg from 'pg';
import { translate } from '../../src/shared/i18n';
import {
  startFakeBotConnector,
  streamInfoOf,
  type FakeBotConnector,
  type ReceivedActivity,
} from '../support/fakeBotConnector';
import { createTestDatabase, describePostgres } from '../support/storageBackends';
import { userMessage } from '../support/testBot';
import { waitUntil } from '../support/waitFor';
import { startBotProcess, type BotProcess } from './botProcess';

const CONVERSATION = 'outage-chat';

/** Runs one statement as the test server's admin user. */
async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describePostgres('chaos: the PostgreSQL database goes away in the middle of a turn', (url) => {
  let database: { url: string; drop: () => Promise<void> };
  let name: string;
  let connector: FakeBotConnector;
  let bot: BotProcess;

  const sent = (): ReceivedActivity[] => connector.forConversation(CONVERSATION);
  const messages = (): ReceivedActivity[] => sent().filter((activity) => activity.body.type === 'message');

  async function post(text: string): Promise<void> {
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        serviceUrl: connector.url,
        ...userMessage(text, { conversationId: CONVERSATION }),
      }),
    });
    assert.ok(response.status < 300, `the bot accepted the message (HTTP ${response.status})`);
  }

  before(async function () {
    this.timeout(60000);
    database = await createTestDatabase(url);
    name = new URL(database.url).pathname.slice(1);
    connector = await startFakeBotConnector();
    bot = await startBotProcess({
      env: {
        DATABASE_URL: database.url,
        OFFLINE_MODEL_TIME_TO_FIRST_TOKEN_MS: '200',
        OFFLINE_MODEL_TOKENS_PER_SECOND: '8',
      },
    });
  });

  after(async function () {
    this.timeout(30000);
    await admin(url, `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await bot?.stop();
    bot?.removeData();
    await connector?.close();
    await database?.drop();
  });

  it('ends the turn politely while the database is gone, stays up, and answers once it is back', async function () {
    this.timeout(120000);
    await post('How do I connect to the VPN?');
    await waitUntil(
      () => sent().some((activity) => streamInfoOf(activity.body)?.streamType === 'streaming'),
      'a streaming update with text',
      { timeoutMs: 30000, detail: () => bot.output() },
    );
    // The database goes away: no new connections, and every connection the bot holds is cut.
    await admin(url, `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await admin(
      url,
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
    );
    await waitUntil(() => messages().length > 0, 'the final message of the turn', {
      timeoutMs: 60000,
      detail: () => bot.output(),
    });
    await waitUntil(() => /a turn failed|answer finished/.test(bot.output()), 'the turn ended', {
      timeoutMs: 30000,
      detail: () => bot.output(),
    });
    // The answer itself did not need the database: its stream ends with the final message as usual.
    const [final] = messages();
    assert.equal(streamInfoOf(final.body)?.streamType, 'final');
    assert.match(final.body.text ?? '', /VPN/);
    // Saving the turn's state failed: the user gets the polite apology with the error id of the log line.
    await waitUntil(() => messages().length >= 2, 'the apology for the failed turn', {
      timeoutMs: 30000,
      detail: () => bot.output(),
    });
    const errorId = /\(error id: ([0-9a-f]+)\)/.exec(messages()[1].body.text ?? '')?.[1];
    assert.ok(
      messages()[1].body.text?.startsWith(translate('en-US', 'error.generic')),
      messages()[1].body.text,
    );
    assert.ok(errorId && bot.output().includes(`"errorId":"${errorId}"`), 'the error id is on the log line');
    assert.doesNotMatch(bot.output(), /unhandled promise rejection|"level":60/);

    await admin(url, `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    assert.equal(bot.pid !== undefined && processAlive(bot.pid), true, 'the bot process is still running');
    const before = messages().length;
    await post('How do I reset my password?');
    await waitUntil(() => messages().length > before, 'the answer to the next message', {
      timeoutMs: 30000,
      detail: () => bot.output(),
    });
    const answer = messages().at(-1)!;
    assert.equal(streamInfoOf(answer.body)?.streamType, 'final');
    assert.ok(!answer.body.text?.includes(translate('en-US', 'error.generic')));
  });
});

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
