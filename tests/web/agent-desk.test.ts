/**
 * The agent desk page in a real browser (Debian's Chromium through playwright-core), against a fake
 * hand-off API: the page is served by the real registerAgentPage, the JSON endpoints are an in-memory
 * stand-in with the contract of src/server/routes/handoff.ts, recording every call the page makes.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import restify from 'restify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerAgentPage } from '../../src/server/static-page.js';
import { launchChromium } from '../support/browser.js';

const SCREENSHOT = '/tmp/agent-desk.png';

const TOKEN = 'agent-wang-token-0123456789';
const AGENT = '小王';
/** With ':' and '|' as Bot Framework conversation ids have them: the page must encode it in the URL. */
const CONV = 'webchat:8f3a|001';
const TAKEN = 'wechat-o6_bmjrPTlm6_2sgVt7hMZOPfL2M';
const TICKET = 'KD20251123-7Q4M';

// ------------------------------------------------------------------------------------------ fake API

interface Entry {
  seq: number;
  direction: 'inbound' | 'outbound';
  sender: 'customer' | 'bot' | 'agent';
  agent?: string;
  text: string;
  at: string;
  nlu?: { intent: string; score: number; entities: Array<{ type: string; value: string | number; text: string }>; flags: string[] };
  step?: { flow: string; step: string };
}

interface Item {
  conversationId: string;
  channel: string;
  since: string;
  intent: string;
  category: string;
  account?: string;
  summary: string;
  agent?: string;
}

interface Seen {
  method: string;
  path: string;
  query: string;
  authorization: string | undefined;
  body: unknown;
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const hoursAhead = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

class FakeDesk {
  waiting: Item[] = [];
  active: Item[] = [];
  transcripts = new Map<string, Entry[]>();
  seen: Seen[] = [];
  /** The next POST …/messages answers this (once), as the real API does when storage is down. */
  failNextMessage: { status: number; body: unknown } | undefined;
  validToken = TOKEN;
  private seq = 0;

  reset(): void {
    this.validToken = TOKEN;
    this.seen = [];
    this.failNextMessage = undefined;
    this.active = [];
    this.seq = 0;
    this.waiting = [
      {
        conversationId: CONV,
        channel: 'webchat',
        since: new Date(Date.now() - 65_000).toISOString(),
        intent: 'network.no_connection',
        category: 'network',
        account: 'ad88000006',
        summary: '客户家中宽带从早上起无法上网，已重启光猫无效，要求人工处理',
      },
      {
        conversationId: TAKEN,
        channel: 'wechat',
        since: new Date(Date.now() - 20_000).toISOString(),
        intent: 'billing.dispute',
        category: 'billing',
        summary: '<img src=x onerror="window.__xss=1">本月多扣了<b>50元</b>',
      },
    ];
    this.transcripts = new Map([[CONV, []], [TAKEN, []]]);
    this.customer(CONV, '家里宽带从早上开始就上不了网', { intent: 'network.no_connection', score: 0.934, entities: [], flags: [] }, { flow: 'network', step: 'start' });
    this.bot(CONV, '请问您的宽带账号是多少？');
    this.customer(CONV, 'ad88000006', { intent: 'none', score: 0.41, entities: [{ type: 'account', value: 'ad88000006', text: 'ad88000006' }], flags: [] }, { flow: 'identify_account', step: 'ask_account' });
    this.bot(CONV, '查询到您所在区域没有故障，账户状态正常。请将光猫断电 30 秒后重新开机，再试一下。');
    this.customer(CONV, '重启了还是不行，你们到底管不管！转人工', { intent: 'handoff.request', score: 0.88, entities: [], flags: ['escalation_risk'] }, { flow: 'network', step: 'restart_modem' });
    this.bot(CONV, '正在为您转接人工客服，请稍候。');
  }

  private push(id: string, entry: Omit<Entry, 'seq' | 'at'>): Entry {
    const full = { ...entry, seq: ++this.seq, at: new Date().toISOString() };
    this.transcripts.get(id)?.push(full);
    return full;
  }

  customer(id: string, text: string, nlu: Entry['nlu'], step?: Entry['step']): Entry {
    return this.push(id, { direction: 'inbound', sender: 'customer', text, ...(nlu ? { nlu } : {}), ...(step ? { step } : {}) });
  }

  bot(id: string, text: string): Entry {
    return this.push(id, { direction: 'outbound', sender: 'bot', text });
  }

  requests(method: string, pathEnd: string): Seen[] {
    return this.seen.filter((s) => s.method === method && s.path.endsWith(pathEnd));
  }

