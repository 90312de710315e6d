import { strict as assert } from 'node:assert';
import { TurnState, type FeedbackLoopData } from '@microsoft/teams-ai';
import { TestAdapter, TurnContext } from 'botbuilder';
import sinon from 'sinon';
import { feedbackComment, feedbackHandler } from '../../src/turn/feedbackHandler';
import { capturingLogger } from '../support/capturingLogger';
import { StorageError } from '../../src/shared/errors';
import {
  type FeedbackStore,
  openDatabase,
  type AnswerRecord,
  type Db,
  SqliteFeedbackStore,
} from '../../src/storage';
import { systemClock } from '../../src/shared/time';

const CONVERSATION_ID = 'a:1-personal-chat';

/** The feedback invoke as it reaches the handler, one submission of the thumbs up/down dialog. */
function feedbackData(options: {
  reaction: string;
  feedback: unknown;
  replyToId?: string;
}): FeedbackLoopData {
  // FeedbackLoopData's types promise more than arrives at runtime: the Agents Playground sends no
  // replyToId, and the reaction and feedback come straight from the client's JSON.
  return {
    actionName: 'feedback',
    actionValue: { reaction: options.reaction, feedback: options.feedback },
    replyToId: options.replyToId,
  } as unknown as FeedbackLoopData;
}

function feedbackContext(
  scope: { tenantId: string; conversationId: string } = {
    tenantId: 'tenant-a',
    conversationId: CONVERSATION_ID,
  },
): TurnContext {
  return new TurnContext(new TestAdapter(), {
    type: 'invoke',
    name: 'message/submitAction',
    channelId: 'msteams',
    conversation: {
      id: scope.conversationId,
      tenantId: scope.tenantId,
      isGroup: false,
      name: '',
      conversationType: 'personal',
    },
    from: { id: '29:dana', name: 'Dana Scully', aadObjectId: 'aad-dana' },
    recipient: { id: '28:bot', name: 'Assistant' },
  });
}

function answer(overrides: Partial<AnswerRecord> = {}): AnswerRecord {
  return {
    messageId: 'answer-1',
    conversationId: CONVERSATION_ID,
    tenantId: 'tenant-a',
    userId: 'aad-dana',
    question: 'How do I connect to the VPN?',
    answer: 'Install GlobalProtect [1].',
    sources: [{ position: 1, title: 'VPN guide' }],
    createdAt: '2025-03-10T09:00:00.000Z',
    ...overrides,
  };
}

interface LogLine {
  level: number;
  msg: string;
  err?: { message: string };
  feedbackId?: number;
  linked?: boolean;
}

describe('feedbackComment', () => {
  it('reads the comment out of Teams’ JSON string {"feedbackText": ...}', () => {
    assert.equal(
      feedbackComment(JSON.stringify({ feedbackText: 'Missing the MFA step' })),
      'Missing the MFA step',
    );
  });

  it('takes the Agents Playground’s plain text as it is', () => {
    assert.equal(feedbackComment('Clear and short'), 'Clear and short');
  });

  it('trims the comment, inside the JSON and out', () => {
    assert.equal(feedbackComment('  \n Clear and short \t'), 'Clear and short');
    assert.equal(feedbackComment(`  ${JSON.stringify({ feedbackText: '  Too long  ' })}\n`), 'Too long');
  });

  it('keeps JSON without a feedbackText string as the text the user sent', () => {
    assert.equal(feedbackComment('{"rating":3}'), '{"rating":3}');
    assert.equal(feedbackComment('{"feedbackText":42}'), '{"feedbackText":42}');
  });

  it('keeps text that starts with "{" but is not JSON as written', () => {
    assert.equal(
      feedbackComment('  {braces} are how I write emphasis '),
      '{braces} are how I write emphasis',
    );
  });

  it('gives an empty comment for anything that is not a string', () => {
    assert.equal(feedbackComment(undefined), '');
    assert.equal(feedbackComment(null), '');
    assert.equal(feedbackComment(42), '');
    assert.equal(feedbackComment({ feedbackText: 'an object, not a JSON string' }), '');
  });
});

