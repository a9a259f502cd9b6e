import type { Server } from 'restify';
import type { StorageConnection } from '../../storage/connection.js';
import { version } from '../../version.js';

/** Liveness plus storage reachability: load balancers take a node out when its storage is gone. */
export function registerHealthRoutes(server: Server, storage: StorageConnection): void {
  server.get('/healthz', async (_req, res) => {
    const reachable = await storage.isReachable();
    res.status(reachable ? 200 : 503);
    res.json({ status: reachable ? 'ok' : 'unavailable', storage: storage.kind, version });
  });
}
