import { setTimeout as sleep } from 'node:timers/promises';
import { CarrierUnavailableError } from './errors.js';

export interface GetJsonOptions {
  /** Named in errors and logs instead of the URL, which carries account ids and phone numbers. */
  operation: string;
  /** The whole budget, retry included: a customer is waiting in the chat. */
  timeoutMs: number;
}

const RETRY_PAUSE_MS = 100;

/**
 * GET a JSON document from the back office. Every failure becomes CarrierUnavailableError. One retry at
 * most, and only for failures that a second try can plausibly fix (connection reset, 502/503/504-like
 * statuses); a timeout is never retried because the budget is already spent.
 */
export async function getJson(url: URL, options: GetJsonOptions): Promise<unknown> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    return await attempt(url, signal, options);
  } catch (error) {
    if (!isWorthRetrying(error)) throw error;
    try {
      await sleep(RETRY_PAUSE_MS, undefined, { signal });
    } catch (cause) {
      throw failure(cause, signal, options);
    }
    return attempt(url, signal, options);
  }
}

async function attempt(url: URL, signal: AbortSignal, options: GetJsonOptions): Promise<unknown> {
  let body: string;
  try {
    const response = await fetch(url, { signal, headers: { accept: 'application/json' } });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new CarrierUnavailableError(options.operation, 'http_status', `HTTP ${response.status}`, {
        status: response.status,
      });
    }
    body = await response.text();
  } catch (error) {
    throw failure(error, signal, options);
  }
  try {
    return JSON.parse(body);
  } catch (cause) {
    throw new CarrierUnavailableError(options.operation, 'bad_response', 'the answer is not valid JSON', { cause });
  }
}

function failure(error: unknown, signal: AbortSignal, options: GetJsonOptions): CarrierUnavailableError {
  if (error instanceof CarrierUnavailableError) return error;
  if (signal.aborted) {
    return new CarrierUnavailableError(options.operation, 'timeout', `no answer within ${options.timeoutMs} ms`, {
      cause: error,
    });
  }
  const detail = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return new CarrierUnavailableError(options.operation, 'network', detail, { cause: error });
}

function isWorthRetrying(error: unknown): boolean {
  if (!(error instanceof CarrierUnavailableError)) return false;
  if (error.reason === 'network') return true;
  return error.reason === 'http_status' && error.status !== undefined && error.status >= 500 && error.status !== 501;
}
