import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/storage/embedded/index.js';
import { createLogger } from '../../src/logger.js';
import { PROVISIONAL_REFERENCE, TICKET_NUMBER } from '../../src/tickets/numbering.js';
import { TicketOutbox } from '../../src/tickets/outbox.js';
import { TicketService } from '../../src/tickets/service.js';
import type { OpenTicketResult } from '../../src/tickets/types.js';
import { complaint, connect, written } from './helpers.js';

// Needs a server it can stop and restart, so it always runs on the embedded one.
let dir: string;
let mongo: EmbeddedMongo | undefined;
let client: MongoClient;
let outboxFile: string;
let service: TicketService;
const NOW = new Date('2026-11-22T06:00:00Z');

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tickets-outbox-'));
  mongo = await startEmbeddedMongo({ dataDir: path.join(dir, 'mongo') });
  client = await connect(mongo.uri);
  outboxFile = path.join(dir, 'ticket-outbox.jsonl');
  service = new TicketService({ db: client.db('desk'), outboxFile, storageTimeoutMs: 1_500, clock: () => NOW });
  await service.init();
});

afterEach(async () => {
  await client.close();
  await mongo?.close();
  mongo = undefined;
  await rm(dir, { recursive: true, force: true });
});

function queued(result: OpenTicketResult): { reference: string; receivedAt: Date } {
  if (!result.queued) throw new Error(`expected a queued request, got ${result.ticket.number}`);
  return result;
}

async function restart(port: number): Promise<void> {
  mongo = await startEmbeddedMongo({ dataDir: path.join(dir, 'mongo'), port });
}

function badFile(): string {
  return path.join(dir, 'ticket-outbox.bad.jsonl');
}

async function countTickets(): Promise<number> {
  return client.db('desk').collection('tickets').countDocuments();
}

