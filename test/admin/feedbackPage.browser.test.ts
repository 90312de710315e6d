import { strict as assert } from 'node:assert';
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import {
  launchChromium,
  screenshotFolder,
  skipWithoutChromium,
  type ScreenshotFolder,
} from '../support/chromium';
import { startTestBot, type TestBot } from '../support/testBot';
import { seedFeedback } from './seedFeedback';

const TOKEN = 'browser-admin-token-0123456789';

describe('feedback page in a real browser (Chromium)', function () {
  this.timeout(60000);
  let bot: TestBot | undefined;
  let browser: Browser | undefined;
  let shots: ScreenshotFolder | undefined;

  before(async function () {
    skipWithoutChromium(this);
    // The screenshot: kept in ADMIN_SCREENSHOT_DIR, to look at the page, or removed.
    shots = screenshotFolder(process.env.ADMIN_SCREENSHOT_DIR, 'admin-page-');
    bot = await startTestBot({ env: { ADMIN_TOKEN: TOKEN } });
    await seedFeedback(bot.dataDir, [
      { reaction: 'like', daysAgo: 12, question: 'What is the expense limit for meals?' },
      { reaction: 'like', daysAgo: 12, question: 'Can I expense a taxi?' },
      { reaction: 'dislike', daysAgo: 9, question: 'How do I reset my VPN token?', comment: 'Outdated' },
      { reaction: 'like', daysAgo: 5, question: 'How do I book travel?' },
      { reaction: 'like', daysAgo: 2, question: 'Where is the office?' },
      {
        reaction: 'dislike',
        daysAgo: 1,
        question: 'Why does <script>alert("x")</script> appear?',
        answer: 'The answer cited the wrong policy [1].',
        comment: 'Wrong policy cited',
        sources: [{ position: 1, title: 'Travel Policy', url: 'https://contoso.example/travel' }],
      },
      { reaction: 'like', daysAgo: 0, question: 'How many PTO days do I get?' },
    ]);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await bot?.close();
    if (shots?.remove) rmSync(shots.dir, { recursive: true, force: true });
  });

  it('renders the ratio, a chart with bars and the dislikes, loading nothing else and running no script', async () => {
    assert.ok(browser && bot && shots);
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const pageUrl = `${bot.service.url}/admin/feedback?token=${TOKEN}`;
    const response = await page.goto(pageUrl);
    assert.equal(response?.status(), 200);

    assert.equal(await page.title(), 'Feedback insights');
    assert.equal((await page.locator('#like-ratio').textContent())?.trim(), '71% liked');
    assert.equal(await page.locator('#total').textContent(), '7 total');

    const chart = page.locator('svg.feedback-chart');
    assert.ok(await chart.isVisible(), 'the chart is visible');
    assert.equal(await chart.locator('rect.bar.like').count(), 4, 'four days with likes');
    assert.equal(await chart.locator('rect.bar.dislike').count(), 2, 'two days with dislikes');
    const tallest = await chart.locator('rect.bar.like[data-count="2"]').boundingBox();
    const single = await chart.locator('rect.bar.like[data-count="1"]').first().boundingBox();
    assert.ok(tallest && single && tallest.height > single.height * 1.8, 'bar heights follow the counts');

    const dislikes = page.locator('li.dislike');
    assert.equal(await dislikes.count(), 2);
    assert.equal(
      await dislikes.first().locator('.question').textContent(),
      'Why does <script>alert("x")</script> appear?',
      'the injected markup shows as text',
    );
    assert.equal(await dislikes.first().locator('.comment').textContent(), 'Wrong policy cited');
    assert.equal(await dislikes.nth(1).locator('.question').textContent(), 'How do I reset my VPN token?');
    assert.equal(await page.locator('script').count(), 0);
    assert.deepEqual(dialogs, [], 'no script ran');
    assert.deepEqual(requested, [pageUrl], 'the page loads nothing besides itself');

    const file = path.join(shots.dir, 'admin-feedback.png');
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(statSync(file).size > 10_000, 'a screenshot with content');
    await page.close();
  });
});
