import { strict as assert } from 'node:assert';
import { startTestBot, type TestBot } from '../support/testBot';
import { parseCsv } from './csvRows';
import { seedFeedback } from './seedFeedback';

const TOKEN = 'admin-token-for-tests-0123456789';

function assertSecurityHeaders(response: Response): void {
  assert.equal(
    response.headers.get('content-security-policy'),
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
  );
  // No other site may frame the page (clickjacking); X-Frame-Options for browsers without CSP level 2.
  assert.equal(response.headers.get('x-frame-options'), 'DENY');
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(response.headers.get('cache-control'), 'no-store');
}

describe('GET /admin/feedback on the real bot', function () {
  this.timeout(30000);

  describe('without ADMIN_TOKEN configured', () => {
    let bot: TestBot;
    before(async () => {
      bot = await startTestBot();
    });
    after(() => bot.close());

    it('does not exist (404), whatever token is presented', async () => {
      const plain = await fetch(`${bot.service.url}/admin/feedback`);
      assert.equal(plain.status, 404);
      const withToken = await fetch(`${bot.service.url}/admin/feedback?token=${TOKEN}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      assert.equal(withToken.status, 404);
      assert.equal((await fetch(`${bot.service.url}/healthz`)).status, 200, 'the bot itself is up');
    });
  });

  describe('with ADMIN_TOKEN configured', () => {
    let bot: TestBot;
    before(async () => {
      bot = await startTestBot({ env: { ADMIN_TOKEN: TOKEN } });
      await seedFeedback(bot.dataDir, [
        { reaction: 'like', daysAgo: 3, question: 'What is the expense limit for meals?' },
        { reaction: 'like', daysAgo: 1, question: 'How do I book travel?' },
        {
          reaction: 'dislike',
          daysAgo: 1,
          question: 'Secret question about <script>alert(1)</script>',
          answer: 'A wrong answer',
          comment: '=HYPERLINK("http://evil.example")',
          sources: [{ position: 1, title: 'Travel Policy', url: 'https://contoso.example/travel' }],
        },
        { reaction: 'like', daysAgo: 0, question: 'Where is the office?' },
      ]);
    });
    after(() => bot.close());

    it('answers 401 without data to a request with no token or a wrong one', async () => {
      const attempts = [
        fetch(`${bot.service.url}/admin/feedback`),
        fetch(`${bot.service.url}/admin/feedback?format=csv`),
        fetch(`${bot.service.url}/admin/feedback?token=wrong-token-0123456789`),
        fetch(`${bot.service.url}/admin/feedback`, { headers: { authorization: `Bearer ${TOKEN}x` } }),
        fetch(`${bot.service.url}/admin/feedback`, { headers: { authorization: `Basic ${TOKEN}` } }),
      ];
      for (const response of await Promise.all(attempts)) {
        assert.equal(response.status, 401);
        assertSecurityHeaders(response);
        assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="admin"');
        const body = await response.text();
        assert.doesNotMatch(body, /Secret question|expense|dislike|like/i);
      }
    });

    it('serves the page with the Bearer token: ratio, totals, chart and the escaped dislike', async () => {
      const response = await fetch(`${bot.service.url}/admin/feedback`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
      assertSecurityHeaders(response);
      const html = await response.text();
      assert.match(html, /id="like-ratio">75% liked</);
      assert.match(html, /3 likes<\/span><span id="dislikes">1 dislike<\/span><span id="total">4 total/);
      assert.equal([...html.matchAll(/<rect class="bar like"/g)].length, 3, 'three days with likes');
      assert.equal([...html.matchAll(/<rect class="bar dislike"/g)].length, 1);
      assert.match(html, /Secret question about &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
      assert.ok(!html.includes('<script'));
      assert.match(
        html,
        /href="\/admin\/feedback\?format=csv"/,
        'no token in the link when it came in a header',
      );
    });

    it('serves the page with ?token= for a browser, keeping the token on the CSV link', async () => {
      const response = await fetch(`${bot.service.url}/admin/feedback?token=${TOKEN}`);
      assert.equal(response.status, 200);
      assert.match(
        await response.text(),
        new RegExp(`href="/admin/feedback\\?format=csv&amp;token=${TOKEN}"`),
      );
    });

    it('exports every record as CSV with a download file name', async () => {
      const response = await fetch(`${bot.service.url}/admin/feedback?format=csv&token=${TOKEN}`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
      assert.match(
        response.headers.get('content-disposition') ?? '',
        /^attachment; filename="feedback-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      assertSecurityHeaders(response);
      const rows = parseCsv(await response.text());
      assert.deepEqual(rows[0], [
        'time',
        'reaction',
        'comment',
        'question',
        'answer',
        'sources',
        'user',
        'tenant',
        'conversation',
        'message id',
      ]);
      assert.equal(rows.length, 5, 'a header and four records');
      assert.deepEqual(
        rows.slice(1).map((row) => row[3]),
        [
          'Where is the office?',
          'Secret question about <script>alert(1)</script>',
          'How do I book travel?',
          'What is the expense limit for meals?',
        ],
        'newest first',
      );
      const dislike = rows[2];
      assert.equal(dislike?.[1], 'dislike');
      assert.equal(dislike?.[2], `'=HYPERLINK("http://evil.example")`);
      assert.equal(dislike?.[5], '[1] Travel Policy <https://contoso.example/travel>');
      assert.deepEqual(dislike?.slice(6), ['aad-user-1', 'tenant-1', 'admin-chat', 'seeded-3']);
    });

    it('answers 400 to an unknown format', async () => {
      const response = await fetch(`${bot.service.url}/admin/feedback?format=xml&token=${TOKEN}`);
      assert.equal(response.status, 400);
    });
  });
});
