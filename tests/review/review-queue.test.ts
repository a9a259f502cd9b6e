/**
 * The review queue over the real API: turns the bot was unsure of (and those of a conversation whose
 * ticket an agent re-categorised) appear masked with their context; a reviewer labels, skips or
 * discards them; only admins may.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-server.js';
import { SLOW_LINE_TICKET } from '../support/complaint-scripts.js';
import { CustomerChat } from '../support/customer-chat.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';
import { converse } from '../support/conversation-checks.js';

const ADMIN = 'admin-review-token-0123456789';
const AGENT = 'agent-review-token-0123456789';

let target: MongoTarget;
let app: RunningApp;

beforeAll(async () => {
  target = await mongoTarget();
  app = await startApp(target.uri, target.dbName, { ADMIN_TOKEN: ADMIN, AGENT_TOKENS: `sun:${AGENT}` }, { productNlu: true });
});
afterAll(async () => {
  await app?.stop();
  await target?.stop();
});

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as any };
}

interface QueueItem {
  id: string;
  conversationId: string;
  text: string;
  signals: string[];
  intent?: string;
  suggestedIntent?: string;
  skipped: boolean;
  context: Array<{ sender: string; text: string; current: boolean }>;
}

const queue = async (): Promise<{ total: number; items: QueueItem[] }> => (await call('GET', '/api/review/queue?limit=50', ADMIN)).body;

describe('the review queue', () => {
  it('shows an unsure turn masked, in context; label, skip and unusable each do what they say', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await chat.say('宽带上不了网');
    await chat.say('我电话是13812345678，你们那个小盒子一直闪红灯怎么回事');
    await chat.say('今天天气怎么样');
    const mine = (await queue()).items.filter((i) => i.conversationId === chat.conversationId);
    expect(mine.length).toBeGreaterThanOrEqual(1);
    const weather = mine.find((i) => i.text === '今天天气怎么样')!;
    expect(weather.signals.length).toBeGreaterThan(0);
    const context = weather.context.map((c) => c.text).join('\n');
    expect(context).toContain('<PHONE>');
    expect(context).not.toContain('13812345678');
    expect(weather.context.find((c) => c.current)?.text).toBe('今天天气怎么样');

    expect((await call('POST', `/api/review/items/${encodeURIComponent(weather.id)}`, ADMIN, { action: 'label', intent: 'none' })).body).toMatchObject({
      decision: { action: 'label', intent: 'none', text: '今天天气怎么样' },
    });
    expect((await queue()).items.map((i) => i.id)).not.toContain(weather.id);

    const other = new CustomerChat(app.baseUrl);
    await other.say('明天会下雨吗');
    await other.say('那后天呢');
    const [first, second] = (await queue()).items.filter((i) => i.conversationId === other.conversationId);
    await call('POST', `/api/review/items/${encodeURIComponent(first!.id)}`, ADMIN, { action: 'skip' });
    await call('POST', `/api/review/items/${encodeURIComponent(second!.id)}`, ADMIN, { action: 'unusable' });
    const after = (await queue()).items;
    // Skipped: still there, behind everything not yet looked at. Unusable: gone.
    expect(after.at(-1)).toMatchObject({ id: first!.id, skipped: true });
    expect(after.map((i) => i.id)).not.toContain(second!.id);
  });

  it('an agent re-categorising the ticket sends its turns to the queue with the agent’s intent', async () => {
    const chat = new CustomerChat(app.baseUrl);
    // The holder's name typed bare after the account id: only the back office knows it is a name.
    await converse(chat, SLOW_LINE_TICKET.map((row, i) => (i === 1 ? ['ad88000006 欧阳娜娜', row[1]] : row)) as typeof SLOW_LINE_TICKET);
    const [ticket] = await app.services.tickets.list({ conversationId: chat.conversationId });
    const patched = await call('PATCH', `/api/tickets/${ticket!.number}`, AGENT, { intent: 'business.video_game_lag', note: '客户其实是看视频卡' });
    expect(patched.status).toBe(200);
    expect(patched.body.ticket).toMatchObject({ intent: 'business.video_game_lag', category: 'business' });
    expect(patched.body.ticket.history.at(-2)).toMatchObject({ action: 'recategorise', from: 'network.slow', to: 'business.video_game_lag', by: 'sun' });

    const flagged = (await queue()).items.filter((i) => i.conversationId === chat.conversationId);
    expect(flagged.map((i) => i.text)).toContain('网速太慢了');
    const item = flagged.find((i) => i.text === '网速太慢了')!;
    expect(item).toMatchObject({ signals: ['recategorised'], suggestedIntent: 'business.video_game_lag', intent: 'network.slow' });
    const context = item.context.map((c) => c.text);
    expect(context).toContain('<ACCOUNT> <NAME>');
    expect(context.join('\n')).not.toMatch(/欧阳|ad88000006/);

    // Labelled, then imported into the corpus: the label can no longer change here.
    const id = encodeURIComponent(item.id);
    expect((await call('POST', `/api/review/items/${id}`, ADMIN, { action: 'label', intent: 'business.video_game_lag' })).status).toBe(200);
    await app.services.storage.db.collection('review_decisions').updateOne({ _id: item.id as never }, { $set: { importedAt: new Date() } });
    const again = await call('POST', `/api/review/items/${id}`, ADMIN, { action: 'label', intent: 'network.slow' });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('already taken by npm run corpus:import-reviewed');
  });

  it('bad decisions get 400, unknown items 404, and only admins may review', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await chat.say('今天天气怎么样');
    const item = (await queue()).items.find((i) => i.conversationId === chat.conversationId)!;
    const path = `/api/review/items/${encodeURIComponent(item.id)}`;
    expect((await call('POST', path, ADMIN, { action: 'label', intent: 'weather' })).status).toBe(400);
    expect((await call('POST', path, ADMIN, { action: 'label' })).status).toBe(400);
    expect((await call('POST', path, ADMIN, { action: 'approve' })).status).toBe(400);
    expect((await call('POST', `/api/review/items/${encodeURIComponent('nobody#1')}`, ADMIN, { action: 'skip' })).status).toBe(404);
    expect((await call('GET', '/api/review/queue', AGENT)).status).toBe(403);
    expect((await call('POST', path, AGENT, { action: 'skip' })).status).toBe(403);
    expect((await fetch(`${app.baseUrl}/api/review/queue`)).status).toBe(401);
  });
});
