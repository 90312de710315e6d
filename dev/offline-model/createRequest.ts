import { findDueDate } from './dates';
import { truncate } from '../../src/shared/text';
import {
  WORK_ITEM_NOUN,
  capitalise,
  cleanPhrase,
  cutSpan,
  findAssignee,
  firstPlaceholder,
  isHowToQuestion,
  maskQuotes,
  unmaskQuotes,
} from './requestText';
import { countWork, metered } from './workMeter';

/** Arguments for the `create_work_item` tool. */
export interface CreateWorkItemArgs {
  title: string;
  description?: string;
  assignee?: string;
  dueDate?: string;
}

/** What a "create" message asked for; `args` is missing when no title could be found. */
export interface CreateRequest {
  args: CreateWorkItemArgs | undefined;
}

const MAX_TITLE_LENGTH = 120;

/** "create a task", "add ticket", "open a bug", "file an issue", "make me a work item", "new task:". */
const CREATE_PHRASE = metered(
  new RegExp(
    String.raw`\b(?:(?:create|add|log|raise|make|submit)\s+(?:(?:a|an|one|another|me|us|new)\s+)*|(?:open|file)\s+(?:a|an|one|another)\s+(?:new\s+)?)` +
      WORK_ITEM_NOUN +
      String.raw`\b|^\s*(?:please\s+)?new\s+` +
      WORK_ITEM_NOUN +
      String.raw`\b`,
    'i',
  ),
);

const DESCRIPTION_MARKER = metered(
  /(?:,\s*|\b)(?:and\s+)?(?:with\s+(?:a\s+|the\s+)?description\b\s*[:=]?|description\s*(?:[:=]|\bis\b))\s*/i,
);

const TITLE_MARKER = metered(
  /\b(?:called|titled|named|entitled|title\s*[:=]|with\s+(?:the\s+)?title)\s*:?\s*/i,
);
const LEADING_TO = metered(/^\s*to\s+/i);
const LEADING_LINK_WORD = metered(/^\s*(?:for|about|regarding|on|re:?|that\s+says|saying|that|which)\s+/i);

/**
 * Reads a request to create a work item ("create a task called X assigned to Dana due tomorrow").
 * Returns undefined when the message is not such a request.
 * @param today YYYY-MM-DD, for "due today/tomorrow".
 */
export function parseCreateRequest(text: string, today: string): CreateRequest | undefined {
  if (isHowToQuestion(text) || !CREATE_PHRASE.test(text)) return undefined;
  const { text: masked, quotes } = maskQuotes(text);
  let rest = masked;
  const args: Partial<CreateWorkItemArgs> = {};

  const due = findDueDate(rest, today);
  if (due) {
    args.dueDate = due.date;
    rest = cutSpan(rest, due.index, due.length);
  }
  const assignee = findAssignee(rest, true);
  if (assignee) {
    args.assignee = assignee.value;
    rest = cutSpan(rest, assignee.index, assignee.length);
  }
  const description = DESCRIPTION_MARKER.exec(rest);
  const usedQuotes = new Set<number>();
  if (description) {
    const value = rest.slice(description.index + description[0].length);
    const quoted = firstPlaceholder(value);
    if (quoted !== undefined) usedQuotes.add(quoted);
    const cleaned = cleanPhrase(unmaskQuotes(value, quotes));
    if (cleaned) args.description = cleaned;
    rest = rest.slice(0, description.index);
  }

  const title = findTitle(rest, quotes, usedQuotes);
  if (!title) return { args: undefined };
  return { args: { title, ...args } };
}

function findTitle(
  masked: string,
  quotes: readonly string[],
  usedQuotes: ReadonlySet<number>,
): string | undefined {
  const unusedQuote = quotes.findIndex((quote, index) => !usedQuotes.has(index) && quote.length > 0);
  // A quoted title is kept as the user wrote it; a title read from the sentence starts with a capital.
  if (unusedQuote >= 0) return finishTitle(quotes[unusedQuote] ?? '', false);
  const phrase = CREATE_PHRASE.exec(masked);
  const afterNoun = phrase ? masked.slice(phrase.index + phrase[0].length) : masked;
  const marker = TITLE_MARKER.exec(afterNoun);
  const colon = afterNoun.indexOf(':');
  countWork(afterNoun.length);
  let raw: string;
  if (marker) raw = afterNoun.slice(marker.index + marker[0].length);
  else if (colon >= 0) raw = afterNoun.slice(colon + 1);
  else if (LEADING_TO.test(afterNoun)) raw = afterNoun.replace(LEADING_TO, '');
  else raw = afterNoun.replace(LEADING_LINK_WORD, '');
  return finishTitle(unmaskQuotes(raw, quotes), true);
}

function finishTitle(raw: string, capitaliseFirst: boolean): string | undefined {
  const title = cleanPhrase(raw);
  if (!title) return undefined;
  return truncate(capitaliseFirst ? capitalise(title) : title, MAX_TITLE_LENGTH);
}
