import type { Intent } from '../nlu/taxonomy.js';

export const PRIORITIES = ['normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof STATUSES)[number];

/** Statuses during which a new complaint about the same thing is folded into the ticket. */
export const OPEN_STATUSES: readonly TicketStatus[] = ['open', 'in_progress'];

/**
 * The complaint families of TAXONOMY.md that can end in a ticket, plus `callback`: the customer
 * asked for a person and none was available, so someone must call back.
 */
export const TICKET_CATEGORIES = ['network', 'business', 'service', 'billing', 'callback'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export const DEPARTMENTS = [
  'network_maintenance',
  'field_service',
  'service_quality',
  'billing',
  'customer_service',
] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** Who acted on a ticket; `system` is the bot itself (creation, repeat complaints, outbox replay). */
export interface Actor {
  name: string;
  role: 'admin' | 'agent' | 'system';
}

export interface EvidenceStep {
  step: string;
  outcome: string;
  at: Date;
}

/** Values collected during the self-checks; open-ended because flows may collect more. */
export interface EvidenceValues {
  speedMbps?: number;
  errorCode?: string;
  url?: string;
  ip?: string;
  contactPhone?: string;
  [key: string]: string | number | boolean | undefined;
}

export interface Evidence {
  steps: EvidenceStep[];
  values: EvidenceValues;
}

export type HistoryAction = 'created' | 'repeat' | 'status' | 'assign' | 'note' | 'recategorise';

export interface HistoryEntry {
  at: Date;
  by: string;
  action: HistoryAction;
  from?: string;
  to?: string;
  note?: string;
}

export interface Ticket {
  number: string;
  /** Provisional references the customer was given while storage was down; they find this ticket too. */
  references: string[];
  conversationId: string;
  channel: string;
  account?: string;
  intent: Intent;
  category: TicketCategory;
  priority: Priority;
  status: TicketStatus;
  department: Department;
  summary: string;
  evidence: Evidence;
  escalationRisk: boolean;
  createdAt: Date;
  updatedAt: Date;
  firstResponseDue: Date;
  resolveDue: Date;
  firstResponseAt?: Date;
  repeatCount: number;
  history: HistoryEntry[];
  assignee?: string;
}

export interface OpenTicketInput {
  conversationId: string;
  channel: string;
  account?: string;
  intent: Intent;
  category: TicketCategory;
  priority?: Priority;
  escalationRisk?: boolean;
  /** Chinese, for the agent. */
  summary: string;
  evidence: {
    steps: Array<{ step: string; outcome: string; at?: Date | string }>;
    values?: EvidenceValues;
  };
  contactPhone?: string;
  /** Lets a caller retry the same request without creating a second ticket; generated when absent. */
  requestId?: string;
}

export type OpenTicketResult =
  | { queued: false; ticket: Ticket; repeat: boolean }
  | {
      /** Storage was unreachable: the request is safe in the outbox and gets its number on replay. */
      queued: true;
      reference: string;
      receivedAt: Date;
    };

export interface TicketFilter {
  conversationId?: string;
  account?: string;
  status?: TicketStatus;
  category?: TicketCategory;
}

export interface TicketPatch {
  status?: TicketStatus;
  /** The complaint as the agent now understands it; the category follows unless it is a call-back. */
  intent?: Intent;
  /** null takes the ticket away from its assignee. */
  assignee?: string | null;
  note?: string;
}

/** One outbox entry written to the database by flushOutbox(), for notifying the customer. */
export interface FlushedTicket {
  reference: string;
  number: string;
  repeat: boolean;
  conversationId: string;
  channel: string;
  contactPhone?: string;
}

export interface FlushReport {
  flushed: FlushedTicket[];
  /** Entries still waiting: storage went away again, or an entry keeps failing (logged). */
  pending: number;
}
