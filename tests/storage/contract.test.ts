import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  Binary,
  Decimal128,
  Double,
  Int32,
  Long,
  MongoBulkWriteError,
  MongoClient,
  MongoServerError,
  ObjectId,
  type Db,
  type Document,
  type UpdateFilter,
} from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedMongo } from '../../src/storage/embedded/index.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

/** Checks that depend on owning the server process only make sense for the embedded target. */
const embeddedOnly = process.env.MONGODB_URI ? it.skip : it;

/** Tests use string and number _ids freely; the driver's default schema types _id as ObjectId. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = { _id?: string | number | ObjectId; [key: string]: any };

let target: MongoTarget;
let client: MongoClient;
let db: Db;
let getMores = 0;
const killed: unknown[] = [];

beforeAll(async () => {
  target = await mongoTarget();
  client = new MongoClient(target.uri, { monitorCommands: true });
  client.on('commandStarted', (e) => {
    if (e.commandName === 'getMore') getMores += 1;
  });
  client.on('commandSucceeded', (e) => {
    if (e.commandName === 'killCursors') killed.push(...((e.reply as Document).cursorsKilled as unknown[]));
  });
  await client.connect();
  db = client.db(target.dbName);
});

afterAll(async () => {
  await client?.close();
  await target?.stop();
});

/** The driver's update typings reject array operators on index-signature schemas; the server does not care. */
function ops(update: Document): UpdateFilter<Loose> {
  return update as UpdateFilter<Loose>;
}

function col(name: string) {
  return db.collection<Loose>(name);
}

function sampleDoc(): Document {
  return {
    _id: new ObjectId(),
    when: new Date('2024-05-06T07:08:09.123Z'),
    big: Long.fromString('9007199254740993'),
    small: Long.fromNumber(7),
    price: Decimal128.fromString('12345.6789'),
    bytes: new Binary(Buffer.from([0, 1, 2, 250])),
    uuid: new Binary(Buffer.alloc(16, 9), Binary.SUBTYPE_UUID),
    int: 42,
    dbl: 3.25,
    hugeDbl: 2 ** 40,
    nil: null,
    text: '宽带断网了',
    nested: { list: [[1, 2], [{ deep: 'x', at: new Date(0) }]], empty: {}, none: [] },
  };
}

/** Asserts the exact BSON types, reading with promotion switched off. */
async function expectSampleRoundTrip(database: Db, coll: string, original: Document): Promise<void> {
  const raw = await database.collection<Loose>(coll).findOne({ _id: original._id }, { promoteValues: false, promoteLongs: false });
  expect(raw).not.toBeNull();
  const doc = raw as Document;
  expect(doc._id).toBeInstanceOf(ObjectId);
  expect((doc._id as ObjectId).equals(original._id as ObjectId)).toBe(true);
  expect(doc.when).toEqual(original.when);
  expect(doc.big).toBeInstanceOf(Long);
  expect((doc.big as Long).toString()).toBe('9007199254740993');
  expect(doc.small).toBeInstanceOf(Long);
  expect(doc.price).toBeInstanceOf(Decimal128);
  expect(String(doc.price)).toBe('12345.6789');
  expect(doc.bytes).toBeInstanceOf(Binary);
  expect(Buffer.from((doc.bytes as Binary).buffer)).toEqual(Buffer.from([0, 1, 2, 250]));
  expect((doc.uuid as Binary).sub_type).toBe(Binary.SUBTYPE_UUID);
  expect(doc.int).toBeInstanceOf(Int32);
  expect(doc.dbl).toBeInstanceOf(Double);
  expect(doc.hugeDbl).toBeInstanceOf(Double);
  expect(doc.nil).toBeNull();
  expect(doc.text).toBe('宽带断网了');
  const promoted = await database.collection<Loose>(coll).findOne({ _id: original._id });
  expect(promoted?.nested).toEqual(original.nested);
  expect(promoted?.int).toBe(42);
  expect(promoted?.hugeDbl).toBe(2 ** 40);
}

