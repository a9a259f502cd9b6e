import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/storage/embedded/index.js';
import { startApp, type RunningApp } from '../support/app-server.js';

describe('GET /healthz', () => {
  let mongo: EmbeddedMongo | undefined;
  let app: RunningApp | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await app?.stop();
    await mongo?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    app = mongo = dir = undefined;
  });

  it('answers 200 with storage kind and version while storage is reachable, 503 once it is gone', async () => {
    dir = await mkdtemp(join(tmpdir(), 'healthz-'));
    mongo = await startEmbeddedMongo({ dataDir: dir });
    app = await startApp(mongo.uri, 'healthz');

    const ok = await fetch(`${app.baseUrl}/healthz`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-request-id')).toMatch(/[\w-]+/);
    const body = (await ok.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', storage: 'mongodb' });
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);

    await mongo.close();
    mongo = undefined;
    const down = await fetch(`${app.baseUrl}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'unavailable' });
  });
});
