import { strict as assert } from 'node:assert';
import { ToolError } from '../../src/shared/errors';
import {
  openDatabase,
  type WorkItemStore,
  type Db,
  type WorkItem,
  SqliteWorkItemStore,
} from '../../src/storage';
import {
  closeWorkItemsTool,
  createWorkItemTool,
  findWorkItemsTool,
  updateWorkItemTool,
  type ConfirmationRequest,
  type ItemChange,
  type Tool,
  type ToolContext,
} from '../../src/tools';

/** A tool context that records what the tools asked of the turn, as one turn would. */
interface RecordingContext extends ToolContext {
  sources: Parameters<ToolContext['addSource']>[0][];
  /** The confirmations the tools asked for, in order. */
  confirmations: ConfirmationRequest[];
  /** The work items the turn created. */
  created: Set<string>;
}

function toolContext(conversationId = 'a:1', userName: string | undefined = 'Dana Scully'): RecordingContext {
  const sources: RecordingContext['sources'] = [];
  const confirmations: ConfirmationRequest[] = [];
  const created = new Set<string>();
  return {
    scope: { tenantId: 'tenant-a', conversationId },
    userId: 'aad-dana',
    userName,
    conversationType: 'personal',
    sources,
    confirmations,
    created,
    noteCreatedWorkItem: (id) => created.add(id),
    createdThisTurn: (id) => created.has(id),
    requestConfirmation(request) {
      confirmations.push(request);
      return `confirmation-${confirmations.length}`;
    },
    addSource(source) {
      sources.push(source);
      return sources.length;
    },
  };
}

async function runForWorkItem(
  tool: Tool,
  args: Record<string, unknown>,
  context: ToolContext,
): Promise<WorkItem> {
  const result = await tool.run(args, context);
  assert.equal(result.ok, true);
  return result.workItem as WorkItem;
}

async function runForWorkItems(
  tool: Tool,
  args: Record<string, unknown>,
  context: ToolContext,
): Promise<string[]> {
  const result = await tool.run(args, context);
  assert.equal(result.ok, true);
  return (result.workItems as WorkItem[]).map((item) => item.title);
}

/**
 * Asserts that running the tool fails with a ToolError of `tool` whose message matches `message`. The call is
 * wrapped in an async function so that a synchronous throw counts too (toolActions awaits run in a try).
 */
async function rejectsWithToolError(
  run: () => Promise<unknown>,
  tool: string,
  message: RegExp,
): Promise<void> {
  await assert.rejects(
    async () => run(),
    (error: unknown) => {
      assert.ok(error instanceof ToolError, `expected a ToolError, got ${String(error)}`);
      assert.equal(error.tool, tool);
      assert.match(error.message, message);
      return true;
    },
  );
}

