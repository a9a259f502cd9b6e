/**
 * What a customer may say at any point of a conversation, end to end over HTTP: 转人工, 取消 / 算了,
 * 帮助, greetings, 查询工单, messages the bot does not understand, a change of topic, a repeat
 * complaint, a channel delivering the same activity twice, a customer threatening to escalate, and the
 * prompt contract every reply keeps (inputHint, channelData.slot, suggestedActions, numbered options
 * on channels without buttons). Demo back office: src/carrier/demo-fixtures.json.
 *
 * Each test gets its own app and database: a ticket for an account that already has an open one of
 * the same category is folded into that ticket, so tests sharing storage would depend on their order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SLOTS } from '../../src/engine/flow-schema.js';
import { PRIORITIES, type Ticket } from '../../src/tickets/types.js';
import { startApp, type RunningApp } from '../support/app-server.js';
import { CustomerChat, type BotReply, type Turn } from '../support/customer-chat.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';
import { beijingTime, cleanChinese, outcomes } from '../support/conversation-checks.js';
import { play, type Row } from '../support/scenario.js';

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

const { ticketsOf, outcomeOf } = outcomes(() => app);
const outcomeCount = (chat: CustomerChat) =>
  app.services.storage.db.collection('conversation_outcomes').countDocuments({ conversationId: chat.conversationId });

/** The numbered options a channel without buttons gets ("回复 1：是"). */
const NUMBERED_OPTION = /回复 \d+：/;
/** Slots whose answer is one of a few options: they must come with buttons. */
const CHOICE_SLOTS = new Set(['confirm', 'resolved', 'choice', 'satisfaction']);
const BUTTON_CHANNELS = new Set(['test', 'webchat', 'directline', 'emulator']);

/**
 * The prompt contract (src/bot/render-replies.ts) for every reply of one turn: a reply waits for input
 * exactly when it names its slot; only the last reply of a turn may wait; every option question has
 * imBack buttons; channels without buttons number the options in the text, button channels do not.
 */
function keepsPromptContract(turn: Turn, channelId: string, where: string): void {
  for (const [i, reply] of turn.replies.entries()) {
    const at = `${where}, reply ${i + 1} ${JSON.stringify(reply.text)}`;
    const slot = reply.channelData?.slot;
    const waits = reply.inputHint === 'expectingInput';
    expect(waits, `${at}: expectingInput ⇔ channelData.slot (inputHint ${reply.inputHint}, slot ${slot})`).toBe(slot !== undefined);
    if (!waits) expect(reply.inputHint, at).toBe('acceptingInput');
    if (slot !== undefined) expect(SLOTS as readonly string[], at).toContain(slot);
    if (i < turn.replies.length - 1) expect(waits, `${at}: only the last reply of a turn may wait for an answer`).toBe(false);
    const actions = reply.suggestedActions?.actions ?? [];
    if (slot !== undefined && CHOICE_SLOTS.has(slot)) expect(actions.length, `${at}: an option question has buttons`).toBeGreaterThan(1);
    if (actions.length > 0) {
      expect(waits, `${at}: buttons only on a question`).toBe(true);
      for (const action of actions) expect(action, at).toMatchObject({ type: 'imBack', value: action.title });
    }
    if (BUTTON_CHANNELS.has(channelId)) {
      expect(reply.text ?? '', `${at}: no numbered options where there are buttons`).not.toMatch(NUMBERED_OPTION);
    } else {
      actions.forEach((action, n) => expect(reply.text ?? '', `${at}: numbered options without buttons`).toContain(`回复 ${n + 1}：${action.title}`));
    }
  }
}

/** Every reply is Chinese, free of leftovers, and keeps the prompt contract. */
function checkTurn(chat: CustomerChat, line: string, turn: Turn): void {
  cleanChinese(turn, line);
  keepsPromptContract(turn, chat.channelId, `after ${JSON.stringify(line)}`);
}

/** Plays the rows (see play), then checks every reply of every turn. */
async function converse(chat: CustomerChat, rows: readonly Row[]): Promise<Turn[]> {
  const turns = await play(chat, rows);
  turns.forEach((turn, i) => checkTurn(chat, rows[i]![0], turn));
  return turns;
}

