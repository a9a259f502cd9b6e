import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MongoClient, type Document } from 'mongodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const standalone = path.join(repoRoot, 'src/storage/embedded/standalone.ts');

interface Child {
  proc: ChildProcess;
  uri: string;
}

/** Start standalone.ts in its own process and wait for its {"uri","port"} line. */
async function startChild(dataDir: string): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', standalone, '--data-dir', dataDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => String(line)),
    once(proc, 'exit').then(([code]) => {
      throw new Error(`standalone exited with ${String(code)}: ${stderr}`);
    }),
  ]);
  lines.close();
  const ready = JSON.parse(first) as { uri: string; port: number };
  expect(ready.port).toBeGreaterThan(0);
  return { proc, uri: ready.uri };
}

function hasExited(proc: ChildProcess): boolean {
  return proc.exitCode !== null || proc.signalCode !== null;
}

async function waitExit(proc: ChildProcess): Promise<number | null> {
  if (!hasExited(proc)) await once(proc, 'exit');
  return proc.exitCode;
}

async function stopChild(child: Child, signal: NodeJS.Signals): Promise<number | null> {
  if (!hasExited(child.proc)) child.proc.kill(signal);
  return waitExit(child.proc);
}

let dataDir: string;
const children: Child[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'embedded-durability-'));
});

afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => stopChild(c, 'SIGKILL')));
  await rm(dataDir, { recursive: true, force: true });
});

describe('durability across kill -9', () => {
  it('keeps every acknowledged insert after SIGKILL mid-stream', async () => {
    const first = await startChild(dataDir);
    children.push(first);
    const client = new MongoClient(first.uri, { maxPoolSize: 4, serverSelectionTimeoutMS: 2000 });
    await client.connect();
    const coll = client.db('durable').collection('events');
    const acked = new Set<number>();
    let next = 0;
    let killed = false;

    // Four writers keep requests in flight, so the kill lands between an ack and unfinished writes.
    const writer = async (): Promise<void> => {
      while (!killed && next < 500) {
        const id = next++;
        try {
          await coll.insertOne({ _id: id, payload: `event-${id}`, at: new Date() } as Document, { writeConcern: { w: 1 } });
        } catch {
          return;
        }
        acked.add(id);
        if (acked.size === 300 && !killed) {
          killed = true;
          first.proc.kill('SIGKILL');
        }
      }
    };
    await Promise.all([writer(), writer(), writer(), writer()]);
    await waitExit(first.proc);
    await client.close(true);
    expect(acked.size).toBeGreaterThanOrEqual(300);

    const second = await startChild(dataDir);
    children.push(second);
    const reader = await MongoClient.connect(second.uri);
    try {
      const stored = await reader.db('durable').collection('events').find({}, { projection: { _id: 1 } }).toArray();
      const ids = new Set(stored.map((d) => d._id as unknown as number));
      const missing = [...acked].filter((id) => !ids.has(id));
      expect(missing).toEqual([]);
      expect([...ids].every((id) => id < next)).toBe(true);
    } finally {
      await reader.close();
    }
    expect(await stopChild(second, 'SIGTERM')).toBe(0);
  });

  it('drops a torn last line left by a crash during an append', async () => {
    const first = await startChild(dataDir);
    children.push(first);
    const client = await MongoClient.connect(first.uri);
    await client.db('durable').collection('torn').insertMany([{ _id: 1 }, { _id: 2 }] as Document[]);
    await client.close();
    await stopChild(first, 'SIGKILL');

    const dbDir = path.join(dataDir, 'durable');
    const file = (await readdir(dbDir)).find((f) => f.startsWith('torn'));
    await appendFile(path.join(dbDir, file as string), '{"_id":"n3","d":"{\\"_id\\":{\\"$numberI');

    const second = await startChild(dataDir);
    children.push(second);
    const reader = await MongoClient.connect(second.uri);
    try {
      const docs = await reader.db('durable').collection('torn').find().sort({ _id: 1 }).toArray();
      expect(docs).toEqual([{ _id: 1 }, { _id: 2 }]);
    } finally {
      await reader.close();
    }
  });
});
