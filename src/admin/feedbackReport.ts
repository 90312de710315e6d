/**
 * `npm run feedback`: prints what users thought of the bot's answers — totals, the latest dislikes with
 * the question, the start of the answer, its sources and the comment, and the latest likes briefly — and the
 * tokens the answers used.
 */
import fs from 'node:fs';
import { backendSettings, openBackend, type BackendSettings } from '../storage/backend';
import { loadConfig } from '../config';
import {
  type FeedbackStore,
  type AnswerSource,
  type FeedbackSummary,
  type FeedbackWithAnswer,
  type TokenUsageTotals,
} from '../storage';

/** What the report shows. */
export interface FeedbackReportData {
  summary: FeedbackSummary;
  /** The most recent dislikes, newest first. */
  dislikes: FeedbackWithAnswer[];
  /** The most recent likes, newest first. */
  likes: FeedbackWithAnswer[];
  /** Tokens used by every recorded answer, on every surface; left out, the report has no token line. */
  tokens?: TokenUsageTotals;
}

/** How many dislikes and likes the report lists. */
export const REPORT_DISLIKES = 10;
export const REPORT_LIKES = 5;

const ANSWER_PREVIEW_LENGTH = 240;
const QUESTION_LENGTH = 200;
const COMMENT_LENGTH = 400;
const BRIEF_QUESTION_LENGTH = 80;

/** Reads the feedback the report shows from the store. */
export async function loadFeedbackReportData(store: FeedbackStore): Promise<FeedbackReportData> {
  return {
    summary: await store.summary(),
    dislikes: await store.recentDislikes(REPORT_DISLIKES),
    likes: await store.recentLikes(REPORT_LIKES),
    tokens: await store.tokenTotals(),
  };
}

/**
 * Renders the feedback report as plain text for a terminal. Pure: the same data and `now` give the same
 * text. `now` (default: the current time) dates the report and gives each entry its age.
 * User-supplied text is put on one line and stripped of control characters, so a comment cannot
 * forge report lines or send escape sequences to the terminal.
 */
export function renderFeedbackReport(data: FeedbackReportData, options: { now?: Date } = {}): string {
  const now = options.now ?? new Date();
  const lines: string[] = [...underlined(`Feedback report · ${formatTime(now.toISOString())}`, '=')];
  const { likes, dislikes, likeRatio } = data.summary;
  const total = likes + dislikes;
  if (data.tokens) lines.push('', renderTokenTotals(data.tokens));

  if (total === 0) {
    lines.push('', 'No feedback yet: nobody has rated an answer with 👍 or 👎 so far.');
    return `${lines.join('\n')}\n`;
  }

  lines.push(
    '',
    `Reactions: ${total} · 👍 ${likes} like${likes === 1 ? '' : 's'} · 👎 ${dislikes} dislike${dislikes === 1 ? '' : 's'}` +
      ` · like ratio ${formatRatio(likeRatio)}`,
  );

  lines.push('', ...underlined(`Most recent dislikes (${countOf(data.dislikes.length, dislikes)})`, '-'));
  if (data.dislikes.length === 0) lines.push('None. 🎉');
  data.dislikes.forEach((entry, index) => {
    lines.push(...renderDislike(entry, index + 1, now), '');
  });
  if (data.dislikes.length > 0) lines.pop();

  lines.push('', ...underlined(`Most recent likes (${countOf(data.likes.length, likes)})`, '-'));
  if (data.likes.length === 0) lines.push('None yet.');
  for (const entry of data.likes) lines.push(renderLike(entry, now));

  return `${lines.join('\n')}\n`;
}

/** One line: answers, prompt and completion tokens, and how many answers were estimated. */
function renderTokenTotals(tokens: TokenUsageTotals): string {
  if (tokens.answers === 0) return 'Tokens: no answers with token usage recorded yet.';
  const format = (value: number) => value.toLocaleString('en-US');
  const all = tokens.promptTokens + tokens.completionTokens;
  const estimated =
    tokens.estimatedAnswers > 0
      ? ` (${tokens.estimatedAnswers} of them estimated with the tokenizer: the provider reported no usage)`
      : '';
  return (
    `Tokens: ${format(all)} over ${tokens.answers} answer${tokens.answers === 1 ? '' : 's'} · ` +
    `${format(tokens.promptTokens)} prompt · ${format(tokens.completionTokens)} completion${estimated}`
  );
}

