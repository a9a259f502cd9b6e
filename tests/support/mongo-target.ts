import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../src/storage/embedded/index.js';

export interface MongoTarget {
  uri: string;
  kind: 'embedded' | 'mongodb';
  dbName: string;
  stop(): Promise<void>;
}

/**
 * Where storage tests run: the real MongoDB named by MONGODB_URI (in a throwaway database that is
 * dropped afterwards), or else a fresh embedded server in a temporary directory.
 */
export async function mongoTarget(): Promise<MongoTarget> {
  const external = process.env.MONGODB_URI;
  if (external) {
    const dbName = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
    return {
      uri: external,
      kind: 'mongodb',
      dbName,
      async stop() {
        const client = await MongoClient.connect(external);
        try {
          await client.db(dbName).dropDatabase();
        } finally {
          await client.close();
        }
      },
    };
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'embedded-mongo-test-'));
  const server = await startEmbeddedMongo({ dataDir });
  return {
    uri: server.uri,
    kind: 'embedded',
    dbName: 'test',
    async stop() {
      try {
        await server.close();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
