/**
 * The review page in Chromium against the real service: a reviewer signs in, sees an unsure customer
 * turn masked in its context, labels it, skips another, and the queue moves on without a reload.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-server.js';
import { ReviewQueue } from '../../src/review/review-queue.js';
import { launchChromium } from '../support/browser.js';
import { CustomerChat } from '../support/customer-chat.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

const ADMIN = 'admin-review-page-0123456789';

let target: MongoTarget;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  target = await mongoTarget();
  app = await startApp(target.uri, target.dbName, { ADMIN_TOKEN: ADMIN }, { productNlu: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await target?.stop();
});

describe('the review page', () => {
  it('labels one turn and skips another; personal data never reaches the page', async () => {
    const older = new CustomerChat(app.baseUrl);
    await older.say('帮我订一张去北京的机票');
    const chat = new CustomerChat(app.baseUrl);
    await chat.say('我电话13812345678，问一下今天天气怎么样');

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })).newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(String(err)));
    page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
    await page.goto(`${app.baseUrl}/review`);
    await page.locator('#token').fill(ADMIN);
    await page.getByRole('button', { name: '登录' }).click();

    // Newest first: the turn with the phone number, masked.
    await page.locator('#utterance').getByText('我电话<PHONE>，问一下今天天气怎么样').waitFor();
    expect(await page.locator('body').innerText()).not.toContain('13812345678');
    expect(await page.locator('#remaining').innerText()).toBe('待复核 2 条');
    expect(await page.locator('#label').isDisabled()).toBe(true);
    await page.getByRole('radio', { name: '无关（不属于宽带投诉）' }).click();
    await page.locator('#label').click();

    await page.locator('#utterance').getByText('帮我订一张去北京的机票').waitFor();
    expect(await page.locator('#remaining').innerText()).toBe('待复核 1 条');
    await page.getByRole('button', { name: '跳过' }).click();
    // Skipped turns come back at the end of the queue: here it is the only one left.
    await page.locator('.signal', { hasText: '曾跳过' }).waitFor();

    const decisions = await app.services.storage.db.collection('review_decisions').find().toArray();
    expect(decisions.map((d) => [d.action, d.intent, d.text, d.by]).sort()).toEqual([
      ['label', 'none', '我电话<PHONE>，问一下今天天气怎么样', 'admin'],
      ['skip', undefined, '帮我订一张去北京的机票', 'admin'],
    ]);

    // An import refused the label (npm run corpus:import-reviewed puts such turns back): the page says what it was.
    await new ReviewQueue(app.services.storage.db).requeue([decisions.find((d) => d.action === 'label')!._id as unknown as string]);
    await page.getByRole('button', { name: '跳过' }).click();
    await page.locator('#utterance').getByText('我电话<PHONE>，问一下今天天气怎么样').waitFor();
    expect(await page.locator('#bot-guess').innerText()).toContain('上次标注：无关（不属于宽带投诉）');
    expect(problems).toEqual([]);
  });

  it('a wrong token is told so and stays on the sign-in form', async () => {
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await page.goto(`${app.baseUrl}/review`);
    await page.locator('#token').fill('not-the-admin-token-000');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#notice').getByText('令牌无效').waitFor();
    expect(await page.locator('#sign-in').isVisible()).toBe(true);
  });
});
