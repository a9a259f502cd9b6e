/**
 * This service's Direct Line 3.0 (polling) over a real socket, as Web Chat's client uses it: start,
 * post (echoed with its clientActivityID), poll with a watermark, resume, refresh; tokens bound to one
 * conversation; an agent's words queued for the next poll; a poll that never kills the client.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app-server.js';
import { mongoTarget, type MongoTarget } from '../../support/mongo-target.js';

const AGENT = 'agent-zhao-token-0123456789';

let target: MongoTarget;
let app: RunningApp;

beforeAll(async () => {
  target = await mongoTarget();
  app = await startApp(target.uri, target.dbName, { AGENT_TOKENS: `zhao:${AGENT}`, SERVICE_HOURS: '00:00-24:00' }, { productNlu: true });
});
afterAll(async () => {
  await app?.stop();
  await target?.stop();
});

interface DLActivity {
  id: string;
  type: string;
  text?: string;
  timestamp: string;
  replyToId?: string;
  from: { id: string; role?: string };
  channelData?: { clientActivityID?: string };
  suggestedActions?: { actions: Array<{ title: string; value: string }> };
}

async function call(method: string, path: string, token?: string, body?: unknown, raw?: string) {
  const res = await fetch(`${app.baseUrl}/v3/directline${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(raw !== undefined ? { body: raw } : body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as any };
}

/** A Web Chat client: keeps the watermark and everything it has received, as botframework-directlinejs does. */
class WebChatClient {
  conversationId = '';
  token = '';
  watermark = '';
  readonly received: DLActivity[] = [];
  async start(): Promise<void> {
    const started = await call('POST', '/conversations', undefined, { user: { id: 'dl_user' }, locale: 'zh-CN' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ conversationId: expect.any(String), token: expect.any(String), expires_in: expect.any(Number) });
    this.conversationId = started.body.conversationId;
    this.token = started.body.token;
  }

  async post(text: string, clientActivityID = `client-${randomUUID()}`) {
    return call('POST', `/conversations/${this.conversationId}/activities`, this.token, {
      type: 'message',
      text,
      from: { id: 'dl_user', name: '客户' },
      locale: 'zh-CN',
      channelData: { clientActivityID },
    });
  }

  async poll(): Promise<DLActivity[]> {
    const res = await call('GET', `/conversations/${this.conversationId}/activities?watermark=${this.watermark}`, this.token);
    expect(res.status).toBe(200);
    this.watermark = res.body.watermark;
    this.received.push(...res.body.activities);
    return res.body.activities;
  }

