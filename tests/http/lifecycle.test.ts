import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startMain } from '../support/main-process.js';

describe('service life-cycle (the real start-up path, embedded storage)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('starts healthy on embedded storage, logs JSON with request ids, and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'desk-'));
    dirs.push(dataDir);
    const service = await startMain({ DATA_DIR: dataDir });

    const res = await fetch(`${service.baseUrl}/healthz`, { headers: { 'x-request-id': 'probe-1' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', storage: 'embedded' });

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    const lines = service.logLines();
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'request', requestId: 'probe-1', path: '/healthz', status: 200 }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'stopped' }));
  });
});
