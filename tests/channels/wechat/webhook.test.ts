/**
 * The WeChat Official Account channel end to end: the real app on a socket, real storage and the
 * product NLU; only WeChat's own API server is faked (support/fake-wechat-api.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app-server.js';
import { mongoTarget, type MongoTarget } from '../../support/mongo-target.js';
import { FakeWeChatApi } from './support/fake-wechat-api.js';
import { newMsgId, verificationQuery, WeChatFollower, type AccountSettings } from './support/wechat-follower.js';

const SETTINGS: AccountSettings = {
  token: 'wechat-test-token',
  appId: 'wx1234567890abcdef',
  aesKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR',
  account: 'gh_0123456789ab',
};
const SECRET = 'wechat-test-secret';
const LI = 'agent-li-token-0123456789';

let target: MongoTarget;
let app: RunningApp;
const api = new FakeWeChatApi(SETTINGS.appId, SECRET);
let followers = 0;

beforeAll(async () => {
  target = await mongoTarget();
  await api.start();
  app = await startApp(
    target.uri,
    target.dbName,
    {
      WECHAT_TOKEN: SETTINGS.token,
      WECHAT_APPID: SETTINGS.appId,
      WECHAT_AES_KEY: SETTINGS.aesKey,
      WECHAT_SECRET: SECRET,
      WECHAT_API_BASE: `${api.url}/`,
      AGENT_TOKENS: `li:${LI}`,
      SERVICE_HOURS: '00:00-24:00',
    },
    { productNlu: true },
  );
});
afterAll(async () => {
  await app?.stop();
  await api.stop();
  await target?.stop();
});

function follower(mode: 'plain' | 'aes' = 'plain'): WeChatFollower {
  return new WeChatFollower(app.baseUrl, SETTINGS, `oXyZ-follower-${process.pid}-${++followers}`, mode);
}

/** Everything the service stored about its conversations: the follower's OpenID must be in none of it. */
async function transcriptOf(openIdOrConversation: string) {
  const entries = await app.services.storage.db.collection('transcripts').find({}).toArray();
  return entries.filter((e) => JSON.stringify(e).includes(openIdOrConversation));
}

async function inboundCount(): Promise<number> {
  return app.services.storage.db.collection('transcripts').countDocuments({ channel: 'wechat', direction: 'inbound' });
}

async function conversationIdOf(f: WeChatFollower): Promise<string> {
  const record = await app.services.storage.db.collection<{ _id: string; openId: string }>('wechat_followers').findOne({ openId: f.openId });
  if (!record) throw new Error('follower not recorded');
  return record._id;
}

async function agent(method: string, path: string, body?: unknown) {
  const res = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${LI}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as any };
}

