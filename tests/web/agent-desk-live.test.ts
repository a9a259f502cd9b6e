/**
 * The agent desk page against the real service: a customer on a Bot Framework channel asks for a
 * person, an agent works the conversation in Chromium, and what they type reaches the customer.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-server.js';
import { launchChromium } from '../support/browser.js';
import { FakeChannel } from '../support/fake-channel.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

const TOKEN = 'agent-zhang-token-0123456789';

let target: MongoTarget;
let app: RunningApp;
let browser: Browser;
const channel = new FakeChannel();

beforeAll(async () => {
  target = await mongoTarget();
  await channel.start();
  app = await startApp(target.uri, target.dbName, { AGENT_TOKENS: `小张:${TOKEN}`, SERVICE_HOURS: '00:00-24:00' }, { productNlu: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await channel.stop();
  await target?.stop();
});

async function customerSays(conversationId: string, id: string, text: string): Promise<void> {
  const res = await fetch(`${app.baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id,
      text,
      channelId: 'msteams',
      serviceUrl: channel.url,
      conversation: { id: conversationId },
      from: { id: 'customer-42' },
      recipient: { id: 'bot' },
    }),
  });
  expect(res.status).toBe(200);
}

describe('agent desk on the real service', () => {
  it('an agent goes online, accepts a waiting customer, reads the context, replies and closes', async () => {
    const page: Page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(String(err)));

    await page.goto(`${app.baseUrl}/agent`);
    await page.locator('#token-input').fill(TOKEN);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('button', { name: '上线' }).click();
    await expect.poll(() => page.locator('#presence').textContent()).toBe('在线');

    const conversationId = `live-${randomUUID()}`;
    await customerSays(conversationId, 'a1', '宽带上不了网');
    await channel.waitFor(conversationId, '宽带账号');
    await customerSays(conversationId, 'a2', 'ad88000006');
    await channel.waitFor(conversationId, '欧**娜');
    await customerSays(conversationId, 'a3', '是的');
    await channel.waitFor(conversationId, '错误代码');
    await customerSays(conversationId, 'a4', '转人工');
    await channel.waitFor(conversationId, '您前面还有 1 位');

    // The queue updates without a reload.
    const row = page.locator(`#waiting-list li[data-id="${conversationId}"]`);
    await row.waitFor({ timeout: 8_000 });
    expect(await row.innerText()).toContain('ad88000006');
    await row.getByRole('button', { name: '接入' }).click();
    await page.locator('#view-conversation').waitFor();
    await channel.waitFor(conversationId, '人工客服已接入');

    const context = await page.locator('#context').innerText();
    expect(context).toContain('ad88000006');
    expect(context).toContain('查询区域故障');
    expect(await page.locator('#transcript .msg-customer .bubble').allTextContents()).toEqual(['宽带上不了网', 'ad88000006', '是的', '转人工']);

    // The customer writes; it appears on the desk by polling.
    await customerSays(conversationId, 'a5', '家里光猫的灯一直闪红的');
    await page.locator('#transcript .msg-customer .bubble', { hasText: '光猫的灯一直闪红的' }).waitFor({ timeout: 8_000 });

    await page.locator('#reply-input').fill('您好，光纤可能断了，我马上安排师傅上门。');
    await page.getByRole('button', { name: '发送' }).click();
    const relayed = await channel.waitFor(conversationId, '安排师傅上门');
    expect(relayed.channelData?.agent).toBe('小张');

    await page.getByRole('button', { name: '结束会话' }).click();
    await page.locator('#resolution-input').fill('已安排上门');
    await page.getByRole('button', { name: '确认结束' }).click();
    await page.locator('#view-queue').waitFor();
    const question = await channel.waitFor(conversationId, '感受如何');
    expect(question.channelData?.slot).toBe('satisfaction');
    expect(errors).toEqual([]);
  });
});
