import type { AnswerSource, DailyFeedbackCounts, FeedbackSummary, FeedbackWithAnswer } from '../storage';
import { CHART_COLOURS, renderFeedbackChart } from './feedbackChart';
import { escapeHtml, formatUtcTime } from './html';

/** Everything the feedback page shows. */
export interface FeedbackPageData {
  summary: FeedbackSummary;
  /** Likes and dislikes per day, oldest first. */
  daily: readonly DailyFeedbackCounts[];
  /** The disliked answers to list, newest first. */
  dislikes: readonly FeedbackWithAnswer[];
  /** When the page was made. */
  generatedAt: Date;
  /** Link to the CSV export (with the token when the page was opened with `?token=`). */
  csvHref: string;
}

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 60rem;
  padding: 0 1rem; color: #222; }
h1 { margin-bottom: 0.25rem; }
.generated { color: #666; margin-top: 0; }
.totals { display: flex; gap: 2rem; align-items: baseline; margin: 1.5rem 0; }
.ratio { font-size: 2.5rem; font-weight: 600; }
.counts span { margin-right: 1rem; }
.legend span { display: inline-block; margin-right: 1rem; }
.swatch { display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem; vertical-align: middle; }
.chart svg { max-width: 100%; height: auto; }
.dislikes { list-style: none; padding: 0; }
.dislike { border: 1px solid #ddd; border-left: 4px solid ${CHART_COLOURS.dislike}; border-radius: 4px;
  padding: 0.75rem 1rem; margin-bottom: 1rem; }
.dislike dl { display: grid; grid-template-columns: 7rem 1fr; gap: 0.35rem 1rem; margin: 0; }
.dislike dt { font-weight: 600; color: #555; }
.dislike dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.dislike ul { list-style: none; margin: 0; padding: 0; }
.missing { color: #888; font-style: italic; }
`;

/**
 * The feedback insight page as a complete HTML document: like ratio and totals, the per-day chart (inline SVG)
 * and the disliked answers with question, answer, sources, comment and time. Every stored string is escaped;
 * the page has no scripts and loads nothing, so it renders offline under a `default-src 'none'` policy. Pure.
 */
export function renderFeedbackPage(data: FeedbackPageData): string {
  const { summary } = data;
  const total = summary.likes + summary.dislikes;
  const ratio =
    summary.likeRatio === null ? 'No feedback yet' : `${Math.round(summary.likeRatio * 100)}% liked`;
  const firstDay = data.daily[0]?.day;
  const lastDay = data.daily.at(-1)?.day;
  const period = firstDay && lastDay ? ` (${escapeHtml(firstDay)} to ${escapeHtml(lastDay)}, UTC)` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Feedback insights</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Feedback insights</h1>
<p class="generated">Generated ${escapeHtml(formatUtcTime(data.generatedAt.toISOString()))} · <a href="${escapeHtml(data.csvHref)}">Download all feedback as CSV</a></p>
<section class="totals" aria-label="Totals">
<div class="ratio" id="like-ratio">${escapeHtml(ratio)}</div>
<div class="counts"><span id="likes">${summary.likes} ${plural(summary.likes, 'like', 'likes')}</span><span id="dislikes">${summary.dislikes} ${plural(summary.dislikes, 'dislike', 'dislikes')}</span><span id="total">${total} total</span></div>
</section>
<section class="chart">
<h2>Likes and dislikes per day${period}</h2>
<p class="legend"><span><i class="swatch" style="background:${CHART_COLOURS.like}"></i>Likes</span><span><i class="swatch" style="background:${CHART_COLOURS.dislike}"></i>Dislikes</span></p>
${renderFeedbackChart(data.daily)}
</section>
<section>
<h2>Disliked answers${dislikeCountNote(data.dislikes.length, summary.dislikes)}</h2>
${data.dislikes.length === 0 ? '<p class="missing">No dislikes.</p>' : `<ol class="dislikes">${data.dislikes.map(renderDislike).join('\n')}</ol>`}
</section>
</body>
</html>
`;
}

function renderDislike(record: FeedbackWithAnswer): string {
  const { answer } = record;
  const missing = '<span class="missing">not recorded</span>';
  return `<li class="dislike"><dl>
<dt>Time</dt><dd><time datetime="${escapeHtml(record.createdAt)}">${escapeHtml(formatUtcTime(record.createdAt))}</time></dd>
<dt>Question</dt><dd class="question">${answer ? escapeHtml(answer.question) : missing}</dd>
<dt>Answer</dt><dd class="answer">${answer ? escapeHtml(answer.answer) : missing}</dd>
<dt>Sources</dt><dd class="sources">${answer ? renderSources(answer.sources) : missing}</dd>
<dt>Comment</dt><dd class="comment">${record.comment ? escapeHtml(record.comment) : '<span class="missing">none</span>'}</dd>
</dl></li>`;
}

function renderSources(sources: readonly AnswerSource[]): string {
  if (sources.length === 0) return '<span class="missing">none</span>';
  const items = sources.map((source) => {
    const title = `[${source.position}] ${escapeHtml(source.title)}`;
    // Only web links become links: a stored javascript: or data: URL stays inert text.
    const url = source.url && /^https?:\/\//i.test(source.url) ? source.url : undefined;
    return url
      ? `<li><a href="${escapeHtml(url)}" rel="noopener noreferrer">${title}</a></li>`
      : `<li>${title}${source.url ? ` ${escapeHtml(source.url)}` : ''}</li>`;
  });
  return `<ul>${items.join('')}</ul>`;
}

function dislikeCountNote(shown: number, total: number): string {
  return shown < total ? ` (latest ${shown} of ${total})` : '';
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}
