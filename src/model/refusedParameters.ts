/**
 * Request parameters a model refused as unsupported (HTTP 400 `unsupported_parameter` / `unsupported_value`),
 * remembered per model name (the deployment name on Azure OpenAI) so that later requests leave them out.
 */

/** The sampling and scoring parameters reasoning models refuse (docs/teams-platform-facts.md §10). */
export const REFUSED_BY_REASONING_MODELS = [
  'temperature',
  'top_p',
  'presence_penalty',
  'frequency_penalty',
  'logprobs',
  'top_logprobs',
  'logit_bias',
] as const;

/** Where a parameter's value goes when the model refuses the parameter: the other name of the same limit. */
const MOVED_TO: Readonly<Record<string, string>> = {
  max_tokens: 'max_completion_tokens',
  max_completion_tokens: 'max_tokens',
};

/**
 * The parameters that may be left out when refused: tuning and limits, never what the request is about
 * (`model`, `messages`, `tools`, `tool_choice`, `stream`, `response_format`).
 */
const OPTIONAL_PARAMETERS: ReadonlySet<string> = new Set([
  'max_tokens',
  'max_completion_tokens',
  ...REFUSED_BY_REASONING_MODELS,
  'n',
  'seed',
  'stop',
  'user',
  'reasoning_effort',
  'parallel_tool_calls',
  'stream_options',
  'service_tier',
  'store',
  'metadata',
]);

/** The codes of an OpenAI 400 that refuses one parameter (named in the error's `param`). */
const REFUSAL_CODES: ReadonlySet<string> = new Set(['unsupported_parameter', 'unsupported_value']);

/**
 * The parameter an openai APIError refuses as unsupported, if it is one that may be left out: HTTP 400 with
 * code `unsupported_parameter` or `unsupported_value` and `param` naming a top-level optional parameter.
 */
export function refusedParameterOf(error: unknown): { param: string; code: string } | undefined {
  const { status, code, param } = (error ?? {}) as { status?: unknown; code?: unknown; param?: unknown };
  if (status !== 400 || typeof code !== 'string' || !REFUSAL_CODES.has(code)) return undefined;
  if (typeof param !== 'string' || !OPTIONAL_PARAMETERS.has(param)) return undefined;
  return { param, code };
}

/**
 * A copy of `body` without `param`. A refused `max_tokens` moves its value to `max_completion_tokens` (and the
 * other way round) unless the other name is `blocked` (refused too) or already set.
 */
export function withoutParameter(
  body: Record<string, unknown>,
  param: string,
  blocked: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const { [param]: value, ...rest } = body;
  const target = MOVED_TO[param];
  if (target && !blocked.has(target) && rest[target] === undefined && value !== undefined) {
    rest[target] = value;
  }
  return rest;
}

/** The refusals the bot has met, per model name; every later request to that model leaves them out. */
export class RefusedParameters {
  private readonly byModel = new Map<string, Set<string>>();

  /** Records a refusal; true the first time for this model and parameter (the time to log it). */
  remember(model: string, param: string): boolean {
    let refused = this.byModel.get(model);
    if (!refused) {
      refused = new Set();
      this.byModel.set(model, refused);
    }
    if (refused.has(param)) return false;
    refused.add(param);
    return true;
  }

  /** The parameters refused by this model so far. */
  of(model: string): ReadonlySet<string> {
    return this.byModel.get(model) ?? new Set();
  }

  /** A copy of `body` without any parameter this model refused before. */
  applyTo(model: string, body: Record<string, unknown>): Record<string, unknown> {
    const refused = this.of(model);
    let result = body;
    for (const param of refused) {
      if (param in result) result = withoutParameter(result, param, refused);
    }
    return result;
  }
}