describe('ticket outbox', () => {
  it('keeps requests while storage is down and writes them once it is back, without duplicates', async () => {
    const existing = written(await service.openTicket(complaint({ account: 'A' }))).ticket;
    const port = (mongo as EmbeddedMongo).port;
    await (mongo as EmbeddedMongo).close();
    mongo = undefined;

    const repeatOfExisting = queued(await service.openTicket(complaint({ account: 'A' })));
    const fresh = queued(await service.openTicket(complaint({ account: 'B', contactPhone: '13900139000' })));
    const repeatOfFresh = queued(await service.openTicket(complaint({ account: 'B' })));
    for (const q of [repeatOfExisting, fresh, repeatOfFresh]) expect(q.reference).toMatch(PROVISIONAL_REFERENCE);
    expect(await service.findPending(fresh.reference)).toEqual({ reference: fresh.reference, receivedAt: NOW });

    // Still down: nothing is lost, nothing is written.
    expect(await service.flushOutbox()).toEqual({ flushed: [], pending: 3 });
    const beforeFlush = await readFile(outboxFile, 'utf8');

    await restart(port);
    const report = await service.flushOutbox();
    expect(report.pending).toBe(0);
    expect(report.flushed.map((f) => [f.reference, f.repeat])).toEqual([
      [repeatOfExisting.reference, true],
      [fresh.reference, false],
      [repeatOfFresh.reference, true],
    ]);
    expect(report.flushed[0]?.number).toBe(existing.number);
    expect(report.flushed[1]?.contactPhone).toBe('13900139000');
    const freshNumber = report.flushed[1]?.number as string;
    expect(freshNumber).toMatch(TICKET_NUMBER);
    expect(report.flushed[2]?.number).toBe(freshNumber);
    expect(await countTickets()).toBe(2);

    // The provisional reference leads to the ticket, whose SLA clock started when the customer complained.
    const ticket = await service.findByNumber(fresh.reference);
    expect(ticket).toMatchObject({ number: freshNumber, createdAt: NOW, repeatCount: 1 });
    expect(ticket?.references).toEqual([fresh.reference, repeatOfFresh.reference]);
    expect(await service.findPending(fresh.reference)).toBeUndefined();

    // Flushing again finds nothing; the settled file was emptied.
    expect(await service.flushOutbox()).toEqual({ flushed: [], pending: 0 });
    expect(await readFile(outboxFile, 'utf8')).toBe('');

    // A crash after writing but before marking done: the same entries come back, and nothing is doubled.
    await writeFile(outboxFile, beforeFlush);
    const replay = await service.flushOutbox();
    expect(replay.flushed.map((f) => [f.number, f.repeat])).toEqual(report.flushed.map((f) => [f.number, f.repeat]));
    expect(await countTickets()).toBe(2);
    expect(await service.findByNumber(freshNumber)).toMatchObject({ repeatCount: 1 });
    expect((await service.findByNumber(existing.number))?.repeatCount).toBe(1);
  });

  it('survives a torn last line and keeps appending cleanly after it', async () => {
    await (mongo as EmbeddedMongo).close();
    const port = (mongo as EmbeddedMongo).port;
    mongo = undefined;
    await writeFile(outboxFile, '{"type":"queued","at":"2026-11');
    const q = queued(await service.openTicket(complaint({ account: 'T' })));
    await restart(port);
    const report = await service.flushOutbox();
    expect(report.flushed.map((f) => f.reference)).toEqual([q.reference]);
    expect(report.pending).toBe(0);
    // The unreadable line is moved aside for a person to look at rather than silently dropped.
    expect(await readFile(outboxFile, 'utf8')).toBe('');
    expect(await readFile(badFile(), 'utf8')).toBe('{"type":"queued","at":"2026-11\n');
  });

  it('moves a corrupt line aside and still flushes and empties the outbox', async () => {
    const port = (mongo as EmbeddedMongo).port;
    await (mongo as EmbeddedMongo).close();
    mongo = undefined;
    const first = queued(await service.openTicket(complaint({ account: 'G1' })));
    const second = queued(await service.openTicket(complaint({ account: 'G2' })));
    // A damaged line between the two good ones, holding a customer's details as real lines do.
    const [line1, line2] = (await readFile(outboxFile, 'utf8')).trimEnd().split('\n');
    const corrupt = '{"type":"queued","request":{"contactPhone":"13800138000"';
    await writeFile(outboxFile, `${line1}\n${corrupt}\n${line2}\n`);

    await restart(port);
    const report = await service.flushOutbox();
    expect(report.flushed.map((f) => f.reference)).toEqual([first.reference, second.reference]);
    expect(report.pending).toBe(0);
    expect(await countTickets()).toBe(2);
    expect(await readFile(outboxFile, 'utf8')).toBe('');
    expect(await readFile(badFile(), 'utf8')).toBe(`${corrupt}\n`);

    // Nothing is replayed any more.
    expect(await service.flushOutbox()).toEqual({ flushed: [], pending: 0 });
    expect(await readFile(badFile(), 'utf8')).toBe(`${corrupt}\n`);
  });

  it('warns about lines moved aside without logging their content', async () => {
    const logged: string[] = [];
    const logger = createLogger('warn', { write: (line: string) => void logged.push(line) });
    const outbox = new TicketOutbox(outboxFile, logger);
    await writeFile(outboxFile, '{"contactPhone":"13800138000"\n');
    expect(await outbox.compact()).toBe(true);
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0] as string)).toMatchObject({ level: 40, count: 1, file: badFile() });
    expect(logged[0]).not.toContain('13800138000');
  });

  it('shares one run between concurrent flushes', async () => {
    const port = (mongo as EmbeddedMongo).port;
    await (mongo as EmbeddedMongo).close();
    mongo = undefined;
    await service.openTicket(complaint({ account: 'C1' }));
    await service.openTicket(complaint({ account: 'C2' }));
    await restart(port);
    const [a, b] = await Promise.all([service.flushOutbox(), service.flushOutbox()]);
    expect(a).toBe(b);
    expect(a.flushed).toHaveLength(2);
    expect(await countTickets()).toBe(2);
  });
});

describe('storage that accepts connections but never answers', () => {
  let blackHole: Server;
  const sockets = new Set<Socket>();

  beforeEach(async () => {
    blackHole = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => blackHole.close(() => resolve()));
  });

  it('queues the request after the storage timeout instead of keeping the customer waiting', async () => {
    const { port } = blackHole.address() as AddressInfo;
    const hung = new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`, { serverSelectionTimeoutMS: 30_000 });
    const slow = new TicketService({ db: hung.db('desk'), outboxFile, storageTimeoutMs: 300 });
    const started = Date.now();
    const result = queued(await slow.openTicket(complaint()));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result.reference).toMatch(PROVISIONAL_REFERENCE);
    await expect(slow.list()).rejects.toMatchObject({ status: 503 });
    for (const s of sockets) s.destroy();
    await hung.close(true);

    // The entry is replayed by a node whose storage works.
    const report = await service.flushOutbox();
    expect(report.flushed.map((f) => f.reference)).toEqual([result.reference]);
  });
});
