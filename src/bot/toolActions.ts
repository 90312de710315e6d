import { AI, type Application, type TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { AppError } from '../errors';
import { isMessageKey, translate } from '../i18n';
import type { Logger } from '../logging';
import type { ArgumentValidator, Tool, ToolContext } from '../tools';
import { TurnSession } from './turnSession';

/**
 * Registers each tool as a teams-ai action. Every call is validated against the tool's schema, shows a
 * localized informative update while it runs, and always returns JSON to the model: a failure, bad
 * arguments included, comes back as `{ok:false,error}` so the model can recover, never as a thrown error.
 */
export function registerToolActions(
  app: Application<TurnState>,
  tools: readonly Tool[],
  validators: ReadonlyMap<string, ArgumentValidator>,
  logger: Logger,
): void {
  for (const tool of tools) {
    const validate = validators.get(tool.name);
    if (!validate) throw new Error(`tool ${tool.name} has no schema in actions.json`);
    app.ai.action(tool.name, async (context: TurnContext, _state: TurnState, parameters: unknown) => {
      const session = TurnSession.of(context);
      if (!session) return failure('this tool can only run while answering a message');
      // The user pressed Stop: skip the remaining tool rounds.
      if (session.streamer.isCancelled) return AI.StopCommandName;
      session.noteTool(tool.name);
      const informativeKey = `informative.tool.${tool.name}`;
      session.streamer.queueInformativeUpdate(
        translate(session.locale, isMessageKey(informativeKey) ? informativeKey : 'informative.tool.other'),
      );
      const args = parameters ?? {};
      const problem = validate(args);
      if (problem) {
        logger.info({ tool: tool.name, problem }, 'the model called a tool with invalid arguments');
        return failure(`invalid arguments: ${problem}`);
      }
      try {
        return JSON.stringify(await tool.run(args as Record<string, unknown>, toolContext(context, session)));
      } catch (error) {
        logger.warn({ err: error, tool: tool.name }, 'a tool failed');
        return failure(error instanceof AppError ? error.message : 'the tool failed unexpectedly');
      }
    });
  }
}

function failure(message: string): string {
  return JSON.stringify({ ok: false, error: message });
}

function toolContext(context: TurnContext, session: TurnSession): ToolContext {
  return {
    scope: session.scope,
    userName: context.activity.from?.name,
    addSource: (source) => session.addSource(source),
  };
}