describe('work item tools', () => {
  let db: Db;
  let store: WorkItemStore;
  let create: Tool;
  let find: Tool;
  let update: Tool;
  let context: RecordingContext;

  beforeEach(() => {
    db = openDatabase({ file: ':memory:' });
    store = new SqliteWorkItemStore(db);
    create = createWorkItemTool(store);
    find = findWorkItemsTool(store);
    update = updateWorkItemTool(store);
    context = toolContext();
  });

  afterEach(() => {
    db.close();
  });

  describe('create_work_item', () => {
    it('creates the item in the conversation, by the user who asked, with defaults for what is left out', async () => {
      const item = await runForWorkItem(create, { title: '  Renew the VPN certificate ' }, context);
      assert.equal(item.title, 'Renew the VPN certificate');
      assert.equal(item.status, 'new');
      assert.equal(item.description, '');
      assert.equal(item.assignee, null);
      assert.equal(item.dueDate, null);
      assert.equal(item.createdBy, 'Dana Scully');
      assert.deepEqual(await store.get(context.scope, item.id), item);
    });

    it('stores the asking user’s name for the assignee "me", whatever its case', async () => {
      const mine = await runForWorkItem(create, { title: 'Mine', assignee: 'me' }, context);
      const alsoMine = await runForWorkItem(create, { title: 'Also mine', assignee: ' ME ' }, context);
      assert.equal(mine.assignee, 'Dana Scully');
      assert.equal(alsoMine.assignee, 'Dana Scully');
    });

    it('stores another assignee as given', async () => {
      const item = await runForWorkItem(
        create,
        {
          title: 'Theirs',
          assignee: 'Fox Mulder',
          status: 'active',
          dueDate: '2026-02-28',
          description: 'Soon',
        },
        context,
      );
      assert.deepEqual(
        {
          assignee: item.assignee,
          status: item.status,
          dueDate: item.dueDate,
          description: item.description,
        },
        { assignee: 'Fox Mulder', status: 'active', dueDate: '2026-02-28', description: 'Soon' },
      );
    });

    it('registers no citation source', async () => {
      await create.run({ title: 'x' }, context);
      assert.deepEqual(context.sources, []);
    });
  });

  describe('find_work_items', () => {
    beforeEach(async () => {
      await create.run({ title: 'Renew VPN certificate', assignee: 'me', status: 'active' }, context);
      await create.run(
        { title: 'Order laptops', description: 'For the VPN pilot', assignee: 'Fox Mulder' },
        context,
      );
      await create.run({ title: 'Book the offsite', assignee: 'me' }, context);
      await create.run({ title: 'VPN in another chat', assignee: 'me' }, toolContext('a:2'));
    });

    it('lists the conversation’s items, newest first, without filters', async () => {
      assert.deepEqual(await runForWorkItems(find, {}, context), [
        'Book the offsite',
        'Order laptops',
        'Renew VPN certificate',
      ]);
    });

    it('filters by words in the title or description', async () => {
      assert.deepEqual(await runForWorkItems(find, { query: 'vpn' }, context), [
        'Order laptops',
        'Renew VPN certificate',
      ]);
    });

    it('filters by status', async () => {
      assert.deepEqual(await runForWorkItems(find, { status: 'active' }, context), ['Renew VPN certificate']);
    });

    it('filters by assignee, "me" meaning the user who asked', async () => {
      assert.deepEqual(await runForWorkItems(find, { assignee: 'me' }, context), [
        'Book the offsite',
        'Renew VPN certificate',
      ]);
      assert.deepEqual(await runForWorkItems(find, { assignee: 'fox mulder' }, context), ['Order laptops']);
    });

    it('combines filters', async () => {
      assert.deepEqual(await runForWorkItems(find, { assignee: 'me', query: 'VPN' }, context), [
        'Renew VPN certificate',
      ]);
    });

    it('treats blank filters as absent', async () => {
      assert.equal((await runForWorkItems(find, { query: '  ', assignee: '' }, context)).length, 3);
    });
  });

  describe('update_work_item', () => {
    /** An item of the conversation that an earlier turn (or another person) created. */
    let existing: WorkItem;

    beforeEach(async () => {
      existing = await store.create(context.scope, {
        title: 'Renew VPN certificate',
        assignee: 'Fox Mulder',
        dueDate: '2026-01-31',
      });
    });

    it('changes nothing on an item this turn did not create: it asks to confirm exactly what would change', async () => {
      const result = await update.run(
        { id: existing.id, title: 'PWNED', assignee: 'Mallory', status: 'resolved', dueDate: '2026-03-01' },
        context,
      );
      assert.equal(result.ok, true);
      assert.equal(result.confirmationRequired, true);
      assert.equal(result.confirmationId, 'confirmation-1');
      assert.match(String(result.status), /NOTHING HAS CHANGED YET/);
      assert.match(String(result.status), /awaiting the user's confirmation/);
      assert.equal(result.workItem, undefined, 'no updated item is handed back');
      assert.deepEqual(result.wouldChange, {
        id: existing.id,
        title: 'Renew VPN certificate',
        changes: [
          { field: 'title', from: 'Renew VPN certificate', to: 'PWNED' },
          { field: 'status', from: 'new', to: 'resolved' },
          { field: 'assignee', from: 'Fox Mulder', to: 'Mallory' },
          { field: 'dueDate', from: '2026-01-31', to: '2026-03-01' },
        ],
      });
      assert.deepEqual(context.confirmations, [
        {
          changes: [
            {
              id: existing.id,
              title: 'Renew VPN certificate',
              fields: [
                { field: 'title', before: 'Renew VPN certificate', after: 'PWNED' },
                { field: 'status', before: 'new', after: 'resolved' },
                { field: 'assignee', before: 'Fox Mulder', after: 'Mallory' },
                { field: 'dueDate', before: '2026-01-31', after: '2026-03-01' },
              ],
            },
          ],
        },
      ]);
      assert.deepEqual(await store.get(context.scope, existing.id), existing, 'nothing changed');
    });

    for (const [field, value] of [
      ['title', 'Renamed'],
      ['description', 'New text'],
      ['status', 'active'],
      ['status', 'closed'],
      ['assignee', 'Walter Skinner'],
      ['assignee', 'me'],
      ['dueDate', '2026-06-30'],
    ] as const) {
      it(`waits for a confirmation to set ${field} to "${value}" on an existing item`, async () => {
        const result = await update.run({ id: existing.id, [field]: value }, context);
        assert.equal(result.confirmationRequired, true);
        assert.equal(context.confirmations.length, 1);
        assert.deepEqual(
          context.confirmations[0]?.changes[0]?.fields.map((change) => change.field),
          [field],
        );
        assert.deepEqual(await store.get(context.scope, existing.id), existing);
      });
    }

    it('applies the recorded change only when confirmed (applyConfirmed), exactly as recorded', async () => {
      await update.run({ id: existing.id, title: 'Renew the VPN certificate', status: 'active' }, context);
      const [request] = context.confirmations;
      assert.ok(request && update.applyConfirmed);
      const results = await update.applyConfirmed(request.changes, {
        scope: context.scope,
        userId: 'aad-dana',
      });
      assert.deepEqual(
        results.map((entry) => entry.result),
        ['applied'],
      );
      const after = await store.get(context.scope, existing.id);
      assert.equal(after?.title, 'Renew the VPN certificate');
      assert.equal(after?.status, 'active');
      assert.equal(after?.assignee, 'Fox Mulder', 'fields not in the change are kept');
    });

    it('does not apply a confirmed change over a value someone changed in the meantime, or elsewhere', async () => {
      await update.run({ id: existing.id, status: 'resolved' }, context);
      const changes: ItemChange[] = context.confirmations[0].changes;
      assert.ok(update.applyConfirmed);
      const otherConversation = { tenantId: 'tenant-a', conversationId: 'a:2' };
      const elsewhere = await update.applyConfirmed(changes, {
        scope: otherConversation,
        userId: 'aad-dana',
      });
      assert.deepEqual(
        elsewhere.map((entry) => entry.result),
        ['missing'],
      );
      await store.update(context.scope, existing.id, { status: 'active' });
      const stale = await update.applyConfirmed(changes, { scope: context.scope, userId: 'aad-dana' });
      assert.deepEqual(
        stale.map((entry) => entry.result),
        ['changedSince'],
      );
      assert.equal((await store.get(context.scope, existing.id))?.status, 'active');
    });

    it('changes an item created earlier in the same turn directly, and asks nothing', async () => {
      const mine = await runForWorkItem(create, { title: 'Draft' }, context);
      const updated = await runForWorkItem(
        update,
        { id: mine.id, title: 'Final', status: 'resolved', assignee: 'me' },
        context,
      );
      assert.equal(updated.title, 'Final');
      assert.equal(updated.status, 'resolved');
      assert.equal(updated.assignee, 'Dana Scully');
      assert.deepEqual(await store.get(context.scope, mine.id), updated);
      const closed = await runForWorkItem(update, { id: mine.id, status: 'closed' }, context);
      assert.equal(closed.status, 'closed');
      assert.deepEqual(context.confirmations, []);
    });

    it('an item created in an earlier turn of the same user is not "created this turn"', async () => {
      const earlierTurn = toolContext();
      const earlier = await runForWorkItem(create, { title: 'Yesterday' }, earlierTurn);
      const result = await update.run({ id: earlier.id, status: 'active' }, context);
      assert.equal(result.confirmationRequired, true);
      assert.equal((await store.get(context.scope, earlier.id))?.status, 'new');
    });

    it('accepts the id as the model may write it', async () => {
      const mine = await runForWorkItem(create, { title: 'Mine' }, context);
      const key = mine.id.replace('WI-', '');
      assert.equal((await runForWorkItem(update, { id: key, status: 'active' }, context)).status, 'active');
      assert.equal(
        (await runForWorkItem(update, { id: `wi-${key}`, status: 'closed' }, context)).status,
        'closed',
      );
      const result = await update.run({ id: existing.id.toLowerCase(), status: 'active' }, context);
      assert.equal(result.confirmationRequired, true, 'another spelling of an existing id still waits');
    });

    it('says so, and asks nothing, when the item already has the values', async () => {
      const result = await update.run({ id: existing.id, assignee: 'Fox Mulder', status: 'new' }, context);
      assert.equal(result.unchanged, true);
      assert.deepEqual(context.confirmations, []);
    });

    it('refuses an invalid value before asking anyone to confirm it', async () => {
      await assert.rejects(() => update.run({ id: existing.id, dueDate: '2026-02-30' }, context), /due date/);
      assert.deepEqual(context.confirmations, []);
    });

    it('throws a ToolError naming an unknown id', async () => {
      await rejectsWithToolError(
        () => update.run({ id: 'WI-999', status: 'active' }, context),
        'update_work_item',
        /WI-999/,
      );
    });

    it('throws a ToolError when there is nothing to change', async () => {
      await rejectsWithToolError(
        () => update.run({ id: existing.id }, context),
        'update_work_item',
        /nothing to change/,
      );
      await rejectsWithToolError(
        () => update.run({ id: existing.id, title: '   ', assignee: '' }, context),
        'update_work_item',
        /nothing to change/,
      );
      assert.deepEqual(await store.get(context.scope, existing.id), existing);
    });

    it('does not find an item of another conversation, and leaves it unchanged', async () => {
      const elsewhere = toolContext('a:2');
      await rejectsWithToolError(
        () => update.run({ id: existing.id, status: 'closed' }, elsewhere),
        'update_work_item',
        new RegExp(`work item ${existing.id} was not found`),
      );
      assert.deepEqual(elsewhere.confirmations, []);
      assert.equal((await store.get(context.scope, existing.id))?.status, 'new');
    });

    it('does not find an item of another tenant with the same conversation id', async () => {
      const otherTenant: RecordingContext = {
        ...toolContext(),
        scope: { tenantId: 'tenant-b', conversationId: 'a:1' },
      };
      await rejectsWithToolError(
        () => update.run({ id: existing.id, status: 'closed' }, otherTenant),
        'update_work_item',
        /not found/,
      );
      assert.equal((await store.get(context.scope, existing.id))?.status, 'new');
    });
  });

  describe('close_work_items', () => {
    it('asks to confirm closing, as a status change per item, and closes nothing itself', async () => {
      const first = await store.create(context.scope, { title: 'One' });
      const second = await store.create(context.scope, { title: 'Two', status: 'active' });
      const close = closeWorkItemsTool(store);
      const result = await close.run({ ids: [first.id, second.id] }, context);
      assert.equal(result.confirmationRequired, true);
      assert.deepEqual(context.confirmations[0]?.changes, [
        { id: first.id, title: 'One', fields: [{ field: 'status', before: 'new', after: 'closed' }] },
        { id: second.id, title: 'Two', fields: [{ field: 'status', before: 'active', after: 'closed' }] },
      ]);
      assert.equal((await store.get(context.scope, first.id))?.status, 'new');
      assert.ok(close.applyConfirmed);
      await close.applyConfirmed(context.confirmations[0].changes, {
        scope: context.scope,
        userId: 'aad-dana',
      });
      assert.equal((await store.get(context.scope, first.id))?.status, 'closed');
      assert.equal((await store.get(context.scope, second.id))?.status, 'closed');
    });
  });
});
