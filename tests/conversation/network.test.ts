/**
 * The network flow (dialogs/network.yaml) end to end over HTTP, one table per conversation: what the
 * customer types → the slot the bot then waits for and what it says → how the complaint ends
 * (conversation_outcomes) → the tickets it opened. Demo back office: src/carrier/demo-fixtures.json.
 *
 * Each test gets its own app and database: a ticket for an account that already has an open one of
 * the same category is folded into that ticket, so tests sharing storage would depend on their order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-server.js';
import { CustomerChat, type Turn } from '../support/customer-chat.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';
import { beijingTime, converse, outcomes, shanghaiDay, stepsOf } from '../support/conversation-checks.js';
import { type Row } from '../support/scenario.js';

let target: MongoTarget;
let app: RunningApp;

beforeEach(async () => {
  target = await mongoTarget();
  app = await startApp(target.uri, target.dbName, {}, { productNlu: true });
});
afterEach(async () => {
  await app?.stop();
  await target?.stop();
});

const checks = outcomes(() => app);
const { ticketsOf, outcomeOf } = checks;
const theOneTicket = (chat: CustomerChat, said: Turn, startedAt: Date) => checks.theOneTicket(chat, said, startedAt, 'network');
const noTicket = (chat: CustomerChat, outcome: 'explained' | 'resolved', intent: string) => checks.noTicket(chat, outcome, 'network', intent);

// ── Lines the bot says (dialogs/network.yaml, dialogs/common/replies.yaml) ──────────────────────────
const TICKET_LINE = /已为您派单至网络维护部门，工单号 KD\d{8}-\d{4}，工作人员会在 \d+月\d+日 \d\d:\d\d 前联系您/;
const RESOLVED_LINE = '很高兴问题已经解决';
const LIGHT_BUTTONS = ['指示灯都正常', 'LOS 灯红色闪烁或常亮', 'PON 灯不亮或一直闪烁', '看不清或不确定'];
const RESOLVED_BUTTONS = ['已解决', '还没解决'];

/** ad88000006 (healthy, 300 Mbps, the region's outage is over) identified by account id. */
const identified06 = (complaint: string): Row[] => [
  [complaint, { slot: 'account', says: '非常抱歉给您的上网带来不便' }],
  ['ad88000006', { slot: 'confirm', says: '欧**娜', buttons: ['是', '不是'] }],
  // No outage, account active: straight to the error-code question, nothing said before it.
  ['是的', { slot: 'error_code', says: /^请问电脑或路由器上有没有显示错误代码/, never: '抢修' }],
];

/** …then no code, normal lights, and neither the cables nor a restart helped. */
const selfChecksFail06 = (complaint: string): Row[] => [
  ...identified06(complaint),
  ['没有', { slot: 'choice', says: '光猫的指示灯', buttons: LIGHT_BUTTONS }],
  ['指示灯都正常', { slot: 'resolved', says: '网线是否插紧', buttons: RESOLVED_BUTTONS }],
  ['还是不行', { slot: 'resolved', says: '断电' }],
];

