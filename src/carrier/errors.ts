export type CarrierFailure = 'timeout' | 'network' | 'http_status' | 'bad_response';

/**
 * The back office could not answer. The dialog engine catches this one type to apologise and open a
 * ticket instead of guessing, so every transport failure must be mapped to it.
 * Messages name the operation, never the account or phone, because they end up in logs.
 */
export class CarrierUnavailableError extends Error {
  override readonly name = 'CarrierUnavailableError';
  readonly operation: string;
  readonly reason: CarrierFailure;
  readonly status: number | undefined;

  constructor(operation: string, reason: CarrierFailure, detail: string, options: { cause?: unknown; status?: number } = {}) {
    super(`carrier back office unavailable (${operation}): ${detail}`, { cause: options.cause });
    this.operation = operation;
    this.reason = reason;
    this.status = options.status;
  }
}

/** Bad carrier settings or fixtures; the message is one line naming the variable, fit to stop start-up with. */
export class CarrierConfigError extends Error {
  override readonly name = 'CarrierConfigError';
}
