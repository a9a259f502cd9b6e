import { randomBytes } from 'node:crypto';
import { BSON, Long } from 'bson';
import { CommandError } from './errors.js';
import { MAX_BSON_OBJECT_SIZE, type Doc } from './types.js';

/** mongod's default first batch for find/aggregate. */
export const DEFAULT_FIRST_BATCH = 101;
/** Leave room in the 16 MiB reply for the cursor envelope around the documents. */
const BATCH_BYTE_BUDGET = MAX_BSON_OBJECT_SIZE - 64 * 1024;
/** mongod's cursorTimeoutMillis default. */
export const CURSOR_IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  ns: string;
  docs: Doc[];
  pos: number;
  lastUsed: number;
}

export interface Batch {
  id: Long;
  ns: string;
  docs: Doc[];
}

/** Takes up to `max` documents but stops early so the reply stays under the BSON size limit. */
function takeBatch(docs: Doc[], from: number, max: number): Doc[] {
  const out: Doc[] = [];
  let bytes = 0;
  for (let i = from; i < docs.length && out.length < max; i++) {
    const doc = docs[i] as Doc;
    bytes += BSON.calculateObjectSize(doc, { ignoreUndefined: true });
    if (out.length > 0 && bytes > BATCH_BYTE_BUDGET) break;
    out.push(doc);
  }
  return out;
}

/** Materialised result sets served in batches through getMore; ids are random positive int64s. */
export class CursorManager {
  private readonly cursors = new Map<bigint, OpenCursor>();

  /** The first batch; a cursor is kept only when documents remain and the caller wants more. */
  open(ns: string, docs: Doc[], batchSize: number | undefined, singleBatch: boolean): Batch {
    const first = takeBatch(docs, 0, batchSize ?? DEFAULT_FIRST_BATCH);
    if (singleBatch || first.length >= docs.length) return { id: Long.ZERO, ns, docs: first };
    const id = this.newId();
    this.cursors.set(id, { ns, docs, pos: first.length, lastUsed: Date.now() });
    return { id: Long.fromBigInt(id), ns, docs: first };
  }

  getMore(id: bigint, ns: string, batchSize: number | undefined): Batch {
    const cursor = this.cursors.get(id);
    if (!cursor) throw new CommandError('CursorNotFound', `cursor id ${id} not found`);
    if (cursor.ns !== ns) {
      throw new CommandError(
        'Unauthorized',
        `Requested getMore on namespace '${ns}', but cursor ${id} belongs to a different namespace ${cursor.ns}`,
      );
    }
    const batch = takeBatch(cursor.docs, cursor.pos, batchSize && batchSize > 0 ? batchSize : Number.MAX_SAFE_INTEGER);
    cursor.pos += batch.length;
    cursor.lastUsed = Date.now();
    if (cursor.pos >= cursor.docs.length) {
      this.cursors.delete(id);
      return { id: Long.ZERO, ns, docs: batch };
    }
    return { id: Long.fromBigInt(id), ns, docs: batch };
  }

  kill(ids: bigint[]): { killed: bigint[]; notFound: bigint[] } {
    const killed: bigint[] = [];
    const notFound: bigint[] = [];
    for (const id of ids) (this.cursors.delete(id) ? killed : notFound).push(id);
    return { killed, notFound };
  }

  /** Cursors a client abandoned without killCursors would otherwise pin their snapshot forever. */
  sweep(now: number, idleMs = CURSOR_IDLE_TIMEOUT_MS): void {
    for (const [id, cursor] of this.cursors) if (now - cursor.lastUsed > idleMs) this.cursors.delete(id);
  }

  clear(): void {
    this.cursors.clear();
  }

  private newId(): bigint {
    for (;;) {
      const id = randomBytes(8).readBigUInt64LE() & 0x7fff_ffff_ffff_ffffn;
      if (id !== 0n && !this.cursors.has(id)) return id;
    }
  }
}