describe('no connection (network.no_connection)', () => {
  it('an area outage is explained with the recovery time and no ticket', async () => {
    const chat = new CustomerChat(app.baseUrl);
    const rows: Row[] = [
      ['家里宽带上不了网了', { slot: 'account', says: '抱歉' }],
      ['ad88000001', { slot: 'confirm', says: '张*' }],
      ['是的', { slot: null, says: /抢修.*预计 \d+月\d+日 \d\d:\d\d 前恢复/ }],
    ];
    await converse(chat, rows);
    expect(await ticketsOf(chat)).toHaveLength(0);
    expect(await app.services.outcomes.latest(chat.conversationId)).toMatchObject({ outcome: 'explained', flow: 'network' });
  });

  it.each([
    { account: 'ad88000002', holder: '李*', explains: /抱歉.*欠费.*缴清后会自动恢复上网/, tried: '查询账户状态:欠费' },
    { account: 'ad88000003', holder: '王*国', explains: /抱歉.*停机状态.*办理复机/, tried: '查询账户状态:停机' },
  ])('$account: the account status is explained, no ticket', async ({ account, holder, explains, tried }) => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [
      ['宽带突然上不了网了', { slot: 'account' }],
      [account, { slot: 'confirm', says: holder }],
      ['是的', { slot: null, says: explains, never: '工单' }],
    ]);
    await noTicket(chat, 'explained', 'network.no_connection');
    expect((await outcomeOf(chat))!.tried.map((s) => `${s.step}:${s.outcome}`)).toContain(tried);
  });

  it('ad88000004 (recent 691): re-entering the password works → resolved, no ticket, satisfaction stored', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [
      ['家里宽带上不了网了', { slot: 'account' }],
      ['ad88000004', { slot: 'confirm', says: '刘*' }],
      ['是', { slot: 'error_code' }],
      ['没有', { slot: 'resolved', says: '691 一般是宽带账号或密码不正确', buttons: RESOLVED_BUTTONS }],
      ['好了可以了', { slot: 'satisfaction', says: RESOLVED_LINE, buttons: ['满意', '一般', '不满意'], never: '工单' }],
    ]);
    await noTicket(chat, 'resolved', 'network.no_connection');
    expect((await outcomeOf(chat))!.satisfaction).toBeUndefined();

    await converse(chat, [['满意', { slot: null, says: '感谢您的评价' }]]);
    expect(await outcomeOf(chat)).toMatchObject({ outcome: 'resolved', satisfaction: 'satisfied' });
    expect(await ticketsOf(chat)).toHaveLength(0);
  });

  it('ad88000005 (recent 678): line hint, LOS red, re-seating the fibre works → resolved, no ticket', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [
      ['家里宽带上不了网了', { slot: 'account' }],
      ['13800000005', { slot: 'confirm', says: '陈*' }],
      ['对', { slot: 'error_code' }],
      ['没有', { slot: 'choice', says: /678、651 一般是线路或光猫连接异常[\s\S]*光猫的指示灯/, buttons: LIGHT_BUTTONS }],
      ['LOS灯红了', { slot: 'resolved', says: '光纤信号异常' }],
      ['好了', { slot: 'satisfaction', says: RESOLVED_LINE }],
    ]);
    await noTicket(chat, 'resolved', 'network.no_connection');
    expect((await outcomeOf(chat))!.tried.map((s) => `${s.step}:${s.outcome}`)).toEqual(
      expect.arrayContaining(['查询认证错误:线路或光猫异常（678/651）', '检查光纤及接头:已解决']),
    );
  });

  it('every self-check failing ends in a network ticket that carries the evidence', async () => {
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const rows: Row[] = [
      ['宽带连不上网，一直没网', { slot: 'account' }],
      ['13800000006', { slot: 'confirm', says: '欧**娜' }],
      ['对', { slot: 'error_code' }],
      ['没看到代码', { slot: 'choice', buttons: ['指示灯都正常'] }],
      ['1', { slot: 'resolved', says: '网线' }],
      ['还是不行', { slot: 'resolved', says: '断电' }],
      ['没好', { slot: 'resolved', says: '浏览器缓存' }],
      ['不行', { slot: 'satisfaction', says: /工单号 KD\d{8}-\d{4}/ }],
    ];
    const turns = await converse(chat, rows);
    const [ticket] = await ticketsOf(chat);
    expect(ticket).toMatchObject({ account: 'ad88000006', category: 'network', department: 'network_maintenance', intent: 'network.no_connection' });
    expect(ticket!.evidence.steps.map((s) => `${s.step}:${s.outcome}`)).toEqual(
      expect.arrayContaining(['查询区域故障:无区域故障', '重启光猫和路由器:未解决', '重设上网参数并清理浏览器缓存:未解决']),
    );
    await theOneTicket(chat, turns.at(-1)!, startedAt);
    expect(ticket!.evidence.values).toMatchObject({ modem_lights: '指示灯都正常', plan_mbps: 300, contactPhone: '13800000006' });
  });

  // Each self-check's "yes" ends the complaint as resolved, without a ticket.
  it.each<{ check: string; rows: Row[] }>([
    {
      check: 'cables (检查网线和电源)',
      rows: [...identified06('家里宽带上不了网了'), ['没有', { slot: 'choice' }], ['指示灯都正常', { slot: 'resolved', says: '网线' }]],
    },
    { check: 'restart (重启光猫和路由器)', rows: selfChecksFail06('家里宽带上不了网了') },
    {
      check: 'reset settings (重设上网参数)',
      rows: [...selfChecksFail06('家里宽带上不了网了'), ['没好', { slot: 'resolved', says: '自动获取 IP 和 DNS' }]],
    },
  ])('ad88000006: $check helps → resolved, no ticket', async ({ rows }) => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [...rows, ['已解决', { slot: 'satisfaction', says: RESOLVED_LINE, never: '工单' }]]);
    await noTicket(chat, 'resolved', 'network.no_connection');
  });
});

