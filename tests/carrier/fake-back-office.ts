import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeBackOffice {
  /** Base URL including a path prefix, as a real deployment might have. */
  url: string;
  /** Path and query of every request received, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** A real HTTP server on a free loopback port, so the adapter is tested over actual sockets. */
export async function startFakeBackOffice(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<FakeBackOffice> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // Servers that never answer keep their sockets open; close() alone would wait for them forever.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