/** What the customer can compare between two answers to the same delivery. */
const visible = (replies: BotReply[]) =>
  replies.map((r) => ({ text: r.text, inputHint: r.inputHint, slot: r.channelData?.slot, buttons: r.suggestedActions?.actions.map((a) => a.title) }));

// ── Lines the bot says (dialogs/*.yaml, dialogs/common/replies.yaml) ─────────────────────────────────
const NETWORK_APOLOGY = '非常抱歉给您的上网带来不便';
const INSTALL_APOLOGY = '我马上帮您查询装机（移机）工单的进度';
const ASK_PHONE = /安排人工客服[\s\S]*请留下方便联系您的手机号码/;
const CALLBACK_LINE = /人工客服会在 \d+月\d+日 \d\d:\d\d 前致电 \d{3}\*{4}\d{4} 与您联系，回电登记号 KD\d{8}-\d{4}/;
const TICKET_LINE = /已为您派单至网络维护部门，工单号 KD\d{8}-\d{4}，工作人员会在 \d+月\d+日 \d\d:\d\d 前联系您/;
const HELP_LINE = '随时回复“转人工”联系人工客服';
const CANCELLED = '已为您取消当前问题';
const OUT_OF_SCOPE = '我只能处理家庭宽带的故障和投诉';
const OFFER_HUMAN = '需要为您转接人工客服吗';
const NOT_FOUND = '没有查到相关的工单';
const DEFAULT_TOPICS = ['上不了网', '网速慢', '装机或移机不及时', '费用有疑问', '都不是'];
const LIGHT_BUTTONS = ['指示灯都正常', 'LOS 灯红色闪烁或常亮', 'PON 灯不亮或一直闪烁', '看不清或不确定'];

/** A network.slow complaint from ad88000006 (healthy, 300 Mbps) up to the error-code question. */
const slowIdentified06: Row[] = [
  ['网速太慢了', { slot: 'account', says: NETWORK_APOLOGY }],
  ['ad88000006', { slot: 'confirm', says: '欧**娜', buttons: ['是', '不是'] }],
  ['是的', { slot: 'error_code', says: '错误代码' }],
];
/** …no code, normal lights, cables and restart did not help: the cable speed test is asked. */
const slowUpToSpeedTest06: Row[] = [
  ...slowIdentified06,
  ['没有', { slot: 'choice', buttons: LIGHT_BUTTONS }],
  ['指示灯都正常', { slot: 'resolved', says: '网线是否插紧' }],
  ['还是不行', { slot: 'resolved', says: '断电' }],
  ['还是不行', { slot: 'speed_mbps', says: '用网线把电脑直接连到光猫' }],
];
/** …15 of 300 Mbps: a network ticket, then the satisfaction question. */
const slowTicket06: Row[] = [...slowUpToSpeedTest06, ['测了一下才15兆', { slot: 'satisfaction', says: TICKET_LINE }]];

/** The customer heard the callback ticket's number, the masked phone and when they will be called. */
function heardCallback(turn: Turn, ticket: Ticket, maskedPhone: string): void {
  expect(turn.text).toContain(ticket.number);
  expect(turn.text).toContain(`人工客服会在 ${beijingTime(ticket.firstResponseDue)} 前致电 ${maskedPhone}`);
}

