import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { TicketService, type TicketServiceOptions } from '../../src/tickets/service.js';
import type { OpenTicketInput, OpenTicketResult, Ticket } from '../../src/tickets/types.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

export interface Harness {
  target: MongoTarget;
  client: MongoClient;
  db: Db;
  dir: string;
  outboxFile: string;
  service(extra?: Partial<TicketServiceOptions>): Promise<TicketService>;
  stop(): Promise<void>;
}

export function connect(uri: string): Promise<MongoClient> {
  // Short selection timeout: tests that stop the server should see "unreachable" quickly.
  return MongoClient.connect(uri, { serverSelectionTimeoutMS: 2_000 });
}

/** A fresh database (embedded unless MONGODB_URI is set), a driver client and a scratch directory. */
export async function harness(): Promise<Harness> {
  const target = await mongoTarget();
  const client = await connect(target.uri);
  const db = client.db(target.dbName);
  const dir = await mkdtemp(path.join(tmpdir(), 'tickets-test-'));
  const outboxFile = path.join(dir, 'ticket-outbox.jsonl');
  return {
    target,
    client,
    db,
    dir,
    outboxFile,
    async service(extra = {}) {
      const service = new TicketService({ db, outboxFile, ...extra });
      await service.init();
      return service;
    },
    async stop() {
      await client.close();
      await target.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** A network complaint after failed self-checks; override what a test is about. */
export function complaint(overrides: Partial<OpenTicketInput> = {}): OpenTicketInput {
  counter += 1;
  return {
    conversationId: `conv-${counter}`,
    channel: 'webchat',
    account: `0755${String(counter).padStart(8, '0')}`,
    intent: 'network.slow',
    category: 'network',
    summary: '客户反映网速远低于签约带宽,自助检查未解决。',
    evidence: {
      steps: [
        { step: '重启光猫和路由器', outcome: '无改善' },
        { step: '有线直连测速', outcome: '12 Mbps' },
      ],
      values: { speedMbps: 12 },
    },
    ...overrides,
  };
}

export function written(result: OpenTicketResult): { ticket: Ticket; repeat: boolean } {
  if (result.queued) throw new Error(`expected a written ticket, got queued ${result.reference}`);
  return result;
}
