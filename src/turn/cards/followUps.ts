import { translate } from '../../shared/i18n';
import { MAX_FOLLOW_UPS } from './answerCardData';
import { collapseWhitespace, truncate } from '../../shared/text';
import type { CardSource } from './types';

/** Tools whose use makes the work-item follow-ups relevant. */
const WORK_ITEM_TOOLS: ReadonlySet<string> = new Set([
  'create_work_item',
  'find_work_items',
  'update_work_item',
]);

/** A source title used inside a question is cut to this length, so the question stays short. */
const MAX_TOPIC_CHARS = 40;

/** A trailing document file extension, which reads oddly in a question ("Tell me more about handbook.pdf"). */
const FILE_EXTENSION = /\.(pdf|docx?|pptx?|xlsx?|md|txt|html?)$/i;

function topicOf(source: CardSource): string {
  return truncate(collapseWhitespace(source.title).replace(FILE_EXTENSION, ''), MAX_TOPIC_CHARS);
}

/** Questions about the cited sources: more about the first two, and what else to know about the first. */
function knowledgeFollowUps(locale: string | undefined, sources: CardSource[]): string[] {
  const topics = [...new Set(sources.map(topicOf).filter((topic) => topic !== ''))];
  const [first, second] = topics;
  if (first === undefined) {
    return [];
  }
  const questions = [translate(locale, 'followUp.moreAbout', { title: first })];
  if (second !== undefined) {
    questions.push(translate(locale, 'followUp.moreAbout', { title: second }));
  }
  questions.push(translate(locale, 'followUp.searchRelated', { topic: first }));
  return questions;
}

function workItemFollowUps(locale: string | undefined, toolsUsed: string[]): string[] {
  if (!toolsUsed.some((tool) => WORK_ITEM_TOOLS.has(tool))) {
    return [];
  }
  return [translate(locale, 'followUp.myWorkItems'), translate(locale, 'followUp.openItems')];
}

/** a0, b0, a1, b1, ... so that both kinds get a place when the list is cut. */
function interleave(a: string[], b: string[]): string[] {
  const merged: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) merged.push(a[i]);
    if (i < b.length) merged.push(b[i]);
  }
  return merged;
}

/**
 * Up to 3 follow-up questions in the user's language, derived from what the turn used (no model call):
 * questions about the cited sources, and work-item questions when a work-item tool ran. A turn that used
 * neither gets none.
 */
export function suggestFollowUps(input: {
  locale: string | undefined;
  sources: CardSource[];
  toolsUsed: string[];
}): string[] {
  const questions = interleave(
    knowledgeFollowUps(input.locale, input.sources),
    workItemFollowUps(input.locale, input.toolsUsed),
  );
  return questions.slice(0, MAX_FOLLOW_UPS);
}