describe('转人工 anywhere in the conversation', () => {
  it.each<{ when: string; before: Row[]; ask: string; intent: string }>([
    { when: 'as the first message', before: [], ask: '转人工', intent: 'handoff.request' },
    { when: 'phrased naturally (我要找人工客服)', before: [], ask: '我要找人工客服', intent: 'handoff.request' },
    { when: 'phrased naturally (a whole sentence)', before: [], ask: '能不能帮我转一下人工，我不想跟机器人聊了', intent: 'handoff.request' },
    {
      when: 'at the account question of a complaint',
      before: [['网速太慢了', { slot: 'account' }]],
      ask: '转人工',
      intent: 'network.slow',
    },
  ])('$when, no phone known: asks for one, then opens a callback ticket', async ({ before, ask, intent }) => {
    const chat = new CustomerChat(app.baseUrl);
    const turns = await converse(chat, [
      ...before,
      [ask, { slot: 'phone', says: ASK_PHONE }],
      ['13912345678', { slot: null, says: CALLBACK_LINE }],
    ]);
    const tickets = await ticketsOf(chat);
    expect(tickets).toHaveLength(1);
    const ticket = tickets[0]!;
    expect(ticket).toMatchObject({ category: 'callback', department: 'customer_service', intent, status: 'open' });
    expect(ticket.account).toBeUndefined();
    expect(ticket.evidence.values.contactPhone).toBe('13912345678');
    heardCallback(turns.at(-1)!, ticket, '139****5678');
    expect(await outcomeOf(chat)).toMatchObject({ outcome: 'handoff', ticketNumber: ticket.number });
  });

  it('in the middle of a network flow after the account was confirmed: the callback ticket is opened at once', async () => {
    const chat = new CustomerChat(app.baseUrl);
    const turns = await converse(chat, [
      ...slowIdentified06,
      ['转人工', { slot: null, says: CALLBACK_LINE, never: '手机号码' }],
    ]);
    const tickets = await ticketsOf(chat);
    expect(tickets).toHaveLength(1);
    const ticket = tickets[0]!;
    expect(ticket).toMatchObject({ category: 'callback', account: 'ad88000006', intent: 'network.slow', department: 'customer_service' });
    expect(ticket.evidence.values.contactPhone).toBe('13800000006');
    heardCallback(turns.at(-1)!, ticket, '138****0006');
    expect(await outcomeOf(chat)).toMatchObject({ outcome: 'handoff', ticketNumber: ticket.number, flow: 'network' });

    // The flow stopped: the old question is not asked again.
    const after = await chat.say('没有');
    checkTurn(chat, '没有', after);
    expect(after.slot).not.toBe('choice');
    expect(after.text).not.toContain('光猫的指示灯');
  });

  it('at the satisfaction question after a network ticket: a separate callback ticket is opened', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, slowTicket06);
    const [network] = await ticketsOf(chat);
    const turns = await converse(chat, [['转人工', { slot: null, says: CALLBACK_LINE, never: '手机号码' }]]);
    const tickets = await ticketsOf(chat);
    expect(tickets.map((t) => t.category).sort()).toEqual(['callback', 'network']);
    const callback = tickets.find((t) => t.category === 'callback')!;
    expect(callback.number).not.toBe(network!.number);
    expect(callback).toMatchObject({ account: 'ad88000006', intent: 'network.slow' });
    heardCallback(turns[0]!, callback, '138****0006');
  });
});

