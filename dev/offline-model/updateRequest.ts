import { findDueDate } from './dates';
import { truncate } from '../../src/shared/text';
import {
  cleanPhrase,
  cutSpan,
  findAssignee,
  findWorkItemId,
  isHowToQuestion,
  maskQuotes,
  unmaskQuotes,
} from './requestText';
import { metered } from './workMeter';

/** The statuses a work item can have. */
export type WorkItemStatus = 'new' | 'active' | 'resolved' | 'closed';

/** Arguments for the `update_work_item` tool. */
export interface UpdateWorkItemArgs {
  id: string;
  title?: string;
  description?: string;
  status?: WorkItemStatus;
  assignee?: string;
  dueDate?: string;
}

const UPDATE_VERB = metered(
  /\b(?:update|change|set|mark|close|resolve|reopen|re-open|assign|reassign|rename|move|edit|modify|start|due)\b/i,
);

/** Where a second instruction starts inside a value ("rename WI-3 to X and mark it resolved"). */
const NEXT_INSTRUCTION = metered(
  /(?:,\s*(?:and\s+|then\s+)?|\s+(?:and|then)\s+)(?=(?:it\s+)?(?:mark|set|close|resolve|reopen|re-open|assign|reassign|move|change)\b)/i,
);

const TITLE_MARKER = metered(
  /\b(?:rename\s+(?:(?:it|WI-\d+)\s+)?(?:to|as)?|(?:the\s+)?title\s+(?:of\s+(?:it|WI-\d+)\s+)?(?:to|:|=|as|is))\s*/i,
);

const DESCRIPTION_MARKER = metered(
  /\b(?:the\s+)?description\s+(?:of\s+(?:it|WI-\d+)\s+)?(?:to|:|=|as|is)\s*|\bdescription\s*:\s*/i,
);

/** Status words, most specific first ("reopen" before "open", "in progress" before "progress"). */
const STATUS_WORDS: Array<[RegExp, WorkItemStatus]> = [
  [metered(/\bstatus\s+(?:of\s+(?:it|WI-\d+)\s+)?(?:to|:|=|as|is)?\s*new\b|\b(?:as|to)\s+new\b/i), 'new'],
  [metered(/\bre-?open(?:ed)?\b|\b(?:as|to)\s+open\b/i), 'active'],
  [metered(/\bclosed?\b/i), 'closed'],
  [metered(/\b(?:resolved?|done|fixed|complete[d]?|finished)\b/i), 'resolved'],
  [metered(/\b(?:active|in[\s-]progress|started|start|working)\b/i), 'active'],
];

/**
 * Reads a request to change a work item ("mark WI-3 as resolved", "assign WI-3 to Dana", "WI-3 due
 * 2026-12-01", "rename WI-3 to X"). Returns undefined when the message names no work item id or has no
 * update verb; the result may carry no field to change ("update WI-3"), which the caller should ask about.
 * @param today YYYY-MM-DD, for "due today/tomorrow".
 */
export function parseUpdateRequest(text: string, today: string): UpdateWorkItemArgs | undefined {
  const id = findWorkItemId(text);
  if (!id || isHowToQuestion(text) || !UPDATE_VERB.test(text)) return undefined;
  const { text: masked, quotes } = maskQuotes(text);
  let rest = masked;
  const args: UpdateWorkItemArgs = { id };

  const due = findDueDate(rest, today);
  if (due) {
    args.dueDate = due.date;
    rest = cutSpan(rest, due.index, due.length);
  }
  const assignee = findAssignee(rest, false);
  if (assignee) {
    args.assignee = assignee.value;
    rest = cutSpan(rest, assignee.index, assignee.length);
  }
  const description = takeValue(rest, DESCRIPTION_MARKER, quotes);
  if (description) {
    if (description.value) args.description = description.value;
    rest = description.rest;
  }
  const title = takeValue(rest, TITLE_MARKER, quotes);
  if (title) {
    if (title.value) args.title = truncate(title.value, 120);
    rest = title.rest;
  }
  const status = STATUS_WORDS.find(([pattern]) => pattern.test(rest));
  if (status) args.status = status[1];
  return args;
}

/**
 * The value after `marker`, up to the end or to a second instruction, and the message without it (the
 * second instruction stays in `rest` so its status word is still seen).
 */
function takeValue(
  text: string,
  marker: RegExp,
  quotes: readonly string[],
): { value: string; rest: string } | undefined {
  const match = marker.exec(text);
  if (!match) return undefined;
  const after = text.slice(match.index + match[0].length);
  const next = NEXT_INSTRUCTION.exec(after);
  const raw = next ? after.slice(0, next.index) : after;
  const remainder = next ? after.slice(next.index) : '';
  return {
    value: cleanPhrase(unmaskQuotes(raw, quotes)),
    rest: `${text.slice(0, match.index)} ${remainder}`,
  };
}

/** True when the update names at least one field to change besides the id. */
export function hasChanges(args: UpdateWorkItemArgs): boolean {
  return Object.keys(args).some((key) => key !== 'id');
}
