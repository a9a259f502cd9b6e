import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient, MongoServerError, type Collection, type Db, type UpdateFilter } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedMongo } from '../../src/storage/embedded/index.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

const embeddedOnly = process.env.MONGODB_URI ? it.skip : it;
const MAX = 16 * 1024 * 1024;
const NINE_MIB = 'x'.repeat(9 * 1024 * 1024);
/** Added to NINE_MIB it is over the limit; alone it fits in a command (the driver refuses to send commands over 17 MiB). */
const EIGHT_MIB = 'y'.repeat(8 * 1024 * 1024);
/** A string field this long makes any document just too large. */
const OVER = 'z'.repeat(MAX);

type Loose = { _id: string; [key: string]: unknown };

let target: MongoTarget;
let client: MongoClient;
let db: Db;
let coll: Collection<Loose>;

beforeAll(async () => {
  target = await mongoTarget();
  client = await MongoClient.connect(target.uri);
  db = client.db(target.dbName);
});

afterAll(async () => {
  await client?.close();
  await target?.stop();
});

beforeEach(async () => {
  coll = db.collection<Loose>(`big_${Math.random().toString(36).slice(2)}`);
  await coll.insertOne({ _id: 'big', a: NINE_MIB, list: [] });
});

async function rejection(write: Promise<unknown>): Promise<MongoServerError> {
  const err = await write.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MongoServerError);
  return err as MongoServerError;
}

/** The stored document is the one from beforeEach, and the collection still reads. */
async function expectUnchanged(): Promise<void> {
  const docs = await coll.find({}, { projection: { a: 0 } }).toArray();
  expect(docs).toEqual([{ _id: 'big', list: [] }]);
  expect((await coll.findOne({ _id: 'big' }))?.a).toHaveLength(NINE_MIB.length);
}

describe('documents over 16 MiB', () => {
  it('advertises the 16 MiB limit in hello', async () => {
    const hello = await db.admin().command({ hello: 1 });
    expect(hello.maxBsonObjectSize).toBe(MAX);
  });

  it('rejects an insert just over the limit with BSONObjectTooLarge', async () => {
    const err = await rejection(coll.insertOne({ _id: 'huge', s: OVER }));
    expect(err.code).toBe(10334);
    expect(err.message).toMatch(/object to insert too large/);
    await expectUnchanged();
  });

  it('rejects $set and $push updates that grow a document past the limit', async () => {
    // The driver's typings reject array operators on index-signature schemas; the server does not care.
    const updates = [{ $set: { b: EIGHT_MIB } }, { $push: { list: EIGHT_MIB } }] as UpdateFilter<Loose>[];
    for (const update of updates) {
      const err = await rejection(coll.updateOne({ _id: 'big' }, update));
      expect(err.code).toBe(10334);
      expect(err.message).toMatch(`Resulting document after update is larger than ${MAX}`);
    }
    await expectUnchanged();
  });

  it('rejects findOneAndUpdate and replaceOne results over the limit', async () => {
    const viaFindAndModify = await rejection(coll.findOneAndUpdate({ _id: 'big' }, { $set: { b: EIGHT_MIB } }));
    expect(viaFindAndModify.code).toBe(10334);
    expect(viaFindAndModify.codeName).toBe('BSONObjectTooLarge');
    const viaReplace = await rejection(coll.replaceOne({ _id: 'big' }, { a: OVER }));
    expect(viaReplace.code).toBe(10334);
    await expectUnchanged();
  });

  it('rejects upserts that would insert a document over the limit', async () => {
    const viaUpdate = await rejection(coll.updateOne({ _id: 'new' }, { $set: { a: OVER } }, { upsert: true }));
    expect(viaUpdate.code).toBe(10334);
    const viaFindAndModify = await rejection(
      coll.findOneAndUpdate({ _id: 'new' }, { $set: { a: OVER } }, { upsert: true }),
    );
    expect(viaFindAndModify.code).toBe(10334);
    await expectUnchanged();
  });

  it('still accepts a document that grows to just under the limit', async () => {
    const room = MAX - 9 * 1024 * 1024 - 1024;
    await coll.updateOne({ _id: 'big' }, { $set: { b: 'y'.repeat(room) } });
    expect((await coll.findOne({ _id: 'big' }))?.b).toHaveLength(room);
  });
});

describe('documents over 16 MiB on the embedded server', () => {
  embeddedOnly('leaves nothing on disk for a rejected write', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'embedded-big-'));
    try {
      let server = await startEmbeddedMongo({ dataDir });
      let c = await MongoClient.connect(server.uri);
      const big = c.db('app').collection<Loose>('big');
      await big.insertOne({ _id: 'big', a: NINE_MIB });
      await rejection(big.updateOne({ _id: 'big' }, { $set: { b: EIGHT_MIB } }));
      await rejection(big.updateOne({ _id: 'new' }, { $set: { a: OVER } }, { upsert: true }));
      await c.close();
      await server.close();

      server = await startEmbeddedMongo({ dataDir });
      c = await MongoClient.connect(server.uri);
      const docs = await c.db('app').collection<Loose>('big').find({}, { projection: { a: 0 } }).toArray();
      expect(docs).toEqual([{ _id: 'big' }]);
      await c.close();
      await server.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
