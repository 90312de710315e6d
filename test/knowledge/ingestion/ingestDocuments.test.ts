import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingestDocuments, ingestFolder, type FileOutcome } from '../../../src/knowledge/ingestion';
import { KnowledgeBase, SqlitePassageIndex } from '../../../src/knowledge';
import { openDatabase, type Db } from '../../../src/storage';
import { buildDocx, buildPdf, FIXTURE_FOLDER } from './fixtureFiles';

const FIXTURES = ['sample.docx', 'sample.html', 'sample.md', 'sample.pdf', 'sample.txt'];

describe('ingestDocuments', () => {
  let folder: string;
  let db: Db;
  let kb: KnowledgeBase;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-test-'));
    for (const name of FIXTURES) fs.copyFileSync(path.join(FIXTURE_FOLDER, name), path.join(folder, name));
    db = openDatabase({ file: ':memory:' });
    kb = new KnowledgeBase(new SqlitePassageIndex(db));
  });

  afterEach(() => {
    db.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  async function indexedSources(): Promise<string[]> {
    return [...(await kb.indexedDocuments('ingest')).keys()]
      .map((source) => path.relative(folder, source))
      .sort();
  }

  function passageCount(source: string): number {
    const row = db
      .prepare<[string], { n: number }>(
        'SELECT count(*) AS n FROM kb_passages p JOIN kb_documents d ON d.id = p.document_id WHERE d.source = ?',
      )
      .get(path.join(folder, source));
    return row?.n ?? 0;
  }

  it('indexes a folder with all five formats, each chunk with its title, heading and path', async () => {
    const summary = await ingestDocuments(kb, [folder]);
    // md: 3 sections, html: 3, docx: 3, txt: 1 (short), pdf: 1 (short).
    assert.deepEqual(summary, { files: 5, indexed: 5, chunks: 11, skipped: 0, removed: 0, failed: [] });
    assert.deepEqual(await indexedSources(), FIXTURES);
    assert.deepEqual(await kb.stats(), { documents: 5, passages: 11 });

    const [hit] = await kb.search('Where do visitors get a parking permit?');
    assert.ok(hit);
    assert.equal(hit.source, path.join(folder, 'sample.docx'));
    assert.equal(hit.title, 'Office Parking Guide');
    assert.equal(hit.heading, 'Visitor parking');
  });

  it('finds text from the PDF and the DOCX by search', async () => {
    await ingestDocuments(kb, [folder]);
    const [pdfHit] = await kb.search('When is breakfast served in the cafeteria?');
    assert.ok(pdfHit);
    assert.equal(pdfHit.source, path.join(folder, 'sample.pdf'));
    assert.equal(pdfHit.title, 'Cafeteria opening hours', 'the PDF heading heuristics found its title');
    assert.match(pdfHit.snippet, /breakfast from seven until ten/);
    const [docxHit] = await kb.search('electric car charging station');
    assert.ok(docxHit);
    assert.equal(docxHit.source, path.join(folder, 'sample.docx'));
    assert.equal(docxHit.heading, 'Electric vehicles');
  });

  it('skips every file on a second run when nothing changed', async () => {
    await ingestDocuments(kb, [folder]);
    const indexedAt = db.prepare('SELECT source, indexed_at FROM kb_documents ORDER BY source').all();
    const summary = await ingestDocuments(kb, [folder]);
    assert.deepEqual(summary, { files: 5, indexed: 0, chunks: 0, skipped: 5, removed: 0, failed: [] });
    assert.deepEqual(
      db.prepare('SELECT source, indexed_at FROM kb_documents ORDER BY source').all(),
      indexedAt,
    );
  });

  it('replaces only the file that changed', async () => {
    await ingestDocuments(kb, [folder]);
    fs.writeFileSync(
      path.join(folder, 'sample.pdf'),
      buildPdf(['Cafeteria opening hours', 'Dinner is served on Thursdays until eight in the evening.']),
    );
    const summary = await ingestDocuments(kb, [folder]);
    assert.deepEqual(summary, { files: 5, indexed: 1, chunks: 1, skipped: 4, removed: 0, failed: [] });
    assert.equal((await kb.search('breakfast')).length, 0, 'the old PDF text is gone');
    assert.equal((await kb.search('dinner Thursdays'))[0]?.source, path.join(folder, 'sample.pdf'));
    assert.equal((await kb.stats()).passages, 11);
  });

  it('removes a document whose file was deleted from the folder, and leaves other documents alone', async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-other-'));
    try {
      const single = path.join(elsewhere, 'extra.txt');
      fs.writeFileSync(single, 'The gym on the roof opens at six.');
      await ingestDocuments(kb, [folder, single]);
      fs.rmSync(path.join(folder, 'sample.docx'));
      const summary = await ingestDocuments(kb, [folder]);
      assert.equal(summary.removed, 1);
      assert.equal(summary.files, 4);
      assert.equal(passageCount('sample.docx'), 0);
      assert.equal((await kb.search('parking permit')).length, 0);
      assert.ok(
        (await kb.indexedDocuments('ingest')).has(single),
        'a file outside the ingested folder stays',
      );
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('reports a broken file with its reason and indexes the others', async () => {
    fs.writeFileSync(path.join(folder, 'broken.pdf'), 'this is not a pdf at all');
    fs.writeFileSync(path.join(folder, 'broken.docx'), 'neither is this a docx');
    const outcomes: [string, FileOutcome][] = [];
    const summary = await ingestDocuments(kb, [folder, path.join(folder, 'missing.md')], {
      started: (total) => assert.equal(total, 7),
      fileDone: (file, outcome) => outcomes.push([path.basename(file), outcome]),
    });
    assert.equal(summary.files, 7);
    assert.equal(summary.indexed, 5);
    assert.deepEqual(summary.failed.map((failure) => path.basename(failure.file)).sort(), [
      'broken.docx',
      'broken.pdf',
      'missing.md',
    ]);
    const reasons = new Map(summary.failed.map((failure) => [path.basename(failure.file), failure.reason]));
    assert.match(reasons.get('broken.pdf') ?? '', /^cannot extract text \(pdf\): .*PDF/);
    assert.match(reasons.get('broken.docx') ?? '', /^cannot extract text \(docx\): /);
    assert.match(reasons.get('missing.md') ?? '', /^cannot read: .*ENOENT/);
    assert.deepEqual(await indexedSources(), FIXTURES);
    assert.equal(outcomes.length, 7);
    assert.deepEqual(outcomes.find(([name]) => name === 'sample.md')?.[1], { kind: 'indexed', passages: 3 });
  });

  it('keeps the indexed version of a file that breaks later', async () => {
    await ingestDocuments(kb, [folder]);
    fs.writeFileSync(path.join(folder, 'sample.docx'), 'truncated');
    const summary = await ingestDocuments(kb, [folder]);
    assert.equal(summary.failed.length, 1);
    assert.equal(summary.removed, 0);
    assert.equal((await kb.search('parking permit'))[0]?.source, path.join(folder, 'sample.docx'));
  });

  it('indexes a changed .docx with its new headings', async () => {
    await ingestDocuments(kb, [folder]);
    fs.writeFileSync(
      path.join(folder, 'sample.docx'),
      buildDocx([
        { style: 'Heading1', text: 'Office Parking Guide' },
        { style: 'Heading2', text: 'Motorcycles' },
        { text: 'Motorcycles park in the bays by the north ramp.' },
      ]),
    );
    await ingestDocuments(kb, [folder]);
    const [hit] = await kb.search('where do motorcycles park');
    assert.equal(hit?.heading, 'Motorcycles');
    assert.equal(passageCount('sample.docx'), 1);
  });
});

describe('ingestFolder with ingested documents', () => {
  it('keeps documents indexed by npm run ingest when it syncs the knowledge folder', async () => {
    const markdownFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-kb-'));
    const db = openDatabase({ file: ':memory:' });
    try {
      fs.writeFileSync(path.join(markdownFolder, 'faq.md'), '# FAQ\n\nThe office opens at eight.');
      const kb = new KnowledgeBase(new SqlitePassageIndex(db));
      await ingestDocuments(kb, [path.join(FIXTURE_FOLDER, 'sample.pdf')]);
      const loaded = await ingestFolder(kb, markdownFolder);
      assert.equal(loaded.removed, 0);
      assert.equal(
        (await kb.search('cafeteria breakfast'))[0]?.source,
        path.join(FIXTURE_FOLDER, 'sample.pdf'),
      );
    } finally {
      db.close();
      fs.rmSync(markdownFolder, { recursive: true, force: true });
    }
  });
});
