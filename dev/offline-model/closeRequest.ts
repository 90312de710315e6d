import { isHowToQuestion } from './requestText';
import { metered } from './workMeter';

/** Arguments for the `close_work_items` tool: ids, or a filter, or every open item (`all`). */
export interface CloseWorkItemsArgs {
  ids?: string[];
  status?: 'new' | 'active' | 'resolved';
  all?: true;
}

const CLOSE_VERB = metered(/\bclose\b/i);
const PLURAL_NOUN = String.raw`(?:work[\s-]?items|tasks|tickets|bugs|issues|to-?dos)`;
/** "close all (the) (new|active|resolved|open) work items", "close every task", "close my open tickets". */
const CLOSE_ALL = metered(
  new RegExp(
    String.raw`\bclose\s+(?:(?:all|every|each)\s+)?(?:(?:of\s+)?(?:the|my|our|these|those)\s+)?(?:(new|active|resolved|open)\s+)?` +
      PLURAL_NOUN +
      String.raw`\b`,
    'i',
  ),
);
const IDS = metered(/\bWI-(\d+)\b/gi);

/**
 * Reads a request to close several work items at once: "close WI-3, WI-5 and WI-7" (two or more ids) or
 * "close all (open|new|active|resolved) work items". A single id is an update, not this; how-to questions
 * are knowledge questions.
 */
export function parseCloseRequest(text: string): CloseWorkItemsArgs | undefined {
  if (!CLOSE_VERB.test(text) || isHowToQuestion(text)) return undefined;
  const ids = [...new Set([...text.matchAll(IDS)].map((match) => `WI-${match[1]}`))];
  if (ids.length >= 2) return { ids };
  if (ids.length === 1) return undefined;
  const all = CLOSE_ALL.exec(text);
  if (!all) return undefined;
  const status = all[1]?.toLowerCase();
  if (status === 'new' || status === 'active' || status === 'resolved') return { status };
  return { all: true };
}
