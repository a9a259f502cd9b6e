import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-server.js';
import { FakeChannel } from '../support/fake-channel.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

const ADMIN = 'admin-token-0123456789';
const LI = 'agent-li-token-0123456789';
const WANG = 'agent-wang-token-0123456789';

let target: MongoTarget;
let app: RunningApp;
const channel = new FakeChannel();

beforeAll(async () => {
  target = await mongoTarget();
  await channel.start();
  app = await startApp(
    target.uri,
    target.dbName,
    { ADMIN_TOKEN: ADMIN, AGENT_TOKENS: `li:${LI},wang:${WANG}`, SERVICE_HOURS: '00:00-24:00' },
    { productNlu: true },
  );
});
afterAll(async () => {
  await app?.stop();
  await channel.stop();
  await target?.stop();
});

/** A customer on a Bot Framework channel: replies go to the channel's connector, not the HTTP answer. */
class ChannelCustomer {
  readonly conversationId = `bf-${randomUUID()}`;
  private n = 0;

  async say(text: string): Promise<number> {
    const res = await fetch(`${app.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `m${++this.n}`,
        text,
        channelId: 'msteams',
        serviceUrl: channel.url,
        conversation: { id: this.conversationId },
        from: { id: 'customer-7', name: '客户' },
        recipient: { id: 'bot', name: '宽带投诉助手' },
      }),
    });
    return res.status;
  }

  heard(): string[] {
    return channel.messagesTo(this.conversationId).map((d) => d.text ?? '');
  }
}

async function api(method: string, path: string, token: string | undefined, body?: unknown) {
  const res = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as any };
}

describe('a conversation handed to a person and back', () => {
  it('customer asks → queued → agent accepts → messages both ways → close → satisfaction', async () => {
    expect((await api('PUT', '/api/agent/status', LI, { status: 'online' })).body).toEqual({ agent: 'li', status: 'online' });
    const customer = new ChannelCustomer();

    // The customer tried the network flow first, then asked for a person.
    expect(await customer.say('宽带上不了网')).toBe(200);
    await channel.waitFor(customer.conversationId, '宽带账号');
    await customer.say('ad88000006');
    await channel.waitFor(customer.conversationId, '欧**娜');
    await customer.say('是的');
    await channel.waitFor(customer.conversationId, '错误代码');
    await customer.say('转人工');
    await channel.waitFor(customer.conversationId, '您前面还有 1 位');

    const queue = await api('GET', '/api/handoff/queue', LI);
    expect(queue.status).toBe(200);
    expect(queue.body.waiting).toContainEqual(
      expect.objectContaining({ conversationId: customer.conversationId, channel: 'msteams', intent: 'network.no_connection', category: 'network', account: 'ad88000006' }),
    );

    // While waiting, the customer hears where they stand.
    await customer.say('还要等多久');
    await channel.waitFor(customer.conversationId, '排在第 1 位');

    const accepted = await api('POST', `/api/handoff/${customer.conversationId}/accept`, LI);
    expect(accepted.status).toBe(200);
    expect(accepted.body.conversation).toMatchObject({ conversationId: customer.conversationId, status: 'active', agent: 'li' });
    expect(accepted.body.account).toMatchObject({ account: 'ad88000006', maskedHolder: '欧**娜', planMbps: 300 });
    expect(accepted.body.account.phone).toBeUndefined();
    expect(accepted.body.steps.map((s: { step: string }) => s.step)).toEqual(expect.arrayContaining(['核实宽带账号', '查询区域故障', '查询账户状态']));
    const inbound = accepted.body.transcript.filter((e: { direction: string }) => e.direction === 'inbound');
    expect(inbound.map((e: { text: string }) => e.text)).toEqual(['宽带上不了网', 'ad88000006', '是的', '转人工', '还要等多久']);
    expect(inbound[0].nlu).toMatchObject({ intent: 'network.no_connection' });
    expect(accepted.body.transcript.some((e: { sender: string; text: string }) => e.sender === 'bot' && e.text.includes('宽带账号'))).toBe(true);
    await channel.waitFor(customer.conversationId, '人工客服已接入');

    // A second agent cannot take it.
    const second = await api('POST', `/api/handoff/${customer.conversationId}/accept`, WANG);
    expect(second.status).toBe(409);
    expect(second.body.error).toBe('conflict');

    // The customer writes: the bot stays silent and the agent reads it in the transcript.
    const lastSeq = accepted.body.transcript.at(-1).seq;
    const heardBefore = customer.heard().length;
    await customer.say('我家里的网已经断了三天了');
    const fresh = await api('GET', `/api/handoff/${customer.conversationId}/transcript?after=${lastSeq}`, LI);
    expect(fresh.body.transcript.map((e: { text: string }) => e.text)).toEqual(['我家里的网已经断了三天了']);
    expect(customer.heard().length).toBe(heardBefore);

    // The agent answers; it reaches the customer on their own channel.
    expect((await api('POST', `/api/handoff/${customer.conversationId}/messages`, LI, { text: '您好，我是客服小李，马上为您安排师傅。' })).status).toBe(200);
    const relayed = await channel.waitFor(customer.conversationId, '客服小李');
    expect(relayed.channelData?.agent).toBe('li');
    expect((await api('POST', `/api/handoff/${customer.conversationId}/messages`, WANG, { text: '插话' })).status).toBe(409);

    // The agent opens a ticket for the conversation through the tickets API.
    const opened = await api('POST', '/api/tickets', LI, {
      conversationId: customer.conversationId,
      account: 'ad88000006',
      intent: 'network.no_connection',
      category: 'network',
      summary: '客户断网三天，人工核实后派单上门。',
    });
    expect(opened.status).toBe(201);
    expect(opened.body.ticket.number).toMatch(/^KD\d{8}-\d{4}$/);

    // Close: goodbye and the neutral satisfaction question; the answer is recorded.
    expect((await api('POST', `/api/handoff/${customer.conversationId}/close`, LI, { resolution: '已派单' })).status).toBe(200);
    const question = await channel.waitFor(customer.conversationId, '感受如何');
    expect(question.channelData?.slot).toBe('satisfaction');
    expect(question.inputHint).toBe('expectingInput');
    await customer.say('满意');
    await channel.waitFor(customer.conversationId, '感谢您的评价');
    expect((await app.services.outcomes.latest(customer.conversationId))?.satisfaction).toBe('satisfied');
    expect((await api('GET', '/api/handoff/queue', LI)).body.active).not.toContainEqual(expect.objectContaining({ conversationId: customer.conversationId }));

    // After the hand-off the bot talks again.
    await customer.say('网速慢');
    await channel.waitFor(customer.conversationId, '逐步排查');
  });

  it('with nobody online the customer leaves a number and gets a call-back ticket', async () => {
    await api('PUT', '/api/agent/status', LI, { status: 'offline' });
    await api('PUT', '/api/agent/status', WANG, { status: 'offline' });
    const customer = new ChannelCustomer();
    await customer.say('我要找人工客服');
    await channel.waitFor(customer.conversationId, '没有人工客服在线');
    await channel.waitFor(customer.conversationId, '手机号码');
    await customer.say('13912345678');
    const told = await channel.waitFor(customer.conversationId, '回电登记号');
    expect(told.text).toContain('139****5678');
    const [ticket] = await app.services.tickets.list({ conversationId: customer.conversationId });
    expect(ticket).toMatchObject({ category: 'callback', department: 'customer_service', evidence: { values: { contactPhone: '13912345678' } } });
  });

  it('a customer nobody picks up in time is told so and gets the same call-back', async () => {
    await api('PUT', '/api/agent/status', LI, { status: 'online' });
    const customer = new ChannelCustomer();
    await customer.say('转人工');
    await channel.waitFor(customer.conversationId, '您前面还有');
    // Ten minutes pass without an agent (HANDOFF_TIMEOUT_MIN is 5).
    await app.services.storage.db.collection('handoffs').updateOne({ _id: customer.conversationId as never }, { $set: { since: new Date(Date.now() - 10 * 60_000) } });
    expect(await app.services.handoff.sweep()).toBe(1);
    await channel.waitFor(customer.conversationId, '客服暂时都在忙');
    await channel.waitFor(customer.conversationId, '手机号码');
    await customer.say('13700001111');
    await channel.waitFor(customer.conversationId, '回电登记号');
    expect(await app.services.tickets.list({ conversationId: customer.conversationId, category: 'callback' })).toHaveLength(1);
    expect((await api('POST', `/api/handoff/${customer.conversationId}/accept`, LI)).status).toBe(409);
    await api('PUT', '/api/agent/status', LI, { status: 'offline' });
  });
});

describe('who may use the agent desk', () => {
  it('an agent token cannot use admin-only endpoints', async () => {
    expect((await api('POST', '/api/nlu/parse', LI, { text: '网速慢' })).status).toBe(403);
    expect((await api('POST', '/api/nlu/parse', ADMIN, { text: '网速慢' })).status).toBe(200);
  });

  it('without an agent token nobody reads a transcript or the queue', async () => {
    const customer = new ChannelCustomer();
    await customer.say('网速慢');
    for (const token of [undefined, 'not-a-token-at-all-000']) {
      const res = await api('GET', `/api/handoff/${customer.conversationId}/transcript`, token);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'unauthorized' });
      expect((await api('GET', '/api/handoff/queue', token)).status).toBe(401);
    }
  });

  it('the admin may watch the queue but does not take conversations', async () => {
    expect((await api('GET', '/api/handoff/queue', ADMIN)).status).toBe(200);
    expect((await api('PUT', '/api/agent/status', ADMIN, { status: 'online' })).status).toBe(403);
  });
});
