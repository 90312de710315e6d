import { strict as assert } from 'node:assert';
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openDatabase, SqliteFeedbackStore, SqliteWorkItemStore } from '../../src/storage';
import {
  launchChromium,
  screenshotFolder,
  skipWithoutChromium,
  type ScreenshotFolder,
} from '../support/chromium';
import { startTestBot, type TestBot } from '../support/testBot';
import { waitFor } from '../support/waitFor';

const API_KEY = 'browser-chat-key-0123456789';

async function ask(page: Page, question: string): Promise<void> {
  await page.fill('#question', question);
  await page.click('#send');
}

describe('chat page (GET /chat) in a real browser (Chromium)', function () {
  this.timeout(60000);
  let bot: TestBot | undefined;
  let browser: Browser | undefined;
  let shots: ScreenshotFolder | undefined;

  before(async function () {
    skipWithoutChromium(this);
    // The screenshot: kept in CHAT_SCREENSHOT_DIR, to look at the page, or removed.
    shots = screenshotFolder(process.env.CHAT_SCREENSHOT_DIR, 'chat-page-');
    // Slow enough to watch the text grow and to press Stop mid-answer.
    bot = await startTestBot({
      env: { CHAT_API_KEY: API_KEY, KNOWLEDGE_BASE_URL: 'https://wiki.example.com/kb/' },
      model: { timeToFirstTokenMs: 200, tokensPerSecond: 25 },
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await bot?.close();
    if (shots?.remove) rmSync(shots.dir, { recursive: true, force: true });
  });

  it('streams an answer with its sources, stops one mid-answer with Stop, and shows errors clearly', async () => {
    assert.ok(browser && bot && shots);
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    const response = await page.goto(`${bot.service.url}/chat#key=${API_KEY}`);
    assert.equal(response?.status(), 200);
    assert.equal(await page.title(), 'Stream Assistant · chat');
    assert.equal(new URL(page.url()).hash, '', 'the key is taken out of the address bar');

    // 1. A question: the text grows while it streams, then the sources and the token usage show.
    await ask(page, 'How do I connect to the VPN?');
    const answer = page.locator('li.message.assistant').first();
    await answer.locator('.text').filter({ hasText: /\S/ }).waitFor();
    const firstLength = (await answer.locator('.text').textContent())?.length ?? 0;
    assert.ok(await page.locator('#stop').isVisible(), 'Stop shows while the answer streams');
    await page.waitForFunction(
      (length) =>
        (document.querySelector('li.message.assistant .text')?.textContent?.length ?? 0) > length + 30,
      firstLength,
    );
    await answer.locator('.usage').waitFor({ timeout: 20000 });
    assert.ok(!(await page.locator('#stop').isVisible()), 'Stop goes away when the answer is complete');
    const text = (await answer.locator('.text').textContent()) ?? '';
    assert.ok(text.length > firstLength + 30, 'the text grew as it streamed');
    assert.match(text, /\[1\]/);
    const sources = await answer.locator('.sources li').allTextContents();
    assert.ok(sources.length >= 1);
    assert.equal(sources[0], 'Remote Work and VPN: Connecting to the VPN');
    // With KNOWLEDGE_BASE_URL the source is a link to the published document, opened safely in a new tab.
    const link = answer.locator('.sources li a').first();
    assert.equal(await link.getAttribute('href'), 'https://wiki.example.com/kb/remote-work-and-vpn.md');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    assert.match(
      (await answer.locator('.usage').textContent()) ?? '',
      /^\d+ prompt \+ \d+ completion tokens$/,
    );
    assert.equal(await answer.locator('.tools li').first().textContent(), 'Tool: search_knowledge (done)');
    await answer.locator('.feedback button.like').click();
    await answer.locator('.feedback .thanks').waitFor();
    const db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });
    try {
      const [feedback] = await new SqliteFeedbackStore(db).list(1);
      assert.equal(feedback?.reaction, 'like');
      assert.equal(feedback?.answer?.question, 'How do I connect to the VPN?');
    } finally {
      db.close();
    }

    // 2. Stop mid-answer: the request is aborted, the model request closed, the page is ready again.
    await ask(page, 'And what are the security rules for remote work?');
    const second = page.locator('li.message.assistant').nth(1);
    await second.locator('.text').filter({ hasText: /\S/ }).waitFor();
    await page.click('#stop');
    await second.locator('.stopped').waitFor();
    assert.ok(await waitFor(() => bot?.model.stats.aborted === 1, 2000), 'the model request was aborted');
    assert.equal(await second.locator('.sources li').count(), 0, 'a stopped answer has no sources');
    assert.ok(await page.locator('#send').isEnabled(), 'a new question can be asked');
    const stoppedText = (await second.locator('.text').textContent()) ?? '';
    assert.ok(stoppedText.length > 0 && stoppedText.length < 400, 'part of the answer shows');

    const file = path.join(shots.dir, 'chat-page.png');
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(statSync(file).size > 10_000, 'a screenshot with content');

    // 3. A wrong key is a clear error, not a silent failure.
    await page.fill('#key', 'not-the-key');
    await page.dispatchEvent('#key', 'change');
    await ask(page, 'Hello?');
    const error = page.locator('li.message.assistant').nth(2).locator('.error');
    await error.waitFor();
    assert.equal(await error.textContent(), 'The chat API key is missing or wrong. Enter the key above.');
    assert.deepEqual(
      pageErrors.filter((message) => !message.includes('401')),
      [],
      'no script errors (the CSP lets the page script run)',
    );
    await page.close();
  });

  it('shows a change to an existing work item with Confirm / Cancel, and Confirm applies it', async () => {
    assert.ok(browser && bot && shots);
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${bot.service.url}/chat#key=${API_KEY}`);

    await ask(page, 'create a task called Rotate keys');
    const first = page.locator('li.message.assistant').first();
    await first.locator('.usage').waitFor({ timeout: 20000 });
    const id = /\*\*(WI-\d+)\*\*/.exec((await first.locator('.text').textContent()) ?? '')?.[1];
    assert.ok(id);

    await ask(page, `rename ${id} to PWNED and mark it resolved`);
    const box = page.locator('li.message.assistant').nth(1).locator('.confirmation');
    await box.waitFor({ timeout: 20000 });
    assert.equal(await box.locator('.confirmation-title').textContent(), 'Change 1 work item(s)?');
    assert.equal(await box.locator('.confirmation-item').textContent(), `${id} "Rotate keys"`);
    assert.deepEqual(await box.locator('.confirmation-fields tr').allTextContents(), [
      'TitleRotate keys→PWNED',
      'Statusnew→resolved',
    ]);
    const db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });
    try {
      const store = new SqliteWorkItemStore(db);
      // The page's chat id is its own (random): find the item's conversation by its id.
      const [stored] = db
        .prepare('SELECT conversation_id AS conversationId FROM work_items WHERE id = ?')
        .all(Number(id.slice(3))) as Array<{ conversationId: string }>;
      const scope = { tenantId: 'local', conversationId: stored.conversationId };
      assert.equal((await store.get(scope, id))?.title, 'Rotate keys', 'nothing changed before Confirm');

      await page.screenshot({ path: path.join(shots.dir, 'chat-confirmation.png'), fullPage: true });
      await box.locator('button.confirm').click();
      await box.locator('.confirmation-outcome').waitFor();
      assert.match(
        (await box.locator('.confirmation-outcome').textContent()) ?? '',
        /Done: the change was applied\./,
      );
      assert.equal(await box.locator('button').count(), 0, 'the buttons are gone');
      const after = await store.get(scope, id);
      assert.deepEqual([after?.title, after?.status], ['PWNED', 'resolved']);
    } finally {
      db.close();
    }
    assert.deepEqual(pageErrors, []);
    await page.close();
  });
});
