import { strict as assert } from 'node:assert';
import path from 'node:path';
import { openDatabase } from '../../../src/storage';
import { systemClock, type Clock } from '../../../src/shared/time';
import { postAndWaitForAnswer } from '../../support/answers';
import { capturingLogger } from '../../support/capturingLogger';
import { feedbackFrom, messageFrom, type Sender } from '../../support/teamsActivities';
import { startTestBot, type TestBot } from '../../support/testBot';
import { contentOf } from '../../support/toolScript';
import { waitFor } from '../../support/waitFor';

const DAY_MS = 24 * 60 * 60 * 1000;
const user: Sender = { tenantId: 'tenant-r', conversationId: 'retention-dm', userId: 'aad-ret' };

describe('RETENTION_DAYS in the running bot', function () {
  this.timeout(60000);
  let offsetMs = 0;
  const clock: Clock = { now: () => systemClock.now() + offsetMs, sleep: (ms) => systemClock.sleep(ms) };
  const { logger, lines } = capturingLogger();
  let bot: TestBot;

  before(async () => {
    bot = await startTestBot({ env: { RETENTION_DAYS: '30' }, clock, logger });
  });
  after(() => bot.close());

  it('sweeps at startup, and after a restart 31 days later the history, answers and feedback are gone', async () => {
    const sweeps = () => lines.filter((line) => line.msg === 'retention sweep done');
    assert.ok(await waitFor(() => sweeps().length === 1, 5000), 'a sweep ran at startup');
    await postAndWaitForAnswer(bot, messageFrom(user, 'How do I connect to the VPN?'));
    await bot.post(feedbackFrom(user, { reaction: 'like', comment: 'kept for now' }));

    const db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    try {
      assert.equal(count('answers'), 1);
      assert.equal(count('feedback'), 1);
      assert.ok(count('bot_state') >= 1);

      offsetMs = 31 * DAY_MS;
      await bot.restart();
      assert.ok(await waitFor(() => sweeps().length === 2, 5000), 'the restarted bot swept at startup');
      const sweep = sweeps()[1];
      assert.equal(sweep.answers, 1);
      assert.equal(sweep.feedback, 1);
      assert.ok(Number(sweep.stateItems) >= 1);
      assert.equal(count('answers'), 0);
      assert.equal(count('feedback'), 0);
      assert.equal(count('bot_state'), 0);
    } finally {
      db.close();
    }

    await postAndWaitForAnswer(bot, messageFrom(user, 'Who approves it?'));
    const prompt = bot.model.requests.at(-1)!.messages.map(contentOf).join('\n');
    assert.ok(!prompt.includes('How do I connect to the VPN?'), 'the model no longer sees the old turn');
  });
});
