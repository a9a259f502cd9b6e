/**
 * Whatever arrives at POST /api/messages, the customer gets a polite Simplified Chinese answer and the
 * bot stays usable; what is not an activity gets a 400 in the {error, message} shape; with Bot Framework
 * authentication on, an unauthenticated request is refused with 401 and changes nothing. Real HTTP, the
 * real NLU model, embedded MongoDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-server.js';
import { CustomerChat, type Turn } from '../support/customer-chat.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

/** Leftovers of code or templates a customer must never see. */
const LEFTOVERS = /undefined|null|NaN|\{|\}|\[object|未提供/i;
/** What a crash looks like in text: stack frames, error class names, file positions. */
const STACK_TRACE = /\n\s+at |\bat .+\(.*:\d+:\d+\)|\w*Error\b|Exception|\.ts:\d+|\.js:\d+|node_modules/;
/** Characters that exist only in Traditional Chinese: the replies are Simplified. */
const TRADITIONAL_ONLY = /[網請與來會寬帶為問題說這個還們麼裡線關檢號碼務處體於應當]/;
/** Japanese kana: a Japanese message is still answered in Chinese. */
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
/** adapter.onTurnError's line: the turn failed, which an odd message must not make happen. */
const TECHNICAL_ERROR = '系统刚才出了点问题';
/** A turn, however large the message, is answered promptly. */
const MAX_TURN_MS = 5_000;

/** UTF-8 text of about `bytes` bytes made of `unit` repeated. */
function textOfBytes(unit: string, bytes: number): string {
  const unitBytes = Buffer.byteLength(unit, 'utf8');
  return unit.repeat(Math.ceil(bytes / unitBytes));
}

function politeChinese(turn: Turn, where: string): void {
  expect(turn.status, where).toBe(200);
  expect(turn.replies.length, `${where}: at least one reply`).toBeGreaterThan(0);
  for (const reply of turn.replies) {
    const text = reply.text ?? '';
    const at = `${where}: ${JSON.stringify(text)}`;
    expect(text, at).toMatch(/\p{Script=Han}/u);
    expect(text, at).toMatch(/您|请|抱歉/);
    expect(text, at).not.toMatch(LEFTOVERS);
    expect(text, at).not.toMatch(STACK_TRACE);
    expect(text, at).not.toMatch(TRADITIONAL_ONLY);
    expect(text, at).not.toMatch(KANA);
    expect(text, at).not.toContain(TECHNICAL_ERROR);
    expect((reply as { locale?: string }).locale ?? 'zh-CN', at).toBe('zh-CN');
  }
}

describe('odd messages get a polite Chinese answer and the bot stays usable', () => {
  let target: MongoTarget;
  let app: RunningApp;
  beforeAll(async () => {
    target = await mongoTarget();
    app = await startApp(target.uri, target.dbName, {}, { productNlu: true });
  });
  afterAll(async () => {
    await app?.stop();
    await target?.stop();
  });

  const inputs: Array<{ what: string; activity: () => Record<string, unknown> }> = [
    { what: 'empty text', activity: () => ({ type: 'message', text: '' }) },
    { what: 'only whitespace', activity: () => ({ type: 'message', text: ' \t\n\u3000  ' }) },
    { what: 'only emoji', activity: () => ({ type: 'message', text: '😡😡😡' }) },
    { what: 'only punctuation', activity: () => ({ type: 'message', text: '？？？！！！。。。' }) },
    { what: 'a 10 KB message', activity: () => ({ type: 'message', text: textOfBytes('家里的宽带从昨天晚上开始就一直很卡，', 10 * 1024) }) },
    { what: 'a 100 KB message', activity: () => ({ type: 'message', text: textOfBytes('PPPoE 拨号日志 2026-11-22 10:00:01 连接超时 retry=3；', 100 * 1024) }) },
    { what: 'English', activity: () => ({ type: 'message', text: 'my internet is down' }) },
    { what: 'Japanese', activity: () => ({ type: 'message', text: 'インターネットが繋がりません' }) },
    { what: 'a message without text (attachment only)', activity: () => ({ type: 'message', attachments: [{ contentType: 'image/png', contentUrl: 'http://127.0.0.1:9/photo.png', name: 'photo.png' }] }) },
    {
      what: 'a conversationUpdate adding the customer (welcome)',
      activity: () => ({ type: 'conversationUpdate', membersAdded: [{ id: 'customer-1', name: '客户' }] }),
    },
  ];

  it.each(inputs)('$what → HTTP 200, a polite Simplified Chinese reply; a complaint afterwards still works', async ({ activity }) => {
    const chat = new CustomerChat(app.baseUrl);
    const started = Date.now();
    const turn = await chat.send({ id: 'odd-1', ...activity() });
    expect(Date.now() - started, 'answered promptly').toBeLessThan(MAX_TURN_MS);
    politeChinese(turn, 'the odd message');

    const next = await chat.say('宽带上不了网了');
    politeChinese(next, 'the complaint after it');
    // A fresh complaint, or the same one if the odd message already was one: either way, who is it?
    expect(next.slot).toBe('account');
    expect(next.last!.text).toContain('请提供您的宽带账号');
  });

  it('the welcome introduces the bot', async () => {
    const chat = new CustomerChat(app.baseUrl);
    const turn = await chat.send({ type: 'conversationUpdate', membersAdded: [{ id: 'customer-1', name: '客户' }] });
    expect(turn.text).toMatch(/您好[\s\S]*宽带投诉助手[\s\S]*请问遇到了什么情况/);
  });
});

describe('what is not an activity gets a 400 in the {error, message} shape', () => {
  let target: MongoTarget;
  let app: RunningApp;
  beforeAll(async () => {
    target = await mongoTarget();
    app = await startApp(target.uri, target.dbName, {}, { productNlu: true });
  });
  afterAll(async () => {
    await app?.stop();
    await target?.stop();
  });

  const activity = { type: 'message', text: '转人工', channelId: 'test', serviceUrl: 'http://127.0.0.1:9/unused', from: { id: 'c' }, recipient: { id: 'bot' } };

  it.each([
    { what: 'malformed JSON', body: '{"type":"message","text":"上不了网",' },
    { what: 'not JSON at all', body: 'text=上不了网' },
    { what: 'a JSON array', body: '[]' },
    { what: 'JSON null', body: 'null' },
    { what: 'a body without conversation', body: JSON.stringify(activity) },
    { what: 'a conversation without id', body: JSON.stringify({ ...activity, conversation: {} }) },
    { what: 'a body without type', body: JSON.stringify({ ...activity, type: undefined, conversation: { id: 'c-no-type' } }) },
  ])('$what → 400 {error, message}, nothing processed', async ({ body }) => {
    const before = await documentCounts(app);
    const res = await fetch(`${app.baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type') ?? '').toMatch(/application\/json/);
    const json = (await res.json()) as Record<string, unknown>;
    expect(typeof json.error, JSON.stringify(json)).toBe('string');
    expect(typeof json.message, JSON.stringify(json)).toBe('string');
    expect(String(json.message)).not.toMatch(STACK_TRACE);
    expect(await documentCounts(app)).toEqual(before);
  });
});

describe('with Bot Framework authentication on (MicrosoftAppId set)', () => {
  let target: MongoTarget;
  let app: RunningApp;
  beforeAll(async () => {
    target = await mongoTarget();
    app = await startApp(
      target.uri,
      target.dbName,
      { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'x' },
      { productNlu: true },
    );
  });
  afterAll(async () => {
    await app?.stop();
    await target?.stop();
  });

  const post = (headers: Record<string, string>) =>
    fetch(`${app.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        type: 'message',
        id: 'unauthenticated-1',
        text: '转人工',
        channelId: 'test',
        serviceUrl: 'http://127.0.0.1:9/unused',
        deliveryMode: 'expectReplies',
        conversation: { id: 'conv-unauthenticated' },
        from: { id: 'customer-1' },
        recipient: { id: 'bot' },
      }),
    });

  it.each<{ what: string; headers: Record<string, string> }>([
    { what: 'no Authorization header', headers: {} },
    { what: 'a bearer token that is not a Bot Framework token', headers: { authorization: 'Bearer abc.def.ghi' } },
  ])('$what → 401, no replies, nothing processed', async ({ headers }) => {
    const before = await documentCounts(app);
    const res = await post(headers);
    expect(res.status).toBe(401);
    const body = await res.text();
    expect(body).not.toContain('activities');
    expect(body).not.toContain('人工客服');
    expect(await documentCounts(app), 'no state, delivery record, outcome or ticket written').toEqual(before);
    expect(await app.services.storage.db.collection('inbound_deliveries').countDocuments()).toBe(0);
    expect(await app.services.storage.db.collection('bot_state').countDocuments()).toBe(0);
  });

  it('the 401 answer has the {error, message} shape of every other error (README, HTTP endpoints)', async () => {
    const res = await post({});
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type') ?? '').toMatch(/application\/json/);
    const json = (await res.json()) as unknown;
    expect(json, JSON.stringify(json)).toEqual({ error: expect.any(String), message: expect.any(String) });
  });
});

/** Documents per collection: a request that was not processed changes none of them. */
/** Documents per collection; empty collections are left out (services create theirs, with indexes, in the background). */
async function documentCounts(app: RunningApp): Promise<Record<string, number>> {
  const db = app.services.storage.db;
  const counts: Record<string, number> = {};
  for (const { name } of await db.listCollections().toArray()) {
    const count = await db.collection(name).countDocuments();
    if (count > 0) counts[name] = count;
  }
  return counts;
}
