import { Query } from 'mingo';
import { isEqual } from 'mingo/util';
import { isPlainObject, isTruthyFlag, toNumber, valueKey } from './bson-values.js';
import { CommandError } from './errors.js';
import type { Doc } from './types.js';

/** An index definition as listIndexes reports it and as it is persisted. */
export interface IndexSpec {
  v: 2;
  key: Doc;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Doc;
}

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export function defaultIndexName(key: Doc): string {
  return Object.entries(key)
    .map(([field, dir]) => `${field}_${String(dir)}`)
    .join('_');
}

/** Validate one element of createIndexes' `indexes` array and keep only the options we honour. */
export function normalizeIndexSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw) || !isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    throw new CommandError('BadValue', 'index specification must contain a non-empty key document');
  }
  const key: Doc = {};
  for (const [field, dir] of Object.entries(raw.key)) {
    const n = toNumber(dir);
    if (n !== undefined) key[field] = n;
    else if (typeof dir === 'string') key[field] = dir;
    else throw new CommandError('CannotCreateIndex', `bad index key pattern for field '${field}'`);
  }
  const name = typeof raw.name === 'string' && raw.name ? raw.name : defaultIndexName(key);
  const spec: IndexSpec = { v: 2, key, name };
  if (isTruthyFlag(raw.unique)) spec.unique = true;
  if (isTruthyFlag(raw.sparse)) spec.sparse = true;
  const ttl = toNumber(raw.expireAfterSeconds);
  if (ttl !== undefined) spec.expireAfterSeconds = ttl;
  if (isPlainObject(raw.partialFilterExpression)) spec.partialFilterExpression = raw.partialFilterExpression;
  return spec;
}

/** Field order matters: {a:1,b:1} and {b:1,a:1} are different indexes. */
export function sameKeyPattern(a: Doc, b: Doc): boolean {
  return valueKey(a) === valueKey(b);
}

/** Two specs "match" when createIndexes may treat the second as already existing. */
export function sameIndexOptions(a: IndexSpec, b: IndexSpec): boolean {
  return (
    sameKeyPattern(a.key, b.key) &&
    !!a.unique === !!b.unique &&
    !!a.sparse === !!b.sparse &&
    a.expireAfterSeconds === b.expireAfterSeconds &&
    isEqual(a.partialFilterExpression ?? null, b.partialFilterExpression ?? null)
  );
}

/** Values an index sees at `path`, expanding arrays like MongoDB's multikey indexes do. */
export function valuesAtPath(value: unknown, parts: string[], i: number): unknown[] {
  if (i === parts.length) {
    if (Array.isArray(value)) return value.length ? value : [undefined];
    return [value];
  }
  if (Array.isArray(value)) {
    const part = parts[i] as string;
    if (/^\d+$/.test(part)) return valuesAtPath(value[Number(part)], parts, i + 1);
    const out = value.flatMap((el) => valuesAtPath(el, parts, i));
    return out.length ? out : [undefined];
  }
  if (isPlainObject(value)) return valuesAtPath(value[parts[i] as string], parts, i + 1);
  return [undefined];
}

export interface IndexKey {
  key: string;
  /** The values making up the key, in index field order, for E11000 messages (keyValue). */
  values: unknown[];
}

/** In-memory enforcement of one unique index: canonical key string -> record id of its owner. */
export class UniqueIndex {
  readonly owners = new Map<string, string>();
  private readonly fields: string[];
  private readonly paths: string[][];
  private readonly partial: Query | undefined;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.paths = this.fields.map((f) => f.split('.'));
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression, {}) : undefined;
  }

  /** The distinct keys a document contributes; empty when sparse/partial rules exclude it. */
  keysOf(doc: Doc): IndexKey[] {
    if (this.partial && !this.partial.test(doc)) return [];
    const perField = this.paths.map((p) => valuesAtPath(doc, p, 0));
    if (this.spec.sparse && perField.every((vals) => vals.every((v) => v === undefined))) return [];
    let combos: unknown[][] = [[]];
    for (const vals of perField) combos = combos.flatMap((c) => vals.map((v) => [...c, v]));
    const seen = new Map<string, IndexKey>();
    for (const values of combos) {
      const key = valueKey(values);
      if (!seen.has(key)) seen.set(key, { key, values: values.map((v) => (v === undefined ? null : v)) });
    }
    return [...seen.values()];
  }

  keyValue(values: unknown[]): Doc {
    const out: Doc = {};
    this.fields.forEach((f, i) => {
      out[f] = values[i];
    });
    return out;
  }

  /** The first key of `doc` already owned by a record other than `self`, consulting `pending` too. */
  findConflict(keys: IndexKey[], self: string, pending?: Map<string, string>): IndexKey | undefined {
    for (const k of keys) {
      const owner = this.owners.get(k.key) ?? pending?.get(k.key);
      if (owner !== undefined && owner !== self) return k;
    }
    return undefined;
  }

  add(keys: IndexKey[], owner: string): void {
    for (const k of keys) this.owners.set(k.key, owner);
  }

  remove(keys: IndexKey[], owner: string): void {
    for (const k of keys) if (this.owners.get(k.key) === owner) this.owners.delete(k.key);
  }
}
