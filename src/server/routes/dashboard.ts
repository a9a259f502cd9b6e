import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type restify from 'restify';
import { beijingDay, dayStart, operationsStats } from '../../stats/operations-stats.js';
import { requestLogger } from '../app.js';
import type { AppDeps } from '../app-deps.js';
import { requireRole } from '../auth.js';
import { fail } from '../route-helpers.js';
import { registerStaticPage, WEB_DIR } from '../static-page.js';

const DAY_MS = 24 * 3600_000;
const DEFAULT_DAYS = 7;
const MAX_DAYS = 92;
// chart.js's exports map hides its UMD file from require.resolve; it sits beside the ESM entry.
const CHART_BUNDLE = path.join(path.dirname(fileURLToPath(import.meta.resolve('chart.js'))), 'chart.umd.min.js');

function validDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && beijingDay(dayStart(value)) === value;
}

/** from/to as Beijing days (default: the last 7 days up to today); a message for the user when they are wrong. */
export function statsRange(query: Record<string, string | undefined>, now = new Date()): { from: string; to: string } | string {
  const to = query.to ?? beijingDay(now);
  const from = query.from ?? beijingDay(new Date(dayStart(to).getTime() - (DEFAULT_DAYS - 1) * DAY_MS));
  if (!validDay(from)) return `from must be a date as YYYY-MM-DD (got ${JSON.stringify(from)})`;
  if (!validDay(to)) return `to must be a date as YYYY-MM-DD (got ${JSON.stringify(to)})`;
  const days = (dayStart(to).getTime() - dayStart(from).getTime()) / DAY_MS + 1;
  if (days < 1) return `from (${from}) is after to (${to})`;
  if (days > MAX_DAYS) return `the period may span at most ${MAX_DAYS} days (asked for ${days})`;
  return { from, to };
}

/** GET /api/stats?from&to (admin) and the /dashboard page that draws the same figures with chart.js. */
export function registerDashboardRoutes(server: restify.Server, deps: AppDeps): void {
  server.get('/api/stats', requireRole(deps.credentials, ['admin']), async (req: restify.Request, res: restify.Response) => {
    const range = statsRange((req.query ?? {}) as Record<string, string | undefined>);
    if (typeof range === 'string') return fail(res, 400, 'bad_request', range);
    try {
      res.json(200, await operationsStats(deps.storage.db, range, { resolvedOutcomes: deps.content.texts.resolvedOutcomes }));
    } catch (err) {
      (requestLogger(req) ?? deps.logger).error({ err }, 'stats failed');
      fail(res, 503, 'unavailable', 'Storage is unavailable; the figures could not be computed.');
    }
  });
  registerStaticPage(server, { mount: '/dashboard', dir: path.join(WEB_DIR, 'dashboard'), vendor: { 'chart.umd.min.js': CHART_BUNDLE } });
}
