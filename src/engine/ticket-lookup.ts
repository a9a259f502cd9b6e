/**
 * 查询工单: finds the customer's ticket by number, provisional reference, account or registered mobile,
 * and words its status with the due times.
 */
import type { CarrierPort } from '../carrier/index.js';
import type { Logger } from '../logger.js';
import type { NluAnalysis } from '../nlu/index.js';
import type { TicketService } from '../tickets/service.js';
import { OPEN_STATUSES, type Ticket } from '../tickets/types.js';
import type { ReplyTexts } from './common-content.js';
import { customerTime, fillPlaceholders } from './replies.js';

export type TicketLookupPort = Pick<TicketService, 'findByNumber' | 'findPending' | 'list'>;

const MOBILE = /^1[3-9]\d{9}$/;
const SUMMARY_CHARS = 24;

/** The reference a message gives: a ticket number first, then an account id or mobile number. */
export function ticketReferenceOf(nlu: NluAnalysis): string | undefined {
  const of = (type: string) => nlu.entities.find((e) => e.type === type)?.value;
  const found = of('ticket_number') ?? of('account') ?? of('phone');
  return found === undefined ? undefined : String(found);
}

export class TicketLookup {
  constructor(
    private readonly tickets: TicketLookupPort,
    private readonly carrier: CarrierPort,
    private readonly texts: ReplyTexts,
    private readonly logger: Logger,
  ) {}

  /** The status line for `reference`; never throws. */
  async describe(reference: string): Promise<string> {
    try {
      const ticket = await this.find(reference);
      if (ticket === 'pending') return fillPlaceholders(this.texts.ticketStatusPending, { ticket_number: reference }, '');
      if (!ticket) return this.texts.ticketNotFound;
      const values = {
        ticket_number: ticket.number,
        ticket_summary: ticket.summary.length > SUMMARY_CHARS ? `${ticket.summary.slice(0, SUMMARY_CHARS)}…` : ticket.summary,
        ticket_status: this.texts.ticketStatuses[ticket.status],
        first_response_due: customerTime(ticket.firstResponseDue),
        resolve_due: customerTime(ticket.resolveDue),
      };
      const template = OPEN_STATUSES.includes(ticket.status) ? this.texts.ticketStatus : this.texts.ticketStatusClosed;
      return fillPlaceholders(template, values, this.texts.notGiven);
    } catch (err) {
      this.logger.warn({ err }, 'ticket lookup failed');
      return this.texts.ticketLookupFailed;
    }
  }

  private async find(reference: string): Promise<Ticket | 'pending' | undefined> {
    if (/^kd/i.test(reference)) {
      const ticket = await this.tickets.findByNumber(reference);
      if (ticket) return ticket;
      return (await this.tickets.findPending(reference)) ? 'pending' : undefined;
    }
    let account = reference;
    if (MOBILE.test(reference)) {
      const found = await this.carrier.findAccount({ phone: reference });
      if (!found) return undefined;
      account = found.account;
    }
    const tickets = await this.tickets.list({ account }, 20);
    return tickets.find((t) => OPEN_STATUSES.includes(t.status)) ?? tickets[0];
  }
}
