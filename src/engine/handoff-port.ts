/**
 * How the engine asks for a person without knowing who provides one: this service's agent queue, or
 * the channel's own agent hub (Bot Framework hand-off protocol). Bound per turn by the bot layer.
 */
import type { Category, Intent } from '../nlu/index.js';
import type { TriedStep } from './conversation-state.js';

export interface HandoffRequest {
  intent: Intent;
  category: Category;
  account?: string;
  /** Chinese, one line, for the agent's queue. */
  summary: string;
  tried: TriedStep[];
  escalationRisk: boolean;
}

export type HandoffAnswer =
  | { kind: 'queued'; position: number }
  /** The channel's agent hub took the conversation over. */
  | { kind: 'transferred' }
  | { kind: 'unavailable'; reason: 'nobody_online' | 'outside_hours' };

export interface HandoffPort {
  request(request: HandoffRequest): Promise<HandoffAnswer>;
}
