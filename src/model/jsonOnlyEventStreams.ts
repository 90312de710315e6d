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
 */
export function jsonOnlyEventStreams(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const contentType = response.headers.get('content-type') ?? '';
    if (!response.body || !contentType.includes('text/event-stream')) return response;
    return new Response(response.body.pipeThrough(jsonOnlyEvents()), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** A byte stream transform that replaces each server-sent event whose data is not JSON (see above). */
export function jsonOnlyEvents(): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';
  let eventLines: string[] = [];

  const emitEvent = (controller: TransformStreamDefaultController<Uint8Array>): void => {
    if (eventLines.length === 0) return;
    const text = isParsable(eventLines) ? `${eventLines.join('\n')}\n\n` : MALFORMED_EVENT_REPLACEMENT;
    eventLines = [];
    controller.enqueue(encoder.encode(text));
  };

  const takeLines = (text: string, controller: TransformStreamDefaultController<Uint8Array>): void => {
    pending += text;
    // A lone \r at the end may be the first half of \r\n: keep it until the next chunk says.
    const end = pending.endsWith('\r') ? pending.length - 1 : pending.length;
    let start = 0;
    const lineBreak = /\r\n|\r|\n/g;
    lineBreak.lastIndex = 0;
    for (let match = lineBreak.exec(pending); match && match.index < end; match = lineBreak.exec(pending)) {
      const line = pending.slice(start, match.index);
      start = match.index + match[0].length;
      if (line === '') emitEvent(controller);
      else eventLines.push(line);
    }
    pending = pending.slice(start);
  };

  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      takeLines(decoder.decode(chunk, { stream: true }), controller);
    },
    flush(controller) {
      takeLines(decoder.decode(), controller);
      if (pending !== '') eventLines.push(pending);
      pending = '';
      emitEvent(controller);
    },
  });
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
