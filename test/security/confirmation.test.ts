import { strict as assert } from 'node:assert';
import path from 'node:path';
import { CONFIRMATION_VERB } from '../../src/turn/cards';
import { openDatabase, SqliteWorkItemStore, type Db, type WorkItemScope } from '../../src/storage';
import { systemClock, type Clock } from '../../src/shared/time';
import { postAndWaitForAnswer } from '../support/answers';
import type { ReceivedActivity } from '../support/fakeBotConnector';
import { cardActionFrom, messageFrom, type Sender } from '../support/teamsActivities';
import { startTestBot, type TestBot } from '../support/testBot';
import { ToolScript } from '../support/toolScript';

const TENANT = 'tenant-ops';
const TEAM_CHAT = 'ops-team-chat';
const requester: Sender = {
  tenantId: TENANT,
  conversationId: TEAM_CHAT,
  userId: 'aad-alex',
  conversationType: 'groupChat',
};
const colleague: Sender = { ...requester, userId: 'aad-dana' };
const scope: WorkItemScope = { tenantId: TENANT, conversationId: TEAM_CHAT };

interface CardElement {
  type: string;
  text?: string;
  verb?: string;
  title?: string;
  data?: { confirmationId?: string; decision?: string };
}
interface Card {
  type: string;
  body: CardElement[];
  actions?: CardElement[];
}
interface InvokeAnswer {
  statusCode: number;
  type: string;
  value: Card | string;
}

/** The confirmation cards the bot sent to a conversation. */
function confirmationCards(activities: ReceivedActivity[]): Array<{ activityId: string; card: Card }> {
  return activities.flatMap((activity) =>
    (activity.body.attachments ?? [])
      .map((attachment) => attachment.content as Card)
      .filter((card) => card.actions?.some((action) => action.verb === CONFIRMATION_VERB))
      .map((card) => ({ activityId: activity.body.id ?? '', card })),
  );
}

function cardText(card: Card): string {
  return card.body.map((element) => element.text ?? '').join('\n');
}

