import { messageText } from './messageText';
import type { ChatMessage } from './types';
import { metered } from './workMeter';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const STATED_DATE = metered(
  /\b(?:today is|today's date is|current date(?: is)?:?|the date today is)\s*(\d{4}-\d{2}-\d{2})\b/i,
);

/** The calendar date of `date` in the process's local time zone, as YYYY-MM-DD. */
export function isoDate(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

/** True when `text` is a YYYY-MM-DD date that exists in the calendar (no 2026-02-30). */
export function isValidIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The YYYY-MM-DD date `days` after the YYYY-MM-DD date `today`. */
export function addDays(today: string, days: number): string {
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day + days));
  return date.toISOString().slice(0, 10);
}

/**
 * Today's date for resolving "due today/tomorrow": a date the system prompt states ("Today is 2026-03-04",
 * "Current date: 2026-03-04"), else the local date of `now`. The bot knows the user's date better than
 * the offline server does, so a date in the prompt wins.
 */
export function todayFor(messages: readonly ChatMessage[], now: Date): string {
  for (const message of messages) {
    if (message.role !== 'system' && message.role !== 'developer') continue;
    const match = STATED_DATE.exec(messageText(message.content));
    if (match?.[1] && isValidIsoDate(match[1])) return match[1];
  }
  return isoDate(now);
}

/** A due date stated in a message, and where it was found (so the clause can be cut from the text). */
export interface DueDateMention {
  date: string;
  index: number;
  length: number;
}

const DUE_CLAUSE = metered(
  /(?:,\s*|\b)(?:and\s+)?(?:(?:with\s+(?:a\s+)?|set\s+(?:the\s+)?)?due(?:\s+date)?(?:\s+(?:of|for)\s+(?:it|WI-\d+))?(?:\s+(?:on|by|to|is|of|as))?|by)\s*[:=]?\s*(\d{4}-\d{2}-\d{2}|today|tomorrow)\b/i,
);

/**
 * Finds "due 2026-12-01", "due date: 2026-12-01", "due tomorrow", "by today" in a message. Relative words
 * are resolved against `today` (YYYY-MM-DD); an impossible calendar date is not a mention.
 */
export function findDueDate(text: string, today: string): DueDateMention | undefined {
  const match = DUE_CLAUSE.exec(text);
  if (!match?.[1]) return undefined;
  const word = match[1].toLowerCase();
  const date = word === 'today' ? today : word === 'tomorrow' ? addDays(today, 1) : word;
  if (!isValidIsoDate(date)) return undefined;
  return { date, index: match.index, length: match[0].length };
}
