/**
 * OpenAI model families and the request fields each takes (docs/teams-platform-facts.md §10).
 * - `chat`: the classic chat models (gpt-4o, gpt-4.1, compatible servers' models): `max_tokens`, `temperature`,
 *   `top_p` and the penalties, no `reasoning_effort`.
 * - `reasoning`: the o1/o3/o4 families and the gpt-5 family: `max_completion_tokens` (which also bounds the
 *   hidden reasoning tokens) and `reasoning_effort`; they refuse the sampling parameters with HTTP 400.
 */

/** The two families whose requests differ. */
export type ModelFamily = 'chat' | 'reasoning';

/** The MODEL_FAMILY setting: `auto` recognises the family from the model (or deployment) name. */
export const MODEL_FAMILY_SETTINGS = ['auto', 'chat', 'reasoning'] as const;
export type ModelFamilySetting = (typeof MODEL_FAMILY_SETTINGS)[number];

/**
 * The REASONING_EFFORT values OpenAI knows. Which ones a model takes depends on the model: `none` only the
 * gpt-5.1 family and later, `minimal` the gpt-5 family, `xhigh` the newest; `low`, `medium` and `high` every
 * reasoning model that takes an effort at all.
 */
export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/**
 * The effort when REASONING_EFFORT is unset: `low` is the lowest value every reasoning family accepts, and a
 * chat assistant answering from retrieved passages needs little deliberation, while every reasoning token
 * delays the first visible token of a streamed answer and is billed.
 */
export const DEFAULT_REASONING_EFFORT: ReasoningEffort = 'low';

/**
 * Room for the hidden reasoning tokens, added to the prompt's answer budget (`max_tokens` in
 * prompts/chat/config.json) when it becomes `max_completion_tokens`: that limit counts the reasoning tokens
 * too, and a reasoning model that spends the whole budget thinking streams an empty answer.
 */
export const REASONING_TOKEN_ALLOWANCE: Readonly<Record<ReasoningEffort, number>> = {
  none: 0,
  minimal: 1000,
  low: 4000,
  medium: 8000,
  high: 16000,
  xhigh: 32000,
};

/** o1, o1-mini, o3-mini, o4-mini, o3-pro..., gpt-5, gpt-5-mini, gpt-5.1, gpt-5-nano, dated snapshots too. */
const REASONING_NAME = /^(o\d+(-|$)|gpt-5(\.\d+)?(-|$))/;

/**
 * The family a model name belongs to: reasoning for the o-series and gpt-5 names, chat for everything else.
 * A provider prefix (`openai/gpt-5-mini`) is ignored. An Azure deployment name is whatever its owner chose,
 * so it is recognised only when it repeats the model name; MODEL_FAMILY says it otherwise.
 */
export function modelFamilyOf(modelName: string): ModelFamily {
  const name = modelName.trim().toLowerCase().split('/').at(-1) ?? '';
  return REASONING_NAME.test(name) ? 'reasoning' : 'chat';
}

/** The family a setting means for a model name: the explicit one, or the recognised one for `auto`. */
export function resolveModelFamily(setting: ModelFamilySetting, modelName: string): ModelFamily {
  return setting === 'auto' ? modelFamilyOf(modelName) : setting;
}
