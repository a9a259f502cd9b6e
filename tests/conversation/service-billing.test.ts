/**
 * The service flows (dialogs/service.yaml: install / move delay, repair delay, staff conduct) and the
 * billing dispute (dialogs/billing.yaml) end to end over HTTP, one table per conversation: what the
 * customer types → the slot the bot then waits for and what it says → how the complaint ends
 * (conversation_outcomes) → the tickets it opened. Demo back office: src/carrier/demo-fixtures.json.
 *
 * Each test gets its own app and database: a ticket for an account that already has an open one of
 * the same category is folded into that ticket, so tests sharing storage would depend on their order.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderType } from '../../src/carrier/port.js';
import { startApp, type RunningApp } from '../support/app-server.js';
import { CustomerChat } from '../support/customer-chat.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';
import { beijingTime, complain, converse, outcomes, stepsOf } from '../support/conversation-checks.js';
import { type Row } from '../support/scenario.js';

let target: MongoTarget | undefined;
let app: RunningApp;
let silent: Server | undefined;
let fixturesDir: string | undefined;

/** The real app on a fresh database; `env` configures it like the environment would. */
async function boot(env: Record<string, string> = {}): Promise<void> {
  target = await mongoTarget();
  app = await startApp(target.uri, target.dbName, env, { productNlu: true });
}

afterEach(async () => {
  await app?.stop();
  await target?.stop();
  if (silent) {
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent!.close(() => resolve()));
    silent = undefined;
  }
  if (fixturesDir) await rm(fixturesDir, { recursive: true, force: true });
  fixturesDir = undefined;
});

const { ticketsOf, outcomeOf, theOneTicket, noTicket } = outcomes(() => app);

/** The demo order the flow reads (the product's own back office), for the promised time the customer hears. */
async function orderOf(account: string, type: OrderType) {
  const [order] = await app.services.carrier.ordersFor(account, type);
  expect(order, `demo fixture: ${type} order of ${account}`).toBeDefined();
  return order!;
}

/** The simulator with one account whose install order is done (no demo account has one). */
async function bootWithDoneInstall(): Promise<void> {
  fixturesDir = await mkdtemp(join(tmpdir(), 'fixtures-'));
  const file = join(fixturesDir, 'carrier.json');
  await writeFile(
    file,
    JSON.stringify({
      accounts: [
        { account: 'ad77000001', phone: '13700000001', holder: '钱多多', address: '浙江省杭州市滨江区样本路1号', region: 'r1', status: 'active', planMbps: 300 },
      ],
      orders: [{ id: 'WO2001', account: 'ad77000001', type: 'install', createdAt: '-P5D', promisedBy: '-P2D', status: 'done' }],
    }),
  );
  await boot({ CARRIER_FIXTURES: file });
}

/** The HTTP back-office adapter pointed at a server that accepts requests and never answers. */
async function bootWithSilentBackOffice(): Promise<void> {
  silent = createServer(() => {
    // accepts the request and never answers
  });
  await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as AddressInfo;
  await boot({ CARRIER_URL: `http://127.0.0.1:${port}`, CARRIER_TIMEOUT_MS: '200' });
}

// ── Lines the bot says (dialogs/service.yaml, dialogs/billing.yaml, dialogs/common/replies.yaml) ─────
const SATISFACTION = ['满意', '一般', '不满意'];
const YES_NO = ['是', '不是'];
const INSTALL_REMINDER = /已为您加急催单，催单号 KD\d{8}-\d{4}，装维人员会在 \d+月\d+日 \d\d:\d\d 前联系您并尽快上门/;
const REPAIR_REMINDER = /已为您加急催单，催单号 KD\d{8}-\d{4}，维修人员会在 \d+月\d+日 \d\d:\d\d 前联系您并尽快上门/;
/** Said only where the back office showed an order past its promised time. */
const OVERDUE = '已超过承诺时间';
const ASK_WHAT = '请您简单描述一下发生了什么';
const ASK_WHEN = '请问这件事大约发生在什么时间';
const ASK_PHONE = '请留下方便联系您的手机号码';

/** The customer complains and confirms the account; the next row is the first question after that. */
const identified = (complaint: string, apology: string, account: string, holder: string): Row[] => [
  [complaint, { slot: 'account', says: new RegExp(`^${apology}[\\s\\S]*请提供您的宽带账号`) }],
  [account, { slot: 'confirm', says: `机主姓名为 ${holder}`, buttons: YES_NO }],
];

