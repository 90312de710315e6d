import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { ingestFolder } from '../../src/knowledge/ingestion';
import { KnowledgeBase, PASSAGE_SIZE_CAP, SNIPPET_MAX_LENGTH } from '../../src/knowledge';
import { describeEachBackend, type TestBackend } from '../support/storageBackends';

/** The sample knowledge base shipped with the bot (test files are compiled to build/test/knowledge). */
const KNOWLEDGE_FOLDER = path.resolve(__dirname, '../../../knowledge');

describeEachBackend('KnowledgeBase', (backendUnderTest) => {
  let backend: TestBackend;
  let kb: KnowledgeBase;

  beforeEach(async () => {
    backend = await backendUnderTest.open();
    kb = new KnowledgeBase(backend.passageIndex);
  });

  afterEach(async () => {
    await backend.close();
  });

  describe('with the sample documents', () => {
    const markdownFiles = fs.readdirSync(KNOWLEDGE_FOLDER).filter((name) => name.endsWith('.md'));

    beforeEach(async () => {
      await ingestFolder(kb, KNOWLEDGE_FOLDER);
    });

    it('indexes every document, several passages each, none over the size cap', async () => {
      assert.ok(markdownFiles.length >= 6, 'the sample knowledge base has at least 6 documents');
      const stats = await kb.stats();
      assert.equal(stats.documents, markdownFiles.length);
      assert.ok(stats.passages >= markdownFiles.length * 4, `only ${stats.passages} passages`);
      const perDocument = (
        await backend.rows<{ source: string; n: number | string; longest: number }>(
          `SELECT d.source, count(*) AS n, max(length(p.text)) AS longest
           FROM kb_passages p JOIN kb_documents d ON d.id = p.document_id GROUP BY d.source`,
        )
      ).map((row) => ({ ...row, n: Number(row.n) }));
      assert.deepEqual(perDocument.map((row) => row.source).sort(), [...markdownFiles].sort());
      for (const row of perDocument) {
        assert.ok(row.n >= 4, `${row.source} has only ${row.n} passages`);
        assert.ok(
          row.longest <= PASSAGE_SIZE_CAP,
          `${row.source} has a passage of ${row.longest} characters`,
        );
      }
    });

    it('describes each hit with its title, section path, source file and a short snippet', async () => {
      const [hit] = await kb.search('How much can I spend on a hotel per night in London?');
      assert.ok(hit);
      assert.equal(hit.source, 'expense-policy.md');
      assert.equal(hit.documentId, 'expense-policy');
      assert.equal(hit.title, 'Contoso Expense Policy');
      assert.equal(hit.heading, 'Travel');
      assert.match(hit.id, /^expense-policy#\d+$/);
      assert.match(hit.text, /300 USD per night/);
      assert.match(hit.snippet, /300 USD per night in London/);
      assert.ok(hit.snippet.length <= SNIPPET_MAX_LENGTH);
      assert.ok(hit.score > 0);
    });

    const firstHit: [question: string, source: string, heading: string][] = [
      ['How much can I spend on a hotel per night in London?', 'expense-policy.md', 'Travel'],
      ['Within how many days must I submit my expense receipts?', 'expense-policy.md', 'Submitting expenses'],
      ['What is the mileage rate when I drive my own car?', 'expense-policy.md', 'Travel'],
      ['Which port does the VPN use?', 'remote-work-and-vpn.md', 'Connecting to the VPN'],
      ['VPN gateway unreachable from the hotel wifi', 'remote-work-and-vpn.md', 'Troubleshooting'],
      ['When does the code freeze start for a release?', 'release-process.md', 'Release schedule'],
      ['How do I reset my password?', 'it-helpdesk-faq.md', 'Passwords and sign-in'],
      ['Can I carry over unused PTO to next year?', 'time-off-policy.md', 'Carry-over'],
      ['How long is parental leave?', 'time-off-policy.md', 'Parental leave'],
      ['I clicked a link in a phishing email, what now?', 'security-incident-response.md', 'How to report'],
      ['Can I get a second monitor?', 'it-helpdesk-faq.md', 'Laptops and equipment'],
    ];
    for (const [question, source, heading] of firstHit) {
      it(`answers "${question}" from ${source} > ${heading} first`, async () => {
        const [hit] = await kb.search(question);
        assert.equal(`${hit?.source} > ${hit?.heading}`, `${source} > ${heading}`);
      });
    }

    const inTopThree: [question: string, source: string][] = [
      ['How fast must I acknowledge a Sev1 page?', 'on-call-runbook.md'],
      ['How do I roll back a bad deployment?', 'release-process.md'],
      ['How do I roll back a bad deployment?', 'on-call-runbook.md'],
      ['What should I do on my first day?', 'onboarding-checklist.md'],
      ['How many vacation days do I get per year?', 'time-off-policy.md'],
      ['Is there a stipend for home office equipment?', 'remote-work-and-vpn.md'],
      ['who approves expense reports above 10000 USD', 'expense-policy.md'],
      ['my laptop was stolen', 'security-incident-response.md'],
    ];
    for (const [question, source] of inTopThree) {
      it(`finds ${source} among the first three hits for "${question}"`, async () => {
        const sources = (await kb.search(question, 3)).map((hit) => hit.source);
        assert.ok(sources.includes(source), `got ${sources.join(', ')}`);
      });
    }

    it('returns at most `limit` hits, 5 by default, best first', async () => {
      assert.equal((await kb.search('policy days USD')).length, 5);
      assert.equal((await kb.search('policy days USD', 2)).length, 2);
      const scores = (await kb.search('policy days USD', 20)).map((hit) => hit.score);
      assert.deepEqual(
        scores,
        [...scores].sort((a, b) => b - a),
      );
    });

    it('matches word forms through stemming and prefixes', async () => {
      assert.equal((await kb.search('reimbursing'))[0]?.source, 'expense-policy.md');
      const [prefixHit] = await kb.search('pager');
      assert.equal(prefixHit?.source, 'on-call-runbook.md');
      assert.match(prefixHit.text, /PagerDuty/);
    });

    it('returns nothing for an empty query or one made only of stop words and punctuation', async () => {
      for (const query of ['', '   ', 'what is the', '?!', '" " *', '🙂🙃']) {
        assert.deepEqual(await kb.search(query), [], JSON.stringify(query));
      }
    });

    const hostile = [
      '"',
      '"unbalanced quote',
      'VPN" OR "',
      'AND OR NOT',
      'vpn AND NOT password',
      'NEAR(vpn password, 2)',
      '*',
      'vpn*',
      '-vpn',
      'title:vpn',
      '{title heading}: vpn',
      '^vpn',
      '(((vpn)',
      'vpn) OR (',
      "'; DROP TABLE kb_passages; --",
      '🙂 VPN 🔒 password 🚀',
      'naïve café Straße ²³ ½ 東京 مرحبا',
      '\u0000\u0001\u200b\ufeff',
      'x'.repeat(5000),
      'How do I connect to the VPN? '.repeat(180),
      Array.from({ length: 900 }, (_, index) => `w${index}`).join(' '),
    ];
    for (const query of hostile) {
      it(`does not throw for the query ${JSON.stringify(query.length > 40 ? `${query.slice(0, 40)}…` : query)}`, async () => {
        const hits = await kb.search(query);
        assert.ok(Array.isArray(hits));
        for (const hit of hits) assert.ok(hit.snippet.length <= SNIPPET_MAX_LENGTH);
      });
    }

    it('still finds the content words of a query full of operators', async () => {
      assert.equal((await kb.search('"VPN" AND (port OR NOT) -*'))[0]?.source, 'remote-work-and-vpn.md');
    });
  });
});