describe('error codes: the code the customer reports counts as much as the back office log', () => {
  // ad88000006's only 691 is three days old, so without a reported code it never reaches the password step.
  it.each([
    { answer: '显示691', next: 'resolved', says: '691 一般是宽带账号或密码不正确' },
    { answer: '报错678', next: 'choice', says: /678、651 一般是线路或光猫连接异常[\s\S]*光猫的指示灯/ },
    { answer: '651', next: 'choice', says: /678、651 一般是线路或光猫连接异常[\s\S]*光猫的指示灯/ },
    { answer: '错误代码769', next: 'choice', says: /^请看一下光猫的指示灯/ },
    { answer: '没有', next: 'choice', says: /^请看一下光猫的指示灯/ },
  ] as const)('ad88000006 answering $answer → $next', async ({ answer, next, says }) => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [...identified06('家里宽带上不了网了'), [answer, { slot: next, says }]]);
  });

  it('ad88000006 reporting 691: the password step comes first, then the remaining checks, and the ticket has the code', async () => {
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await converse(chat, [
      ...identified06('家里宽带上不了网了'),
      ['显示691', { slot: 'resolved', says: '重新输入账号和密码' }],
      ['还是不行', { slot: 'choice', says: '光猫的指示灯' }],
      ['1', { slot: 'resolved', says: '网线' }],
      ['不行', { slot: 'resolved', says: '断电' }],
      ['不行', { slot: 'resolved', says: '浏览器缓存' }],
      ['不行', { slot: 'satisfaction', says: TICKET_LINE }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt);
    expect(ticket.evidence.values).toMatchObject({ errorCode: '691', auth_error_code: '691' });
    expect(stepsOf(ticket)).toEqual(expect.arrayContaining(['查询认证错误:账号或密码错误（691）', '重新输入宽带账号密码:未解决']));
  });

  it('a code volunteered with the complaint is not asked for again: straight to the password step', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [
      ['宽带连不上，显示691', { slot: 'account' }],
      ['ad88000006', { slot: 'confirm', says: '欧**娜' }],
      ['是的', { slot: 'resolved', says: '691 一般是宽带账号或密码不正确', never: '有没有显示错误代码' }],
      ['可以了', { slot: 'satisfaction', says: RESOLVED_LINE }],
    ]);
    await noTicket(chat, 'resolved', 'network.no_connection');
  });
});