describe('取消 / 算了, 帮助 and small talk', () => {
  it.each<{ when: string; before: Row[]; word: string; staleAnswer: string; staleSlot: string; staleText: string }>([
    {
      when: '取消 at the holder confirmation',
      before: slowIdentified06.slice(0, 2),
      word: '取消',
      staleAnswer: '是的',
      staleSlot: 'error_code',
      staleText: '错误代码',
    },
    {
      when: '算了 after the account was confirmed',
      before: slowIdentified06,
      word: '算了',
      staleAnswer: '没有',
      staleSlot: 'choice',
      staleText: '光猫的指示灯',
    },
  ])('$when: the flow stops, the next complaint starts fresh, no ticket', async ({ before, word, staleAnswer, staleSlot, staleText }) => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [...before, [word, { slot: null, says: CANCELLED }]]);

    // The answer to the cancelled question no longer moves the old flow on.
    const stale = await chat.say(staleAnswer);
    checkTurn(chat, staleAnswer, stale);
    expect(stale.slot).not.toBe(staleSlot);
    expect(stale.text).not.toContain(staleText);

    // A new complaint starts from the beginning: apology, then who the customer is.
    await converse(chat, [['网速太慢了', { slot: 'account', says: NETWORK_APOLOGY, never: staleText }]]);
    expect(await ticketsOf(chat)).toHaveLength(0);
  });

  it('取消 with nothing going on is answered politely', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [['取消', { slot: null, says: '如有宽带方面的问题，随时告诉我', never: CANCELLED }]]);
  });

  it.each<{ when: string; before: Row[]; slot: string; question: string; buttons?: string[]; answer: Row }>([
    {
      when: 'at the account question',
      before: slowIdentified06.slice(0, 1),
      slot: 'account',
      question: '请提供您的宽带账号',
      answer: ['ad88000006', { slot: 'confirm', says: '欧**娜' }],
    },
    {
      when: 'at the holder confirmation',
      before: slowIdentified06.slice(0, 2),
      slot: 'confirm',
      question: '查到该宽带的机主姓名为 欧**娜',
      buttons: ['是', '不是'],
      answer: ['是的', { slot: 'error_code' }],
    },
    {
      when: 'at the modem-lights choice',
      before: [...slowIdentified06, ['没有', { slot: 'choice' }]],
      slot: 'choice',
      question: '光猫的指示灯',
      buttons: LIGHT_BUTTONS,
      answer: ['1', { slot: 'resolved', says: '网线是否插紧' }],
    },
  ])('帮助 $when: the help text, then the same question again; the answer still works', async ({ before, slot, question, buttons, answer }) => {
    const chat = new CustomerChat(app.baseUrl);
    const [asked] = (await converse(chat, before)).slice(-1);
    const [help] = await converse(chat, [['帮助', { slot: slot as Row[1]['slot'], says: HELP_LINE, ...(buttons ? { buttons } : {}) }]]);
    expect(help!.replies[0]!.text, 'the help text comes first').toContain(HELP_LINE);
    expect(help!.last!.text).toContain(question);
    expect(help!.last!.text, 'the very question that was pending').toBe(asked!.last!.text);
    await converse(chat, [answer]);
  });

  // The same promise for the questions the conversation asks outside the flows (dialogs/common/replies.yaml).
  it.each<{ when: string; before: Row[]; slot: string; question: string; answer: Row }>([
    {
      when: 'at the satisfaction question',
      before: [...slowTicket06],
      slot: 'satisfaction',
      question: '请问您对本次服务的感受如何？',
      answer: ['满意', { slot: null, says: '感谢您的评价' }],
    },
    {
      when: 'at the phone question of a hand-off',
      before: [['转人工', { slot: 'phone' }]],
      slot: 'phone',
      question: '请留下方便联系您的手机号码',
      answer: ['13912345678', { slot: null, says: CALLBACK_LINE }],
    },
    {
      when: 'at the out-of-scope choice',
      before: [['今天天气怎么样', { slot: 'choice' }]],
      slot: 'choice',
      question: OUT_OF_SCOPE,
      answer: ['3', { slot: 'account', says: INSTALL_APOLOGY }],
    },
    {
      when: 'at the offer of a human',
      before: [
        ['今天天气怎么样', { slot: 'choice' }],
        ['明天会下雨吗', { slot: 'confirm' }],
      ],
      slot: 'confirm',
      question: OFFER_HUMAN,
      answer: ['是', { slot: 'phone', says: ASK_PHONE }],
    },
    {
      when: 'at the ticket-reference question of 查询工单',
      before: [['查询工单', { slot: 'ticket_number' }]],
      slot: 'ticket_number',
      question: '请提供工单号',
      answer: ['KD20200101-9999', { slot: null, says: NOT_FOUND }],
    },
  ])('帮助 $when: the help text, then the same question again (same slot)', async ({ before, slot, question, answer }) => {
    const chat = new CustomerChat(app.baseUrl);
    const [asked] = (await converse(chat, before)).slice(-1);
    const help = await chat.say('帮助');
    checkTurn(chat, '帮助', help);
    const where = `after 帮助 the bot said ${JSON.stringify(help.text)}`;
    expect(help.replies[0]!.text, where).toContain(HELP_LINE);
    expect(help.slot, where).toBe(slot);
    expect(help.last!.text, where).toContain(question);
    expect(help.buttons, where).toEqual(asked!.buttons);
    await converse(chat, [answer]);
  });

  it('你好 at the start: the bot introduces itself and asks what happened; 谢谢，再见 → goodbye', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [
      ['你好', { says: /我是宽带投诉助手[\s\S]*请问遇到了什么情况/ }],
      ['谢谢，再见', { slot: null, says: /感谢|再见|祝您/, never: '我是宽带投诉助手' }],
    ]);
    expect(await ticketsOf(chat)).toHaveLength(0);
  });
});

