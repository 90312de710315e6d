/**
 * The error event that stands in for a stream event whose data is not JSON. The openai client turns a data
 * object with an `error` field into an APIError carrying this message, which the bot's error guard handles
 * like any other model failure.
 */
export const MALFORMED_EVENT_REPLACEMENT = `data: ${JSON.stringify({
  error: {
    message: 'The model sent a stream event that is not JSON.',
    type: 'invalid_stream_event',
    code: 'invalid_stream_event',
  },
})}\n\n`;

/**
 * A `fetch` for the openai client whose server-sent-event responses carry only events the client can parse.
 * The openai package prints an event whose data is not JSON with `console.error`, raw, before any bot code
 * sees it; a provider that echoes the caller's key inside such an event would put the key on stderr, outside
 * the bot's redacting logger. Each such event is replaced by `MALFORMED_EVENT_REPLACEMENT`; every other event
 * passes through unchanged, one whole event at a time (the client parses whole events too).
 *
 * The response keeps its status and headers; only its `body` is replaced, by an async iterable of checked
 * chunks. The openai client iterates a body that is async iterable directly, so no web-stream stage is added
 * per chunk (a pass-through TransformStream alone measured about 4 ms of CPU per answered turn in the
 * benchmark); a chunk whose events are all fine is handed on as the very bytes that arrived.
 */
export function jsonOnlyEventStreams(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const contentType = response.headers.get('content-type') ?? '';
    const body = response.body;
    if (!body || !contentType.includes('text/event-stream')) return response;
    // Shadows Response's `body` getter on this one response object; the openai client reads nothing else of an
    // event-stream response (Stream.fromSSEResponse iterates `response.body`).
    // Node's web ReadableStream is async iterable; the fetch typings in use do not say so.
    const chunks = body as unknown as AsyncIterable<Uint8Array>;
    Object.defineProperty(response, 'body', { value: checkedChunks(chunks), configurable: true });
    return response;
  };
}

/** The body's chunks with each event checked by a `JsonOnlyEventFilter`; cancelling it cancels the body. */
export function checkedChunks(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      const chunks = body[Symbol.asyncIterator]();
      const filter = new JsonOnlyEventFilter();
      const decoder = new TextDecoder();
      const encoder = new TextEncoder();
      let ended = false;
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          while (!ended) {
            const chunk = await chunks.next();
            if (chunk.done) {
              ended = true;
              const rest = filter.end(decoder.decode());
              if (rest !== '') return { done: false, value: encoder.encode(rest) };
              break;
            }
            const heldBack = filter.holdsBack;
            const text = decoder.decode(chunk.value, { stream: true });
            const checked = filter.push(text);
            if (checked === '') continue;
            const unchanged = !heldBack && !filter.holdsBack && checked === text;
            return { done: false, value: unchanged ? chunk.value : encoder.encode(checked) };
          }
          return { done: true, value: undefined };
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          ended = true;
          await chunks.return?.();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

/**
 * Splits server-sent-event text into whole events and replaces each one whose data is not JSON (see
 * `jsonOnlyEventStreams`). Text of an event that has not ended yet is held back until its blank line.
 */
export class JsonOnlyEventFilter {
  private pending = '';
  private eventLines: string[] = [];

  /** Whether text of an unfinished event is being held back. */
  get holdsBack(): boolean {
    return this.pending !== '' || this.eventLines.length > 0;
  }

  /** Takes the next piece of the stream's text; returns the events it completed, checked (maybe ''). */
  push(text: string): string {
    this.pending += text;
    // A lone \r at the end may be the first half of \r\n: keep it until the next piece says.
    const end = this.pending.endsWith('\r') ? this.pending.length - 1 : this.pending.length;
    let out = '';
    let start = 0;
    const lineBreak = /\r\n|\r|\n/g;
    for (
      let match = lineBreak.exec(this.pending);
      match && match.index < end;
      match = lineBreak.exec(this.pending)
    ) {
      const line = this.pending.slice(start, match.index);
      start = match.index + match[0].length;
      if (line === '') out += this.takeEvent();
      else this.eventLines.push(line);
    }
    this.pending = this.pending.slice(start);
    return out;
  }

  /** The stream ended: returns the last event, checked, even without its blank line (maybe ''). */
  end(text = ''): string {
    let out = this.push(text);
    if (this.pending !== '') this.eventLines.push(this.pending);
    this.pending = '';
    out += this.takeEvent();
    return out;
  }

  private takeEvent(): string {
    if (this.eventLines.length === 0) return '';
    const event = isParsable(this.eventLines)
      ? `${this.eventLines.join('\n')}\n\n`
      : MALFORMED_EVENT_REPLACEMENT;
    this.eventLines = [];
    return event;
  }
}

/**
 * Whether the openai client can parse the event without printing it: comment-only events are skipped by the
 * client, `[DONE]` ends the stream, and any other event's data (its `data:` lines joined by newlines, as the
 * client joins them) must be JSON.
 */
function isParsable(lines: readonly string[]): boolean {
  const data: string[] = [];
  let named = false;
  for (const line of lines) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') named = true;
  }
  if (data.length === 0) return !named;
  const joined = data.join('\n');
  if (joined.startsWith('[DONE]')) return true;
  try {
    JSON.parse(joined);
    return true;
  } catch {
    return false;
  }
}
