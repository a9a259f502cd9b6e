/**
 * The operations dashboard in Chromium against the real service: an admin signs in, the headline
 * numbers are the API's, the charts are drawn (chart.js served by this service), the range can change.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-server.js';
import { launchChromium } from '../support/browser.js';
import { converse } from '../support/conversation-checks.js';
import { OUTAGE_EXPLAINED, SLOW_LINE_TICKET } from '../support/complaint-scripts.js';
import { CustomerChat } from '../support/customer-chat.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

const ADMIN = 'admin-dashboard-0123456789';

let target: MongoTarget;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  target = await mongoTarget();
  app = await startApp(target.uri, target.dbName, { ADMIN_TOKEN: ADMIN }, { productNlu: true });
  browser = await launchChromium();
  // One complaint explained (contained), one that ends in a ticket.
  await converse(new CustomerChat(app.baseUrl), OUTAGE_EXPLAINED);
  await converse(new CustomerChat(app.baseUrl), SLOW_LINE_TICKET);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await target?.stop();
});

describe('the dashboard page', () => {
  it('shows the API’s figures as numbers, charts and tables, and follows a change of range', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })).newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(String(err)));
    page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
    await page.goto(`${app.baseUrl}/dashboard`);
    await page.locator('#token').fill(ADMIN);
    await page.getByRole('button', { name: '登录' }).click();

    const metric = (name: string) => page.locator(`.card[data-metric="${name}"] .value`).innerText();
    await page.locator('.card[data-metric="会话数"]').waitFor();
    expect(await metric('会话数')).toBe('2');
    expect(await metric('自助解决率')).toBe('50%');
    expect(await metric('新建工单')).toBe('1');
    expect(await metric('转人工')).toBe('0');

    // Every chart drew on its canvas (chart.js loaded from this service) and its table holds the figures.
    for (const id of ['chart-days', 'chart-containment', 'chart-steps', 'chart-satisfaction']) {
      const drawn = await page.locator(`#${id}`).evaluate((canvas: HTMLCanvasElement) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        return canvas.width > 0 && canvas.height > 0 && data.some((v, i) => i % 4 === 3 && v > 0);
      });
      expect(drawn, id).toBe(true);
    }
    const cells = (id: string) =>
      page.locator(`#${id}`).evaluate((t) => [...(t as HTMLTableElement).tBodies[0]!.rows].map((r) => [...r.cells].map((c) => c.textContent)));
    expect(await cells('table-containment')).toEqual([['网络故障', '2', '1', '50%', '1', '0']]);
    // The ticket's conversation tried two self-checks and neither solved it.
    expect((await cells('table-steps')).map((r) => r.slice(1))).toEqual([
      ['network', '1', '0', '0%'],
      ['network', '1', '0', '0%'],
    ]);

    // A period with nothing in it.
    await page.locator('#from').fill('2026-01-01');
    await page.locator('#to').fill('2026-01-07');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForFunction(() => document.querySelector('.card[data-metric="会话数"] .value')?.textContent === '0');
    expect(await metric('自助解决率')).toBe('—');
    expect(problems).toEqual([]);
  });
});
