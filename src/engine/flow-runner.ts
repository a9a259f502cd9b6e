/**
 * Walks a declarative flow: runs say / check / branch / ticket / use / return steps on its own and stops
 * at the first step that needs the customer (ask, confirm_resolved) or ends the complaint (end, handoff).
 * All progress lives in ConversationState, so the next turn may run on another node.
 */
import type { Logger } from '../logger.js';
import type { Intent } from '../nlu/index.js';
import type { OpenTicketInput, OpenTicketResult, Priority } from '../tickets/types.js';
import { PRIORITIES } from '../tickets/types.js';
import type { BackOfficeChecks } from './back-office-checks.js';
import { checkEvidence, type CommonContent } from './common-content.js';
import { conditionHolds } from './conditions.js';
import type { ConversationState } from './conversation-state.js';
import type { FlowCatalog } from './flow-catalog.js';
import type { Outcome, Step, StepOf } from './flow-schema.js';
import { customerTime, fillPlaceholders, type Reply } from './replies.js';
import { readSlotAnswer, readYesNo, type SlotAnswer } from './slot-answers.js';
import type { NluAnalysis } from '../nlu/index.js';

export interface TicketPort {
  openTicket(input: OpenTicketInput): Promise<OpenTicketResult>;
  readonly sla: { firstResponseHours: number };
}

export interface ConversationRef {
  conversationId: string;
  channel: string;
}

export interface RunResult {
  replies: Reply[];
  /** Set when the complaint reached an end (or a hand-off) this turn. */
  ended?: { outcome: Outcome; ticketNumber?: string };
}

/** Steps run without the customer in one turn; the static checks rule out loops, this guards the rest. */
const MAX_STEPS_PER_TURN = 200;

/** Flow value names → the ticket's evidence field names (the rest keep their flow names). */
const EVIDENCE_FIELDS: Record<string, string> = {
  speed_mbps: 'speedMbps',
  error_code: 'errorCode',
  contact_phone: 'contactPhone',
};

const MOBILE = /^1[3-9]\d{9}$/;

/**
 * Who the ticket is for: the verified account and its phone, or — when the back office could not verify
 * it — the id the customer gave, so the agent can still find and call them.
 */
export function customerOf(values: Readonly<Record<string, string | number>>): { account?: string; contact?: string } {
  const given = values.account_or_phone === undefined ? undefined : String(values.account_or_phone);
  const account = values.account !== undefined ? String(values.account) : given && !MOBILE.test(given) ? given : undefined;
  const phone = values.contact_phone ?? values.phone ?? (given && MOBILE.test(given) ? given : undefined);
  return { ...(account ? { account } : {}), ...(phone !== undefined ? { contact: String(phone) } : {}) };
}

function raisedOnce(priority: Priority): Priority {
  return PRIORITIES[Math.min(PRIORITIES.indexOf(priority) + 1, PRIORITIES.length - 1)]!;
}

