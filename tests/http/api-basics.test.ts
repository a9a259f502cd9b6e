import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoTarget } from '../support/mongo-target.js';
import { startApp, type RunningApp } from '../support/app-server.js';

const ADMIN = 'admin-token-0123456789';
const AGENT = 'agent-token-0123456789';

describe('the assembled HTTP app: auth and bad input', () => {
  let target: Awaited<ReturnType<typeof mongoTarget>>;
  let app: RunningApp;

  beforeAll(async () => {
    target = await mongoTarget();
    app = await startApp(target.uri, target.dbName, { ADMIN_TOKEN: ADMIN, AGENT_TOKENS: `li:${AGENT}` });
  });
  afterAll(async () => {
    await app?.stop();
    await target?.stop();
  });

  it.each([
    ['no token', undefined, 401],
    ['a wrong token', 'Bearer not-a-real-token-at-all', 401],
    ['the admin token', `Bearer ${ADMIN}`, 200],
    ['an agent token', `Bearer ${AGENT}`, 200],
  ])('GET /api/tickets with %s answers %i', async (_label, authorization, status) => {
    const res = await fetch(`${app.baseUrl}/api/tickets`, { headers: authorization ? { authorization } : {} });
    expect(res.status).toBe(status);
    if (status === 200) expect(await res.json()).toEqual({ tickets: [] });
  });

  it('answers malformed JSON with a 400 and a JSON error, not a 5xx', async () => {
    const res = await fetch(`${app.baseUrl}/api/tickets/KD20261122-0001`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: '{"status": "resolved",',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
  });

  it('parses a message with POST /api/nlu/parse for the admin only, once the model is loaded', async () => {
    for (let i = 0; i < 200 && app.services.nlu.state === 'loading'; i++) await new Promise((r) => setTimeout(r, 100));
    const health = (await (await fetch(`${app.baseUrl}/healthz`)).json()) as { nlu: string };
    expect(health.nlu).toBe('ready');

    const post = (authorization: string, body: string) =>
      fetch(`${app.baseUrl}/api/nlu/parse`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body,
      });
    const ok = await post(`Bearer ${ADMIN}`, JSON.stringify({ text: '宽带账号ad88000006，拨号报错691，我要打12300投诉' }));
    expect(ok.status).toBe(200);
    const result = (await ok.json()) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(['category', 'entities', 'flags', 'intent', 'score', 'text']);
    expect(result.flags).toEqual(['escalation_risk']);
    expect(result.entities).toEqual(
      expect.arrayContaining([
        { type: 'account', value: 'ad88000006', text: 'ad88000006' },
        { type: 'error_code', value: '691', text: '691' },
      ]),
    );
    expect((await post(`Bearer ${AGENT}`, JSON.stringify({ text: '你好' }))).status).toBe(403);
    expect((await post(`Bearer ${ADMIN}`, JSON.stringify({ words: '你好' }))).status).toBe(400);
  });

  it('answers an unknown path with a JSON 404', async () => {
    const res = await fetch(`${app.baseUrl}/no/such/thing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'ResourceNotFound' });
  });
});