describe('CRUD', () => {
  it('inserts and returns driver-generated ObjectIds', async () => {
    const coll = col('crud_insert');
    const one = await coll.insertOne({ name: 'a' });
    expect(one.insertedId).toBeInstanceOf(ObjectId);
    const many = await coll.insertMany([{ name: 'b' }, { name: 'c' }]);
    expect(many.insertedCount).toBe(2);
    expect(Object.values(many.insertedIds).every((id) => id instanceof ObjectId)).toBe(true);
    const back = await coll.findOne({ _id: one.insertedId });
    expect(back).toEqual({ _id: one.insertedId, name: 'a' });
  });

  it('finds with filter, sort, skip, limit and projection', async () => {
    const coll = col('crud_find');
    await coll.insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: i, n: i, even: i % 2 === 0, tag: `t${i}` })));
    const docs = await coll
      .find({ even: true, n: { $gte: 4 } })
      .sort({ n: -1 })
      .skip(1)
      .limit(3)
      .project({ n: 1, _id: 0 })
      .toArray();
    expect(docs).toEqual([{ n: 16 }, { n: 14 }, { n: 12 }]);
    const excluded = await coll.find({ _id: 3 }).project({ tag: 0 }).toArray();
    expect(excluded).toEqual([{ _id: 3, n: 3, even: false }]);
    expect(await coll.findOne({ n: { $in: [5, 7] } }, { sort: { n: -1 } })).toMatchObject({ n: 7 });
    expect(await coll.findOne({ n: 99 })).toBeNull();
  });

  it('sorts and compares ObjectId and Date values correctly', async () => {
    const coll = col('crud_types_order');
    const ids = [new ObjectId('650000000000000000000003'), new ObjectId('650000000000000000000001'), new ObjectId('650000000000000000000002')];
    await coll.insertMany(ids.map((id, i) => ({ _id: id, at: new Date(Date.UTC(2024, 0, 3 - i)) })));
    const byId = await coll.find().sort({ _id: 1 }).toArray();
    expect(byId.map((d) => (d._id as ObjectId).toHexString())).toEqual(ids.map((i) => i.toHexString()).sort());
    const byDate = await coll.find({ at: { $gt: new Date(Date.UTC(2024, 0, 1)) } }).sort({ at: 1 }).toArray();
    expect(byDate.map((d) => (d.at as Date).getUTCDate())).toEqual([2, 3]);
  });

  it('updates, replaces and deletes with the driver result shapes', async () => {
    const coll = col('crud_update');
    await coll.insertMany([{ _id: 1, g: 'a', v: 1 }, { _id: 2, g: 'a', v: 2 }, { _id: 3, g: 'b', v: 3 }]);
    const one = await coll.updateOne({ g: 'a' }, { $set: { seen: true } });
    expect([one.matchedCount, one.modifiedCount, one.upsertedCount]).toEqual([1, 1, 0]);
    const many = await coll.updateMany({ g: 'a' }, { $set: { seen: true } });
    expect([many.matchedCount, many.modifiedCount]).toEqual([2, 1]);
    const replaced = await coll.replaceOne({ _id: 3 }, { g: 'c', v: 30 });
    expect(replaced.modifiedCount).toBe(1);
    expect(await coll.findOne({ _id: 3 })).toEqual({ _id: 3, g: 'c', v: 30 });
    const upserted = await coll.replaceOne({ _id: 4 }, { g: 'd' }, { upsert: true });
    expect(upserted.upsertedId).toBe(4);
    expect((await coll.deleteOne({ g: 'a' })).deletedCount).toBe(1);
    expect((await coll.deleteMany({})).deletedCount).toBe(3);
    expect(await coll.countDocuments()).toBe(0);
  });

  it('counts documents', async () => {
    const coll = col('crud_count');
    await coll.insertMany(Array.from({ length: 10 }, (_, i) => ({ i })));
    expect(await coll.countDocuments()).toBe(10);
    expect(await coll.countDocuments({ i: { $lt: 4 } })).toBe(4);
    expect(await coll.countDocuments({}, { skip: 2, limit: 5 })).toBe(5);
    expect(await coll.estimatedDocumentCount()).toBe(10);
  });

  it('aggregates with $match $group $sort $skip $limit $project $count $unwind', async () => {
    const coll = col('crud_aggregate');
    await coll.insertMany([
      { city: '北京', kind: 'slow', tags: ['wifi', 'evening'], minutes: 30 },
      { city: '北京', kind: 'down', tags: ['fiber'], minutes: 120 },
      { city: '上海', kind: 'slow', tags: ['wifi'], minutes: 10 },
      { city: '上海', kind: 'slow', tags: [], minutes: 20 },
      { city: '广州', kind: 'down', tags: ['router', 'wifi'], minutes: 60 },
    ]);
    const grouped = await coll
      .aggregate([
        { $match: { minutes: { $gte: 10 } } },
        { $group: { _id: '$city', total: { $sum: '$minutes' }, n: { $sum: 1 } } },
        { $sort: { total: -1 } },
        { $skip: 1 },
        { $limit: 1 },
        { $project: { _id: 0, city: '$_id', total: 1 } },
      ])
      .toArray();
    expect(grouped).toEqual([{ total: 60, city: '广州' }]);
    const tagCounts = await coll
      .aggregate([{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }, { $sort: { n: -1, _id: 1 } }])
      .toArray();
    expect(tagCounts[0]).toEqual({ _id: 'wifi', n: 3 });
    expect(tagCounts).toHaveLength(4);
    const counted = await coll.aggregate([{ $match: { kind: 'slow' } }, { $count: 'slow' }]).toArray();
    expect(counted).toEqual([{ slow: 3 }]);
  });
});

