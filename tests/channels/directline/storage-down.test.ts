/**
 * The database goes away while a customer's Web Chat is polling: the poll still answers 200 (no new
 * activities, the same watermark) so the client keeps polling, and posting gets a clear 503.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmbeddedMongo } from '../../../src/storage/embedded/index.js';
import { startApp } from '../../support/app-server.js';

describe('Direct Line with storage down', () => {
  it('keeps answering polls with 200 and refuses posts politely', async () => {
    // A server of the test's own, so that it can be taken away (whatever MONGODB_URI says).
    const dir = await mkdtemp(path.join(tmpdir(), 'dl-down-'));
    const mongo = await startEmbeddedMongo({ dataDir: dir });
    const app = await startApp(mongo.uri, 'test', { DIRECTLINE_SECRET: 'a-direct-line-signing-secret-0123456789' });
    try {
      const started = (await (await fetch(`${app.baseUrl}/v3/directline/conversations`, { method: 'POST' })).json()) as { conversationId: string; token: string };
      const headers = { authorization: `Bearer ${started.token}`, 'content-type': 'application/json' };
      const poll = () => fetch(`${app.baseUrl}/v3/directline/conversations/${started.conversationId}/activities?watermark=3`, { headers });
      expect((await poll()).status).toBe(200);

      await mongo.close();
      const res = await poll();
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ activities: [], watermark: '3' });
      const posted = await fetch(`${app.baseUrl}/v3/directline/conversations/${started.conversationId}/activities`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ type: 'message', text: '宽带上不了网' }),
      });
      expect(posted.status).toBe(503);
      expect(((await posted.json()) as { message: string }).message).toContain('temporarily unavailable');
    } finally {
      await app.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
