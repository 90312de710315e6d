import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseForgetArguments, runForgetCommand } from '../../../src/admin/forgetCommand';
import { openBackend } from '../../../src/storage/backend';
import { openDatabase, type Db } from '../../../src/storage';
import { createTestSchema, describePostgres, dropTestSchema } from '../../support/storageBackends';
import { postAndWaitForAnswer } from '../../support/answers';
import { feedbackFrom, messageFrom, type Sender } from '../../support/teamsActivities';
import { REPO_ROOT, startTestBot, type TestBot } from '../../support/testBot';
import { contentOf, ToolScript } from '../../support/toolScript';

const TENANT = 'tenant-hygiene';
const aliceDm: Sender = { tenantId: TENANT, conversationId: 'alice-dm', userId: 'aad-alice' };
const bobDm: Sender = { tenantId: TENANT, conversationId: 'bob-dm', userId: 'aad-bob' };
const aliceInTeam: Sender = {
  tenantId: TENANT,
  conversationId: 'team-room',
  userId: 'aad-alice',
  conversationType: 'groupChat',
};
const bobInTeam: Sender = { ...aliceInTeam, userId: 'aad-bob' };

function count(db: Db, sql: string, ...params: string[]): number {
  return (db.prepare(sql).get(...params) as { n: number }).n;
}

/** Everything stored about one person, by table. */
function footprint(db: Db, userId: string) {
  return {
    answers: count(db, 'SELECT count(*) AS n FROM answers WHERE user_id = ?', userId),
    feedback: count(db, 'SELECT count(*) AS n FROM feedback WHERE user_id = ?', userId),
    workItems: count(db, 'SELECT count(*) AS n FROM work_items WHERE created_by_id = ?', userId),
    dmHistory: count(
      db,
      "SELECT count(*) AS n FROM bot_state WHERE key LIKE '%/conversations/' || ?",
      userId.replace('aad-', '') + '-dm',
    ),
    userState: count(db, "SELECT count(*) AS n FROM bot_state WHERE key LIKE '%/users/29:' || ?", userId),
    index: count(db, 'SELECT count(*) AS n FROM user_conversations WHERE user_id = ?', userId),
  };
}

describe('npm run forget -- --user <aadObjectId>', function () {
  this.timeout(120000);
  const script = new ToolScript();
  let bot: TestBot;

  before(async () => {
    bot = await startTestBot({ model: { script: script.reply } });
    const turn = async (sender: Sender, marker: string, title: string) => {
      script.plan(marker, [{ name: 'create_work_item', arguments: { title } }]);
      await postAndWaitForAnswer(bot, messageFrom(sender, `${marker}: please track it`));
      await bot.post(feedbackFrom(sender, { reaction: 'like', comment: `${marker} feedback` }));
    };
    await turn(aliceDm, 'alice-private', 'Alice private reminder');
    await turn(bobDm, 'bob-private', 'Bob private reminder');
    await turn(aliceInTeam, 'alice-shared', 'Shared task from Alice');
    await turn(bobInTeam, 'bob-shared', 'Shared task from Bob');
  });
  after(() => bot.close());

  it("deletes one person's data everywhere, keeps everyone else's, and prints the counts", async () => {
    const db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });
    try {
      const bobBefore = footprint(db, 'aad-bob');
      const aliceBefore = footprint(db, 'aad-alice');
      assert.deepEqual(
        { ...aliceBefore, userState: undefined },
        { answers: 2, feedback: 2, workItems: 2, dmHistory: 1, userState: undefined, index: 2 },
        'the seed left data of alice in every table',
      );
      const teamHistoryBefore = count(
        db,
        "SELECT count(*) AS n FROM bot_state WHERE key LIKE '%/conversations/team-room'",
      );
      assert.equal(teamHistoryBefore, 1);

      const out: string[] = [];
      const err: string[] = [];
      const code = await runForgetCommand(['--user', 'aad-alice'], {
        env: { DATA_DIR: bot.dataDir },
        out: (line) => out.push(line),
        err: (line) => err.push(line),
      });
      assert.equal(code, 0);
      assert.deepEqual(err, []);
      const printed = out.join('\n');
      assert.match(printed, /answers deleted: +2/);
      assert.match(printed, /feedback deleted: +2/);
      assert.match(printed, /work items deleted \(created in their 1:1 chat\): 1/);
      assert.match(printed, /work items anonymized \(shared chats\): +1/);

      assert.deepEqual(footprint(db, 'aad-alice'), {
        answers: 0,
        feedback: 0,
        workItems: 0,
        dmHistory: 0,
        userState: 0,
        index: 0,
      });
      assert.deepEqual(footprint(db, 'aad-bob'), bobBefore, "bob's data is intact");
      const shared = db
        .prepare("SELECT created_by, created_by_id FROM work_items WHERE title = 'Shared task from Alice'")
        .get() as { created_by: string | null; created_by_id: string | null } | undefined;
      assert.deepEqual(
        shared,
        { created_by: null, created_by_id: null },
        'the team keeps the item, without her name',
      );
      assert.equal(
        count(db, "SELECT count(*) AS n FROM work_items WHERE title = 'Alice private reminder'"),
        0,
      );
      assert.equal(
        count(db, "SELECT count(*) AS n FROM bot_state WHERE key LIKE '%/conversations/team-room'"),
        1,
        'the shared conversation keeps its history (it expires with RETENTION_DAYS)',
      );
    } finally {
      db.close();
    }

    // Alice's next turn starts from an empty history.
    await postAndWaitForAnswer(bot, messageFrom(aliceDm, 'after-forget: hello again'));
    const prompt = bot.model.requests
      .filter((request) => request.messages.some((m) => contentOf(m).includes('after-forget')))
      .at(-1)!;
    assert.ok(!prompt.messages.some((m) => contentOf(m).includes('alice-private')), 'her old turns are gone');
  });

  it('exits non-zero with one clear line on bad arguments', async () => {
    for (const argv of [[], ['--user'], ['--user', '  '], ['--usr', 'x'], ['--user', 'a b']]) {
      const err: string[] = [];
      const code = await runForgetCommand(argv, {
        env: { DATA_DIR: bot.dataDir },
        out: () => {},
        err: (line) => err.push(line),
      });
      assert.equal(code, 2, `exit code for ${JSON.stringify(argv)}`);
      assert.equal(err.length, 1);
      assert.match(err[0], /^forget: .*usage: npm run forget -- --user <aadObjectId>$/);
    }
    assert.deepEqual(parseForgetArguments(['--user', 'aad-1']), { userId: 'aad-1' });
  });

  it('runs as a command: no --user exits 2 with the usage line on stderr', async () => {
    const script = path.join(REPO_ROOT, 'build/src/admin/forgetCommand.js');
    await assert.rejects(
      promisify(execFile)(process.execPath, [script], { env: { DATA_DIR: bot.dataDir } }),
      (error: unknown) => {
        const failure = error as { code: number; stderr: string };
        assert.equal(failure.code, 2);
        assert.match(failure.stderr, /usage: npm run forget -- --user <aadObjectId>/);
        return true;
      },
    );
  });
});

