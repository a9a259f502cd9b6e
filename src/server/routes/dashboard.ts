import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type restify from 'restify';
import { operationsStats } from '../../stats/operations-stats.js';
import { parseStatsRange } from '../../stats/period.js';
import { requestLogger } from '../app.js';
import type { AppDeps } from '../app-deps.js';
import { requireRole } from '../auth.js';
import { fail } from '../route-helpers.js';
import { registerStaticPage, WEB_DIR } from '../static-page.js';

// chart.js's exports map hides its UMD file from require.resolve; it sits beside the ESM entry.
const CHART_BUNDLE = path.join(path.dirname(fileURLToPath(import.meta.resolve('chart.js'))), 'chart.umd.min.js');

/** GET /api/stats?from&to (admin) and the /dashboard page that draws the same figures with chart.js. */
export function registerDashboardRoutes(server: restify.Server, deps: AppDeps): void {
  const texts = deps.content.texts;
  server.get('/api/stats', requireRole(deps.credentials, ['admin']), async (req: restify.Request, res: restify.Response) => {
    const range = parseStatsRange((req.query ?? {}) as { from?: unknown; to?: unknown });
    if (typeof range === 'string') return fail(res, 400, 'bad_request', range);
    try {
      const stats = await operationsStats(deps.storage.db, range, {
        resolvedOutcomes: texts.resolvedOutcomes,
        satisfactionAnswers: texts.satisfaction.map((s) => s.value),
      });
      res.json(200, stats);
    } catch (err) {
      (requestLogger(req) ?? deps.logger).error({ err }, 'stats failed');
      fail(res, 503, 'unavailable', 'Storage is unavailable; the figures could not be computed.');
    }
  });
  // chart.js sizes its canvas through the CSSOM (element.style), which style-src 'self' allows: no CSP change.
  registerStaticPage(server, { mount: '/dashboard', dir: path.join(WEB_DIR, 'dashboard'), vendor: { 'chart.umd.min.js': CHART_BUNDLE } });
}
