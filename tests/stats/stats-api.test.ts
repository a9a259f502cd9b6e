/**
 * GET /api/stats against what really happened: conversations held over the real endpoint (explained,
 * resolved with a satisfaction answer, a ticket after failed self-checks, a hand-off), plus a few
 * documents written through the driver for what a test cannot wait for (an old ticket past its SLA, a
 * message just after midnight Beijing time, a low-confidence turn).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-server.js';
import { converse } from '../support/conversation-checks.js';
import { OUTAGE_EXPLAINED, SLOW_LINE_TICKET } from '../support/complaint-scripts.js';
import { CustomerChat } from '../support/customer-chat.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

const ADMIN = 'admin-stats-token-0123456789';
const AGENT = 'agent-stats-token-0123456789';
const DAY_MS = 24 * 3600_000;
const beijingDay = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

let target: MongoTarget;
let app: RunningApp;
let stats: any;

async function get(path: string, token = ADMIN) {
  const res = await fetch(`${app.baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  target = await mongoTarget();
  app = await startApp(target.uri, target.dbName, { ADMIN_TOKEN: ADMIN, AGENT_TOKENS: `zhou:${AGENT}`, SERVICE_HOURS: '00:00-24:00' }, { productNlu: true });

  // Explained: an area outage, no ticket.
  await converse(new CustomerChat(app.baseUrl), OUTAGE_EXPLAINED);
  // Resolved by re-entering the password (a self-check that worked), then 满意.
  await converse(new CustomerChat(app.baseUrl), [
    ['家里宽带上不了网了', { slot: 'account' }],
    ['ad88000004', { slot: 'confirm' }],
    ['是', { slot: 'error_code' }],
    ['没有', { slot: 'resolved' }],
    ['好了可以了', { slot: 'satisfaction' }],
    ['满意', {}],
  ]);
  // Every self-check failed: a network ticket.
  await converse(new CustomerChat(app.baseUrl), SLOW_LINE_TICKET);
  // A person, with an agent online: a hand-off.
  await fetch(`${app.baseUrl}/api/agent/status`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${AGENT}` }, body: JSON.stringify({ status: 'online' }) });
  await new CustomerChat(app.baseUrl).say('转人工');

  const now = Date.now();
  await app.services.transcripts.append({
    conversationId: 'seeded-low',
    channel: 'test',
    direction: 'inbound',
    sender: 'customer',
    text: '网络时好时坏的',
    nlu: { intent: 'network.unstable', score: 0.41, entities: [], flags: [] },
    review: ['low_confidence'],
  });
  // 00:30 Beijing time on the 21st is still the 20th in UTC.
  await app.services.transcripts.append({
    conversationId: 'seeded-midnight',
    channel: 'test',
    direction: 'inbound',
    sender: 'customer',
    text: '这个月多扣了五十块',
    at: new Date('2026-11-20T16:30:00Z'),
    nlu: { intent: 'billing.dispute', score: 0.97, entities: [], flags: [] },
  });
  const created = new Date(now - 3 * DAY_MS);
  await app.services.storage.db.collection('tickets').insertOne({
    number: 'KD20261120-9001',
    conversationId: 'seeded-old',
    intent: 'service.repair_delay',
    category: 'service',
    status: 'open',
    createdAt: created,
    updatedAt: created,
    firstResponseDue: new Date(created.getTime() + DAY_MS),
    resolveDue: new Date(created.getTime() + 2 * DAY_MS),
    repeatCount: 1,
    history: [
      { at: created, by: 'system', action: 'created' },
      { at: new Date(now - 2 * DAY_MS), by: 'system', action: 'repeat' },
    ],
  });
  stats = (await get('/api/stats')).body;
}, 120_000);
afterAll(async () => {
  await app?.stop();
  await target?.stop();
});

describe('GET /api/stats', () => {
  it('defaults to the last 7 Beijing days, each with every category', () => {
    const today = beijingDay(new Date());
    expect(stats.to).toBe(today);
    expect(stats.days).toHaveLength(7);
    expect(stats.days.at(-1).day).toBe(today);
    expect(Object.keys(stats.days[0].byCategory).sort()).toEqual(['billing', 'business', 'network', 'other', 'service', 'utility']);
  });

  it('counts conversations by category and containment (explained or resolved, no ticket, no hand-off)', () => {
    expect(stats.byCategory.network).toMatchObject({ conversations: 4, contained: 2, tickets: 1 });
    expect(stats.byCategory.network.containmentRate).toBeCloseTo(0.5);
    expect(stats.byCategory.billing.conversations).toBe(1);
    expect(stats.byCategory.service.tickets).toBe(1);
    expect(stats.totals).toMatchObject({ conversations: 6, contained: 2, tickets: 2, handoffs: 1, repeatComplaints: 1 });
    expect(stats.totals.containmentRate).toBeCloseTo(2 / 6);
  });

  it('counts SLA breaches and satisfaction answers', () => {
    expect(stats.totals).toMatchObject({ slaFirstResponseBreaches: 1, slaResolutionBreaches: 1 });
    expect(stats.totals.satisfaction).toMatchObject({ satisfied: 1, neutral: 0, dissatisfied: 0, responses: 1, satisfiedRate: 1 });
  });

  it('gives each self-check step its resolution rate, and the intents with the most low-confidence turns', () => {
    const steps = stats.selfChecks.map((s: any) => [s.flow, s.attempts, s.solved]);
    expect(steps).toEqual(expect.arrayContaining([['network', 1, 1]]));
    expect(stats.selfChecks.reduce((n: number, s: any) => n + s.attempts, 0)).toBe(3);
    expect(stats.selfChecks.reduce((n: number, s: any) => n + s.solved, 0)).toBe(1);
    for (const s of stats.selfChecks) expect(s.rate).toBeCloseTo(s.solved / s.attempts);
    expect(stats.lowConfidenceIntents).toContainEqual({ intent: 'network.unstable', turns: 1 });
  });

  it('puts a message at 00:30 Beijing time on that Beijing day', async () => {
    const { body } = await get('/api/stats?from=2026-11-21&to=2026-11-21');
    expect(body.days).toEqual([expect.objectContaining({ day: '2026-11-21' })]);
    expect(body.totals.conversations).toBe(1);
    expect(body.byCategory.billing.conversations).toBe(1);
    const before = await get('/api/stats?from=2026-11-20&to=2026-11-20');
    expect(before.body.byCategory.billing.conversations).toBe(0);
  });

  it('refuses bad ranges, agents and strangers', async () => {
    expect((await get('/api/stats?from=2026-02-30&to=2026-03-01')).status).toBe(400);
    expect((await get('/api/stats?from=2026-11-22&to=2026-11-01')).body.message).toContain('after');
    expect((await get('/api/stats?from=2026-01-01&to=2026-11-01')).body.message).toContain('at most 92 days');
    expect((await get('/api/stats', AGENT)).status).toBe(403);
    expect((await get('/api/stats', '')).status).toBe(401);
  });
});
