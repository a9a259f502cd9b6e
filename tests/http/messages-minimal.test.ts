import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-server.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

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

describe('POST /api/messages with a hand-written activity', () => {
  it('an activity without channelId, from or recipient is still answered as a complaint', async () => {
    const res = await fetch(`${app.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: '宽带上不了网', conversation: { id: 'bare-1' }, deliveryMode: 'expectReplies' }),
    });
    expect(res.status).toBe(200);
    const { activities } = (await res.json()) as { activities: Array<{ text: string; channelData?: { slot?: string } }> };
    expect(activities.at(-1)?.channelData?.slot).toBe('account');
    expect(activities.map((a) => a.text).join('')).toContain('宽带账号');
  });
});
