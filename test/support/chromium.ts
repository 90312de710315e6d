import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium; CHROMIUM_PATH overrides it (e.g. to check the message when it is missing). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The command line of every browser test: headless, no sandbox (tests may run as root in a container), no
 * GPU, no QUIC, and none of the browser's own traffic (first-run pages, background requests, component
 * updates, sync), so a page's requests are the page's alone.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * For a browser suite's `before` hook: when Chromium is missing, skips the suite with the reason (a developer
 * machine), or fails when CI=true (CI installs chromium, see .ci/run).
 */
export function skipWithoutChromium(context: Mocha.Context): void {
  if (existsSync(CHROMIUM_PATH)) return;
  const message = `${CHROMIUM_PATH} is missing: the browser test needs Debian's chromium (apt-get install -y chromium).`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
  context.skip();
}

/**
 * Launches Debian's Chromium through playwright-core with {@link CHROMIUM_ARGS} and a fresh user data dir
 * (Playwright makes a new temporary profile for every launch). The caller closes the browser, which ends
 * the browser process and deletes that profile: nothing is left behind.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

/** Where a browser test puts its screenshots; `remove` says whether the test deletes `dir` afterwards. */
export interface ScreenshotFolder {
  dir: string;
  remove: boolean;
}

/**
 * A temporary folder (named after `prefix`) the test removes, or the folder `kept` names (from an
 * environment variable such as ADMIN_SCREENSHOT_DIR), created if needed and kept, to look at the page.
 */
export function screenshotFolder(kept: string | undefined, prefix: string): ScreenshotFolder {
  if (kept) {
    mkdirSync(kept, { recursive: true });
    return { dir: kept, remove: false };
  }
  return { dir: mkdtempSync(path.join(os.tmpdir(), prefix)), remove: true };
}
