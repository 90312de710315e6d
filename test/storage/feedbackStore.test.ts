import { strict as assert } from 'node:assert';
import { type FeedbackStore, type AnswerRecord, type AnswerScope } from '../../src/storage';
import { describeEachBackend, type TestBackend } from '../support/storageBackends';
import { systemClock } from '../../src/shared/time';

/** The tenant and conversation of `answer()` and of the feedback these tests give by default. */
const SCOPE: AnswerScope = { tenantId: 'tenant-a', conversationId: 'conv-1' };

function answer(overrides: Partial<AnswerRecord> = {}): AnswerRecord {
  return {
    messageId: 'msg-1',
    conversationId: 'conv-1',
    tenantId: 'tenant-a',
    userId: 'user-1',
    question: 'How many PTO days do I get?',
    answer: 'Full-time employees receive 25 days of PTO per year [1].',
    sources: [{ position: 1, title: 'Time Off Policy', url: 'https://contoso.example/time-off' }],
    createdAt: '2025-03-10T09:00:00.000Z',
    ...overrides,
  };
}

describeEachBackend('FeedbackStore', (backendUnderTest) => {
  let backend: TestBackend;
  let frozenAt: Date | undefined;
  let now: Date;
  let store: FeedbackStore;

  async function feedbackOn(
    messageId: string | null,
    reaction: 'like' | 'dislike',
    comment = '',
    scope: AnswerScope = SCOPE,
  ) {
    now = new Date(now.getTime() + 60_000);
    return await store.recordFeedback({
      reaction,
      comment,
      messageId,
      conversationId: scope.conversationId,
      tenantId: scope.tenantId,
      userId: 'user-1',
    });
  }

  beforeEach(async () => {
    now = new Date('2025-03-10T10:00:00.000Z');
    frozenAt = undefined;
    backend = await backendUnderTest.open({
      clock: { ...systemClock, now: () => (frozenAt ?? now).getTime() },
    });
    store = backend.feedback;
  });

  afterEach(async () => {
    await backend.close();
  });

  describe('answers', () => {
    it('records an answer and reads it back by message id, sources included', async () => {
      await store.recordAnswer(answer());
      assert.deepEqual(await store.getAnswer(SCOPE, 'msg-1'), answer());
      assert.equal(await store.getAnswer(SCOPE, 'msg-unknown'), undefined);
    });

    it('replaces the answer when the same message id is recorded again', async () => {
      await store.recordAnswer(answer());
      await store.recordAnswer(answer({ answer: 'Corrected answer.', sources: [] }));
      assert.deepEqual(
        await store.getAnswer(SCOPE, 'msg-1'),
        answer({ answer: 'Corrected answer.', sources: [] }),
      );
      const [row] = await backend.rows<{ n: number | string }>('SELECT count(*) AS n FROM answers');
      assert.equal(Number(row?.n), 1);
    });

    it('keeps answers with the same message id in other conversations and tenants apart', async () => {
      // Teams message ids are unique within a conversation only.
      const elsewhere = answer({ conversationId: 'conv-2', answer: 'Another chat.' });
      const otherTenant = answer({ tenantId: 'tenant-b', answer: 'Another tenant.' });
      await store.recordAnswer(answer());
      await store.recordAnswer(elsewhere);
      await store.recordAnswer(otherTenant);
      assert.deepEqual(await store.getAnswer(SCOPE, 'msg-1'), answer());
      assert.deepEqual(await store.getAnswer({ ...SCOPE, conversationId: 'conv-2' }, 'msg-1'), elsewhere);
      assert.deepEqual(await store.getAnswer({ ...SCOPE, tenantId: 'tenant-b' }, 'msg-1'), otherTenant);
      assert.equal(
        await store.getAnswer({ tenantId: 'tenant-b', conversationId: 'conv-2' }, 'msg-1'),
        undefined,
      );
    });

    it("returns the conversation's most recent answer", async () => {
      await store.recordAnswer(answer({ messageId: 'm-old', createdAt: '2025-03-10T09:00:00.000Z' }));
      await store.recordAnswer(answer({ messageId: 'm-new', createdAt: '2025-03-10T09:05:00.000Z' }));
      await store.recordAnswer(
        answer({ messageId: 'm-other', conversationId: 'conv-2', createdAt: '2025-03-10T09:10:00.000Z' }),
      );
      await store.recordAnswer(
        answer({ messageId: 'm-tenant-b', tenantId: 'tenant-b', createdAt: '2025-03-10T09:20:00.000Z' }),
      );
      assert.equal((await store.latestAnswer(SCOPE))?.messageId, 'm-new');
      assert.equal((await store.latestAnswer({ ...SCOPE, conversationId: 'conv-2' }))?.messageId, 'm-other');
      assert.equal((await store.latestAnswer({ ...SCOPE, tenantId: 'tenant-b' }))?.messageId, 'm-tenant-b');
      assert.equal(await store.latestAnswer({ ...SCOPE, conversationId: 'conv-none' }), undefined);
    });
  });

  describe('feedback', () => {
    it('records feedback with an id and the time from the clock', async () => {
      const record = await feedbackOn('msg-1', 'dislike', 'Outdated number');
      assert.deepEqual(record, {
        id: 1,
        reaction: 'dislike',
        comment: 'Outdated number',
        messageId: 'msg-1',
        conversationId: 'conv-1',
        tenantId: 'tenant-a',
        userId: 'user-1',
        createdAt: '2025-03-10T10:01:00.000Z',
        linked: false,
      });
    });

    it('summarises likes, dislikes and the like ratio', async () => {
      assert.deepEqual(await store.summary(), { likes: 0, dislikes: 0, likeRatio: null });
      await feedbackOn('a', 'like');
      await feedbackOn('b', 'like');
      await feedbackOn('c', 'like');
      await feedbackOn('d', 'dislike');
      assert.deepEqual(await store.summary(), { likes: 3, dislikes: 1, likeRatio: 0.75 });
    });

    it('lists recent dislikes newest first, each joined with its answer when it was recorded', async () => {
      await store.recordAnswer(answer({ messageId: 'm1', question: 'first question' }));
      await store.recordAnswer(answer({ messageId: 'm3', question: 'third question' }));
      await feedbackOn('m1', 'dislike', 'wrong');
      await feedbackOn('m2', 'like');
      await feedbackOn(null, 'dislike', 'no message id');
      await feedbackOn('m3', 'dislike', 'too long');

      const dislikes = await store.recentDislikes(10);
      assert.deepEqual(
        dislikes.map((entry) => [entry.comment, entry.answer?.question]),
        [
          ['too long', 'third question'],
          ['no message id', undefined],
          ['wrong', 'first question'],
        ],
      );
      assert.deepEqual(dislikes[0].answer, answer({ messageId: 'm3', question: 'third question' }));
      assert.equal((await store.recentDislikes(2)).length, 2);
    });

    it('lists recent likes, and all feedback newest first', async () => {
      await feedbackOn('m1', 'like', 'great');
      await feedbackOn('m2', 'dislike');
      await feedbackOn('m3', 'like', 'spot on');
      assert.deepEqual(
        (await store.recentLikes(5)).map((entry) => entry.comment),
        ['spot on', 'great'],
      );
      assert.deepEqual(
        (await store.list()).map((entry) => entry.messageId),
        ['m3', 'm2', 'm1'],
      );
      assert.deepEqual(
        (await store.list(1)).map((entry) => entry.messageId),
        ['m3'],
      );
    });

    it('orders feedback given in the same instant by insertion', async () => {
      frozenAt = new Date('2025-03-10T12:00:00.000Z');
      const frozen = store;
      for (const comment of ['one', 'two', 'three']) {
        await frozen.recordFeedback({
          reaction: 'dislike',
          comment,
          messageId: null,
          conversationId: 'c',
          tenantId: 't',
          userId: 'u',
        });
      }
      assert.deepEqual(
        (await frozen.recentDislikes(3)).map((entry) => entry.comment),
        ['three', 'two', 'one'],
      );
    });
  });
  describe('linking feedback to its answer', () => {
    /** Feedback as the admin page and the CSV see it: comment, linked, and the question of its answer. */
    async function listed(): Promise<Array<[string, boolean, string | undefined]>> {
      return (await store.list()).map((entry) => [entry.comment, entry.linked, entry.answer?.question]);
    }

    it('links feedback to the answer of its own tenant and conversation', async () => {
      await store.recordAnswer(answer());
      const record = await feedbackOn('msg-1', 'like', 'spot on');
      assert.equal(record.linked, true);
      assert.deepEqual(await listed(), [['spot on', true, 'How many PTO days do I get?']]);
      assert.deepEqual((await store.list())[0]?.answer, answer());
    });

    it("keeps feedback planted from another tenant unlinked for good when tenant A's answer later gets that message id", async () => {
      const planted = await feedbackOn('msg-future', 'dislike', 'planted by tenant B', {
        tenantId: 'tenant-b',
        conversationId: 'conv-1',
      });
      assert.equal(planted.linked, false);
      await store.recordAnswer(answer({ messageId: 'msg-future', question: "tenant A's question" }));
      await feedbackOn('msg-future', 'like', "tenant A's own");
      assert.deepEqual(await listed(), [
        ["tenant A's own", true, "tenant A's question"],
        ['planted by tenant B', false, undefined],
      ]);
      assert.deepEqual(
        (await store.recentDislikes(10)).map((entry) => [entry.comment, entry.answer]),
        [['planted by tenant B', undefined]],
      );
    });

    it('does not link feedback from another conversation of the same tenant, sent before or after the answer', async () => {
      const otherChat = { tenantId: 'tenant-a', conversationId: 'conv-2' };
      await feedbackOn('msg-1', 'dislike', 'planted early', otherChat);
      await store.recordAnswer(answer());
      const late = await feedbackOn('msg-1', 'dislike', 'sent late', otherChat);
      assert.equal(late.linked, false);
      assert.deepEqual(await listed(), [
        ['sent late', false, undefined],
        ['planted early', false, undefined],
      ]);
    });

    it('does not link feedback that arrived before the answer of its own conversation was recorded', async () => {
      await feedbackOn('msg-1', 'dislike', 'too early');
      await store.recordAnswer(answer());
      assert.deepEqual(await listed(), [['too early', false, undefined]]);
    });
  });

  describe('dailyCounts', () => {
    async function feedbackAt(iso: string, reaction: 'like' | 'dislike') {
      now = new Date(iso);
      await store.recordFeedback({
        reaction,
        comment: '',
        messageId: null,
        conversationId: 'conv-1',
        tenantId: 'tenant-a',
        userId: 'user-1',
      });
    }

    it('counts likes and dislikes per UTC day over the last N days, oldest first, zero days included', async () => {
      await feedbackAt('2025-03-01T12:00:00.000Z', 'like'); // outside a 3-day window ending 2025-03-10
      await feedbackAt('2025-03-08T00:00:00.000Z', 'like');
      await feedbackAt('2025-03-08T23:59:59.999Z', 'dislike');
      await feedbackAt('2025-03-10T08:00:00.000Z', 'dislike');
      await feedbackAt('2025-03-10T09:00:00.000Z', 'dislike');
      now = new Date('2025-03-10T23:00:00.000Z');
      assert.deepEqual(await store.dailyCounts(3), [
        { day: '2025-03-08', likes: 1, dislikes: 1 },
        { day: '2025-03-09', likes: 0, dislikes: 0 },
        { day: '2025-03-10', likes: 0, dislikes: 2 },
      ]);
      assert.equal((await store.dailyCounts(30)).length, 30);
      assert.deepEqual((await store.dailyCounts(30))[0], { day: '2025-02-09', likes: 0, dislikes: 0 });
      assert.deepEqual(await store.dailyCounts(0), []);
    });
  });
});