describePostgres('npm run forget on PostgreSQL (DATABASE_URL)', (url) => {
  let schema: string;

  beforeEach(async () => {
    schema = await createTestSchema(url);
  });
  afterEach(() => dropTestSchema(url, schema));

  it("deletes the person's rows in the PostgreSQL database and keeps the others'", async () => {
    const backend = await openBackend({ kind: 'postgres', url, schema });
    const dm = { tenantId: 't', conversationId: 'alice-dm' };
    try {
      await backend.workItems.create(dm, { title: 'mine', createdById: 'aad-alice', personal: true });
      await backend.workItems.create(dm, { title: 'bob', createdById: 'aad-bob' });
      for (const userId of ['aad-alice', 'aad-bob']) {
        await backend.feedback.recordFeedback({
          reaction: 'like',
          comment: userId,
          messageId: null,
          conversationId: 'alice-dm',
          tenantId: 't',
          userId,
        });
      }
      await backend.userConversations.note({
        userId: 'aad-alice',
        tenantId: 't',
        conversationId: 'alice-dm',
        conversationType: 'personal',
        conversationStateKey: 'msteams/bot/tenants/t/conversations/alice-dm',
        userStateKey: 'msteams/bot/tenants/t/users/29:alice',
        lastSeenAt: new Date().toISOString(),
      });
      await backend.storage.write({
        'msteams/bot/tenants/t/conversations/alice-dm': { history: ['hi'] },
        'msteams/bot/tenants/t/conversations/bob-dm': { history: ['hello'] },
      });
    } finally {
      await backend.close();
    }

    const out: string[] = [];
    const databaseUrl = new URL(url);
    databaseUrl.searchParams.set('options', `-c search_path=${schema}`);
    const code = await runForgetCommand(['--user', 'aad-alice'], {
      env: { DATABASE_URL: databaseUrl.toString() },
      out: (line) => out.push(line),
      err: (line) => out.push(line),
    });
    assert.equal(code, 0, out.join('\n'));

    const after = await openBackend({ kind: 'postgres', url, schema });
    try {
      assert.deepEqual(
        (await after.feedback.list()).map((entry) => entry.comment),
        ['aad-bob'],
      );
      assert.deepEqual(
        (await after.workItems.find(dm)).map((item) => item.title),
        ['bob'],
      );
      assert.deepEqual(
        Object.keys(
          await after.storage.read([
            'msteams/bot/tenants/t/conversations/alice-dm',
            'msteams/bot/tenants/t/conversations/bob-dm',
          ]),
        ),
        ['msteams/bot/tenants/t/conversations/bob-dm'],
      );
      assert.deepEqual(await after.userConversations.conversationsOf('aad-alice'), []);
    } finally {
      await after.close();
    }
  });
});
