import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { formatIngestSummary, runIngestCommand } from '../../../src/knowledge/ingestion';
import { KnowledgeBase, SqlitePassageIndex } from '../../../src/knowledge';
import { openDatabase } from '../../../src/storage';
import { FIXTURE_FOLDER } from './fixtureFiles';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('runIngestCommand', () => {
  let dataDir: string;
  let docs: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-cmd-data-'));
    docs = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-cmd-docs-'));
    fs.copyFileSync(path.join(FIXTURE_FOLDER, 'sample.md'), path.join(docs, 'sample.md'));
    fs.copyFileSync(path.join(FIXTURE_FOLDER, 'sample.pdf'), path.join(docs, 'sample.pdf'));
    fs.writeFileSync(path.join(docs, 'broken.pdf'), 'not a pdf');
  });

  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(docs, { recursive: true, force: true });
  });

  it("ingests into the bot's database, prints a line per file and a summary, and exits 0 despite a failed file", async () => {
    const stdout = capture();
    const stderr = capture();
    const code = await runIngestCommand([docs], {
      env: { DATA_DIR: dataDir, SQLITE_JOURNAL_MODE: 'delete' },
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    assert.equal(code, 0);
    assert.equal(stderr.text(), '');
    const lines = stdout.text().trimEnd().split('\n');
    assert.match(lines[0], /^\[1\/3\] FAILED \(cannot extract text \(pdf\): .+\) .*broken\.pdf$/);
    assert.match(lines[1], /^\[2\/3\] indexed \(3 chunks\) .*sample\.md$/);
    assert.match(lines[2], /^\[3\/3\] indexed \(1 chunks\) .*sample\.pdf$/);
    assert.equal(lines[3], 'Files: 3, indexed: 2, chunks: 4, skipped (unchanged): 0, removed: 0, failed: 1');
    assert.match(lines[4], /^ {2}failed: .*broken\.pdf: cannot extract text \(pdf\)/);

    const db = openDatabase({ file: path.join(dataDir, 'bot.sqlite'), journalMode: 'delete' });
    try {
      assert.deepEqual(await new KnowledgeBase(new SqlitePassageIndex(db)).stats(), {
        documents: 2,
        passages: 4,
      });
    } finally {
      db.close();
    }
  });

  it('exits 1 with the usage when no path is given', async () => {
    const stderr = capture();
    const code = await runIngestCommand([], { env: {}, stdout: capture().stream, stderr: stderr.stream });
    assert.equal(code, 1);
    assert.match(stderr.text(), /usage: npm run ingest -- <folder or file>/);
  });

  it('exits 1 when the configuration is invalid, so nothing could run', async () => {
    const stderr = capture();
    const code = await runIngestCommand([docs], {
      env: { DATA_DIR: dataDir, SQLITE_JOURNAL_MODE: 'sometimes' },
      stdout: capture().stream,
      stderr: stderr.stream,
    });
    assert.equal(code, 1);
    assert.match(stderr.text(), /^ingest failed: .*SQLITE_JOURNAL_MODE/);
  });
});

describe('formatIngestSummary', () => {
  it('lists the counts, then each failed file with its reason', () => {
    assert.deepEqual(
      formatIngestSummary({
        files: 4,
        indexed: 1,
        chunks: 6,
        skipped: 2,
        removed: 1,
        failed: [{ file: '/docs/a.pdf', reason: 'cannot extract text (pdf): Invalid PDF structure.' }],
      }),
      [
        'Files: 4, indexed: 1, chunks: 6, skipped (unchanged): 2, removed: 1, failed: 1',
        '  failed: /docs/a.pdf: cannot extract text (pdf): Invalid PDF structure.',
      ],
    );
  });
});

describe('runIngestCommand with EMBEDDINGS_MODEL', () => {
  let dataDir: string;
  let docs: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-emb-data-'));
    docs = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-emb-docs-'));
    fs.copyFileSync(path.join(FIXTURE_FOLDER, 'sample.md'), path.join(docs, 'sample.md'));
  });

  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(docs, { recursive: true, force: true });
  });

  it('embeds the new passages (offline stand-in) and, run again, reuses them', async () => {
    const run = async (): Promise<string> => {
      const stdout = capture();
      const stderr = capture();
      const code = await runIngestCommand([docs], {
        env: { DATA_DIR: dataDir, EMBEDDINGS_MODEL: 'stand-in' },
        stdout: stdout.stream,
        stderr: stderr.stream,
      });
      assert.equal(code, 0, stderr.text());
      return stdout.text();
    };
    assert.match(await run(), /\nEmbeddings: embedded: 3, reused: 0, removed: 0\n$/);
    assert.match(await run(), /\nEmbeddings: embedded: 0, reused: 3, removed: 0\n$/);
    const db = openDatabase({ file: path.join(dataDir, 'bot.sqlite') });
    try {
      assert.equal(db.prepare('SELECT count(*) FROM kb_passage_vectors').pluck().get(), 3);
    } finally {
      db.close();
    }
  });
});
