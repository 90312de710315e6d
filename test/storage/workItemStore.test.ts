import { strict as assert } from 'node:assert';
import { StorageError } from '../../src/shared/errors';
import {
  MAX_WORK_ITEM_LIMIT,
  parseWorkItemId,
  type WorkItemStore,
  type WorkItemScope,
} from '../../src/storage';
import { describeEachBackend, type TestBackend } from '../support/storageBackends';
import { systemClock } from '../../src/shared/time';

describeEachBackend('WorkItemStore', (backendUnderTest) => {
  let backend: TestBackend;
  let now: Date;
  let store: WorkItemStore;
  const team: WorkItemScope = { tenantId: 'tenant-a', conversationId: 'conv-team' };

  /** Moves the injected clock forward. */
  function advance(minutes: number): void {
    now = new Date(now.getTime() + minutes * 60_000);
  }

  beforeEach(async () => {
    now = new Date('2025-03-10T09:00:00.000Z');
    backend = await backendUnderTest.open({ clock: { ...systemClock, now: () => now.getTime() } });
    store = backend.workItems;
  });

  afterEach(async () => {
    await backend.close();
  });

  describe('create and get', () => {
    it('creates an item with defaults and timestamps from the clock', async () => {
      const item = await store.create(team, {
        title: '  Renew the TLS certificate  ',
        createdBy: 'Alex Chen',
      });
      assert.deepEqual(item, {
        id: 'WI-1',
        title: 'Renew the TLS certificate',
        description: '',
        status: 'new',
        assignee: null,
        dueDate: null,
        createdBy: 'Alex Chen',
        createdAt: '2025-03-10T09:00:00.000Z',
        updatedAt: '2025-03-10T09:00:00.000Z',
      });
      assert.deepEqual(await store.get(team, 'WI-1'), item);
    });

    it('numbers items by their primary key', async () => {
      assert.equal((await store.create(team, { title: 'first' })).id, 'WI-1');
      assert.equal((await store.create(team, { title: 'second' })).id, 'WI-2');
    });

    it('accepts every field on creation', async () => {
      const item = await store.create(team, {
        title: 'Fix login',
        description: 'SSO loops on Safari',
        status: 'active',
        assignee: 'Priya',
        dueDate: '2025-03-14',
      });
      assert.equal(item.status, 'active');
      assert.equal(item.assignee, 'Priya');
      assert.equal(item.dueDate, '2025-03-14');
      assert.equal(item.description, 'SSO loops on Safari');
    });

    it('finds an item by "WI-7", "wi-7" or "7", and nothing for other text', async () => {
      for (let index = 0; index < 7; index += 1) await store.create(team, { title: `item ${index + 1}` });
      for (const id of ['WI-7', 'wi-7', '7', ' WI-7 '])
        assert.equal((await store.get(team, id))?.title, 'item 7', id);
      for (const id of ['WI-', 'WI-x', '7; DROP TABLE work_items', '', '-7', '7.5']) {
        assert.equal(await store.get(team, id), undefined, id);
      }
      assert.equal(await store.get(team, 'WI-8'), undefined);
    });

    it('rejects an empty title, an unknown status and a malformed or impossible due date', async () => {
      await assert.rejects(store.create(team, { title: '   ' }), StorageError);
      await assert.rejects(store.create(team, { title: 'x', status: 'done' as never }), StorageError);
      await assert.rejects(store.create(team, { title: 'x', dueDate: '14/03/2025' }), StorageError);
      await assert.rejects(store.create(team, { title: 'x', dueDate: '2025-02-30' }), StorageError);
      assert.equal((await store.find(team)).length, 0);
    });
  });

  describe('scope isolation', () => {
    it('hides an item from another conversation and another tenant', async () => {
      const item = await store.create(team, { title: 'Team secret' });
      const otherConversation = { tenantId: 'tenant-a', conversationId: 'conv-other' };
      const otherTenant = { tenantId: 'tenant-b', conversationId: 'conv-team' };
      for (const scope of [otherConversation, otherTenant]) {
        assert.equal(await store.get(scope, item.id), undefined);
        assert.deepEqual(await store.find(scope), []);
        assert.deepEqual(await store.find(scope, { query: 'secret' }), []);
      }
    });

    it('refuses to update an item from another conversation or tenant, leaving it unchanged', async () => {
      const item = await store.create(team, { title: 'Team secret' });
      assert.equal(
        await store.update({ tenantId: 'tenant-a', conversationId: 'conv-other' }, item.id, { title: 'x' }),
        undefined,
      );
      assert.equal(
        await store.update({ tenantId: 'tenant-b', conversationId: 'conv-team' }, item.id, {
          status: 'closed',
        }),
        undefined,
      );
      assert.deepEqual(await store.get(team, item.id), item);
    });
  });

  describe('find', () => {
    beforeEach(async () => {
      await store.create(team, {
        title: 'Update VPN client',
        description: 'Roll out Contoso Secure Access 5.2',
        assignee: 'Priya',
      });
      advance(1);
      await store.create(team, {
        title: 'Expense tool outage',
        description: 'Receipts fail to upload',
        status: 'active',
        assignee: 'alex chen',
      });
      advance(1);
      await store.create(team, {
        title: 'Postmortem for checkout incident',
        description: 'Sev1 on the VPN gateway',
        status: 'resolved',
        assignee: 'Alex Chen',
      });
      advance(1);
      await store.create(team, { title: 'Ünïcode Straße', description: 'Größe prüfen' });
    });

    it('returns all items in scope, newest first', async () => {
      assert.deepEqual(
        (await store.find(team)).map((item) => item.id),
        ['WI-4', 'WI-3', 'WI-2', 'WI-1'],
      );
    });

    it('matches the query as a case-insensitive substring of the title or the description', async () => {
      assert.deepEqual(
        (await store.find(team, { query: 'vpn' })).map((item) => item.id),
        ['WI-3', 'WI-1'],
      );
      assert.deepEqual(
        (await store.find(team, { query: 'RECEIPTS' })).map((item) => item.id),
        ['WI-2'],
      );
      assert.deepEqual(
        (await store.find(team, { query: 'straße' })).map((item) => item.id),
        ['WI-4'],
      );
      assert.deepEqual(
        (await store.find(team, { query: 'GRÖßE' })).map((item) => item.id),
        ['WI-4'],
      );
    });

    it('treats query text literally (no LIKE wildcards)', async () => {
      assert.deepEqual(await store.find(team, { query: '%' }), []);
      assert.deepEqual(await store.find(team, { query: '_' }), []);
    });

    it('filters by status and by assignee (case-insensitive), combined with the query', async () => {
      assert.deepEqual(
        (await store.find(team, { status: 'active' })).map((item) => item.id),
        ['WI-2'],
      );
      assert.deepEqual(
        (await store.find(team, { assignee: 'ALEX CHEN' })).map((item) => item.id),
        ['WI-3', 'WI-2'],
      );
      assert.deepEqual(
        (await store.find(team, { assignee: 'Alex Chen', query: 'vpn' })).map((item) => item.id),
        ['WI-3'],
      );
      assert.deepEqual(await store.find(team, { assignee: 'Alex Chen', status: 'new' }), []);
    });

    it('returns 20 items by default and never more than 50', async () => {
      for (let index = 0; index < 60; index += 1) await store.create(team, { title: `bulk ${index}` });
      assert.equal((await store.find(team)).length, 20);
      assert.equal((await store.find(team, { limit: 1000 })).length, MAX_WORK_ITEM_LIMIT);
      assert.equal((await store.find(team, { limit: 3 })).length, 3);
      assert.equal((await store.find(team, { limit: 0 })).length, 1);
    });
  });

  describe('update', () => {
    it('changes only the given fields and stamps updatedAt from the clock', async () => {
      const item = await store.create(team, {
        title: 'Fix login',
        description: 'SSO loop',
        assignee: 'Priya',
        dueDate: '2025-03-14',
      });
      advance(90);
      const updated = await store.update(team, 'wi-1', { status: 'resolved', assignee: null });
      assert.deepEqual(updated, {
        ...item,
        status: 'resolved',
        assignee: null,
        updatedAt: '2025-03-10T10:30:00.000Z',
      });
      assert.deepEqual(await store.get(team, '1'), updated);
    });

    it('can change title, description and due date, and clear the due date', async () => {
      await store.create(team, { title: 'old', dueDate: '2025-03-14' });
      assert.equal(
        (await store.update(team, 'WI-1', { title: 'new', description: 'details' }))?.title,
        'new',
      );
      assert.equal((await store.get(team, 'WI-1'))?.description, 'details');
      assert.equal((await store.update(team, 'WI-1', { dueDate: '2025-04-01' }))?.dueDate, '2025-04-01');
      assert.equal((await store.update(team, 'WI-1', { dueDate: null }))?.dueDate, null);
    });

    it('leaves the item untouched for an empty patch', async () => {
      const item = await store.create(team, { title: 'same' });
      advance(5);
      assert.deepEqual(await store.update(team, 'WI-1', {}), item);
    });

    it('returns undefined for an id that does not exist', async () => {
      assert.equal(await store.update(team, 'WI-42', { title: 'x' }), undefined);
      assert.equal(await store.update(team, 'nonsense', { title: 'x' }), undefined);
    });

    it('rejects an invalid patch and keeps the item as it was', async () => {
      const item = await store.create(team, { title: 'keep me' });
      await assert.rejects(store.update(team, 'WI-1', { title: '' }), StorageError);
      await assert.rejects(store.update(team, 'WI-1', { status: 'finished' as never }), StorageError);
      await assert.rejects(store.update(team, 'WI-1', { dueDate: 'tomorrow' }), StorageError);
      assert.deepEqual(await store.get(team, 'WI-1'), item);
    });
  });

  describe('parseWorkItemId', () => {
    it('reads the number out of the forms people write', () => {
      assert.equal(parseWorkItemId('WI-12'), 12);
      assert.equal(parseWorkItemId('wi-12'), 12);
      assert.equal(parseWorkItemId('WI 12'), 12);
      assert.equal(parseWorkItemId('#12'), 12);
      assert.equal(parseWorkItemId('12'), 12);
      assert.equal(parseWorkItemId('0'), undefined);
      assert.equal(parseWorkItemId('WI-1e3'), undefined);
      assert.equal(parseWorkItemId('99999999999999999999'), undefined);
    });
  });
});
