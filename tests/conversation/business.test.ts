/**
 * The business flows (dialogs/business.yaml) end to end over HTTP, one table per conversation: what the
 * customer types → the slot the bot then waits for and what it says → how the complaint ends
 * (conversation_outcomes) → the tickets it opened. Demo back office: src/carrier/demo-fixtures.json.
 *
 * Each test gets its own app and database: a ticket for an account that already has an open one of
 * the same category is folded into that ticket, so tests sharing storage would depend on their order.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-server.js';
import { CustomerChat } from '../support/customer-chat.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';
import { beijingTime, complain, converse, outcomes, stepsOf } from '../support/conversation-checks.js';
import { type Row } from '../support/scenario.js';

let target: MongoTarget | undefined;
let app: RunningApp;
let silent: Server | undefined;

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
});

const { ticketsOf, outcomeOf, triedOf, theOneTicket, noTicket } = outcomes(() => app);

// ── Lines the bot says (dialogs/business.yaml, dialogs/common/replies.yaml) ─────────────────────────
const SATISFACTION = ['满意', '一般', '不满意'];
const RESOLVED_BUTTONS = ['已解决', '还没解决'];
const SITE_TICKET_LINE = /已为您派单跟进，工单号 KD\d{8}-\d{4}，工作人员会在 \d+月\d+日 \d\d:\d\d 前联系您/;
const LAG_TICKET_LINE = /已为您派单处理，工单号 KD\d{8}-\d{4}，工作人员会在 \d+月\d+日 \d\d:\d\d 前联系您/;
const ASK_SITE = '请问是哪个网站或App打不开';
const OTHER_BROWSER = '请换一个浏览器或另一台设备访问';
const ASK_IP = '请提供该网站的 IP 地址';
const BLOCKED = '该网站依照国家相关规定无法访问';
const ASK_SPEED = '请用测速网站或测速软件测一下网速';
const RETEST = '请关闭正在下载或占用网络的软件';
const CONTENT_EXPLAINED = /网速已达到套餐标准，卡顿多与视频源或游戏服务器有关，建议咨询内容提供商，也可使用我们的缓存加速网站和游戏智能加速器/;

/** The customer complains and confirms the account; the next row is the first question after that. */
const identified = (complaint: string, account: string, holder: string): Row[] => [
  [complaint, { slot: 'account', says: '请提供您的宽带账号' }],
  [account, { slot: 'confirm', says: `机主姓名为 ${holder}`, buttons: ['是', '不是'] }],
];

