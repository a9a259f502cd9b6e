import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedMongo } from '../../src/storage/embedded/index.js';
import { acquireDataDirLock } from '../../src/storage/embedded/lock.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const LOCK_FILE = 'embedded-mongo.lock';

interface Contender {
  proc: ChildProcess;
  lines: Interface;
}

let dataDir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'embedded-lock-'));
});

afterEach(async () => {
  for (const proc of children.splice(0)) {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await once(proc, 'exit');
    }
  }
  await rm(dataDir, { recursive: true, force: true });
});

/** A process that only sleeps: its pid is alive until the test kills it. */
async function sleeper(): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)'], { stdio: 'ignore' });
  children.push(proc);
  await once(proc, 'spawn');
  return proc;
}

async function contender(): Promise<Contender> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'lock-contender.ts'), dataDir], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(proc);
  const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
  const [first] = (await once(lines, 'line')) as [string];
  expect(first).toBe('ready');
  return { proc, lines };
}

async function listDataDir(): Promise<string[]> {
  return (await readdir(dataDir)).sort();
}

describe('data directory lock', () => {
  it('takes over a lock left by a dead process and serves the data', async () => {
    const dead = await sleeper();
    const deadPid = dead.pid as number;
    dead.kill('SIGKILL');
    await once(dead, 'exit');
    await writeFile(path.join(dataDir, LOCK_FILE), String(deadPid));

    const server = await startEmbeddedMongo({ dataDir });
    try {
      expect(await readFile(path.join(dataDir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
      const client = await MongoClient.connect(server.uri);
      await client.db('app').collection('c').insertOne({ ok: true });
      await client.close();
    } finally {
      await server.close();
    }
    // Nothing but the collections is left behind: no lock, no temporary lock files.
    expect(await listDataDir()).toEqual(['app']);
  });

  it('refuses a lock held by a live process and leaves it in place', async () => {
    const live = await sleeper();
    const lock = path.join(dataDir, LOCK_FILE);
    await writeFile(lock, String(live.pid));
    await expect(startEmbeddedMongo({ dataDir })).rejects.toThrow(`is in use by process ${live.pid}`);
    expect(await readFile(lock, 'utf8')).toBe(String(live.pid));
    expect(await listDataDir()).toEqual([LOCK_FILE]);

    // Once that process is gone, its lock is stale.
    live.kill('SIGKILL');
    await once(live, 'exit');
    const release = await acquireDataDirLock(dataDir);
    await release();
  });

  it('is not blocked by a takeover marker left by a process that died taking over', async () => {
    await writeFile(path.join(dataDir, LOCK_FILE), '999999999');
    await writeFile(path.join(dataDir, `${LOCK_FILE}.break`), '999999998');
    const release = await acquireDataDirLock(dataDir);
    expect(await readFile(path.join(dataDir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    await release();
    expect(await listDataDir()).toEqual([]);
  });

  it('refuses a second acquisition started concurrently in the same process', async () => {
    const results = await Promise.allSettled([acquireDataDirLock(dataDir), acquireDataDirLock(dataDir)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    for (const r of results) if (r.status === 'fulfilled') await r.value();
  });

  it('lets exactly one of several processes starting at once take the lock', async () => {
    const contenders = await Promise.all(Array.from({ length: 6 }, () => contender()));
    const outcomes = contenders.map(async (c) => ((await once(c.lines, 'line')) as [string])[0]);
    for (const c of contenders) c.proc.stdin?.write('go\n');
    const results = await Promise.all(outcomes);
    expect(results.filter((r) => r === 'won')).toHaveLength(1);
    expect(results.filter((r) => r === 'refused')).toHaveLength(5);
    const winner = contenders[results.indexOf('won')] as Contender;
    expect(await readFile(path.join(dataDir, LOCK_FILE), 'utf8')).toBe(String(winner.proc.pid));
  });

  it('lets exactly one of several processes take over the same stale lock', async () => {
    await writeFile(path.join(dataDir, LOCK_FILE), '999999999');
    const contenders = await Promise.all(Array.from({ length: 6 }, () => contender()));
    const outcomes = contenders.map(async (c) => ((await once(c.lines, 'line')) as [string])[0]);
    for (const c of contenders) c.proc.stdin?.write('go\n');
    const results = await Promise.all(outcomes);
    expect(results.filter((r) => r === 'won')).toHaveLength(1);
    const winner = contenders[results.indexOf('won')] as Contender;
    expect(await readFile(path.join(dataDir, LOCK_FILE), 'utf8')).toBe(String(winner.proc.pid));
  });
});