describe('update operators', () => {
  it('applies $set $unset $inc $push $addToSet $pull', async () => {
    const coll = col('ops');
    await coll.insertOne({ _id: 'x', a: 1, gone: true, list: [1, 2, 3, 4], set: ['a'] });
    await coll.updateOne({ _id: 'x' }, { $set: { 'deep.field': 'v', a: 2 }, $unset: { gone: '' }, $inc: { counter: 5 } });
    await coll.updateOne({ _id: 'x' }, ops({ $push: { list: { $each: [5, 6] } }, $addToSet: { set: { $each: ['a', 'b'] } } }));
    await coll.updateOne({ _id: 'x' }, ops({ $pull: { list: { $gte: 5 } }, $inc: { counter: -2 } }));
    await coll.updateOne({ _id: 'x' }, ops({ $push: { log: 'first' }, $addToSet: { set: 'a' } }));
    expect(await coll.findOne({ _id: 'x' })).toEqual({
      _id: 'x',
      a: 2,
      list: [1, 2, 3, 4],
      set: ['a', 'b'],
      deep: { field: 'v' },
      counter: 3,
      log: ['first'],
    });
  });

  it('uses $setOnInsert only when the upsert inserts', async () => {
    const coll = col('ops_upsert');
    const first = await coll.updateOne(
      { _id: 'u1', kind: 'ticket' },
      { $set: { status: 'open' }, $setOnInsert: { createdBy: 'bot' }, $inc: { touches: 1 } },
      { upsert: true },
    );
    expect(first.upsertedId).toBe('u1');
    await coll.updateOne(
      { _id: 'u1' },
      { $set: { status: 'closed' }, $setOnInsert: { createdBy: 'someone else' }, $inc: { touches: 1 } },
      { upsert: true },
    );
    expect(await coll.findOne({ _id: 'u1' })).toEqual({ _id: 'u1', kind: 'ticket', status: 'closed', createdBy: 'bot', touches: 2 });
    const generated = await coll.updateOne({ kind: 'anon' }, { $set: { x: 1 } }, { upsert: true });
    expect(generated.upsertedId).toBeInstanceOf(ObjectId);
  });

  it('returns documents from findOneAndUpdate/Replace/Delete', async () => {
    const coll = col('ops_fam');
    await coll.insertMany([{ _id: 1, v: 'a', rank: 2 }, { _id: 2, v: 'b', rank: 1 }]);
    const before = await coll.findOneAndUpdate({}, { $set: { v: 'z' } }, { sort: { rank: 1 }, returnDocument: 'before' });
    expect(before).toEqual({ _id: 2, v: 'b', rank: 1 });
    const after = await coll.findOneAndReplace({ _id: 1 }, { v: 'r' }, { returnDocument: 'after', projection: { v: 1 } });
    expect(after).toEqual({ _id: 1, v: 'r' });
    expect(await coll.findOneAndDelete({ _id: 2 })).toEqual({ _id: 2, v: 'z', rank: 1 });
    expect(await coll.findOneAndDelete({ _id: 2 })).toBeNull();
    const meta = await coll.findOneAndUpdate({ _id: 9 }, { $set: { v: 'n' } }, { upsert: true, includeResultMetadata: true });
    expect(meta.value).toBeNull();
    expect(meta.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false, upserted: 9 });
  });

  it('gives 200 concurrent findOneAndUpdate $inc upserts 200 distinct values', async () => {
    const coll = col('counters');
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        coll.findOneAndUpdate({ _id: 'c' }, { $inc: { n: 1 } }, { upsert: true, returnDocument: 'after' }),
      ),
    );
    const values = results.map((d) => d?.n as number).sort((a, b) => a - b);
    expect(values).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });
});

