import type { AnswerSource, FeedbackWithAnswer } from '../storage';

/** The CSV header row, in column order. */
export const FEEDBACK_CSV_COLUMNS = [
  'time',
  'reaction',
  'comment',
  'question',
  'answer',
  'sources',
  'user',
  'tenant',
  'conversation',
  'message id',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it contains a quote, comma, CR or LF, with quotes doubled. A value
 * starting with `=`, `+`, `-`, `@`, tab or CR gets a leading apostrophe first, so spreadsheets show it as text
 * instead of running it as a formula (CSV injection).
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Sources as one cell: `[1] Title <url>; [2] Title`. */
export function formatSources(sources: readonly AnswerSource[]): string {
  return sources
    .map((source) => `[${source.position}] ${source.title}${source.url ? ` <${source.url}>` : ''}`)
    .join('; ');
}

/**
 * Every feedback record as CSV text (RFC 4180: CRLF line ends, a header row), in the order given. Question,
 * answer and sources are empty when the answer was not recorded.
 */
export function renderFeedbackCsv(records: readonly FeedbackWithAnswer[]): string {
  const rows = records.map((record) => [
    record.createdAt,
    record.reaction,
    record.comment,
    record.answer?.question ?? '',
    record.answer?.answer ?? '',
    formatSources(record.answer?.sources ?? []),
    record.userId,
    record.tenantId,
    record.conversationId,
    record.messageId ?? '',
  ]);
  return [[...FEEDBACK_CSV_COLUMNS], ...rows].map((row) => row.map(csvField).join(',') + '\r\n').join('');
}