describe('the modem-lights choice: option number, Chinese ordinal, button label or own words', () => {
  it.each([
    { answer: '2', lights: 'los_red', says: '光纤信号异常' },
    { answer: '第二个', lights: 'los_red', says: '光纤信号异常' },
    { answer: 'LOS 灯红色闪烁或常亮', lights: 'los_red', says: '光纤信号异常' },
    { answer: 'LOS灯红了', lights: 'los_red', says: '光纤信号异常' },
    { answer: '3', lights: 'pon_off', says: '光纤信号异常' },
    { answer: '第三个', lights: 'pon_off', says: '光纤信号异常' },
    { answer: 'PON 灯不亮或一直闪烁', lights: 'pon_off', says: '光纤信号异常' },
    { answer: '第一个', lights: 'normal', says: '网线是否插紧' },
    { answer: '4', lights: 'unknown', says: '网线是否插紧' },
    { answer: '看不清', lights: 'unknown', says: '网线是否插紧' },
  ])('$answer → $lights', async ({ answer, lights, says }) => {
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await converse(chat, [
      ...identified06('家里宽带上不了网了'),
      ['没有', { slot: 'choice', buttons: LIGHT_BUTTONS }],
      [answer, { slot: 'resolved', says }],
      ['还没解决', { slot: 'resolved', says: '断电' }],
      ['还没解决', { slot: 'resolved', says: '浏览器缓存' }],
      ['还没解决', { slot: 'satisfaction', says: TICKET_LINE }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt);
    // The agent reads the option as the customer saw it, not its internal value.
    expect(ticket.evidence.values.modem_lights).toBe(LIGHT_LABELS[lights]);
  });
});

const LIGHT_LABELS: Record<string, string> = {
  normal: '指示灯都正常',
  los_red: 'LOS 灯红色闪烁或常亮',
  pon_off: 'PON 灯不亮或一直闪烁',
  unknown: '看不清或不确定',
};

describe('slow (network.slow)', () => {
  it('a cable test far below the plan (15 of 300 Mbps) → ticket with the speed and the plan', async () => {
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await converse(chat, [
      ...selfChecksFail06('网速太慢了'),
      ['还是不行', { slot: 'speed_mbps', says: '用网线把电脑直接连到光猫' }],
      ['测了一下才15兆', { slot: 'satisfaction', says: TICKET_LINE, never: '有线测速已经达标' }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt);
    expect(ticket).toMatchObject({ account: 'ad88000006', category: 'network', intent: 'network.slow' });
    expect(ticket.evidence.values).toMatchObject({ speedMbps: 15, plan_mbps: 300 });
    expect(ticket.summary).toContain('15');
    expect(await outcomeOf(chat)).toMatchObject({ intent: 'network.slow' });

    await converse(chat, [['不满意', { slot: null, says: '感谢您的评价' }]]);
    expect(await outcomeOf(chat)).toMatchObject({ outcome: 'ticket', satisfaction: 'dissatisfied' });
  });

  it('a customer who cannot run a speed test still gets a ticket', async () => {
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await converse(chat, [
      ...selfChecksFail06('网速太慢了'),
      ['还是不行', { slot: 'speed_mbps' }],
      ['不会测', { slot: 'satisfaction', says: TICKET_LINE }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt);
    expect(ticket.intent).toBe('network.slow');
    expect(ticket.evidence.values.speedMbps).toBeUndefined();
  });

  it('a cable test meeting the plan (280M of 300) → Wi-Fi advice → "还是慢" → ticket', async () => {
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await converse(chat, [
      ...selfChecksFail06('网速太慢了'),
      ['还是不行', { slot: 'speed_mbps' }],
      ['280M', { slot: 'resolved', says: '有线测速已经达标', never: '工单' }],
      ['还是慢', { slot: 'satisfaction', says: TICKET_LINE }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt);
    expect(ticket).toMatchObject({ intent: 'network.slow', category: 'network' });
    expect(ticket.evidence.values).toMatchObject({ speedMbps: 280, plan_mbps: 300 });
    expect(stepsOf(ticket)).toContain('有线测速达标，建议改善无线与终端:未解决');
  });

  it('a cable test meeting the plan (280M of 300) → Wi-Fi advice → "好多了" → resolved, no ticket', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [
      ...selfChecksFail06('网速太慢了'),
      ['还是不行', { slot: 'speed_mbps' }],
      ['280M', { slot: 'resolved', says: '有线测速已经达标' }],
      ['好多了', { slot: 'satisfaction', says: RESOLVED_LINE, never: '工单' }],
    ]);
    await noTicket(chat, 'resolved', 'network.slow');
  });
});

describe('unstable (network.unstable)', () => {
  it('dropping on cable and Wi-Fi alike → ticket', async () => {
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await converse(chat, [
      ...selfChecksFail06('网络老是掉线'),
      ['还是不行', { slot: 'resolved', says: '用网线直连试一下是否还掉线' }],
      ['不行', { slot: 'satisfaction', says: TICKET_LINE }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt);
    expect(ticket).toMatchObject({ account: 'ad88000006', intent: 'network.unstable', category: 'network' });
    expect(stepsOf(ticket)).toContain('对比有线与无线并排除干扰:未解决');
  });

  it('moving the router away from interference helps → resolved, no ticket', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [
      ...selfChecksFail06('网络老是掉线'),
      ['还是不行', { slot: 'resolved', says: '用网线直连' }],
      ['好了', { slot: 'satisfaction', says: RESOLVED_LINE }],
    ]);
    await noTicket(chat, 'resolved', 'network.unstable');
  });
});

describe('identifying the customer', () => {
  it('"不是" to the masked holder name → asked again → the right account goes on', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [
      ['家里宽带上不了网了', { slot: 'account' }],
      ['ad88000007', { slot: 'confirm', says: '赵*' }],
      ['不是', { slot: 'account', says: '抱歉，没有核对上' }],
      ['ad88000006', { slot: 'confirm', says: '欧**娜' }],
      ['是的', { slot: 'error_code' }],
    ]);
    expect(await ticketsOf(chat)).toHaveLength(0);
  });

  it('a wrong account twice → hand-off: asks for a phone, then opens a callback ticket and tells its number', async () => {
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await converse(chat, [
      ['家里宽带上不了网了', { slot: 'account' }],
      ['ad99999999', { slot: 'account', says: '抱歉，没有核对上' }],
      ['ad99999999', { slot: 'phone', says: /转接人工客服[\s\S]*请留下方便联系您的手机号码/ }],
      ['13912345678', { slot: null, says: /人工客服会在 \d+月\d+日 \d\d:\d\d 前致电 139\*\*\*\*5678 与您联系，回电登记号 KD\d{8}-\d{4}/ }],
    ]);
    const tickets = await ticketsOf(chat);
    expect(tickets).toHaveLength(1);
    const ticket = tickets[0]!;
    expect(ticket).toMatchObject({ category: 'callback', intent: 'network.no_connection' });
    expect(ticket.account).toBeUndefined();
    expect(ticket.evidence.values.contactPhone).toBe('13912345678');
    expect(ticket.number).toMatch(/^KD\d{8}-\d{4}$/);
    expect(new Set([shanghaiDay(startedAt), shanghaiDay(new Date())])).toContain(ticket.number.slice(2, 10));
    const last = turns.at(-1)!;
    expect(last.text).toContain(ticket.number);
    expect(last.text).toContain(`${beijingTime(ticket.firstResponseDue)} 前`);
    expect(await outcomeOf(chat)).toMatchObject({ outcome: 'handoff', ticketNumber: ticket.number });
  });

  // An account the customer said is not theirs must not be used to call back: that is someone else's phone.
  it.each<{ path: string; rows: Row[] }>([
    {
      path: 'holder denied, then an unknown account',
      rows: [
        ['ad88000007', { slot: 'confirm', says: '赵*' }],
        ['不是', { slot: 'account', says: '抱歉，没有核对上' }],
        ['ad99999999', { slot: 'phone', says: /转接人工客服[\s\S]*请留下方便联系您的手机号码/, never: '138****0007' }],
      ],
    },
    {
      path: 'holder denied twice',
      rows: [
        ['ad88000007', { slot: 'confirm', says: '赵*' }],
        ['不是', { slot: 'account', says: '抱歉，没有核对上' }],
        ['ad88000009', { slot: 'confirm', says: '周*' }],
        ['不是', { slot: 'phone', says: /转接人工客服[\s\S]*请留下方便联系您的手机号码/, never: /138\*\*\*\*000[79]/ }],
      ],
    },
  ])('$path → hand-off asks for a phone instead of calling the denied holder', async ({ rows }) => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [
      ['家里宽带上不了网了', { slot: 'account' }],
      ...rows,
      ['13912345678', { slot: null, says: /致电 139\*\*\*\*5678 与您联系，回电登记号 KD\d{8}-\d{4}/ }],
    ]);
    const tickets = await ticketsOf(chat);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ category: 'callback' });
    expect(tickets[0]!.account, 'the callback ticket is not filed under an account the customer denied').toBeUndefined();
    expect(tickets[0]!.evidence.values.contactPhone).toBe('13912345678');
  });
});