const INSTALL_APOLOGY = '非常抱歉让您久等了，我马上帮您查询装机（移机）工单的进度';
const REPAIR_APOLOGY = '非常抱歉故障还没有修好，我马上帮您查询维修工单的进度';

describe('install or move not done in time (service.install_delay)', () => {
  const FLOW = 'install_delay';
  const INTENT = 'service.install_delay';

  it('ad88000009 (install overdue) → an urgent reminder ticket at once; the customer hears the 催单号', async () => {
    await boot();
    const order = await orderOf('ad88000009', 'install');
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await complain(chat, [
      ...identified('装宽带的师傅一直没来', INSTALL_APOLOGY, 'ad88000009', '周*'),
      ['是的', { slot: 'satisfaction', says: new RegExp(`工单已超过承诺时间。${INSTALL_REMINDER.source}`), buttons: SATISFACTION }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt, FLOW);
    expect(ticket).toMatchObject({ account: 'ad88000009', intent: INTENT, category: 'service', department: 'field_service' });
    expect(['high', 'urgent']).toContain(ticket.priority);
    expect(ticket.evidence.values).toMatchObject({ order_id: 'WO1001', promised_by: beijingTime(order.promisedBy) });
    expect(ticket.summary).toContain('WO1001');
    expect(stepsOf(ticket)).toContain('查询装机/移机工单:已超过承诺时间');

    await converse(chat, [['满意', { slot: null, says: '感谢您的评价' }]]);
    expect(await outcomeOf(chat)).toMatchObject({ outcome: 'ticket', satisfaction: 'satisfied' });
  });

  it.each([
    { what: 'install', complaint: '报装的宽带一直没人来装', account: 'ad88000010', holder: '吴*', type: 'install', id: 'WO1002' },
    { what: 'move', complaint: '移机申请了还没弄好', account: 'ad88000013', holder: '黄*涛', type: 'move', id: 'WO1005' },
  ] as const)('$account ($what within its promised time) → explained with the promised time, no ticket', async ({ complaint, account, holder, type, id }) => {
    await boot();
    const order = await orderOf(account, type);
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      ...identified(complaint, INSTALL_APOLOGY, account, holder),
      ['是的', { slot: null, says: `您的工单 ${id} 承诺在 ${beijingTime(order.promisedBy)} 前完成`, never: /催单|工单号|KD\d|感受/ }],
    ]);
    await noTicket(chat, 'explained', FLOW, INTENT);
    expect((await outcomeOf(chat))!.tried.map((s) => `${s.step}:${s.outcome}`)).toContain('查询装机/移机工单:在承诺时间内');
  });

  it('ad88000006 (no install order) says it did apply ("是") → a high reminder ticket', async () => {
    await boot();
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await complain(chat, [
      ...identified('装宽带的师傅一直没来', INSTALL_APOLOGY, 'ad88000006', '欧**娜'),
      ['是的', { slot: 'confirm', says: '暂未查到您名下的装机或移机工单。请问您已经办理过新装或移机吗', buttons: YES_NO }],
      ['是', { slot: 'satisfaction', says: /催单号 KD\d{8}-\d{4}/ }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt, FLOW);
    expect(ticket).toMatchObject({ account: 'ad88000006', intent: INTENT, category: 'service', department: 'field_service' });
    expect(['high', 'urgent']).toContain(ticket.priority);
    expect(stepsOf(ticket)).toContain('查询装机/移机工单:未查到工单');
  });

  it('ad88000006 (no install order) never applied ("不是") → told how to apply, no ticket', async () => {
    await boot();
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      ...identified('装宽带的师傅一直没来', INSTALL_APOLOGY, 'ad88000006', '欧**娜'),
      ['是的', { slot: 'confirm', says: '请问您已经办理过新装或移机吗' }],
      ['不是', { slot: null, says: '如需新装或移机，可通过营业厅、官方App或拨打10086办理', never: /催单|感受/ }],
    ]);
    await noTicket(chat, 'explained', FLOW, INTENT);
  });

  // No demo account has a finished install order, so this one comes from a fixtures file of its own.
  describe('an install order the back office shows as done', () => {
    it('"是" (still not installed) → a high reminder ticket with the order', async () => {
      await bootWithDoneInstall();
      const startedAt = new Date();
      const chat = new CustomerChat(app.baseUrl);
      const turns = await complain(chat, [
        ...identified('装宽带的师傅一直没来', INSTALL_APOLOGY, 'ad77000001', '钱*多'),
        ['是的', { slot: 'confirm', says: '系统显示您的装机工单已完成，请问实际上还没有装好吗', buttons: YES_NO }],
        ['是', { slot: 'satisfaction', says: /催单号 KD\d{8}-\d{4}/ }],
      ]);
      const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt, FLOW);
      expect(ticket).toMatchObject({ account: 'ad77000001', category: 'service', department: 'field_service' });
      expect(['high', 'urgent']).toContain(ticket.priority);
      expect(ticket.evidence.values).toMatchObject({ order_id: 'WO2001' });
      expect(stepsOf(ticket)).toContain('查询装机/移机工单:系统显示已完成');
    });

    it('"不是" (it is installed) → thanked, no ticket', async () => {
      await bootWithDoneInstall();
      const chat = new CustomerChat(app.baseUrl);
      await complain(chat, [
        ...identified('装宽带的师傅一直没来', INSTALL_APOLOGY, 'ad77000001', '钱*多'),
        ['是的', { slot: 'confirm', says: '请问实际上还没有装好吗' }],
        ['不是', { slot: null, says: '感谢您的确认', never: /催单|感受/ }],
      ]);
      await noTicket(chat, 'explained', FLOW, INTENT);
    });
  });
});

