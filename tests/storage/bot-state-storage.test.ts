import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoBotStorage } from '../../src/storage/bot-state-storage.js';
import { mongoTarget } from '../support/mongo-target.js';

describe('MongoBotStorage (botbuilder Storage with eTags)', () => {
  let target: Awaited<ReturnType<typeof mongoTarget>>;
  let nodeA: MongoClient;
  let nodeB: MongoClient;
  let storageA: MongoBotStorage;
  let storageB: MongoBotStorage;

  beforeAll(async () => {
    target = await mongoTarget();
    // Two clients stand for two bot nodes behind a load balancer.
    nodeA = await MongoClient.connect(target.uri);
    nodeB = await MongoClient.connect(target.uri);
    storageA = new MongoBotStorage(nodeA.db(target.dbName));
    storageB = new MongoBotStorage(nodeB.db(target.dbName));
  });
  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
    await target?.stop();
  });

  it('reads back what was written, with a fresh eTag, across nodes', async () => {
    await storageA.write({ 'webchat/conversations/c1': { flow: 'network.slow', step: 2, 'a.b$c': true } });
    const read = await storageB.read(['webchat/conversations/c1', 'missing']);
    expect(Object.keys(read)).toEqual(['webchat/conversations/c1']);
    expect(read['webchat/conversations/c1']).toMatchObject({ flow: 'network.slow', step: 2, 'a.b$c': true });
    expect(read['webchat/conversations/c1'].eTag).toEqual(expect.any(String));
  });

  it('accepts a write carrying the current eTag and rejects one carrying a stale eTag', async () => {
    const key = 'webchat/conversations/c2';
    await storageA.write({ [key]: { step: 1 } });
    const first = (await storageA.read([key]))[key];
    const sameOnB = (await storageB.read([key]))[key];

    await storageA.write({ [key]: { ...first, step: 2 } });
    await expect(storageB.write({ [key]: { ...sameOnB, step: 99 } })).rejects.toThrow(/eTag conflict/);
    expect((await storageA.read([key]))[key]).toMatchObject({ step: 2 });
  });

  it('lets exactly one of two concurrent writers with the same eTag win', async () => {
    const key = 'webchat/conversations/c3';
    await storageA.write({ [key]: { step: 1 } });
    const seen = (await storageA.read([key]))[key];
    const results = await Promise.allSettled([
      storageA.write({ [key]: { ...seen, winner: 'A' } }),
      storageB.write({ [key]: { ...seen, winner: 'B' } }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const winner = results[0]?.status === 'fulfilled' ? 'A' : 'B';
    expect((await storageA.read([key]))[key]).toMatchObject({ winner });
  });

  it('writes unconditionally with eTag "*" or none, and deletes', async () => {
    const key = 'webchat/users/u1';
    await storageA.write({ [key]: { name: 'first' } });
    await storageB.write({ [key]: { name: 'forced', eTag: '*' } });
    expect((await storageA.read([key]))[key]).toMatchObject({ name: 'forced' });
    await storageA.delete([key]);
    expect(await storageB.read([key])).toEqual({});
  });

  it('creates an item written with an eTag that does not exist yet, like MemoryStorage', async () => {
    await storageA.write({ 'webchat/conversations/c4': { step: 1, eTag: 'from-elsewhere' } });
    expect((await storageB.read(['webchat/conversations/c4']))['webchat/conversations/c4']).toMatchObject({ step: 1 });
  });
});
