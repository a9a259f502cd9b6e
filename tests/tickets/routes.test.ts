import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { createLogger } from '../../src/logger.js';
import type { Credentials } from '../../src/server/auth.js';
import { TranscriptStore } from '../../src/transcripts/transcript-store.js';
import { registerTicketRoutes } from '../../src/server/routes/tickets.js';
import { startEmbeddedMongo } from '../../src/storage/embedded/index.js';
import { TicketService } from '../../src/tickets/service.js';
import { complaint, connect, harness, written, type Harness } from './helpers.js';

const ADMIN = 'admin-token-0123456789';
const AGENT = 'agent-token-0123456789';
const credentials: Credentials = { adminToken: ADMIN, agents: [{ name: '王五', token: AGENT }] };

async function serve(tickets: TicketService, db: Db): Promise<{ base: string; close(): Promise<void> }> {
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  const logger = createLogger('silent');
  registerTicketRoutes(server, { tickets, credentials, logger, transcripts: new TranscriptStore(db, 180, logger) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

interface Answer {
  status: number;
  type: string | null;
  body: Record<string, unknown>;
}

function call(base: string, method: string, url: string, token?: string, body?: string): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${base}${url}`, { method, headers, body }).then(async (res) => ({
    status: res.status,
    type: res.headers.get('content-type'),
    body: (await res.json()) as Record<string, unknown>,
  }));
}

describe('ticket REST API', () => {
  let h: Harness;
  let service: TicketService;
  let api: { base: string; close(): Promise<void> };
  let first: string;
  let second: string;
  let closed: string;

  beforeAll(async () => {
    h = await harness();
    let now = new Date('2026-11-22T02:00:00Z');
    service = await h.service({ clock: () => now });
    first = written(await service.openTicket(complaint({ conversationId: 'web-1', account: 'R1' }))).ticket.number;
    now = new Date('2026-11-22T02:05:00Z');
    second = written(
      await service.openTicket(complaint({ conversationId: 'web-2', account: 'R2', intent: 'billing.dispute', category: 'billing' })),
    ).ticket.number;
    now = new Date('2026-11-22T02:10:00Z');
    closed = written(await service.openTicket(complaint({ account: 'R3', intent: 'service.staff_attitude', category: 'service' }))).ticket.number;
    await service.updateTicket(closed, { status: 'closed' }, { name: 'admin', role: 'admin' });
    api = await serve(service, h.db);
  });

  afterAll(async () => {
    await api.close();
    await h.stop();
  });

  it.each([
    ['GET', '/api/tickets', undefined],
    ['GET', '/api/tickets/KD20261122-0001', undefined],
    ['PATCH', '/api/tickets/KD20261122-0001', '{"note":"x"}'],
  ])('%s %s answers 401 without a valid token', async (method, url, body) => {
    for (const token of [undefined, 'not-a-token-at-all-xx']) {
      const res = await call(api.base, method, url, token, body);
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('unauthorized');
    }
  });

  it('lists tickets newest first for admin and agent, with ISO dates', async () => {
    for (const token of [ADMIN, AGENT]) {
      const res = await call(api.base, 'GET', '/api/tickets', token);
      expect(res.status).toBe(200);
      const tickets = res.body.tickets as Array<Record<string, unknown>>;
      expect(tickets.map((t) => t.number)).toEqual([closed, second, first]);
      expect(tickets[1]?.createdAt).toBe('2026-11-22T02:05:00.000Z');
      expect(tickets[0]).not.toHaveProperty('_id');
    }
  });

  it.each([
    ['?conversationId=web-1', () => [first]],
    ['?account=R2', () => [second]],
    ['?category=billing', () => [second]],
    ['?status=open&category=network', () => [first]],
    ['?status=closed', () => [closed]],
    ['?limit=2', () => [closed, second]],
  ])('filters %s', async (query, expected) => {
    const res = await call(api.base, 'GET', `/api/tickets${query}`, AGENT);
    expect(res.status).toBe(200);
    expect((res.body.tickets as Array<{ number: string }>).map((t) => t.number)).toEqual(expected());
  });

  it.each(['?status=done', '?category=weather', '?limit=0', '?limit=5000'])('rejects the filter %s with 400', async (query) => {
    const res = await call(api.base, 'GET', `/api/tickets${query}`, AGENT);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
  });

  it('returns one ticket, or a JSON 404', async () => {
    const hit = await call(api.base, 'GET', `/api/tickets/${first}`, AGENT);
    expect(hit.status).toBe(200);
    expect((hit.body.ticket as { number: string }).number).toBe(first);
    for (const missing of ['KD20991231-0001', 'nonsense']) {
      const res = await call(api.base, 'GET', `/api/tickets/${missing}`, AGENT);
      expect(res.status).toBe(404);
      expect(res.type).toMatch(/json/);
      expect(res.body.error).toBe('not_found');
    }
  });

  it('records a PATCH in the history under the caller’s name', async () => {
    const res = await call(api.base, 'PATCH', `/api/tickets/${first}`, AGENT, JSON.stringify({ status: 'in_progress', assignee: '王五', note: '已电话联系' }));
    expect(res.status).toBe(200);
    const ticket = res.body.ticket as { status: string; assignee: string; history: Array<Record<string, unknown>> };
    expect(ticket).toMatchObject({ status: 'in_progress', assignee: '王五' });
    expect(ticket.history.at(-2)).toMatchObject({ by: '王五', action: 'status', from: 'open', to: 'in_progress', note: '已电话联系' });
    expect(ticket.history.at(-2)?.at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it.each([
    ['an invalid transition', () => closed, '{"status":"open"}', 400, 'invalid_transition'],
    ['a closing reserved for admins', () => second, '{"status":"closed"}', 403, 'forbidden'],
    ['an unknown status', () => second, '{"status":"done"}', 400, 'bad_request'],
    ['an unknown field', () => second, '{"priority":"urgent"}', 400, 'bad_request'],
    ['an empty change', () => second, '{}', 400, 'invalid_request'],
    ['a blank note', () => second, '{"note":"   "}', 400, 'bad_request'],
    ['a body that is not an object', () => second, '[1,2]', 400, 'bad_request'],
  ])('answers %s with %i and changes nothing', async (_, ticket, body, status, error) => {
    const before = await service.findByNumber(ticket());
    const res = await call(api.base, 'PATCH', `/api/tickets/${ticket()}`, AGENT, body);
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(error);
    expect(res.body.message).toEqual(expect.any(String));
    expect(await service.findByNumber(ticket())).toEqual(before);
  });

  it('answers malformed JSON with a JSON 400, not a 5xx', async () => {
    const res = await fetch(`${api.base}/api/tickets/${second}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${AGENT}`, 'content-type': 'application/json' },
      body: '{"status": "in_progress",',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(((await res.json()) as { message: string }).message).toMatch(/JSON/);
    expect((await service.findByNumber(second))?.status).toBe('open');
  });

  it('answers PATCH on a missing ticket with 404', async () => {
    const res = await call(api.base, 'PATCH', '/api/tickets/KD20991231-0001', ADMIN, '{"note":"x"}');
    expect(res.status).toBe(404);
  });
});

describe('ticket REST API without storage', () => {
  it('answers 503 with a JSON error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tickets-503-'));
    const mongo = await startEmbeddedMongo({ dataDir: path.join(dir, 'mongo') });
    const client = await connect(mongo.uri);
    const service = new TicketService({ db: client.db('desk'), outboxFile: path.join(dir, 'outbox.jsonl'), storageTimeoutMs: 1_500 });
    await service.init();
    const api = await serve(service, client.db('desk'));
    try {
      await mongo.close();
      for (const [method, url, body] of [
        ['GET', '/api/tickets', undefined],
        ['GET', '/api/tickets/KD20261122-0001', undefined],
        ['PATCH', '/api/tickets/KD20261122-0001', '{"note":"x"}'],
      ] as const) {
        const res = await call(api.base, method, url, ADMIN, body);
        expect(res.status).toBe(503);
        expect(res.body.error).toBe('storage_unavailable');
      }
    } finally {
      await api.close();
      await client.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
