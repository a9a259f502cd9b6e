/**
 * Web Chat's polling client stops for good when a poll fails with anything but 403/404 or takes longer
 * than its 20 s timeout. These tests hold the service to that: a database that hangs (connections open,
 * no answer) still gets the poll a quick empty 200, and activities written out of order (numbers taken
 * by two writers) reach the client in order, none skipped.
 */
import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmbeddedMongo } from '../../../src/storage/embedded/index.js';
import { startApp, type RunningApp } from '../../support/app-server.js';
import { mongoTarget } from '../../support/mongo-target.js';

interface Link {
  port: number;
  /** Bytes stop moving both ways; connections stay open (a hung database host). */
  freeze(): void;
  /** Everything held back is delivered and the link works again. */
  thaw(): void;
  close(): Promise<void>;
}

/** A TCP link between the app and its database that the test can freeze. */
async function tcpLink(targetPort: number): Promise<Link> {
  let frozen = false;
  const held: Array<() => void> = [];
  const sockets = new Set<net.Socket>();
  const pipe = (from: net.Socket, to: net.Socket) =>
    from.on('data', (chunk) => {
      if (frozen) held.push(() => to.write(chunk));
      else to.write(chunk);
    });
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      for (const deliver of held.splice(0)) deliver();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function call(app: RunningApp, method: string, urlPath: string, token?: string, body?: unknown) {
  const res = await fetch(`${app.baseUrl}/v3/directline${urlPath}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

interface Polled {
  id: string;
  text?: string;
  from: { role?: string };
}

/** Polls from `watermark` until the bot has said `text`; returns everything received and the new watermark. */
async function pollUntil(app: RunningApp, conversationId: string, token: string, watermark: string, text: string) {
  const received: Polled[] = [];
  const deadline = Date.now() + 15_000;
  while (!received.some((a) => a.from.role === 'bot' && a.text?.includes(text))) {
    if (Date.now() > deadline) throw new Error(`the bot never said ${text}`);
    const page = await call(app, 'GET', `/conversations/${conversationId}/activities?watermark=${watermark}`, token);
    expect(page.status).toBe(200);
    received.push(...(page.body.activities as Polled[]));
    watermark = page.body.watermark;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { received, watermark };
}

describe('Direct Line polls Web Chat can always go on with', () => {
  it('a database that hangs: the poll answers an empty 200 within 10 s, and the conversation goes on once it is back', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dl-hang-'));
    const mongo = await startEmbeddedMongo({ dataDir: dir });
    const link = await tcpLink(Number(new URL(mongo.uri).port));
    const app = await startApp(`mongodb://127.0.0.1:${link.port}/?directConnection=true`, 'test', {}, { productNlu: true });
    try {
      const started = await call(app, 'POST', '/conversations', undefined, { locale: 'zh-CN' });
      const { conversationId, token } = started.body as { conversationId: string; token: string };
      const welcome = await pollUntil(app, conversationId, token, '', '宽带投诉助手');

      link.freeze();
      const asked = Date.now();
      const stalled = await call(app, 'GET', `/conversations/${conversationId}/activities?watermark=${welcome.watermark}`, token);
      const waited = Date.now() - asked;
      expect(stalled).toEqual({ status: 200, body: { activities: [], watermark: welcome.watermark } });
      expect(waited).toBeLessThan(10_000);

      link.thaw();
      expect((await call(app, 'POST', `/conversations/${conversationId}/activities`, token, { type: 'message', text: '网速很慢' })).status).toBe(200);
      const after = await pollUntil(app, conversationId, token, welcome.watermark, '宽带账号');
      expect(after.received.map((a) => a.text)[0]).toBe('网速很慢');
    } finally {
      link.thaw();
      await app.stop().catch(() => undefined);
      await link.close();
      await mongo.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('an activity numbered but not yet written holds the watermark back until it is there; a lost one is passed over', async () => {
    const target = await mongoTarget();
    const app = await startApp(target.uri, target.dbName, {}, { productNlu: true });
    try {
      const db = app.services.storage.db;
      const started = await call(app, 'POST', '/conversations', undefined, { locale: 'zh-CN' });
      const { conversationId, token } = started.body as { conversationId: string; token: string };
      const welcome = await pollUntil(app, conversationId, token, '', '宽带投诉助手');
      expect(welcome.watermark).toBe('1');

      // Another node takes number 2 for an agent's message and has not written it yet.
      await db.collection('directline_conversations').updateOne({ _id: conversationId as any }, { $inc: { lastSeq: 1 } });
      expect((await call(app, 'POST', `/conversations/${conversationId}/activities`, token, { type: 'message', text: '网速很慢' })).status).toBe(200);
      const held = await call(app, 'GET', `/conversations/${conversationId}/activities?watermark=1`, token);
      expect(held.body).toEqual({ activities: [], watermark: '1' });

      // The other node's write lands: the client gets it first, then the customer's echo and the replies.
      await db.collection('directline_activities').insertOne({
        conversationId,
        seq: 2,
        activity: { type: 'message', id: `${conversationId}|0000002`, text: '您好，我是客服小赵。', from: { id: 'agent', role: 'bot' } },
        at: new Date(),
      });
      const caughtUp = await pollUntil(app, conversationId, token, '1', '宽带账号');
      expect(caughtUp.received.slice(0, 2).map((a) => a.text)).toEqual(['您好，我是客服小赵。', '网速很慢']);

      // A number whose write failed: once it is older than the grace period, later activities flow past it.
      await db.collection('directline_conversations').updateOne({ _id: conversationId as any }, { $inc: { lastSeq: 1 } });
      expect((await call(app, 'POST', `/conversations/${conversationId}/activities`, token, { type: 'message', text: 'ad88000006' })).status).toBe(200);
      expect((await call(app, 'GET', `/conversations/${conversationId}/activities?watermark=${caughtUp.watermark}`, token)).body.activities).toEqual([]);
      await db.collection('directline_activities').updateMany({ conversationId, seq: { $gt: Number(caughtUp.watermark) } }, { $set: { at: new Date(Date.now() - 60_000) } });
      const past = await pollUntil(app, conversationId, token, caughtUp.watermark, '欧**娜');
      expect(past.received[0]!.text).toBe('ad88000006');
    } finally {
      await app.stop();
      await target.stop();
    }
  }, 60_000);
});
