import net from 'node:net';
import type { Catalog } from './catalog.js';
import { dispatch } from './commands/index.js';
import type { CursorManager } from './cursors.js';
import { errorReply } from './errors.js';
import { encodeOpMsg, encodeOpReply, MessageFramer, parseRequest, type CommandRequest, type RawMessage } from './wire.js';
import type { Doc, EmbeddedLogger } from './types.js';

export interface WireServerDeps {
  catalog: Catalog;
  cursors: CursorManager;
  logger: EmbeddedLogger;
}

interface Connection {
  id: number;
  socket: net.Socket;
  framer: MessageFramer;
  /** Requests of one connection run in order, so an unacknowledged write is visible to the next read. */
  tail: Promise<void>;
}

/** Accepts driver connections and turns framed requests into dispatched commands and replies. */
export class WireServer {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  private readonly inflight = new Set<Promise<void>>();
  private nextConnectionId = 1;
  private nextRequestId = 1;

  constructor(private readonly deps: WireServerDeps) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host, port }, () => {
        this.server.off('error', reject);
        this.server.on('error', (err) => this.deps.logger.error({ err }, 'embedded MongoDB listener error'));
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  /** Stop accepting, drop every client, then wait for commands already running to finish. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const conn of this.connections) conn.socket.destroy();
    await closed;
    await Promise.allSettled([...this.inflight]);
  }

  private accept(socket: net.Socket): void {
    // Request/response traffic: Nagle's algorithm would add up to 40 ms per round trip.
    socket.setNoDelay(true);
    const conn: Connection = { id: this.nextConnectionId++, socket, framer: new MessageFramer(), tail: Promise.resolve() };
    this.connections.add(conn);
    socket.on('data', (chunk: Buffer) => this.onData(conn, chunk));
    socket.on('error', (err) => this.deps.logger.info({ err, connectionId: conn.id }, 'client socket error'));
    socket.on('close', () => this.connections.delete(conn));
  }

  private onData(conn: Connection, chunk: Buffer): void {
    if (conn.socket.destroyed) return;
    let messages: RawMessage[];
    try {
      messages = conn.framer.push(chunk);
    } catch (err) {
      this.reject(conn, err);
      return;
    }
    for (const message of messages) {
      const step = conn.tail
        .then(() => this.handle(conn, message))
        .catch((err: unknown) => {
          // dispatch() already turns command failures into replies; reaching this is a server bug.
          this.deps.logger.error({ err, connectionId: conn.id }, 'unexpected error while serving a request');
          conn.socket.destroy();
        });
      conn.tail = step;
      this.inflight.add(step);
      void step.finally(() => this.inflight.delete(step));
    }
  }

  private async handle(conn: Connection, message: RawMessage): Promise<void> {
    if (conn.socket.destroyed) return;
    let request: CommandRequest;
    try {
      request = parseRequest(message);
    } catch (err) {
      this.reject(conn, err);
      return;
    }
    const reply = await dispatch(
      { command: request.command, protocol: request.protocol, queryDb: request.queryDb },
      { ...this.deps, connectionId: conn.id },
    );
    if (request.moreToCome || conn.socket.destroyed) return;
    conn.socket.write(this.encode(request, reply));
  }

  private encode(request: CommandRequest, reply: Doc): Buffer {
    const requestId = this.nextRequestId;
    this.nextRequestId = (this.nextRequestId % 0x7fffffff) + 1;
    const build = request.protocol === 'msg' ? encodeOpMsg : encodeOpReply;
    try {
      return build(requestId, request.requestId, reply);
    } catch (err) {
      // e.g. a value BSON cannot represent; the client still deserves an answer to its request.
      return build(requestId, request.requestId, errorReply(err));
    }
  }

  /** Malformed input: log it and close this connection only; the server keeps serving everyone else. */
  private reject(conn: Connection, err: unknown): void {
    this.deps.logger.warn(
      { err, connectionId: conn.id, remote: conn.socket.remoteAddress },
      'closing connection after invalid wire protocol input',
    );
    conn.socket.destroy();
  }
}
