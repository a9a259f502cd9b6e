import { ObjectId } from 'bson';
import { updateOne } from 'mingo';
import type { Modifier, PipelineStage } from 'mingo/updater';
import { cloneDeep, isEqual, resolve } from 'mingo/util';
import { bsonTypeOf, formatValue, isPlainObject, toNumber, withIdFirst } from './bson-values.js';
import { checkIdValue } from './collection-store.js';
import { CommandError } from './errors.js';
import type { Doc } from './types.js';

export type UpdateKind = 'operators' | 'replacement' | 'pipeline';

export function classifyUpdate(u: unknown): UpdateKind {
  if (Array.isArray(u)) return 'pipeline';
  if (!isPlainObject(u)) throw new CommandError('FailedToParse', 'update must be a document or a pipeline');
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length === 0) return 'replacement';
  if (ops.length !== keys.length) {
    const field = keys.find((k) => !k.startsWith('$'));
    throw new CommandError('FailedToParse', `Unknown modifier: ${String(field)}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
  return 'operators';
}

/** mingo asserts numeric arguments, but Long values arrive unpromoted from the wire. */
function normalizeNumericArgs(modifier: Doc): Doc {
  const out: Doc = { ...modifier };
  for (const op of ['$inc', '$mul']) {
    const args = modifier[op];
    if (!isPlainObject(args)) continue;
    const fixed: Doc = {};
    for (const [path, v] of Object.entries(args)) fixed[path] = toNumber(v) ?? v;
    out[op] = fixed;
  }
  return out;
}

/** mongod refuses arithmetic on non-numbers; mingo would silently skip it. Long fields are narrowed to numbers. */
function checkArithmeticTargets(doc: Doc, modifier: Doc): void {
  for (const op of ['$inc', '$mul']) {
    const args = modifier[op];
    if (!isPlainObject(args)) continue;
    for (const path of Object.keys(args)) {
      // Positional paths ($, $[], $[id]) name several or unknown elements; mingo resolves those itself.
      if (path.split('.').some((part) => part.startsWith('$'))) continue;
      const current = resolve(doc, path);
      if (current === undefined || typeof current === 'number') continue;
      if (bsonTypeOf(current) === 'Long') {
        setPath(doc, path, toNumber(current));
        continue;
      }
      throw new CommandError(
        'TypeMismatch',
        `Cannot apply ${op} to a value of non-numeric type. {_id: ${formatValue(doc._id)}} has the field '${path}' of non-numeric type ${current === null ? 'null' : typeof current}`,
      );
    }
  }
}

/** Assign at a dotted path, creating intermediate documents as needed. */
function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let node: Doc = doc;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === null || typeof next !== 'object') node[part] = {};
    node = node[part] as Doc;
  }
  node[parts[parts.length - 1] as string] = value;
}

/**
 * mongod accepts `$set: {_id: v}` when it does not change _id (and in upserts, where there is no _id
 * yet); mingo rejects any _id path. Take that assignment out so the caller can check it against _id.
 */
function takeIdAssignment(modifier: Doc): { rest: Doc; id?: unknown; hasId: boolean } {
  const set = modifier.$set;
  if (!isPlainObject(set) || !('_id' in set)) return { rest: modifier, hasId: false };
  const { _id: id, ...others } = set;
  const rest: Doc = { ...modifier, $set: others };
  if (!Object.keys(others).length) delete rest.$set;
  return { rest, id, hasId: true };
}

/** Only the positional operator `$` needs the filter; without it mingo need not re-run the query. */
function usesPositional(modifier: Doc): boolean {
  return Object.values(modifier).some((args) => isPlainObject(args) && Object.keys(args).some((p) => /(^|\.)\$(\.|$)/.test(p)));
}

function applyWithMingo(target: Doc, update: Modifier<Doc> | PipelineStage[], filter: Doc, arrayFilters?: Doc[]): Doc {
  const docs = [target];
  try {
    updateOne(docs, filter, update, { arrayFilters, cloneMode: 'deep' });
  } catch (err) {
    // mingo guards _id itself; give the client mongod's code for it rather than a generic BadValue.
    if (err instanceof Error && err.message.includes("immutable field '_id'")) throw new CommandError('ImmutableField', err.message);
    throw err;
  }
  return docs[0] as Doc;
}

function assertIdUnchanged(before: Doc, after: Doc): void {
  if (!isEqual(before._id, after._id)) {
    throw new CommandError(
      'ImmutableField',
      `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(after._id)}`,
    );
  }
}

/**
 * Apply an update statement to a stored document. Returns the new version, or undefined when the
 * update is a no-op (mongod then neither writes nor counts it in nModified).
 */
export function applyUpdate(doc: Doc, u: unknown, filter: Doc, arrayFilters?: Doc[]): Doc | undefined {
  const kind = classifyUpdate(u);
  if (kind === 'replacement') {
    const replacement = u as Doc;
    if ('_id' in replacement) assertIdUnchanged(doc, replacement);
    const next = withIdFirst({ ...replacement, _id: doc._id });
    return isEqual(next, doc) && Object.keys(next).join() === Object.keys(doc).join() ? undefined : next;
  }
  const clone = cloneDeep(doc);
  let next: Doc;
  if (kind === 'pipeline') {
    next = applyWithMingo(clone, u as PipelineStage[], {}, arrayFilters);
  } else {
    const normalized = normalizeNumericArgs(u as Doc);
    delete normalized.$setOnInsert;
    const { rest: modifier, id, hasId } = takeIdAssignment(normalized);
    if (hasId) assertIdUnchanged(doc, { _id: id });
    if (!Object.keys(modifier).length) return undefined;
    checkArithmeticTargets(clone, modifier);
    next = applyWithMingo(clone, modifier as Modifier<Doc>, usesPositional(modifier) ? filter : {}, arrayFilters);
  }
  assertIdUnchanged(doc, next);
  return isEqual(next, doc) ? undefined : withIdFirst(next);
}

/** Equality conditions of a filter, which mongod copies into an upserted document. */
function equalityFields(filter: Doc, out: Doc = {}): Doc {
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const clause of v) if (isPlainObject(clause)) equalityFields(clause, out);
    } else if (k.startsWith('$') || v instanceof RegExp) {
      continue;
    } else if (isPlainObject(v) && Object.keys(v).some((op) => op.startsWith('$'))) {
      if ('$eq' in v && !(v.$eq instanceof RegExp)) out[k] = v.$eq;
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** Build the document an upsert inserts when nothing matched the filter. */
export function buildUpsert(filter: Doc, u: unknown, arrayFilters?: Doc[]): Doc {
  const kind = classifyUpdate(u);
  const seedFields = equalityFields(filter);
  let doc: Doc;
  if (kind === 'replacement') {
    doc = { ...(u as Doc) };
    if (doc._id === undefined && seedFields._id !== undefined) doc._id = seedFields._id;
  } else {
    // Seeded by hand: mingo's $set refuses to touch _id, which is exactly what an upsert seed must set.
    const seed: Doc = {};
    for (const [path, value] of Object.entries(seedFields)) setPath(seed, path, cloneDeep(value));
    if (kind === 'pipeline') {
      doc = applyWithMingo(seed, u as PipelineStage[], {}, arrayFilters);
    } else {
      const normalized = normalizeNumericArgs(u as Doc);
      const onInsert = normalized.$setOnInsert;
      delete normalized.$setOnInsert;
      if (isPlainObject(onInsert)) normalized.$set = { ...(isPlainObject(normalized.$set) ? normalized.$set : {}), ...onInsert };
      const { rest: modifier, id, hasId } = takeIdAssignment(normalized);
      if (hasId) {
        if (seedFields._id !== undefined) assertIdUnchanged(seedFields, { _id: id });
        seed._id = cloneDeep(id);
      }
      doc = Object.keys(modifier).length ? applyWithMingo(seed, modifier as Modifier<Doc>, {}, arrayFilters) : seed;
    }
    if (seedFields._id !== undefined) assertIdUnchanged(seedFields, doc);
  }
  if (doc._id === undefined) doc._id = new ObjectId();
  checkIdValue(doc._id);
  return withIdFirst(doc);
}
