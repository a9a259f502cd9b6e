import { BSON } from 'bson';
import { AppendLog, type LogRecord } from './append-log.js';
import { decodeDoc, encodeDoc, valueKey } from './bson-values.js';
import { CommandError, DuplicateKeyError, StoreGoneError } from './errors.js';
import {
  ID_INDEX,
  sameIndexOptions,
  sameKeyPattern,
  UniqueIndex,
  valuesAtPath,
  type IndexKey,
  type IndexSpec,
} from './indexes.js';
import { MAX_BSON_OBJECT_SIZE, type Doc, type EmbeddedLogger } from './types.js';

/** Record ids of documents always start with a type tag (see valueKey), never with '!'. */
const META_ID = '!meta';
/** Rewrite the append-only file once it holds this many superseded lines and they outnumber live docs 2:1. */
const COMPACT_AFTER_APPENDS = 20_000;

export interface InsertOutcome {
  inserted: number;
  errors: Array<{ index: number; error: unknown }>;
}

/**
 * One collection: decoded documents in memory, one nedb-format record per document on disk
 * (`{"_id": <valueKey of the BSON _id>, "d": <canonical EJSON>}`), and unique indexes enforced here on
 * canonical key strings (nedb's indexes would only understand JS primitives, not BSON types).
 *
 * Mutating methods must run inside exclusive(): that queue is what makes read-modify-write commands
 * (findAndModify $inc, upserts) atomic per collection. Every mutation is appended to the log before
 * it is applied in memory, so whatever a client has been told is durable against the process dying,
 * and a failed append leaves memory untouched.
 */