describe('feedbackHandler', () => {
  let db: Db;
  let store: FeedbackStore;
  let logLines: LogLine[];
  let handler: ReturnType<typeof feedbackHandler>;

  beforeEach(() => {
    db = openDatabase({ file: ':memory:' });
    store = new SqliteFeedbackStore(db, {
      ...systemClock,
      now: () => Date.parse('2025-03-10T10:00:00.000Z'),
    });
    const log = capturingLogger();
    logLines = log.lines as unknown as LogLine[];
    handler = feedbackHandler(store, log.logger);
  });

  afterEach(() => {
    sinon.restore();
    db.close();
  });

  it('stores a like with its comment against the message Teams names in replyToId', async () => {
    await handler(
      feedbackContext(),
      new TurnState(),
      feedbackData({ reaction: 'like', feedback: '{"feedbackText":"Spot on"}', replyToId: 'answer-7' }),
    );
    const [stored] = await store.list();
    assert.deepEqual(
      {
        reaction: stored.reaction,
        comment: stored.comment,
        messageId: stored.messageId,
        conversationId: stored.conversationId,
        tenantId: stored.tenantId,
        userId: stored.userId,
      },
      {
        reaction: 'like',
        comment: 'Spot on',
        messageId: 'answer-7',
        conversationId: CONVERSATION_ID,
        tenantId: 'tenant-a',
        userId: 'aad-dana',
      },
    );
    assert.equal((await store.list()).length, 1);
    assert.equal(stored.linked, false, 'no answer answer-7 was recorded in this conversation');
    const info = logLines.find((line) => line.msg === 'feedback stored');
    assert.equal(info?.feedbackId, stored.id);
    assert.equal(info?.linked, false);
  });

  it('links feedback to the answer of its conversation that replyToId names', async () => {
    await store.recordAnswer(answer({ messageId: 'answer-7' }));
    await handler(
      feedbackContext(),
      new TurnState(),
      feedbackData({ reaction: 'dislike', feedback: 'Missing the MFA step', replyToId: 'answer-7' }),
    );
    const [stored] = await store.list();
    assert.equal(stored.linked, true);
    assert.equal(stored.answer?.question, 'How do I connect to the VPN?');
    assert.equal(logLines.find((line) => line.msg === 'feedback stored')?.linked, true);
  });

  it('keeps feedback sent before the answer existed, or from another tenant or conversation, unlinked for good', async () => {
    // Tenant B and another chat of tenant A rate the message id that this conversation's answer gets later.
    const planted = feedbackData({ reaction: 'dislike', feedback: 'planted', replyToId: 'answer-next' });
    await handler(
      feedbackContext({ tenantId: 'tenant-b', conversationId: CONVERSATION_ID }),
      new TurnState(),
      planted,
    );
    await handler(
      feedbackContext({ tenantId: 'tenant-a', conversationId: 'a:2-other' }),
      new TurnState(),
      planted,
    );
    await handler(feedbackContext(), new TurnState(), planted);
    await store.recordAnswer(answer({ messageId: 'answer-next' }));
    // After the answer exists, another tenant's feedback on it is still not linked.
    await handler(
      feedbackContext({ tenantId: 'tenant-b', conversationId: CONVERSATION_ID }),
      new TurnState(),
      planted,
    );

    const stored = await store.list();
    assert.equal(stored.length, 4);
    assert.deepEqual(
      stored.map((entry) => [entry.tenantId, entry.linked, entry.answer]),
      [
        ['tenant-b', false, undefined],
        ['tenant-a', false, undefined],
        ['tenant-a', false, undefined],
        ['tenant-b', false, undefined],
      ],
    );
  });

  it('ties a dislike without replyToId (Agents Playground) to the conversation’s latest answer', async () => {
    await store.recordAnswer(answer({ messageId: 'older', createdAt: '2025-03-10T08:00:00.000Z' }));
    await store.recordAnswer(answer({ messageId: 'latest', createdAt: '2025-03-10T09:00:00.000Z' }));
    await store.recordAnswer(
      answer({
        messageId: 'other-chat',
        conversationId: 'a:2-elsewhere',
        createdAt: '2025-03-10T09:30:00.000Z',
      }),
    );
    await handler(
      feedbackContext(),
      new TurnState(),
      feedbackData({ reaction: 'dislike', feedback: 'Too vague' }),
    );
    const [stored] = await store.recentDislikes(10);
    assert.equal(stored.messageId, 'latest');
    assert.equal(stored.comment, 'Too vague');
    assert.equal(stored.answer?.question, 'How do I connect to the VPN?');
  });

  it('stores feedback without a message when there is neither replyToId nor an earlier answer', async () => {
    await handler(feedbackContext(), new TurnState(), feedbackData({ reaction: 'dislike', feedback: '' }));
    const [stored] = await store.list();
    assert.equal(stored.messageId, null);
    assert.equal(stored.reaction, 'dislike');
  });

  it('stores any reaction other than "dislike" as a like', async () => {
    await handler(
      feedbackContext(),
      new TurnState(),
      feedbackData({ reaction: 'love', feedback: 'odd client', replyToId: 'answer-1' }),
    );
    assert.deepEqual(
      (await store.list()).map((stored) => stored.reaction),
      ['like'],
    );
    assert.deepEqual(await store.summary(), { likes: 1, dislikes: 0, likeRatio: 1 });
  });

  it('resolves even when the store throws, and logs the error', async () => {
    sinon.stub(store, 'recordFeedback').throws(new StorageError('disk I/O error'));
    await handler(
      feedbackContext(),
      new TurnState(),
      feedbackData({ reaction: 'like', feedback: 'x', replyToId: 'answer-1' }),
    );
    const errors = logLines.filter((line) => line.level === 50);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].msg, 'feedback could not be stored');
    assert.equal(errors[0].err?.message, 'disk I/O error');
    assert.ok(!logLines.some((line) => line.msg === 'feedback stored'));
  });

  it('resolves even when looking up the latest answer throws', async () => {
    sinon.stub(store, 'latestAnswer').throws(new StorageError('database is locked', true));
    await handler(feedbackContext(), new TurnState(), feedbackData({ reaction: 'dislike', feedback: 'x' }));
    assert.deepEqual(
      logLines.filter((line) => line.level === 50).map((line) => line.err?.message),
      ['database is locked'],
    );
    assert.deepEqual(await store.list(), []);
  });
});