  context(item: Item) {
    return {
      conversation: { ...item, status: 'active' },
      transcript: this.transcripts.get(item.conversationId) ?? [],
      steps: [
        { step: '查询区域故障', outcome: '无区域故障', at: minutesAgo(4) },
        { step: '查询账户状态', outcome: '正常', at: minutesAgo(4) },
        { step: '重启光猫', outcome: '未解决', at: minutesAgo(2) },
      ],
      account: { account: 'ad88000006', maskedHolder: '张*', region: '杭州市西湖区', status: 'active', planMbps: 300 },
      tickets: [
        {
          number: TICKET,
          status: 'open',
          priority: 'high',
          category: 'network',
          summary: '宽带无法上网：区域无故障、账户正常、重启光猫无效',
          firstResponseDue: hoursAhead(20),
          resolveDue: hoursAhead(44),
        },
      ],
    };
  }

  /** The JSON endpoints of the hand-off API on `server`, in memory. */
  register(server: restify.Server): void {
    const fail = (res: restify.Response, status: number, error: string, message: string) => res.json(status, { error, message });
    const guard: restify.RequestHandler = (req, res, next) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      this.seen.push({ method: req.method ?? '', path: decodeURIComponent(url.pathname), query: url.search, authorization: req.header('authorization'), body: req.body });
      if (req.header('authorization') !== `Bearer ${this.validToken}`) {
        fail(res, 401, 'unauthorized', 'A valid bearer token is required.');
        return next(false);
      }
      return next();
    };
    const id = (req: restify.Request) => String(req.params.conversationId);

    server.put('/api/agent/status', guard, (req, res, next) => {
      const status = (req.body as { status?: unknown } | undefined)?.status;
      if (status !== 'online' && status !== 'offline') fail(res, 400, 'bad_request', 'Invalid body');
      else res.json(200, { agent: AGENT, status });
      return next();
    });
    server.get('/api/handoff/queue', guard, (_req, res, next) => {
      res.json(200, { waiting: this.waiting, active: this.active });
      return next();
    });
    server.post('/api/handoff/:conversationId/accept', guard, (req, res, next) => {
      const taken = this.waiting.find((w) => w.conversationId === TAKEN);
      if (id(req) === TAKEN && taken) {
        this.waiting = this.waiting.filter((w) => w !== taken);
        this.active.push({ ...taken, agent: '小李' });
        fail(res, 409, 'conflict', 'Agent 小李 has already accepted this conversation.');
        return next();
      }
      const item = this.waiting.find((w) => w.conversationId === id(req));
      if (!item) {
        fail(res, 404, 'not_found', `No hand-off for conversation ${id(req)}.`);
        return next();
      }
      this.waiting = this.waiting.filter((w) => w !== item);
      const mine = { ...item, agent: AGENT };
      this.active.push(mine);
      this.bot(item.conversationId, `客服${AGENT}已接入，请问有什么可以帮您？`);
      res.json(200, this.context(mine));
      return next();
    });
    server.get('/api/handoff/:conversationId/transcript', guard, (req, res, next) => {
      const after = Number(new URL(req.url ?? '/', 'http://fake').searchParams.get('after') ?? 0);
      const entries = this.transcripts.get(id(req));
      if (!entries) fail(res, 404, 'not_found', 'No such conversation.');
      else res.json(200, { transcript: entries.filter((e) => e.seq > after) });
      return next();
    });
    server.post('/api/handoff/:conversationId/messages', guard, (req, res, next) => {
      const failure = this.failNextMessage;
      this.failNextMessage = undefined;
      if (failure) {
        res.json(failure.status, failure.body);
        return next();
      }
      const text = String((req.body as { text?: unknown } | undefined)?.text ?? '');
      this.push(id(req), { direction: 'outbound', sender: 'agent', agent: AGENT, text });
      res.json(200, { delivered: true });
      return next();
    });
    server.post('/api/handoff/:conversationId/close', guard, (req, res, next) => {
      this.active = this.active.filter((a) => a.conversationId !== id(req));
      res.json(200, { closed: true });
      return next();
    });
  }
}

// ------------------------------------------------------------------------------------------ set-up

const fake = new FakeDesk();
let server: restify.Server;
let base: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];
let foreignRequests: string[];

