import { strict as assert } from 'node:assert';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startManagedChild } from '../../dev/runner/managedChild';
import { parseLogRecord } from '../../dev/runner/logLineFormat';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fakeBotConnector';
import { userMessage } from '../support/testBot';
import { waitFor } from '../support/waitFor';
import { BOT_ENTRY, offlineBotEnv, REPO_ROOT, startBotProcess, type BotProcess } from './botProcess';

/** One request on a connection of its own, so the cluster's round-robin hands it to the next worker. */
function requestOnNewConnection(
  url: string,
  method: 'GET' | 'POST',
  body?: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method, agent: false, headers: body === undefined ? {} : { 'content-type': 'application/json' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('the bot as a cluster of two processes (BOT_PROCESSES=2) on one SQLite file', () => {
  let connector: FakeBotConnector;
  let bot: BotProcess;

  /** Final messages (type message) the bot sent to a conversation. */
  const finalMessages = (conversationId: string) =>
    connector.forConversation(conversationId).filter((activity) => activity.body.type === 'message');

  /** The log records of the bot's output with this message. */
  const records = (message: RegExp) =>
    bot
      .output()
      .split('\n')
      .map((line) => parseLogRecord(line))
      .filter((record) => record !== undefined && message.test(String(record.msg)));

  before(async function () {
    this.timeout(90000);
    connector = await startFakeBotConnector();
    bot = await startBotProcess({
      startTimeoutMs: 60_000,
      env: {
        BOT_PROCESSES: '2',
        // Answers take a few seconds, so a stop can arrive in the middle of one.
        OFFLINE_MODEL_TIME_TO_FIRST_TOKEN_MS: '300',
        OFFLINE_MODEL_TOKENS_PER_SECOND: '60',
      },
    });
    assert.ok(await waitFor(() => /bot cluster started/.test(bot.output()), 60_000), bot.output());
  });

  after(async function () {
    this.timeout(30000);
    await bot?.stop();
    bot?.removeData();
    await connector?.close();
  });

  it('serves requests from two distinct worker processes on one port', async function () {
    this.timeout(20000);
    const pids = new Set<number>();
    for (let request = 0; request < 6; request += 1) {
      const response = await requestOnNewConnection(`${bot.url}/healthz`, 'GET');
      assert.equal(response.status, 200);
      pids.add((JSON.parse(response.body) as { pid: number }).pid);
    }
    assert.equal(pids.size, 2, `two workers answered: ${[...pids].join(', ')}\n${bot.output()}`);
    assert.ok(!pids.has(bot.pid ?? -1), 'the primary serves nothing itself');
  });

  it('answers an activity once when the Bot Service retries it and the retry reaches the other worker', async function () {
    this.timeout(60000);
    const conversations = ['retried-1', 'retried-2'];
    /** Conversation id -> pid of the worker the retry was expected to reach. */
    const retriedAt = new Map<string, number>();
    for (const conversationId of conversations) {
      const activity = {
        ...userMessage('How do I connect to the VPN?', { conversationId }),
        serviceUrl: connector.url,
      };
      // One connection after another: the round-robin hands them to the two workers in turn, so after a
      // health check served by worker P the first delivery goes to the other worker and the retry to P.
      const health = await requestOnNewConnection(`${bot.url}/healthz`, 'GET');
      retriedAt.set(conversationId, (JSON.parse(health.body) as { pid: number }).pid);
      const first = await requestOnNewConnection(`${bot.url}/api/messages`, 'POST', activity);
      const retry = await requestOnNewConnection(`${bot.url}/api/messages`, 'POST', activity);
      assert.deepEqual([first.status, retry.status], [200, 200]);
    }
    for (const conversationId of conversations) {
      assert.ok(
        await waitFor(() => finalMessages(conversationId).length >= 1, 30_000),
        `answer in ${conversationId}`,
      );
    }
    // Long enough for a second answer to have arrived, had the retry started one.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    for (const conversationId of conversations) {
      assert.equal(finalMessages(conversationId).length, 1, `answered once in ${conversationId}`);
    }
    const repeats = records(/repeated inbound activity/);
    assert.equal(repeats.length, 2, 'each retry was recognised');
    for (const repeat of repeats) {
      const conversationId = String(repeat?.conversationId);
      assert.equal(
        repeat?.pid,
        retriedAt.get(conversationId),
        `the retry in ${conversationId} reached the worker that did not take the first delivery, which recognised it`,
      );
    }
    const workerPids = new Set(records(/bot listening/).map((record) => record?.pid));
    assert.equal(workerPids.size, 2);
  });

  it('restarts a worker that crashed, and keeps serving meanwhile', async function () {
    this.timeout(30000);
    const health = await requestOnNewConnection(`${bot.url}/healthz`, 'GET');
    const crashed = (JSON.parse(health.body) as { pid: number }).pid;
    process.kill(crashed, 'SIGKILL');
    assert.ok(
      await waitFor(() => records(/exited unexpectedly; restarting it/).length === 1, 10_000),
      'the primary noticed the crash',
    );
    assert.equal(records(/exited unexpectedly/)[0]?.restartInMs, 1000, 'the first restart waits 1 s');
    assert.ok(await waitFor(() => records(/bot worker ready/).length === 3, 20_000), 'a new worker started');
    const pids = new Set<number>();
    for (let request = 0; request < 4; request += 1) {
      const response = await requestOnNewConnection(`${bot.url}/healthz`, 'GET');
      pids.add((JSON.parse(response.body) as { pid: number }).pid);
    }
    assert.equal(pids.size, 2, 'two workers serve again');
    assert.ok(!pids.has(crashed));
  });

  it('finishes an answer under way when the primary gets SIGTERM, then exits 0', async function () {
    this.timeout(60000);
    const conversationId = 'stopped-mid-answer';
    const activity = {
      ...userMessage('How do I reset my password?', { conversationId }),
      serviceUrl: connector.url,
    };
    const response = await requestOnNewConnection(`${bot.url}/api/messages`, 'POST', activity);
    assert.equal(response.status, 200);
    // The answer is streaming: at least one update has arrived, the final message not yet.
    assert.ok(
      await waitFor(
        () => connector.forConversation(conversationId).some((sent) => sent.body.type === 'typing'),
        20_000,
      ),
      'the answer started streaming',
    );
    assert.equal(finalMessages(conversationId).length, 0, 'the answer is still under way');
    // Only the primary is signalled (as a container runtime does); it forwards the stop to its workers.
    process.kill(bot.pid ?? 0, 'SIGTERM');
    const exit = await bot.exited;
    assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, bot.output());
    assert.equal(
      finalMessages(conversationId).length,
      1,
      'the answer was completed before the worker exited',
    );
    assert.equal(records(/bot worker stopped/).length, 2, 'both workers stopped cleanly');
    assert.doesNotMatch(bot.output(), /cut off by the shutdown/);
  });
});

describe('a cluster whose workers cannot start', () => {
  it('stops after the first worker fails, with exit code 1, without restarting it', async function () {
    this.timeout(30000);
    const lines: string[] = [];
    const child = startManagedChild({
      name: 'bot cluster',
      command: process.execPath,
      args: [BOT_ENTRY],
      cwd: REPO_ROOT,
      env: {
        ...offlineBotEnv(path.join(os.tmpdir(), 'bot-cluster-never-written'), 0),
        BOT_PROCESSES: '2',
        KNOWLEDGE_DIR: path.join(os.tmpdir(), 'no-such-knowledge-folder-for-the-cluster-test'),
      },
      onLine: (line) => lines.push(line),
    });
    try {
      const exit = await child.exited;
      assert.equal(exit.code, 1, lines.join('\n'));
      const output = lines.join('\n');
      assert.match(output, /KNOWLEDGE_DIR/);
      assert.match(output, /exited while starting/);
      assert.doesNotMatch(output, /restarting it/);
    } finally {
      await child.stop();
    }
  });
});
