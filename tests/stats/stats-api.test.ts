/**
 * GET /api/stats against what really happened: conversations held over the real endpoint (explained,
 * resolved with 满意, a ticket with 不满意, the same complaint again folded into that ticket with 一般,
 * a hand-off), plus documents written through the driver for what a test cannot wait for (old tickets
 * past their SLA deadlines, messages either side of midnight Beijing time, a low-confidence turn).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedMongo } from '../../src/storage/embedded/index.js';
import { startApp, type RunningApp } from '../support/app-server.js';
import { converse } from '../support/conversation-checks.js';
import { OUTAGE_EXPLAINED, SLOW_LINE_TICKET } from '../support/complaint-scripts.js';
import { CustomerChat } from '../support/customer-chat.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

const ADMIN = 'admin-stats-token-0123456789';
const AGENT = 'agent-stats-token-0123456789';
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
// Computed here, independently of src/stats: the Beijing calendar day of an instant.
const beijingDay = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
const midnightBeijing = (day: string) => new Date(`${day}T00:00:00+08:00`);

let target: MongoTarget;
let app: RunningApp;
let stats: any;
let today: string;
let threeDaysAgo: string;

async function get(query: string, token = ADMIN) {
  const res = await fetch(`${app.baseUrl}/api/stats${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as any };
}

/** A ticket as the ticket service writes it, opened at `created`, with what happened to it since. */
function oldTicket(number: string, intent: string, created: Date, fields: Record<string, unknown>, history: Array<Record<string, unknown>>) {
  return {
    number,
    references: [],
    conversationId: `seeded-${number}`,
    channel: 'test',
    intent,
    category: intent.split('.')[0],
    priority: 'normal',
    department: 'customer_service',
    summary: '测试工单',
    evidence: { steps: [], values: {} },
    escalationRisk: false,
    createdAt: created,
    updatedAt: created,
    firstResponseDue: new Date(created.getTime() + 24 * HOUR_MS),
    resolveDue: new Date(created.getTime() + 48 * HOUR_MS),
    repeatCount: 0,
    history: [{ at: created, by: 'system', action: 'created' }, ...history],
    ...fields,
  };
}

