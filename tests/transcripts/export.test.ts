/**
 * The masked export, by API and by CLI, of conversations held over the real endpoint: the conversation
 * with its NLU results and outcome is there, the customer's personal data is not.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-server.js';
import { CustomerChat } from '../support/customer-chat.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';
import { startEmbeddedMongo } from '../../src/storage/embedded/index.js';

const ADMIN = 'admin-export-token-0123456789';
const AGENT = 'agent-export-token-0123456789';
const PHONE = '13812345678';

let target: MongoTarget;
let app: RunningApp;
let chat: CustomerChat;
/** A customer who gives their name without "我叫": only the back office's holder name can mask it. */
let named: CustomerChat;

/** Beijing calendar day of a date, as the export's arguments name days. */
const day = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const today = day(new Date());
const yesterday = day(new Date(Date.now() - 24 * 3600_000));

beforeAll(async () => {
  target = await mongoTarget();
  app = await startApp(target.uri, target.dbName, { ADMIN_TOKEN: ADMIN, AGENT_TOKENS: `qian:${AGENT}` }, { productNlu: true });
  // An outage explained: no ticket. The customer volunteers a phone number and their account.
  chat = new CustomerChat(app.baseUrl);
  await chat.say(`家里宽带上不了网了，我电话${PHONE}`);
  await chat.say('ad88000001');
  await chat.say('是的');
  // ad88000002's holder in the demo back office is 李娜.
  named = new CustomerChat(app.baseUrl);
  await named.say('我是李娜，宽带账号ad88000002，网断了');
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
  expect(inbound[0].nlu).toMatchObject({ intent: 'network.no_connection', category: 'network', score: expect.any(Number) });
  expect(inbound[1].nlu.entities).toContainEqual(expect.objectContaining({ type: 'account', value: '<ACCOUNT>' }));
  expect(exported.messages.some((m: { direction: string; text: string }) => m.direction === 'outbound' && m.text.includes('抢修'))).toBe(true);
  expect(exported.outcomes).toEqual([expect.objectContaining({ flow: 'network', outcome: 'explained' })]);
  expect(exported.tickets).toEqual([]);
  const holder = conversations.find((c) => c.conversationId === named.conversationId);
  expect(holder.messages[0].text).toBe('我是<NAME>，宽带账号<ACCOUNT>，网断了');
}

describe('GET /api/transcripts/export', () => {
  it('streams masked conversations with NLU results and outcomes as JSON Lines', async () => {
    const res = await exportApi(`since=${today}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    expect(res.headers.get('content-disposition')).toContain(`transcripts-${today}-${today}.jsonl`);
    const body = await res.text();
    for (const personal of [PHONE, 'ad88000001', 'ad88000002', '李娜']) expect(body).not.toContain(personal);
    expectTheConversation(body.trim().split('\n'));
  });

  it('as CSV, one quoted row per message', async () => {
    const res = await exportApi(`since=${today}&until=${today}&format=csv`);
    expect(res.status).toBe(200);
    const body = await res.text();
    const [header, ...rows] = body.trim().split('\n');
    expect(header).toBe('conversation_id,channel,seq,at,direction,sender,text,intent,score,category,entities,flags,flow_step,review,outcome,tickets');
    for (const personal of [PHONE, 'ad88000001', '李娜']) expect(body).not.toContain(personal);
    const mine = rows.filter((r) => r.startsWith(chat.conversationId));
    expect(mine.length).toBeGreaterThanOrEqual(6);
    // The customer's comma sits inside a quoted field.
    expect(mine.some((r) => r.includes('"家里宽带上不了网了，我电话<PHONE>"') || r.includes(',家里宽带上不了网了，我电话<PHONE>,'))).toBe(true);
    expect(mine.some((r) => r.includes('network.no_connection') && r.includes(',network,') && r.endsWith(',explained,'))).toBe(true);
    expect(mine.some((r) => r.includes(',account=<ACCOUNT>,'))).toBe(true);
  });

  it('only the period asked for; bad dates, agents and strangers are refused', async () => {
    const earlier = await exportApi('since=2020-01-01&until=2020-01-31');
    expect(earlier.status).toBe(200);
    expect(await earlier.text()).toBe('');
    const dayBefore = await exportApi(`since=${yesterday}&until=${yesterday}`);
    expect(await dayBefore.text()).not.toContain(chat.conversationId);
    const bad = await exportApi('since=2026-13-01');
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toContain('since must be a date');
    expect((await exportApi(`since=${today}&until=2020-01-01`)).status).toBe(400);
    expect((await exportApi(`since=${today}&format=xml`)).status).toBe(400);
    expect((await exportApi(`since=${today}`, AGENT)).status).toBe(403);
    expect((await exportApi(`since=${today}`, '')).status).toBe(401);
  });
});

describe('GET /api/transcripts/export with storage down', () => {
  it('answers 503 with a message, not a crash or an empty file', async () => {
    // A server of the test's own, so that it can be taken away (whatever MONGODB_URI says).
    const dir = await mkdtemp(join(tmpdir(), 'export-down-'));
    const mongo = await startEmbeddedMongo({ dataDir: dir });
    const down = await startApp(mongo.uri, 'test', { ADMIN_TOKEN: ADMIN });
    try {
      await mongo.close();
      const res = await fetch(`${down.baseUrl}/api/transcripts/export?since=${today}`, { headers: { authorization: `Bearer ${ADMIN}` } });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { message: string }).message).toContain('export could not be made');
    } finally {
      await down.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
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
    const noSince = await run(['--format', 'csv']).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(noSince?.code).toBe(2);
    expect(noSince?.stderr).toContain('since is required');
  });

  it('opens the embedded database files, and says what to do when the running service holds them', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'export-embedded-'));
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, MONGODB_DB: 'desk' };
    delete env.MONGODB_URI;
    const cli = () =>
      promisify(execFile)('npx', ['tsx', 'src/cli/transcripts-export.ts', '--since', today], { env }).then(
        (done) => ({ code: 0, ...done }),
        (err: { code: number; stdout: string; stderr: string }) => err,
      );
    try {
      // Standing in for the running service: an embedded server on the same files holds their lock.
      const service = await startEmbeddedMongo({ dataDir: join(dataDir, 'mongo') });
      const client = await MongoClient.connect(service.uri);
      await client.db('desk').collection('transcripts').insertOne({
        conversationId: 'embedded-1',
        channel: 'web',
        direction: 'inbound',
        sender: 'customer',
        text: `我的手机${PHONE}`,
        at: new Date(),
        seq: 1,
      });
      await client.close();
      const locked = await cli();
      expect(locked.code).toBe(1);
      expect(locked.stderr).toContain('use GET /api/transcripts/export with the admin token, or stop the service first');
      await service.close();

      const exported = await cli();
      expect(exported.code).toBe(0);
      expect(JSON.parse(exported.stdout)).toMatchObject({ conversationId: 'embedded-1', messages: [{ text: '我的手机<PHONE>' }] });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
