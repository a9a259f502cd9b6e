/**
 * The back office does not answer (CARRIER_URL → a local server that accepts requests and never
 * replies, CARRIER_TIMEOUT_MS 200): the network complaint still goes on politely over HTTP, the
 * self-checks run without it and, when they fail, end in a ticket the customer hears about — never a
 * 5xx, never a hang.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Ticket } from '../../src/tickets/types.js';
import { startApp, type RunningApp } from '../support/app-server.js';
import { CustomerChat, type Turn } from '../support/customer-chat.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';
import { converse as converseChecked, outcomes } from '../support/conversation-checks.js';
import { type Row } from '../support/scenario.js';

const TIMEOUT_MS = 200;
/** A turn may spend the back-office budget a few times, but the customer is never left waiting long. */
const MAX_TURN_MS = 3_000;

let silent: Server;
let backOfficeCalls: string[] = [];
let target: MongoTarget;
let app: RunningApp;

beforeAll(async () => {
  silent = createServer((req) => {
    backOfficeCalls.push(`${req.method} ${req.url}`); // and never answers
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  silent.closeAllConnections();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

beforeEach(async () => {
  backOfficeCalls = [];
  target = await mongoTarget();
  const { port } = silent.address() as AddressInfo;
  app = await startApp(
    target.uri,
    target.dbName,
    { CARRIER_URL: `http://127.0.0.1:${port}`, CARRIER_TIMEOUT_MS: String(TIMEOUT_MS) },
    { productNlu: true },
  );
});
afterEach(async () => {
  await app?.stop();
  await target?.stop();
});

const checks = outcomes(() => app);
/** The customer is never told about timeouts, and never left waiting long. */
const converse = (chat: CustomerChat, rows: readonly Row[]) => converseChecked(chat, rows, { forbidden: /timeout/i, maxTurnMs: MAX_TURN_MS });
const theOneTicket = (chat: CustomerChat, said: Turn, startedAt: Date) => checks.theOneTicket(chat, said, startedAt, 'network');

const TICKET_LINE = /已为您派单至网络维护部门，工单号 KD\d{8}-\d{4}，工作人员会在 \d+月\d+日 \d\d:\d\d 前联系您/;

/** Identification fails over to "carry on", the outage and status checks say they could not look. */
const identifiedWithoutBackOffice = (complaint: string, id: string): Row[] => [
  [complaint, { slot: 'account', says: '非常抱歉给您的上网带来不便' }],
  [
    id,
    {
      slot: 'error_code',
      says: /抱歉，系统暂时无法核实账号，我们先记录您提供的信息，继续为您处理。[\s\S]*暂时查询不到区域故障信息[\s\S]*暂时查询不到账户状态[\s\S]*错误代码/,
      never: '机主',
    },
  ],
];

/** …then no code, normal lights, and neither the cables nor a restart helped. */
const selfChecksFail = (complaint: string, id: string): Row[] => [
  ...identifiedWithoutBackOffice(complaint, id),
  ['没有', { slot: 'choice', says: '光猫的指示灯' }],
  ['1', { slot: 'resolved', says: '网线是否插紧' }],
  ['还是不行', { slot: 'resolved', says: '断电' }],
];

describe('the back office does not answer', () => {
  it.each<{ intent: string; complaint: string; tail: Row[] }>([
    {
      intent: 'network.no_connection',
      complaint: '家里宽带上不了网了',
      tail: [
        ['没好', { slot: 'resolved', says: '浏览器缓存' }],
        ['不行', { slot: 'satisfaction', says: TICKET_LINE }],
      ],
    },
    {
      intent: 'network.slow',
      complaint: '网速太慢了',
      tail: [
        ['没好', { slot: 'speed_mbps', says: '测速' }],
        ['测了一下才15兆', { slot: 'satisfaction', says: TICKET_LINE }],
      ],
    },
    {
      intent: 'network.unstable',
      complaint: '网络老是掉线',
      tail: [
        ['没好', { slot: 'resolved', says: '用网线直连' }],
        ['不行', { slot: 'satisfaction', says: TICKET_LINE }],
      ],
    },
  ])('$intent: the complaint goes on politely and failed self-checks end in a ticket', async ({ intent, complaint, tail }) => {
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await converse(chat, [...selfChecksFail(complaint, 'ad88000006'), ...tail]);

    expect(backOfficeCalls.length, 'the bot did ask the (silent) back office').toBeGreaterThan(0);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt);
    expect(ticket).toMatchObject({ category: 'network', intent, department: 'network_maintenance' });
    expect(ticket.evidence.steps.map((s) => `${s.step}:${s.outcome}`)).toEqual(
      expect.arrayContaining(['核实宽带账号:后台不可用', '查询区域故障:后台不可用', '查询账户状态:后台不可用', '重启光猫和路由器:未解决']),
    );
  });

  it('a self-check that works still ends resolved, without a ticket', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [
      ...identifiedWithoutBackOffice('家里宽带上不了网了', 'ad88000006'),
      ['没有', { slot: 'choice' }],
      ['LOS灯红了', { slot: 'resolved', says: '光纤' }],
      ['好了', { slot: 'satisfaction', says: '很高兴问题已经解决' }],
    ]);
    expect(await app.services.tickets.list({ conversationId: chat.conversationId })).toHaveLength(0);
    expect(await app.services.outcomes.latest(chat.conversationId)).toMatchObject({ outcome: 'resolved' });
  });

  // "我们先记录您提供的信息" and "工作人员会…联系您": the ticket must let the agent find and call the customer.
  it.each([
    { given: 'ad88000006', kept: (t: Ticket) => [t.account, ...Object.values(t.evidence.values)] },
    { given: '13800000006', kept: (t: Ticket) => [t.evidence.values.contactPhone, ...Object.values(t.evidence.values)] },
  ])('the ticket keeps the id the customer gave ($given)', async ({ given, kept }) => {
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await converse(chat, [
      ...selfChecksFail('家里宽带上不了网了', given),
      ['没好', { slot: 'resolved' }],
      ['不行', { slot: 'satisfaction', says: TICKET_LINE }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt);
    expect(kept(ticket), `ticket ${JSON.stringify({ account: ticket.account, values: ticket.evidence.values })}`).toContain(given);
  });
});
