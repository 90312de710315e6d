import { randomUUID } from 'node:crypto';
import { AI, type Application, type TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { traceTool, type ToolOutcome } from '../observability';
import { AppError } from '../shared/errors';
import { isMessageKey, translate } from '../shared/i18n';
import type { Logger } from '../shared/logging';
import { mergeChanges, type ArgumentValidator, type Tool, type ToolContext } from '../tools';
import { type Clock, systemClock } from '../shared/time';
import { addPendingConfirmation, extendPendingConfirmation } from './pendingConfirmations';
import { requesterOf } from './requester';
import { currentTurn, type Turn } from './turn';

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
  clock: Clock = systemClock,
): void {
  for (const tool of tools) {
    const validate = validators.get(tool.name);
    if (!validate) throw new Error(`tool ${tool.name} has no schema in actions.json`);
    app.ai.action(tool.name, async (context: TurnContext, state: TurnState, parameters: unknown) => {
      const turn = currentTurn();
      if (!turn) return failure('this tool can only run while answering a message');
      // The turn was stopped (Stop pressed): skip the remaining tool rounds.
      if (turn.stopped) return AI.StopCommandName;
      turn.noteTool(tool.name);
      const informativeKey = `informative.tool.${tool.name}`;
      turn.stream.queueInformativeUpdate(
        translate(turn.locale, isMessageKey(informativeKey) ? informativeKey : 'informative.tool.other'),
      );
      const args = parameters ?? {};
      // Surfaces that show tool activity (the web chat) hear about the call and its result.
      const toolCallId = randomUUID();
      turn.stream.toolStarted?.({ toolCallId, toolName: tool.name, input: args });
      const toolContext = toolContextOf(context, state, turn, tool.name, clock);
      const output = await traceTool(context, tool.name, () =>
        runTool(tool, args, validate, toolContext, logger),
      );
      turn.stream.toolFinished?.({ toolCallId, toolName: tool.name, output });
      return JSON.stringify(output);
    });
  }
}

/**
 * Validates the arguments and runs the tool; a failure becomes `{ok:false,error}` for the model. The outcome
 * says which (for the tool's span).
 */
async function runTool(
  tool: Tool,
  args: unknown,
  validate: ArgumentValidator,
  context: ToolContext,
  logger: Logger,
): Promise<{ result: Record<string, unknown>; outcome: ToolOutcome }> {
  const problem = validate(args);
  if (problem) {
    logger.info({ tool: tool.name, problem }, 'the model called a tool with invalid arguments');
    return { result: failureResult(`invalid arguments: ${problem}`), outcome: 'invalid_arguments' };
  }
  try {
    const result = await tool.run(args as Record<string, unknown>, context);
    return { result, outcome: 'ok' };
  } catch (error) {
    logger.warn({ err: error, tool: tool.name }, 'a tool failed');
    const message = error instanceof AppError ? error.message : 'the tool failed unexpectedly';
    return { result: failureResult(message), outcome: 'failed' };
  }
}

function failureResult(message: string): Record<string, unknown> {
  return { ok: false, error: message };
}

function failure(message: string): string {
  return JSON.stringify(failureResult(message));
}

/**
 * What a tool sees of the turn. The scope and the user come from the Teams activity (the tenant gate has
 * checked it), never from the model's arguments.
 */
function toolContextOf(
  context: TurnContext,
  state: TurnState,
  turn: Turn,
  toolName: string,
  clock: Clock,
): ToolContext {
  const requester = requesterOf(context);
  return {
    scope: turn.scope,
    userId: requester.userId,
    userName: requester.userName,
    conversationType: requester.conversationType,
    signal: turn.signal,
    addSource: (source) => turn.addSource(source),
    noteCreatedWorkItem: (id) => turn.noteCreatedWorkItem(id),
    createdThisTurn: (id) => turn.createdThisTurn(id),
    // One confirmation per tool and turn: a second request of the same tool adds to the first.
    requestConfirmation: (request) => {
      const earlier = turn.confirmationOf(toolName);
      const pending = earlier
        ? extendPendingConfirmation(state, earlier, request.changes)
        : addPendingConfirmation(
            state,
            {
              tool: toolName,
              tenantId: turn.scope.tenantId,
              conversationId: turn.scope.conversationId,
              userId: requester.userId,
              changes: mergeChanges([], request.changes),
            },
            clock.now(),
          );
      turn.recordConfirmation(pending);
      return pending.id;
    },
  };
}
