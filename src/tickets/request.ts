import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isIntent, type Intent } from '../nlu/taxonomy.js';
import { InvalidTicketInputError } from './errors.js';
import { PRIORITIES, TICKET_CATEGORIES, type Department, type OpenTicketInput, type TicketCategory } from './types.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z.iso.datetime({ offset: true });

const values = z
  .object({
    speedMbps: z.number().finite().nonnegative().optional(),
    errorCode: text(64).optional(),
    url: text(2048).optional(),
    ip: text(64).optional(),
    contactPhone: text(32).optional(),
  })
  .catchall(z.union([z.string().max(2048), z.number().finite(), z.boolean()]))
  // Keys become field paths in the stored document; dots or a leading $ would address other fields.
  .refine((v) => Object.keys(v).every((k) => /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(k)), {
    message: 'evidence value names must be letters, digits or _',
  });

/**
 * A ticket request as it is applied to the database and as it waits in the outbox: JSON-safe
 * (dates as ISO strings) so that what is replayed is exactly what was asked for.
 */
export const ticketRequestSchema = z.object({
  requestId: text(128),
  receivedAt: isoDate,
  reference: text(64).optional(),
  conversationId: text(256),
  channel: text(64),
  account: text(64).optional(),
  intent: z.string().refine(isIntent, { message: 'unknown intent' }).transform((v) => v as Intent),
  category: z.enum(TICKET_CATEGORIES),
  priority: z.enum(PRIORITIES).optional(),
  escalationRisk: z.boolean(),
  summary: text(2000),
  steps: z.array(z.object({ step: text(500), outcome: text(500), at: isoDate })).max(100),
  values,
});

export type TicketRequest = z.infer<typeof ticketRequestSchema>;

function isoOf(at: Date | string | undefined, fallback: Date): string {
  if (at === undefined) return fallback.toISOString();
  const date = at instanceof Date ? at : new Date(at);
  return Number.isNaN(date.getTime()) ? String(at) : date.toISOString();
}

/** Validates the dialog engine's input once, up front, so a bad request is never queued. */
export function buildRequest(input: OpenTicketInput, receivedAt: Date): TicketRequest {
  const contactPhone = input.contactPhone ?? input.evidence.values?.contactPhone;
  const candidate = {
    requestId: input.requestId ?? randomUUID(),
    receivedAt: receivedAt.toISOString(),
    conversationId: input.conversationId,
    channel: input.channel,
    account: input.account?.trim() || undefined,
    intent: input.intent,
    category: input.category,
    priority: input.priority,
    escalationRisk: input.escalationRisk ?? false,
    summary: input.summary,
    steps: (input.evidence.steps ?? []).map((s) => ({ step: s.step, outcome: s.outcome, at: isoOf(s.at, receivedAt) })),
    values: { ...input.evidence.values, ...(contactPhone ? { contactPhone } : {}) },
  };
  const parsed = ticketRequestSchema.safeParse(candidate);
  if (!parsed.success) throw new InvalidTicketInputError(`Invalid ticket request: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * Identifies "the same complaint" for repeat detection: same customer, same category and same
 * department (the service category spans three departments, and a rude technician is not the
 * same complaint as a late installation). Without an account the conversation stands in for the
 * customer, so a retried request in one chat still does not open a second ticket.
 */
export function openKeyOf(
  complaint: { account?: string; conversationId: string; category: TicketCategory },
  department: Department,
): string {
  const customer = complaint.account ? `account:${complaint.account}` : `conversation:${complaint.conversationId}`;
  return `${customer}|${complaint.category}|${department}`;
}
