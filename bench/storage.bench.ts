/**
 * Round trips per second through the official driver against the embedded server:
 * ping (the baseline: framing + dispatch, no storage), insertOne (durable append) and findOne by _id,
 * each with 1 client and with 16 independent clients.
 *
 *   npx tsx bench/storage.bench.ts            (BENCH_SECONDS=3 per measurement by default)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient, ObjectId, type Collection, type Document } from 'mongodb';
import { startEmbeddedMongo } from '../src/storage/embedded/index.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const WARMUP_MS = 300;
const PRELOADED = 10_000;

type Op = (coll: Collection<Document>, client: MongoClient, worker: number, i: number) => Promise<unknown>;

interface Row {
  op: string;
  clients: number;
  perSecond: number;
}

async function measure(clients: MongoClient[], dbName: string, op: Op): Promise<number> {
  const run = async (ms: number): Promise<number> => {
    const deadline = performance.now() + ms;
    const counts = await Promise.all(
      clients.map(async (client, worker) => {
        const coll = client.db(dbName).collection('bench');
        let n = 0;
        while (performance.now() < deadline) await op(coll, client, worker, n++);
        return n;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  };
  await run(WARMUP_MS);
  const started = performance.now();
  const total = await run(SECONDS * 1000);
  return total / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'embedded-bench-'));
  const server = await startEmbeddedMongo({ dataDir });
  const dbName = 'bench';
  const all: MongoClient[] = [];
  try {
    for (let i = 0; i < 16; i++) all.push(await MongoClient.connect(server.uri, { maxPoolSize: 1 }));
    const ids = Array.from({ length: PRELOADED }, () => new ObjectId());
    await all[0]!
      .db(dbName)
      .collection('bench')
      .insertMany(ids.map((_id, n) => ({ _id, n, text: '家里宽带晚上很慢，路由器灯正常', at: new Date() })));

    const ops: Array<[string, Op]> = [
      ['ping', (_c, client) => client.db('admin').command({ ping: 1 })],
      ['insertOne', (coll, _client, worker, i) => coll.insertOne({ worker, i, text: '光猫 LOS 灯红色闪烁', at: new Date() })],
      ['findOne by _id', (coll) => coll.findOne({ _id: ids[Math.floor(Math.random() * ids.length)] })],
    ];
    const rows: Row[] = [];
    for (const clients of [1, 16]) {
      for (const [name, op] of ops) {
        const perSecond = await measure(all.slice(0, clients), dbName, op);
        rows.push({ op: name, clients, perSecond });
        process.stderr.write(`  measured ${name} x${clients}\n`);
      }
    }
    printTable(rows);
  } finally {
    await Promise.all(all.map((c) => c.close()));
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function printTable(rows: Row[]): void {
  const pingFor = (clients: number): number => rows.find((r) => r.op === 'ping' && r.clients === clients)?.perSecond ?? NaN;
  const header = ['operation', 'clients', 'round trips/s', 'vs ping'];
  const body = rows.map((r) => [
    r.op,
    String(r.clients),
    Math.round(r.perSecond).toLocaleString('en-US'),
    `${((r.perSecond / pingFor(r.clients)) * 100).toFixed(0)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\nembedded MongoDB via driver, ${SECONDS}s per row, node ${process.version}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