describe('查询工单', () => {
  it('after a ticket was opened in the same conversation: the status with its number and due times', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, slowTicket06);
    const [ticket] = await ticketsOf(chat);
    const [turn] = await converse(chat, [['查询工单', { says: ticket!.number, never: '请提供工单号' }]]);
    expect(turn!.text).toContain(`将在 ${beijingTime(ticket!.firstResponseDue)} 前联系您`);
    expect(turn!.text).toContain(`${beijingTime(ticket!.resolveDue)} 前处理完成`);
    expect(turn!.text).toContain('已受理');
  });

  it.each([
    { how: 'by ticket number in a sentence', say: (n: string) => [[`帮我查一下工单${n}`, {}]] },
    { how: '查询工单 then the number', say: (n: string) => [['查询工单', { slot: 'ticket_number' }], [n, {}]] },
    { how: '查询工单 then the account', say: () => [['查询工单', { slot: 'ticket_number', says: '请提供工单号' }], ['ad88000006', {}]] },
    { how: '查询工单 then the registered mobile', say: () => [['查询工单', { slot: 'ticket_number' }], ['13800000006', {}]] },
  ] as Array<{ how: string; say: (n: string) => Row[] }>)('from another conversation, $how', async ({ say }) => {
    const first = new CustomerChat(app.baseUrl);
    await converse(first, slowTicket06);
    const [ticket] = await ticketsOf(first);

    const other = new CustomerChat(app.baseUrl);
    const turns = await converse(other, say(ticket!.number));
    const last = turns.at(-1)!;
    expect(last.slot ?? null).toBe(null);
    expect(last.text).toContain(`您的工单 ${ticket!.number}`);
    expect(last.text).toContain(`将在 ${beijingTime(ticket!.firstResponseDue)} 前联系您`);
    expect(last.text).not.toContain(NOT_FOUND);
    expect(await ticketsOf(other), 'a query opens no ticket').toHaveLength(0);
  });

  it.each([
    { how: 'an unknown ticket number', rows: [['帮我查一下工单KD20200101-9999', { slot: null, says: NOT_FOUND }]] },
    { how: 'an account without tickets', rows: [['查询工单', { slot: 'ticket_number' }], ['ad88000007', { slot: null, says: NOT_FOUND }]] },
  ] as Array<{ how: string; rows: Row[] }>)('$how → a polite not-found', async ({ rows }) => {
    const chat = new CustomerChat(app.baseUrl);
    const turns = await converse(chat, rows);
    expect(turns.at(-1)!.text).toMatch(/^抱歉/);
    expect(turns.at(-1)!.text).toContain('转人工');
  });
});

describe('messages the bot does not understand', () => {
  it.each<{ pick: string; starts: Row[1] }>([
    { pick: '3', starts: { slot: 'account', says: INSTALL_APOLOGY } },
    { pick: '第二个', starts: { slot: 'account', says: NETWORK_APOLOGY } },
    { pick: '装机或移机不及时', starts: { slot: 'account', says: INSTALL_APOLOGY } },
  ])('今天天气怎么样 → out of scope with choices; "$pick" starts that complaint', async ({ pick, starts }) => {
    const chat = new CustomerChat(app.baseUrl);
    const [question] = await converse(chat, [
      ['今天天气怎么样', { slot: 'choice', says: OUT_OF_SCOPE, buttons: DEFAULT_TOPICS }],
      [pick, starts],
    ]);
    expect(question!.text).toMatch(/^抱歉/);
    expect(question!.buttons).toEqual(DEFAULT_TOPICS);
    expect(await ticketsOf(chat)).toHaveLength(0);
  });

  it('two misunderstood messages in a row → the offer of a human; 是 → asked for a phone', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [
      ['今天天气怎么样', { slot: 'choice', says: OUT_OF_SCOPE }],
      ['明天会下雨吗', { slot: 'confirm', says: OFFER_HUMAN, buttons: ['是', '不是'] }],
      ['是', { slot: 'phone', says: ASK_PHONE }],
    ]);
  });

  it('two misunderstood answers inside a flow → the offer of a human', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [
      ...slowIdentified06,
      ['没有', { slot: 'choice' }],
      ['今天天气怎么样', { slot: 'choice', says: '光猫的指示灯' }],
      ['明天会下雨吗', { slot: 'confirm', says: OFFER_HUMAN }],
    ]);
  });
});

