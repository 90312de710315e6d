import { strict as assert } from 'node:assert';
import type { AnswerRecord } from '../../src/storage';
import { describeEachBackend, type TestBackend } from '../support/storageBackends';
import { systemClock } from '../../src/shared/time';

describeEachBackend('store methods for retention and forget', (backendUnderTest) => {
  let backend: TestBackend;
  let now: Date;

  beforeEach(async () => {
    now = new Date('2026-01-01T00:00:00.000Z');
    backend = await backendUnderTest.open({ clock: { ...systemClock, now: () => now.getTime() } });
  });
  afterEach(() => backend.close());

  function answer(messageId: string, userId: string, createdAt: string): AnswerRecord {
    return {
      messageId,
      conversationId: 'c',
      tenantId: 't',
      userId,
      question: 'q',
      answer: 'a',
      sources: [],
      createdAt,
    };
  }

  it('WorkItemStore.forgetCreator deletes 1:1 items and anonymizes shared ones of that creator only', async () => {
    const store = backend.workItems;
    const dm = { tenantId: 't', conversationId: 'dm-alice' };
    const team = { tenantId: 't', conversationId: 'team' };
    const own = await store.create(dm, {
      title: 'private',
      createdBy: 'Alice',
      createdById: 'alice',
      personal: true,
    });
    const shared = await store.create(team, { title: 'shared', createdBy: 'Alice', createdById: 'alice' });
    const bobs = await store.create(team, { title: 'bob', createdBy: 'Bob', createdById: 'bob' });

    assert.deepEqual(await store.forgetCreator('alice'), { deleted: 1, anonymized: 1 });
    assert.equal(await store.get(dm, own.id), undefined);
    assert.equal((await store.get(team, shared.id))?.createdBy, null);
    assert.equal((await store.get(team, shared.id))?.title, 'shared', 'the team keeps the item');
    assert.equal((await store.get(team, bobs.id))?.createdBy, 'Bob');
    assert.deepEqual(
      await store.forgetCreator('alice'),
      { deleted: 0, anonymized: 0 },
      'nothing left to find',
    );
  });

  it('FeedbackStore deletes by age and by user', async () => {
    const store = backend.feedback;
    await store.recordAnswer(answer('old', 'alice', '2025-11-01T00:00:00.000Z'));
    await store.recordAnswer(answer('new', 'bob', '2026-01-01T00:00:00.000Z'));
    now = new Date('2025-11-01T00:00:00.000Z');
    await store.recordFeedback({
      reaction: 'like',
      comment: 'old',
      messageId: 'old',
      conversationId: 'c',
      tenantId: 't',
      userId: 'alice',
    });
    now = new Date('2026-01-01T00:00:00.000Z');
    await store.recordFeedback({
      reaction: 'dislike',
      comment: 'new',
      messageId: 'new',
      conversationId: 'c',
      tenantId: 't',
      userId: 'alice',
    });
    await store.recordFeedback({
      reaction: 'like',
      comment: 'bob',
      messageId: 'new',
      conversationId: 'c',
      tenantId: 't',
      userId: 'bob',
    });

    assert.deepEqual(await store.deleteOlderThan(new Date('2025-12-01T00:00:00.000Z')), {
      answers: 1,
      feedback: 1,
    });
    assert.equal(await store.getAnswer({ tenantId: 't', conversationId: 'c' }, 'old'), undefined);
    assert.ok(await store.getAnswer({ tenantId: 't', conversationId: 'c' }, 'new'));

    assert.deepEqual(await store.forgetUser('alice'), { answers: 0, feedback: 1 });
    assert.deepEqual(
      (await store.list()).map((entry) => entry.comment),
      ['bob'],
    );
    assert.deepEqual(await store.forgetUser('bob'), { answers: 1, feedback: 1 });
  });

  it('Storage deletes state not written since the cutoff, and by key', async () => {
    const storage = backend.storage;
    now = new Date('2025-10-01T00:00:00.000Z');
    await storage.write({ stale: { history: ['old'] } });
    now = new Date('2026-01-01T00:00:00.000Z');
    await storage.write({ fresh: { history: ['new'] }, other: { x: 1 } });

    assert.equal(await storage.deleteStateOlderThan(new Date('2025-12-01T00:00:00.000Z')), 1);
    assert.deepEqual(Object.keys(await storage.read(['stale', 'fresh', 'other'])).sort(), ['fresh', 'other']);
    assert.equal(await storage.deleteStateKeys(['fresh', 'missing']), 1);
    assert.equal(await storage.deleteStateKeys([]), 0);
    assert.deepEqual(Object.keys(await storage.read(['fresh', 'other'])), ['other']);
  });

  it('UserConversationStore keeps one entry per person and conversation, newest first', async () => {
    const store = backend.userConversations;
    const entry = {
      userId: 'alice',
      tenantId: 't',
      conversationId: 'dm',
      conversationType: 'personal',
      conversationStateKey: 'k/conv/dm',
      userStateKey: 'k/users/29:alice',
      lastSeenAt: '2025-10-01T00:00:00.000Z',
    };
    await store.note(entry);
    await store.note({ ...entry, lastSeenAt: '2026-01-01T00:00:00.000Z' });
    await store.note({
      ...entry,
      conversationId: 'team',
      conversationType: 'groupChat',
      lastSeenAt: '2025-11-01T00:00:00.000Z',
    });
    await store.note({ ...entry, userId: 'bob', lastSeenAt: '2025-09-01T00:00:00.000Z' });

    assert.deepEqual(
      (await store.conversationsOf('alice')).map((row) => row.conversationId),
      ['dm', 'team'],
    );
    assert.equal(
      await store.deleteOlderThan(new Date('2025-12-01T00:00:00.000Z')),
      2,
      "bob's and alice's team entry",
    );
    assert.deepEqual(
      (await store.conversationsOf('alice')).map((row) => row.lastSeenAt),
      ['2026-01-01T00:00:00.000Z'],
    );
    assert.equal(await store.forgetUser('alice'), 1);
    assert.deepEqual(await store.conversationsOf('alice'), []);
  });
});
