/**
 * The operations dashboard in Chromium against the real service: an admin signs in, the headline
 * numbers are the API's, the charts are drawn (chart.js served by this service, under the page's CSP),
 * every chart's table holds the figures, the range can change, and wrong input gets a clear notice.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-server.js';
import { launchChromium } from '../support/browser.js';
import { converse } from '../support/conversation-checks.js';
import { OUTAGE_EXPLAINED, SLOW_LINE_TICKET } from '../support/complaint-scripts.js';
import { CustomerChat } from '../support/customer-chat.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

const ADMIN = 'admin-dashboard-0123456789';
const AGENT = 'agent-dashboard-0123456789';
const CHARTS = ['chart-days', 'chart-containment', 'chart-steps', 'chart-low', 'chart-satisfaction'];

let target: MongoTarget;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  target = await mongoTarget();
  app = await startApp(target.uri, target.dbName, { ADMIN_TOKEN: ADMIN, AGENT_TOKENS: `zhou:${AGENT}` }, { productNlu: true });
  browser = await launchChromium();
  // One complaint explained (contained), one that ends in a ticket and is rated 满意.
  await converse(new CustomerChat(app.baseUrl), OUTAGE_EXPLAINED);
  await converse(new CustomerChat(app.baseUrl), [...SLOW_LINE_TICKET, ['满意', {}]]);
  await app.services.transcripts.append({
    conversationId: 'seeded-low',
    channel: 'test',
    direction: 'inbound',
    sender: 'customer',
    text: '网络时好时坏的',
    nlu: { intent: 'network.unstable', score: 0.41, entities: [], flags: [] },
    review: ['low_confidence'],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await target?.stop();
});

async function apiStats(query = ''): Promise<any> {
  return (await fetch(`${app.baseUrl}/api/stats${query}`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
}

const metric = (page: Page, name: string) => page.locator(`.card[data-metric="${name}"] .value`).innerText();
const cells = (page: Page, id: string) =>
  page.locator(`#${id}`).evaluate((t) => [...(t as HTMLTableElement).tBodies[0]!.rows].map((r) => [...r.cells].map((c) => c.textContent)));
/** Chart.js drew something: the canvas has a size and non-transparent pixels. */
const drawn = (page: Page, id: string) =>
  page.locator(`#${id}`).evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    return canvas.width > 0 && canvas.height > 0 && data.some((v, i) => i % 4 === 3 && v > 0);
  });
const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);

describe('the dashboard page', () => {
  it('shows the API’s figures as numbers, charts and tables, keeps the sign-in on reload and follows a change of range', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })).newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(String(err)));
    page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
    await page.goto(`${app.baseUrl}/dashboard`);
    await page.locator('#token').fill(ADMIN);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.card[data-metric="会话数"]').waitFor();

    // The headline numbers are the API's for the same (default) period.
    const stats = await apiStats();
    const t = stats.totals;
    expect(await page.locator('#period').innerText()).toBe(`${stats.from} 至 ${stats.to}（北京时间）`);
    const shown = {
      会话数: t.conversations,
      自助解决率: percent(t.containmentRate),
      新建工单: t.tickets,
      转人工: t.handoffs,
      重复投诉: t.repeatComplaints,
      首次响应超时: t.slaFirstResponseBreaches,
      处理超时: t.slaResolutionBreaches,
      满意率: percent(t.satisfaction.satisfiedRate),
    };
    for (const [name, value] of Object.entries(shown)) expect(await metric(page, name), name).toBe(String(value));
    // And those are what happened: the explained, the ticket and the low-confidence message.
    expect([await metric(page, '会话数'), await metric(page, '自助解决率'), await metric(page, '新建工单'), await metric(page, '满意率')]).toEqual(['3', '33.3%', '1', '100%']);

    for (const id of CHARTS) expect(await drawn(page, id), id).toBe(true);
    expect(await cells(page, 'table-categories')).toEqual([['网络故障', '3', '1', '33.3%', '1', '0', '0', '0', '0', '100%']]);
    // The ticket's conversation tried two self-checks and neither solved it.
    expect(await cells(page, 'table-steps')).toEqual([
      ['检查网线和电源', '网络质量', '1', '0', '0%'],
      ['重启光猫和路由器', '网络质量', '1', '0', '0%'],
    ]);
    expect(await cells(page, 'table-low')).toEqual([['频繁掉线', '1']]);
    expect(await cells(page, 'table-satisfaction')).toEqual([
      ['满意', '1', '100%'],
      ['一般', '0', '0%'],
      ['不满意', '0', '0%'],
    ]);
    const days = await cells(page, 'table-days');
    expect(days.map((r) => r[0])).toEqual(stats.days.map((d: any) => d.day));
    const today = stats.days.at(-1);
    expect(days.at(-1)).toEqual([today.day, '3', '0', '0', '0', '0', '0', '3', '1', '1', '0', '0', '0', '0']);

    // The token is kept for this tab: a reload shows the figures again without signing in.
    await page.reload();
    await page.locator('.card[data-metric="会话数"] .value').waitFor();
    expect(await metric(page, '会话数')).toBe('3');
    expect(await page.locator('#sign-in').isHidden()).toBe(true);

    // A period with nothing in it.
    await page.locator('#from').fill('2026-01-01');
    await page.locator('#to').fill('2026-01-07');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForFunction(() => document.querySelector('.card[data-metric="会话数"] .value')?.textContent === '0');
    expect(await metric(page, '自助解决率')).toBe('—');
    expect((await cells(page, 'table-days')).map((r) => r[0])).toEqual(Array.from({ length: 7 }, (_, i) => `2026-01-0${i + 1}`));
    expect(await cells(page, 'table-low')).toEqual([['暂无数据', '']]);
    expect(problems, 'no script errors, no CSP refusals').toEqual([]);

    // from after to: a notice, and the figures on screen stay.
    await page.locator('#from').fill('2026-01-09');
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.locator('#notice').innerText()).toContain('日期范围不正确');
    expect(await metric(page, '会话数')).toBe('0');
  });

  it('sends someone without an admin token back to the sign-in with a notice', async () => {
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await page.goto(`${app.baseUrl}/dashboard`);
    await page.locator('#token').fill(AGENT);
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.locator('#notice').innerText()).toContain('没有查看权限');
    expect(await page.locator('#sign-in').isVisible()).toBe(true);
    expect(await page.locator('#board').isHidden()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });
});
