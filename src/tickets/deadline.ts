import { StorageUnavailableError } from './errors.js';

/**
 * A time budget shared by the storage calls of one service operation. The driver waits up to its
 * server-selection timeout when the database is unreachable without refusing connections; a customer
 * mid-chat should not wait that long, so we stop waiting and take the fallback path. A call we stop
 * waiting for may still land later: callers make their writes idempotent for that reason.
 */
export class Deadline {
  private readonly expiresAt: number;

  constructor(budgetMs: number) {
    this.expiresAt = Date.now() + budgetMs;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const remaining = this.expiresAt - Date.now();
    if (remaining <= 0) throw new StorageUnavailableError('Ticket storage did not answer in time.');
    const pending = call();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StorageUnavailableError('Ticket storage did not answer in time.')), remaining);
    });
    // The abandoned call must not surface later as an unhandled rejection.
    pending.catch(() => undefined);
    try {
      return await Promise.race([pending, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
