/**
 * The web chat page's own care of its conversation, in Chromium against the real service: it renews
 * the token at half its lifetime and hands it to Web Chat's client (whose own renewal runs only every
 * 15 minutes), and when the conversation has expired it starts a new one and says so.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-server.js';
import { launchChromium } from '../support/browser.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

let target: MongoTarget;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  target = await mongoTarget();
  // The shortest token lifetime the settings allow: shorter than Web Chat's own 15-minute renewal.
  app = await startApp(target.uri, target.dbName, { DIRECTLINE_TOKEN_TTL_MIN: '5' }, { productNlu: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await target?.stop();
});

const BUBBLE = '.webchat__bubble__content';
const SEND_BOX = '[data-id="webchat-sendbox-input"]';

async function sees(page: Page, text: string | RegExp): Promise<void> {
  await page.locator(BUBBLE).filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
}

async function type(page: Page, text: string): Promise<void> {
  await page.locator(SEND_BOX).fill(text);
  await page.locator(SEND_BOX).press('Enter');
}

function savedConversation(page: Page): Promise<{ conversationId: string; token: string }> {
  return page.evaluate(() => JSON.parse(sessionStorage.getItem('broadband-chat.conversation') ?? 'null'));
}

describe('the web chat page keeps its conversation going', () => {
  it('renews the token at half its lifetime and Web Chat polls with the new one; the UI speaks Chinese', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    await context.clock.install();
    const page = await context.newPage();
    // The token Web Chat's client holds: the one it got when it joined the conversation.
    const joined = page.waitForResponse((res) => /\/v3\/directline\/conversations\/[^/?]+\?watermark=/.test(res.url()) && res.request().method() === 'GET');
    await page.goto(`${app.baseUrl}/`);
    await sees(page, /我是宽带投诉助手/);
    // Web Chat's own controls in zh-CN.
    await expect(page.getByRole('button', { name: '发送' }).count()).resolves.toBe(1);
    const before = await savedConversation(page);
    const clientToken = ((await (await joined).json()) as { token: string }).token;
    // Tokens name their expiry in whole seconds: let the service's clock pass the one it holds, so a
    // renewed token can be told apart from it.
    const expiresAt = JSON.parse(Buffer.from(clientToken.split('.')[0]!, 'base64url').toString()).e as number;
    await expect.poll(() => Math.floor(Date.now() / 1000) + 300 > expiresAt, { interval: 100 }).toBe(true);

    const renewal = page.waitForResponse((res) => res.url().endsWith('/v3/directline/tokens/refresh') && res.status() === 200);
    await page.clock.fastForward('02:40');
    const renewed = (await (await renewal).json()) as { token: string; conversationId: string };
    expect(renewed.conversationId).toBe(before.conversationId);
    expect(renewed.token).not.toBe(clientToken);

    // Web Chat's client polls with the renewed token, and a reload would resume with it.
    await page.waitForRequest(
      (req) => req.url().includes(`/conversations/${before.conversationId}/activities`) && req.headers().authorization === `Bearer ${renewed.token}`,
      { timeout: 15_000 },
    );
    expect(await savedConversation(page)).toEqual({ conversationId: before.conversationId, token: renewed.token });
    await type(page, '网速很慢');
    await sees(page, /请提供您的宽带账号/);
    await context.close();
  });

  it('an expired conversation is replaced by a new one, with a notice, and the customer carries on there', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    await page.goto(`${app.baseUrl}/`);
    await sees(page, /我是宽带投诉助手/);
    await type(page, '宽带上不了网');
    await sees(page, /请提供您的宽带账号/);
    const old = await savedConversation(page);

    // A day without a word: the conversation has expired while the page stayed open.
    await app.services.storage.db
      .collection('directline_conversations')
      .updateOne({ _id: old.conversationId as any }, { $set: { lastActive: new Date(Date.now() - 48 * 3600 * 1000) } });

    await page.getByRole('status').filter({ hasText: '本次对话已过期' }).waitFor({ timeout: 15_000 });
    await sees(page, /我是宽带投诉助手/);
    expect(await page.locator(BUBBLE).filter({ hasText: '宽带上不了网' }).count()).toBe(0);
    const fresh = await savedConversation(page);
    expect(fresh.conversationId).not.toBe(old.conversationId);

    await type(page, '网速很慢');
    await sees(page, /请提供您的宽带账号/);
    expect(await page.locator(SEND_BOX).getAttribute('placeholder')).toBe('请描述您遇到的宽带问题…');
    expect(errors).toEqual([]);
    await context.close();
  });
});
