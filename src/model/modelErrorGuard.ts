import type { OpenAIModel } from '@microsoft/teams-ai';
import type { Logger } from '../shared/logging';
import { wrapCreate } from './chatCompletions';
import { ModelCallError } from './modelCallError';
import { TappedStream } from './streamTaps';
import { currentTurnScope, type TurnScope } from './turnScope';

/** The last failed model call of each turn, for GuardedModel's retry decision (see `takeModelFailure`). */
const failures = new WeakMap<TurnScope, ModelCallError>();

/**
 * The failure of the turn's last model call, once: reading it clears it. teams-ai's OpenAIModel replaces a
 * model error by a new Error without status or headers, so the bot's retry decision reads the failure here.
 */
export function takeModelFailure(scope: TurnScope): ModelCallError | undefined {
  const failure = failures.get(scope);
  failures.delete(scope);
  return failure;
}

/**
 * Catches every error of the model's chat completion calls, including those thrown while a stream is read,
 * logs the provider's error through the bot's (redacting) logger, records a `ModelCallError` for the current
 * turn (see `takeModelFailure`) and throws that instead. teams-ai's OpenAIModel prints what it catches with
 * `console.log(err)`: a ModelCallError prints as one line naming the status and error code, with no upstream
 * text (the provider may echo the key back in its message, body or headers).
 * @throws ModelError when the model has no openai client to wrap (a teams-ai version that changed).
 */
export function guardModelErrors(model: OpenAIModel, logger: Logger): OpenAIModel {
  const fail = (error: unknown, body: Record<string, unknown>): ModelCallError => {
    const failure = ModelCallError.from(error);
    const scope = currentTurnScope();
    if (scope) failures.set(scope, failure);
    const { param, request_id: requestId } = (error ?? {}) as { param?: unknown; request_id?: unknown };
    const fields = {
      model: body.model,
      failure: failure.failure,
      status: failure.status,
      code: failure.code,
    };
    if (failure.failure === 'aborted') logger.debug(fields, 'the model call was aborted');
    else logger.warn({ ...fields, param, requestId, err: error }, 'the model call failed');
    return failure;
  };
  return wrapCreate(model, (create) => async (body, options) => {
    let result: unknown;
    try {
      result = await create(body, options);
    } catch (error) {
      throw fail(error, body);
    }
    if (body.stream !== true) return result;
    // An error while the stream is read becomes the same ModelCallError.
    return TappedStream.of(result as AsyncIterable<unknown>, { error: (error) => fail(error, body) });
  });
}
