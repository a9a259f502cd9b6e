import { isPlainObject, toNumber } from '../bson-values.js';
import type { Catalog } from '../catalog.js';
import { validateCollectionName } from '../catalog.js';
import type { CursorManager } from '../cursors.js';
import type { Batch } from '../cursors.js';
import { CommandError } from '../errors.js';
import type { Doc, EmbeddedLogger } from '../types.js';

export interface CommandContext {
  /** From `$db` (OP_MSG) or the namespace of an OP_QUERY. */
  db: string;
  catalog: Catalog;
  cursors: CursorManager;
  connectionId: number;
  logger: EmbeddedLogger;
}

export type CommandHandler = (cmd: Doc, ctx: CommandContext) => Promise<Doc> | Doc;

/** The collection named by the command's first field, e.g. `{find: "users"}`. */
export function collectionName(cmd: Doc, field: string): string {
  return validateCollectionName(cmd[field]);
}

export function optionalInt(cmd: Doc, field: string): number | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  const n = toNumber(v);
  if (n === undefined || !Number.isFinite(n)) {
    throw new CommandError('TypeMismatch', `Field '${field}' must be numeric`);
  }
  return Math.trunc(n);
}

export function optionalDoc(cmd: Doc, field: string): Doc | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) throw new CommandError('TypeMismatch', `Field '${field}' must be of BSON type object`);
  return v;
}

export function docArray(cmd: Doc, field: string): Doc[] {
  const v = cmd[field];
  if (!Array.isArray(v) || !v.every(isPlainObject)) {
    throw new CommandError('TypeMismatch', `Field '${field}' must be an array of documents`);
  }
  return v as Doc[];
}

export function cursorReply(batch: Batch, which: 'firstBatch' | 'nextBatch'): Doc {
  return { cursor: { [which]: batch.docs, id: batch.id, ns: batch.ns }, ok: 1 };
}
