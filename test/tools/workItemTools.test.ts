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
  createWorkItemTool,
  findWorkItemsTool,
  updateWorkItemTool,
  type Tool,
  type ToolContext,
} from '../../src/tools';

interface RecordingContext extends ToolContext {
  sources: Parameters<ToolContext['addSource']>[0][];
}

function toolContext(conversationId = 'a:1', userName: string | undefined = 'Dana Scully'): RecordingContext {
  const sources: RecordingContext['sources'] = [];
  return {
    scope: { tenantId: 'tenant-a', conversationId },
    userId: 'aad-dana',
    userName,
    conversationType: 'personal',
    sources,
    claimDirectClose: () => true,
    requestConfirmation() {
      throw new Error('these tools never ask for a confirmation');
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
    let item: WorkItem;

    beforeEach(async () => {
      item = await runForWorkItem(create, { title: 'Renew VPN certificate' }, context);
    });

    it('closes one item directly, but refuses a second direct close in the same turn', async () => {
      let claims = 0;
      const turn: ToolContext = { ...context, claimDirectClose: () => ++claims === 1 };
      const other = await runForWorkItem(create, { title: 'Second item' }, context);
      assert.equal((await runForWorkItem(update, { id: item.id, status: 'closed' }, turn)).status, 'closed');
      await rejectsWithToolError(
        () => update.run({ id: other.id, status: 'closed' }, turn),
        'update_work_item',
        /needs the user to confirm: call close_work_items/,
      );
      assert.equal((await store.get(context.scope, other.id))?.status, 'new');
      assert.equal((await runForWorkItem(update, { id: other.id, status: 'active' }, turn)).status, 'active');
    });

    it('changes only the given fields, "me" included', async () => {
      const updated = await runForWorkItem(
        update,
        { id: item.id, status: 'resolved', assignee: 'me' },
        context,
      );
      assert.equal(updated.id, item.id);
      assert.equal(updated.status, 'resolved');
      assert.equal(updated.assignee, 'Dana Scully');
      assert.equal(updated.title, 'Renew VPN certificate');
      assert.deepEqual(await store.get(context.scope, item.id), updated);
    });

    it('accepts the id as the model may write it', async () => {
      const key = item.id.replace('WI-', '');
      assert.equal((await runForWorkItem(update, { id: key, status: 'active' }, context)).status, 'active');
      assert.equal(
        (await runForWorkItem(update, { id: `wi-${key}`, status: 'closed' }, context)).status,
        'closed',
      );
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
        () => update.run({ id: item.id }, context),
        'update_work_item',
        /nothing to change/,
      );
      await rejectsWithToolError(
        () => update.run({ id: item.id, title: '   ', assignee: '' }, context),
        'update_work_item',
        /nothing to change/,
      );
      assert.deepEqual(await store.get(context.scope, item.id), item);
    });

    it('does not find an item of another conversation, and leaves it unchanged', async () => {
      const elsewhere = toolContext('a:2');
      await rejectsWithToolError(
        () => update.run({ id: item.id, status: 'closed' }, elsewhere),
        'update_work_item',
        new RegExp(`work item ${item.id} was not found`),
      );
      assert.equal((await store.get(context.scope, item.id))?.status, 'new');
    });

    it('does not find an item of another tenant with the same conversation id', async () => {
      const otherTenant: ToolContext = { ...context, scope: { tenantId: 'tenant-b', conversationId: 'a:1' } };
      await rejectsWithToolError(
        () => update.run({ id: item.id, status: 'closed' }, otherTenant),
        'update_work_item',
        /not found/,
      );
      assert.equal((await store.get(context.scope, item.id))?.status, 'new');
    });
  });
});
