/**
 * Everything the engine remembers about one conversation between turns. It is plain JSON kept in the
 * bot's conversation state (MongoDB), so any node can continue the conversation.
 */
import type { Intent } from '../nlu/index.js';
import type { Outcome } from './flow-schema.js';

export interface FlowPosition {
  flowId: string;
  stepId: string;
}

export interface ActiveFlow extends FlowPosition {
  /** The complaint intent that started (or last re-targeted) the flow; flows branch on it. */
  intent: Intent;
  /** Where each `use` returns to, innermost last. */
  callers: FlowPosition[];
  /** Set while the current step is an ask or confirm_resolved waiting for the customer. */
  waiting: boolean;
}

/** A question the conversation itself asked, outside any flow step. */
export type Pending =
  | { kind: 'offer_handoff'; resumeIntent?: Intent; prompt?: string; afterMisunderstanding?: boolean }
  | { kind: 'clarify'; options: Intent[]; prompt?: string }
  | { kind: 'handoff_phone' }
  | { kind: 'ticket_reference' }
  | { kind: 'satisfaction' };

/**
 * Why a customer's message deserves a reviewer's look (the learning loop): the bot was unsure, asked
 * back, did not understand, or the customer corrected it.
 */
export const REVIEW_SIGNALS = ['low_confidence', 'clarification', 'misunderstood', 'handoff_after_misunderstanding', 'corrected'] as const;
export type ReviewSignal = (typeof REVIEW_SIGNALS)[number];

export interface TriedStep {
  step: string;
  outcome: string;
  at: string;
}

export interface ConversationState {
  active?: ActiveFlow;
  pending?: Pending;
  /** Collected and looked-up values (account, speed_mbps, …): kept across a topic switch. */
  values: Record<string, string | number>;
  /** Values the customer volunteered before being asked (an account id in the first message). */
  volunteered: Record<string, string | number>;
  /** Self-checks and look-ups tried, with their outcomes: ticket evidence and the agent's context. */
  tried: TriedStep[];
  /** Sub-flows already completed (identify_account): a second complaint does not ask again. */
  completedSubflows: string[];
  /** Misunderstood messages in a row; two lead to the offer of a person. */
  misunderstandings: number;
  escalationRisk: boolean;
  riskOffered: boolean;
  /** The complaint being handled, or the last one: outcomes and callbacks are filed under it. */
  complaint?: { flow: string; intent: Intent };
  /** How the last complaint ended. */
  lastOutcome?: Outcome;
  lastTicket?: string;
  /** What the current turn showed about the bot's understanding; reset at every turn by the caller. */
  signals?: ReviewSignal[];
  /** Tickets asked for so far: numbers each request so a retried turn cannot open a second ticket. */
  ticketRequests: number;
}

export function newConversationState(): ConversationState {
  return { values: {}, volunteered: {}, tried: [], completedSubflows: [], misunderstandings: 0, escalationRisk: false, riskOffered: false, ticketRequests: 0 };
}