describe('changing the topic mid-flow', () => {
  it('网速慢 → "是装宽带的师傅一直没来": install delay without asking the account again; urgent reminder for ad88000009', async () => {
    const chat = new CustomerChat(app.baseUrl);
    const turns = await converse(chat, [
      ['网速太慢了', { slot: 'account', says: NETWORK_APOLOGY }],
      ['ad88000009', { slot: 'confirm', says: '周*' }],
      ['是的', { slot: 'error_code' }],
      [
        '不是网速的问题，是装宽带的师傅一直没来',
        { slot: 'satisfaction', says: /装机或移机不及时[\s\S]*已为您加急催单，催单号 KD\d{8}-\d{4}/, never: /宽带账号|机主姓名|错误代码/ },
      ],
    ]);
    const tickets = await ticketsOf(chat);
    expect(tickets).toHaveLength(1);
    const ticket = tickets[0]!;
    expect(ticket).toMatchObject({
      account: 'ad88000009',
      category: 'service',
      intent: 'service.install_delay',
      department: 'field_service',
      priority: 'high',
    });
    expect(ticket.summary).toContain('WO1001');
    expect(turns.at(-1)!.text).toContain(ticket.number);
    expect(turns.at(-1)!.text).toContain(`${beijingTime(ticket.firstResponseDue)} 前联系您`);
    expect(await outcomeOf(chat)).toMatchObject({ outcome: 'ticket', flow: 'install_delay', ticketNumber: ticket.number });
  });
});

describe('a repeat complaint', () => {
  it('two conversations for ad88000006 ending in a network ticket share ONE ticket: same number, repeatCount 1, priority raised', async () => {
    const first = new CustomerChat(app.baseUrl);
    await converse(first, slowTicket06);
    const [original] = await ticketsOf(first);
    expect(original).toMatchObject({ account: 'ad88000006', category: 'network', priority: 'normal', repeatCount: 0 });

    const second = new CustomerChat(app.baseUrl);
    const turns = await converse(second, [
      ...slowUpToSpeedTest06,
      ['测了一下才12兆', { slot: 'satisfaction', says: /抱歉让您再次反映[\s\S]*提高处理优先级/ }],
    ]);
    expect(turns.at(-1)!.text, 'the second customer hears the SAME number').toContain(`工单号 ${original!.number}`);

    const forAccount = await app.services.tickets.list({ account: 'ad88000006', category: 'network' });
    expect(forAccount, 'one ticket for the account and category').toHaveLength(1);
    const ticket = forAccount[0]!;
    expect(ticket.number).toBe(original!.number);
    expect(ticket.repeatCount).toBe(1);
    expect(PRIORITIES.indexOf(ticket.priority)).toBeGreaterThan(PRIORITIES.indexOf(original!.priority));
    expect(ticket.evidence.values.speedMbps, 'the newer evidence is kept').toBe(12);
    expect(await ticketsOf(second), 'the second conversation opened no ticket of its own').toHaveLength(0);
    expect(await outcomeOf(second)).toMatchObject({ outcome: 'ticket', ticketNumber: original!.number });
  });
});

