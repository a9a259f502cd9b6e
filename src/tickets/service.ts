import type { Db } from 'mongodb';
import { createLogger, type Logger } from '../logger.js';
import { checkPatch, patchUpdate } from './changes.js';
import { Deadline } from './deadline.js';
import { loadDepartmentTable, type DepartmentTable } from './departments.js';
import { toTicket } from './documents.js';
import { duplicateKeyOf, isStorageUnavailable, TicketConflictError, TicketNotFoundError } from './errors.js';
import { provisionalReference, TicketNumbering } from './numbering.js';
import { TicketOutbox } from './outbox.js';
import { TicketRepository } from './repository.js';
import { buildRequest, openKeyOf } from './request.js';
import { checkSla, DEFAULT_SLA, type SlaSettings } from './sla.js';
import type { Actor, FlushedTicket, FlushReport, OpenTicketInput, OpenTicketResult, Ticket, TicketFilter, TicketPatch } from './types.js';
import { TicketWriter } from './writer.js';

export interface TicketServiceOptions {
  db: Db;
  /** `<DATA_DIR>/ticket-outbox.jsonl`: where requests wait while storage is unreachable. */
  outboxFile: string;
  /** TICKET_FIRST_RESPONSE_HOURS / TICKET_RESOLVE_HOURS; 24 and 48 when absent. */
  firstResponseHours?: number;
  resolveHours?: number;
  /** How long one operation waits for storage before it is treated as down. Default 5000. */
  storageTimeoutMs?: number;
  departments?: DepartmentTable;
  clock?: () => Date;
  logger?: Logger;
}

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 200;
const MAX_UPDATE_ATTEMPTS = 10;

/** What the dialog engine and the agent API use; knows nothing of channels or HTTP. */
export class TicketService {
  private readonly repo: TicketRepository;
  private readonly writer: TicketWriter;
  private readonly outbox: TicketOutbox;
  private readonly clock: () => Date;
  private readonly logger: Logger;
  private readonly storageTimeoutMs: number;
  readonly sla: SlaSettings;
  private flushing: Promise<FlushReport> | undefined;

  constructor(opts: TicketServiceOptions) {
    this.sla = checkSla({
      firstResponseHours: opts.firstResponseHours ?? DEFAULT_SLA.firstResponseHours,
      resolveHours: opts.resolveHours ?? DEFAULT_SLA.resolveHours,
    });
    this.clock = opts.clock ?? (() => new Date());
    this.logger = (opts.logger ?? createLogger('silent')).child({ component: 'tickets' });
    this.storageTimeoutMs = opts.storageTimeoutMs ?? 5_000;
    this.repo = new TicketRepository(opts.db);
    this.outbox = new TicketOutbox(opts.outboxFile, this.logger);
    const departments = opts.departments ?? loadDepartmentTable();
    this.writer = new TicketWriter(this.repo, new TicketNumbering(opts.db), departments, this.sla, this.clock);
  }

  /** Creates the indexes; call once at start-up before serving, then flushOutbox(). */
  init(): Promise<void> {
    return this.repo.init();
  }

  /**
   * Opens a ticket, or folds the complaint into the customer's open ticket for the same thing.
   * When storage is unreachable the request is kept in the outbox and the caller gets a
   * provisional reference to give the customer; the ticket number follows on flushOutbox().
   */
  async openTicket(input: OpenTicketInput): Promise<OpenTicketResult> {
    const receivedAt = this.clock();
    const request = buildRequest(input, receivedAt);
    try {
      const { ticket, repeat } = await this.writer.apply(request, this.deadline());
      this.logger.info({ number: ticket.number, repeat, category: ticket.category }, repeat ? 'ticket updated by repeat complaint' : 'ticket opened');
      return { queued: false, ticket, repeat };
    } catch (err) {
      if (!isStorageUnavailable(err)) throw err;
      const reference = provisionalReference(receivedAt);
      await this.outbox.append({ ...request, reference }, receivedAt);
      this.logger.warn({ err, reference, requestId: request.requestId }, 'ticket storage unreachable; request kept in the outbox');
      return { queued: true, reference, receivedAt };
    }
  }

