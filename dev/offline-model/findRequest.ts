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
import type { WorkItemStatus } from './updateRequest';

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

/** "show my open work items", "what tasks are assigned to Dana", "list resolved tickets", "find the ticket about X". */
const FIND_PHRASE = new RegExp(
  String.raw`\b(?:list|show|find|search|display|get|see|view|what|which|any|my|mine|how\s+many|are\s+there|do\s+i\s+have|look\s+up)\b[^?.!]*?\b` +
    PLURAL_NOUN +
    String.raw`\b|\b(?:list|show|find|search|display|look\s+up|get)\s+(?:me\s+)?(?:(?:the|a|my|all|that)\s+)?(?:[\p{L}-]+\s+)?` +
    SINGULAR_NOUN +
    String.raw`\b`,
  'iu',
);

const STATUS_FILTERS: Array<[RegExp, WorkItemStatus]> = [
  [/\bnew\b/i, 'new'],
  [/\b(?:active|in[\s-]progress|ongoing|started)\b/i, 'active'],
  [/\b(?:resolved|done|fixed|completed|finished)\b/i, 'resolved'],
  [/\bclosed\b/i, 'closed'],
];

const QUERY_MARKER =
  /\b(?:about|regarding|related\s+to|relating\s+to|mentioning|matching|containing|concerning|on\s+the\s+topic\s+of|titled|called|named|for)\s+/i;

const SELF = /\b(?:my|mine|i\s+have|i\s+own)\b/i;

/**
 * Reads a request to list or find work items. A message that names a work item id ("what is the status of
 * WI-3?") is a search for that id. Returns undefined when the message is not such a request.
 */
export function parseFindRequest(text: string): FindRequest | undefined {
  if (isHowToQuestion(text)) return undefined;
  const id = findWorkItemId(text);
  if (id) return { args: { query: id }, openOnly: false };
  if (!FIND_PHRASE.test(text)) return undefined;

  const { text: masked, quotes } = maskQuotes(text);
  let rest = masked;
  const args: FindWorkItemsArgs = {};

  const assignee = findAssignee(rest, true);
  if (assignee) {
    args.assignee = assignee.value;
    rest = cutSpan(rest, assignee.index, assignee.length);
  } else {
    const possessive =
      /\b(\p{Lu}[\p{Ll}-]+)['’]s\s+(?:\p{L}+\s+)?(?:work[\s-]?items|tasks|tickets|bugs)\b/u.exec(rest);
    if (possessive?.[1]) args.assignee = possessive[1];
    else if (SELF.test(rest)) args.assignee = 'me';
  }

  const quoted = firstPlaceholder(rest);
  const marker = QUERY_MARKER.exec(rest);
  if (quoted !== undefined) {
    args.query = quotes[quoted];
  } else if (marker) {
    const value = cleanPhrase(unmaskQuotes(rest.slice(marker.index + marker[0].length), quotes)).replace(
      /^(?:the|a|an)\s+/i,
      '',
    );
    if (value) args.query = value.slice(0, 100);
    rest = rest.slice(0, marker.index);
  }

  const statuses = STATUS_FILTERS.filter(([pattern]) => pattern.test(rest)).map(([, status]) => status);
  // Two different statuses ("resolved or closed") cannot be one filter: list all and let the answer say.
  if (statuses.length === 1) args.status = statuses[0];
  const openOnly = statuses.length === 0 && /\b(?:open|outstanding|pending|unresolved)\b/i.test(rest);
  return { args, openOnly };
}