describe('repair not done in time (service.repair_delay)', () => {
  const FLOW = 'repair_delay';
  const INTENT = 'service.repair_delay';

  it('ad88000011 (repair overdue) → a high reminder ticket at once; the customer hears the 催单号', async () => {
    await boot();
    const order = await orderOf('ad88000011', 'repair');
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await complain(chat, [
      ...identified('报修好几天了还没人来修', REPAIR_APOLOGY, 'ad88000011', '郑*'),
      ['是的', { slot: 'satisfaction', says: new RegExp(`维修已超过承诺时间。${REPAIR_REMINDER.source}`), buttons: SATISFACTION }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt, FLOW);
    expect(ticket).toMatchObject({ account: 'ad88000011', intent: INTENT, category: 'service', department: 'field_service' });
    expect(['high', 'urgent']).toContain(ticket.priority);
    expect(ticket.evidence.values).toMatchObject({ order_id: 'WO1003', promised_by: beijingTime(order.promisedBy) });
    expect(stepsOf(ticket)).toContain('查询维修工单:已超过承诺时间');
  });

  it('ad88000012 (repair within its promised time) → explained with the promised time, no ticket', async () => {
    await boot();
    const order = await orderOf('ad88000012', 'repair');
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      ...identified('报修好几天了还没人来修', REPAIR_APOLOGY, 'ad88000012', '冯*'),
      ['是的', { slot: null, says: `您的维修工单 WO1004 承诺在 ${beijingTime(order.promisedBy)} 前处理`, never: /催单|KD\d|感受/ }],
    ]);
    await noTicket(chat, 'explained', FLOW, INTENT);
  });

  it('ad88000006 (repair shown as done) → "是" (still broken) → a high ticket with the order', async () => {
    await boot();
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await complain(chat, [
      ...identified('报修好几天了还没人来修', REPAIR_APOLOGY, 'ad88000006', '欧**娜'),
      ['是的', { slot: 'confirm', says: '系统显示您的维修工单已完成，请问故障还没有修好吗', buttons: YES_NO }],
      ['是', { slot: 'satisfaction', says: /催单号 KD\d{8}-\d{4}/ }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt, FLOW);
    expect(ticket).toMatchObject({ account: 'ad88000006', intent: INTENT, category: 'service', department: 'field_service' });
    expect(['high', 'urgent']).toContain(ticket.priority);
    expect(ticket.evidence.values).toMatchObject({ order_id: 'WO0901' });
    expect(stepsOf(ticket)).toContain('查询维修工单:系统显示已完成');
  });

  it('ad88000006 (repair shown as done) → "不是" (it is fixed) → thanked, no ticket', async () => {
    await boot();
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      ...identified('报修好几天了还没人来修', REPAIR_APOLOGY, 'ad88000006', '欧**娜'),
      ['是的', { slot: 'confirm', says: '请问故障还没有修好吗' }],
      ['不是', { slot: null, says: '感谢您的确认', never: /催单|感受/ }],
    ]);
    await noTicket(chat, 'explained', FLOW, INTENT);
  });

  it('ad88000007 (no repair order) had reported it ("是") → a high ticket', async () => {
    await boot();
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await complain(chat, [
      ...identified('报修好几天了还没人来修', REPAIR_APOLOGY, 'ad88000007', '赵*'),
      ['是的', { slot: 'confirm', says: '暂未查到您名下的维修工单。请问您之前已经报过故障吗', buttons: YES_NO }],
      ['是', { slot: 'satisfaction', says: /催单号 KD\d{8}-\d{4}/ }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt, FLOW);
    expect(ticket).toMatchObject({ account: 'ad88000007', category: 'service', department: 'field_service' });
    expect(['high', 'urgent']).toContain(ticket.priority);
    expect(stepsOf(ticket)).toContain('查询维修工单:未查到工单');
  });

  it('ad88000007 (no repair order) never reported it ("不是") → told how to report a fault, no ticket', async () => {
    await boot();
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      ...identified('报修好几天了还没人来修', REPAIR_APOLOGY, 'ad88000007', '赵*'),
      ['是的', { slot: 'confirm', says: '请问您之前已经报过故障吗' }],
      ['不是', { slot: null, says: '直接告诉我“上不了网”或“网速慢”', never: /催单|感受/ }],
    ]);
    await noTicket(chat, 'explained', FLOW, INTENT);
  });
});

