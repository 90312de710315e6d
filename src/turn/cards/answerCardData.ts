import { isMessageKey, translate } from '../../shared/i18n';
import { escapeMarkdownText, linkTarget } from './markdown';
import { collapseWhitespace, truncate } from '../../shared/text';
import type { AnswerCardInput, CardSource } from './types';

/** At most this many sources are listed (the Teams limit for citations on one message). */
export const MAX_CARD_SOURCES = 20;
/** A source title is cut to this length (the Teams limit for a citation's name). */
export const MAX_SOURCE_TITLE_CHARS = 80;
/** A source snippet is cut to this length (the Teams limit for a citation's abstract). */
export const MAX_SOURCE_SNIPPET_CHARS = 160;
/** At most this many follow-up buttons. */
export const MAX_FOLLOW_UPS = 3;
/** A follow-up button shows at most this many characters; the question it sends stays whole. */
export const MAX_FOLLOW_UP_TITLE_CHARS = 60;

/** Separates the localized tool labels in the "Tools used" line. */
const TOOL_SEPARATOR = ', ';

/** The data the answer card template binds to (`$root`). */
export interface AnswerCardData {
  labels: {
    title: string;
    offline: string;
    sources: string;
    noSources: string;
    tools: string;
    followUps: string;
  };
  offlineModel: boolean;
  /** Markdown lines `[n] title` or `[n] [title](url)`, each with its snippet ('' when none). */
  sources: { line: string; snippet: string }[];
  /** The localized tool labels on one line; '' hides the section. */
  tools: string;
  /** One button per question: `title` is what the button shows, `value` what it sends. */
  followUps: { title: string; value: string }[];
}

/** The tool's localized label, or its raw name when there is no label for it. */
function toolLabel(locale: string | undefined, toolName: string): string {
  const key = `tool.${toolName}`;
  return isMessageKey(key) ? translate(locale, key) : toolName;
}

/**
 * Sources are shown in full (link and snippet) until their text passes this many characters; the rest get a
 * compact `[n] title` line. This bounds the card's size (about 12 KB at worst) while every source keeps a line.
 */
export const SOURCE_DETAIL_BUDGET_CHARS = 6000;

type SourceEntry = AnswerCardData['sources'][number];

/** The source's title, cut and escaped; its url stands in for a missing title. */
function displayTitle(source: CardSource): string {
  const title = collapseWhitespace(source.title) || collapseWhitespace(source.url ?? '');
  return escapeMarkdownText(truncate(title, MAX_SOURCE_TITLE_CHARS));
}

function fullEntry(source: CardSource): SourceEntry {
  const url = linkTarget(source.url);
  const title = displayTitle(source);
  const label = url === undefined || title === '' ? title : `[${title}](${url})`;
  return {
    line: `[${source.position}] ${label}`.trimEnd(),
    snippet: escapeMarkdownText(truncate(collapseWhitespace(source.snippet ?? ''), MAX_SOURCE_SNIPPET_CHARS)),
  };
}

function compactEntry(source: CardSource): SourceEntry {
  return { line: `[${source.position}] ${displayTitle(source)}`.trimEnd(), snippet: '' };
}

/** Full entries while the budget lasts, then compact ones (never full again, so the list reads evenly). */
function sourceEntries(sources: CardSource[]): SourceEntry[] {
  let used = 0;
  return sources.map((source) => {
    if (used <= SOURCE_DETAIL_BUDGET_CHARS) {
      const entry = fullEntry(source);
      used += entry.line.length + entry.snippet.length;
      if (used <= SOURCE_DETAIL_BUDGET_CHARS) {
        return entry;
      }
    }
    return compactEntry(source);
  });
}

function followUpButtons(questions: string[]): { title: string; value: string }[] {
  const distinct = [...new Set(questions.map(collapseWhitespace).filter((question) => question !== ''))];
  return distinct.slice(0, MAX_FOLLOW_UPS).map((question) => ({
    title: truncate(question, MAX_FOLLOW_UP_TITLE_CHARS),
    value: question,
  }));
}

/** Maps the answer's facts to the template data: localized labels, cut and escaped text, capped lists. */
export function toAnswerCardData(input: AnswerCardInput): AnswerCardData {
  const { locale } = input;
  const sources = [...input.sources].sort((a, b) => a.position - b.position).slice(0, MAX_CARD_SOURCES);
  const tools = [...new Set(input.toolsUsed)].map((name) => escapeMarkdownText(toolLabel(locale, name)));
  return {
    labels: {
      title: translate(locale, 'card.title'),
      offline: translate(locale, 'notice.offline'),
      sources: translate(locale, 'card.sources'),
      noSources: translate(locale, 'card.noSources'),
      tools: translate(locale, 'card.tools'),
      followUps: translate(locale, 'card.followUps'),
    },
    offlineModel: input.offlineModel,
    sources: sourceEntries(sources),
    tools: tools.join(TOOL_SEPARATOR),
    followUps: followUpButtons(input.followUps),
  };
}
