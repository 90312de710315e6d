import { ingestFolder } from '../../src/knowledge/ingestion';
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { KnowledgeBase, SqlitePassageIndex } from '../../src/knowledge';
import { openDatabase, type Db } from '../../src/storage';
import { searchKnowledgeTool, type ToolContext } from '../../src/tools';

/** The sample knowledge base shipped with the bot (test files are compiled to build/test/tools). */
const KNOWLEDGE_FOLDER = path.resolve(__dirname, '../../../knowledge');

type SourceArgument = Parameters<ToolContext['addSource']>[0];

interface SearchResult {
  ref: number;
  title: string;
  heading: string;
  source: string;
  text: string;
}

/**
 * A tool context whose addSource records each call and answers with numbers that do not start at 1
 * (as in a turn that already has sources), so a test can tell them from list indices.
 */
function recordingContext(firstNumber = 7) {
  const sources: SourceArgument[] = [];
  const context: ToolContext = {
    scope: { tenantId: 'tenant-a', conversationId: 'a:1' },
    userId: 'aad-dana',
    userName: 'Dana Scully',
    conversationType: 'personal',
    noteCreatedWorkItem: () => undefined,
    createdThisTurn: () => false,
    requestConfirmation() {
      throw new Error('search never asks for a confirmation');
    },
    addSource(source) {
      sources.push(source);
      return firstNumber + sources.length - 1;
    },
  };
  return { context, sources };
}

describe('search_knowledge tool', () => {
  let db: Db;
  let knowledge: KnowledgeBase;

  before(async () => {
    db = openDatabase({ file: ':memory:' });
    knowledge = new KnowledgeBase(new SqlitePassageIndex(db));
    await ingestFolder(knowledge, KNOWLEDGE_FOLDER);
  });

  after(() => {
    db.close();
  });

  it('is called search_knowledge, as in actions.json', () => {
    assert.equal(searchKnowledgeTool(knowledge).name, 'search_knowledge');
  });

  it('registers one source per hit, keyed by the passage id, and returns each hit with the ref it got', async () => {
    const query = 'How do I connect to the VPN from home?';
    const hits = await knowledge.search(query, 5);
    assert.ok(hits.length >= 2, `the sample knowledge base has VPN passages (found ${hits.length})`);

    const { context, sources } = recordingContext(7);
    const result = await searchKnowledgeTool(knowledge).run({ query }, context);

    assert.equal(result.ok, true);
    assert.deepEqual(
      sources.map((source) => source.key),
      hits.map((hit) => hit.id),
    );
    const results = result.results as SearchResult[];
    assert.deepEqual(
      results.map((entry) => entry.ref),
      hits.map((_, index) => 7 + index),
      'each ref is the number addSource returned',
    );
    assert.deepEqual(results[0], {
      ref: 7,
      title: hits[0].title,
      heading: hits[0].heading,
      source: hits[0].source,
      text: hits[0].text,
    });
    assert.match(String(result.instructions), /cite each fact with its \[ref\] marker/);
  });

  it('describes each source by document title and section, its snippet and its file', async () => {
    const query = 'hotel per night London';
    const [hit] = await knowledge.search(query, 5);
    assert.ok(hit, 'the expense policy has a hotel passage');
    const { context, sources } = recordingContext();
    await searchKnowledgeTool(knowledge).run({ query }, context);
    assert.deepEqual(sources[0], {
      key: hit.id,
      title: hit.heading ? `${hit.title}: ${hit.heading}` : hit.title,
      text: hit.snippet || hit.text,
      location: hit.source,
    });
    assert.ok(sources[0].title.startsWith(`${hit.title}: `), 'the hit has a section heading');
  });

  it('links each knowledge-folder source to KNOWLEDGE_BASE_URL, and an ingested (absolute-path) one to nothing', async () => {
    await knowledge.indexDocument({
      source: '/srv/manuals/zebra printer manual.md',
      origin: 'ingest',
      fallbackTitle: 'Zebra printer manual',
      markdown: '# Zebra printer manual\n\nThe zebra label printer needs the xylograph driver.',
      contentHash: 'zebra-1',
    });
    const { context, sources } = recordingContext();
    await searchKnowledgeTool(knowledge, { baseUrl: 'https://wiki.example.com/kb' }).run(
      { query: 'hotel per night London' },
      context,
    );
    assert.ok(sources.length > 0);
    for (const source of sources) {
      assert.ok(!source.location.startsWith('/'), `a folder source: ${source.location}`);
      assert.equal(
        source.url,
        `https://wiki.example.com/kb/${source.location.split('/').map(encodeURIComponent).join('/')}`,
      );
    }
    assert.equal(sources[0].url, 'https://wiki.example.com/kb/expense-policy.md');

    const ingested = recordingContext();
    await searchKnowledgeTool(knowledge, { baseUrl: 'https://wiki.example.com/kb' }).run(
      { query: 'zebra xylograph driver' },
      ingested.context,
    );
    assert.equal(ingested.sources[0]?.location, '/srv/manuals/zebra printer manual.md');
    assert.equal(ingested.sources[0]?.url, undefined, 'no link for a document of npm run ingest');
  });

  it('returns at most 5 results', async () => {
    const { context, sources } = recordingContext();
    const result = await searchKnowledgeTool(knowledge).run(
      { query: 'policy process security expense VPN onboarding time off release' },
      context,
    );
    assert.equal((result.results as SearchResult[]).length, 5);
    assert.equal(sources.length, 5);
  });

  it('returns ok with no results, no sources and no instructions when nothing matches', async () => {
    const { context, sources } = recordingContext();
    const result = await searchKnowledgeTool(knowledge).run({ query: 'zzzzqqqq' }, context);
    assert.deepEqual(result, { ok: true, results: [] });
    assert.deepEqual(sources, []);
  });
});
