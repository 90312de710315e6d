import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  formatEvalReport,
  loadQuestionSet,
  OFFLINE_EMBEDDINGS_MODEL,
  runRetrievalEval,
  truncate4,
  type RetrievalEvalReport,
} from '../../../dev/evaluation';
import { ingestFolder } from '../../../src/knowledge/ingestion';
import { createEmbedder, KnowledgeBase, SqlitePassageIndex } from '../../../src/knowledge';
import { createLogger } from '../../../src/shared/logging';
import { startOfflineModel, type RunningOfflineModel } from '../../../dev/offline-model';
import { openDatabase } from '../../../src/storage';

/** Test files are compiled to build/test/evaluation. */
const REPOSITORY_ROOT = path.resolve(__dirname, '../../../..');
const KNOWLEDGE_DIR = path.join(REPOSITORY_ROOT, 'knowledge');
const QUESTIONS_FILE = path.join(REPOSITORY_ROOT, 'eval', 'retrieval-questions.json');

/** The target for lexical search on the sample knowledge base. */
const RECALL_TARGET = 0.9;

describe('retrieval evaluation over the sample knowledge base', () => {
  it('labels at least 40 questions, over every document, each label naming a passage that exists', async () => {
    const set = await loadQuestionSet(QUESTIONS_FILE);
    assert.ok(set.length >= 40, `only ${set.length} questions`);

    const db = openDatabase({ file: ':memory:' });
    try {
      await ingestFolder(new KnowledgeBase(new SqlitePassageIndex(db)), KNOWLEDGE_DIR);
      // The knowledge base has no listing API; its tables are read directly to check the labels.
      const indexed = new Set(
        db
          .prepare<[], { source: string; heading: string }>(
            'SELECT d.source, p.heading FROM kb_passages p JOIN kb_documents d ON d.id = p.document_id',
          )
          .all()
          .map((row) => `${row.source} > ${row.heading}`),
      );
      const labels = set.flatMap((item) =>
        item.relevant.map((label) => `${label.source} > ${label.heading}`),
      );
      assert.deepEqual(
        labels.filter((label) => !indexed.has(label)),
        [],
        'labels that match no passage',
      );
      const documents = new Set([...indexed].map((label) => label.split(' > ')[0]));
      const labelled = new Set(set.flatMap((item) => item.relevant.map((label) => label.source)));
      assert.deepEqual([...labelled].sort(), [...documents].sort());
    } finally {
      db.close();
    }
  });

  describe('npm run eval:retrieval', () => {
    let folder: string;
    let offline: RunningOfflineModel;

    beforeEach(async () => {
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-results-'));
      offline = await startOfflineModel();
    });

    afterEach(async () => {
      await offline.close();
      fs.rmSync(folder, { recursive: true, force: true });
    });

    it(`reaches recall@5 >= ${RECALL_TARGET} in lexical mode, evaluates hybrid mode and writes both as JSON`, async () => {
      const resultsFile = path.join(folder, 'results', 'latest.json');
      const logger = createLogger('silent');
      const embedder = createEmbedder(
        { provider: 'offline', timeToFirstTokenMs: 0, tokensPerSecond: 1 },
        { model: OFFLINE_EMBEDDINGS_MODEL },
        { logger, offline },
      );
      const report = await runRetrievalEval(
        { knowledgeDir: KNOWLEDGE_DIR, questionsFile: QUESTIONS_FILE, resultsFile },
        { embedder, logger },
      );

      const set = await loadQuestionSet(QUESTIONS_FILE);
      assert.deepEqual(
        report.results.map((result) => result.mode),
        ['lexical', 'hybrid'],
      );
      const [lexical, hybrid] = report.results;
      assert.match(hybrid.ranking, /lexical-hashing stand-in/);
      for (const result of report.results) {
        assert.equal(result.questions, set.length);
        assert.equal(result.k, 5);
        assert.ok(result.mrr > 0 && result.mrr <= 1, `MRR ${result.mrr}`);
        for (const miss of result.misses)
          assert.ok(miss.got.length <= 3, 'at most the top 3 results of a miss');
      }
      assert.ok(
        lexical.recallAt5 >= RECALL_TARGET,
        `recall@5 ${lexical.recallAt5} is below ${RECALL_TARGET}; misses: ${JSON.stringify(lexical.misses, null, 1)}`,
      );
      // The query embeddings really went to the offline server: one request per question, plus the passages.
      const queries = offline.embeddingRequests.filter((request) => request.input.length === 1).length;
      assert.ok(queries >= set.length, `${queries} single-input embeddings requests`);

      const written = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as RetrievalEvalReport;
      assert.deepEqual(written, report);
    });

    it('evaluates lexical mode only when no embedder is given', async () => {
      const report = await runRetrievalEval({
        knowledgeDir: KNOWLEDGE_DIR,
        questionsFile: QUESTIONS_FILE,
        resultsFile: path.join(folder, 'latest.json'),
      });
      assert.deepEqual(
        report.results.map((result) => result.mode),
        ['lexical'],
      );
    });
  });
});

describe('the evaluation table', () => {
  const lexical = {
    mode: 'lexical' as const,
    ranking: 'SQLite FTS5, BM25',
    questions: 41,
    k: 5,
    recallAt5: 0.90849,
    mrr: 0.84749,
    misses: [
      {
        question: 'wifi for visitors',
        expected: [{ source: 'it-helpdesk-faq.md', heading: 'Printing and Wi-Fi' }],
        got: [],
      },
      {
        question: 'office days',
        expected: [{ source: 'remote-work-and-vpn.md', heading: '' }],
        got: [
          { source: 'expense-policy.md', heading: 'Home office and equipment' },
          { source: 'remote-work-and-vpn.md', heading: 'Home office stipend' },
        ],
      },
    ],
  };
  const report: RetrievalEvalReport = {
    knowledgeDir: '/kb',
    results: [
      lexical,
      { ...lexical, mode: 'hybrid', ranking: 'BM25 + stand-in', recallAt5: 0.93669, mrr: 0.8, misses: [] },
    ],
  };

  it('shows a row per mode with questions, recall@5 and MRR cut to four decimals, never rounded up', () => {
    const lines = formatEvalReport(report);
    const header = lines.findIndex((line) => line.startsWith('mode'));
    assert.match(lines[header], /^mode\s+questions\s+recall@5\s+MRR$/);
    assert.match(lines[header + 1], /^lexical\s+41\s+0\.9084\s+0\.8474$/);
    assert.match(lines[header + 2], /^hybrid\s+41\s+0\.9366\s+0\.8000$/);
    assert.ok(lines.includes('hybrid: BM25 + stand-in'));
    assert.ok(lines.includes('Misses, hybrid (0):'));
  });

  it('lists each miss with what was expected and what came back', () => {
    const text = formatEvalReport(report).join('\n');
    assert.match(text, /Misses, lexical \(2\):/);
    assert.match(
      text,
      /- wifi for visitors\n\s+expected: it-helpdesk-faq\.md > Printing and Wi-Fi\n\s+got:\s+\(nothing\)/,
    );
    assert.match(
      text,
      /expected: remote-work-and-vpn\.md \(intro\)\n\s+got:\s+1\. expense-policy\.md > Home office and equipment {2}2\. remote-work-and-vpn\.md > Home office stipend/,
    );
  });

  it('truncates figures instead of rounding them', () => {
    assert.equal(truncate4(0.99999), '0.9999');
    assert.equal(truncate4(0.90849), '0.9084');
    assert.equal(truncate4(1), '1.0000');
    assert.equal(truncate4(0), '0.0000');
  });
});