  /** By ticket number or by a provisional reference handed out while storage was down. */
  async findByNumber(number: string): Promise<Ticket | undefined> {
    const doc = await this.deadline().run(() => this.repo.findByNumber(normalizeNumber(number)));
    return doc ? toTicket(doc) : undefined;
  }

  /** A provisional reference whose request is still waiting in this node's outbox. */
  async findPending(reference: string): Promise<{ reference: string; receivedAt: Date } | undefined> {
    const wanted = normalizeNumber(reference);
    const { pending } = await this.outbox.read();
    const hit = pending.find((r) => r.reference === wanted);
    return hit ? { reference: wanted, receivedAt: new Date(hit.receivedAt) } : undefined;
  }

  /** Newest first. */
  async list(filter: TicketFilter = {}, limit = DEFAULT_LIST_LIMIT): Promise<Ticket[]> {
    const bounded = Math.max(1, Math.min(Math.trunc(limit) || DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT));
    const docs = await this.deadline().run(() => this.repo.list(filter, bounded));
    return docs.map(toTicket);
  }

  async updateTicket(number: string, patch: TicketPatch, by: Actor): Promise<Ticket> {
    checkPatch(patch);
    const deadline = this.deadline();
    const wanted = normalizeNumber(number);
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const current = await deadline.run(() => this.repo.findByNumber(wanted));
      if (!current) throw new TicketNotFoundError(wanted);
      const update = patchUpdate(current, patch, by, this.clock());
      if (!update) return toTicket(current);
      try {
        const updated = await deadline.run(() => this.repo.updateIfCurrent(current, update));
        if (updated) return toTicket(updated);
      } catch (err) {
        if (!duplicateKeyOf(err)?.fields.includes('openKey')) throw err;
        const other = await deadline.run(() => this.repo.findOpen(openKeyOf(current, current.department)));
        throw new TicketConflictError(
          `Ticket ${current.number} cannot be reopened: ${other?.number ?? 'another ticket'} is already open for the same customer and complaint.`,
        );
      }
    }
    throw new TicketConflictError(`Ticket ${wanted} is being changed by someone else; try again.`);
  }

  /**
   * Writes what the outbox holds. Idempotent: a request already in the database (flushed before a
   * crash, or a write that landed late) is only marked done. Stops at the first sign that storage
   * is down again; an entry failing for another reason is logged and kept, never dropped.
   * Concurrent calls share one run.
   */
  flushOutbox(): Promise<FlushReport> {
    this.flushing ??= this.flush().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async flush(): Promise<FlushReport> {
    const { pending } = await this.outbox.read();
    const flushed: FlushedTicket[] = [];
    for (const request of pending) {
      try {
        const { ticket, repeat } = await this.writer.apply(request, this.deadline());
        await this.outbox.markDone(request.requestId, ticket.number, this.clock());
        flushed.push({
          reference: request.reference ?? ticket.number,
          number: ticket.number,
          repeat,
          conversationId: request.conversationId,
          channel: request.channel,
          ...(request.values.contactPhone ? { contactPhone: request.values.contactPhone } : {}),
        });
      } catch (err) {
        if (isStorageUnavailable(err)) {
          this.logger.warn({ err }, 'ticket storage still unreachable; outbox flush stopped');
          break;
        }
        this.logger.error({ err, requestId: request.requestId, reference: request.reference }, 'outbox entry could not be written; kept for retry');
      }
    }
    if (flushed.length) this.logger.info({ count: flushed.length }, 'outbox tickets written');
    await this.outbox.compact();
    const remaining = (await this.outbox.read()).pending.length;
    return { flushed, pending: remaining };
  }

  private deadline(): Deadline {
    return new Deadline(this.storageTimeoutMs);
  }
}

function normalizeNumber(number: string): string {
  return number.trim().toUpperCase();
}