describe('unique indexes', () => {
  it('rejects duplicate inserts, updates and findOneAndUpdate with code 11000', async () => {
    const coll = col('uniq');
    expect(await coll.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
    await coll.insertMany([{ email: 'a@x' }, { email: 'b@x' }]);
    const insertErr = await coll.insertOne({ email: 'a@x' }).catch((e: unknown) => e);
    expect(insertErr).toBeInstanceOf(MongoServerError);
    expect((insertErr as MongoServerError).code).toBe(11000);
    expect((insertErr as MongoServerError).keyValue).toEqual({ email: 'a@x' });
    expect((insertErr as MongoServerError).message).toMatch(/E11000 duplicate key error collection: .*uniq index: email_1 dup key/);
    const updateErr = await coll.updateOne({ email: 'b@x' }, { $set: { email: 'a@x' } }).catch((e: unknown) => e);
    expect((updateErr as MongoServerError).code).toBe(11000);
    const famErr = await coll.findOneAndUpdate({ email: 'b@x' }, { $set: { email: 'a@x' } }).catch((e: unknown) => e);
    expect(famErr).toBeInstanceOf(MongoServerError);
    expect((famErr as MongoServerError).code).toBe(11000);
    expect(await coll.countDocuments({ email: 'a@x' })).toBe(1);
    const idErr = await coll.insertOne({ _id: (await coll.findOne({ email: 'a@x' }))?._id, email: 'c@x' }).catch((e: unknown) => e);
    expect((idErr as MongoServerError).code).toBe(11000);
  });

  it('stops ordered batches at the first duplicate and continues unordered ones', async () => {
    const coll = col('uniq_batches');
    await coll.createIndex({ k: 1 }, { unique: true });
    const ordered = await coll.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }]).catch((e: unknown) => e);
    expect(ordered).toBeInstanceOf(MongoBulkWriteError);
    expect((ordered as MongoBulkWriteError).code).toBe(11000);
    expect((ordered as MongoBulkWriteError).insertedCount).toBe(1);
    const unordered = await coll.insertMany([{ k: 3 }, { k: 3 }, { k: 4 }], { ordered: false }).catch((e: unknown) => e);
    expect((unordered as MongoBulkWriteError).code).toBe(11000);
    expect((unordered as MongoBulkWriteError).insertedCount).toBe(2);
    expect((await coll.find({}, { projection: { _id: 0 } }).sort({ k: 1 }).toArray()).map((d) => d.k)).toEqual([1, 3, 4]);
  });

  it('enforces compound unique indexes on the combination only', async () => {
    const coll = col('uniq_compound');
    await coll.createIndex({ user: 1, day: 1 }, { unique: true });
    await coll.insertMany([{ user: 'u', day: 1 }, { user: 'u', day: 2 }, { user: 'v', day: 1 }]);
    const err = await coll.insertOne({ user: 'u', day: 2 }).catch((e: unknown) => e);
    expect((err as MongoServerError).code).toBe(11000);
    expect((err as MongoServerError).keyValue).toEqual({ user: 'u', day: 2 });
  });

  it('refuses to build a unique index over existing duplicates', async () => {
    const coll = col('uniq_build');
    await coll.insertMany([{ k: 1 }, { k: 1 }]);
    const err = await coll.createIndex({ k: 1 }, { unique: true }).catch((e: unknown) => e);
    expect((err as MongoServerError).code).toBe(11000);
  });
});

describe('cursors and types', () => {
  it('reads 1,000 documents through getMore batches', async () => {
    const coll = col('cursor_1000');
    await coll.insertMany(Array.from({ length: 1000 }, (_, i) => ({ i })));
    const before = getMores;
    const docs = await coll.find({}, { batchSize: 100 }).sort({ i: 1 }).toArray();
    expect(docs).toHaveLength(1000);
    expect(docs.every((d, i) => d.i === i)).toBe(true);
    expect(getMores - before).toBeGreaterThan(1);
    const defaultBatches = getMores;
    expect(await coll.find().toArray()).toHaveLength(1000);
    expect(getMores - defaultBatches).toBeGreaterThanOrEqual(1);
  });

  it('kills cursors that are abandoned early', async () => {
    const coll = col('cursor_1000');
    const cursor = coll.find({}, { batchSize: 10 });
    await cursor.next();
    const id = cursor.id;
    await cursor.close();
    expect(killed.map(String)).toContain(String(id));
  });

  it('round-trips BSON types', async () => {
    const doc = sampleDoc();
    await col('types').insertOne(doc);
    await expectSampleRoundTrip(db, 'types', doc);
    expect(await col('types').countDocuments({ big: Long.fromString('9007199254740993') })).toBe(1);
  });
});

