import { isPlainObject, isTruthyFlag } from '../bson-values.js';
import type { CollectionStore } from '../collection-store.js';
import { CommandError } from '../errors.js';
import { project, runFind } from '../reads.js';
import { applyUpdate, buildUpsert } from '../updates.js';
import type { Doc } from '../types.js';
import { collectionName, optionalDoc, type CommandContext, type CommandHandler } from './context.js';

interface FindAndModifySpec {
  query: Doc;
  sort?: Doc;
  update?: unknown;
  remove: boolean;
  returnNew: boolean;
  upsert: boolean;
  fields?: Doc;
  arrayFilters?: Doc[];
}

function parseSpec(cmd: Doc): FindAndModifySpec {
  const remove = isTruthyFlag(cmd.remove);
  const update = cmd.update;
  if (remove && update !== undefined) throw new CommandError('FailedToParse', 'Cannot specify both an update and remove=true');
  if (!remove && update === undefined) throw new CommandError('FailedToParse', 'Either an update or remove=true must be specified');
  if (update !== undefined && !isPlainObject(update) && !Array.isArray(update)) {
    throw new CommandError('FailedToParse', "BSON field 'update' must be an object or an array");
  }
  const upsert = isTruthyFlag(cmd.upsert);
  const returnNew = isTruthyFlag(cmd.new);
  if (remove && (upsert || returnNew)) throw new CommandError('FailedToParse', 'Cannot specify both upsert=true or new=true and remove=true');
  return {
    query: optionalDoc(cmd, 'query') ?? {},
    sort: optionalDoc(cmd, 'sort'),
    update,
    remove,
    returnNew,
    upsert,
    fields: optionalDoc(cmd, 'fields') ?? optionalDoc(cmd, 'projection'),
    arrayFilters: Array.isArray(cmd.arrayFilters) ? (cmd.arrayFilters as Doc[]) : undefined,
  };
}

const NOTHING: Doc = { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };

/**
 * Runs inside the collection's write queue, so the find and the modification are one atomic step:
 * this is what turns concurrent `$inc` upserts into distinct counter values.
 */
async function modify(store: CollectionStore, spec: FindAndModifySpec): Promise<Doc> {
  const target = runFind(store, { filter: spec.query, sort: spec.sort, limit: 1 })[0];
  if (spec.remove) {
    if (!target) return { lastErrorObject: { n: 0 }, value: null, ok: 1 };
    await store.remove([target]);
    return { lastErrorObject: { n: 1 }, value: project(target, spec.fields), ok: 1 };
  }
  if (target) {
    const next = applyUpdate(target, spec.update, spec.query, spec.arrayFilters);
    if (next) await store.replace(target, next);
    const value = spec.returnNew ? (next ?? target) : target;
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: project(value, spec.fields), ok: 1 };
  }
  if (!spec.upsert) return NOTHING;
  const doc = buildUpsert(spec.query, spec.update, spec.arrayFilters);
  await store.insertOne(doc);
  return {
    lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
    value: spec.returnNew ? project(doc, spec.fields) : null,
    ok: 1,
  };
}

async function findAndModify(cmd: Doc, ctx: CommandContext): Promise<Doc> {
  const name = collectionName(cmd, Object.keys(cmd)[0] as string);
  const spec = parseSpec(cmd);
  const reply = await ctx.catalog.mutate(ctx.db, name, spec.upsert, (store) => modify(store, spec));
  return reply ?? (spec.remove ? { lastErrorObject: { n: 0 }, value: null, ok: 1 } : NOTHING);
}

export const findAndModifyCommands: Record<string, CommandHandler> = {
  findAndModify,
  findandmodify: findAndModify,
};
