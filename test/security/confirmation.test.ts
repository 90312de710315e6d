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
  facts?: Array<{ title: string; value: string }>;
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

/** The card's text, a line per TextBlock and per fact ("title: value"). */
function cardText(card: Card): string {
  return card.body
    .flatMap((element) =>
      element.type === 'FactSet'
        ? (element.facts ?? []).map((fact) => `${fact.title}: ${fact.value}`)
        : [element.text ?? ''],
    )
    .join('\n');
}

describe('changes to existing work items wait for the requester to confirm on an Adaptive Card', function () {
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
    for (const id of ids) assert.match(text, new RegExp(`${id} "batch-one[^"]+"\nStatus: new → closed`));
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
    for (const id of ids)
      assert.match(cardText(result), new RegExp(`${id} "batch-two [^"]+": changed\nStatus: new → closed`));
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

  describe('update_work_item: rename, reassign, status, due date', () => {
    /** Sends `text` from `sender` and waits for the confirmation card; returns it and its confirmation id. */
    async function askForCard(
      sender: Sender,
      text: string,
      extra: Record<string, unknown> = {},
    ): Promise<{ card: Card; confirmationId: string; activityChannel: string | undefined }> {
      const cards = () => confirmationCards(bot.connector.forConversation(sender.conversationId));
      const before = cards().length;
      await postAndWaitForAnswer(
        bot,
        { ...messageFrom(sender, text), ...extra },
        {
          until: () => cards().length > before,
        },
      );
      const { card, activityId } = cards().at(-1)!;
      const activity = bot.connector
        .forConversation(sender.conversationId)
        .find((candidate) => (candidate.body.id ?? '') === activityId);
      return {
        card,
        confirmationId: card.actions?.[0]?.data?.confirmationId ?? '',
        activityChannel: activity?.body.channelId,
      };
    }

    async function itemsOf(where: WorkItemScope, ids: string[]) {
      return Promise.all(ids.map(async (id) => store.get(where, id)));
    }

    /** Two items someone else created earlier, and a plan that renames, reassigns and resolves both. */
    async function plantTakeover(marker: string, where: WorkItemScope = scope): Promise<string[]> {
      const ids = [
        (await store.create(where, { title: `${marker} payroll`, assignee: 'Dana', createdBy: 'Dana' })).id,
        (await store.create(where, { title: `${marker} backups`, dueDate: '2026-09-30', createdBy: 'Dana' }))
          .id,
      ];
      script.plan(
        marker,
        ids.map((id, index) => ({
          name: 'update_work_item',
          arguments: {
            id,
            title: `PWNED ${index + 1}`,
            assignee: 'Mallory',
            status: 'resolved',
            ...(index === 1 ? { dueDate: '2026-01-01' } : {}),
          },
        })),
      );
      return ids;
    }

    it('a model-driven rename + reassign + status change of two items produces one card and changes nothing', async () => {
      const ids = await plantTakeover('takeover-one');
      const untouched = await itemsOf(scope, ids);
      const { card } = await askForCard(requester, 'takeover-one: tidy up');
      assert.deepEqual(await itemsOf(scope, ids), untouched, 'nothing changed before Confirm');

      const text = cardText(card);
      assert.match(text, /^Change 2 work item\(s\)\?\nNothing changes until you press Confirm/);
      assert.ok(
        text.includes(
          [
            `${ids[0]} "takeover-one payroll"`,
            'Title: takeover-one payroll → PWNED 1',
            'Status: new → resolved',
            'Assigned to: Dana → Mallory',
            `${ids[1]} "takeover-one backups"`,
            'Title: takeover-one backups → PWNED 2',
            'Status: new → resolved',
            'Assigned to: (none) → Mallory',
            'Due date: 2026-09-30 → 2026-01-01',
          ].join('\n'),
        ),
        text,
      );
      for (const action of card.actions ?? []) {
        assert.deepEqual(Object.keys(action.data ?? {}).sort(), ['confirmationId', 'decision'], 'only an id');
      }
      const results = script.resultsOf('takeover-one');
      assert.equal(results.length, 2);
      for (const result of results) {
        assert.equal(result.confirmationRequired, true);
        assert.match(String(result.status), /NOTHING HAS CHANGED YET.*awaiting the user's confirmation/);
        assert.equal(result.workItem, undefined);
      }
      assert.equal(results[0]?.confirmationId, results[1]?.confirmationId, 'one confirmation for the turn');
    });

    it('Confirm by the requester applies exactly the recorded change, whatever else the button data says', async () => {
      const ids = await plantTakeover('takeover-two');
      const bystander = (await store.create(scope, { title: 'takeover-two bystander' })).id;
      const { confirmationId } = await askForCard(requester, 'takeover-two: tidy up');

      const refused = await press(colleague, confirmationId, 'confirm');
      assert.match(refused.value as string, /Only the person who asked/);
      assert.deepEqual(
        (await itemsOf(scope, ids)).map((item) => item?.title),
        ['takeover-two payroll', 'takeover-two backups'],
        "another user's Confirm changed nothing",
      );

      // A forged button payload naming other items and values: only the recorded change is applied.
      const response = await bot.post(
        cardActionFrom(requester, {
          verb: CONFIRMATION_VERB,
          data: {
            confirmationId,
            decision: 'confirm',
            changes: [{ id: bystander, fields: [{ field: 'title', before: null, after: 'FORGED' }] }],
            title: 'FORGED',
            ids: [bystander],
          },
        }),
      );
      const applied = JSON.parse(response.body) as InvokeAnswer;
      const outcome = cardText(applied.value as Card);
      assert.match(outcome, /^Change 2 work item\(s\)\?\nDone: the change was applied\./);
      assert.match(
        outcome,
        new RegExp(`${ids[0]} "takeover-two payroll": changed\nTitle: takeover-two payroll → PWNED 1`),
      );
      const [first, second] = await itemsOf(scope, ids);
      assert.deepEqual(
        [first?.title, first?.assignee, first?.status, first?.dueDate],
        ['PWNED 1', 'Mallory', 'resolved', null],
      );
      assert.deepEqual(
        [second?.title, second?.assignee, second?.status, second?.dueDate],
        ['PWNED 2', 'Mallory', 'resolved', '2026-01-01'],
      );
      assert.equal(
        (await store.get(scope, bystander))?.title,
        'takeover-two bystander',
        'the forged part is ignored',
      );

      const again = await press(requester, confirmationId, 'confirm');
      assert.match(cardText(again.value as Card), /no longer pending/);
    });

    it('Cancel discards the change: nothing changes, and a later Confirm does nothing', async () => {
      const ids = await plantTakeover('takeover-three');
      const untouched = await itemsOf(scope, ids);
      const { confirmationId } = await askForCard(requester, 'takeover-three: tidy up');
      const cancelled = await press(requester, confirmationId, 'cancel');
      assert.match(cardText(cancelled.value as Card), /Cancelled: nothing was changed/);
      const late = await press(requester, confirmationId, 'confirm');
      assert.match(cardText(late.value as Card), /no longer pending/);
      assert.deepEqual(await itemsOf(scope, ids), untouched);
    });

    it('two presses of Confirm at once apply the change once', async () => {
      const ids = await plantTakeover('takeover-four');
      const { confirmationId } = await askForCard(requester, 'takeover-four: tidy up');
      const answers = await Promise.all([
        press(requester, confirmationId, 'confirm'),
        press(requester, confirmationId, 'confirm'),
      ]);
      const outcomes = answers.map((answer) => cardText(answer.value as Card));
      assert.equal(
        outcomes.filter((text) => /Done: the change was applied/.test(text)).length,
        1,
        outcomes.join('\n---\n'),
      );
      assert.equal(outcomes.filter((text) => /no longer pending/.test(text)).length, 1);
      assert.equal((await store.get(scope, ids[0]))?.title, 'PWNED 1');
    });

    it('does not overwrite a change someone made after the card was sent', async () => {
      const ids = await plantTakeover('takeover-five');
      const { confirmationId } = await askForCard(requester, 'takeover-five: tidy up');
      await store.update(scope, ids[0], { status: 'active' });
      const answer = await press(requester, confirmationId, 'confirm');
      const outcome = cardText(answer.value as Card);
      assert.match(outcome, /Partly done/);
      assert.match(
        outcome,
        new RegExp(`${ids[0]} "takeover-five payroll": skipped, it was changed in the meantime`),
      );
      const [first, second] = await itemsOf(scope, ids);
      assert.deepEqual([first?.title, first?.status], ['takeover-five payroll', 'active']);
      assert.equal(second?.title, 'PWNED 2');
    });

    it('changes an item the requester created earlier in the same turn directly, with no card', async () => {
      script.planDynamic('fresh-item', (results) => {
        if (results.length === 0) return { name: 'create_work_item', arguments: { title: 'Fresh draft' } };
        const id = (results[0]?.workItem as { id?: string } | undefined)?.id;
        if (results.length === 1 && id) {
          return { name: 'update_work_item', arguments: { id, title: 'Fresh final', status: 'active' } };
        }
        return undefined;
      });
      const cardsBefore = confirmationCards(bot.connector.forConversation(TEAM_CHAT)).length;
      await postAndWaitForAnswer(bot, messageFrom(requester, 'fresh-item: create and start it'));
      const [, updated] = script.resultsOf('fresh-item');
      assert.equal(updated?.confirmationRequired, undefined);
      const item = updated?.workItem as { id: string; title: string; status: string };
      assert.deepEqual([item.title, item.status], ['Fresh final', 'active']);
      assert.equal((await store.get(scope, item.id))?.title, 'Fresh final');
      assert.equal(
        confirmationCards(bot.connector.forConversation(TEAM_CHAT)).length,
        cardsBefore,
        'no card',
      );
    });

    it("shows the card in the user's language", async () => {
      const ids = await plantTakeover('takeover-six');
      const { card } = await askForCard(requester, 'takeover-six: aufräumen', { locale: 'de-DE' });
      const text = cardText(card);
      assert.match(text, /^2 Arbeitselement\(e\) ändern\?/);
      assert.ok(text.includes('Titel: takeover-six payroll → PWNED 1'), text);
      assert.ok(text.includes('Zugewiesen an: (keine Angabe) → Mallory'), text);
      assert.deepEqual(
        card.actions?.map((action) => action.title),
        ['Bestätigen', 'Abbrechen'],
      );
      assert.equal((await store.get(scope, ids[0]))?.title, 'takeover-six payroll');
    });

    it('works the same in Microsoft 365 Copilot Chat (msteams:Copilot)', async () => {
      const copilotUser: Sender = {
        tenantId: TENANT,
        conversationId: 'copilot-chat',
        userId: 'aad-alex',
        channelId: 'msteams:Copilot',
      };
      const copilotScope: WorkItemScope = { tenantId: TENANT, conversationId: 'copilot-chat' };
      const ids = await plantTakeover('takeover-copilot', copilotScope);
      const { confirmationId, activityChannel } = await askForCard(copilotUser, 'takeover-copilot: tidy up');
      assert.equal(activityChannel, 'msteams:Copilot');
      assert.equal((await store.get(copilotScope, ids[0]))?.title, 'takeover-copilot payroll');
      const stranger = await press({ ...copilotUser, userId: 'aad-dana' }, confirmationId, 'confirm');
      assert.match(stranger.value as string, /Only the person who asked/);
      const applied = await press(copilotUser, confirmationId, 'confirm');
      assert.match(cardText(applied.value as Card), /Done: the change was applied/);
      assert.equal((await store.get(copilotScope, ids[0]))?.title, 'PWNED 1');
    });

    it('the built-in offline model: "rename WI-n to X and assign it to Y" gets an answer saying so, and a card', async () => {
      const item = await store.create(scope, { title: 'Offline rename' });
      const { card } = await askForCard(
        requester,
        `rename ${item.id} to Offline renamed and assign it to Eve`,
      );
      const sent = bot.connector.forConversation(TEAM_CHAT);
      const answer = sent.filter((activity) => activity.body.text).at(-1)?.body.text ?? '';
      assert.match(answer, /Nothing has changed yet: press \*\*Confirm\*\*/);
      assert.ok(cardText(card).includes('Title: Offline rename → Offline renamed'), cardText(card));
      assert.equal((await store.get(scope, item.id))?.title, 'Offline rename');
    });
  });
});