export class CollectionStore {
  readonly ns: string;
  readonly docs = new Map<string, Doc>();
  private specs: IndexSpec[] = [ID_INDEX];
  private uniques: UniqueIndex[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private state: 'open' | 'dropped' | 'closed' = 'open';
  private appendsSinceCompaction = 0;

  private constructor(
    readonly db: string,
    readonly name: string,
    private readonly log: AppendLog,
    private readonly logger: EmbeddedLogger,
  ) {
    this.ns = `${db}.${name}`;
  }

  static async open(file: string, db: string, name: string, logger: EmbeddedLogger): Promise<CollectionStore> {
    const { log, records } = await AppendLog.open(file, logger); // also compacts: "compact on start"
    const store = new CollectionStore(db, name, log, logger);
    store.hydrate(records);
    return store;
  }

  private hydrate(records: Map<string, LogRecord>): void {
    const meta = records.get(META_ID);
    if (meta && typeof meta.indexes === 'string') {
      this.specs = (decodeDoc(meta.indexes).specs as IndexSpec[]) ?? [ID_INDEX];
      this.uniques = this.specs.filter((s) => s.unique).map((s) => new UniqueIndex(s));
    }
    for (const r of records.values()) {
      if (r._id === META_ID || typeof r.d !== 'string') continue;
      const doc = decodeDoc(r.d);
      const id = r._id;
      this.docs.set(id, doc);
      for (const u of this.uniques) {
        const keys = u.keysOf(doc);
        if (u.findConflict(keys, id)) {
          this.logger.error({ ns: this.ns, index: u.spec.name, id }, 'duplicate key found while loading; keeping first');
        }
        for (const k of keys) if (!u.owners.has(k.key)) u.owners.set(k.key, id);
      }
    }
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Run fn after every previously queued mutation of this collection has finished. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.state !== 'open') throw new StoreGoneError(this.ns);
      return fn();
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Snapshot in natural order; safe to hold across awaits because stored docs are never mutated. */
  all(): Doc[] {
    return [...this.docs.values()];
  }

  indexSpecs(): IndexSpec[] {
    return this.specs.map((s) => ({ ...s }));
  }

  async insertMany(docs: Doc[], ordered: boolean): Promise<InsertOutcome> {
    const errors: InsertOutcome['errors'] = [];
    const accepted: Array<{ id: string; doc: Doc; keys: IndexKey[][] }> = [];
    const pendingIds = new Set<string>();
    const pendingKeys = this.uniques.map(() => new Map<string, string>());
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i] as Doc;
      try {
        checkIdValue(doc._id);
        checkInsertSize(doc);
        const id = valueKey(doc._id);
        if (this.docs.has(id) || pendingIds.has(id)) throw this.duplicateId(doc._id);
        const keys = this.checkUnique(doc, id, pendingKeys);
        pendingIds.add(id);
        keys.forEach((ks, j) => ks.forEach((k) => pendingKeys[j]?.set(k.key, id)));
        accepted.push({ id, doc, keys });
      } catch (error) {
        errors.push({ index: i, error });
        if (ordered) break;
      }
    }
    if (accepted.length) {
      this.log.append(accepted.map((a) => ({ _id: a.id, d: encodeDoc(a.doc) })));
      for (const a of accepted) {
        this.docs.set(a.id, a.doc);
        this.uniques.forEach((u, j) => u.add(a.keys[j] ?? [], a.id));
      }
      await this.afterAppend(accepted.length);
    }
    return { inserted: accepted.length, errors };
  }

  async insertOne(doc: Doc): Promise<void> {
    const { errors } = await this.insertMany([doc], true);
    if (errors[0]) throw errors[0].error;
  }

  /** Replace a stored document by a new version with the same _id. */
  async replace(oldDoc: Doc, newDoc: Doc): Promise<void> {
    const id = valueKey(oldDoc._id);
    checkUpdateSize(newDoc);
    const keys = this.checkUnique(newDoc, id);
    this.log.append([{ _id: id, d: encodeDoc(newDoc) }]);
    this.uniques.forEach((u, j) => {
      u.remove(u.keysOf(oldDoc), id);
      u.add(keys[j] ?? [], id);
    });
    this.docs.set(id, newDoc);
    await this.afterAppend(1);
  }

  async remove(docs: Doc[]): Promise<void> {
    if (!docs.length) return;
    const ids = docs.map((d) => valueKey(d._id));
    this.log.append(ids.map((id) => ({ $$deleted: true as const, _id: id })));
    docs.forEach((doc, i) => {
      const id = ids[i] as string;
      for (const u of this.uniques) u.remove(u.keysOf(doc), id);
      this.docs.delete(id);
    });
    await this.afterAppend(ids.length);
  }

  /** Returns how many of the requested indexes were new. */
  async createIndexes(specs: IndexSpec[]): Promise<number> {
    const added: IndexSpec[] = [];
    for (const spec of specs) {
      const existing = [...this.specs, ...added];
      const sameName = existing.find((s) => s.name === spec.name);
      if (sameName) {
        if (sameIndexOptions(sameName, spec)) continue;
        const codeName = sameKeyPattern(sameName.key, spec.key) ? 'IndexOptionsConflict' : 'IndexKeySpecsConflict';
        throw new CommandError(codeName, `An existing index has the same name as the requested index: ${spec.name}`);
      }
      const sameKey = existing.find((s) => sameKeyPattern(s.key, spec.key));
      if (sameKey) {
        throw new CommandError('IndexOptionsConflict', `Index already exists with a different name: ${sameKey.name}`);
      }
      added.push(spec);
    }
    if (!added.length) return 0;
    const fresh = added.filter((s) => s.unique).map((s) => new UniqueIndex(s));
    for (const u of fresh) {
      for (const [id, doc] of this.docs) {
        const keys = u.keysOf(doc);
        const conflict = u.findConflict(keys, id);
        if (conflict) throw new DuplicateKeyError(this.ns, u.spec.name, u.spec.key, u.keyValue(conflict.values));
        u.add(keys, id);
      }
    }
    await this.persistIndexSpecs([...this.specs, ...added]);
    this.specs.push(...added);
    this.uniques.push(...fresh);
    return added.length;
  }

  /** Delete documents whose TTL-indexed date field is older than expireAfterSeconds; returns the count. */
  async expire(now: number): Promise<number> {
    const ttl = this.specs.filter((s) => s.expireAfterSeconds !== undefined && Object.keys(s.key).length === 1);
    if (!ttl.length) return 0;
    const victims: Doc[] = [];
    for (const doc of this.docs.values()) {
      const expired = ttl.some((s) => {
        const field = Object.keys(s.key)[0] as string;
        const dates = valuesAtPath(doc, field.split('.'), 0).filter((v): v is Date => v instanceof Date);
        if (!dates.length) return false;
        const earliest = Math.min(...dates.map((d) => d.getTime()));
        return earliest + (s.expireAfterSeconds as number) * 1000 <= now;
      });
      if (expired) victims.push(doc);
    }
    await this.remove(victims);
    return victims.length;
  }

  /** Must be called inside exclusive(); later queued work fails with StoreGoneError. */
  async drop(): Promise<void> {
    this.state = 'dropped';
    await this.log.remove();
  }

  async close(): Promise<void> {
    await this.exclusive(async () => {
      this.state = 'closed';
      try {
        await this.log.compact(this.liveRecords());
      } finally {
        this.log.close();
      }
    });
  }

  private async persistIndexSpecs(specs: IndexSpec[]): Promise<void> {
    this.log.append([{ _id: META_ID, indexes: encodeDoc({ specs }) }]);
    await this.afterAppend(1);
  }

  private *liveRecords(): Generator<LogRecord> {
    yield { _id: META_ID, indexes: encodeDoc({ specs: this.specs }) };
    for (const [id, doc] of this.docs) yield { _id: id, d: encodeDoc(doc) };
  }

  private checkUnique(doc: Doc, id: string, pending?: Array<Map<string, string>>): IndexKey[][] {
    return this.uniques.map((u, j) => {
      const keys = u.keysOf(doc);
      const conflict = u.findConflict(keys, id, pending?.[j]);
      if (conflict) throw new DuplicateKeyError(this.ns, u.spec.name, u.spec.key, u.keyValue(conflict.values));
      return keys;
    });
  }

  private duplicateId(idValue: unknown): DuplicateKeyError {
    return new DuplicateKeyError(this.ns, '_id_', { _id: 1 }, { _id: idValue });
  }

  private async afterAppend(lines: number): Promise<void> {
    this.appendsSinceCompaction += lines;
    if (this.appendsSinceCompaction > COMPACT_AFTER_APPENDS && this.appendsSinceCompaction > 2 * this.docs.size) {
      this.appendsSinceCompaction = 0;
      try {
        await this.log.compact(this.liveRecords());
      } catch (err) {
        // The write that triggered this is already durable; a failed rewrite only costs disk space.
        this.logger.warn({ err, ns: this.ns }, 'compaction failed; will retry later');
      }
    }
  }
}

export function checkIdValue(v: unknown): void {
  if (Array.isArray(v)) throw new CommandError('InvalidIdField', "The '_id' value cannot be of type array");
  if (v instanceof RegExp) throw new CommandError('InvalidIdField', "The '_id' value cannot be of type regex");
  if (v === undefined) throw new CommandError('InvalidIdField', 'document is missing an _id');
}

/*
 * A document over 16 MiB could be stored but never sent back: no reply can carry it, so every read
 * that reaches it would fail. MongoDB refuses such writes with the same code and messages.
 */
function checkInsertSize(doc: Doc): void {
  const size = BSON.calculateObjectSize(doc);
  if (size > MAX_BSON_OBJECT_SIZE) {
    throw new CommandError('BSONObjectTooLarge', `object to insert too large. size in bytes: ${size}, max size: ${MAX_BSON_OBJECT_SIZE}`);
  }
}

function checkUpdateSize(doc: Doc): void {
  if (BSON.calculateObjectSize(doc) > MAX_BSON_OBJECT_SIZE) {
    throw new CommandError('BSONObjectTooLarge', `Resulting document after update is larger than ${MAX_BSON_OBJECT_SIZE}`);
  }
}