function renderDislike(entry: FeedbackWithAnswer, number: number, now: Date): string[] {
  const indent = ' '.repeat(`${number}. `.length);
  const lines = [
    `${number}. ${formatTime(entry.createdAt)} (${formatAge(entry.createdAt, now)}) · user ${oneLine(entry.userId, 60)}`,
  ];
  const field = (label: string, value: string): void => {
    lines.push(`${indent}${`${label}:`.padEnd(10)}${value}`);
  };
  if (entry.answer) {
    field('Question', oneLine(entry.answer.question, QUESTION_LENGTH) || '(empty)');
    field('Answer', oneLine(entry.answer.answer, ANSWER_PREVIEW_LENGTH) || '(empty)');
    field('Sources', formatSources(entry.answer.sources));
  } else {
    field('Answer', `(not recorded${entry.messageId ? ` for message ${oneLine(entry.messageId, 60)}` : ''})`);
  }
  field('Comment', entry.comment.trim() ? `"${oneLine(entry.comment, COMMENT_LENGTH)}"` : '(no comment)');
  return lines;
}

function renderLike(entry: FeedbackWithAnswer, now: Date): string {
  const question = entry.answer
    ? `"${oneLine(entry.answer.question, BRIEF_QUESTION_LENGTH)}"`
    : '(answer not recorded)';
  const comment = entry.comment.trim()
    ? ` · comment: "${oneLine(entry.comment, BRIEF_QUESTION_LENGTH)}"`
    : '';
  return `- ${formatTime(entry.createdAt)} (${formatAge(entry.createdAt, now)}) · ${question}${comment}`;
}

function formatSources(sources: AnswerSource[]): string {
  if (sources.length === 0) return '(none)';
  return [...sources]
    .sort((a, b) => a.position - b.position)
    .map(
      (source) =>
        `[${source.position}] ${oneLine(source.title, 80)}${source.url ? ` <${oneLine(source.url, 120)}>` : ''}`,
    )
    .join('; ');
}

function underlined(text: string, rule: '=' | '-'): string[] {
  return [text, rule.repeat([...text].length)];
}

function countOf(shown: number, total: number): string {
  return shown === total ? String(total) : `${shown} of ${total}`;
}

/** 0.75 → '75%', 2/3 → '66.7%'. */
function formatRatio(ratio: number | null): string {
  if (ratio === null) return 'n/a';
  const percent = Math.round(ratio * 1000) / 10;
  return `${percent}%`;
}

/** '2025-03-10T09:05:00.000Z' → '2025-03-10 09:05 UTC'; unparseable text is shown as it is. */
function formatTime(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return oneLine(iso, 40);
  return `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** How long before `now` the ISO time was, roughly: 'just now', '5 min ago', '3 h ago', '2 d ago'. */
function formatAge(iso: string, now: Date): string {
  const elapsedMs = now.getTime() - new Date(iso).getTime();
  if (Number.isNaN(elapsedMs)) return 'unknown time';
  const minutes = Math.floor(elapsedMs / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** Puts text on one line without control characters and cuts it to `max` characters with an ellipsis. */
function oneLine(text: string, max: number): string {
  const flat = text
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const characters = [...flat];
  return characters.length <= max
    ? flat
    : `${characters
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/**
 * Prints the report for the database (SQLite file or PostgreSQL), closing the database afterwards. A missing
 * SQLite file is reported as "no feedback yet" and is not created.
 */
export async function printFeedbackReport(options: {
  database: BackendSettings;
  write: (text: string) => void;
  now?: Date;
}): Promise<void> {
  const { database, write } = options;
  if (database.kind === 'sqlite' && !fs.existsSync(database.file)) {
    write(
      `No feedback yet: there is no database at ${database.file} (the bot creates it on its first start).\n`,
    );
    return;
  }
  const backend = await openBackend(database);
  try {
    write(renderFeedbackReport(await loadFeedbackReportData(backend.feedback), { now: options.now }));
  } finally {
    await backend.close();
  }
}

if (require.main === module) {
  const fail = (error: unknown): void => {
    process.stderr.write(
      `feedback report failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  };
  try {
    const config = loadConfig(process.env);
    printFeedbackReport({
      database: backendSettings(config.storage),
      write: (text) => {
        process.stdout.write(text);
      },
    }).catch(fail);
  } catch (error) {
    fail(error);
  }
}
