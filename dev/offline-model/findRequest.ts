import {
  cleanPhrase,
  cutSpan,
  findAssignee,
  findWorkItemId,
  firstPlaceholder,
  isHowToQuestion,
  maskQuotes,
  unmaskQuotes,
} from './requestText';
import { NextOccurrence } from './textScan';
import type { WorkItemStatus } from './updateRequest';
import { metered } from './workMeter';

/** Arguments for the `find_work_items` tool. */
export interface FindWorkItemsArgs {
  query?: string;
  status?: WorkItemStatus;
  assignee?: string;
}

/** A "list/find" request: the tool arguments, and whether only open (new or active) items were asked for. */
export interface FindRequest {
  args: FindWorkItemsArgs;
  /** "open" is not a stored status: the answer keeps only new and active items. */
  openOnly: boolean;
}

const PLURAL_NOUN = String.raw`(?:work[\s-]?items|tasks|tickets|bugs|to-?dos)`;
const SINGULAR_NOUN = String.raw`(?:work[\s-]?item|task|ticket|bug|to-?do)`;

/** A word that starts a list/find request when a plural work item noun follows in the same sentence. */
const FIND_WORD = metered(
  /\b(?:list|show|find|search|display|get|see|view|what|which|any|my|mine|how\s+many|are\s+there|do\s+i\s+have|look\s+up)\b/giu,
);
const PLURAL = metered(new RegExp(String.raw`\b${PLURAL_NOUN}\b`, 'giu'));

/** "find the ticket about X", "show me the VPN task": a verb, a few words, then a singular noun. */
const FIND_ONE = metered(
  new RegExp(
    String.raw`\b(?:list|show|find|search|display|look\s+up|get)\s+(?:me\s+)?(?:(?:the|a|my|all|that)\s+)?(?:[\p{L}-]+\s+)?` +
      SINGULAR_NOUN +
      String.raw`\b`,
    'iu',
  ),
);

/**
 * Whether the message asks to list or find work items: "show my open work items", "what tasks are assigned
 * to Dana", "list resolved tickets", "find the ticket about X". The same test as the pattern
 * `\b(?:list|…|my|…)\b[^?.!]*?\bPLURAL\b|FIND_ONE`, without its cost: that pattern, from every "my" of
 * a long message, read on to the end of the sentence looking for a noun.
 */
function isFindPhrase(text: string): boolean {
  return findWordBeforePluralNoun(text) || FIND_ONE.test(text);
}

/**
 * Whether a find word is followed, later in the same sentence (no ? . ! between), by a plural work item
 * noun. One pass: the first find word of each sentence is the one with the most room after it, and each
 * search moves forward only.
 */
function findWordBeforePluralNoun(text: string): boolean {
  const sentenceEnds = ['?', '.', '!'].map((mark) => new NextOccurrence(text, mark));
  let nounAt = -1;
  let nounEnd = -1;
  FIND_WORD.lastIndex = 0;
  for (;;) {
    const word = FIND_WORD.exec(text);
    if (!word) return false;
    const after = word.index + word[0].length;
    const ends = sentenceEnds.map((next) => next.at(after)).filter((end) => end >= 0);
    const sentenceEnd = ends.length > 0 ? Math.min(...ends) : text.length;
    if (nounAt < after) {
      PLURAL.lastIndex = after;
      const noun = PLURAL.exec(text);
      if (!noun) return false;
      nounAt = noun.index;
      nounEnd = noun.index + noun[0].length;
    }
    if (nounEnd <= sentenceEnd) return true;
    // No noun in the rest of this sentence, so no later find word of it can have one: go on after it.
    FIND_WORD.lastIndex = sentenceEnd + 1;
  }
}

const STATUS_FILTERS: Array<[RegExp, WorkItemStatus]> = [
  [metered(/\bnew\b/i), 'new'],
  [metered(/\b(?:active|in[\s-]progress|ongoing|started)\b/i), 'active'],
  [metered(/\b(?:resolved|done|fixed|completed|finished)\b/i), 'resolved'],
  [metered(/\bclosed\b/i), 'closed'],
];

const QUERY_MARKER = metered(
  /\b(?:about|regarding|related\s+to|relating\s+to|mentioning|matching|containing|concerning|on\s+the\s+topic\s+of|titled|called|named|for)\s+/i,
);

const SELF = metered(/\b(?:my|mine|i\s+have|i\s+own)\b/i);
const POSSESSIVE = metered(
  /\b(\p{Lu}[\p{Ll}-]+)['’]s\s+(?:\p{L}+\s+)?(?:work[\s-]?items|tasks|tickets|bugs)\b/u,
);
const LEADING_ARTICLE = metered(/^(?:the|a|an)\s+/i);
const OPEN_WORD = metered(/\b(?:open|outstanding|pending|unresolved)\b/i);

/**
 * Reads a request to list or find work items. A message that names a work item id ("what is the status of
 * WI-3?") is a search for that id. Returns undefined when the message is not such a request.
 */
export function parseFindRequest(text: string): FindRequest | undefined {
  if (isHowToQuestion(text)) return undefined;
  const id = findWorkItemId(text);
  if (id) return { args: { query: id }, openOnly: false };
  if (!isFindPhrase(text)) return undefined;

  const { text: masked, quotes } = maskQuotes(text);
  let rest = masked;
  const args: FindWorkItemsArgs = {};

  const assignee = findAssignee(rest, true);
  if (assignee) {
    args.assignee = assignee.value;
    rest = cutSpan(rest, assignee.index, assignee.length);
  } else {
    const possessive = POSSESSIVE.exec(rest);
    if (possessive?.[1]) args.assignee = possessive[1];
    else if (SELF.test(rest)) args.assignee = 'me';
  }

  const quoted = firstPlaceholder(rest);
  const marker = QUERY_MARKER.exec(rest);
  if (quoted !== undefined) {
    args.query = quotes[quoted];
  } else if (marker) {
    const value = cleanPhrase(unmaskQuotes(rest.slice(marker.index + marker[0].length), quotes)).replace(
      LEADING_ARTICLE,
      '',
    );
    if (value) args.query = value.slice(0, 100);
    rest = rest.slice(0, marker.index);
  }

  const statuses = STATUS_FILTERS.filter(([pattern]) => pattern.test(rest)).map(([, status]) => status);
  // Two different statuses ("resolved or closed") cannot be one filter: list all and let the answer say.
  if (statuses.length === 1) args.status = statuses[0];
  const openOnly = statuses.length === 0 && OPEN_WORD.test(rest);
  return { args, openOnly };
}