export class FlowRunner {
  constructor(
    private readonly catalog: FlowCatalog,
    private readonly checks: BackOfficeChecks,
    private readonly tickets: TicketPort,
    private readonly content: CommonContent,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Starts the flow serving `intent` from its first step. */
  start(state: ConversationState, flowId: string, intent: Intent, ref: ConversationRef): Promise<RunResult> {
    const flow = this.catalog.flow(flowId);
    state.active = { flowId, stepId: flow.start, intent, callers: [], waiting: false };
    return this.run(state, ref, []);
  }

  /** The question the waiting step asks (again), or undefined when nothing waits. */
  question(state: ConversationState): Reply | undefined {
    const active = state.active;
    if (!active?.waiting) return undefined;
    const step = this.catalog.step(active.flowId, active.stepId);
    const { texts } = this.content;
    if (step.kind === 'confirm_resolved') {
      return {
        text: this.fill(step.message, state),
        slot: 'resolved',
        choices: [
          { value: 'yes', label: texts.resolvedYesLabel },
          { value: 'no', label: texts.resolvedNoLabel },
        ],
      };
    }
    if (step.kind !== 'ask') return undefined;
    const reply: Reply = { text: this.fill(step.message, state), slot: step.slot };
    if (step.choices) reply.choices = step.choices.map(({ value, label }) => ({ value, label }));
    if (step.slot === 'confirm') {
      reply.choices = [
        { value: 'yes', label: texts.yesLabel },
        { value: 'no', label: texts.noLabel },
      ];
    }
    return reply;
  }

  /** What the message would answer to the waiting step, without applying it. */
  peek(state: ConversationState, nlu: NluAnalysis): SlotAnswer | undefined {
    const active = state.active;
    if (!active?.waiting) return undefined;
    const step = this.catalog.step(active.flowId, active.stepId);
    if (step.kind === 'confirm_resolved') {
      const yesNo = readYesNo(nlu.text, this.content.answers);
      return yesNo ? { kind: 'value', value: yesNo } : undefined;
    }
    return step.kind === 'ask' ? readSlotAnswer(step.slot, nlu, this.content.answers, step.choices) : undefined;
  }

  /**
   * Applies the customer's answer to the waiting step and runs on. Undefined when the message does not
   * answer the question: the caller decides between a command, a topic switch and asking again.
   */
  async answer(state: ConversationState, nlu: NluAnalysis, ref: ConversationRef): Promise<RunResult | undefined> {
    const active = state.active;
    if (!active?.waiting) return undefined;
    const step = this.catalog.step(active.flowId, active.stepId);
    if (step.kind === 'confirm_resolved') {
      const yesNo = readYesNo(nlu.text, this.content.answers);
      if (!yesNo) return undefined;
      this.record(state, step.evidence, this.content.texts.resolvedOutcomes[yesNo]);
      active.waiting = false;
      active.stepId = yesNo === 'yes' ? step.yes : step.next;
      return this.run(state, ref, []);
    }
    if (step.kind !== 'ask') return undefined;
    const answer = readSlotAnswer(step.slot, nlu, this.content.answers, step.choices);
    if (!answer) return undefined;
    active.waiting = false;
    const value = answer.kind === 'value' ? answer.value : undefined;
    if (step.store) {
      // A choice is kept as the label the customer saw: that is what an agent reads on the ticket.
      const shown = step.choices?.find((c) => c.value === value)?.label ?? value;
      if (shown === undefined) delete state.values[step.store];
      else state.values[step.store] = shown;
    }
    active.stepId = this.afterAsk(step, value);
    return this.run(state, ref, []);
  }

  /** Static checks demand a branch for every choice and for yes / no, the only answers branches see. */
  private afterAsk(step: StepOf<'ask'>, value: string | number | undefined): string {
    return step.next ?? step.branches![String(value)]!;
  }

  private async run(state: ConversationState, ref: ConversationRef, replies: Reply[]): Promise<RunResult> {
    for (let n = 0; n < MAX_STEPS_PER_TURN; n++) {
      const active = state.active!;
      const flow = this.catalog.flow(active.flowId);
      const step: Step = this.catalog.step(active.flowId, active.stepId);
      switch (step.kind) {
        case 'say':
          replies.push({ text: this.fill(step.message, state) });
          active.stepId = step.next;
          break;
        case 'ask': {
          const volunteered = step.store !== undefined && step.next ? state.volunteered[step.store] : undefined;
          if (volunteered !== undefined) {
            state.values[step.store!] = volunteered;
            delete state.volunteered[step.store!];
            active.stepId = step.next!;
            break;
          }
          active.waiting = true;
          replies.push(this.question(state)!);
          return { replies };
        }
        case 'confirm_resolved':
          active.waiting = true;
          replies.push(this.question(state)!);
          return { replies };
        case 'check': {
          const result = await this.checks.run(step.check, state.values);
          Object.assign(state.values, result.values);
          const line = checkEvidence(this.content.texts, step.check, result.outcome);
          this.record(state, line.step, line.outcome);
          active.stepId = step.branches[result.outcome]!;
          break;
        }
        case 'branch': {
          const values = { ...state.values, intent: active.intent };
          const match = step.cases.find((c) => conditionHolds(c.when, values, flow.params));
          active.stepId = match ? match.next : step.otherwise;
          break;
        }
        case 'ticket':
          await this.openTicket(step, state, ref, replies);
          active.stepId = step.next;
          break;
        case 'forget':
          for (const key of step.values) delete state.values[key];
          active.stepId = step.next;
          break;
        case 'use':
          if (state.completedSubflows.includes(step.flow)) {
            active.stepId = step.next;
          } else {
            active.callers.push({ flowId: active.flowId, stepId: step.next });
            active.flowId = step.flow;
            active.stepId = this.catalog.flow(step.flow).start;
          }
          break;
        case 'return': {
          if (!state.completedSubflows.includes(active.flowId)) state.completedSubflows.push(active.flowId);
          const caller = active.callers.pop()!;
          active.flowId = caller.flowId;
          active.stepId = caller.stepId;
          break;
        }
        case 'handoff':
          replies.push({ text: this.fill(step.message, state) });
          state.active = undefined;
          return { replies, ended: { outcome: 'handoff' } };
        case 'end': {
          replies.push({ text: this.fill(step.message, state) });
          state.active = undefined;
          const ticketNumber = step.outcome === 'ticket' ? String(state.values.ticket_number) : undefined;
          return { replies, ended: { outcome: step.outcome, ...(ticketNumber ? { ticketNumber } : {}) } };
        }
      }
    }
    throw new Error(`Flow ${state.active?.flowId} ran ${MAX_STEPS_PER_TURN} steps without stopping`);
  }

  private async openTicket(step: StepOf<'ticket'>, state: ConversationState, ref: ConversationRef, replies: Reply[]): Promise<void> {
    const active = state.active!;
    const values: Record<string, string | number> = {};
    for (const key of step.evidence) {
      const value = state.values[key];
      if (value !== undefined && value !== '') values[EVIDENCE_FIELDS[key] ?? key] = value;
    }
    const { account, contact } = customerOf(state.values);
    state.ticketRequests += 1;
    const result = await this.tickets.openTicket({
      // Stable across a retried turn (state is re-read), so a retry never opens a second ticket.
      requestId: `${ref.conversationId}#${state.ticketRequests}`,
      conversationId: ref.conversationId,
      channel: ref.channel,
      ...(account !== undefined ? { account } : {}),
      intent: active.intent,
      category: step.category,
      priority: state.escalationRisk ? raisedOnce(step.priority) : step.priority,
      escalationRisk: state.escalationRisk,
      summary: this.fill(step.summary, state),
      evidence: { steps: state.tried, values },
      ...(contact !== undefined ? { contactPhone: contact } : {}),
    });
    if (result.queued) {
      state.values.ticket_number = result.reference;
      const due = new Date(result.receivedAt.getTime() + this.tickets.sla.firstResponseHours * 3_600_000);
      state.values.first_response_due = customerTime(due);
      this.logger.warn({ reference: result.reference }, 'ticket kept in the outbox; the customer has the provisional reference');
    } else {
      state.values.ticket_number = result.ticket.number;
      state.values.first_response_due = customerTime(result.ticket.firstResponseDue);
      if (result.repeat) replies.push({ text: this.content.texts.repeatTicket });
    }
    state.lastTicket = String(state.values.ticket_number);
  }

  private record(state: ConversationState, step: string, outcome: string): void {
    state.tried.push({ step, outcome, at: this.clock().toISOString() });
  }

  private fill(template: string, state: ConversationState): string {
    const intent = state.active?.intent;
    const topic = intent ? this.content.texts.topics[intent] : undefined;
    return fillPlaceholders(template, { ...state.values, ...(topic ? { intent: topic } : {}) }, this.content.texts.notGiven);
  }
}
