import { parseCloseRequest } from './closeRequest';
import { readConversation, type AnsweredToolCall } from './conversation';
import { parseCreateRequest } from './createRequest';
import { todayFor } from './dates';
import { parseFindRequest } from './findRequest';
import { composeSearchAnswer } from './searchAnswer';
import { readToolResult } from './toolResults';
import type { ChatRequest, ScriptedReply } from './types';
import { hasChanges, parseUpdateRequest } from './updateRequest';
import { metered } from './workMeter';
import {
  composeChangeConfirmationAnswer,
  composeConfirmationAnswer,
  composeToolFailureAnswer,
  composeUnchangedAnswer,
  composeWorkItemAnswer,
  composeWorkItemListAnswer,
} from './workItemAnswer';

/** The names of the tools the offline model knows how to use. */
export const OFFLINE_TOOL_NAMES = {
  searchKnowledge: 'search_knowledge',
  createWorkItem: 'create_work_item',
  findWorkItems: 'find_work_items',
  updateWorkItem: 'update_work_item',
  closeWorkItems: 'close_work_items',
} as const;

/** What the offline model says when it has nothing better to say. */
export const OFFLINE_INTRODUCTION =
  "I'm the built-in offline model, so my abilities are limited: I can search the knowledge base and " +
  'create, find and update work items. Ask me a question, or say for example "create a task called ' +
  'Update the VPN guide" or "show my open work items".';

const MAX_ANSWER_LENGTH = 1200;
const MAX_QUERY_LENGTH = 500;

/**
 * "hi", "Hello there!", "good morning...". `[\s!.,]*(?:there)?[\s!.]*$` would say the same, but its two runs
 * overlap: before failing on a long run of punctuation it would try every way to split the run between them.
 */
const GREETING = metered(
  /^\s*(?:hi|hello|hey|good\s+(?:morning|afternoon|evening)|hiya|howdy)\b[\s!.,]*(?:there[\s!.]*)?$/i,
);
const THANKS = metered(/^\s*(?:thanks|thank\s+you|thx|cheers)\b[^?]{0,20}$/i);
const SPACE_RUN = metered(/\s+/g);

function text(value: string): ScriptedReply {
  return { kind: 'text', text: value.trim() === '' ? OFFLINE_INTRODUCTION : value };
}

function callTool(name: string, args: object): ScriptedReply {
  return { kind: 'toolCalls', calls: [{ name, arguments: JSON.stringify(args) }] };
}

/** The tool names the model may call for this request (none when `tool_choice` is 'none'). */
function availableTools(request: ChatRequest): Set<string> {
  const choice = request.tool_choice;
  if (choice === 'none') return new Set();
  const names = (request.tools ?? []).map((tool) => tool.function.name);
  if (typeof choice === 'object') return new Set(names.filter((name) => name === choice.function.name));
  return new Set(names);
}

function answerUser(request: ChatRequest, userText: string, now: Date): ScriptedReply {
  const message = userText.replace(SPACE_RUN, ' ').trim();
  if (message === '') return text(`I didn't catch a question. ${OFFLINE_INTRODUCTION}`);
  const tools = availableTools(request);
  const today = todayFor(request.messages, now);

  if (tools.has(OFFLINE_TOOL_NAMES.closeWorkItems)) {
    const close = parseCloseRequest(message);
    if (close) return callTool(OFFLINE_TOOL_NAMES.closeWorkItems, close);
  }
  if (tools.has(OFFLINE_TOOL_NAMES.createWorkItem)) {
    const create = parseCreateRequest(message, today);
    if (create) {
      if (create.args) return callTool(OFFLINE_TOOL_NAMES.createWorkItem, create.args);
      return text(
        'What should the work item be called? Say for example "create a task called Update the VPN guide".',
      );
    }
  }
  if (tools.has(OFFLINE_TOOL_NAMES.updateWorkItem)) {
    const update = parseUpdateRequest(message, today);
    if (update) {
      if (hasChanges(update)) return callTool(OFFLINE_TOOL_NAMES.updateWorkItem, update);
      return text(
        `What should I change on ${update.id}? I can set its title, description, status (new, active, ` +
          'resolved, closed), assignee or due date.',
      );
    }
  }
  if (tools.has(OFFLINE_TOOL_NAMES.findWorkItems)) {
    const find = parseFindRequest(message);
    if (find) return callTool(OFFLINE_TOOL_NAMES.findWorkItems, find.args);
  }
  if (GREETING.test(message)) return text(`Hello! ${OFFLINE_INTRODUCTION}`);
  if (THANKS.test(message)) return text("You're welcome! Let me know if there is anything else I can do.");
  if (tools.has(OFFLINE_TOOL_NAMES.searchKnowledge)) {
    return callTool(OFFLINE_TOOL_NAMES.searchKnowledge, { query: message.slice(0, MAX_QUERY_LENGTH) });
  }
  return text(OFFLINE_INTRODUCTION);
}

function answerToolResult(question: string, result: AnsweredToolCall): string {
  const outcome = readToolResult(result.content);
  switch (outcome.kind) {
    case 'search':
      return composeSearchAnswer(question, outcome.hits);
    case 'workItem':
      return composeWorkItemAnswer(outcome.item, result.toolName);
    case 'confirmation':
      return composeConfirmationAnswer(outcome.items);
    case 'changeConfirmation':
      return composeChangeConfirmationAnswer(outcome.item, outcome.changes);
    case 'unchanged':
      return composeUnchangedAnswer(outcome.item);
    case 'workItems':
      return composeWorkItemListAnswer(outcome.items, parseFindRequest(question)?.openOnly ?? false);
    case 'failure':
      return composeToolFailureAnswer(outcome.error, result.toolName);
    case 'unreadable':
      return `The ${result.toolName ?? 'tool'} tool returned a result I could not read, so I can't answer from it.`;
  }
}

/** Joins per-tool answers, leaving out later ones that would push the answer over the length limit. */
function joinAnswers(answers: readonly string[]): string {
  let joined = '';
  for (const answer of answers) {
    const next = joined ? `${joined}\n\n${answer}` : answer;
    if (joined && next.length > MAX_ANSWER_LENGTH) break;
    joined = next;
  }
  return joined;
}

/**
 * The deterministic "brain" of the offline model: given the conversation and the tools on offer, what to
 * do next. The user spoke last: call the work item tool the message asks for, else search the knowledge
 * base, else introduce itself. Tool results came back: answer from them (extractive, with `[ref]`
 * citation markers for knowledge passages). Only tools in `request.tools` are called; the text is never
 * empty and stays under about 1200 characters. Pure: the same request and `now` give the same reply.
 * @param now the current time, for "due today/tomorrow" (a date stated in the system prompt wins).
 */
export function composeReply(request: ChatRequest, now: Date = new Date()): ScriptedReply {
  const state = readConversation(request.messages);
  switch (state.kind) {
    case 'userTurn':
      return answerUser(request, state.text, now);
    case 'toolResults':
      return text(joinAnswers(state.results.map((result) => answerToolResult(state.question, result))));
    case 'nothing':
      return text(OFFLINE_INTRODUCTION);
  }
}