describe('URL verification (GET)', () => {
  it('echoes echostr when signed with the token; refuses a bad signature (401) and a stale timestamp (403)', async () => {
    const ok = await fetch(`${app.baseUrl}/api/wechat?${verificationQuery(SETTINGS.token)}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('5837397520665436492');

    const forged = await fetch(`${app.baseUrl}/api/wechat?${verificationQuery(SETTINGS.token, { badSignature: true })}`);
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: 'unauthorized' });

    const old = String(Math.floor(Date.now() / 1000) - 301);
    const stale = await fetch(`${app.baseUrl}/api/wechat?${verificationQuery(SETTINGS.token, { timestamp: old })}`);
    expect(stale.status).toBe(403);
    expect((await stale.json()).message).toMatch(/5 minutes/);
  });
});

describe('messages and events', () => {
  it('plain mode: a text message gets a passive text reply addressed back to the follower', async () => {
    const f = follower();
    const answer = await f.say('网速慢');
    expect(answer.status).toBe(200);
    expect(answer.fields).toMatchObject({ ToUserName: f.openId, FromUserName: SETTINGS.account, MsgType: 'text' });
    expect(answer.reply).toMatch(/宽带账号|逐步排查/);
    // The conversation is the follower's hashed id; the OpenID itself is stored nowhere in transcripts.
    const conversationId = await conversationIdOf(f);
    expect(conversationId).toMatch(/^wechat-[0-9a-f]{32}$/);
    expect(await transcriptOf(f.openId)).toHaveLength(0);
    expect((await transcriptOf(conversationId)).map((e) => e.text)).toContain('网速慢');
  });

  it('safe mode: the encrypted message is read and the reply comes back encrypted and signed', async () => {
    const f = follower('aes');
    const answer = await f.say('宽带上不了网');
    expect(answer.status).toBe(200);
    expect(answer.raw).toContain('<Encrypt>');
    expect(answer.raw).not.toContain('宽带账号');
    expect(answer.fields).toMatchObject({ ToUserName: f.openId, MsgType: 'text' });
    expect(answer.reply).toContain('宽带账号');
  });

  it('a bad signature (401) or a stale timestamp (403) is refused and nothing is processed', async () => {
    for (const mode of ['plain', 'aes'] as const) {
      const f = follower(mode);
      const before = await inboundCount();
      const forged = await f.post(f.textXml('网速慢'), { tamper: 'signature' });
      expect(forged.status).toBe(401);
      expect(JSON.parse(forged.raw)).toMatchObject({ error: 'unauthorized' });
      const stale = await f.post(f.textXml('网速慢'), { timestamp: String(Math.floor(Date.now() / 1000) - 600) });
      expect(stale.status).toBe(403);
      expect(await inboundCount()).toBe(before);
      expect(await app.services.storage.db.collection('wechat_followers').countDocuments({ openId: f.openId })).toBe(0);
    }
  });

  it('a new follower gets the welcome; a menu button starts the complaint it names; an unknown button gets help', async () => {
    const f = follower();
    const welcome = await f.post(f.eventXml('subscribe'));
    expect(welcome.reply).toBe(app.services.content.texts.welcome);
    const click = await f.post(f.eventXml('CLICK', 'REPORT_NO_CONNECTION'));
    expect(click.reply).toContain('宽带账号');
    const unknown = await f.post(f.eventXml('CLICK', 'NO_SUCH_KEY'));
    expect(unknown.reply).toBe(app.services.content.texts.help);
    const unsubscribe = await f.post(f.eventXml('unsubscribe'));
    expect(unsubscribe).toMatchObject({ status: 200, raw: 'success' });
  });

  it('a picture gets a polite text-only answer', async () => {
    const f = follower();
    const answer = await f.post(f.envelope(`<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://example.invalid/p.jpg]]></PicUrl><MsgId>${newMsgId()}</MsgId>`));
    expect(answer.reply).toMatch(/^抱歉.*文字/);
  });
});

describe('bad input gets a clear answer and nothing is processed', () => {
  it('an XXE payload is refused (400), never expanded', async () => {
    const f = follower();
    const before = await inboundCount();
    const payload = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY leak SYSTEM "file:///etc/passwd">]>${f.envelope(`<MsgType>text</MsgType><Content>&leak;</Content><MsgId>${newMsgId()}</MsgId>`)}`;
    const answer = await f.post(payload);
    expect(answer.status).toBe(400);
    expect(answer.raw).not.toContain('root:');
    expect(JSON.parse(answer.raw).message).toMatch(/document type/);
    expect(await inboundCount()).toBe(before);
  });

  it('malformed XML, an empty body and a JSON body get 400; a 100 KB body gets 413', async () => {
    const f = follower();
    const before = await inboundCount();
    const malformed = await f.post('<xml><Content>网速慢</xml>');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.raw).message).toMatch(/malformed XML/);
    expect((await f.post('')).status).toBe(400);
    expect((await f.post('{"text":"网速慢"}', { contentType: 'application/json' })).status).toBe(400);
    const huge = await f.post(f.textXml('慢'.repeat(35_000)));
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.raw)).toMatchObject({ error: 'payload_too_large' });
    expect(await inboundCount()).toBe(before);
  });
});

describe('retries', () => {
  it('MsgIds beyond 2^53 that differ only in the last digit are two messages', async () => {
    const f = follower();
    const first = '9007199254740993001';
    const second = '9007199254740993002';
    expect(Number(first)).toBe(Number(second));
    await f.say('网速慢', first);
    await f.say('网速很慢', second);
    const texts = (await transcriptOf(await conversationIdOf(f))).filter((e) => e.direction === 'inbound').map((e) => e.text);
    expect(texts).toEqual(['网速慢', '网速很慢']);
  });

  it('numbered choices answered by number reach a ticket; WeChat retrying the last message runs it once, opens one ticket and gets the same reply', async () => {
    const f = follower();
    const said = async (text: string) => (await f.say(text)).reply ?? '';
    expect(await said('宽带上不了网')).toContain('宽带账号');
    const confirm = await said('ad88000006');
    expect(confirm).toContain('欧**娜');
    expect(confirm).toContain('回复 1：是');
    expect(confirm).toContain('回复 2：不是');
    expect(await said('1')).toMatch(/错误代码/);
    const lights = await said('没有');
    expect(lights).toContain('回复 1：指示灯都正常');
    expect(await said('1')).toContain('网线');
    const resolved = await said('2');
    expect(resolved).toContain('断电');
    expect(await said('2')).toContain('浏览器缓存');

    // The last answer is delivered four times (WeChat's three retries), partly at once.
    const msgId = newMsgId();
    const xml = f.textXml('2', msgId);
    const answers = await Promise.all([f.post(xml), f.post(xml)]);
    answers.push(await f.post(xml), await f.post(xml));
    const conversationId = await conversationIdOf(f);
    const tickets = await app.services.tickets.list({ conversationId });
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ account: 'ad88000006', category: 'network' });
    const replies = answers.map((a) => a.reply);
    expect(replies[0]).toMatch(/工单号 KD\d{8}-\d{4}/);
    expect(new Set(replies).size).toBe(1);
    const inbound = (await transcriptOf(conversationId)).filter((e) => e.direction === 'inbound');
    expect(inbound.filter((e) => e.text === '2')).toHaveLength(3); // the two choices before, and this one once
  });

  it('a retried subscribe event (same follower, same CreateTime) is welcomed once', async () => {
    const f = follower();
    const xml = f.eventXml('subscribe');
    const first = await f.post(xml);
    const again = await f.post(xml);
    expect(again.reply).toBe(first.reply);
    const outbound = (await transcriptOf(await conversationIdOf(f))).filter((e) => e.direction === 'outbound');
    expect(outbound).toHaveLength(1);
  });
});

describe('agent hand-off over the customer-service API', () => {
  it("the agent's words reach the follower through the API, a long message split into parts of at most 2048 bytes", async () => {
    expect((await agent('PUT', '/api/agent/status', { status: 'online' })).status).toBe(200);
    const f = follower('aes');
    expect((await f.say('转人工')).reply).toContain('您前面还有');
    const conversationId = await conversationIdOf(f);
    expect((await agent('POST', `/api/handoff/${conversationId}/accept`)).status).toBe(200);
    await api.waitFor(f.openId, '人工客服已接入');

    // While the agent has the conversation the bot is silent: WeChat just gets `success`.
    expect(await f.say('我家里的网已经断了三天了')).toMatchObject({ status: 200, raw: 'success' });

    const long = Array.from({ length: 40 }, (_, i) => `第${i + 1}条：您好，我是客服小李，我们已经查到您所在小区的线路问题，师傅今天下午会上门。`).join('\n').slice(0, 2000);
    expect(Buffer.byteLength(long)).toBeGreaterThan(2048 * 2);
    const heardBefore = api.messagesTo(f.openId).length;
    expect((await agent('POST', `/api/handoff/${conversationId}/messages`, { text: long })).status).toBe(200);
    const all = await api.waitFor(f.openId, long.slice(-20));
    const parts = all.slice(heardBefore);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) {
      expect(part.bytes).toBeLessThanOrEqual(2048);
      expect(part.msgtype).toBe('text');
    }
    expect(parts.map((p) => p.content).join('')).toBe(long);

    // One token served every message (cached and shared through MongoDB).
    expect(api.tokenFetches).toBe(1);
    const stored = await app.services.storage.db.collection('wechat_access_tokens').findOne({ _id: SETTINGS.appId as never });
    expect(stored).toMatchObject({ token: 'token-1' });

    // WeChat retires the token (40001): it is fetched again once and the message still arrives.
    api.revokeTokens();
    expect((await agent('POST', `/api/handoff/${conversationId}/messages`, { text: '师傅已经出发了。' })).status).toBe(200);
    const after = await api.waitFor(f.openId, '师傅已经出发了');
    expect(after.at(-1)!.token).toBe('token-2');
    expect(api.tokenFetches).toBe(2);

    expect((await agent('POST', `/api/handoff/${conversationId}/close`, { resolution: '已安排上门' })).status).toBe(200);
    await api.waitFor(f.openId, '感受如何');
    await agent('PUT', '/api/agent/status', { status: 'offline' });
  });
});
