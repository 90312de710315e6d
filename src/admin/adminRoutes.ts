import type { Request, Response, Server } from 'restify';
import type { Logger } from '../shared/logging';
import { systemClock, type Clock } from '../shared/time';
import type { FeedbackStore } from '../storage';
import { presentedToken, tokenMatches } from './adminAuth';
import { renderFeedbackCsv } from './feedbackCsv';
import { renderFeedbackPage } from './feedbackPage';

/** Where the feedback insight page is served. */
export const ADMIN_FEEDBACK_PATH = '/admin/feedback';
/** How many days the chart covers. */
export const FEEDBACK_CHART_DAYS = 30;
/** How many of the latest dislikes the page lists. */
export const DISLIKE_LIST_LIMIT = 100;

/** What the admin pages need from the bot; `token` unset means the admin pages do not exist. */
export interface AdminSettings {
  token: string | undefined;
  feedback: FeedbackStore;
  /** Time for the page's "generated" line and the CSV file name; default the system clock. */
  clock?: Clock;
}

/** {@link AdminSettings} plus where to log. */
export interface AdminRoutesOptions extends AdminSettings {
  logger: Logger;
}

/**
 * Sent with every admin response, the 401s included: nothing runs, loads, is cached or is sniffed, and no other
 * site may frame the page (clickjacking): `frame-ancestors 'none'`, and `X-Frame-Options: DENY` for browsers
 * that do not read it.
 */
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  // The token can be in the page URL (?token=); never send it to the sites the sources link to.
  'Referrer-Policy': 'no-referrer',
} as const;

/**
 * Registers `GET /admin/feedback` (HTML insight page; `?format=csv` for every record as CSV) when a token is
 * configured, and nothing otherwise, so the path answers 404. Requests must present the token as
 * `Authorization: Bearer <token>` or `?token=<token>`; any other request gets 401 and no data.
 * @returns whether the route was registered.
 */
export function registerAdminRoutes(server: Server, options: AdminRoutesOptions): boolean {
  const { token, logger } = options;
  if (!token) return false;
  const clock = options.clock ?? systemClock;
  const now = (): Date => new Date(clock.now());

  server.get(ADMIN_FEEDBACK_PATH, async (req: Request, res: Response) => {
    const query = new URL(req.url ?? '/', 'http://admin.invalid').searchParams;
    const presented = presentedToken(req.headers.authorization, query);
    if (!tokenMatches(presented, token)) {
      logger.warn(
        { remoteAddress: req.socket.remoteAddress, tokenPresented: presented !== undefined },
        'refused an admin request without the right token',
      );
      sendText(res, 401, 'Unauthorized: present the admin token.\n', {
        'WWW-Authenticate': 'Bearer realm="admin"',
      });
      return;
    }
    const format = query.get('format') ?? 'html';
    try {
      if (format === 'csv') {
        const body = renderFeedbackCsv(await options.feedback.list(Number.MAX_SAFE_INTEGER));
        res.sendRaw(200, body, {
          ...SECURITY_HEADERS,
          'Content-Type': 'text/csv; charset=utf-8; header=present',
          'Content-Disposition': `attachment; filename="feedback-${now().toISOString().slice(0, 10)}.csv"`,
        });
      } else if (format === 'html') {
        const fromQuery = !/^Bearer\s/i.test(req.headers.authorization ?? '') && presented !== undefined;
        const csvHref = `${ADMIN_FEEDBACK_PATH}?format=csv${fromQuery ? `&token=${encodeURIComponent(token)}` : ''}`;
        const body = renderFeedbackPage({
          summary: await options.feedback.summary(),
          daily: await options.feedback.dailyCounts(FEEDBACK_CHART_DAYS),
          dislikes: await options.feedback.recentDislikes(DISLIKE_LIST_LIMIT),
          generatedAt: now(),
          csvHref,
        });
        res.sendRaw(200, body, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
      } else {
        sendText(res, 400, 'Unknown format: use format=csv or leave it out for the page.\n');
      }
    } catch (error) {
      logger.error({ err: error, format }, 'the admin feedback page could not be made');
      sendText(res, 500, 'The feedback could not be read; see the bot log.\n');
    }
  });
  return true;
}

function sendText(res: Response, status: number, text: string, headers: Record<string, string> = {}): void {
  res.sendRaw(status, text, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...headers });
}
