import { ForbiddenTransitionError, InvalidTransitionError } from './errors.js';
import type { Actor, TicketStatus } from './types.js';

type Role = Actor['role'];

const STAFF: readonly Role[] = ['admin', 'agent'];
const ADMIN: readonly Role[] = ['admin'];

/**
 * Who may move a ticket from one status to another. Agents work tickets through to resolution;
 * closing a ticket nobody resolved hides a complaint, so only an admin may do that. Closed is final:
 * the customer complaining again gets a new ticket.
 */
export const TRANSITIONS: Readonly<Record<TicketStatus, Partial<Record<TicketStatus, readonly Role[]>>>> = {
  open: { in_progress: STAFF, resolved: STAFF, closed: ADMIN },
  in_progress: { resolved: STAFF, closed: ADMIN },
  resolved: { in_progress: STAFF, closed: STAFF },
  closed: {},
};

export function isOpenStatus(status: TicketStatus): boolean {
  return status === 'open' || status === 'in_progress';
}

/** Throws when `actor` may not move a ticket from `from` to `to`. */
export function checkTransition(from: TicketStatus, to: TicketStatus, actor: Actor): void {
  const roles = TRANSITIONS[from][to];
  if (!roles) {
    const allowed = Object.keys(TRANSITIONS[from]);
    throw new InvalidTransitionError(
      `A ticket cannot go from ${from} to ${to}` + (allowed.length ? ` (allowed: ${allowed.join(', ')}).` : `; ${from} is final.`),
    );
  }
  if (!roles.includes(actor.role)) {
    throw new ForbiddenTransitionError(`Only ${roles.join(' or ')} may move a ticket from ${from} to ${to}.`);
  }
}
