import { once } from 'node:events';
import type restify from 'restify';
import { exportFormat, exportRange, exportTranscripts } from '../../transcripts/export.js';
import { carrierHolders } from '../../transcripts/export-holders.js';
import { requestLogger } from '../app.js';
import type { AppDeps } from '../app-deps.js';
import { requireRole } from '../auth.js';
import { fail } from '../route-helpers.js';

/** The client hung up: the export stops reading instead of waiting for a drain that will not come. */
class ClientGone extends Error {}

/** Waits for the reader to catch up, or to leave; whichever listener loses is removed. */
async function drainOrClose(res: restify.Response): Promise<void> {
  const done = new AbortController();
  try {
    await Promise.race([once(res, 'drain', { signal: done.signal }), once(res, 'close', { signal: done.signal })]);
  } finally {
    done.abort();
  }
}

const CONTENT_TYPES = { jsonl: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

/** GET /api/transcripts/export?since=&until=&format= (admin): the masked export, streamed as it is read. */
export function registerTranscriptExportRoutes(server: restify.Server, deps: AppDeps): void {
  server.get('/api/transcripts/export', requireRole(deps.credentials, ['admin']), async (req: restify.Request, res: restify.Response) => {
    const query = (req.query ?? {}) as Record<string, string | undefined>;
    let range;
    let format;
    try {
      range = exportRange(query.since, query.until);
      format = exportFormat(query.format);
    } catch (err) {
      if (err instanceof RangeError) return fail(res, 400, 'bad_request', err.message);
      throw err;
    }
    const day = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const filename = `transcripts-${day(range.since)}-${day(new Date(range.until.getTime() - 1))}.${format}`;
    let started = false;
    try {
      const head = () => res.writeHead(200, { 'content-type': CONTENT_TYPES[format], 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' });
      await exportTranscripts(
        deps.storage.db,
        range,
        format,
        async (chunk) => {
          if (!started) {
            head();
            started = true;
          }
          if (!res.write(chunk)) await drainOrClose(res);
          if (res.destroyed) throw new ClientGone();
        },
        { holderOf: carrierHolders(deps.carrier) },
      );
      if (!started) head();
      res.end();
    } catch (err) {
      if (err instanceof ClientGone) {
        (requestLogger(req) ?? deps.logger).info('transcript export abandoned by the client');
        return;
      }
      (requestLogger(req) ?? deps.logger).error({ err }, 'transcript export failed');
      // Once the body has begun the status cannot change: cutting it short tells the client it is incomplete.
      if (started) res.destroy();
      else fail(res, 503, 'unavailable', 'Storage is unavailable; the export could not be made.');
    }
  });
}
