import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkedChunks, jsonOnlyEventStreams, MALFORMED_EVENT_REPLACEMENT } from '../../src/model';

/** The chunks `input` cut at the given byte offsets. */
function chunksOf(input: string, cuts: number[] = []): Uint8Array[] {
  const bytes = new TextEncoder().encode(input);
  const offsets = [0, ...cuts, bytes.length];
  const chunks: Uint8Array[] = [];
  for (let i = 0; i + 1 < offsets.length; i++) chunks.push(bytes.slice(offsets[i], offsets[i + 1]));
  return chunks;
}

/** Everything an async iterable of byte chunks yields, as text. */
async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of body) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/** Runs `input`, cut at the given byte offsets, through the checked chunks. */
async function transform(input: string, cuts: number[] = []): Promise<string> {
  const source = (async function* () {
    yield* chunksOf(input, cuts);
  })();
  return readAll(checkedChunks(source));
}

const CHUNK = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'Grüße' } }] })}`;

describe('checkedChunks: stream events the openai client would print raw are replaced', () => {
  it('hands on a chunk of whole, well-formed events as the very bytes that arrived', async () => {
    const chunk = new TextEncoder().encode(`${CHUNK}\n\n`);
    const source = (async function* () {
      yield chunk;
    })();
    const seen: Uint8Array[] = [];
    for await (const piece of checkedChunks(source)) seen.push(piece);
    assert.equal(seen.length, 1);
    assert.equal(seen[0], chunk);
  });

  it('cancels the body when the reader stops early', async () => {
    let returned = false;
    const source: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: new TextEncoder().encode(`${CHUNK}\n\n`) }),
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    for await (const piece of checkedChunks(source)) {
      assert.ok(piece.length > 0);
      break;
    }
    assert.equal(returned, true);
  });

  it('passes JSON events, [DONE] and comments through unchanged', async () => {
    const input = `: keep-alive\n\n${CHUNK}\n\nid: 7\n${CHUNK}\n\ndata: [DONE]\n\n`;
    assert.equal(await transform(input), input);
  });

  it('replaces an event whose data is not JSON, and keeps the events around it', async () => {
    const output = await transform(`${CHUNK}\n\ndata: {"oops": sk-secret\n\n${CHUNK}\n\n`);
    assert.equal(output, `${CHUNK}\n\n${MALFORMED_EVENT_REPLACEMENT}${CHUNK}\n\n`);
    assert.ok(!output.includes('sk-secret'));
  });

  it('replaces a named event without data and an empty data line, as the client would fail on both', async () => {
    assert.equal(await transform('event: secret\n\n'), MALFORMED_EVENT_REPLACEMENT);
    assert.equal(await transform('data:\n\n'), MALFORMED_EVENT_REPLACEMENT);
  });

  it('joins multi-line data as the client does: JSON split over two data lines passes', async () => {
    const input = 'data: {"a":\ndata: 1}\n\n';
    assert.equal(await transform(input), input);
  });

  it('finds events across any chunk boundary, in UTF-8 characters and CRLF line breaks too', async () => {
    const input = `${CHUNK}\r\n\r\ndata: not json\r\n\r\n${CHUNK}\r\n\r\n`;
    const expected = `${CHUNK}\n\n${MALFORMED_EVENT_REPLACEMENT}${CHUNK}\n\n`;
    const length = new TextEncoder().encode(input).length;
    for (let cut = 1; cut < length; cut++) {
      assert.equal(await transform(input, [cut]), expected, `cut at byte ${cut}`);
    }
  });

  it('checks a last event that the stream ended without a blank line', async () => {
    assert.equal(await transform(`${CHUNK}\n\ndata: broken`), `${CHUNK}\n\n${MALFORMED_EVENT_REPLACEMENT}`);
  });
});

describe('jsonOnlyEventStreams: the fetch the openai client uses', () => {
  let server: Server;
  let url: string;
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/json') {
        res.writeHead(400, { 'content-type': 'application/json', 'x-request-id': 'r1' });
        res.end('{"error":{"message":"not json: secret"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'r2' });
      res.end(`${CHUNK}\n\ndata: secret\n\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('filters event-stream bodies and keeps status and headers', async () => {
    const response = await jsonOnlyEventStreams(fetch)(`${url}/stream`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-request-id'), 'r2');
    // The openai client iterates the body (Stream.fromSSEResponse), as this does.
    const body = response.body as unknown as AsyncIterable<Uint8Array>;
    assert.equal(await readAll(body), `${CHUNK}\n\n${MALFORMED_EVENT_REPLACEMENT}`);
  });

  it('leaves other responses untouched', async () => {
    const response = await jsonOnlyEventStreams(fetch)(`${url}/json`);
    assert.equal(response.status, 400);
    assert.equal(await response.text(), '{"error":{"message":"not json: secret"}}');
  });
});
