import { strict as assert } from 'node:assert';
import { setTimeout as realDelay } from 'node:timers/promises';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import {
  startOfflineModel,
  type OfflineModelOptions,
  type RunningOfflineModel,
} from '../../../dev/offline-model';
import { waitUntil } from '../../support/waitFor';
import { privateClock, serverTimers, type FakeClock } from './helpers';

/** Both HTTP stacks the openai client may run on: its default (node-fetch) and Node's fetch (undici, used by the bot). */
const FETCHES: Array<[string, typeof fetch | undefined]> = [
  ['openai default fetch', undefined],
  ['global fetch', globalThis.fetch],
];

const LONG_TEXT = 'one two three four five six seven eight nine ten eleven twelve';

/** The next chunk of a stream, or undefined at its end. */
async function nextChunk(
  iterator: AsyncIterator<ChatCompletionChunk>,
): Promise<ChatCompletionChunk | undefined> {
  const result = await iterator.next();
  return result.done ? undefined : result.value;
}

function contentOf(chunk: ChatCompletionChunk | undefined): string | undefined {
  return chunk?.choices[0]?.delta.content ?? undefined;
}

describe('offline model: pacing, faults, aborts and shutdown', () => {
  let model: RunningOfflineModel | undefined;
  let clock: FakeClock | undefined;

  async function start(
    options: OfflineModelOptions,
    fetchImpl?: typeof fetch,
  ): Promise<{ model: RunningOfflineModel; client: OpenAI }> {
    model = await startOfflineModel(options);
    const client = new OpenAI({
      baseURL: model.baseUrl,
      apiKey: 'offline',
      maxRetries: 0,
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    });
    return { model, client };
  }

  afterEach(async () => {
    await model?.close();
    model = undefined;
    clock?.restore();
    clock = undefined;
  });

  it('waits timeToFirstTokenMs before the first content token, then sends one token per 1/tokensPerSecond', async () => {
    clock = privateClock();
    const { client } = await start({
      timeToFirstTokenMs: 300,
      tokensPerSecond: 10,
      clock: serverTimers(clock),
      script: () => ({ kind: 'text', text: 'one two three' }),
    });
    const stream = await client.chat.completions.create({
      model: 'offline',
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    });
    const received: Array<[number, string]> = [];
    const fake = clock;
    // Settles with the error instead of rejecting, so a failed step cannot leave an unhandled rejection.
    const reading = (async () => {
      for await (const chunk of stream) {
        const content = contentOf(chunk);
        if (content) received.push([fake.now, content]);
      }
    })().then(
      () => undefined,
      (error: unknown) => error,
    );

    await clock.tickAsync(299);
    await realDelay(30);
    assert.deepEqual(received, [], 'content arrived before timeToFirstTokenMs');
    await clock.tickAsync(1);
    await waitUntil(() => received.length === 1, 'the first token arrives');
    await clock.tickAsync(99);
    await realDelay(30);
    assert.equal(received.length, 1, 'the second token came early');
    await clock.tickAsync(1);
    await waitUntil(() => received.length === 2, 'the second token arrives');
    await clock.tickAsync(100);
    assert.equal(await reading, undefined);

    assert.deepEqual(received, [
      [300, 'one'],
      [400, ' two'],
      [500, ' three'],
    ]);
  });

  it('sends all the tokens that are due in one chunk when they come faster than the timer', async () => {
    clock = privateClock();
    const { client } = await start({
      timeToFirstTokenMs: 0,
      tokensPerSecond: 4000,
      clock: serverTimers(clock),
      script: () => ({ kind: 'text', text: LONG_TEXT }),
    });
    const stream = await client.chat.completions.create({
      model: 'offline',
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    });
    const reading = (async () => {
      const contents: string[] = [];
      for await (const chunk of stream) {
        const content = contentOf(chunk);
        if (content) contents.push(content);
      }
      return contents;
    })();
    // Timers fire at whole milliseconds: at 0 ms one token is due, then four more every millisecond.
    await clock.tickAsync(10);
    assert.deepEqual(await reading, [
      'one',
      ' two three four five',
      ' six seven eight nine',
      ' ten eleven twelve',
    ]);
  });

  it('delays the first content token by the configured time on real timers', async () => {
    const { client } = await start({
      timeToFirstTokenMs: 120,
      tokensPerSecond: 1000,
      script: () => ({ kind: 'text', text: 'a b' }),
    });
    const startedAt = performance.now();
    const stream = await client.chat.completions.create({
      model: 'offline',
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    });
    let firstContentAt: number | undefined;
    for await (const chunk of stream) {
      if (contentOf(chunk) && firstContentAt === undefined) firstContentAt = performance.now();
    }
    assert.ok(firstContentAt !== undefined);
    // Node timers never fire early; the 1 ms allows for the clock's rounding.
    assert.ok(firstContentAt - startedAt >= 119, `first token after ${firstContentAt - startedAt} ms`);
  });

  it('answers a scripted HTTP error before any byte, as the client APIError with its status and retry-after', async () => {
    const { client, model } = await start({
      script: () => ({ kind: 'httpError', status: 429, retryAfterSeconds: 7 }),
    });
    await assert.rejects(
      client.chat.completions.create({
        model: 'offline',
        stream: true,
        messages: [{ role: 'user', content: 'x' }],
      }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.APIError);
        assert.equal(error.status, 429);
        const headers = error.headers as Record<string, string | null | undefined> | undefined;
        assert.equal(headers?.['retry-after'], '7');
        assert.equal(error.code, 'rate_limit_exceeded');
        return true;
      },
    );
    assert.deepEqual(model.stats, { open: 0, aborted: 0, completed: 0 });
    assert.equal(model.requests.length, 1);
  });

  it('sends a scripted error body as given', async () => {
    const body = {
      error: { message: 'The deployment is overloaded', type: 'server_error', code: 'overloaded' },
    };
    const { client } = await start({ script: () => ({ kind: 'httpError', status: 503, body }) });
    await assert.rejects(
      client.chat.completions.create({ model: 'offline', messages: [{ role: 'user', content: 'x' }] }),
      (error: unknown) =>
        error instanceof OpenAI.APIError && error.status === 503 && /overloaded/.test(error.message),
    );
  });

  for (const [label, fetchImpl] of FETCHES) {
    describe(`with the ${label}`, () => {
      it('drops the connection after the scripted number of tokens, and the client iteration throws', async () => {
        const { client, model } = await start(
          {
            timeToFirstTokenMs: 0,
            tokensPerSecond: 1000,
            script: () => ({ kind: 'dropAfter', text: LONG_TEXT, afterTokens: 3 }),
          },
          fetchImpl,
        );
        const stream = await client.chat.completions.create({
          model: 'offline',
          stream: true,
          messages: [{ role: 'user', content: 'x' }],
        });
        let content = '';
        await assert.rejects(async () => {
          for await (const chunk of stream) content += contentOf(chunk) ?? '';
        });
        assert.equal(content, 'one two three');
        await waitUntil(() => model.stats.open === 0, 'the dropped stream is closed');
        assert.deepEqual(model.stats, { open: 0, aborted: 0, completed: 0 });
      });

      it('counts a client abort, stops its timers at once and leaves no stream open', async () => {
        clock = privateClock();
        const { client, model } = await start(
          {
            timeToFirstTokenMs: 100,
            tokensPerSecond: 10,
            clock: serverTimers(clock),
            script: () => ({ kind: 'text', text: LONG_TEXT }),
          },
          fetchImpl,
        );
        const controller = new AbortController();
        const stream = await client.chat.completions.create(
          { model: 'offline', stream: true, messages: [{ role: 'user', content: 'x' }] },
          { signal: controller.signal },
        );
        const iterator = stream[Symbol.asyncIterator]();
        assert.equal((await nextChunk(iterator))?.choices[0]?.delta.role, 'assistant');
        await clock.tickAsync(100);
        assert.equal(contentOf(await nextChunk(iterator)), 'one');
        assert.equal(model.stats.open, 1);
        assert.equal(clock.countTimers(), 1, 'the next token is scheduled');

        controller.abort();
        const after = await iterator.next().then(
          (result) => (result.done ? 'ended' : 'another chunk'),
          (error: unknown) => (error instanceof Error ? error.name : 'error'),
        );
        assert.notEqual(after, 'another chunk');
        await waitUntil(() => model.stats.aborted === 1, 'the server sees the abort');

        assert.deepEqual(model.stats, { open: 0, aborted: 1, completed: 0 });
        assert.equal(clock.countTimers(), 0, 'a timer of the aborted stream is still pending');
      });

      it('close() with an open stream resolves, ends the stream with an error the client sees, and stops listening', async () => {
        clock = privateClock();
        const { client, model } = await start(
          {
            timeToFirstTokenMs: 0,
            tokensPerSecond: 10,
            clock: serverTimers(clock),
            script: () => ({ kind: 'text', text: LONG_TEXT }),
          },
          fetchImpl,
        );
        const stream = await client.chat.completions.create({
          model: 'offline',
          stream: true,
          messages: [{ role: 'user', content: 'x' }],
        });
        const iterator = stream[Symbol.asyncIterator]();
        await iterator.next();
        await clock.tickAsync(0);
        assert.equal(contentOf(await nextChunk(iterator)), 'one');

        await model.close();

        await assert.rejects(
          iterator.next(),
          (error: unknown) => error instanceof OpenAI.APIError && /shutting down/.test(error.message),
        );
        assert.deepEqual(model.stats, { open: 0, aborted: 0, completed: 0 });
        assert.equal(clock.countTimers(), 0);
        await assert.rejects(fetch(`${model.baseUrl}/models`));
      });
    });
  }

  it('close() ends a non-streamed completion that is still waiting with a 503', async () => {
    clock = privateClock();
    const { client, model } = await start({ timeToFirstTokenMs: 1000, clock: serverTimers(clock) });
    const pending = client.chat.completions.create({
      model: 'offline',
      messages: [{ role: 'user', content: 'hi' }],
    });
    await waitUntil(() => model.stats.open === 1, 'the request arrives');
    await model.close();
    await assert.rejects(
      pending,
      (error: unknown) => error instanceof OpenAI.APIError && error.status === 503,
    );
    assert.equal(clock.countTimers(), 0);
  });
});
