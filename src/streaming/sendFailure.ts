/** What a failed send to the Bot Connector means for the stream. */
export interface SendFailure {
  /**
   * `cancelledByUser`: the Stop button. `streamClosed`: Teams ended the stream (two-minute limit or message too
   * large); what was shown stays and the rest must go out as ordinary messages. `other`: anything else.
   */
  kind: 'cancelledByUser' | 'streamClosed' | 'other';
  status: number | undefined;
  /** One line for logs and outcomes: status, Teams error code and message. */
  summary: string;
}

/**
 * Classifies an error thrown by `TurnContext.sendActivity`. Teams reports the Stop button only as
 * 403 ContentStreamNotAllowed "Content stream was canceled by user." (older: "cancelled").
 */
export function describeSendFailure(error: unknown): SendFailure {
  const status = connectorErrorStatus(error);
  const text = errorText(error);
  const cancelled = status === 403 && /cancel+ed by (the )?user/i.test(text);
  const closed = status === 403 && /exceeded streaming time|message size too large/i.test(text);
  return {
    kind: cancelled ? 'cancelledByUser' : closed ? 'streamClosed' : 'other',
    status,
    summary: `${status ?? 'no status'}: ${text.slice(0, 300)}`,
  };
}

/** The HTTP status of an error thrown by a send to the Bot Connector, if it carries one. */
export function connectorErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const value of [candidate.statusCode, candidate.status, candidate.response?.status]) {
    if (typeof value === 'number') return value;
  }
  return undefined;
}

/** Every piece of text the error carries: its message, code and the response body the connector returned. */
function errorText(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const candidate = error as {
    message?: unknown;
    code?: unknown;
    details?: unknown;
    body?: unknown;
    response?: { bodyAsText?: unknown; parsedBody?: unknown };
  };
  const parts = [
    candidate.message,
    candidate.code,
    candidate.response?.bodyAsText,
    candidate.details,
    candidate.response?.parsedBody,
    candidate.body,
  ];
  return parts
    .filter((part) => part !== undefined && part !== null && part !== '')
    .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
    .join(' ');
}
