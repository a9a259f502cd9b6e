import { ObjectId } from 'bson';
import { isPlainObject, isTruthyFlag, toNumber, withIdFirst } from '../bson-values.js';
import type { CollectionStore } from '../collection-store.js';
import { CommandError, writeErrorEntry } from '../errors.js';
import { runFind } from '../reads.js';
import { applyUpdate, buildUpsert } from '../updates.js';
import type { Doc } from '../types.js';
import { collectionName, docArray, type CommandContext, type CommandHandler } from './context.js';

function writeReply(n: number, writeErrors: Doc[], extra: Doc = {}): Doc {
  return { n, ...extra, ...(writeErrors.length ? { writeErrors } : {}), ok: 1 };
}

async function insert(cmd: Doc, ctx: CommandContext): Promise<Doc> {
  const name = collectionName(cmd, 'insert');
  const ordered = cmd.ordered === undefined || isTruthyFlag(cmd.ordered);
  // Drivers add _id themselves; shells and raw clients may not.
  const docs = docArray(cmd, 'documents').map((d) => withIdFirst(d._id === undefined ? { _id: new ObjectId(), ...d } : d));
  const outcome = await ctx.catalog.mutate(ctx.db, name, true, (store) => store.insertMany(docs, ordered));
  const errors = outcome?.errors.map((e) => writeErrorEntry(e.index, e.error)) ?? [];
  return writeReply(outcome?.inserted ?? 0, errors);
}

interface UpdateStatement {
  q: Doc;
  u: unknown;
  upsert: boolean;
  multi: boolean;
  arrayFilters?: Doc[];
}

function parseUpdateStatement(raw: Doc): UpdateStatement {
  if (!isPlainObject(raw.q)) throw new CommandError('FailedToParse', "BSON field 'update.updates.q' is missing but a required field");
  if (!isPlainObject(raw.u) && !Array.isArray(raw.u)) {
    throw new CommandError('FailedToParse', "BSON field 'update.updates.u' is missing but a required field");
  }
  const arrayFilters = Array.isArray(raw.arrayFilters) ? (raw.arrayFilters as Doc[]) : undefined;
  return { q: raw.q, u: raw.u, upsert: isTruthyFlag(raw.upsert), multi: isTruthyFlag(raw.multi), arrayFilters };
}

interface UpdateTotals {
  n: number;
  nModified: number;
  upserted: Doc[];
  writeErrors: Doc[];
}

async function runUpdates(store: CollectionStore, statements: Doc[], ordered: boolean): Promise<UpdateTotals> {
  const totals: UpdateTotals = { n: 0, nModified: 0, upserted: [], writeErrors: [] };
  for (let i = 0; i < statements.length; i++) {
    try {
      const st = parseUpdateStatement(statements[i] as Doc);
      const matches = runFind(store, { filter: st.q, limit: st.multi ? 0 : 1 });
      if (!matches.length && st.upsert) {
        const doc = buildUpsert(st.q, st.u, st.arrayFilters);
        await store.insertOne(doc);
        totals.n += 1;
        totals.upserted.push({ index: i, _id: doc._id });
        continue;
      }
      for (const doc of matches) {
        const next = applyUpdate(doc, st.u, st.q, st.arrayFilters);
        totals.n += 1;
        if (next) {
          await store.replace(doc, next);
          totals.nModified += 1;
        }
      }
    } catch (err) {
      totals.writeErrors.push(writeErrorEntry(i, err));
      if (ordered) break;
    }
  }
  return totals;
}

async function update(cmd: Doc, ctx: CommandContext): Promise<Doc> {
  const name = collectionName(cmd, 'update');
  const ordered = cmd.ordered === undefined || isTruthyFlag(cmd.ordered);
  const statements = docArray(cmd, 'updates');
  const anyUpsert = statements.some((s) => isTruthyFlag(s.upsert));
  const totals = await ctx.catalog.mutate(ctx.db, name, anyUpsert, (store) => runUpdates(store, statements, ordered));
  if (!totals) return writeReply(0, [], { nModified: 0 });
  const extra: Doc = { nModified: totals.nModified };
  if (totals.upserted.length) extra.upserted = totals.upserted;
  return writeReply(totals.n, totals.writeErrors, extra);
}

async function runDeletes(store: CollectionStore, statements: Doc[], ordered: boolean): Promise<{ n: number; writeErrors: Doc[] }> {
  let n = 0;
  const writeErrors: Doc[] = [];
  for (let i = 0; i < statements.length; i++) {
    try {
      const st = statements[i] as Doc;
      if (!isPlainObject(st.q)) throw new CommandError('FailedToParse', "BSON field 'delete.deletes.q' is missing but a required field");
      const limit = toNumber(st.limit) ?? 0;
      if (limit !== 0 && limit !== 1) throw new CommandError('BadValue', `The limit field in delete objects must be 0 or 1. Got ${limit}`);
      const matches = runFind(store, { filter: st.q, limit });
      await store.remove(matches);
      n += matches.length;
    } catch (err) {
      writeErrors.push(writeErrorEntry(i, err));
      if (ordered) break;
    }
  }
  return { n, writeErrors };
}

async function remove(cmd: Doc, ctx: CommandContext): Promise<Doc> {
  const name = collectionName(cmd, 'delete');
  const ordered = cmd.ordered === undefined || isTruthyFlag(cmd.ordered);
  const statements = docArray(cmd, 'deletes');
  const result = await ctx.catalog.mutate(ctx.db, name, false, (store) => runDeletes(store, statements, ordered));
  return writeReply(result?.n ?? 0, result?.writeErrors ?? []);
}

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: remove,
};
