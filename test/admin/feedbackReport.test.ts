import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderFeedbackCsv } from '../../src/admin/feedbackCsv';
import { renderFeedbackPage } from '../../src/admin/feedbackPage';
import {
  loadFeedbackReportData,
  printFeedbackReport,
  renderFeedbackReport,
} from '../../src/admin/feedbackReport';
import {
  type FeedbackStore,
  openDatabase,
  type AnswerRecord,
  type Db,
  type Reaction,
  SqliteFeedbackStore,
} from '../../src/storage';
import { systemClock } from '../../src/shared/time';
import { parseCsv } from './csvRows';

const NOW = new Date('2025-03-12T12:00:00.000Z');

/** The tenant and conversation of the answers and feedback these tests record. */
const SCOPE = { tenantId: 'tenant-a', conversationId: 'conv-1' };

function answer(messageId: string, question: string, text: string, createdAt: string): AnswerRecord {
  return {
    messageId,
    conversationId: 'conv-1',
    tenantId: 'tenant-a',
    userId: 'user-1',
    question,
    answer: text,
    sources: [
      { position: 2, title: 'Expense Policy: Travel', url: 'https://contoso.example/expenses#travel' },
      { position: 1, title: 'Time Off Policy' },
    ],
    createdAt,
  };
}

describe('feedback report', () => {
  let folder: string;
  let file: string;
  let db: Db;
  let clock: Date;
  let store: FeedbackStore;

  async function react(
    messageId: string | null,
    reaction: Reaction,
    comment: string,
    at: string,
    scope = SCOPE,
  ): Promise<void> {
    clock = new Date(at);
    await store.recordFeedback({
      reaction,
      comment,
      messageId,
      conversationId: scope.conversationId,
      tenantId: scope.tenantId,
      userId: 'user-1',
    });
  }

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'feedback-report-'));
    file = path.join(folder, 'bot.sqlite');
    db = openDatabase({ file });
    clock = NOW;
    store = new SqliteFeedbackStore(db, { ...systemClock, now: () => clock.getTime() });
  });

  afterEach(() => {
    if (db.open) db.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  describe('renderFeedbackReport', () => {
    it('says there is no feedback yet for an empty database', async () => {
      const text = renderFeedbackReport(await loadFeedbackReportData(store), { now: NOW });
      assert.match(text, /Feedback report · 2025-03-12 12:00 UTC/);
      assert.match(text, /No feedback yet/);
      assert.doesNotMatch(text, /dislikes/i);
    });

    it('shows totals, then each dislike with question, answer start, sources and comment', async () => {
      await store.recordAnswer(
        answer(
          'm1',
          'How much is the hotel limit in London?',
          `The limit is 300 USD per night [2]. ${'More detail. '.repeat(40)}`,
          '2025-03-12T09:00:00.000Z',
        ),
      );
      await store.recordAnswer(
        answer('m2', 'How many PTO days?', 'You get 25 days [1].', '2025-03-12T10:00:00.000Z'),
      );
      await react('m2', 'like', 'spot on', '2025-03-12T10:05:00.000Z');
      await react('m1', 'dislike', 'It is 350 in London now', '2025-03-12T11:00:00.000Z');
      await react('m2', 'like', '', '2025-03-12T11:30:00.000Z');
      await react('unknown-message', 'dislike', '', '2025-03-10T08:00:00.000Z');

      const text = renderFeedbackReport(await loadFeedbackReportData(store), { now: NOW });
      assert.match(text, /Reactions: 4 · 👍 2 likes · 👎 2 dislikes · like ratio 50%/);

      const dislikes = text.slice(
        text.indexOf('Most recent dislikes (2)'),
        text.indexOf('Most recent likes'),
      );
      const first = dislikes.indexOf('1. 2025-03-12 11:00 UTC (1 h ago)');
      const second = dislikes.indexOf('2. 2025-03-10 08:00 UTC (2 d ago)');
      assert.ok(first >= 0 && second > first, dislikes);
      assert.match(dislikes, /Question: How much is the hotel limit in London\?/);
      assert.match(dislikes, /Answer: {3}The limit is 300 USD per night \[2\]\. More detail\..*…\n/);
      assert.match(
        dislikes,
        /Sources: {2}\[1\] Time Off Policy; \[2\] Expense Policy: Travel <https:\/\/contoso\.example\/expenses#travel>/,
      );
      assert.match(dislikes, /Comment: {2}"It is 350 in London now"/);
      assert.match(
        dislikes,
        /Answer: {3}\(not recorded for message unknown-message\)\n\s+Comment: {2}\(no comment\)/,
      );

      const likes = text.slice(text.indexOf('Most recent likes (2)'));
      assert.deepEqual(
        likes.split('\n').filter((line) => line.startsWith('- ')),
        [
          '- 2025-03-12 11:30 UTC (30 min ago) · "How many PTO days?"',
          '- 2025-03-12 10:05 UTC (1 h ago) · "How many PTO days?" · comment: "spot on"',
        ],
      );
    });

    it('shows the tokens all recorded answers used, saying how many were estimated', async () => {
      await store.recordAnswer({
        ...answer('t1', 'Q1', 'A1', '2025-03-12T09:00:00.000Z'),
        usage: { promptTokens: 1200, completionTokens: 150, estimated: false },
      });
      await store.recordAnswer({
        ...answer('t2', 'Q2', 'A2', '2025-03-12T09:30:00.000Z'),
        usage: { promptTokens: 800, completionTokens: 50, estimated: true },
      });
      // Recorded before usage was tracked: not counted.
      await store.recordAnswer(answer('t3', 'Q3', 'A3', '2025-03-12T09:45:00.000Z'));

      const text = renderFeedbackReport(await loadFeedbackReportData(store), { now: NOW });
      assert.match(
        text,
        /Tokens: 2,200 over 2 answers · 2,000 prompt · 200 completion \(1 of them estimated with the tokenizer: the provider reported no usage\)/,
      );
      assert.deepEqual((await store.getAnswer(SCOPE, 't2'))?.usage, {
        promptTokens: 800,
        completionTokens: 50,
        estimated: true,
      });
      assert.equal((await store.getAnswer(SCOPE, 't3'))?.usage, undefined);
    });

    it('says when no answer has token usage yet', async () => {
      const text = renderFeedbackReport(await loadFeedbackReportData(store), { now: NOW });
      assert.match(text, /Tokens: no answers with token usage recorded yet\./);
    });

    it('lists only the 10 most recent dislikes and the 5 most recent likes, saying how many there are', async () => {
      for (let index = 0; index < 12; index += 1) {
        await react(
          null,
          'dislike',
          `dislike ${index}`,
          `2025-03-11T10:${String(index).padStart(2, '0')}:00.000Z`,
        );
        await react(null, 'like', `like ${index}`, `2025-03-11T11:${String(index).padStart(2, '0')}:00.000Z`);
      }
      const text = renderFeedbackReport(await loadFeedbackReportData(store), { now: NOW });
      assert.match(text, /like ratio 50%/);
      assert.match(text, /Most recent dislikes \(10 of 12\)/);
      assert.match(text, /Most recent likes \(5 of 12\)/);
      assert.match(text, /"dislike 11"/);
      assert.doesNotMatch(text, /"dislike 1"/);
      assert.match(text, /"like 7"/);
      assert.doesNotMatch(text, /"like 6"/);
    });

    it('rounds the like ratio to one decimal', () => {
      const text = renderFeedbackReport(
        { summary: { likes: 2, dislikes: 1, likeRatio: 2 / 3 }, dislikes: [], likes: [] },
        { now: NOW },
      );
      assert.match(text, /like ratio 66\.7%/);
    });

    it('keeps a comment with line breaks and escape sequences on one harmless line', async () => {
      await react(null, 'dislike', 'bad\n2. forged entry\u001b[31m red', '2025-03-12T11:00:00.000Z');
      const text = renderFeedbackReport(await loadFeedbackReportData(store), { now: NOW });
      assert.match(text, /Comment: {2}"bad 2\. forged entry \[31m red"/);
      assert.ok(!text.includes('\u001b'));
      assert.doesNotMatch(text, /^2\. forged/m);
    });
  });

  describe('feedback planted before an answer got its message id', () => {
    it('is never shown with that answer: not in the report, the CSV or the admin page', async () => {
      // Tenant B, and another conversation of tenant A, rate a message id that tenant A's next answer gets.
      await react('msg-next', 'dislike', 'planted by tenant B', '2025-03-12T08:00:00.000Z', {
        tenantId: 'tenant-b',
        conversationId: 'conv-1',
      });
      await react('msg-next', 'dislike', 'planted from conv-2', '2025-03-12T08:30:00.000Z', {
        tenantId: 'tenant-a',
        conversationId: 'conv-2',
      });
      await store.recordAnswer(
        answer('msg-next', 'Secret question of tenant A', 'Secret answer of A.', '2025-03-12T09:00:00.000Z'),
      );
      await react('msg-next', 'dislike', 'the real rating', '2025-03-12T10:00:00.000Z');

      const report = renderFeedbackReport(await loadFeedbackReportData(store), { now: NOW });
      // One entry per dislike: "1. <time> · user …" and its indented fields.
      const entries = report.split(/\n(?=\d+\. )/);
      const entryOf = (comment: string) => entries.find((entry) => entry.includes(`"${comment}"`)) ?? '';
      for (const comment of ['planted by tenant B', 'planted from conv-2']) {
        assert.match(entryOf(comment), /Answer: {3}\(not recorded for message msg-next\)/, report);
        assert.doesNotMatch(entryOf(comment), /Secret/);
      }
      assert.match(entryOf('the real rating'), /Question: Secret question of tenant A/);
      assert.equal(report.match(/Secret question of tenant A/g)?.length, 1, report);

      const csv = parseCsv(renderFeedbackCsv(await store.list(100)));
      const columns = csv[0] ?? [];
      const byComment = new Map(csv.slice(1).map((row) => [row[columns.indexOf('comment')], row]));
      for (const comment of ['planted by tenant B', 'planted from conv-2']) {
        const row = byComment.get(comment);
        assert.ok(row, comment);
        assert.equal(row[columns.indexOf('question')], '', comment);
        assert.equal(row[columns.indexOf('answer')], '', comment);
      }
      assert.equal(
        byComment.get('the real rating')?.[columns.indexOf('question')],
        'Secret question of tenant A',
      );

      const page = renderFeedbackPage({
        summary: await store.summary(),
        daily: await store.dailyCounts(7),
        dislikes: await store.recentDislikes(10),
        generatedAt: NOW,
        csvHref: '/admin/feedback?format=csv',
      });
      assert.equal(page.match(/Secret question of tenant A/g)?.length, 1, 'only next to the real rating');
    });
  });

  describe('printFeedbackReport', () => {
    it('prints the report for a database file and closes it', async () => {
      await react(null, 'like', 'nice', '2025-03-12T11:00:00.000Z');
      db.close();
      let printed = '';
      await printFeedbackReport({
        database: { kind: 'sqlite', file },
        now: NOW,
        write: (text) => (printed += text),
      });
      assert.match(printed, /Reactions: 1 · 👍 1 like · 👎 0 dislikes · like ratio 100%/);
      // Closed: the WAL is checkpointed and removed when the last connection closes.
      assert.equal(fs.existsSync(`${file}-wal`), false);
    });

    it('does not create a database that does not exist', async () => {
      const missing = path.join(folder, 'nowhere', 'bot.sqlite');
      let printed = '';
      await printFeedbackReport({
        database: { kind: 'sqlite', file: missing },
        write: (text) => (printed += text),
      });
      assert.match(printed, /No feedback yet/);
      assert.equal(fs.existsSync(path.dirname(missing)), false);
    });
  });

  describe('the npm run feedback script', () => {
    const script = path.resolve(__dirname, '../../src/admin/feedbackReport.js');

    function run(dataDir: string): { status: number | null; stdout: string; stderr: string } {
      const result = spawnSync(process.execPath, [script], {
        env: { PATH: process.env.PATH, DATA_DIR: dataDir },
        encoding: 'utf8',
        timeout: 15_000,
      });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    }

    it('reads the database under DATA_DIR, prints the report and exits 0', async () => {
      await store.recordAnswer(
        answer('m1', 'Where is the VPN gateway?', 'vpn.contoso.com', '2025-03-12T09:00:00.000Z'),
      );
      await react('m1', 'dislike', 'wrong gateway', '2025-03-12T09:01:00.000Z');
      db.close();
      const result = run(folder);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /like ratio 0%/);
      assert.match(result.stdout, /Question: Where is the VPN gateway\?/);
      assert.match(result.stdout, /Comment: {2}"wrong gateway"/);
    });

    it('prints "no feedback yet" and exits 0 when there is no database', () => {
      const result = run(path.join(folder, 'empty'));
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /No feedback yet/);
    });
  });
});