const status = (created: Date, hours: number, from: string, to: string) => ({ at: new Date(created.getTime() + hours * HOUR_MS), by: 'li', action: 'status', from, to });

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
  // Every self-check failed: a network ticket, then 不满意.
  await converse(new CustomerChat(app.baseUrl), [...SLOW_LINE_TICKET, ['不满意', {}]]);
  // The same complaint from the same line again: folded into that ticket (a repeat), then 一般.
  await converse(new CustomerChat(app.baseUrl), [...SLOW_LINE_TICKET, ['一般', {}]]);
  // A person, with an agent online: a hand-off.
  await fetch(`${app.baseUrl}/api/agent/status`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${AGENT}` }, body: JSON.stringify({ status: 'online' }) });
  await new CustomerChat(app.baseUrl).say('转人工');

  await app.services.transcripts.append({
    conversationId: 'seeded-low',
    channel: 'test',
    direction: 'inbound',
    sender: 'customer',
    text: '网络时好时坏的',
    nlu: { intent: 'network.unstable', score: 0.41, entities: [], flags: [] },
    review: ['low_confidence'],
  });

  // Tickets opened three days ago, whose deadlines (24 h answer, 48 h resolution) have passed.
  const created = new Date(Date.now() - 3 * DAY_MS);
  await app.services.storage.db.collection('tickets').insertMany([
    // Never answered, still open: both deadlines missed.
    oldTicket('KD-SEED-1', 'service.repair_delay', created, { status: 'open' }, []),
    // Answered after 2 h, resolved after 10 h, closed after 60 h: in time (closing later does not count).
    oldTicket('KD-SEED-2', 'billing.dispute', created, { status: 'closed', firstResponseAt: new Date(created.getTime() + 2 * HOUR_MS) }, [
      status(created, 2, 'open', 'in_progress'),
      status(created, 10, 'in_progress', 'resolved'),
      status(created, 60, 'resolved', 'closed'),
    ]),
    // Answered after 30 h (late), resolved after 40 h (in time).
    oldTicket('KD-SEED-3', 'service.install_delay', created, { status: 'resolved', firstResponseAt: new Date(created.getTime() + 30 * HOUR_MS) }, [
      status(created, 30, 'open', 'in_progress'),
      status(created, 40, 'in_progress', 'resolved'),
    ]),
    // Resolved after 5 h but reopened after 50 h and still in progress: the resolution deadline is missed.
    oldTicket('KD-SEED-4', 'network.no_connection', created, { status: 'in_progress', firstResponseAt: new Date(created.getTime() + HOUR_MS) }, [
      status(created, 1, 'open', 'in_progress'),
      status(created, 5, 'in_progress', 'resolved'),
      status(created, 50, 'resolved', 'in_progress'),
    ]),
  ]);
  threeDaysAgo = beijingDay(created);
  today = beijingDay(new Date());
  stats = (await get('')).body;
}, 180_000);
afterAll(async () => {
  await app?.stop();
  await target?.stop();
});

describe('GET /api/stats', () => {
  it('defaults to the last 7 Beijing days, each with every category', () => {
    expect(stats).toMatchObject({ to: today, timezone: 'Asia/Shanghai', satisfactionAnswers: ['satisfied', 'neutral', 'dissatisfied'] });
    expect(stats.days.map((d: any) => d.day)).toEqual(Array.from({ length: 7 }, (_, i) => beijingDay(new Date(midnightBeijing(today).getTime() - (6 - i) * DAY_MS + HOUR_MS))));
    expect(stats.from).toBe(stats.days[0].day);
    for (const d of stats.days) expect(Object.keys(d.byCategory).sort()).toEqual(['billing', 'business', 'network', 'other', 'service', 'utility']);
  });

  it('counts conversations by category and containment (explained or resolved, no ticket, no hand-off)', () => {
    // network: explained, resolved, ticket, repeat, and the low-confidence message; utility: 转人工.
    expect(stats.byCategory.network).toMatchObject({ conversations: 5, contained: 2, containmentRate: 0.4 });
    expect(stats.byCategory.utility).toMatchObject({ conversations: 1, contained: 0, handoffs: 1 });
    expect(stats.totals).toMatchObject({ conversations: 6, contained: 2, handoffs: 1, repeatComplaints: 1 });
    expect(stats.totals.containmentRate).toBeCloseTo(2 / 6);
    const day = stats.days.find((d: any) => d.day === today);
    expect(day.total).toMatchObject({ conversations: 6, contained: 2, tickets: 1, handoffs: 1, repeatComplaints: 1 });
    expect(day.byCategory.network).toMatchObject({ conversations: 5, contained: 2, tickets: 1, repeatComplaints: 1 });
  });

  it('counts tickets on the day they were opened, and SLA breaches by what happened before each deadline', () => {
    expect(stats.totals).toMatchObject({ tickets: 5, slaFirstResponseBreaches: 2, slaResolutionBreaches: 2 });
    const old = stats.days.find((d: any) => d.day === threeDaysAgo);
    expect(old.byCategory.service).toMatchObject({ tickets: 2, slaFirstResponseBreaches: 2, slaResolutionBreaches: 1 });
    expect(old.byCategory.billing).toMatchObject({ tickets: 1, slaFirstResponseBreaches: 0, slaResolutionBreaches: 0 });
    expect(old.byCategory.network).toMatchObject({ tickets: 1, slaFirstResponseBreaches: 0, slaResolutionBreaches: 1 });
    // Today's ticket's deadlines are still ahead.
    expect(stats.days.find((d: any) => d.day === today).total).toMatchObject({ slaFirstResponseBreaches: 0, slaResolutionBreaches: 0 });
  });

  it('gives the satisfaction answers per day, per category and in total', () => {
    const answers = { satisfied: 1, neutral: 1, dissatisfied: 1 };
    expect(stats.totals.satisfaction).toMatchObject({ answers, responses: 3 });
    expect(stats.totals.satisfaction.satisfiedRate).toBeCloseTo(1 / 3);
    expect(stats.byCategory.network.satisfaction.answers).toEqual(answers);
    expect(stats.days.find((d: any) => d.day === today).byCategory.network.satisfaction.answers).toEqual(answers);
    expect(stats.byCategory.billing.satisfaction).toEqual({ answers: { satisfied: 0, neutral: 0, dissatisfied: 0 }, responses: 0, satisfiedRate: null });
  });

  it('gives each self-check step its resolution rate, and the intents with the most low-confidence turns', () => {
    expect(stats.selfChecks).toEqual(
      expect.arrayContaining([
        { flow: 'network', step: '重新输入宽带账号密码', attempts: 1, solved: 1, rate: 1 },
        { flow: 'network', step: '检查网线和电源', attempts: 2, solved: 0, rate: 0 },
        { flow: 'network', step: '重启光猫和路由器', attempts: 2, solved: 0, rate: 0 },
      ]),
    );
    expect(stats.selfChecks).toHaveLength(3);
    expect(stats.lowConfidenceIntents[0]).toEqual({ intent: 'network.unstable', turns: 1 });
  });

  it('puts messages either side of midnight Beijing time on their own days, once per conversation and day', async () => {
    const day = beijingDay(new Date(Date.now() - 30 * DAY_MS));
    const midnight = midnightBeijing(day).getTime() + DAY_MS;
    const billing = { intent: 'billing.dispute', score: 0.97, entities: [], flags: [] };
    const message = (at: number, text: string) =>
      app.services.transcripts.append({ conversationId: 'seeded-midnight', channel: 'test', direction: 'inbound', sender: 'customer', text, at: new Date(at), nlu: billing });
    await message(midnight - 60_000, '这个月多扣了五十块');
    await message(midnight - 30_000, '怎么回事');
    await message(midnight + 30 * 60_000, '还在吗');
    const next = beijingDay(new Date(midnight + HOUR_MS));

    const both = (await get(`?from=${day}&to=${next}`)).body;
    expect(both.days.map((d: any) => [d.day, d.byCategory.billing.conversations])).toEqual([
      [day, 1],
      [next, 1],
    ]);
    expect(both.totals.conversations).toBe(2);
    expect((await get(`?from=${next}&to=${next}`)).body.totals.conversations).toBe(1);
  });

  it('files a conversation under its first complaint, not the greeting before it', async () => {
    const day = beijingDay(new Date(Date.now() - 20 * DAY_MS));
    const noon = midnightBeijing(day).getTime() + 12 * HOUR_MS;
    const turn = (at: number, text: string, intent: string) =>
      app.services.transcripts.append({
        conversationId: 'seeded-greeting',
        channel: 'test',
        direction: 'inbound',
        sender: 'customer',
        text,
        at: new Date(at),
        nlu: { intent, score: 0.95, entities: [], flags: [] },
      });
    // Written out of order: the day's order is the messages' time, not the order they reached storage.
    await turn(noon + 120_000, '宽带也很慢', 'network.slow');
    await turn(noon, '你好', 'greeting');
    await turn(noon + 60_000, '这个月多扣了五十块', 'billing.dispute');

    const body = (await get(`?from=${day}&to=${day}`)).body;
    expect(body.totals.conversations).toBe(1);
    expect(body.byCategory.billing.conversations).toBe(1);
  });

  it('takes a missing from as the 7 days up to to', async () => {
    const { status, body } = await get('?to=2026-03-07');
    expect(status).toBe(200);
    expect([body.from, body.to, body.days.length]).toEqual(['2026-03-01', '2026-03-07', 7]);
    expect(body.totals.conversations).toBe(0);
    expect(body.totals.containmentRate).toBeNull();
  });

  it('refuses bad ranges with a message naming the fault', async () => {
    const cases: Array<[string, string]> = [
      ['?from=2026-02-30&to=2026-03-01', 'from must be a date as YYYY-MM-DD'],
      ['?from=yesterday', 'from must be a date'],
      ['?to=2026-3-1', 'to must be a date'],
      ['?from=2026-11-22&to=2026-11-01', 'after'],
      ['?from=2026-01-01&to=2026-11-01', 'at most 92 days'],
      ['?from=2026-01-01&from=2026-01-02', 'from must be a date'],
    ];
    for (const [query, message] of cases) {
      const { status, body } = await get(query);
      expect([query, status, body.error]).toEqual([query, 400, 'bad_request']);
      expect(body.message).toContain(message);
    }
    expect((await get('?from=2026-01-01&to=2026-04-02')).status, '92 days').toBe(200);
  });

  it('is for admins only', async () => {
    expect((await get('', AGENT)).status).toBe(403);
    expect((await get('', '')).status).toBe(401);
    expect((await get('', 'not-the-admin-token-0123456789')).status).toBe(401);
  });
});

describe('GET /api/stats with storage down', () => {
  it('answers 503 with a message, not a crash', async () => {
    // A server of the test's own, so that it can be taken away (whatever MONGODB_URI says).
    const dir = await mkdtemp(path.join(tmpdir(), 'stats-down-'));
    const mongo = await startEmbeddedMongo({ dataDir: dir });
    const own = await startApp(mongo.uri, 'test', { ADMIN_TOKEN: ADMIN });
    try {
      await mongo.close();
      const res = await fetch(`${own.baseUrl}/api/stats`, { headers: { authorization: `Bearer ${ADMIN}` } });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: 'unavailable', message: expect.stringContaining('Storage is unavailable') });
    } finally {
      await own.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
