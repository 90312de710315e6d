import type { ServerResponse } from 'node:http';

/** An OpenAI-style error body: `{error:{message,type,param,code}}`. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Builds an OpenAI-style error body; `param` names the request parameter at fault, if one is. */
export function openAiError(
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): OpenAiErrorBody {
  return { error: { message, type, param, code } };
}

/** The error body OpenAI would send for a status, used when a scripted HTTP error gives no body. */
export function defaultErrorBody(status: number): OpenAiErrorBody {
  if (status === 400) return openAiError('Invalid request (scripted).', 'invalid_request_error', null);
  if (status === 401)
    return openAiError('Incorrect API key provided (scripted).', 'invalid_request_error', 'invalid_api_key');
  if (status === 403) return openAiError('Access denied (scripted).', 'permission_error', null);
  if (status === 404)
    return openAiError('The model does not exist (scripted).', 'invalid_request_error', 'model_not_found');
  if (status === 429) {
    return openAiError('Rate limit reached for requests (scripted).', 'requests', 'rate_limit_exceeded');
  }
  if (status >= 500)
    return openAiError(
      'The server had an error while processing your request (scripted).',
      'server_error',
      null,
    );
  return openAiError(`Request failed with status ${status} (scripted).`, 'invalid_request_error', null);
}

/** Sends a complete JSON response (or a text one, when `body` is a string). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Sends an OpenAI-style error response. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null,
): void {
  sendJson(res, status, openAiError(message, type, code));
}