describe('catalog', () => {
  it('lists indexes and collections and drops collections', async () => {
    const coll = col('catalog_a');
    await coll.insertOne({ x: 1 });
    await coll.createIndex({ x: -1, y: 1 }, { name: 'xy', unique: true });
    const indexes = await coll.listIndexes().toArray();
    expect(indexes.map((i) => i.name)).toEqual(['_id_', 'xy']);
    expect(indexes[1]).toMatchObject({ key: { x: -1, y: 1 }, unique: true });
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).toContain('catalog_a');
    expect(await db.listCollections({ name: 'catalog_a' }).toArray()).toHaveLength(1);
    expect(await coll.drop()).toBe(true);
    expect((await db.listCollections({ name: 'catalog_a' }).toArray()).length).toBe(0);
    expect(await coll.countDocuments()).toBe(0);
    await coll.insertOne({ x: 2 });
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });
});

describe('errors', () => {
  it('rejects unknown commands with CommandNotFound', async () => {
    const err = await db.command({ fooBar: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect((err as MongoServerError).code).toBe(59);
  });

  it('rejects transactions without writing anything', async (ctx) => {
    const hello = await db.admin().command({ hello: 1 });
    if (hello.setName || hello.msg === 'isdbgrid') ctx.skip(); // transactions are legal there
    const coll = col('txn');
    const session = client.startSession();
    try {
      await expect(
        session.withTransaction(async () => {
          await coll.insertOne({ inTxn: true }, { session });
        }),
      ).rejects.toThrow();
    } finally {
      await session.endSession();
    }
    expect(await coll.countDocuments({ inTxn: true })).toBe(0);
  });
});

describe('embedded server lifecycle', () => {
  embeddedOnly('keeps data and unique indexes across a restart', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'embedded-restart-'));
    try {
      const doc = sampleDoc();
      // Field names that look like extended JSON or contain dots must not be reinterpreted on reload.
      const tricky = { _id: 'tricky', state: { $instance: { a: 1 }, $date: 'not a date', $numberLong: '1', 'a.b': 2 } };
      let server = await startEmbeddedMongo({ dataDir });
      let c = await MongoClient.connect(server.uri);
      let d = c.db('app');
      await d.collection<Loose>('users').createIndex({ email: 1 }, { unique: true });
      await d.collection<Loose>('users').insertMany([{ _id: 1, email: 'a' }, { _id: 2, email: 'b' }, { _id: 3, email: 'c' }]);
      await d.collection<Loose>('users').updateOne({ _id: 2 }, { $set: { email: 'bb' } });
      await d.collection<Loose>('users').deleteOne({ _id: 3 });
      await d.collection<Loose>('types').insertOne(doc);
      await d.collection<Loose>('types').insertOne(tricky);
      await c.close();
      await server.close();

      server = await startEmbeddedMongo({ dataDir });
      c = await MongoClient.connect(server.uri);
      d = c.db('app');
      expect(await d.collection<Loose>('users').find().sort({ _id: 1 }).toArray()).toEqual([
        { _id: 1, email: 'a' },
        { _id: 2, email: 'bb' },
      ]);
      expect((await d.collection<Loose>('users').listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'email_1']);
      const err = await d.collection<Loose>('users').insertOne({ email: 'a' }).catch((e: unknown) => e);
      expect((err as MongoServerError).code).toBe(11000);
      await expectSampleRoundTrip(d, 'types', doc);
      expect(await d.collection<Loose>('types').findOne({ _id: 'tricky' })).toEqual(tricky);
      await c.close();
      await server.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  embeddedOnly('expires documents through TTL indexes', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'embedded-ttl-'));
    const server = await startEmbeddedMongo({ dataDir, ttlMonitorIntervalMs: 50 });
    const c = await MongoClient.connect(server.uri);
    try {
      const coll = c.db('app').collection<Loose>('sessions');
      await coll.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
      await coll.insertMany([
        { _id: 'old', expiresAt: new Date(Date.now() - 1000) },
        { _id: 'new', expiresAt: new Date(Date.now() + 60_000) },
        { _id: 'none' },
      ]);
      await expect.poll(async () => (await coll.find().toArray()).map((x) => x._id).sort(), { timeout: 5000 }).toEqual(['new', 'none']);
    } finally {
      await c.close();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
