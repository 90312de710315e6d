import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BOT_ENTRY, offlineBotEnv, startBotProcess, type BotProcess } from '../e2e/botProcess';

describe('startup: anonymous mode is for local development only', function () {
  this.timeout(60000);
  let bot: BotProcess | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot?.removeData();
    bot = undefined;
  });

  it('refuses to start with NODE_ENV=production and no bot credentials, in one clear line', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bot-production-'));
    try {
      const result = spawnSync(process.execPath, [BOT_ENTRY], {
        env: { ...offlineBotEnv(dataDir, 0), NODE_ENV: 'production' },
        encoding: 'utf8',
        timeout: 30000,
      });
      assert.equal(result.status, 1, `exit code ${result.status}; output: ${result.stdout}${result.stderr}`);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one line: ${result.stderr}`);
      assert.match(lines[0], /^Configuration error: BOT_ID: is required when NODE_ENV=production/);
      assert.equal(result.stdout.trim(), '', 'nothing started');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('says at startup that anonymous mode is for local development and the Agents Playground only', async () => {
    bot = await startBotProcess();
    const warning = bot
      .output()
      .split('\n')
      .find((line) => line.includes('anonymous mode'));
    assert.ok(warning, `a warning about anonymous mode in:\n${bot.output()}`);
    assert.match(warning, /local development and the Agents Playground only/);
    assert.match(warning, /"level":40/);
  });
});
