import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { anonymousListenNotice, isLoopbackHost } from '../../src/server';
import { BOT_ENTRY, offlineBotEnv, startBotProcess, type BotProcess } from '../e2e/botProcess';
import { capturingLogger } from '../support/capturingLogger';
import { startTestBot } from '../support/testBot';

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

describe('startup: an anonymous bot listens on loopback unless HOST says otherwise', function () {
  this.timeout(60000);
  const BOT_ID = { BOT_ID: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', BOT_PASSWORD: 'p' };

  it('says in one info line that it listens on 127.0.0.1 only when HOST is not set', async () => {
    const log = capturingLogger('info');
    // An empty HOST counts as unset: the bot picks the default of its mode.
    const bot = await startTestBot({ env: { HOST: '' }, logger: log.logger });
    try {
      const lines = log.lines.filter((line) => String(line.msg).startsWith('anonymous mode:'));
      assert.deepEqual(
        lines.map((line) => [line.level, line.msg, line.host]),
        [[30, 'anonymous mode: listening on 127.0.0.1 only; set HOST to listen elsewhere', '127.0.0.1']],
      );
      assert.equal((await fetch(`${bot.service.url}/healthz`)).status, 200, 'reachable on loopback');
    } finally {
      await bot.close();
    }
  });

  it('warns, naming HOST and the port, when HOST is set to an address others can reach', () => {
    const notice = anonymousListenNotice(loadConfig({ HOST: '0.0.0.0' }), 3978);
    assert.equal(notice?.level, 'warn');
    assert.match(notice?.message ?? '', /^anonymous mode: HOST=0\.0\.0\.0 is not a loopback address/);
    assert.match(notice?.message ?? '', /port 3978/);
    assert.equal(anonymousListenNotice(loadConfig({ HOST: '10.1.2.3' }), 1)?.level, 'warn');
  });

  it('says nothing more with BOT_ID, whatever the host', () => {
    assert.equal(anonymousListenNotice(loadConfig(BOT_ID), 3978), undefined);
    assert.equal(anonymousListenNotice(loadConfig({ ...BOT_ID, HOST: '127.0.0.1' }), 3978), undefined);
  });

  it('counts localhost, 127.0.0.0/8 and ::1 as loopback, and nothing else', () => {
    for (const host of [
      '127.0.0.1',
      '127.8.9.10',
      'localhost',
      'LOCALHOST',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
    ])
      assert.ok(isLoopbackHost(host), host);
    for (const host of ['0.0.0.0', '::', '10.0.0.4', '128.0.0.1', 'bot.contoso.com', '127.example.com', ''])
      assert.ok(!isLoopbackHost(host), host);
  });
});
