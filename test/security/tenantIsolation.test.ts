import { strict as assert } from 'node:assert';
import path from 'node:path';
import { openDatabase, SqliteFeedbackStore, SqliteWorkItemStore, type Db } from '../../src/storage';
import { postAndWaitForAnswer } from '../support/answers';
import { feedbackFrom, messageFrom, type Sender } from '../support/teamsActivities';
import { startTestBot, type TestBot } from '../support/testBot';
import { ToolScript, contentOf } from '../support/toolScript';

const alice: Sender = { tenantId: 'tenant-alpha', conversationId: 'alpha-chat', userId: 'aad-alice' };
const bob: Sender = { tenantId: 'tenant-beta', conversationId: 'beta-chat', userId: 'aad-bob' };

interface ItemResult {
  ok: boolean;
  error?: string;
  workItem?: { id: string; title: string };
  workItems?: Array<{ id: string; title: string }>;
}

describe('tenant and conversation isolation through the tools (two tenants, two users)', function () {
  this.timeout(90000);
  const script = new ToolScript();
  let bot: TestBot;
  let db: Db;
  let aliceItem: string;
  let bobItem: string;

  before(async () => {
    bot = await startTestBot({ model: { script: script.reply } });
    db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });

    script.plan('alice-create', [
      {
        name: 'create_work_item',
        arguments: { title: 'Alice secret merger plan', description: 'alpha only' },
      },
    ]);
    script.plan('bob-create', [{ name: 'create_work_item', arguments: { title: 'Bob quarterly report' } }]);
    await postAndWaitForAnswer(bot, messageFrom(alice, 'alice-create: track the merger plan'));
    await postAndWaitForAnswer(bot, messageFrom(bob, 'bob-create: track the report'));
    aliceItem = (script.resultsOf('alice-create')[0] as unknown as ItemResult).workItem!.id;
    bobItem = (script.resultsOf('bob-create')[0] as unknown as ItemResult).workItem!.id;
  });
  after(async () => {
    db.close();
    await bot.close();
  });

  async function attack(attacker: Sender, marker: string, victimItem: string): Promise<ItemResult[]> {
    script.plan(marker, [
      { name: 'find_work_items', arguments: {} },
      { name: 'find_work_items', arguments: { query: 'merger' } },
      { name: 'update_work_item', arguments: { id: victimItem, status: 'closed', title: 'hacked' } },
      { name: 'update_work_item', arguments: { id: victimItem, status: 'closed', tenantId: 'tenant-alpha' } },
      { name: 'close_work_items', arguments: { ids: [victimItem] } },
    ]);
    await postAndWaitForAnswer(bot, messageFrom(attacker, `${marker}: read and change ${victimItem}`));
    return script.resultsOf(marker) as unknown as ItemResult[];
  }

  it("bob (other tenant) can neither list, find, update nor close alice's item by id", async () => {
    const [list, search, update, scopeArgument, close] = await attack(bob, 'bob-attack', aliceItem);
    assert.deepEqual(
      list.workItems?.map((item) => item.id),
      [bobItem],
      'bob lists only his own item',
    );
    assert.deepEqual(search.workItems, [], "a search for alice's words finds nothing");
    assert.equal(update.ok, false);
    assert.match(update.error ?? '', new RegExp(`${aliceItem} was not found in this conversation`));
    assert.equal(scopeArgument.ok, false, 'the scope is not an argument a model can pass');
    assert.match(scopeArgument.error ?? '', /unknown argument "tenantId"/);
    assert.equal(close.ok, false);
    assert.match(close.error ?? '', /not found in this conversation/);

    const stored = await new SqliteWorkItemStore(db).get(
      { tenantId: alice.tenantId, conversationId: alice.conversationId },
      aliceItem,
    );
    assert.equal(stored?.title, 'Alice secret merger plan');
    assert.equal(stored?.status, 'new');
    assert.equal(
      bot.connector.forConversation(bob.conversationId).filter(hasCard).length,
      0,
      'no card was sent',
    );
  });

  it("alice can neither list nor update bob's item, the other way round", async () => {
    const [list, , update, , close] = await attack(alice, 'alice-attack', bobItem);
    assert.deepEqual(
      list.workItems?.map((item) => item.id),
      [aliceItem],
    );
    assert.equal(update.ok, false);
    assert.equal(close.ok, false);
    const stored = await new SqliteWorkItemStore(db).get(
      { tenantId: bob.tenantId, conversationId: bob.conversationId },
      bobItem,
    );
    assert.equal(stored?.status, 'new');
  });

  it('a user of the same tenant in another conversation cannot reach the item either', async () => {
    const carol: Sender = {
      tenantId: alice.tenantId,
      conversationId: 'alpha-other-chat',
      userId: 'aad-carol',
    };
    const [list, , update] = await attack(carol, 'carol-attack', aliceItem);
    assert.deepEqual(list.workItems, []);
    assert.equal(update.ok, false);
  });

  it('the same conversation id in another tenant shares neither items nor history', async () => {
    const mallory: Sender = {
      tenantId: 'tenant-gamma',
      conversationId: alice.conversationId,
      userId: 'aad-mallory',
    };
    const [list, , update] = await attack(mallory, 'mallory-attack', aliceItem);
    assert.deepEqual(list.workItems, [], 'items are scoped by tenant as well as conversation');
    assert.equal(update.ok, false);
    const seen = script.finished.get('mallory-attack')!.messages.map(contentOf).join('\n');
    assert.ok(!seen.includes('alice-'), "alice's turns are not in mallory's prompt");
    assert.ok(!seen.includes('Alice secret merger plan'), "nor are the tool results alice's turns saw");
  });

  it("bob's history never reaches alice's model prompt and the other way round", () => {
    for (const request of bot.model.requests) {
      const text = request.messages.map(contentOf).join('\n');
      if (text.includes('bob-')) assert.ok(!text.includes('alice-create'), 'no alice turn in a bob prompt');
      if (text.includes('alice-')) assert.ok(!text.includes('bob-create'), 'no bob turn in an alice prompt');
    }
  });

  it("bob cannot attach feedback to alice's answer; his feedback is kept in his own scope", async () => {
    const feedbackStore = new SqliteFeedbackStore(db);
    const aliceAnswer = await feedbackStore.latestAnswer(alice);
    assert.ok(aliceAnswer, 'alice got an answer that was recorded');
    const response = await bot.post(
      feedbackFrom(bob, {
        reaction: 'dislike',
        comment: 'bob rates alice',
        replyToId: aliceAnswer.messageId,
      }),
    );
    assert.equal(response.status, 200);
    const stored = (await feedbackStore.list(100)).find((entry) => entry.comment === 'bob rates alice');
    assert.ok(stored);
    assert.equal(stored.tenantId, bob.tenantId);
    assert.equal(stored.conversationId, bob.conversationId);
    assert.equal(stored.linked, false, "not tied to alice's answer (the message id bob named is only kept)");
    assert.equal(stored.answer, undefined, "alice's question and answer are not joined to bob's feedback");
  });
});

function hasCard(activity: { body: { attachments?: Array<{ contentType: string }> } }): boolean {
  return (activity.body.attachments ?? []).some(
    (attachment) =>
      attachment.contentType === 'application/vnd.microsoft.card.adaptive' &&
      JSON.stringify(attachment).includes('Action.Execute'),
  );
}
