import { BSON, BSONRegExp, Double, EJSON, Int32, Long } from 'bson';
import type { Doc } from './types.js';

/**
 * In-memory representation: what `BSON.deserialize(..., {promoteLongs: false})` yields.
 * Int32 and Double become JS numbers (so mingo can compare and $inc them), Long stays a Long so
 * 64-bit values are not silently narrowed, every other BSON type stays its bson class instance.
 */
export const WIRE_DESERIALIZE_OPTIONS: BSON.DeserializeOptions = {
  promoteLongs: false,
  promoteBuffers: false,
  bsonRegExp: false,
};

export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** bson classes expose `_bsontype`; checking it survives duplicate copies of the bson package. */
export function bsonTypeOf(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const t = (v as { _bsontype?: unknown })._bsontype;
  return typeof t === 'string' ? t : undefined;
}

/** Numeric command arguments may arrive as Int32, Double or (with promoteLongs off) Long. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const t = bsonTypeOf(v);
  if (t === 'Long' || t === 'Int32' || t === 'Double' || t === 'Decimal128') return Number(String(v));
  return undefined;
}

export function isTruthyFlag(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  const n = toNumber(v);
  return n !== undefined && n !== 0;
}

/**
 * A string that is equal for two values exactly when MongoDB considers them equal for index
 * purposes (numbers compare by value across Int32/Double/Long). Used as the record _id on disk and as
 * unique-index keys. Every top-level form starts with a type tag, so it never collides with the
 * reserved record ids that start with '!'.
 */
export function valueKey(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Object.is(v, -0) ? 'n0' : `n${v}`;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return `n${v}`;
    default:
      break;
  }
  if (v instanceof Date) return `d${v.getTime()}`;
  if (v instanceof RegExp) return `r${JSON.stringify(v.source)}${v.flags}`;
  if (Array.isArray(v)) return `[${v.map(valueKey).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${valueKey(x)}`)
      .join(',')}}`;
  }
  switch (bsonTypeOf(v)) {
    case 'ObjectId':
      return `o${String(v)}`;
    case 'Long': {
      const long = v as Long;
      const n = long.toNumber();
      return Number.isSafeInteger(n) ? `n${n}` : `n${long.toString()}`;
    }
    case 'Int32':
    case 'Double':
      return valueKey(Number(String(v)));
    case 'Decimal128':
      return `m${String(v)}`;
    default:
      return `e${EJSON.stringify(v as Doc, { relaxed: false })}`;
  }
}

/**
 * Field names may start with '$' (MongoDB 5+ allows it, and `{$date: 1}` is a legal subdocument), but
 * EJSON reserves those names for its type wrappers. Prefixing one more '$' on the way to disk makes
 * every single-'$' key in the file an EJSON keyword, and stripping it again on load restores the name.
 */
const escapeKey = (k: string): string => (k.startsWith('$') ? `$${k}` : k);
const unescapeKey = (k: string): string => (k.startsWith('$$') ? k.slice(1) : k);

/**
 * Prepare a document for canonical EJSON: numbers become the wrapper BSON.serialize would pick (so
 * Int32 vs Double survives; plain EJSON would turn 2**40 into a Long), '$' keys get escaped.
 */
function toTyped(v: unknown): unknown {
  if (typeof v === 'number') {
    const int32 = Number.isInteger(v) && !Object.is(v, -0) && v >= -2147483648 && v <= 2147483647;
    return int32 ? new Int32(v) : new Double(v);
  }
  if (Array.isArray(v)) return v.map(toTyped);
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const [k, x] of Object.entries(v)) out[escapeKey(k)] = toTyped(x);
    return out;
  }
  return v;
}

/** The inverse of toTyped plus the few spots where EJSON.parse and the wire decoder disagree. */
function fromTyped(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromTyped);
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const [k, x] of Object.entries(v)) out[unescapeKey(k)] = fromTyped(x);
    return out;
  }
  switch (bsonTypeOf(v)) {
    case 'Int32':
    case 'Double':
      return (v as Int32 | Double).valueOf();
    case 'BSONRegExp': {
      const re = v as BSONRegExp;
      return new RegExp(re.pattern, re.options.replace(/[^imsu]/g, ''));
    }
    default:
      return v;
  }
}

/** Canonical EJSON: human-readable on disk and lossless for every BSON type we hold. */
export function encodeDoc(doc: Doc): string {
  return EJSON.stringify(toTyped(doc) as Doc, { relaxed: false });
}

export function decodeDoc(text: string): Doc {
  return fromTyped(EJSON.parse(text, { relaxed: false })) as Doc;
}

/** MongoDB stores _id as the first field; drivers and users notice when it is not. */
export function withIdFirst(doc: Doc): Doc {
  const keys = Object.keys(doc);
  if (keys[0] === '_id' || !('_id' in doc)) return doc;
  const out: Doc = { _id: doc._id };
  for (const k of keys) if (k !== '_id') out[k] = doc[k];
  return out;
}

/** Render a value the way mongod prints it inside error messages, e.g. `{ name: "x" }`. */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v instanceof RegExp) return String(v);
  if (Array.isArray(v)) return v.length ? `[ ${v.map(formatValue).join(', ')} ]` : '[]';
  if (isPlainObject(v)) {
    const parts = Object.entries(v).map(([k, x]) => `${k}: ${formatValue(x)}`);
    return parts.length ? `{ ${parts.join(', ')} }` : '{}';
  }
  switch (bsonTypeOf(v)) {
    case 'ObjectId':
      return `ObjectId('${String(v)}')`;
    case 'Binary': {
      const bin = v as BSON.Binary;
      return `BinData(${bin.sub_type}, ${Buffer.from(bin.buffer).toString('hex').toUpperCase()})`;
    }
    default:
      return String(v);
  }
}

/** Cursor ids travel as int64; we keep them as bigint internally. */
export function toCursorId(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (bsonTypeOf(v) === 'Long') return (v as Long).toBigInt();
  return undefined;
}
