import { setTimeout as sleep } from 'node:timers/promises';
import type { Deadline } from './deadline.js';
import { routeTicket, type DepartmentTable } from './departments.js';
import { newTicketDoc, toTicket, type TicketDoc } from './documents.js';
import { duplicateKeyOf, TicketConflictError } from './errors.js';
import type { TicketNumbering } from './numbering.js';
import { repeatUpdate } from './repeat.js';
import type { TicketRepository } from './repository.js';
import { openKeyOf, type TicketRequest } from './request.js';
import type { SlaSettings } from './sla.js';
import type { Ticket } from './types.js';

const MAX_ATTEMPTS = 25;

export interface Applied {
  ticket: Ticket;
  repeat: boolean;
}

/**
 * Writes one ticket request: folds it into the open ticket for the same complaint, or opens a new
 * one. Safe to run for the same request more than once and on several nodes at once: the request
 * id is unique across tickets, the open key allows a single open ticket per complaint, and updates
 * apply only to the revision they were computed from. Losing any of those races means "look again".
 */
export class TicketWriter {
  constructor(
    private readonly repo: TicketRepository,
    private readonly numbering: TicketNumbering,
    private readonly departments: DepartmentTable,
    private readonly sla: SlaSettings,
    private readonly clock: () => Date,
  ) {}

  async apply(request: TicketRequest, deadline: Deadline): Promise<Applied> {
    const routing = routeTicket(this.departments, request);
    const openKey = openKeyOf(request, routing.department);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (attempt > 0) await sleep(Math.min(5 * attempt, 50) + Math.random() * 10);
      const applied = await deadline.run(() => this.repo.findByRequestId(request.requestId));
      if (applied) return this.alreadyApplied(applied, request, deadline);

      const open = await deadline.run(() => this.repo.findOpen(openKey));
      if (open) {
        const update = repeatUpdate(open, request, routing, this.clock());
        const updated = await deadline.run(() => this.repo.updateIfCurrent(open, update)).catch(retryOnDuplicate);
        if (updated) return { ticket: toTicket(updated), repeat: true };
        continue;
      }

      const number = await deadline.run(() => this.numbering.next(new Date(request.receivedAt)));
      const doc = newTicketDoc(request, number, routing, openKey, this.sla);
      const outcome = await deadline.run(() => this.repo.insert(doc));
      if (outcome === 'inserted') return { ticket: toTicket(doc), repeat: false };
      // Another node opened the ticket for this complaint a moment ago: next round folds this one in.
    }
    throw new TicketConflictError('The ticket is being changed by many requests at once; try again.');
  }

  /**
   * The request is in the database already (a replay, or a write we stopped waiting for that landed
   * anyway). The provisional reference the customer holds must still lead to the ticket.
   */
  private async alreadyApplied(doc: TicketDoc, request: TicketRequest, deadline: Deadline): Promise<Applied> {
    const repeat = doc.requestIds[0] !== request.requestId;
    const reference = request.reference;
    if (!reference || doc.references.includes(reference)) return { ticket: toTicket(doc), repeat };
    for (let current: TicketDoc | null = doc, attempt = 0; current && attempt < MAX_ATTEMPTS; attempt++) {
      const base: TicketDoc = current;
      const updated = await deadline.run(() =>
        this.repo.updateIfCurrent(base, { $push: { references: reference }, $inc: { rev: 1 } }),
      );
      if (updated) return { ticket: toTicket(updated), repeat };
      current = await deadline.run(() => this.repo.findByRequestId(request.requestId));
      if (current?.references.includes(reference)) return { ticket: toTicket(current), repeat };
    }
    throw new TicketConflictError('The ticket is being changed by many requests at once; try again.');
  }
}

/** Our request id reached the database by another path meanwhile; the next round will find it. */
function retryOnDuplicate(err: unknown): null {
  if (duplicateKeyOf(err)?.fields.includes('requestIds')) return null;
  throw err;
}
