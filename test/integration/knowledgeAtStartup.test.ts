import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { runIngestCommand } from '../../src/knowledge/ingestion';
import type { ChatRequest } from '../../dev/offline-model';
import { postAndWaitForAnswer } from '../support/answers';
import { capturingLogger } from '../support/capturingLogger';
import { startTestBot, userMessage, type TestBot } from '../support/testBot';
import { FIXTURE_FOLDER } from '../knowledge/ingestion/fixtureFiles';

/** One result of search_knowledge as the model sees it. */
interface ToolHit {
  ref: number;
  title: string;
  heading: string;
  source: string;
  text: string;
}

describe('the knowledge folder at startup (real bot, offline model calling search_knowledge)', function () {
  this.timeout(30000);
  let folder: string;
  let extraFolder: string;
  let bot: TestBot;
  let logLines: string[];
  let conversation = 0;

  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'knowledge-startup-'));
    extraFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'knowledge-ingested-'));
    for (const name of ['sample.md', 'sample.txt', 'sample.html', 'sample.pdf', 'sample.docx']) {
      fs.copyFileSync(path.join(FIXTURE_FOLDER, name), path.join(folder, name));
    }
    fs.writeFileSync(path.join(folder, 'broken.docx'), 'not a word document');
    const { logger, raw } = capturingLogger();
    logLines = raw;
    bot = await startTestBot({
      env: { KNOWLEDGE_DIR: folder },
      logger,
      model: {
        // Round 1: search with the user's words; round 2: answer.
        script: (request: ChatRequest) => {
          const user = request.messages.filter((message) => message.role === 'user').at(-1);
          const searched = request.messages.some((message) => message.role === 'tool');
          return searched
            ? { kind: 'text', text: 'Done.' }
            : {
                kind: 'toolCalls',
                calls: [
                  {
                    name: 'search_knowledge',
                    arguments: JSON.stringify({
                      query: typeof user?.content === 'string' ? user.content : '',
                    }),
                  },
                ],
              };
        },
      },
    });
  });

  after(async () => {
    await bot.close();
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(extraFolder, { recursive: true, force: true });
  });

  /** Asks the bot; returns what search_knowledge handed to the model. */
  async function searchThroughTheBot(question: string): Promise<ToolHit[]> {
    conversation += 1;
    await postAndWaitForAnswer(bot, userMessage(question, { conversationId: `kb-${conversation}` }));
    const request = bot.model.requests.at(-1);
    const tool = request?.messages.find((message) => message.role === 'tool');
    assert.ok(tool, 'the model got a search_knowledge result');
    const result = JSON.parse(typeof tool.content === 'string' ? tool.content : '') as {
      ok: boolean;
      results: ToolHit[];
    };
    assert.equal(result.ok, true);
    return result.results;
  }

  const questions: [format: string, question: string, source: string, heading: string][] = [
    ['Markdown', 'When does the bicycle cage open?', 'sample.md', 'Access'],
    ['plain text', 'printer jams on the third floor', 'sample.txt', ''],
    ['HTML', 'catering coffee sandwiches boardroom', 'sample.html', 'Large rooms > Catering'],
    ['PDF', 'When is breakfast served in the cafeteria?', 'sample.pdf', ''],
    ['Word', 'Where do visitors get a parking permit?', 'sample.docx', 'Visitor parking'],
  ];
  for (const [format, question, source, heading] of questions) {
    it(`finds the ${format} document through search_knowledge, cited by its path in the folder`, async () => {
      const [hit] = await searchThroughTheBot(question);
      assert.equal(hit?.source, source);
      if (heading) assert.equal(hit.heading, heading);
    });
  }

  it('logs the broken file and skips it without stopping startup', () => {
    const warning = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.msg === 'knowledge document skipped: it could not be read');
    assert.ok(warning, 'a warning for the broken file');
    assert.equal(warning.file, path.join(folder, 'broken.docx'));
    assert.match(String(warning.reason), /^cannot extract text \(docx\)/);
    const loaded = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.msg === 'knowledge base loaded');
    assert.equal(loaded?.failed, 1);
    assert.equal(loaded?.indexed, 5);
  });

  it('drops a removed file on the next start and keeps a document of npm run ingest', async () => {
    fs.writeFileSync(path.join(extraFolder, 'gym.txt'), 'The rooftop gym opens at six in the morning.');
    const output: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        output.push(chunk.toString('utf8'));
        done();
      },
    });
    const code = await runIngestCommand([extraFolder], {
      env: { DATA_DIR: bot.dataDir, KNOWLEDGE_DIR: folder },
      stdout: sink,
      stderr: sink,
    });
    assert.equal(code, 0, output.join(''));
    fs.rmSync(path.join(folder, 'sample.md'));

    await bot.restart();
    const bicycles = await searchThroughTheBot('When does the bicycle cage open?');
    assert.ok(!bicycles.some((hit) => hit.source === 'sample.md'), 'the removed file is gone');
    const [gym] = await searchThroughTheBot('rooftop gym opening');
    assert.equal(
      gym?.source,
      path.join(extraFolder, 'gym.txt'),
      'the ingested document survived the restart',
    );
  });
});

