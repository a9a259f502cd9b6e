import { Long } from 'bson';
import { Query } from 'mingo';
import { isTruthyFlag } from '../bson-values.js';
import { CommandError } from '../errors.js';
import { ID_INDEX, normalizeIndexSpec } from '../indexes.js';
import type { Doc } from '../types.js';
import { collectionName, optionalDoc, type CommandContext, type CommandHandler } from './context.js';

async function createIndexes(cmd: Doc, ctx: CommandContext): Promise<Doc> {
  const name = collectionName(cmd, 'createIndexes');
  if (!Array.isArray(cmd.indexes) || !cmd.indexes.length) {
    throw new CommandError('BadValue', 'Must specify at least one index to create');
  }
  const specs = cmd.indexes.map(normalizeIndexSpec);
  const existed = ctx.catalog.list(ctx.db).includes(name);
  const result = await ctx.catalog.mutate(ctx.db, name, true, async (store) => {
    const before = store.indexSpecs().length;
    const created = await store.createIndexes(specs);
    return { before, after: before + created, created };
  });
  if (!result) throw new CommandError('InternalError', 'collection vanished while creating indexes');
  return {
    createdCollectionAutomatically: !existed,
    numIndexesBefore: result.before,
    numIndexesAfter: result.after,
    ...(result.created === 0 ? { note: 'all indexes already exist' } : {}),
    ok: 1,
  };
}

async function listIndexes(cmd: Doc, ctx: CommandContext): Promise<Doc> {
  const name = collectionName(cmd, 'listIndexes');
  const store = await ctx.catalog.get(ctx.db, name);
  if (!store) throw new CommandError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
  // Index lists are tiny, so everything goes in the first batch and no cursor stays open.
  return {
    cursor: { firstBatch: store.indexSpecs(), id: Long.ZERO, ns: `${ctx.db}.$cmd.listIndexes.${name}` },
    ok: 1,
  };
}

function listCollections(cmd: Doc, ctx: CommandContext): Doc {
  const nameOnly = isTruthyFlag(cmd.nameOnly);
  const filter = optionalDoc(cmd, 'filter');
  let entries: Doc[] = ctx.catalog.list(ctx.db).map((name) =>
    nameOnly
      ? { name, type: 'collection' }
      : { name, type: 'collection', options: {}, info: { readOnly: false }, idIndex: { ...ID_INDEX } },
  );
  if (filter && Object.keys(filter).length) {
    const query = new Query(filter, {});
    entries = entries.filter((e) => query.test(e));
  }
  return { cursor: { firstBatch: entries, id: Long.ZERO, ns: `${ctx.db}.$cmd.listCollections` }, ok: 1 };
}

async function create(cmd: Doc, ctx: CommandContext): Promise<Doc> {
  const name = collectionName(cmd, 'create');
  if (ctx.catalog.list(ctx.db).includes(name)) {
    throw new CommandError('NamespaceExists', `Collection ${ctx.db}.${name} already exists.`);
  }
  await ctx.catalog.getOrCreate(ctx.db, name);
  return { ok: 1 };
}

async function drop(cmd: Doc, ctx: CommandContext): Promise<Doc> {
  const name = collectionName(cmd, 'drop');
  const dropped = await ctx.catalog.drop(ctx.db, name);
  // Like mongod 7.0+, dropping a collection that does not exist succeeds.
  if (!dropped) return { ok: 1 };
  return { nIndexesWas: dropped.indexSpecs().length, ns: `${ctx.db}.${name}`, ok: 1 };
}

async function dropDatabase(_cmd: Doc, ctx: CommandContext): Promise<Doc> {
  await ctx.catalog.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
}

export const adminCommands: Record<string, CommandHandler> = {
  createIndexes,
  listIndexes,
  listCollections,
  create,
  drop,
  dropDatabase,
};
