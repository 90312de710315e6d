import type { OpenAIModel } from '@microsoft/teams-ai';
import type { Logger } from '../shared/logging';
import { wrapCreate } from './chatCompletions';
import {
  REASONING_TOKEN_ALLOWANCE,
  resolveModelFamily,
  type ModelFamily,
  type ModelFamilySetting,
  type ReasoningEffort,
} from './modelFamily';
import {
  REFUSED_BY_REASONING_MODELS,
  RefusedParameters,
  refusedParameterOf,
  withoutParameter,
} from './refusedParameters';

/** How requests are shaped: the MODEL_FAMILY and REASONING_EFFORT settings. */
export interface RequestShapingOptions {
  family: ModelFamilySetting;
  reasoningEffort: ReasoningEffort;
  /** Where a model's first refusal of each parameter is logged (at warn). */
  logger: Logger;
}

/**
 * The request body for a model family. teams-ai 1.7.4's OpenAIModel copies `max_tokens`, `temperature`,
 * `top_p` and the penalties from the prompt's config.json whatever the model (and sets them for `o1-` names).
 * - chat: unchanged, without `reasoning_effort`;
 * - reasoning: `max_tokens` becomes `max_completion_tokens` (plus room for the hidden reasoning tokens,
 *   REASONING_TOKEN_ALLOWANCE), the sampling parameters go, and `reasoning_effort` is set.
 */
export function shapeForFamily(
  body: Record<string, unknown>,
  family: ModelFamily,
  reasoningEffort: ReasoningEffort,
): Record<string, unknown> {
  const request = { ...body };
  delete request.reasoning_effort;
  if (family === 'chat') return request;
  const { max_tokens: budget, ...shaped } = request;
  for (const name of REFUSED_BY_REASONING_MODELS) delete shaped[name];
  if (typeof budget === 'number' && shaped.max_completion_tokens === undefined) {
    shaped.max_completion_tokens = budget + REASONING_TOKEN_ALLOWANCE[reasoningEffort];
  }
  shaped.reasoning_effort = reasoningEffort;
  return shaped;
}

/**
 * Makes every chat completion request of `model` fit its model family (see `shapeForFamily`), and adapts to
 * what the model actually refuses: when the API answers 400 `unsupported_parameter` / `unsupported_value` for
 * an optional parameter, the call is sent again without it (a refused `max_tokens` moves to
 * `max_completion_tokens`), and the bot remembers the refusal for that model name (the deployment on Azure
 * OpenAI), so later calls never send it; the first refusal per model and parameter is logged at warn. Each
 * parameter is dropped at most once per call: a refusal of one already dropped, or of anything else, is final
 * and reaches the caller as the API's error.
 * @throws ModelError when the model has no openai client to wrap (a teams-ai version that changed).
 */
export function shapeModelRequests(model: OpenAIModel, options: RequestShapingOptions): OpenAIModel {
  const refused = new RefusedParameters();
  return wrapCreate(model, (create) => async (body, callOptions) => {
    const modelName = typeof body.model === 'string' ? body.model : '';
    const family = resolveModelFamily(options.family, modelName);
    let request = refused.applyTo(modelName, shapeForFamily(body, family, options.reasoningEffort));
    const dropped = new Set<string>();
    for (;;) {
      try {
        return await create(request, callOptions);
      } catch (error) {
        const refusal = refusedParameterOf(error);
        if (!refusal || dropped.has(refusal.param) || !(refusal.param in request)) throw error;
        dropped.add(refusal.param);
        if (refused.remember(modelName, refusal.param)) {
          options.logger.warn(
            { model: modelName, family, param: refusal.param, code: refusal.code },
            'the model refused a request parameter; it is left out of this model’s requests from now on',
          );
        }
        request = withoutParameter(request, refusal.param, new Set([...dropped, ...refused.of(modelName)]));
      }
    }
  });
}