  /** Polls until the bot has said something matching `pattern`; returns the bot's new messages. */
  async until(pattern: RegExp | string, timeoutMs = 10_000): Promise<DLActivity[]> {
    const started = Date.now();
    const fresh: DLActivity[] = [];
    for (;;) {
      fresh.push(...(await this.poll()).filter((a) => a.from.role === 'bot' && a.type === 'message'));
      const text = fresh.map((a) => a.text ?? '').join('\n');
      if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) return fresh;
      if (Date.now() - started > timeoutMs) throw new Error(`the bot never said ${String(pattern)}; heard ${JSON.stringify(text)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('Direct Line 3.0 for the web chat page', () => {
  it('start → welcome; post → echo with the client id; replies stamped with id, timestamp, replyToId and buttons', async () => {
    const client = new WebChatClient();
    await client.start();
    const [welcome] = await client.until('宽带投诉助手');
    expect(welcome!.replyToId).toBeUndefined();

    const posted = await client.post('宽带上不了网', 'c-42');
    expect(posted.status).toBe(200);
    const replies = await client.until('宽带账号');
    const echo = client.received.find((a) => a.id === posted.body.id)!;
    expect(echo).toMatchObject({ type: 'message', text: '宽带上不了网', channelData: { clientActivityID: 'c-42' }, from: { id: 'dl_user', role: 'user' } });
    for (const reply of replies) {
      expect(reply.id).toMatch(new RegExp(`^${client.conversationId}\\|\\d{7}$`));
      expect(Number.isNaN(Date.parse(reply.timestamp))).toBe(false);
      expect(reply.replyToId).toBe(echo.id);
    }
    // Ids and watermarks grow in order; a poll from the last watermark has nothing new.
    const ids = client.received.map((a) => a.id);
    expect([...ids].sort()).toEqual(ids);
    expect(await client.poll()).toEqual([]);

    await client.post('ad88000006');
    const [confirm] = await client.until('欧**娜');
    expect(confirm!.suggestedActions?.actions.map((a) => a.title)).toEqual(['是', '不是']);
  });

  it('a re-posted activity (same clientActivityID) is taken once', async () => {
    const client = new WebChatClient();
    await client.start();
    const first = await client.post('网速很慢', 'same');
    const again = await client.post('网速很慢', 'same');
    expect(again.body.id).toBe(first.body.id);
    await client.until('宽带账号');
    expect(client.received.filter((a) => a.text === '网速很慢')).toHaveLength(1);
    expect(client.received.filter((a) => a.from.role === 'bot' && a.text?.includes('宽带账号'))).toHaveLength(1);
  });

  it('a reload resumes: the same conversation with a fresh token, history replayed from the start', async () => {
    const client = new WebChatClient();
    await client.start();
    await client.post('网速很慢');
    await client.until('宽带账号');

    const resumed = await call('GET', `/conversations/${client.conversationId}?watermark=`, client.token);
    expect(resumed.status).toBe(200);
    expect(resumed.body.conversationId).toBe(client.conversationId);
    const refreshed = await call('POST', '/tokens/refresh', client.token);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.conversationId).toBe(client.conversationId);

    const reloaded = new WebChatClient();
    Object.assign(reloaded, { conversationId: client.conversationId, token: refreshed.body.token });
    const history = await reloaded.poll();
    expect(history.map((a) => a.text)).toEqual(client.received.map((a) => a.text));
    // …and the conversation carries on where it was: the bot still waits for the account.
    await reloaded.post('ad88000006');
    await reloaded.until('欧**娜');
  });

  it('tokens open only their own conversation; forged, missing and expired tokens get 403', async () => {
    const alice = new WebChatClient();
    const bob = new WebChatClient();
    await alice.start();
    await bob.start();
    await alice.post('我家宽带上不了网，手机号 13812345678');

    const stolen = await call('GET', `/conversations/${alice.conversationId}/activities?watermark=`, bob.token);
    expect(stolen.status).toBe(403);
    expect(JSON.stringify(stolen.body)).not.toContain('13812345678');
    expect((await call('POST', `/conversations/${alice.conversationId}/activities`, bob.token, { type: 'message', text: 'x' })).status).toBe(403);
    expect((await call('GET', `/conversations/${alice.conversationId}/activities`, undefined)).status).toBe(403);

    const [payload, signature] = alice.token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ c: alice.conversationId, e: 4_000_000_000 })).toString('base64url');
    expect((await call('GET', `/conversations/${alice.conversationId}/activities`, `${forgedPayload}.${signature}`)).status).toBe(403);
    const expiredPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), e: 1 })).toString('base64url');
    expect((await call('POST', '/tokens/refresh', `${expiredPayload}.${signature}`)).status).toBe(403);
  });

  it('bad input gets a clear 4xx and the conversation goes on', async () => {
    const client = new WebChatClient();
    await client.start();
    const malformed = await call('POST', `/conversations/${client.conversationId}/activities`, client.token, undefined, '{"type":"message","text":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toContain('JSON');
    const wrongShape = await call('POST', `/conversations/${client.conversationId}/activities`, client.token, { type: 'invoke' });
    expect(wrongShape.status).toBe(400);
    const empty = await call('POST', `/conversations/${client.conversationId}/activities`, client.token, { type: 'message', text: '  ' });
    expect(empty).toMatchObject({ status: 400, body: { error: 'bad_request', message: expect.stringContaining('text') } });
    // None of the refused ones reached the conversation.
    expect((await client.poll()).filter((a) => a.from.role === 'user')).toEqual([]);

    const big = await client.post('网速慢'.repeat(34_000)); // about 100 KB of UTF-8
    expect(big.status).toBe(200);
    const emoji = await client.post('😡😡😡');
    expect(emoji.status).toBe(200);
    const replies = await client.until(/[\p{Script=Han}]/u);
    expect(replies.length).toBeGreaterThan(0);
  });

  it('an unknown or expired conversation answers 404 (Web Chat ends it and the page starts anew)', async () => {
    const client = new WebChatClient();
    await client.start();
    await client.until('宽带投诉助手');
    await app.services.storage.db.collection('directline_conversations').updateOne(
      { _id: client.conversationId as any },
      { $set: { lastActive: new Date(Date.now() - 48 * 3600 * 1000) } },
    );
    expect((await call('GET', `/conversations/${client.conversationId}/activities?watermark=`, client.token)).status).toBe(404);
    expect((await call('POST', '/tokens/refresh', client.token)).status).toBe(404);
  });

  it("an agent's words are queued for the customer's next poll", async () => {
    const agent = (method: string, path: string, body?: unknown) =>
      fetch(`${app.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${AGENT}` },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await agent('PUT', '/api/agent/status', { status: 'online' })).status).toBe(200);
    const client = new WebChatClient();
    await client.start();
    await client.post('转人工');
    await client.until('正在为您转接人工客服');

    const conversationId = client.conversationId;
    expect((await agent('POST', `/api/handoff/${encodeURIComponent(conversationId)}/accept`)).status).toBe(200);
    await client.until('人工客服');
    expect((await agent('POST', `/api/handoff/${encodeURIComponent(conversationId)}/messages`, { text: '您好，我是客服小赵，请问哪里不通？' })).status).toBe(200);
    const [words] = await client.until('我是客服小赵');
    expect(words!.replyToId).toBeUndefined();
  });
});