describe('some sites or apps do not open (business.site_unreachable)', () => {
  const FLOW = 'site_unreachable';
  const INTENT = 'business.site_unreachable';

  it.each(['blocked-example.cn', 'www.blocked-example.cn', 'https://www.blocked-example.cn/news', 'blocked-demo.com.cn'])(
    'a blocked site (%s) is explained: not a fault of the line, no ticket, no satisfaction question',
    async (site) => {
      await boot();
      const chat = new CustomerChat(app.baseUrl);
      await complain(chat, [
        ['有些网站打不开', { slot: 'account', says: '非常抱歉给您带来不便' }],
        ['ad88000006', { slot: 'confirm', says: '欧**娜' }],
        ['是的', { slot: 'url', says: ASK_SITE }],
        [site, { slot: null, says: BLOCKED, never: /工单|浏览器|感受/ }],
      ]);
      await noTicket(chat, 'explained', FLOW, INTENT);
      expect(await triedOf(chat)).toContain('查询网站封堵:已被封堵');
    },
  );

  it('a host that only ends in the same letters (notblocked-example.cn) is not blocked: the checks go on', async () => {
    await boot();
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      ...identified('有些网站打不开', 'ad88000006', '欧**娜'),
      ['是的', { slot: 'url', says: ASK_SITE }],
      ['notblocked-example.cn', { slot: 'resolved', says: OTHER_BROWSER, never: BLOCKED }],
    ]);
  });

  it('a blocked subdomain named in the first message is not asked for again and is explained at once', async () => {
    await boot();
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      ...identified('有些网站打不开，比如 www.blocked-example.cn', 'ad88000006', '欧**娜'),
      ['是的', { slot: null, says: BLOCKED, never: ASK_SITE }],
    ]);
    await noTicket(chat, 'explained', FLOW, INTENT);
  });

  it('ad88000008 (egress fault in the region) → explained with the fault and its recovery time, no ticket', async () => {
    await boot();
    const fault = await app.services.carrier.egressFaultFor('hz-xiaoshan-01');
    expect(fault, 'demo fixture: egress fault for hz-xiaoshan-01').not.toBeNull();
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      ...identified('有些网站打不开', 'ad88000008', '孙*'),
      ['是的', { slot: 'url', says: ASK_SITE }],
      [
        'www.example.com',
        {
          slot: null,
          says: `网络出口正在抢修（${fault!.description}），预计 ${beijingTime(fault!.estimatedRecovery)} 前恢复`,
          never: /工单|浏览器|感受/,
        },
      ],
    ]);
    await noTicket(chat, 'explained', FLOW, INTENT);
    expect(await triedOf(chat)).toEqual(expect.arrayContaining(['查询网站封堵:未被封堵', '查询出口故障:有出口故障']));
  });

  it('another browser fixes it → resolved, no ticket, then the satisfaction question', async () => {
    await boot();
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      ...identified('有些网站打不开', 'ad88000006', '欧**娜'),
      ['是的', { slot: 'url', says: ASK_SITE }],
      ['www.example.com', { slot: 'resolved', says: OTHER_BROWSER, buttons: RESOLVED_BUTTONS, never: '抢修' }],
      ['能打开了', { slot: 'satisfaction', says: '很高兴现在可以正常访问了', buttons: SATISFACTION, never: '工单' }],
    ]);
    await noTicket(chat, 'resolved', FLOW, INTENT);
    expect(await triedOf(chat)).toEqual(
      expect.arrayContaining(['查询网站封堵:未被封堵', '查询出口故障:无出口故障', '更换浏览器或设备并清理缓存:已解决']),
    );

    await converse(chat, [['满意', { slot: null, says: '感谢您的评价' }]]);
    expect(await outcomeOf(chat)).toMatchObject({ outcome: 'resolved', satisfaction: 'satisfied' });
  });

  it('still failing → the IP is asked → a business ticket whose evidence holds the url and the ip', async () => {
    await boot();
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await complain(chat, [
      ...identified('有些网站打不开', 'ad88000006', '欧**娜'),
      ['是的', { slot: 'url', says: ASK_SITE }],
      ['www.example.com', { slot: 'resolved', says: OTHER_BROWSER }],
      ['还是打不开', { slot: 'text', says: ASK_IP }],
      ['203.0.113.5', { slot: 'satisfaction', says: SITE_TICKET_LINE, buttons: SATISFACTION }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt, FLOW);
    expect(ticket).toMatchObject({
      account: 'ad88000006',
      intent: INTENT,
      category: 'business',
      department: 'network_maintenance',
      priority: 'normal',
    });
    expect(ticket.evidence.values).toMatchObject({ url: 'www.example.com', ip: '203.0.113.5' });
    expect(ticket.summary).toContain('www.example.com');
    expect(ticket.summary).toContain('203.0.113.5');
    expect(stepsOf(ticket)).toEqual(
      expect.arrayContaining(['查询网站封堵:未被封堵', '查询出口故障:无出口故障', '更换浏览器或设备并清理缓存:未解决']),
    );

    await converse(chat, [['一般', { slot: null, says: '感谢您的评价' }]]);
    expect(await outcomeOf(chat)).toMatchObject({ outcome: 'ticket', satisfaction: 'neutral' });
  });

  it('the site given by name ("淘宝打不开", then "淘宝") goes through the same checks into the ticket', async () => {
    await boot();
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await complain(chat, [
      ...identified('淘宝打不开', '13800000006', '欧**娜'),
      ['对', { slot: 'url', says: ASK_SITE }],
      ['淘宝', { slot: 'resolved', says: OTHER_BROWSER, never: BLOCKED }],
      ['还是不行', { slot: 'text', says: ASK_IP }],
      ['没有', { slot: 'satisfaction', says: SITE_TICKET_LINE }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt, FLOW);
    expect(ticket).toMatchObject({ account: 'ad88000006', category: 'business', intent: INTENT });
    expect(ticket.evidence.values.url).toBe('淘宝');
    expect(ticket.summary).toContain('淘宝');
  });

  it('a URL volunteered in the first message is not asked again and ends up on the ticket', async () => {
    await boot();
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await complain(chat, [
      ...identified('https://www.example.com/a 打不开', 'ad88000006', '欧**娜'),
      ['是的', { slot: 'resolved', says: OTHER_BROWSER, never: ASK_SITE }],
      ['还没解决', { slot: 'text', says: ASK_IP }],
      ['203.0.113.5', { slot: 'satisfaction', says: SITE_TICKET_LINE }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt, FLOW);
    expect(String(ticket.evidence.values.url)).toContain('www.example.com');
    expect(ticket.evidence.values.ip).toBe('203.0.113.5');
  });
});

describe('video and game lag (business.video_game_lag)', () => {
  const FLOW = 'video_game_lag';
  const INTENT = 'business.video_game_lag';

  // ad88000006: 300 Mbps plan; 80 % of it (PLAN_SPEED_SHARE) is 240.
  it.each(['250兆', '240兆', '300M'])('ad88000006 testing %s (≥ 240 of 300) → content provider / accelerator explained, no ticket', async (speed) => {
    await boot();
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      ['看视频老是卡', { slot: 'account', says: '非常抱歉影响了您看视频或玩游戏' }],
      ['ad88000006', { slot: 'confirm', says: '欧**娜' }],
      ['是的', { slot: 'speed_mbps', says: ASK_SPEED }],
      [speed, { slot: null, says: CONTENT_EXPLAINED, never: /工单|抢修|关闭正在下载|感受/ }],
    ]);
    await noTicket(chat, 'explained', FLOW, INTENT);
  });

  it('just under the plan share (239 of 300) → outage check (none) → close software and retest', async () => {
    await boot();
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      ...identified('看视频老是卡', 'ad88000006', '欧**娜'),
      ['是的', { slot: 'speed_mbps', says: ASK_SPEED }],
      ['239兆', { slot: 'speed_mbps', says: RETEST, never: /套餐标准|抢修/ }],
    ]);
    expect(await ticketsOf(chat)).toHaveLength(0);
  });

  it('below the plan, the retest meets it, "好了" → resolved, no ticket, then the satisfaction question', async () => {
    await boot();
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      ['打游戏延迟高', { slot: 'account', says: '非常抱歉影响了您看视频或玩游戏' }],
      ['ad88000006', { slot: 'confirm', says: '欧**娜' }],
      ['是的', { slot: 'speed_mbps', says: ASK_SPEED }],
      ['50兆', { slot: 'speed_mbps', says: RETEST, never: /抢修|套餐标准/ }],
      ['280兆', { slot: 'resolved', says: '网速已经达标了，请再试一下视频或游戏，现在流畅了吗', buttons: RESOLVED_BUTTONS }],
      ['好了', { slot: 'satisfaction', says: '很高兴现在已经流畅了', buttons: SATISFACTION, never: '工单' }],
    ]);
    await noTicket(chat, 'resolved', FLOW, INTENT);
    expect(await triedOf(chat)).toEqual(expect.arrayContaining(['查询区域故障:无区域故障', '关闭占网软件、杀毒后复测达标:已解决']));
  });

  // The natural answers to "现在流畅了吗？".
  it.each(['流畅了', '已解决', '可以了，不卡了'])('the retest meets the plan and "%s" → resolved', async (answer) => {
    await boot();
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      ...identified('看视频老是卡', 'ad88000006', '欧**娜'),
      ['是的', { slot: 'speed_mbps' }],
      ['50兆', { slot: 'speed_mbps', says: RETEST }],
      ['280兆', { slot: 'resolved', says: '现在流畅了吗' }],
      [answer, { slot: 'satisfaction', says: '很高兴现在已经流畅了' }],
    ]);
    await noTicket(chat, 'resolved', FLOW, INTENT);
  });

  it('the retest meets the plan but it still lags → explained (content provider / accelerator), no ticket', async () => {
    await boot();
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      ...identified('看视频老是卡', 'ad88000006', '欧**娜'),
      ['是的', { slot: 'speed_mbps' }],
      ['50兆', { slot: 'speed_mbps', says: RETEST }],
      ['280兆', { slot: 'resolved', says: '现在流畅了吗' }],
      ['还是卡', { slot: null, says: CONTENT_EXPLAINED, never: /工单|感受/ }],
    ]);
    await noTicket(chat, 'explained', FLOW, INTENT);
    expect(await triedOf(chat)).toContain('关闭占网软件、杀毒后复测达标:未解决');
  });

  it('the retest is still below the plan → a business ticket with both speeds and the plan in its evidence', async () => {
    await boot();
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await complain(chat, [
      ...identified('打游戏延迟高', 'ad88000006', '欧**娜'),
      ['是的', { slot: 'speed_mbps', says: ASK_SPEED }],
      ['50兆', { slot: 'speed_mbps', says: RETEST }],
      ['60兆', { slot: 'satisfaction', says: LAG_TICKET_LINE, buttons: SATISFACTION }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt, FLOW);
    expect(ticket).toMatchObject({
      account: 'ad88000006',
      intent: INTENT,
      category: 'business',
      department: 'network_maintenance',
      priority: 'normal',
    });
    expect(ticket.evidence.values).toMatchObject({ speedMbps: 50, retest_speed_mbps: 60, plan_mbps: 300 });
    expect(ticket.summary).toMatch(/测速 50 兆.*复测 60 兆.*套餐 300 兆/);
    expect(stepsOf(ticket)).toContain('查询区域故障:无区域故障');

    await converse(chat, [['不满意', { slot: null, says: '感谢您的评价' }]]);
    expect(await outcomeOf(chat)).toMatchObject({ outcome: 'ticket', satisfaction: 'dissatisfied' });
  });

  it('ad88000001 (area outage) below the plan → the outage is explained with its recovery time, no ticket', async () => {
    await boot();
    const outage = await app.services.carrier.outageFor('hz-xihu-01');
    expect(outage, 'demo fixture: outage for hz-xihu-01').not.toBeNull();
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      ...identified('看视频老是卡', 'ad88000001', '张*'),
      ['是的', { slot: 'speed_mbps', says: ASK_SPEED }],
      [
        '100兆',
        {
          slot: null,
          says: `正在抢修网络故障（${outage!.description}），预计 ${beijingTime(outage!.estimatedRecovery)} 前恢复`,
          never: /工单|关闭正在下载|感受/,
        },
      ],
    ]);
    await noTicket(chat, 'explained', FLOW, INTENT);
    expect(await triedOf(chat)).toContain('查询区域故障:有区域故障');
  });

  // Customers answer the speed question in a sentence; "网速" in it is not a new 网速慢 complaint.
  it.each(['测了一下才50兆', '测速只有50兆'])('a speed given in a sentence ("%s") answers the question, the flow goes on', async (answer) => {
    await boot();
    const chat = new CustomerChat(app.baseUrl);
    await complain(chat, [
      ...identified('看视频老是卡', 'ad88000006', '欧**娜'),
      ['是的', { slot: 'speed_mbps', says: ASK_SPEED }],
      [answer, { slot: 'speed_mbps', says: RETEST, never: /改为处理|网速慢|网线/ }],
      ['60兆', { slot: 'satisfaction', says: LAG_TICKET_LINE }],
    ]);
    const [ticket] = await ticketsOf(chat);
    expect(ticket).toMatchObject({ intent: INTENT, category: 'business' });
    expect(ticket!.evidence.values).toMatchObject({ speedMbps: 50, retest_speed_mbps: 60 });
  });
});