describe('hybrid search in the bot (EMBEDDINGS_MODEL, offline /v1/embeddings)', function () {
  this.timeout(30000);
  let bot: TestBot;
  let failEmbeddings = false;
  let logLines: string[];
  let conversation = 0;

  before(async () => {
    const { logger, raw } = capturingLogger();
    logLines = raw;
    bot = await startTestBot({
      env: { EMBEDDINGS_MODEL: 'stand-in' },
      logger,
      model: {
        // 400 is not retried, so the fallback comes at once (retries: see openAiEmbedder.test).
        embeddingsScript: () => (failEmbeddings ? { status: 400 } : undefined),
        script: (request: ChatRequest) => {
          const user = request.messages.filter((message) => message.role === 'user').at(-1);
          const searched = request.messages.some((message) => message.role === 'tool');
          const query = typeof user?.content === 'string' ? user.content : '';
          return searched
            ? { kind: 'text', text: 'Done.' }
            : {
                kind: 'toolCalls',
                calls: [{ name: 'search_knowledge', arguments: JSON.stringify({ query }) }],
              };
        },
      },
    });
  });

  after(() => bot.close());

  async function sources(question: string): Promise<string[]> {
    conversation += 1;
    await postAndWaitForAnswer(bot, userMessage(question, { conversationId: `hybrid-${conversation}` }));
    const tool = bot.model.requests.at(-1)?.messages.find((message) => message.role === 'tool');
    assert.ok(tool);
    const result = JSON.parse(typeof tool.content === 'string' ? tool.content : '') as { results: ToolHit[] };
    return result.results.map((hit) => `${hit.source} > ${hit.heading}`);
  }

  it('embeds the knowledge folder at startup and says it searches in hybrid mode', () => {
    const loaded = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.msg === 'knowledge base loaded');
    assert.match(String(loaded?.search), /^hybrid \(lexical \+ OpenAI-compatible embeddings/);
    const embeddings = loaded?.embeddings as { embedded: number } | undefined;
    assert.ok((embeddings?.embedded ?? 0) > 20, `embedded ${embeddings?.embedded}`);
  });

  it('finds through the embeddings what lexical search misses, as a citable result of search_knowledge', async () => {
    // Lexical search alone ranks five time-off and leave passages above this section (one of the misses
    // npm run eval:retrieval lists); fused with the vector ranking it comes into the top five.
    const found = await sources('Do I get paid extra for being on call?');
    assert.ok(found.includes('on-call-runbook.md > The rotation'), found.join(', '));
  });

  it('answers from lexical search, with a warning, when the query cannot be embedded', async () => {
    failEmbeddings = true;
    try {
      const found = await sources('Which port does the VPN use?');
      assert.equal(found[0], 'remote-work-and-vpn.md > Connecting to the VPN');
      assert.ok(
        logLines.some((line) =>
          line.includes('embedding the search query failed; answering from lexical search only'),
        ),
      );
    } finally {
      failEmbeddings = false;
    }
  });
});
