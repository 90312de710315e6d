import { modelFamilyOf } from '../../src/model/modelFamily';
import { openAiError, type OpenAiErrorBody } from './httpReplies';

/** Parameters reasoning models refuse whatever their value. */
const UNSUPPORTED_BY_REASONING = [
  'max_tokens',
  'presence_penalty',
  'frequency_penalty',
  'logprobs',
  'top_logprobs',
  'logit_bias',
] as const;

/** Parameters reasoning models take only at their default value 1. */
const DEFAULT_ONLY = ['temperature', 'top_p'] as const;

/**
 * The 400 error body OpenAI answers when a request sends a parameter its model refuses
 * (docs/teams-platform-facts.md §10), or undefined when the model takes every parameter sent:
 * - a reasoning model (the o-series and gpt-5 names, or one of `reasoningModels`) refuses `max_tokens`
 *   ("Use 'max_completion_tokens' instead."), the penalties and logprobs (`unsupported_parameter`), and
 *   `temperature` / `top_p` other than 1 (`unsupported_value`);
 * - a classic chat model refuses `reasoning_effort` (`unsupported_parameter`).
 * The first refusal is reported, as the API does.
 */
export function refusedParameter(
  body: Record<string, unknown>,
  model: string,
  reasoningModels: ReadonlySet<string>,
): OpenAiErrorBody | undefined {
  const present = (name: string): boolean => body[name] !== undefined && body[name] !== null;
  const reasoning = reasoningModels.has(model) || modelFamilyOf(model) === 'reasoning';
  if (!reasoning) {
    return present('reasoning_effort') ? unsupportedParameter('reasoning_effort') : undefined;
  }
  for (const name of UNSUPPORTED_BY_REASONING) {
    if (present(name)) return unsupportedParameter(name);
  }
  for (const name of DEFAULT_ONLY) {
    if (present(name) && body[name] !== 1) {
      return openAiError(
        `Unsupported value: '${name}' does not support ${String(body[name])} with this model. Only the default (1) value is supported.`,
        'invalid_request_error',
        'unsupported_value',
        name,
      );
    }
  }
  return undefined;
}

function unsupportedParameter(name: string): OpenAiErrorBody {
  const hint = name === 'max_tokens' ? " Use 'max_completion_tokens' instead." : '';
  return openAiError(
    `Unsupported parameter: '${name}' is not supported with this model.${hint}`,
    'invalid_request_error',
    'unsupported_parameter',
    name,
  );
}