describe('the same activity delivered twice', () => {
  it('a repeated answer does not move the flow twice, and a repeated final answer opens no second ticket', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [...slowIdentified06, ['没有', { slot: 'choice' }], ['指示灯都正常', { slot: 'resolved', says: '网线是否插紧' }]]);

    // 还是不行 at the cables check: once → the restart check. Processed twice it would skip to the speed test.
    const once = await chat.say('还是不行', 'retry-1');
    const again = await chat.say('还是不行', 'retry-1');
    for (const t of [once, again]) checkTurn(chat, '还是不行', t);
    expect(once).toMatchObject({ status: 200, slot: 'resolved' });
    expect(once.text).toContain('断电');
    expect(again.status).toBe(200);
    expect(visible(again.replies), 'the retry gets the replies of the first delivery').toEqual(visible(once.replies));

    await converse(chat, [['还是不行', { slot: 'speed_mbps', says: '用网线把电脑直接连到光猫', never: '没能理解' }]]);

    const final = await chat.say('测了一下才15兆', 'retry-final');
    const finalAgain = await chat.say('测了一下才15兆', 'retry-final');
    for (const t of [final, finalAgain]) checkTurn(chat, '测了一下才15兆', t);
    expect(final.text).toMatch(TICKET_LINE);
    expect(finalAgain.status).toBe(200);
    expect(visible(finalAgain.replies)).toEqual(visible(final.replies));

    const tickets = await ticketsOf(chat);
    expect(tickets, 'one ticket').toHaveLength(1);
    expect(tickets[0]!.repeatCount, 'not folded into itself').toBe(0);
    expect(await outcomeCount(chat), 'the complaint ended once').toBe(1);
    // The satisfaction question is still the one waiting.
    await converse(chat, [['满意', { slot: null, says: '感谢您的评价' }]]);
    expect(await outcomeOf(chat)).toMatchObject({ outcome: 'ticket', satisfaction: 'satisfied' });
  });

  it('a retry arriving while the first delivery is still being processed is not processed again', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, slowUpToSpeedTest06);
    const [a, b] = await Promise.all([chat.say('测了一下才15兆', 'twin'), chat.say('测了一下才15兆', 'twin')]);
    expect([a!.status, b!.status]).toEqual([200, 200]);
    expect(visible(b!.replies)).toEqual(visible(a!.replies));
    expect(a!.text).toMatch(TICKET_LINE);
    expect(await ticketsOf(chat)).toHaveLength(1);
    expect(await outcomeCount(chat)).toBe(1);
  });
});

describe('a customer threatening to escalate', () => {
  it('apology and the offer of a human; 不用 → the complaint goes on; the ticket carries the risk and a raised priority', async () => {
    const chat = new CustomerChat(app.baseUrl);
    const [offer] = await converse(chat, [
      ['三天没网了，再不修我就打12315投诉你们', { slot: 'confirm', says: /非常抱歉[\s\S]*需要现在为您转接人工客服吗/, buttons: ['是', '不是'] }],
      ['不用', { slot: 'account', says: NETWORK_APOLOGY }],
      ['ad88000006', { slot: 'confirm', says: '欧**娜' }],
      ['是的', { slot: 'error_code' }],
      ['没有', { slot: 'choice' }],
      ['指示灯都正常', { slot: 'resolved', says: '网线是否插紧' }],
      ['还是不行', { slot: 'resolved', says: '断电' }],
      ['还是不行', { slot: 'resolved', says: '浏览器缓存' }],
      ['还是不行', { slot: 'satisfaction', says: TICKET_LINE, never: OFFER_HUMAN }],
    ]);
    expect(offer!.text).toMatch(/^非常抱歉/);
    const tickets = await ticketsOf(chat);
    expect(tickets).toHaveLength(1);
    const ticket = tickets[0]!;
    expect(ticket).toMatchObject({ category: 'network', intent: 'network.no_connection', account: 'ad88000006', escalationRisk: true, repeatCount: 0 });
    // dialogs/network.yaml opens it as `normal`; the risk raises it.
    expect(PRIORITIES.indexOf(ticket.priority)).toBeGreaterThan(PRIORITIES.indexOf('normal'));
    expect(await outcomeOf(chat)).toMatchObject({ outcome: 'ticket', escalationRisk: true });
  });

  it('a threat in the middle of a flow: apology and offer; 不用 → the same question again, and the flow goes on', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [
      ...slowIdentified06,
      ['再不修好我就打12315投诉你们', { slot: 'confirm', says: /非常抱歉[\s\S]*需要现在为您转接人工客服吗/ }],
      ['不用', { slot: 'error_code', says: '错误代码' }],
      ['没有', { slot: 'choice', says: '光猫的指示灯' }],
      ['指示灯都正常', { slot: 'resolved' }],
      ['还是不行', { slot: 'resolved', says: '断电' }],
      ['还是不行', { slot: 'speed_mbps' }],
      ['测了一下才15兆', { slot: 'satisfaction', says: TICKET_LINE }],
    ]);
    const [ticket] = await ticketsOf(chat);
    expect(ticket).toMatchObject({ intent: 'network.slow', escalationRisk: true });
    expect(PRIORITIES.indexOf(ticket!.priority)).toBeGreaterThan(PRIORITIES.indexOf('normal'));
  });

  it('是 to the offer → hand-off (a phone is asked, then the callback ticket has the risk)', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await converse(chat, [
      ['三天没网了，再不修我就打12315投诉你们', { slot: 'confirm' }],
      ['是', { slot: 'phone', says: ASK_PHONE }],
      ['13912345678', { slot: null, says: CALLBACK_LINE }],
    ]);
    const [ticket] = await ticketsOf(chat);
    expect(ticket).toMatchObject({ category: 'callback', escalationRisk: true });
    expect(PRIORITIES.indexOf(ticket!.priority)).toBeGreaterThan(PRIORITIES.indexOf('normal'));
  });
});

