import { MingoError } from 'mingo/util';
import { formatValue } from './bson-values.js';
import type { Doc } from './types.js';

/** The MongoDB server error codes this server can produce (names are MongoDB's codeName). */
export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  Unauthorized: 13,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  CursorNotFound: 43,
  NamespaceExists: 48,
  InvalidIdField: 53,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidNamespace: 73,
  ShutdownInProgress: 91,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  UnsupportedOpQueryCommand: 352,
  BSONObjectTooLarge: 10334,
  DuplicateKey: 11000,
  Location40324: 40324,
  Location40571: 40571,
} as const;

export type CodeName = keyof typeof ErrorCodes;

/** An error that becomes `{ok:0, errmsg, code, codeName, ...extra}` on the wire. */
export class CommandError extends Error {
  readonly code: number;
  readonly codeName: CodeName;
  readonly extra: Doc;

  constructor(codeName: CodeName, message: string, extra: Doc = {}) {
    super(message);
    this.name = 'CommandError';
    this.codeName = codeName;
    this.code = ErrorCodes[codeName];
    this.extra = extra;
  }
}

/** Carries keyPattern/keyValue because the driver exposes both on MongoServerError/WriteError. */
export class DuplicateKeyError extends CommandError {
  constructor(ns: string, indexName: string, keyPattern: Doc, keyValue: Doc) {
    const shown = Object.entries(keyValue)
      .map(([k, v]) => `${k}: ${formatValue(v)}`)
      .join(', ');
    super(
      'DuplicateKey',
      `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: { ${shown} }`,
      { keyPattern, keyValue },
    );
  }
}

/** Thrown by a store that was dropped while a caller was queued on it; the caller re-resolves the namespace. */
export class StoreGoneError extends Error {
  constructor(ns: string) {
    super(`collection ${ns} was dropped or closed`);
    this.name = 'StoreGoneError';
  }
}

export function toCommandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  // mingo rejects malformed queries/updates/pipelines; to a client that is bad input, not a server fault.
  if (err instanceof MingoError) return new CommandError('BadValue', err.message);
  const message = err instanceof Error ? err.message : String(err);
  return new CommandError('InternalError', message);
}

export function errorReply(err: unknown): Doc {
  const e = toCommandError(err);
  return { ok: 0, errmsg: e.message, code: e.code, codeName: e.codeName, ...e.extra };
}

/** Shape of one entry of a write command's `writeErrors` array. */
export function writeErrorEntry(index: number, err: unknown): Doc {
  const e = toCommandError(err);
  return { index, code: e.code, errmsg: e.message, ...e.extra };
}