/** What happened → when → a phone: the shared collect_details sub-flow, then the ticket. */
const details = (what: string, when: string, phone: string, closing: RegExp): Row[] => [
  [what, { slot: 'text', says: ASK_WHEN }],
  [when, { slot: 'phone', says: ASK_PHONE }],
  [phone, { slot: 'satisfaction', says: closing, buttons: SATISFACTION }],
];

describe('staff conduct (service.staff_attitude)', () => {
  const CLOSING = /再次向您致歉。已为您登记投诉，工单号 KD\d{8}-\d{4}，专人会在 \d+月\d+日 \d\d:\d\d 前联系您/;

  it.each(['装维师傅态度很差', '上门的师傅骂人，态度太恶劣了'])(
    '"%s" → apology first, what / when / phone → a service ticket for service quality with the details',
    async (complaint) => {
      await boot();
      const startedAt = new Date();
      const chat = new CustomerChat(app.baseUrl);
      const turns = await complain(chat, [
        [complaint, { slot: 'text', says: new RegExp(`^非常抱歉给您带来了不好的服务体验[\\s\\S]*${ASK_WHAT}`), never: '宽带账号' }],
        ...details('师傅上门时骂人，还乱收了100块材料费', '昨天下午三点左右', '13912345678', CLOSING),
      ]);
      const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt, 'staff_attitude');
      expect(ticket).toMatchObject({
        intent: 'service.staff_attitude',
        category: 'service',
        department: 'service_quality',
        priority: 'normal',
      });
      expect(ticket.summary).toContain('师傅上门时骂人，还乱收了100块材料费');
      expect(ticket.summary).toContain('昨天下午三点左右');
      expect(ticket.summary).toContain('13912345678');
      expect(ticket.evidence.values).toMatchObject({
        details: '师傅上门时骂人，还乱收了100块材料费',
        happened_at: '昨天下午三点左右',
        contactPhone: '13912345678',
      });

      await converse(chat, [['一般', { slot: null, says: '感谢您的评价' }]]);
      expect(await outcomeOf(chat)).toMatchObject({ outcome: 'ticket', satisfaction: 'neutral' });
    },
  );

  it('an answer that is not a phone number is asked for again; a landline is taken', async () => {
    await boot();
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      ['上门的师傅骂人，态度太恶劣了', { slot: 'text', says: ASK_WHAT }],
      ['师傅说话很难听', { slot: 'text', says: ASK_WHEN }],
      ['今天上午', { slot: 'phone', says: ASK_PHONE }],
      ['随便', { slot: 'phone', says: ASK_PHONE, never: /工单号|KD\d/ }],
      ['0571-88886666', { slot: 'satisfaction', says: CLOSING }],
    ]);
    const [ticket] = await ticketsOf(chat);
    expect(ticket!.evidence.values.contactPhone).toBe('0571-88886666');
  });
});

