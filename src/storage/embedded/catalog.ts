import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CollectionStore } from './collection-store.js';
import { CommandError, StoreGoneError } from './errors.js';
import type { EmbeddedLogger } from './types.js';

const FILE_SUFFIX = '.db';
/** nedb's crash-safe compaction writes `<file>~` first; a leftover one still names a collection. */
const TEMP_SUFFIX = `${FILE_SUFFIX}~`;
const BAD_DB_CHARS = /[/\\. "$*<>:|?\0]/;

export function validateDbName(db: unknown): string {
  if (typeof db !== 'string' || !db || db.length > 63 || BAD_DB_CHARS.test(db)) {
    throw new CommandError('InvalidNamespace', `Invalid database name: '${String(db)}'`);
  }
  return db;
}

export function validateCollectionName(name: unknown): string {
  if (typeof name !== 'string' || !name || name.includes('$') || name.includes('\0')) {
    throw new CommandError('InvalidNamespace', `Invalid collection name: '${String(name)}'`);
  }
  return name;
}

/** Names become path segments; percent-encoding keeps '/' and friends out and stays reversible. */
const encodeName = (name: string): string => encodeURIComponent(name);

/**
 * Which collections exist, where their files live, and the lifecycle around them: open on startup,
 * create on first write, drop (waiting for queued writers first), TTL sweeps and shutdown.
 */
export class Catalog {
  /** Keyed by "db.coll"; a promise so concurrent first writers share one open. */
  private readonly stores = new Map<string, Promise<CollectionStore>>();
  /** Stores whose open has finished, for synchronous lookups (e.g. mingo's $lookup resolver). */
  private readonly ready = new Map<string, CollectionStore>();
  private closed = false;
  /** A drop in flight must finish deleting the file before a new store with that name opens it. */
  private readonly dropping = new Map<string, Promise<void>>();

  private constructor(
    private readonly dataDir: string,
    private readonly logger: EmbeddedLogger,
  ) {}

  static async open(dataDir: string, logger: EmbeddedLogger): Promise<Catalog> {
    await fs.mkdir(dataDir, { recursive: true });
    const catalog = new Catalog(dataDir, logger);
    for (const dbEntry of await fs.readdir(dataDir, { withFileTypes: true })) {
      if (!dbEntry.isDirectory()) continue;
      const db = safeDecode(dbEntry.name);
      if (db === undefined) continue;
      const names = new Set<string>();
      for (const file of await fs.readdir(path.join(dataDir, dbEntry.name))) {
        const base = file.endsWith(FILE_SUFFIX)
          ? file.slice(0, -FILE_SUFFIX.length)
          : file.endsWith(TEMP_SUFFIX)
            ? file.slice(0, -TEMP_SUFFIX.length)
            : undefined;
        const name = base === undefined ? undefined : safeDecode(base);
        if (name !== undefined) names.add(name);
      }
      for (const name of names) catalog.openStore(db, name);
    }
    try {
      await Promise.all(catalog.stores.values());
    } catch (err) {
      logger.error({ err, dataDir }, 'failed to load embedded MongoDB data');
      throw err;
    }
    return catalog;
  }

  /** The store if the collection exists; never creates one. */
  async get(db: string, name: string): Promise<CollectionStore | undefined> {
    return this.stores.get(`${db}.${name}`);
  }

  peek(db: string, name: string): CollectionStore | undefined {
    return this.ready.get(`${db}.${name}`);
  }

  async getOrCreate(db: string, name: string): Promise<CollectionStore> {
    // Without this, a write retried after close() emptied the catalog would open a file nobody closes.
    if (this.closed) throw new CommandError('ShutdownInProgress', 'the embedded MongoDB server is shutting down');
    validateDbName(db);
    validateCollectionName(name);
    return this.stores.get(`${db}.${name}`) ?? this.openStore(db, name);
  }

  /**
   * Run fn inside the collection's write queue. Without `create`, a missing collection yields
   * undefined. A store dropped while we waited in its queue is re-resolved, so the write lands in
   * the collection that exists now instead of failing.
   */
  async mutate<T>(db: string, name: string, create: boolean, fn: (s: CollectionStore) => Promise<T>): Promise<T | undefined> {
    for (let attempt = 0; ; attempt++) {
      const store = create ? await this.getOrCreate(db, name) : await this.get(db, name);
      if (!store) return undefined;
      try {
        return await store.exclusive(() => fn(store));
      } catch (err) {
        if (!(err instanceof StoreGoneError) || attempt >= 3) throw err;
      }
    }
  }

  list(db: string): string[] {
    const prefix = `${db}.`;
    return [...this.stores.keys()].filter((ns) => ns.startsWith(prefix)).map((ns) => ns.slice(prefix.length)).sort();
  }

  async drop(db: string, name: string): Promise<CollectionStore | undefined> {
    const ns = `${db}.${name}`;
    const pending = this.stores.get(ns);
    if (!pending) return undefined;
    this.stores.delete(ns);
    this.ready.delete(ns);
    const done = (async () => {
      const store = await pending;
      await store.exclusive(() => store.drop());
      return store;
    })();
    const tracked = done.then(
      () => undefined,
      () => undefined,
    );
    this.dropping.set(ns, tracked);
    void tracked.then(() => {
      if (this.dropping.get(ns) === tracked) this.dropping.delete(ns);
    });
    return done;
  }

  async dropDatabase(db: string): Promise<void> {
    await Promise.all(this.list(db).map((name) => this.drop(db, name)));
  }

  async sweepTtl(now: number): Promise<void> {
    for (const pending of [...this.stores.values()]) {
      try {
        const store = await pending;
        if (!store.isOpen) continue;
        const removed = await store.exclusive(() => store.expire(now));
        if (removed) this.logger.info({ ns: store.ns, removed }, 'TTL monitor removed expired documents');
      } catch (err) {
        if (!(err instanceof StoreGoneError)) this.logger.warn({ err }, 'TTL sweep failed');
      }
    }
  }

  /** Waits for queued writes, then compacts every file. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.dropping.values());
    const stores = [...this.stores.values()];
    this.stores.clear();
    this.ready.clear();
    await Promise.all(
      stores.map(async (pending) => {
        try {
          await (await pending).close();
        } catch (err) {
          if (!(err instanceof StoreGoneError)) this.logger.error({ err }, 'failed to close collection file');
        }
      }),
    );
  }

  private openStore(db: string, name: string): Promise<CollectionStore> {
    const ns = `${db}.${name}`;
    const file = path.join(this.dataDir, encodeName(db), `${encodeName(name)}${FILE_SUFFIX}`);
    const before = this.dropping.get(ns);
    const opening = (async () => {
      if (before) await before;
      return CollectionStore.open(file, db, name, this.logger);
    })();
    this.stores.set(ns, opening);
    // Registered before any caller can await `opening`, so `ready` is filled before they resume.
    opening.then(
      (store) => {
        if (this.stores.get(ns) === opening) this.ready.set(ns, store);
      },
      () => {
        if (this.stores.get(ns) === opening) this.stores.delete(ns);
      },
    );
    return opening;
  }
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