beforeAll(async () => {
  server = restify.createServer({ name: 'fake-desk-api', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  registerAgentPage(server);
  fake.register(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

beforeEach(async () => {
  fake.reset();
  context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(8_000);
  page = await context.newPage();
  pageErrors = [];
  foreignRequests = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of 40[19]|status of 503/.test(msg.text())) pageErrors.push(msg.text());
  });
  page.on('request', (req) => {
    if (!req.url().startsWith(`${base}/`) && !req.url().startsWith('data:')) foreignRequests.push(req.url());
  });
});

afterEach(async () => {
  await context?.close();
  // Everything the page loads comes from this service (no CDN), and nothing threw in the page.
  expect(foreignRequests).toEqual([]);
  expect(pageErrors).toEqual([]);
});

async function signIn(token = TOKEN): Promise<void> {
  await page.goto(`${base}/agent`);
  await page.locator('#token-input').fill(token);
  await page.getByRole('button', { name: '登录' }).click();
}

/** Raw HTTP, so paths reach the server exactly as written (fetch would normalise `..`). */
function rawGet(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

// ------------------------------------------------------------------------------------------ tests

describe('agent desk static files', () => {
  it('serves the page and its assets with their content types and no-cache', async () => {
    for (const [path, type] of [
      ['/agent', 'text/html; charset=utf-8'],
      ['/agent/', 'text/html; charset=utf-8'],
      ['/agent/desk.js', 'text/javascript; charset=utf-8'],
      ['/agent/desk.css', 'text/css; charset=utf-8'],
      ['/agent/format.js', 'text/javascript; charset=utf-8'],
    ] as const) {
      const res = await rawGet(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type'], path).toBe(type);
      expect(res.headers['cache-control'], path).toBe('no-cache');
      expect(res.headers['x-content-type-options'], path).toBe('nosniff');
    }
    const page = await rawGet('/agent');
    expect(page.body).toContain('<script type="module" src="/agent/desk.js">');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");

    const again = await rawGet('/agent/desk.js', { 'if-none-match': String((await rawGet('/agent/desk.js')).headers.etag) });
    expect(again.status).toBe(304);
    const head = await rawGet('/agent/desk.css', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('finds nothing outside the folder, however the path is spelled', async () => {
    for (const path of [
      '/agent/../package.json',
      '/agent/..%2f..%2fpackage.json',
      '/agent/%2e%2e/%2e%2e/package.json',
      '/agent/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json',
      '/agent/..%5c..%5cpackage.json',
      '/agent/%2fetc%2fpasswd',
      '/agent//etc/passwd',
      '/agent/./desk.js',
      '/agent/%00desk.js',
      '/agent/%E0%A4%A',
      '/agent/nothing-here.js',
    ]) {
      const res = await rawGet(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain('broadband-complaint-desk');
      expect(res.body, path).not.toContain('root:');
    }
  });
});

describe('agent desk in the browser', () => {
  it('rejects a bad token with 令牌无效', async () => {
    await signIn('not-a-real-token-000000');
    await expect.poll(() => page.locator('#signin-error').textContent()).toBe('令牌无效');
    expect(await page.locator('#view-queue').isHidden()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('agentDesk.token'))).toBeNull();
    expect(fake.requests('GET', '/api/handoff/queue')[0]?.authorization).toBe('Bearer not-a-real-token-000000');
  });

  it('signs in, goes online, accepts, talks, closes', async () => {
    await signIn();
    await page.locator('#view-queue').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('agentDesk.token'))).toBe(TOKEN);
    expect(await page.locator('#offline-hint').isVisible()).toBe(true);

    // 上线
    await page.getByRole('button', { name: '上线' }).click();
    await expect.poll(() => page.locator('#presence').textContent()).toBe('在线');
    expect(fake.requests('PUT', '/api/agent/status')).toEqual([
      expect.objectContaining({ authorization: `Bearer ${TOKEN}`, body: { status: 'online' } }),
    ]);
    expect(await page.locator('#agent-name').textContent()).toBe(`客服：${AGENT}`);
    expect(await page.locator('#offline-hint').isHidden()).toBe(true);
    expect(await page.getByRole('button', { name: '下线' }).isVisible()).toBe(true);

    // The queue: category in Chinese, account, summary, a live wait time.
    const row = page.locator(`#waiting-list li[data-id="${CONV}"]`);
    await row.waitFor();
    const rowText = await row.innerText();
    for (const expected of ['网络质量', '无法上网', 'ad88000006', '已重启光猫无效']) expect(rowText).toContain(expected);
    const wait = row.locator('.wait');
    const firstWait = await wait.textContent();
    expect(firstWait).toMatch(/^等待 1分\d{2}秒$/); // queued 65 s before the page opened
    await expect.poll(() => wait.textContent(), { timeout: 4_000 }).not.toBe(firstWait);
    expect(await page.locator('#waiting-count').textContent()).toBe('等待 2');

    // Customer text is text: the markup in this summary is shown, not run.
    const other = page.locator(`#waiting-list li[data-id="${TAKEN}"]`);
    expect(await other.locator('.summary').textContent()).toBe('<img src=x onerror="window.__xss=1">本月多扣了<b>50元</b>');
    expect(await other.locator('img, b').count()).toBe(0);
    expect(await other.innerText()).toContain('资费争议');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    // The page's own formats, checked where they run.
    // (A string, so vitest's transform leaves the browser's own import() alone.)
    const formats: unknown = await page.evaluate(`import('/agent/format.js').then((f) => [
      f.formatDuration(65000), f.formatDuration(45000), f.formatDuration(3725000), f.categoryLabel('utility'), f.categoryLabel('callback'),
    ])`);
    expect(formats).toEqual(['1分05秒', '45秒', '1小时02分', '其他', '回电']);

    // 接入
    await row.getByRole('button', { name: '接入' }).click();
    await page.locator('#view-conversation').waitFor();
    expect(fake.requests('POST', `/api/handoff/${CONV}/accept`)).toHaveLength(1);
    expect(fake.requests('POST', `/api/handoff/${CONV}/accept`)[0]?.path).toBe(`/api/handoff/${CONV}/accept`);

    // Context: category, intent, account, the self-checks tried, the ticket.
    const contextPanel = page.locator('#context');
    const contextText = await contextPanel.innerText();
    for (const expected of ['网络质量', '无法上网', 'network.no_connection', 'ad88000006', '张*', '杭州市西湖区', '正常', '300 Mbps']) {
      expect(contextText).toContain(expected);
    }
    const steps = await contextPanel.locator('.steps li').allInnerTexts();
    expect(steps).toHaveLength(3);
    expect(steps[0]).toContain('查询区域故障');
    expect(steps[0]).toContain('无区域故障');
    expect(steps[2]).toContain('重启光猫');
    expect(steps[2]).toContain('未解决');
    const ticket = contextPanel.locator('.tickets li');
    expect(await ticket.locator('.ticket-number').textContent()).toBe(TICKET);
    const ticketText = await ticket.innerText();
    for (const expected of ['待处理', '高', '首次响应', '解决']) expect(ticketText).toContain(expected);

    // Transcript: customer left with NLU under it, bot right, the join line included.
    const customerLines = page.locator('#transcript .msg-customer');
    await expect.poll(() => customerLines.count()).toBe(3);
    expect(await customerLines.first().locator('.bubble').textContent()).toBe('家里宽带从早上开始就上不了网');
    const nlu = await customerLines.first().locator('.nlu').innerText();
    expect(nlu).toContain('意图 无法上网');
    expect(nlu).toContain('0.93');
    expect(await customerLines.nth(2).locator('.nlu').innerText()).toContain('升级风险');
    expect(await page.locator('#transcript .msg-bot .bubble').allTextContents()).toEqual([
      '请问您的宽带账号是多少？',
      '查询到您所在区域没有故障，账户状态正常。请将光猫断电 30 秒后重新开机，再试一下。',
      '正在为您转接人工客服，请稍候。',
      `客服${AGENT}已接入，请问有什么可以帮您？`,
    ]);
    const sides = await page.evaluate(() => {
      const box = (selector: string) => document.querySelector(selector)!.getBoundingClientRect();
      const list = box('#transcript');
      return { customerLeft: box('.msg-customer .bubble').left - list.left, botRight: list.right - box('.msg-bot .bubble').right };
    });
    expect(sides.customerLeft).toBeLessThan(40);
    expect(sides.botRight).toBeLessThan(40);

    // A new customer message arrives by polling, asked for with after=<last seq>.
    const lastSeq = fake.transcripts.get(CONV)!.at(-1)!.seq;
    fake.customer(CONV, '光猫的 LOS 灯一直闪红灯', { intent: 'network.no_connection', score: 0.71, entities: [], flags: [] });
    await page.locator('#transcript .msg-customer .bubble', { hasText: '光猫的 LOS 灯一直闪红灯' }).waitFor({ timeout: 6_000 });
    expect(fake.requests('GET', `/api/handoff/${CONV}/transcript`).map((s) => s.query)).toContain(`?after=${lastSeq}`);
    expect(await customerLines.count()).toBe(4);

    // A failed send shows a banner and keeps the text; the page goes on.
    const reply = '您好，我是客服小王。LOS 红灯说明光纤线路有问题，我这边为您安排师傅上门。';
    fake.failNextMessage = { status: 503, body: { error: 'storage_unavailable', message: 'Storage is unreachable; try again shortly.' } };
    await page.locator('#reply-input').fill(reply);
    await page.locator('#reply-input').press('Enter');
    await expect.poll(() => page.locator('#banner-text').textContent()).toBe('发送失败：服务暂时不可用，请稍后重试');
    expect(await page.locator('#reply-input').inputValue()).toBe(reply);

    // 发送
    await page.getByRole('button', { name: '发送' }).click();
    await page.locator('#transcript .msg-agent .bubble', { hasText: reply }).waitFor();
    const sends = fake.requests('POST', `/api/handoff/${CONV}/messages`);
    expect(sends.map((s) => s.body)).toEqual([{ text: reply }, { text: reply }]);
    expect(sends[1]?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(await page.locator('#reply-input').inputValue()).toBe('');
    expect(await page.locator('#transcript .msg-agent .who').last().textContent()).toBe(`客服 ${AGENT}`);

    await page.locator('#banner-close').click();
    await page.screenshot({ path: SCREENSHOT });

    // 结束会话 with a resolution, then back to the queue.
    await page.getByRole('button', { name: '结束会话' }).click();
    await page.locator('#resolution-input').fill('已派单安排师傅上门检修光纤');
    await page.getByRole('button', { name: '确认结束' }).click();
    await page.locator('#view-queue').waitFor();
    expect(fake.requests('POST', `/api/handoff/${CONV}/close`).map((s) => s.body)).toEqual([{ resolution: '已派单安排师傅上门检修光纤' }]);
    await expect.poll(() => page.locator('#banner-text').textContent()).toBe('会话已结束');
    expect(await page.locator(`#waiting-list li[data-id="${CONV}"], #active-list li[data-id="${CONV}"]`).count()).toBe(0);
    expect(await page.locator(`#waiting-list li[data-id="${TAKEN}"]`).isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('agentDesk.current'))).toBeNull();
  }, 60_000);

  it('shows 已被其他客服接入 when another agent took the conversation', async () => {
    await signIn();
    const row = page.locator(`#waiting-list li[data-id="${TAKEN}"]`);
    await row.getByRole('button', { name: '接入' }).click();
    await expect.poll(() => page.locator('#banner-text').textContent()).toBe('已被其他客服接入');
    expect(fake.requests('POST', `/api/handoff/${TAKEN}/accept`)).toHaveLength(1);
    expect(await page.locator('#view-queue').isVisible()).toBe(true);
    expect(await page.locator('#view-conversation').isHidden()).toBe(true);
    // It leaves the waiting list and shows up under 处理中 with the other agent.
    await expect.poll(() => row.count()).toBe(0);
    await expect.poll(() => page.locator(`#active-list li[data-id="${TAKEN}"]`).innerText()).toContain('客服 小李');
    // The other conversation can still be taken.
    expect(await page.locator(`#waiting-list li[data-id="${CONV}"] button`).isEnabled()).toBe(true);
  }, 30_000);

  it('goes back to sign-in with 令牌无效 when the token stops working while polling', async () => {
    await signIn();
    await page.locator('#view-queue').waitFor();
    fake.validToken = 'a-rotated-token-0123456789';
    await expect.poll(() => page.locator('#signin-error').textContent(), { timeout: 6_000 }).toBe('令牌无效');
    expect(await page.locator('#session-bar').isHidden()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('agentDesk.token'))).toBeNull();
  }, 30_000);

  it('comes back to the open conversation after a reload in the same tab', async () => {
    await signIn();
    await page.getByRole('button', { name: '上线' }).click();
    await page.locator(`#waiting-list li[data-id="${CONV}"] button`).click();
    await page.locator('#view-conversation').waitFor();
    await page.reload();
    await page.locator('#view-conversation').waitFor();
    await expect.poll(() => page.locator('#transcript .msg').count()).toBe(fake.transcripts.get(CONV)!.length);
    expect(await page.locator('#context .ticket-number').textContent()).toBe(TICKET);
    // Still online: the desk says so again to the server after the reload.
    await expect.poll(() => fake.requests('PUT', '/api/agent/status').map((s) => s.body)).toEqual([{ status: 'online' }, { status: 'online' }]);
    expect(await page.locator('#presence').textContent()).toBe('在线');
  }, 30_000);
});