describe('destructive changes wait for the requester to confirm on an Adaptive Card', function () {
  this.timeout(90000);
  const script = new ToolScript();
  let offsetMs = 0;
  const clock: Clock = { now: () => systemClock.now() + offsetMs, sleep: (ms) => systemClock.sleep(ms) };
  let bot: TestBot;
  let db: Db;
  let store: SqliteWorkItemStore;

  before(async () => {
    bot = await startTestBot({ model: { script: script.reply }, clock });
    db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });
    store = new SqliteWorkItemStore(db);
  });
  after(async () => {
    db.close();
    await bot.close();
  });
  afterEach(() => {
    offsetMs = 0;
  });

  async function statuses(ids: string[]): Promise<string[]> {
    return Promise.all(ids.map(async (id) => (await store.get(scope, id))?.status ?? 'missing'));
  }

  /** Seeds items, has the requester ask to close them, and returns the card that came back. */
  async function requestClosing(
    marker: string,
    titles: string[],
  ): Promise<{ ids: string[]; confirmationId: string; card: Card }> {
    const ids: string[] = [];
    for (const title of titles) ids.push((await store.create(scope, { title: `${marker} ${title}` })).id);
    script.plan(marker, [{ name: 'close_work_items', arguments: { query: marker } }]);
    const before = confirmationCards(bot.connector.forConversation(TEAM_CHAT)).length;
    await postAndWaitForAnswer(bot, messageFrom(requester, `${marker}: close all of these`), {
      until: () => confirmationCards(bot.connector.forConversation(TEAM_CHAT)).length > before,
    });
    const { card } = confirmationCards(bot.connector.forConversation(TEAM_CHAT)).at(-1)!;
    const confirmationId = card.actions?.[0]?.data?.confirmationId ?? '';
    return { ids, confirmationId, card };
  }

  async function press(
    sender: Sender,
    confirmationId: string,
    decision: 'confirm' | 'cancel',
  ): Promise<InvokeAnswer> {
    const response = await bot.post(
      cardActionFrom(sender, { verb: CONFIRMATION_VERB, data: { confirmationId, decision } }),
    );
    assert.equal(response.status, 200);
    return JSON.parse(response.body) as InvokeAnswer;
  }

  it('lists exactly what will change, changes nothing before Confirm, and tells the model so', async () => {
    const { ids, card } = await requestClosing('batch-one', ['Rotate keys', 'Patch servers']);
    assert.deepEqual(await statuses(ids), ['new', 'new'], 'nothing closed yet');
    const text = cardText(card);
    assert.match(text, /Close 2 work item\(s\)\?/);
    for (const id of ids) assert.match(text, new RegExp(`${id} "batch-one`));
    assert.deepEqual(
      card.actions?.map((action) => [action.title, action.data?.decision]),
      [
        ['Confirm', 'confirm'],
        ['Cancel', 'cancel'],
      ],
    );
    const [result] = script.resultsOf('batch-one');
    assert.equal(result.confirmationRequired, true);
    assert.match(String(result.status), /NOTHING HAS CHANGED YET/);
  });

  it("refuses another user's Confirm and applies the requester's, once", async () => {
    const { ids, confirmationId } = await requestClosing('batch-two', ['Renew certificate', 'Update wiki']);

    const refused = await press(colleague, confirmationId, 'confirm');
    assert.equal(refused.type, 'application/vnd.microsoft.activity.message');
    assert.equal(typeof refused.value, 'string', 'a message, and the card stays as it was');
    assert.match(refused.value as string, /Only the person who asked/);
    assert.deepEqual(await statuses(ids), ['new', 'new'], "the colleague's press changed nothing");

    const applied = await press(requester, confirmationId, 'confirm');
    assert.equal(
      applied.type,
      'application/vnd.microsoft.card.adaptive',
      'the card is replaced by the outcome',
    );
    const result = applied.value as Card;
    assert.match(cardText(result), /Done/);
    for (const id of ids) assert.match(cardText(result), new RegExp(`${id} .*closed`));
    assert.equal(result.actions, undefined, 'the outcome card has no buttons left');
    assert.deepEqual(await statuses(ids), ['closed', 'closed']);

    const again = await press(requester, confirmationId, 'confirm');
    assert.match(cardText(again.value as Card), /no longer pending/);
  });

  it('Cancel drops the request: nothing changes, and a later Confirm of it does nothing', async () => {
    const { ids, confirmationId } = await requestClosing('batch-three', ['Archive logs']);
    const cancelled = await press(requester, confirmationId, 'cancel');
    assert.match(cardText(cancelled.value as Card), /Cancelled: nothing was changed/);
    const late = await press(requester, confirmationId, 'confirm');
    assert.match(cardText(late.value as Card), /no longer pending/);
    assert.deepEqual(await statuses(ids), ['new']);
  });

  it('refuses a Confirm after the request expired (10 minutes)', async () => {
    const { ids, confirmationId } = await requestClosing('batch-four', ['Clean backups']);
    offsetMs = 10 * 60 * 1000 + 1000;
    const expired = await press(requester, confirmationId, 'confirm');
    assert.match(cardText(expired.value as Card), /expired: nothing was changed/);
    assert.deepEqual(await statuses(ids), ['new']);
  });

  it('a pending confirmation cannot be confirmed from another tenant using the same conversation id', async () => {
    const { ids, confirmationId } = await requestClosing('batch-five', ['Review budget']);
    const outsider: Sender = { ...requester, tenantId: 'tenant-elsewhere' };
    const answer = await press(outsider, confirmationId, 'confirm');
    assert.match(cardText(answer.value as Card), /no longer pending/);
    assert.deepEqual(await statuses(ids), ['new']);
    // The requester can still confirm it in the right tenant.
    await press(requester, confirmationId, 'confirm');
    assert.deepEqual(await statuses(ids), ['closed']);
  });
  it('the built-in offline model plans the same: "close WI-a and WI-b" gets an answer and a card', async () => {
    const first = await store.create(scope, { title: 'Offline one' });
    const second = await store.create(scope, { title: 'Offline two' });
    const before = confirmationCards(bot.connector.forConversation(TEAM_CHAT)).length;
    await postAndWaitForAnswer(bot, messageFrom(requester, `close ${first.id} and ${second.id}`), {
      until: () => confirmationCards(bot.connector.forConversation(TEAM_CHAT)).length > before,
    });
    const sent = bot.connector.forConversation(TEAM_CHAT);
    const answer = sent.filter((activity) => activity.body.text).at(-1)?.body.text ?? '';
    assert.match(answer, /Nothing has changed yet/);
    const { card } = confirmationCards(sent).at(-1)!;
    assert.match(cardText(card), new RegExp(`${first.id} "Offline one"`));
    assert.deepEqual(await statuses([first.id, second.id]), ['new', 'new']);
  });
});
