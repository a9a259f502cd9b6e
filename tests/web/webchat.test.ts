/**
 * The customer web chat page in Chromium against the real service: Microsoft's Web Chat, served from the
 * installed package, on this service's Direct Line. A customer types a complaint, answers with the
 * suggested-action buttons, reaches a ticket, reloads and carries on in the same conversation.
 */
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-server.js';
import { launchChromium } from '../support/browser.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

let target: MongoTarget;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  target = await mongoTarget();
  app = await startApp(target.uri, target.dbName, {}, { productNlu: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await target?.stop();
});

/** A message bubble on screen (Web Chat also keeps hidden copies for screen readers). */
const BUBBLE = '.webchat__bubble__content';
const SEND_BOX = '[data-id="webchat-sendbox-input"]';

/** Types a line into Web Chat's send box and sends it with Enter, as a customer does. */
async function type(page: Page, text: string): Promise<void> {
  const input = page.locator(SEND_BOX);
  await input.fill(text);
  await input.press('Enter');
}

/** Waits until a message bubble shows `text`. */
async function sees(page: Page, text: string | RegExp): Promise<void> {
  await page.locator(BUBBLE).filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
}

async function clickSuggested(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: title, exact: true }).last().click({ timeout: 15_000 });
}

describe('the web chat page at /', () => {
  it('a complaint with buttons reaches a ticket, and a reload keeps the conversation', async () => {
    // A phone-sized screen: the page is for customers on their phones too.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(String(err)));
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    // Nothing may come from anywhere but this service (no CDN).
    const foreign: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(app.baseUrl) && !req.url().startsWith('data:') && !req.url().startsWith('blob:')) foreign.push(req.url());
    });

    await page.goto(`${app.baseUrl}/`);
    expect(await page.locator('.brand-name').textContent()).toBe('宽带在线客服');
    await sees(page, /我是宽带投诉助手/);

    await type(page, '家里宽带网速太慢了');
    await sees(page, /请提供您的宽带账号/);
    await type(page, 'ad88000006');
    await sees(page, /欧\*\*娜/);
    await clickSuggested(page, '是');
    await sees(page, /错误代码/);
    await type(page, '没有');
    await clickSuggested(page, '指示灯都正常');
    await sees(page, /网线是否插紧/);
    await clickSuggested(page, '还没解决');
    await sees(page, /断电/);
    await clickSuggested(page, '还没解决');
    await sees(page, /用网线把电脑直接连到光猫/);
    await type(page, '测了一下才15兆');
    await sees(page, /工单号 KD\d{8}-\d{4}/);

    const [ticket] = await app.services.tickets.list({ account: 'ad88000006' });
    expect(ticket).toBeDefined();
    expect(ticket!.channel).toBe('web');
    await sees(page, ticket!.number);

    // A reload: the same conversation, its history shown again, and it carries on (the satisfaction question).
    await page.reload();
    await sees(page, ticket!.number);
    await sees(page, '家里宽带网速太慢了');
    await clickSuggested(page, '满意');
    await sees(page, '感谢您的评价');
    expect(await app.services.tickets.list({ account: 'ad88000006' })).toHaveLength(1);

    expect(foreign).toEqual([]);
    expect(problems.filter((p) => !/favicon/i.test(p))).toEqual([]);
    await context.close();
  });

  it('serves the Web Chat bundle from the installed package with a Content-Security-Policy', async () => {
    const page = await fetch(`${app.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const bundle = await fetch(`${app.baseUrl}/chat/webchat.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect((await bundle.text()).length).toBeGreaterThan(1_000_000);
  });
});