describe('the back office does not answer (every check ends "unavailable")', () => {
  const NOT_FOR_CUSTOMERS_DOWN = /timeout|超时/i;

  async function bootWithSilentBackOffice(): Promise<void> {
    silent = createServer(() => {
      // accepts the request and never answers
    });
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    await boot({ CARRIER_URL: `http://127.0.0.1:${port}`, CARRIER_TIMEOUT_MS: '200' });
  }

  it('sites: the block and egress checks say they could not look, the other-browser check still runs → ticket', async () => {
    await bootWithSilentBackOffice();
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await complain(chat, [
      ['有些网站打不开', { slot: 'account', says: '非常抱歉给您带来不便' }],
      ['ad88000006', { slot: 'url', says: /系统暂时无法核实账号[\s\S]*请问是哪个网站或App打不开/, never: '机主' }],
      [
        'www.example.com',
        {
          slot: 'resolved',
          says: /暂时无法查询该网站的访问限制[\s\S]*暂时查询不到出口故障信息[\s\S]*请换一个浏览器或另一台设备访问/,
          never: NOT_FOR_CUSTOMERS_DOWN,
        },
      ],
      ['还是不行', { slot: 'text', says: ASK_IP }],
      ['没有', { slot: 'satisfaction', says: SITE_TICKET_LINE }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt, 'site_unreachable');
    expect(ticket).toMatchObject({ account: 'ad88000006', category: 'business' });
    expect(ticket.evidence.values.url).toBe('www.example.com');
    expect(stepsOf(ticket)).toEqual(expect.arrayContaining(['查询网站封堵:后台不可用', '查询出口故障:后台不可用']));
  });

  it('lag: without the plan the outage check says it could not look, the retest goes on → ticket', async () => {
    await bootWithSilentBackOffice();
    const startedAt = new Date();
    const chat = new CustomerChat(app.baseUrl);
    const turns = await complain(chat, [
      ['看视频老是卡', { slot: 'account', says: '非常抱歉影响了您看视频或玩游戏' }],
      ['ad88000006', { slot: 'speed_mbps', says: /系统暂时无法核实账号[\s\S]*测一下网速/ }],
      ['50兆', { slot: 'speed_mbps', says: /暂时查询不到区域故障信息[\s\S]*请关闭正在下载或占用网络的软件/ }],
      ['60兆', { slot: 'satisfaction', says: LAG_TICKET_LINE }],
    ]);
    const ticket = await theOneTicket(chat, turns.at(-1)!, startedAt, 'video_game_lag');
    expect(ticket).toMatchObject({ account: 'ad88000006', category: 'business', intent: 'business.video_game_lag' });
    expect(ticket.evidence.values).toMatchObject({ speedMbps: 50, retest_speed_mbps: 60 });
    expect(stepsOf(ticket)).toContain('查询区域故障:后台不可用');
  });
});
