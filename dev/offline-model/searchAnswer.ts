import { keywordStems, overlap, plainTextOfMarkdown, sentences } from './keywords';
import { truncate } from '../../src/shared/text';
import type { KnowledgeHit } from './toolResults';
import { metered } from './workMeter';

/** The lead-in line of every answer built from knowledge passages. */
export const KNOWLEDGE_LEAD_IN = 'Here is what the knowledge base says:';

/** The answer when the search found nothing. */
export const NOTHING_FOUND =
  "I couldn't find anything about that in the knowledge base. Try rephrasing your question or using different keywords.";

const MAX_RESULTS = 3;
const MAX_SENTENCES_PER_RESULT = 2;
const MAX_SENTENCE_LENGTH = 300;
const MAX_ANSWER_LENGTH = 1200;
const ENDS_WITH_STOP = metered(/[.!?:;…]["”)]?$/);
const SPACE_RUN = metered(/\s+/);

interface Scored<T> {
  item: T;
  score: number;
  position: number;
}

/** Sorts by score, best first, keeping the original order between equal scores. */
function byScore<T>(items: readonly T[], score: (item: T) => number): Array<Scored<T>> {
  return items
    .map((item, position) => ({ item, score: score(item), position }))
    .sort((a, b) => b.score - a.score || a.position - b.position);
}

function chooseHits(question: ReadonlySet<string>, hits: readonly KnowledgeHit[]): KnowledgeHit[] {
  const ranked = byScore(hits, (hit) => overlap(question, `${hit.title} ${hit.heading} ${hit.text}`));
  const best = ranked[0]?.score ?? 0;
  // No passage shares a word with the question: trust the search's own ranking for one passage only.
  if (best === 0) return ranked.slice(0, 1).map((entry) => entry.item);
  const threshold = Math.max(1, Math.ceil(best / 2));
  return ranked
    .filter((entry) => entry.score >= threshold)
    .slice(0, MAX_RESULTS)
    .map((entry) => entry.item);
}

function withStop(sentence: string): string {
  return ENDS_WITH_STOP.test(sentence) ? sentence : `${sentence}.`;
}

/** The 1-2 sentences of a passage that share the most words with the question, in passage order. */
function bestSentences(question: ReadonlySet<string>, hit: KnowledgeHit, seen: Set<string>): string[] {
  const all = sentences(plainTextOfMarkdown(hit.text)).filter((sentence) => !seen.has(sentence));
  // Headings and short list fragments rank well on keywords but say little; prefer real sentences.
  const full = all.filter((sentence) => sentence.split(SPACE_RUN).length >= 4);
  const candidates = full.length > 0 ? full : all;
  const ranked = byScore(candidates, (sentence) => overlap(question, sentence));
  const relevant = ranked.filter((entry) => entry.score > 0).slice(0, MAX_SENTENCES_PER_RESULT);
  const picked = relevant.length > 0 ? relevant : ranked.slice(0, 1);
  return picked
    .sort((a, b) => a.position - b.position)
    .map((entry) => {
      seen.add(entry.item);
      return withStop(truncate(entry.item, MAX_SENTENCE_LENGTH));
    });
}

/**
 * An extractive answer from knowledge passages: a lead-in line, then for the best 1-3 passages the most
 * relevant 1-2 sentences, each followed by the passage's citation marker `[ref]`. Only passage text is
 * used, so nothing is invented. No passages: says so and suggests rephrasing.
 */
export function composeSearchAnswer(question: string, hits: readonly KnowledgeHit[]): string {
  if (hits.length === 0) return NOTHING_FOUND;
  const stems = keywordStems(question);
  const seen = new Set<string>();
  const parts = chooseHits(stems, hits)
    .map((hit) => ({ hit, text: bestSentences(stems, hit, seen).join(' ') }))
    .filter((part) => part.text.length > 0)
    .map((part) => `${part.text} [${part.hit.ref}]`);
  if (parts.length === 0) return NOTHING_FOUND;

  const render = (chosen: string[]): string =>
    chosen.length === 1
      ? `${KNOWLEDGE_LEAD_IN}\n\n${chosen[0]}`
      : `${KNOWLEDGE_LEAD_IN}\n\n${chosen.map((part) => `- ${part}`).join('\n')}`;
  let answer = render(parts);
  while (answer.length > MAX_ANSWER_LENGTH && parts.length > 1) {
    parts.pop();
    answer = render(parts);
  }
  return answer;
}
