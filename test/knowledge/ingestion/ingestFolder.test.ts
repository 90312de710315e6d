import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StorageError } from '../../../src/shared/errors';
import { ingestDocuments, ingestFolder } from '../../../src/knowledge/ingestion';
import { KnowledgeBase } from '../../../src/knowledge';
import { describeEachBackend, type TestBackend } from '../../support/storageBackends';
import { FIXTURE_FOLDER } from './fixtureFiles';

describeEachBackend('ingestFolder (the knowledge folder at startup)', (backendUnderTest) => {
  let folder: string;
  let backend: TestBackend;
  let kb: KnowledgeBase;

  function write(relative: string, content: string): void {
    fs.mkdirSync(path.dirname(path.join(folder, relative)), { recursive: true });
    fs.writeFileSync(path.join(folder, relative), content);
  }

  /** Number of entries in the full-text index, which must always equal the number of passages. */
  async function ftsRows(): Promise<number> {
    const [row] = await backend.rows<{ n: number | string }>(
      backendUnderTest.name === 'SQLite'
        ? 'SELECT count(*) AS n FROM kb_passages_fts'
        : 'SELECT count(*) AS n FROM kb_passages WHERE search IS NOT NULL',
    );
    return Number(row?.n);
  }

  async function origins(): Promise<Record<string, string>> {
    const rows = await backend.rows<{ source: string; origin: string }>(
      'SELECT source, origin FROM kb_documents',
    );
    return Object.fromEntries(rows.map((row) => [row.source, row.origin]));
  }

  beforeEach(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'knowledge-'));
    backend = await backendUnderTest.open();
    kb = new KnowledgeBase(backend.passageIndex);
    write('parking.md', '# Parking\n\n## Garage\n\nThe garage opens at 06:30. Use the zebra entrance.\n');
    write(
      'travel/visas.md',
      '# Visas\n\nAsk the mobility team about quokka permits.\n\n## Schengen\n\nApply early.\n',
    );
  });

  afterEach(async () => {
    await backend.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('loads every supported file recursively, with origin folder and paths relative to the folder', async () => {
    write('notes.txt', 'Plain text notes: the okapi lives on floor 3.');
    write('.drafts/secret.md', '# Secret\n\nzebra');
    write('image.png', 'not a document');
    const summary = await ingestFolder(kb, folder);
    assert.deepEqual(summary, { files: 3, indexed: 3, chunks: 4, skipped: 0, removed: 0, failed: [] });
    const [hit] = await kb.search('quokka');
    assert.equal(hit?.source, 'travel/visas.md');
    assert.equal(hit?.documentId, 'travel/visas');
    assert.equal(hit?.heading, '');
    assert.equal((await kb.search('okapi'))[0]?.source, 'notes.txt');
    assert.deepEqual(
      (await kb.search('zebra')).map((found) => found.source),
      ['parking.md'],
    );
    assert.deepEqual(await origins(), {
      'notes.txt': 'folder',
      'parking.md': 'folder',
      'travel/visas.md': 'folder',
    });
  });

  it('uses the file name as the title when there is no # heading', async () => {
    write('no-title.md', '## Only a section\n\nThe wombat lives here.\n');
    await ingestFolder(kb, folder);
    const [hit] = await kb.search('wombat');
    assert.equal(hit?.title, 'no-title');
    assert.equal(hit?.heading, 'Only a section');
  });

  it('skips every document when the folder has not changed', async () => {
    await ingestFolder(kb, folder);
    const indexedAt = await backend.rows('SELECT source, indexed_at FROM kb_documents ORDER BY source');
    const summary = await ingestFolder(kb, folder);
    assert.deepEqual(summary, { files: 2, indexed: 0, chunks: 0, skipped: 2, removed: 0, failed: [] });
    assert.deepEqual(
      await backend.rows('SELECT source, indexed_at FROM kb_documents ORDER BY source'),
      indexedAt,
    );
  });

  it('replaces a changed document, leaving no trace of its old passages', async () => {
    await ingestFolder(kb, folder);
    write(
      'parking.md',
      '# Parking\n\n## Bicycles\n\nBicycles go in the narwhal rack.\n\n## Cars\n\nCars use level 2.\n',
    );
    const summary = await ingestFolder(kb, folder);
    assert.deepEqual(summary, { files: 2, indexed: 1, chunks: 2, skipped: 1, removed: 0, failed: [] });
    assert.deepEqual(await kb.search('zebra'), []);
    assert.deepEqual(
      (await kb.search('narwhal')).map((hit) => [hit.source, hit.heading]),
      [['parking.md', 'Bicycles']],
    );
    assert.equal(await ftsRows(), (await kb.stats()).passages);
  });

  it('removes a document whose file is gone, and never a document of npm run ingest', async () => {
    await ingestDocuments(kb, [path.join(FIXTURE_FOLDER, 'sample.pdf')]);
    await ingestFolder(kb, folder);
    fs.rmSync(path.join(folder, 'travel'), { recursive: true });
    const summary = await ingestFolder(kb, folder);
    assert.equal(summary.removed, 1);
    assert.deepEqual(await kb.search('quokka'), []);
    assert.deepEqual(await origins(), {
      'parking.md': 'folder',
      [path.join(FIXTURE_FOLDER, 'sample.pdf')]: 'ingest',
    });
    assert.equal(await ftsRows(), (await kb.stats()).passages);
  });

  it('is not removed by npm run ingest of another folder, nor removes its documents', async () => {
    await ingestFolder(kb, folder);
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-other-'));
    try {
      fs.writeFileSync(path.join(other, 'gym.txt'), 'The gym on the roof opens at six.');
      await ingestDocuments(kb, [other]);
      fs.rmSync(path.join(other, 'gym.txt'));
      const summary = await ingestDocuments(kb, [other]);
      assert.equal(summary.removed, 1);
      assert.deepEqual(await origins(), { 'parking.md': 'folder', 'travel/visas.md': 'folder' });
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('logs nothing fatal for a broken file: it is reported and the others are indexed', async () => {
    write('broken.pdf', 'this is not a pdf');
    const summary = await ingestFolder(kb, folder);
    assert.equal(summary.indexed, 2);
    assert.deepEqual(
      summary.failed.map((failure) => path.basename(failure.file)),
      ['broken.pdf'],
    );
    assert.match(summary.failed[0].reason, /^cannot extract text \(pdf\)/);
  });

  it('keeps the index across a restart of the bot', async () => {
    await ingestFolder(kb, folder);
    await backend.disconnect();
    const second = await backend.reconnect();
    try {
      const reopened = new KnowledgeBase(second.passageIndex);
      assert.equal((await reopened.search('quokka'))[0]?.source, 'travel/visas.md');
      assert.equal((await ingestFolder(reopened, folder)).skipped, 2);
    } finally {
      await second.disconnect();
    }
  });

  it('refuses a folder that does not exist and keeps what was indexed', async () => {
    await ingestFolder(kb, folder);
    await assert.rejects(ingestFolder(kb, path.join(folder, 'missing')), StorageError);
    assert.deepEqual(await kb.stats(), { documents: 2, passages: 3 });
  });
});
