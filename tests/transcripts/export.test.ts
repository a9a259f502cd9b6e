/**
 * The masked export, by API and by CLI, of conversations held over the real endpoint: the conversation
 * with its NLU results and outcome is there, the customer's personal data is not.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-server.js';
import { CustomerChat } from '../support/customer-chat.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

const ADMIN = 'admin-export-token-0123456789';
const AGENT = 'agent-export-token-0123456789';
const PHONE = '13812345678';

let target: MongoTarget;
let app: RunningApp;
let chat: CustomerChat;

/** Beijing calendar day of a date, as the export's arguments name days. */
const day = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const today = day(new Date());

beforeAll(async () => {
  target = await mongoTarget();
  app = await startApp(target.uri, target.dbName, { ADMIN_TOKEN: ADMIN, AGENT_TOKENS: `qian:${AGENT}` }, { productNlu: true });
  // An outage explained: no ticket. The customer volunteers a phone number and their account.
  chat = new CustomerChat(app.baseUrl);
  await chat.say(`家里宽带上不了网了，我电话${PHONE}`);
  await chat.say('ad88000001');
  await chat.say('是的');
});
afterAll(async () => {
  await app?.stop();
  await target?.stop();
});

const exportApi = (query: string, token: string | undefined = ADMIN) =>
  fetch(`${app.baseUrl}/api/transcripts/export?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

function expectTheConversation(lines: string[]) {
  const conversations = lines.map((l) => JSON.parse(l));
  const exported = conversations.find((c) => c.conversationId === chat.conversationId);
  expect(exported, 'the conversation is exported').toBeDefined();
  const inbound = exported.messages.filter((m: { direction: string }) => m.direction === 'inbound');
  expect(inbound.map((m: { text: string }) => m.text)).toEqual(['家里宽带上不了网了，我电话<PHONE>', '<ACCOUNT>', '是的']);
  expect(inbound[0].nlu).toMatchObject({ intent: 'network.no_connection', score: expect.any(Number) });
  expect(inbound[1].nlu.entities).toContainEqual(expect.objectContaining({ type: 'account', value: '<ACCOUNT>' }));
  expect(exported.messages.some((m: { direction: string; text: string }) => m.direction === 'outbound' && m.text.includes('抢修'))).toBe(true);
  expect(exported.outcomes).toEqual([expect.objectContaining({ flow: 'network', outcome: 'explained' })]);
  expect(exported.tickets).toEqual([]);
}

describe('GET /api/transcripts/export', () => {
  it('streams masked conversations with NLU results and outcomes as JSON Lines', async () => {
    const res = await exportApi(`since=${today}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    expect(res.headers.get('content-disposition')).toContain(`transcripts-${today}-${today}.jsonl`);
    const body = await res.text();
    for (const personal of [PHONE, 'ad88000001']) expect(body).not.toContain(personal);
    expectTheConversation(body.trim().split('\n'));
  });

  it('as CSV, one quoted row per message', async () => {
    const res = await exportApi(`since=${today}&until=${today}&format=csv`);
    expect(res.status).toBe(200);
    const body = await res.text();
    const [header, ...rows] = body.trim().split('\n');
    expect(header).toBe('conversation_id,channel,seq,at,direction,sender,text,intent,score,category,flags,flow_step,review,outcome,tickets');
    expect(body).not.toContain(PHONE);
    const mine = rows.filter((r) => r.startsWith(chat.conversationId));
    expect(mine.length).toBeGreaterThanOrEqual(6);
    // The customer's comma sits inside a quoted field.
    expect(mine.some((r) => r.includes('"家里宽带上不了网了，我电话<PHONE>"') || r.includes(',家里宽带上不了网了，我电话<PHONE>,'))).toBe(true);
    expect(mine.some((r) => r.includes('network.no_connection') && r.includes(',network,') && r.endsWith(',explained,'))).toBe(true);
  });

  it('only the period asked for; bad dates, agents and strangers are refused', async () => {
    const earlier = await exportApi('since=2020-01-01&until=2020-01-31');
    expect(earlier.status).toBe(200);
    expect(await earlier.text()).toBe('');
    const bad = await exportApi('since=2026-13-01');
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toContain('since must be a date');
    expect((await exportApi(`since=${today}&until=2020-01-01`)).status).toBe(400);
    expect((await exportApi(`since=${today}&format=xml`)).status).toBe(400);
    expect((await exportApi(`since=${today}`, AGENT)).status).toBe(403);
    expect((await exportApi(`since=${today}`, '')).status).toBe(401);
  });
});

describe('npm run transcripts:export', () => {
  const run = (args: string[]) =>
    promisify(execFile)('npx', ['tsx', 'src/cli/transcripts-export.ts', ...args], {
      env: { ...process.env, MONGODB_URI: target.uri, MONGODB_DB: target.dbName },
      maxBuffer: 16 * 1024 * 1024,
    });

  it('writes the same masked export to stdout', async () => {
    const { stdout, stderr } = await run(['--since', today, '--format', 'jsonl']);
    expect(stdout).not.toContain(PHONE);
    expectTheConversation(stdout.trim().split('\n'));
    expect(stderr).toMatch(/exported \d+ conversation/);
  });

  it('bad arguments: one clear line and exit code 2', async () => {
    const failed = await run(['--since', '1 Nov']).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain('since must be a date as YYYY-MM-DD');
  });
});
