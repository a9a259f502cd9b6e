/**
 * A turn slower than the passive window (the back office never answers; CARRIER_TIMEOUT_MS 1500 against
 * WECHAT_PASSIVE_REPLY_MS 300): WeChat gets `success` at once and the reply arrives later through the
 * customer-service API, once, even when WeChat retries meanwhile. And the channel switched off.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app-server.js';
import { mongoTarget, type MongoTarget } from '../../support/mongo-target.js';
import { FakeWeChatApi } from './support/fake-wechat-api.js';
import { newMsgId, WeChatFollower, type AccountSettings } from './support/wechat-follower.js';

const SETTINGS: AccountSettings = {
  token: 'slow-test-token',
  appId: 'wxfedcba0987654321',
  aesKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR',
  account: 'gh_slow0123456',
};
const SECRET = 'slow-test-secret';
const PASSIVE_MS = 300;
const BACK_OFFICE_TIMEOUT_MS = 1500;

let target: MongoTarget;
let app: RunningApp;
let silent: Server;
const api = new FakeWeChatApi(SETTINGS.appId, SECRET);

beforeAll(async () => {
  silent = createServer(() => undefined); // accepts and never answers
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  await api.start();
  target = await mongoTarget();
  app = await startApp(
    target.uri,
    target.dbName,
    {
      WECHAT_TOKEN: SETTINGS.token,
      WECHAT_APPID: SETTINGS.appId,
      WECHAT_SECRET: SECRET,
      WECHAT_API_BASE: api.url,
      WECHAT_PASSIVE_REPLY_MS: String(PASSIVE_MS),
      CARRIER_URL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      CARRIER_TIMEOUT_MS: String(BACK_OFFICE_TIMEOUT_MS),
    },
    { productNlu: true },
  );
});
afterAll(async () => {
  await app?.stop();
  await target?.stop();
  await api.stop();
  silent.closeAllConnections();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

describe('a turn slower than the passive window', () => {
  it('answers success within the window, then delivers the reply once through the customer-service API despite a retry', async () => {
    const f = new WeChatFollower(app.baseUrl, SETTINGS, 'oSlow-follower-1');
    expect((await f.say('宽带上不了网')).reply).toContain('宽带账号');

    const xml = f.textXml('ad88000006', newMsgId());
    const started = Date.now();
    const first = await f.post(xml);
    const waited = Date.now() - started;
    expect(first).toMatchObject({ status: 200, raw: 'success' });
    expect(waited).toBeLessThan(BACK_OFFICE_TIMEOUT_MS);
    expect(api.messagesTo(f.openId)).toHaveLength(0);

    // WeChat retries while the turn is still waiting for the back office.
    const retry = await f.post(xml);
    expect(retry).toMatchObject({ status: 200, raw: 'success' });

    const [late] = await api.waitFor(f.openId, /./, 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(BACK_OFFICE_TIMEOUT_MS);
    expect(late!.content.length).toBeGreaterThan(0);
    // A third delivery after the reply went out is still only `success`, and nothing is sent twice.
    expect(await f.post(xml)).toMatchObject({ status: 200, raw: 'success' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(api.messagesTo(f.openId)).toHaveLength(1);
    const inbound = await app.services.storage.db.collection('transcripts').countDocuments({ channel: 'wechat', direction: 'inbound', text: 'ad88000006' });
    expect(inbound).toBe(1);
  });

  it('a late reply WeChat refuses is kept and reaches the follower with their next message', async () => {
    const f = new WeChatFollower(app.baseUrl, SETTINGS, 'oSlow-follower-2');
    expect((await f.say('宽带上不了网')).reply).toContain('宽带账号');
    api.refusing = true;
    try {
      expect(await f.post(f.textXml('ad88000006', newMsgId()))).toMatchObject({ status: 200, raw: 'success' });
      for (let waited = 0; api.refused.length === 0; waited += 50) {
        if (waited > 10_000) throw new Error('the late reply was never sent');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      api.refusing = false;
    }
    const kept = api.refused[0]!;
    expect(api.messagesTo(f.openId)).toHaveLength(0);

    // The next turn's answer (passive, or through the API when that turn is slow too) leads with the kept reply.
    const next = await f.say('没有');
    const answer = next.reply ?? (await api.waitFor(f.openId, kept, 10_000))[0]!.content;
    expect(answer.startsWith(kept)).toBe(true);
  });
});

describe('the channel switched off', () => {
  it('without WECHAT_TOKEN /api/wechat answers 404 with an explanation', async () => {
    const offTarget = await mongoTarget();
    const off = await startApp(offTarget.uri, offTarget.dbName);
    try {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(`${off.baseUrl}/api/wechat`, { method, headers: { 'content-type': 'text/xml' }, ...(method === 'POST' ? { body: '<xml/>' } : {}) });
        expect(res.status).toBe(404);
        expect(await res.json()).toEqual({ error: 'not_found', message: expect.stringContaining('WECHAT_TOKEN') });
      }
    } finally {
      await off.stop();
      await offTarget.stop();
    }
  });
});
