import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BSON } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/storage/embedded/index.js';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_COMPRESSED = 2012;
const OP_MSG = 2013;

let dataDir: string;
let server: EmbeddedMongo;
let client: MongoClient;
const warnings: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'embedded-wire-'));
  const logger = { info: () => undefined, error: () => undefined, warn: (_o: object, msg?: string) => void warnings.push(msg ?? '') };
  server = await startEmbeddedMongo({ dataDir, logger });
  client = await MongoClient.connect(server.uri);
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function frame(opCode: number, requestId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + payload.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, payload]);
}

function opMsg(requestId: number, body: object, opts: { flags?: number; sequences?: Record<string, object[]>; checksum?: boolean } = {}): Buffer {
  const flags = (opts.flags ?? 0) | (opts.checksum ? 1 : 0);
  const parts: Buffer[] = [Buffer.alloc(4), Buffer.from([0]), Buffer.from(BSON.serialize(body))];
  parts[0]?.writeUInt32LE(flags, 0);
  for (const [id, docs] of Object.entries(opts.sequences ?? {})) {
    const content = Buffer.concat([Buffer.from(`${id}\0`), ...docs.map((d) => Buffer.from(BSON.serialize(d)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + content.length, 0);
    parts.push(Buffer.from([1]), size, content);
  }
  if (opts.checksum) parts.push(Buffer.alloc(4)); // never verified by the server
  return frame(OP_MSG, requestId, Buffer.concat(parts));
}

function opQuery(requestId: number, ns: string, query: object): Buffer {
  const head = Buffer.alloc(4);
  const counts = Buffer.alloc(8);
  counts.writeInt32LE(-1, 4);
  return frame(OP_QUERY, requestId, Buffer.concat([head, Buffer.from(`${ns}\0`), counts, Buffer.from(BSON.serialize(query))]));
}

/** A raw client that collects whole replies and reports whether the server hung up. */
class RawClient {
  readonly socket: net.Socket;
  private buffer = Buffer.alloc(0);
  private waiters: Array<(m: { opCode: number; responseTo: number; doc: BSON.Document }) => void> = [];
  closed = false;

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => {
      this.closed = true;
    });
    this.socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      while (this.buffer.length >= 4 && this.buffer.length >= this.buffer.readInt32LE(0)) {
        const len = this.buffer.readInt32LE(0);
        const msg = this.buffer.subarray(0, len);
        this.buffer = this.buffer.subarray(len);
        const opCode = msg.readInt32LE(12);
        const docStart = opCode === OP_REPLY ? 36 : 21;
        this.waiters.shift()?.({ opCode, responseTo: msg.readInt32LE(8), doc: BSON.deserialize(msg.subarray(docStart)) });
      }
    });
  }

  async ready(): Promise<void> {
    await once(this.socket, 'connect');
  }

  request(bytes: Buffer): Promise<{ opCode: number; responseTo: number; doc: BSON.Document }> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.socket.write(bytes);
    });
  }

  async expectClosed(bytes: Buffer): Promise<void> {
    const closed = once(this.socket, 'close');
    this.socket.write(bytes);
    await closed;
    expect(this.closed).toBe(true);
  }
}

async function driverStillWorks(): Promise<void> {
  const coll = client.db('wire').collection('alive');
  await coll.insertOne({ at: new Date() });
  expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
}

describe('wire protocol robustness', () => {
  it('closes a connection that sends garbage, keeps serving the driver', async () => {
    const raw = new RawClient(server.port);
    await raw.ready();
    await raw.expectClosed(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await driverStillWorks();
    expect(warnings.length).toBeGreaterThan(0);
  });

  it('closes a connection announcing a message over 48 MB', async () => {
    const raw = new RawClient(server.port);
    await raw.ready();
    const header = Buffer.alloc(16);
    header.writeInt32LE(48_000_001, 0);
    header.writeInt32LE(OP_MSG, 12);
    await raw.expectClosed(header);
    await driverStillWorks();
  });

  it('closes a connection sending OP_COMPRESSED or invalid BSON', async () => {
    const compressed = new RawClient(server.port);
    await compressed.ready();
    await compressed.expectClosed(frame(OP_COMPRESSED, 1, Buffer.alloc(9)));
    const badBson = new RawClient(server.port);
    await badBson.ready();
    const payload = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), Buffer.from([0x20, 0, 0, 0, 0xff, 0xff])]);
    await badBson.expectClosed(frame(OP_MSG, 2, payload));
    await driverStillWorks();
  });

  it('answers OP_QUERY hello with OP_REPLY and OP_MSG with OP_MSG', async () => {
    const raw = new RawClient(server.port);
    await raw.ready();
    const legacy = await raw.request(opQuery(7, 'admin.$cmd', { isMaster: 1 }));
    expect(legacy.opCode).toBe(OP_REPLY);
    expect(legacy.responseTo).toBe(7);
    expect(legacy.doc).toMatchObject({ ismaster: true, maxWireVersion: 21, ok: 1 });
    const modern = await raw.request(opMsg(8, { hello: 1, $db: 'admin' }));
    expect(modern.opCode).toBe(OP_MSG);
    expect(modern.responseTo).toBe(8);
    expect(modern.doc).toMatchObject({ helloOk: true, isWritablePrimary: true, ok: 1 });
    raw.socket.destroy();
  });

  it('accepts document sequences, checksums and moreToCome (no reply) on OP_MSG', async () => {
    const raw = new RawClient(server.port);
    await raw.ready();
    const inserted = await raw.request(
      opMsg(10, { insert: 'seq', $db: 'wire' }, { sequences: { documents: [{ _id: 1 }, { _id: 2 }] }, checksum: true }),
    );
    expect(inserted.doc).toMatchObject({ n: 2, ok: 1 });
    // Unacknowledged write: the server must stay silent, and the next request on the socket sees it.
    raw.socket.write(opMsg(11, { insert: 'seq', $db: 'wire', writeConcern: { w: 0 } }, { flags: 2, sequences: { documents: [{ _id: 3 }] } }));
    const found = await raw.request(opMsg(12, { find: 'seq', filter: {}, $db: 'wire' }));
    expect(found.responseTo).toBe(12);
    expect((found.doc.cursor as BSON.Document).firstBatch).toEqual([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
    const unknown = await raw.request(opMsg(13, { getMore: BSON.Long.fromNumber(12345), collection: 'seq', $db: 'wire' }));
    expect(unknown.doc).toMatchObject({ ok: 0, code: 43, codeName: 'CursorNotFound' });
    raw.socket.destroy();
  });
});
