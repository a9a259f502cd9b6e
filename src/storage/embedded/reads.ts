import { Aggregator, ProcessingMode, Query } from 'mingo';
import type { Options } from 'mingo/types';
import { isPlainObject, toNumber, valueKey } from './bson-values.js';
import type { CollectionStore } from './collection-store.js';
import { CommandError } from './errors.js';
import type { Doc } from './types.js';

export interface FindSpec {
  filter?: Doc;
  sort?: Doc;
  skip?: number;
  limit?: number;
  projection?: Doc;
  collation?: Doc;
}

function mingoOptions(collation?: Doc, extra: Partial<Options> = {}): Partial<Options> {
  return { idKey: '_id', useStrictMode: true, ...(collation ? { collation: collation as unknown as Options['collation'] } : {}), ...extra };
}

/** An `_id` condition that names exact values, so documents can be fetched by key instead of scanned. */
function idLookupValues(cond: unknown): unknown[] | undefined {
  if (cond === undefined || cond === null || cond instanceof RegExp || Array.isArray(cond)) return undefined;
  if (!isPlainObject(cond)) return [cond];
  const keys = Object.keys(cond);
  if (keys.length === 0 || !keys.every((k) => k.startsWith('$'))) {
    return keys.some((k) => k.startsWith('$')) ? undefined : [cond];
  }
  if (keys.length !== 1) return undefined;
  if (keys[0] === '$eq') return idLookupValues(cond.$eq);
  if (keys[0] === '$in' && Array.isArray(cond.$in)) {
    const values = cond.$in as unknown[];
    return values.every((v) => idLookupValues(v)?.length === 1) ? values : undefined;
  }
  return undefined;
}

/** Documents that may match: an `_id` point lookup when possible, otherwise the whole collection. */
export function candidates(store: CollectionStore, filter: Doc): Doc[] {
  const ids = idLookupValues(filter._id);
  if (!ids) return store.all();
  const out: Doc[] = [];
  const seen = new Set<string>();
  for (const v of ids) {
    const key = valueKey(v);
    const doc = store.docs.get(key);
    if (doc && !seen.has(key)) {
      seen.add(key);
      out.push(doc);
    }
  }
  return out;
}

/** `$natural` means storage order, which is the order our candidates already come in. */
function normalizeSort(sort: Doc | undefined): { sort?: Doc; reverse: boolean } {
  if (!sort || !Object.keys(sort).length) return { reverse: false };
  const out: Doc = {};
  let reverse = false;
  for (const [k, v] of Object.entries(sort)) {
    const dir = toNumber(v);
    if (k === '$natural') reverse = dir === -1;
    else if (dir === 1 || dir === -1) out[k] = dir;
    else throw new CommandError('BadValue', `$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
  }
  return { sort: Object.keys(out).length ? out : undefined, reverse };
}

/** filter -> sort -> skip -> limit -> projection, with mingo providing the MongoDB semantics. */
export function runFind(store: CollectionStore | undefined, spec: FindSpec): Doc[] {
  if (!store) return [];
  const filter = spec.filter ?? {};
  const { sort, reverse } = normalizeSort(spec.sort);
  // A collation can make differently spelled _id values equal, which a key lookup would miss.
  let source = spec.collation ? store.all() : candidates(store, filter);
  if (reverse) source = source.reverse();
  const projection = spec.projection && Object.keys(spec.projection).length ? spec.projection : undefined;
  // Point reads by _id (the hot path of bot state) are fully answered by the key lookup, and building
  // a mingo Query costs more than the rest of the request; key equality is also what mongod applies
  // across numeric types, which mingo's strict equality would not.
  const answeredByKey = !spec.collation && Object.keys(filter).length === 1 && idLookupValues(filter._id) !== undefined;
  if (answeredByKey && !sort && !projection) {
    return spec.limit ? source.slice(spec.skip ?? 0, (spec.skip ?? 0) + spec.limit) : source.slice(spec.skip ?? 0);
  }
  const query = new Query(answeredByKey ? {} : filter, mingoOptions(spec.collation));
  let cursor = query.find<Doc>(source, projection);
  if (sort) cursor = cursor.sort(sort);
  if (spec.skip) cursor = cursor.skip(spec.skip);
  if (spec.limit) cursor = cursor.limit(spec.limit);
  return cursor.all();
}

export function project(doc: Doc, projection: Doc | undefined): Doc {
  if (!projection || !Object.keys(projection).length) return doc;
  return new Query({}, mingoOptions()).find<Doc>([doc], projection).all()[0] ?? doc;
}

/** Stages mingo evaluates without mutating their input documents, so no defensive copy is needed. */
const NON_MUTATING_STAGES = new Set(['$match', '$sort', '$skip', '$limit', '$count', '$group']);
/** These write to other collections, which would bypass persistence; mongod users get a clear error. */
const REJECTED_STAGES = new Set(['$out', '$merge']);

export function runAggregate(
  store: CollectionStore | undefined,
  pipeline: Doc[],
  resolveCollection: (name: string) => Doc[],
  collation?: Doc,
): Doc[] {
  for (const stage of pipeline) {
    const op = Object.keys(stage)[0] ?? '';
    if (REJECTED_STAGES.has(op)) {
      throw new CommandError('Location40324', `Unrecognized pipeline stage name: '${op}' (not supported by the embedded server)`);
    }
  }
  let input: Doc[];
  let rest = pipeline;
  const first = pipeline[0];
  if (first && isPlainObject(first.$match)) {
    input = runFind(store, { filter: first.$match, collation });
    rest = pipeline.slice(1);
  } else {
    input = store ? store.all() : [];
  }
  if (!rest.length) return input;
  const pure = rest.every((stage) => NON_MUTATING_STAGES.has(Object.keys(stage)[0] ?? ''));
  const options = mingoOptions(collation, {
    processingMode: pure ? ProcessingMode.CLONE_OFF : ProcessingMode.CLONE_INPUT,
    collectionResolver: resolveCollection,
  });
  return new Aggregator(rest, options).run<Doc>(input);
}
