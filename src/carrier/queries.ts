import type { AuthError, Order, OrderType, RegionalFault } from './port.js';

/**
 * Query semantics every adapter applies, so the simulator and a real back office answer the flows alike
 * (a back office that sends stale faults or unsorted lists is corrected here, not in the flows).
 */

const HOUR_MS = 3_600_000;

/** A fault whose estimated recovery has passed is history; of several, the longest-lasting one matters. */
export function activeFault(faults: readonly RegionalFault[], now: Date): RegionalFault | null {
  let found: RegionalFault | null = null;
  for (const fault of faults) {
    if (fault.estimatedRecovery.getTime() <= now.getTime()) continue;
    if (!found || fault.estimatedRecovery > found.estimatedRecovery) found = fault;
  }
  return found ? { ...found, estimatedRecovery: new Date(found.estimatedRecovery) } : null;
}

export function recentErrors(errors: readonly AuthError[], sinceHours: number, now: Date): AuthError[] {
  const from = now.getTime() - sinceHours * HOUR_MS;
  return errors
    .filter((e) => e.at.getTime() >= from && e.at.getTime() <= now.getTime())
    .map((e) => ({ code: e.code, at: new Date(e.at) }))
    .sort((a, b) => b.at.getTime() - a.at.getTime());
}

export function ordersOfType(orders: readonly Order[], type: OrderType | undefined): Order[] {
  return orders
    .filter((o) => type === undefined || o.type === type)
    .map((o) => ({ ...o, createdAt: new Date(o.createdAt), promisedBy: new Date(o.promisedBy) }))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}
