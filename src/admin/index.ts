/**
 * Admin pages served by the bot: the feedback insight page `GET /admin/feedback` (HTML with an inline SVG
 * chart, or CSV with `?format=csv`), guarded by the ADMIN_TOKEN.
 */
export {
  ADMIN_FEEDBACK_PATH,
  DISLIKE_LIST_LIMIT,
  FEEDBACK_CHART_DAYS,
  registerAdminRoutes,
  type AdminRoutesOptions,
  type AdminSettings,
} from './adminRoutes';
export { presentedToken, tokenMatches } from './adminAuth';
export { CHART_COLOURS, renderFeedbackChart } from './feedbackChart';
export { csvField, FEEDBACK_CSV_COLUMNS, formatSources, renderFeedbackCsv } from './feedbackCsv';
export { renderFeedbackPage, type FeedbackPageData } from './feedbackPage';
export { escapeHtml, formatUtcTime } from './html';
