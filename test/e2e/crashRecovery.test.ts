import { strict as assert } from 'node:assert';
import Database from 'better-sqlite3';
import { translate } from '../../src/shared/i18n';
import {
  startFakeBotConnector,
  streamInfoOf,
  type FakeBotConnector,
  type ReceivedActivity,
} from '../support/fakeBotConnector';
import { userMessage } from '../support/testBot';
import { waitUntil } from '../support/waitFor';
import { startBotProcess, type BotProcess } from './botProcess';

const CONVERSATION = 'crash-chat';
const NOTICE = translate('en-US', 'notice.interrupted');

/** POSTs an activity to the bot's messages endpoint, as Teams would (serviceUrl: the fake connector). */
async function post(bot: BotProcess, connector: FakeBotConnector, activity: Record<string, unknown>) {
  const response = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ serviceUrl: connector.url, ...activity }),
  });
  assert.ok(response.status < 300, `the bot accepted the message (HTTP ${response.status})`);
}

/** The streaming updates with answer text the connector received in a conversation. */
function streamingUpdates(connector: FakeBotConnector, conversationId: string): ReceivedActivity[] {
  return connector
    .forConversation(conversationId)
    .filter((activity) => streamInfoOf(activity.body)?.streamType === 'streaming' && activity.body.text);
}

/** The open_streams rows of a bot's SQLite file, read by a connection of the test's own. */
function openStreamRows(file: string): Array<{ stream_id: string; shown_text: string }> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT stream_id, shown_text FROM open_streams').all() as Array<{
      stream_id: string;
      shown_text: string;
    }>;
  } finally {
    db.close();
  }
}

describe('crash recovery: the bot is killed (SIGKILL) in the middle of a streamed answer', () => {
  let connector: FakeBotConnector;
  const bots: BotProcess[] = [];

  before(async () => {
    connector = await startFakeBotConnector();
  });

  after(async function () {
    this.timeout(30000);
    const stopped = bots.splice(0);
    for (const bot of stopped) await bot.stop();
    // Both processes used the first one's data folder.
    stopped[0]?.removeData();
    await connector?.close();
  });

  it('closes the half-written stream after the restart, and answers the next message', async function () {
    this.timeout(120000);
    // Slow enough that the answer is still streaming when the process is killed.
    const crashing = await startBotProcess({
      env: { OFFLINE_MODEL_TIME_TO_FIRST_TOKEN_MS: '200', OFFLINE_MODEL_TOKENS_PER_SECOND: '4' },
    });
    bots.push(crashing);
    await post(
      crashing,
      connector,
      userMessage('How do I connect to the VPN?', { conversationId: CONVERSATION }),
    );
    await waitUntil(
      () => {
        const updates = streamingUpdates(connector, CONVERSATION);
        if (updates.length < 2) return false;
        // The recorded text has caught up with the last update the user saw.
        const rows = openStreamRows(crashing.databaseFile);
        return rows.length === 1 && rows[0].shown_text === updates.at(-1)!.body.text;
      },
      'two streaming updates with text, the second one recorded',
      { timeoutMs: 30000, detail: () => crashing.output() },
    );
    const exit = await crashing.kill();
    assert.equal(exit.signal, 'SIGKILL');

    const updates = streamingUpdates(connector, CONVERSATION);
    const streamId = streamInfoOf(updates[0].body)?.streamId as string;
    const seen = updates.at(-1)!.body.text!;
    const [row] = openStreamRows(crashing.databaseFile);
    assert.equal(row.stream_id, streamId, 'the killed process left its stream recorded as open');
    assert.ok(row.shown_text.length > 0 && seen.startsWith(row.shown_text), 'the recorded text was shown');
    assert.ok(
      !connector.forConversation(CONVERSATION).some((activity) => activity.body.type === 'message'),
      'no final message was sent before the kill',
    );

    const restarted = await startBotProcess({
      dataDir: crashing.dataDir,
      env: { OFFLINE_MODEL_TIME_TO_FIRST_TOKEN_MS: '100', OFFLINE_MODEL_TOKENS_PER_SECOND: '2000' },
    });
    bots.push(restarted);
    const finals = () =>
      connector.forConversation(CONVERSATION).filter((activity) => activity.body.type === 'message');
    await waitUntil(() => finals().length > 0, 'the final message of the interrupted stream', {
      timeoutMs: 60000,
      detail: () => restarted.output(),
    });
    const [final] = finals();
    assert.deepEqual(
      { streamType: streamInfoOf(final.body)?.streamType, streamId: streamInfoOf(final.body)?.streamId },
      { streamType: 'final', streamId },
    );
    assert.equal(final.body.text, `${row.shown_text}\n\n${NOTICE}`);
    assert.ok(final.body.text?.startsWith(row.shown_text));
    assert.equal(streamInfoOf(final.body)?.streamSequence, undefined, 'a final message has no sequence');
    assert.equal(final.body.channelData?.streamType, 'final');
    // The log lines follow the send (the child's output arrives a little later than the connector's request).
    await waitUntil(
      () =>
        /closed a stream another process left open/.test(restarted.output()) &&
        /abandoned open streams handled/.test(restarted.output()),
      'the log lines of the closed stream and of the sweep',
      { timeoutMs: 10000, detail: () => restarted.output() },
    );
    assert.deepEqual(openStreamRows(restarted.databaseFile), [], 'the closed stream is forgotten');

    // The restarted bot answers normally, and forgets its own stream once the final message is sent.
    const before = finals().length;
    await post(
      restarted,
      connector,
      userMessage('How do I reset my password?', { conversationId: CONVERSATION }),
    );
    await waitUntil(() => finals().length > before, 'the answer to the next message', {
      timeoutMs: 30000,
      detail: () => restarted.output(),
    });
    const answer = finals().at(-1)!;
    assert.equal(streamInfoOf(answer.body)?.streamType, 'final');
    assert.ok(answer.body.text && !answer.body.text.includes(NOTICE), answer.body.text);
    await waitUntil(
      () => openStreamRows(restarted.databaseFile).length === 0,
      'the answered stream forgotten',
    );
  });
});
