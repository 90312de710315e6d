import type { PassageLabel, RetrievalReport } from './retrievalMetrics';

/** How the passages were retrieved: lexical (BM25) only, or hybrid (lexical and vector, fused). */
export type RetrievalMode = 'lexical' | 'hybrid';

/** How many of a miss's results the printed table and the JSON file show. */
export const MISS_RESULTS_SHOWN = 3;

/** One mode's figures. */
export interface RetrievalEvalResult {
  mode: RetrievalMode;
  /** What ranked the passages, e.g. 'SQLite FTS5 BM25' or the embeddings model used by hybrid search. */
  ranking: string;
  questions: number;
  k: number;
  /** Full precision; the table truncates (never rounds up). */
  recallAt5: number;
  mrr: number;
  /** Questions with recall below 1: every expected passage and the top results. */
  misses: { question: string; expected: PassageLabel[]; got: PassageLabel[] }[];
}

/** What `npm run eval:retrieval` prints and writes to eval/results/latest.json: one result per mode. */
export interface RetrievalEvalReport {
  /** The knowledge folder that was indexed. */
  knowledgeDir: string;
  results: RetrievalEvalResult[];
}

/** Shapes a metrics report for printing and saving, keeping the top MISS_RESULTS_SHOWN results of each miss. */
export function toEvalResult(
  report: RetrievalReport,
  mode: RetrievalMode,
  ranking: string,
): RetrievalEvalResult {
  return {
    mode,
    ranking,
    questions: report.questions,
    k: report.k,
    recallAt5: report.recallAt5,
    mrr: report.mrr,
    misses: report.misses.map((miss) => ({
      question: miss.question,
      expected: miss.expected,
      got: miss.got.slice(0, MISS_RESULTS_SHOWN),
    })),
  };
}

/** The report as lines: a small plain-text table (one row per mode), what ranked each mode, then the misses. */
export function formatEvalReport(report: RetrievalEvalReport): string[] {
  const k = report.results[0]?.k ?? 5;
  const header = ['mode', 'questions', `recall@${k}`, 'MRR'];
  const rows = report.results.map((result) => [
    result.mode,
    String(result.questions),
    truncate4(result.recallAt5),
    truncate4(result.mrr),
  ]);
  const widths = header.map((cell, index) => Math.max(cell.length, ...rows.map((row) => row[index].length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, index) => cell.padEnd(widths[index]))
      .join('  ')
      .trimEnd();

  const lines = [`Retrieval evaluation over ${report.knowledgeDir}`, '', line(header), ...rows.map(line), ''];
  for (const result of report.results) lines.push(`${result.mode}: ${result.ranking}`);
  for (const result of report.results) {
    lines.push('', `Misses, ${result.mode} (${result.misses.length}):`);
    if (result.misses.length === 0) lines.push('  none');
    for (const miss of result.misses) {
      lines.push(`- ${miss.question}`);
      lines.push(`    expected: ${miss.expected.map(describe).join('; ')}`);
      const got = miss.got.map((label, index) => `${index + 1}. ${describe(label)}`).join('  ');
      lines.push(`    got:      ${got || '(nothing)'}`);
    }
  }
  return lines;
}

/** 'file.md > Heading', or 'file.md (intro)' for the text before the first sub-heading. */
function describe(label: PassageLabel): string {
  return label.heading === '' ? `${label.source} (intro)` : `${label.source} > ${label.heading}`;
}

/** Four decimals, cut off rather than rounded so a figure is never shown better than it is. */
export function truncate4(value: number): string {
  const [whole, fraction = ''] = value.toFixed(10).split('.');
  return `${whole}.${fraction.slice(0, 4).padEnd(4, '0')}`;
}