describe('the prompt contract', () => {
  it('on a channel with buttons: questions name their slot and expect input, other replies do not; options are imBack buttons', async () => {
    const chat = new CustomerChat(app.baseUrl, 'test');
    const turns = await converse(chat, [...slowTicket06, ['满意', { slot: null, says: '感谢您的评价' }]]);
    // The apology before the first question waits for nothing.
    const [apology, askAccount] = turns[0]!.replies;
    expect(apology).toMatchObject({ inputHint: 'acceptingInput' });
    expect(apology!.channelData?.slot).toBeUndefined();
    expect(askAccount).toMatchObject({ inputHint: 'expectingInput', channelData: { slot: 'account' } });
    expect(askAccount!.suggestedActions).toBeUndefined();
    // The holder confirmation is a yes / no question with imBack buttons.
    expect(turns[1]!.last!.suggestedActions!.actions).toEqual([
      { type: 'imBack', title: '是', value: '是' },
      { type: 'imBack', title: '不是', value: '不是' },
    ]);
    expect(turns[1]!.text).not.toMatch(NUMBERED_OPTION);
    // The closing thanks waits for nothing.
    expect(turns.at(-1)!.last).toMatchObject({ inputHint: 'acceptingInput' });
    expect(turns.at(-1)!.last!.channelData?.slot).toBeUndefined();
    expect(turns.at(-1)!.last!.suggestedActions).toBeUndefined();
  });

  it('on a channel without buttons (sms): options are numbered in the text and answering with the number works', async () => {
    const chat = new CustomerChat(app.baseUrl, 'sms');
    const turns = await converse(chat, [
      ['网速太慢了', { slot: 'account' }],
      ['ad88000006', { slot: 'confirm', says: '回复 1：是\n回复 2：不是' }],
      ['1', { slot: 'error_code', says: '错误代码' }],
      ['没有', { slot: 'choice', says: '回复 1：指示灯都正常\n回复 2：LOS 灯红色闪烁或常亮' }],
      ['1', { slot: 'resolved', says: /网线是否插紧[\s\S]*回复 1：已解决\n回复 2：还没解决/ }],
      ['2', { slot: 'resolved', says: '断电' }],
      ['1', { slot: 'satisfaction', says: /很高兴问题已经解决[\s\S]*回复 1：满意\n回复 2：一般\n回复 3：不满意/ }],
      ['1', { slot: null, says: '感谢您的评价' }],
    ]);
    expect(turns[1]!.text.startsWith('查到该宽带的机主姓名为 欧**娜')).toBe(true);
    expect(await outcomeOf(chat)).toMatchObject({ outcome: 'resolved', satisfaction: 'satisfied', channel: 'sms' });
    expect(await ticketsOf(chat)).toHaveLength(0);
  });

  it('on sms the out-of-scope choices are numbered too, and "3" picks the third', async () => {
    const chat = new CustomerChat(app.baseUrl, 'sms');
    await converse(chat, [
      ['今天天气怎么样', { slot: 'choice', says: DEFAULT_TOPICS.map((t, i) => `回复 ${i + 1}：${t}`).join('\n') }],
      ['3', { slot: 'account', says: INSTALL_APOLOGY }],
    ]);
  });
});
