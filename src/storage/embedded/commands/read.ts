import { Long } from 'bson';
import { cloneDeep } from 'mingo/util';
import { isPlainObject, isTruthyFlag, toCursorId } from '../bson-values.js';
import { CommandError } from '../errors.js';
import { runAggregate, runFind } from '../reads.js';
import type { Doc } from '../types.js';
import {
  collectionName,
  cursorReply,
  docArray,
  optionalDoc,
  optionalInt,
  type CommandContext,
  type CommandHandler,
} from './context.js';

async function find(cmd: Doc, ctx: CommandContext): Promise<Doc> {
  const name = collectionName(cmd, 'find');
  const store = await ctx.catalog.get(ctx.db, name);
  let limit = optionalInt(cmd, 'limit') ?? 0;
  let singleBatch = isTruthyFlag(cmd.singleBatch);
  if (limit < 0) {
    // Legacy negative limit: "return this many and close the cursor".
    limit = -limit;
    singleBatch = true;
  }
  const skip = optionalInt(cmd, 'skip') ?? 0;
  if (skip < 0) throw new CommandError('BadValue', 'skip value must be non-negative');
  const docs = runFind(store, {
    filter: optionalDoc(cmd, 'filter'),
    sort: optionalDoc(cmd, 'sort'),
    projection: optionalDoc(cmd, 'projection'),
    collation: optionalDoc(cmd, 'collation'),
    skip,
    limit,
  });
  const batch = ctx.cursors.open(`${ctx.db}.${name}`, docs, batchSizeOf(cmd), singleBatch);
  return cursorReply(batch, 'firstBatch');
}

function batchSizeOf(cmd: Doc): number | undefined {
  const size = optionalInt(cmd, 'batchSize');
  if (size !== undefined && size < 0) throw new CommandError('BadValue', 'batchSize must be non-negative');
  return size;
}

function getMore(cmd: Doc, ctx: CommandContext): Doc {
  const id = toCursorId(cmd.getMore);
  if (id === undefined) throw new CommandError('TypeMismatch', "Field 'getMore' must be of type long");
  const name = collectionName(cmd, 'collection');
  const batch = ctx.cursors.getMore(id, `${ctx.db}.${name}`, batchSizeOf(cmd));
  return cursorReply(batch, 'nextBatch');
}

function killCursors(cmd: Doc, ctx: CommandContext): Doc {
  collectionName(cmd, 'killCursors');
  const raw = Array.isArray(cmd.cursors) ? cmd.cursors : [];
  const ids = raw.map(toCursorId).filter((id): id is bigint => id !== undefined);
  const { killed, notFound } = ctx.cursors.kill(ids);
  return {
    cursorsKilled: killed.map((id) => Long.fromBigInt(id)),
    cursorsNotFound: notFound.map((id) => Long.fromBigInt(id)),
    cursorsAlive: [],
    cursorsUnknown: [],
    ok: 1,
  };
}

async function count(cmd: Doc, ctx: CommandContext): Promise<Doc> {
  const name = collectionName(cmd, 'count');
  const store = await ctx.catalog.get(ctx.db, name);
  const query = optionalDoc(cmd, 'query');
  const skip = Math.max(0, optionalInt(cmd, 'skip') ?? 0);
  const limit = Math.abs(optionalInt(cmd, 'limit') ?? 0);
  if (!store) return { n: 0, ok: 1 };
  if (!query || !Object.keys(query).length) {
    const total = Math.max(0, store.docs.size - skip);
    return { n: limit ? Math.min(limit, total) : total, ok: 1 };
  }
  return { n: runFind(store, { filter: query, skip, limit }).length, ok: 1 };
}

async function aggregate(cmd: Doc, ctx: CommandContext): Promise<Doc> {
  if (typeof cmd.aggregate !== 'string') {
    throw new CommandError('BadValue', 'database-level aggregation ({aggregate: 1}) is not supported by the embedded server');
  }
  if (cmd.explain !== undefined && isTruthyFlag(cmd.explain)) {
    throw new CommandError('BadValue', 'explain is not supported by the embedded server');
  }
  const name = collectionName(cmd, 'aggregate');
  const pipeline = docArray(cmd, 'pipeline');
  const cursorOpts = isPlainObject(cmd.cursor) ? cmd.cursor : undefined;
  if (!cursorOpts) {
    throw new CommandError('FailedToParse', "The 'cursor' option is required, except for aggregate with the explain argument");
  }
  const store = await ctx.catalog.get(ctx.db, name);
  // Foreign documents are copied so stages after $lookup cannot modify stored documents.
  const resolve = (coll: string): Doc[] => (ctx.catalog.peek(ctx.db, coll)?.all() ?? []).map((d) => cloneDeep(d));
  const docs = runAggregate(store, pipeline, resolve, optionalDoc(cmd, 'collation'));
  const batch = ctx.cursors.open(`${ctx.db}.${name}`, docs, batchSizeOf(cursorOpts), false);
  return cursorReply(batch, 'firstBatch');
}

export const readCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  aggregate,
};
