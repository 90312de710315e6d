import type { ChatMessage, ChatRequest, ScriptedReply } from '../dev/offline-model';

/**
 * What the benchmark's model says: for every conversation a deterministic answer of an exact length, and for
 * a chosen share of conversations a `search_knowledge` call first. The bot process and the helper process
 * both derive the same answers from the conversation number, so the expected text never travels.
 */

/** The scripted-answer settings, a subset of the benchmark parameters. */
export interface AnswerSettings {
  answerTokens: number;
  toolShare: number;
}

const TAG_PREFIX = 'bench-conversation-';
const TAG = /bench-conversation-(\d+)/;

/** The Teams conversation id of conversation number `index`; it doubles as the tag in the question. */
export function conversationIdOf(index: number): string {
  return `${TAG_PREFIX}${index}`;
}

/** The conversation number in a conversation id, a question or a raw request body; undefined if none. */
export function findConversationIndex(text: string): number | undefined {
  const match = TAG.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** The question conversation number `index` asks; it carries the conversation's tag for the model side. */
export function questionOf(index: number): string {
  return `What does the remote work policy say about VPN access? (${conversationIdOf(index)})`;
}

/**
 * Whether conversation `index` gets a tool round. Exactly floor(N × share) of conversations 0..N−1 do, spread
 * evenly (the floors telescope).
 */
export function usesTool(index: number, toolShare: number): boolean {
  return Math.floor((index + 1) * toolShare) > Math.floor(index * toolShare);
}

/** The search the model asks for in a tool round; the knowledge base has a VPN page, so it finds passages. */
export const TOOL_QUERY = 'remote work VPN access';

// A few words with accents, so multi-byte characters cross SSE and HTTP chunk boundaries.
const WORDS = [
  'the',
  'policy',
  'remote',
  'work',
  'requires',
  'a',
  'managed',
  'laptop',
  'and',
  'VPN',
  'access',
  'for',
  'every',
  'employee',
  'who',
  'connects',
  'from',
  'home',
  'office',
  'network',
  'traffic',
  'is',
  'encrypted',
  'with',
  'client',
  'certificates',
  'support',
  'team',
  'can',
  'help',
  'when',
  'sign',
  'in',
  'fails',
  'after',
  'an',
  'update',
  'please',
  'restart',
  'your',
  'device',
  'before',
  'you',
  'open',
  'ticket',
  'café',
  'Zürich',
  'naïve',
  'façade',
  'résumé',
  'travel',
  'abroad',
  'needs',
  'approval',
  'manager',
  'weeks',
  'ahead',
  'data',
  'stays',
  'on',
  'company',
  'storage',
  'only',
];

/** mulberry32: a tiny seeded generator, so answers are the same in every process and run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The answer text of conversation `index`: sentences of words, commas and full stops, one paragraph break,
 * exactly `tokens` of the offline model's tokens long (a word or a punctuation mark each, so
 * `tokenize(text).length === tokens`; at least 2, or 5 with a citation). With `citation`, the first sentence
 * ends with the marker ` [1]` (three tokens), which cites the first passage the search returned.
 */
export function answerText(index: number, tokens: number, citation: boolean): string {
  const random = seededRandom(index + 1);
  const pieces: string[] = [];
  let remaining = tokens;
  let paragraphBroken = false;
  while (remaining > 0) {
    const marker = citation && pieces.length === 0 && remaining >= 5 ? 3 : 0;
    let words = 6 + Math.floor(random() * 8);
    let commaAfter = words >= 6 && random() < 0.4 ? 4 : 0;
    const cost = (): number => words + (commaAfter > 0 ? 1 : 0) + marker + 1;
    if (cost() > remaining) {
      commaAfter = 0;
      words = remaining - marker - 1;
    }
    // A single token left over could not make a sentence (a word needs its full stop): take it now.
    if (remaining - cost() === 1) words += 1;
    let separator = pieces.length === 0 ? '' : ' ';
    if (!paragraphBroken && pieces.length > 0 && tokens - remaining >= tokens / 2) {
      separator = '\n\n';
      paragraphBroken = true;
    }
    for (let position = 0; position < words; position += 1) {
      const word = WORDS[Math.floor(random() * WORDS.length)];
      const text = position === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word;
      pieces.push((position === 0 ? separator : ' ') + text);
      if (position + 1 === commaAfter) pieces.push(',');
    }
    if (marker > 0) pieces.push(' [', '1', ']');
    pieces.push('.');
    remaining -= cost();
  }
  return pieces.join('');
}

/** The answer the model streams to conversation `index` (the text the final message must equal). */
export function expectedAnswerOf(index: number, settings: AnswerSettings): string {
  return answerText(index, settings.answerTokens, usesTool(index, settings.toolShare));
}

function textOf(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((part) => part.text ?? '').join('');
}

/**
 * The offline model's `script` for the benchmark: a tool conversation's first request gets a
 * `search_knowledge` call, every other request of a tagged conversation the conversation's answer. Requests
 * without a tag are left to the model's own composer (returns undefined).
 */
export function createAnswerScript(
  settings: AnswerSettings,
): (request: ChatRequest) => ScriptedReply | undefined {
  return (request) => {
    const lastUser = [...request.messages].reverse().find((message) => message.role === 'user');
    const index = lastUser ? findConversationIndex(textOf(lastUser)) : undefined;
    if (index === undefined) return undefined;
    const toolRoundDone = request.messages.some((message) => message.role === 'tool');
    if (usesTool(index, settings.toolShare) && !toolRoundDone) {
      return {
        kind: 'toolCalls',
        calls: [{ name: 'search_knowledge', arguments: JSON.stringify({ query: TOOL_QUERY }) }],
      };
    }
    return { kind: 'text', text: expectedAnswerOf(index, settings) };
  };
}