describe('billing dispute (billing.dispute)', () => {
  it('"这个月宽带费多扣了50块" → apology first, what / when / phone → a billing ticket with the details', async () => {
    await boot();
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await complain(chat, [
      ['这个月宽带费多扣了50块', { slot: 'text', says: new RegExp(`^非常抱歉费用问题给您带来困扰[\\s\\S]*${ASK_WHAT}`), never: '宽带账号' }],
      ...details(
        '套餐每月100元，这个月扣了150元',
        '6月1日扣的',
        '13912345678',
        /再次向您致歉。已为您登记资费核查，工单号 KD\d{8}-\d{4}，专人会在 \d+月\d+日 \d\d:\d\d 前联系您/,
      ),
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt, 'billing_dispute');
    expect(ticket).toMatchObject({ intent: 'billing.dispute', category: 'billing', department: 'billing', priority: 'normal' });
    expect(ticket.summary).toContain('套餐每月100元，这个月扣了150元');
    expect(ticket.summary).toContain('6月1日扣的');
    expect(ticket.evidence.values).toMatchObject({
      details: '套餐每月100元，这个月扣了150元',
      happened_at: '6月1日扣的',
      contactPhone: '13912345678',
    });

    await converse(chat, [['不满意', { slot: null, says: '感谢您的评价' }]]);
    expect(await outcomeOf(chat)).toMatchObject({ outcome: 'ticket', satisfaction: 'dissatisfied' });
  });
});

describe('the back office does not answer (the order check ends "unavailable")', () => {
  it.each([
    {
      intent: 'service.install_delay',
      flow: 'install_delay',
      complaint: '装宽带的师傅一直没来',
      apology: INSTALL_APOLOGY,
      says: '系统暂时无法查询工单进度，我先为您登记催办',
    },
    {
      intent: 'service.repair_delay',
      flow: 'repair_delay',
      complaint: '报修好几天了还没人来修',
      apology: REPAIR_APOLOGY,
      says: '系统暂时无法查询维修进度，我先为您登记催办',
    },
  ])('$intent: the customer is told, and a high reminder ticket is opened for the id they gave', async ({ intent, flow, complaint, apology, says }) => {
    await bootWithSilentBackOffice();
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await complain(chat, [
      [complaint, { slot: 'account', says: apology }],
      ['ad88000009', { slot: 'satisfaction', says: new RegExp(`系统暂时无法核实账号[\\s\\S]*${says}[\\s\\S]*催单号 KD\\d{8}-\\d{4}`) }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt, flow);
    expect(ticket).toMatchObject({ account: 'ad88000009', intent, category: 'service', department: 'field_service' });
    expect(['high', 'urgent']).toContain(ticket.priority);
  });
});

// The reminder line of the overdue branch ("您的工单已超过承诺时间") is true only there: where no order was
// found, the order shows done, or the back office could not be asked, the customer must not be told so.
describe('only an order past its promised time is called overdue', () => {
  it.each<{ path: string; start: () => Promise<void>; rows: Row[] }>([
    {
      path: 'install, no order (ad88000006)',
      start: boot,
      rows: [
        ...identified('装宽带的师傅一直没来', INSTALL_APOLOGY, 'ad88000006', '欧**娜'),
        ['是的', { slot: 'confirm', says: '暂未查到您名下的装机或移机工单' }],
      ],
    },
    {
      path: 'install, shown done (ad77000001)',
      start: bootWithDoneInstall,
      rows: [
        ...identified('装宽带的师傅一直没来', INSTALL_APOLOGY, 'ad77000001', '钱*多'),
        ['是的', { slot: 'confirm', says: '系统显示您的装机工单已完成' }],
      ],
    },
    {
      path: 'repair, shown done (ad88000006)',
      start: boot,
      rows: [
        ...identified('报修好几天了还没人来修', REPAIR_APOLOGY, 'ad88000006', '欧**娜'),
        ['是的', { slot: 'confirm', says: '系统显示您的维修工单已完成' }],
      ],
    },
    {
      path: 'repair, no order (ad88000007)',
      start: boot,
      rows: [
        ...identified('报修好几天了还没人来修', REPAIR_APOLOGY, 'ad88000007', '赵*'),
        ['是的', { slot: 'confirm', says: '暂未查到您名下的维修工单' }],
      ],
    },
  ])('$path: "是" → 催单号, without "已超过承诺时间"', async ({ start, rows }) => {
    await start();
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [...rows, ['是', { slot: 'satisfaction', says: /催单号 KD\d{8}-\d{4}/, never: OVERDUE }]]);
  });

  it.each([
    { what: 'install', complaint: '装宽带的师傅一直没来' },
    { what: 'repair', complaint: '报修好几天了还没人来修' },
  ])('$what, the back office does not answer → 催单号, without "已超过承诺时间"', async ({ complaint }) => {
    await bootWithSilentBackOffice();
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      [complaint, { slot: 'account' }],
      ['ad88000009', { slot: 'satisfaction', says: /催单号 KD\d{8}-\d{4}/, never: OVERDUE }],
    ]);
  });
});
