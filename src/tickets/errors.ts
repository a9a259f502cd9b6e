import { MongoError, MongoServerError } from 'mongodb';

/** Base of the errors a caller is expected to handle; `status` is the HTTP answer it maps to. */
export class TicketError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidTicketInputError extends TicketError {
  constructor(message: string) {
    super(message, 400, 'invalid_request');
  }
}

export class TicketNotFoundError extends TicketError {
  constructor(number: string) {
    super(`Ticket ${number} was not found.`, 404, 'not_found');
  }
}

export class InvalidTransitionError extends TicketError {
  constructor(message: string) {
    super(message, 400, 'invalid_transition');
  }
}

export class ForbiddenTransitionError extends TicketError {
  constructor(message: string) {
    super(message, 403, 'forbidden');
  }
}

export class TicketConflictError extends TicketError {
  constructor(message: string) {
    super(message, 409, 'conflict');
  }
}

export class StorageUnavailableError extends TicketError {
  constructor(message = 'Ticket storage is unreachable; try again shortly.', options?: { cause?: unknown }) {
    super(message, 503, 'storage_unavailable');
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** Driver errors meaning "the server could not be reached or is going away", not "the request was wrong". */
const UNREACHABLE_ERRORS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'MongoServerClosedError',
  'MongoClientClosedError',
  'MongoOperationTimeoutError',
  'MongoPoolClearedError',
]);

/** Server codes for shutdown, stepdown and failover: the write may succeed on the next attempt elsewhere. */
const UNAVAILABLE_CODES = new Set([6, 7, 89, 91, 189, 10107, 11600, 11602, 13435, 13436]);

export function isStorageUnavailable(err: unknown): boolean {
  if (err instanceof StorageUnavailableError) return true;
  if (!(err instanceof MongoError)) return false;
  if (UNREACHABLE_ERRORS.has(err.name)) return true;
  if (err instanceof MongoServerError && typeof err.code === 'number' && UNAVAILABLE_CODES.has(err.code)) return true;
  return err.hasErrorLabel('RetryableWriteError') || err.hasErrorLabel('ResetPool');
}

export interface DuplicateKey {
  fields: string[];
}

/** The fields of the unique index an E11000 tripped over, or undefined for any other error. */
export function duplicateKeyOf(err: unknown): DuplicateKey | undefined {
  if (!(err instanceof MongoServerError) || err.code !== 11000) return undefined;
  const pattern = (err as MongoServerError & { keyPattern?: Record<string, unknown> }).keyPattern;
  if (pattern) return { fields: Object.keys(pattern) };
  // Older servers only name the index in the message.
  const match = /index: (\S+)/.exec(err.message);
  return { fields: match?.[1] ? [match[1].replace(/_-?1$/, '')] : [] };
}
