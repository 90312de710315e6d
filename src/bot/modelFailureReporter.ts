import type {
  Memory,
  PromptCompletionModel,
  PromptCompletionModelEmitter,
  PromptFunctions,
  PromptTemplate,
  Tokenizer,
} from '@microsoft/teams-ai';
import type { PromptResponse } from '@microsoft/teams-ai/lib/types';
import type { TurnContext } from 'botbuilder';
import { TurnSession } from './turnSession';

/**
 * Wraps the model so a failed completion is reported to the turn's stream before teams-ai ends it:
 * OpenAIModel turns every error into a `status: 'error'` response, and LLMClient then ends the stream with
 * whatever text it had. With the failure noted, the final message keeps the partial text and adds a short
 * notice, or apologises when nothing was written, instead of ending silently or empty.
 */
export class ModelFailureReporter implements PromptCompletionModel {
  constructor(private readonly inner: PromptCompletionModel) {}

  /** The inner model's events; LLMClient subscribes to them to stream chunks. */
  get events(): PromptCompletionModelEmitter | undefined {
    return this.inner.events;
  }

  async completePrompt(
    context: TurnContext,
    memory: Memory,
    functions: PromptFunctions,
    tokenizer: Tokenizer,
    template: PromptTemplate,
  ): Promise<PromptResponse<string>> {
    const response = await this.inner.completePrompt(context, memory, functions, tokenizer, template);
    if (response.status !== 'success') {
      TurnSession.of(context)?.streamer.noteModelFailure(response.error ?? new Error(response.status));
    }
    return response;
  }
}
