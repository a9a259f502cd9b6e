import type { Server } from 'restify';
import type { RecognizerSlot } from '../../nlu/recognizer-slot.js';
import type { StorageConnection } from '../../storage/connection.js';
import { version } from '../../version.js';

/**
 * Liveness plus storage reachability: load balancers take a node out when its storage is gone.
 * The language model's state is reported but does not fail the check: it loads in the background.
 */
export function registerHealthRoutes(server: Server, storage: StorageConnection, nlu: RecognizerSlot): void {
  server.get('/healthz', async (_req, res) => {
    const reachable = await storage.isReachable();
    res.status(reachable ? 200 : 503);
    res.json({ status: reachable ? 'ok' : 'unavailable', storage: storage.kind, nlu: nlu.state, version });
  });
}
