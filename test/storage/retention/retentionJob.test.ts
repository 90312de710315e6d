import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { startRetentionJob, RETENTION_INTERVAL_MS, type RetentionJob } from '../../../src/storage/retention';
import {
  openDatabase,
  SqliteFeedbackStore,
  SqliteStorage,
  SqliteUserConversationStore,
  type Db,
} from '../../../src/storage';
import { capturingLogger } from '../../support/capturingLogger';
import { systemClock } from '../../../src/shared/time';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('the retention job (fake timers, real SQLite)', () => {
  let timers: sinon.SinonFakeTimers;
  let db: Db;
  let job: RetentionJob | undefined;
  let storage: SqliteStorage;
  let feedback: SqliteFeedbackStore;
  let userConversations: SqliteUserConversationStore;

  beforeEach(() => {
    timers = sinon.useFakeTimers({ now: new Date('2026-03-01T00:00:00.000Z') });
    db = openDatabase({ file: ':memory:' });
    // The stores' clocks read the faked Date, like the bot's do.
    storage = new SqliteStorage(db, systemClock);
    feedback = new SqliteFeedbackStore(db, systemClock);
    userConversations = new SqliteUserConversationStore(db);
  });
  afterEach(async () => {
    await job?.stop();
    job = undefined;
    db.close();
    timers.restore();
  });

  async function seed(label: string): Promise<void> {
    const at = new Date().toISOString();
    await storage.write({ [`conversations/${label}`]: { history: [label] } });
    await feedback.recordAnswer({
      messageId: label,
      conversationId: label,
      tenantId: 't',
      userId: 'u',
      question: 'q',
      answer: 'a',
      sources: [],
      createdAt: at,
    });
    await feedback.recordFeedback({
      reaction: 'like',
      comment: label,
      messageId: label,
      conversationId: label,
      tenantId: 't',
      userId: 'u',
    });
    await userConversations.note({
      userId: 'u',
      tenantId: 't',
      conversationId: label,
      conversationType: 'personal',
      conversationStateKey: `conversations/${label}`,
      userStateKey: 'users/u',
      lastSeenAt: at,
    });
  }

  async function remaining(): Promise<{
    state: string[];
    answers: string[];
    feedback: string[];
    index: string[];
  }> {
    return {
      state: Object.keys(await storage.read(['conversations/old', 'conversations/recent'])).sort(),
      answers: ['old', 'recent'].filter((id) =>
        db.prepare('SELECT 1 FROM answers WHERE message_id = ?').get(id),
      ),
      feedback: (await feedback.list()).map((entry) => entry.comment).sort(),
      index: (await userConversations.conversationsOf('u')).map((entry) => entry.conversationId).sort(),
    };
  }

  it('runs at startup and then every hour, deleting history, answers and feedback older than N days', async () => {
    await seed('old');
    await timers.tickAsync(20 * DAY_MS);
    await seed('recent');
    const { logger, lines } = capturingLogger();

    job = startRetentionJob({ days: 30, stores: { state: storage, feedback, userConversations }, logger });
    await timers.tickAsync(0);
    const sweeps = () => lines.filter((line) => line.msg === 'retention sweep done');
    assert.equal(sweeps().length, 1, 'one sweep at startup');
    assert.deepEqual(
      { ...sweeps()[0], time: undefined, pid: undefined, hostname: undefined },
      {
        level: 30,
        job: 'retention',
        msg: 'retention sweep done',
        stateItems: 0,
        answers: 0,
        feedback: 0,
        conversationIndex: 0,
        cutoff: '2026-02-19T00:00:00.000Z',
        days: 30,
        time: undefined,
        pid: undefined,
        hostname: undefined,
      },
    );
    assert.deepEqual(await remaining(), {
      state: ['conversations/old', 'conversations/recent'],
      answers: ['old', 'recent'],
      feedback: ['old', 'recent'],
      index: ['old', 'recent'],
    });

    // 'old' turns 30 days old at day 30; the first hourly sweep after that deletes it.
    await timers.tickAsync(10 * DAY_MS + RETENTION_INTERVAL_MS);
    assert.deepEqual(await remaining(), {
      state: ['conversations/recent'],
      answers: ['recent'],
      feedback: ['recent'],
      index: ['recent'],
    });
    const deleting = sweeps().filter((line) => line.answers === 1);
    assert.equal(deleting.length, 1, 'exactly one sweep found the old data');
    assert.equal(deleting[0].stateItems, 1);
    assert.equal(deleting[0].feedback, 1);
    assert.equal(sweeps().length, 1 + 10 * 24 + 1, 'one sweep per hour');
  });

  it('stops on shutdown: no sweep runs after stop()', async () => {
    const { logger, lines } = capturingLogger();
    job = startRetentionJob({ days: 1, stores: { state: storage, feedback, userConversations }, logger });
    await timers.tickAsync(0);
    await job.stop();
    await seed('old');
    await timers.tickAsync(5 * DAY_MS);
    assert.equal(lines.filter((line) => line.msg === 'retention sweep done').length, 1);
    assert.deepEqual((await remaining()).answers, ['old']);
  });

  it('logs a failing sweep and tries again at the next tick', async () => {
    const { logger, lines } = capturingLogger();
    const failing = sinon.stub(storage, 'deleteStateOlderThan').rejects(new Error('disk on fire'));
    job = startRetentionJob({ days: 1, stores: { state: storage, feedback, userConversations }, logger });
    await timers.tickAsync(0);
    assert.equal(lines.filter((line) => line.msg === 'retention sweep failed').length, 1);
    failing.restore();
    await timers.tickAsync(RETENTION_INTERVAL_MS);
    assert.equal(lines.filter((line) => line.msg === 'retention sweep done').length, 1);
  });
});
