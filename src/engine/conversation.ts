/**
 * One customer turn: global commands first, then the question the conversation is waiting on, then a
 * new complaint chosen by the NLU result. Channel-neutral: the bot layer turns Replies into activities.
 */
import type { Logger } from '../logger.js';
import type { Intent, NluAnalysis } from '../nlu/index.js';
import { categoryOf } from '../nlu/taxonomy.js';
import type { CommonContent } from './common-content.js';
import { detectCommand } from './commands.js';
import { newConversationState, type ConversationState, type Pending, type ReviewSignal } from './conversation-state.js';
import type { FlowCatalog } from './flow-catalog.js';
import { customerOf, type ConversationRef, type FlowRunner, type RunResult, type TicketPort } from './flow-runner.js';
import type { OutcomeLog } from './outcome-log.js';
import type { Outcome } from './flow-schema.js';
import type { HandoffPort } from './handoff-port.js';
import { customerTime, fillPlaceholders, type Reply } from './replies.js';
import { readChoice, readSlotAnswer, readYesNo } from './slot-answers.js';
import { ticketReferenceOf, type TicketLookup } from './ticket-lookup.js';
import { normalizeAnswer } from './answer-text.js';

/**
 * Below this score a complaint intent is confirmed with the customer instead of acted on. On the
 * held-out set 0.6 keeps 97 % of the top answers above it correct while about 5 % of all messages need
 * a clarifying question (measured with the product model, README "The complaint conversation").
 */
export const CONFIDENT_SCORE = 0.6;
/** A message this short is read as an answer before it is read as a new topic ("还是不行", "没有"). */
const SHORT_ANSWER_CHARS = 6;
const MISUNDERSTANDINGS_BEFORE_OFFER = 2;
const CLARIFY_OPTIONS = 3;
/** Options for a message that matches nothing at all, so the customer is never left at a dead end. */
const DEFAULT_TOPICS: readonly Intent[] = ['network.no_connection', 'network.slow', 'service.install_delay', 'billing.dispute'];
const CLARIFY_OTHER = 'other';
/** Questions whose answer is a value the message either contains or not (unlike yes / no or free text). */
const VALUE_SLOTS = new Set<string>(['speed_mbps', 'url', 'error_code', 'account', 'phone', 'ticket_number']);
/** A complaint this likely is worth offering even when the top answer is `none`. */
const OFFER_SCORE = 0.2;

export interface TurnInput {
  nlu: NluAnalysis;
  ref: ConversationRef;
  /** Who provides a person this turn; without one, 转人工 is a call-back. */
  handoff?: HandoffPort;
}

/** A turn the customer did not start: an agent joined or left, or nobody came in time. */
export interface ProactiveInput {
  ref: ConversationRef;
}

export interface ConversationDeps {
  /** SERVICE_HOURS, as customers are told it. */
  serviceHours: string;
  catalog: FlowCatalog;
  runner: FlowRunner;
  content: CommonContent;
  tickets: TicketPort;
  lookup: TicketLookup;
  outcomes: OutcomeLog;
  logger: Logger;
}

function isComplaint(intent: Intent): boolean {
  const category = categoryOf(intent);
  return category !== 'utility' && category !== 'other';
}

function signal(state: ConversationState, reason: ReviewSignal): void {
  state.signals = [...(state.signals ?? []), reason];
}

function maskPhone(phone: string): string {
  return /^\d{11}$/.test(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone.replace(/\d(?=\d{4})/g, '*');
}

export class ComplaintConversation {
  constructor(private readonly deps: ConversationDeps) {}

  private get serviceHours(): string {
    return this.deps.serviceHours;
  }

  private get texts() {
    return this.deps.content.texts;
  }

  async turn(state: ConversationState, input: TurnInput): Promise<Reply[]> {
    const { nlu } = input;
    state.signals = [];
    if (nlu.flags.includes('escalation_risk')) state.escalationRisk = true;
    if (!/[\p{L}\p{N}]/u.test(nlu.text)) return this.misunderstood(state, [{ text: this.texts.emptyMessage }]);

    const command = detectCommand(nlu.text, this.deps.content.answers);
    if (command === 'handoff') return this.handoff(state, input);
    if (command === 'cancel') return this.cancel(state);
    if (command === 'help') return this.withQuestion(state, [{ text: this.texts.help }]);
    if (command === 'ticketQuery') return this.ticketQuery(state, input);

    if (state.pending) {
      const handled = await this.answerPending(state, input);
      if (handled) return handled;
    }
    if (state.active?.waiting) return this.answerStep(state, input);
    return this.newTopic(state, input);
  }

  agentJoined(): Reply[] {
    return [{ text: this.texts.agentJoined }];
  }

  /** The agent closed: goodbye and the neutral satisfaction question. */
  agentClosed(state: ConversationState): Reply[] {
    state.pending = { kind: 'satisfaction' };
    return [{ text: this.texts.agentClosed }, this.pendingQuestion(state.pending)];
  }

  /** Nobody accepted in time: the same call-back as when nobody is online. */
  handoffTimedOut(state: ConversationState, input: ProactiveInput): Promise<Reply[]> {
    return this.callback(state, input, [{ text: this.texts.handoffTimedOut }]);
  }

  /** A message while the customer waits in the queue: where they stand. */
  stillWaiting(position: number): Reply[] {
    return [{ text: fillPlaceholders(this.texts.handoffStillWaiting, { position }, '') }];
  }

  /** 取消 / 算了 while waiting for a person: the customer leaves the queue. */
  isCancel(text: string): boolean {
    return detectCommand(text, this.deps.content.answers) === 'cancel';
  }

  leftQueue(): Reply[] {
    return [{ text: this.texts.handoffLeftQueue }];
  }

  /** The customer's answer to a question the conversation asked outside the flows. */
  private async answerPending(state: ConversationState, input: TurnInput): Promise<Reply[] | undefined> {
    const pending = state.pending!;
    const { nlu } = input;
    const { answers } = this.deps.content;
    switch (pending.kind) {
      case 'offer_handoff': {
        const yesNo = readYesNo(nlu.text, answers);
        state.pending = undefined;
        if (yesNo === 'yes' && pending.afterMisunderstanding) signal(state, 'handoff_after_misunderstanding');
        if (yesNo === 'yes') return this.handoff(state, input);
        if (yesNo === 'no') {
          state.misunderstandings = 0;
          if (pending.resumeIntent) return this.startComplaint(state, pending.resumeIntent, input, []);
          if (!state.active?.waiting) return [{ text: this.texts.describeProblem }];
          return this.withQuestion(state, [{ text: this.texts.resume }]);
        }
        return undefined;
      }
      case 'clarify': {
        const options = this.clarifyOptions(pending.options);
        const picked = readChoice(nlu.text, options);
        state.pending = undefined;
        if (picked === CLARIFY_OTHER) return [{ text: this.texts.clarifyOtherReply }];
        if (picked) return this.startComplaint(state, picked as Intent, input, []);
        return undefined;
      }
      case 'handoff_phone': {
        const phone = readSlotAnswer('phone', nlu, answers);
        if (phone?.kind === 'value') {
          state.pending = undefined;
          state.values.contact_phone = String(phone.value);
          return this.openCallback(state, input, []);
        }
        return [{ text: this.texts.handoffAskPhone, slot: 'phone' }];
      }
      case 'ticket_reference': {
        const reference = ticketReferenceOf(nlu);
        if (reference) {
          state.pending = undefined;
          return this.withQuestion(state, [{ text: await this.deps.lookup.describe(reference) }]);
        }
        // A new complaint instead of a number is taken as one; anything else is asked again.
        if (isComplaint(nlu.intent) && nlu.score >= CONFIDENT_SCORE && normalizeAnswer(nlu.text).length > SHORT_ANSWER_CHARS) {
          state.pending = undefined;
          return undefined;
        }
        return this.misunderstood(state, [{ text: this.texts.noTicketReference }]);
      }
      case 'satisfaction': {
        const answer = readChoice(nlu.text, this.texts.satisfaction);
        state.pending = undefined;
        if (!answer) return undefined;
        await this.deps.outcomes.satisfaction(input.ref.conversationId, answer);
        return [{ text: this.texts.satisfactionThanks }];
      }
    }
  }

  /** A flow waits for an answer: take it, or recognise a new topic, a utility intent, or a misunderstanding. */
  private async answerStep(state: ConversationState, input: TurnInput): Promise<Reply[]> {
    const { nlu } = input;
    const active = state.active!;
    if (state.escalationRisk && !state.riskOffered) return this.offerForRisk(state);
    const strong = nlu.score >= CONFIDENT_SCORE && isComplaint(nlu.intent) ? nlu.intent : undefined;
    const newFlow = strong ? this.deps.catalog.flowFor(strong) : undefined;
    const isLong = normalizeAnswer(nlu.text).length > SHORT_ANSWER_CHARS;
    // A long message about another complaint is a new topic — unless it carries the very value asked
    // for ("测速只有50兆" to a speed question is an answer, however much it sounds like 网速慢).
    const carriesValue =
      VALUE_SLOTS.has(this.deps.runner.question(state)?.slot ?? 'text') && this.deps.runner.peek(state, nlu)?.kind === 'value';
    if (strong && newFlow && newFlow.id !== this.rootFlow(state) && isLong && !carriesValue) return this.switchTopic(state, strong, input);

    const result = await this.deps.runner.answer(state, nlu, input.ref);
    if (result) {
      state.misunderstandings = 0;
      return this.afterRun(state, input, result, []);
    }
    if (strong && newFlow && newFlow.id !== this.rootFlow(state)) return this.switchTopic(state, strong, input);
    if (strong && strong !== active.intent && isLong) {
      // Same flow, another of its intents (网速慢 → 经常掉线): the flow branches on it later.
      active.intent = strong;
      return this.withQuestion(state, [{ text: fillPlaceholders(this.texts.topicSwitch, { topic: this.texts.topics[strong] }, '') }]);
    }
    const utility = await this.utilityIntent(state, input);
    if (utility) return utility;
    return this.misunderstood(state, [{ text: this.texts.notUnderstood }]);
  }

  /** Nothing is waiting: a new complaint, a utility intent, or a question back to the customer. */
  private async newTopic(state: ConversationState, input: TurnInput): Promise<Reply[]> {
    const { nlu } = input;
    // Only where the intent decides what happens: a "是" answering a question is not the model's doubt.
    if (nlu.score < CONFIDENT_SCORE && nlu.intent !== 'none') signal(state, 'low_confidence');
    const complaint = isComplaint(nlu.intent) && nlu.score >= CONFIDENT_SCORE ? nlu.intent : undefined;
    if (state.escalationRisk && !state.riskOffered) return this.offerForRisk(state, complaint);
    if (complaint) return this.startComplaint(state, complaint, input, []);
    const utility = await this.utilityIntent(state, input);
    if (utility) return utility;
    return this.clarify(state, nlu);
  }

  private async utilityIntent(state: ConversationState, input: TurnInput): Promise<Reply[] | undefined> {
    const { nlu } = input;
    if (nlu.score < CONFIDENT_SCORE) return undefined;
    switch (nlu.intent) {
      case 'handoff.request':
        return this.handoff(state, input);
      case 'ticket.status':
        return this.ticketQuery(state, input);
      case 'greeting':
        state.misunderstandings = 0;
        return state.active?.waiting ? this.withQuestion(state, []) : [{ text: this.texts.welcome }];
      case 'goodbye':
        state.misunderstandings = 0;
        state.active = undefined;
        state.pending = undefined;
        return [{ text: this.texts.goodbye }];
      default:
        return undefined;
    }
  }

  private async startComplaint(state: ConversationState, intent: Intent, input: TurnInput, replies: Reply[]): Promise<Reply[]> {
    const flow = this.deps.catalog.flowFor(intent);
    if (!flow) return this.clarify(state, input.nlu);
    if (!state.active) state.tried = [];
    state.misunderstandings = 0;
    state.pending = undefined;
    this.rememberVolunteered(state, input.nlu);
    state.complaint = { flow: flow.id, intent };
    const result = await this.deps.runner.start(state, flow.id, intent, input.ref);
    return this.afterRun(state, input, result, replies);
  }

  private switchTopic(state: ConversationState, intent: Intent, input: TurnInput): Promise<Reply[]> {
    signal(state, 'corrected');
    const line = fillPlaceholders(this.texts.topicSwitch, { topic: this.texts.topics[intent] }, '');
    state.active = undefined;
    return this.startComplaint(state, intent, input, [{ text: line }]);
  }

  /** Records how a complaint ended and asks the satisfaction question after `resolved` or a ticket. */
  private async afterRun(state: ConversationState, input: TurnInput, result: RunResult, before: Reply[]): Promise<Reply[]> {
    const replies = [...before, ...result.replies];
    const ended = result.ended;
    if (!ended) return replies;
    state.lastOutcome = ended.outcome;
    if (ended.outcome === 'handoff') return this.handoff(state, input, replies);
    await this.recordEnd(state, input, ended.outcome, ended.ticketNumber);
    if (ended.outcome === 'resolved' || ended.outcome === 'ticket') {
      state.pending = { kind: 'satisfaction' };
      replies.push({ text: this.texts.satisfactionQuestion, slot: 'satisfaction', choices: this.texts.satisfaction });
    }
    return replies;
  }

  private async recordEnd(state: ConversationState, input: Pick<TurnInput, 'ref'>, outcome: Outcome, ticketNumber?: string): Promise<void> {
    await this.deps.outcomes.ended({
      conversationId: input.ref.conversationId,
      channel: input.ref.channel,
      flow: state.complaint?.flow ?? 'none',
      intent: state.complaint?.intent ?? 'handoff.request',
      outcome,
      ...(ticketNumber ? { ticketNumber } : {}),
      tried: state.tried,
      escalationRisk: state.escalationRisk,
      endedAt: new Date(),
    });
  }

  /**
   * 转人工. Until agents are online (the hand-off issue) a person calls back: with a number on file the
   * callback ticket is opened at once, otherwise the customer is asked for one.
   */
  private async handoff(state: ConversationState, input: TurnInput, replies: Reply[] = []): Promise<Reply[]> {
    state.active = undefined;
    state.pending = undefined;
    state.misunderstandings = 0;
    if (input.handoff) {
      const intent = state.complaint?.intent ?? 'handoff.request';
      const answer = await input.handoff.request({
        intent,
        category: categoryOf(intent),
        ...(customerOf(state.values).account ? { account: customerOf(state.values).account! } : {}),
        summary: isComplaint(intent) ? this.texts.topics[intent]! : this.texts.notGiven,
        tried: state.tried,
        escalationRisk: state.escalationRisk,
      });
      if (answer.kind === 'queued') {
        await this.recordEnd(state, input, 'handoff');
        return [...replies, { text: fillPlaceholders(this.texts.handoffQueued, { position: answer.position }, '') }];
      }
      if (answer.kind === 'transferred') {
        await this.recordEnd(state, input, 'handoff');
        return [...replies, { text: this.texts.handoffTransferred }];
      }
      const why = answer.reason === 'outside_hours' ? this.texts.handoffOutsideHours : this.texts.handoffNobodyOnline;
      replies = [...replies, { text: fillPlaceholders(why, { hours: this.serviceHours }, '') }];
    }
    return this.callback(state, input, replies);
  }

  /** A person calls back: at once when a number is on file, otherwise after asking for one. */
  private async callback(state: ConversationState, input: Pick<TurnInput, 'ref'>, replies: Reply[]): Promise<Reply[]> {
    if (customerOf(state.values).contact === undefined) {
      state.pending = { kind: 'handoff_phone' };
      return [...replies, { text: this.texts.handoffAskPhone, slot: 'phone' }];
    }
    return this.openCallback(state, input, replies);
  }

  private async openCallback(state: ConversationState, input: Pick<TurnInput, 'ref'>, replies: Reply[]): Promise<Reply[]> {
    const { account, contact } = customerOf(state.values);
    const phone = contact ?? '';
    const intent = state.complaint?.intent ?? 'handoff.request';
    const topic = isComplaint(intent) ? this.texts.topics[intent] : undefined;
    state.ticketRequests += 1;
    const result = await this.deps.tickets.openTicket({
      requestId: `${input.ref.conversationId}#${state.ticketRequests}`,
      conversationId: input.ref.conversationId,
      channel: input.ref.channel,
      ...(account !== undefined ? { account } : {}),
      intent,
      category: 'callback',
      priority: state.escalationRisk ? 'high' : 'normal',
      escalationRisk: state.escalationRisk,
      summary: fillPlaceholders(this.texts.callbackSummary, { topic: topic ?? this.texts.notGiven, phone }, this.texts.notGiven),
      evidence: { steps: state.tried, values: {} },
      contactPhone: phone,
    });
    const number = result.queued ? result.reference : result.ticket.number;
    state.lastTicket = number;
    const due = result.queued ? undefined : result.ticket.firstResponseDue;
    const template = due ? this.texts.handoffCallback : this.texts.handoffCallbackQueued;
    await this.recordEnd(state, input, 'handoff', number);
    return [
      ...replies,
      { text: fillPlaceholders(template, { ticket_number: number, phone: maskPhone(phone), first_response_due: due ? customerTime(due) : '' }, '') },
    ];
  }

  /** 取消 / 算了 / 重新开始: the next complaint starts from scratch, the account included. */
  private async cancel(state: ConversationState): Promise<Reply[]> {
    const had = state.active !== undefined || state.pending !== undefined;
    const { lastTicket, ticketRequests } = state;
    for (const key of Object.keys(state) as Array<keyof ConversationState>) delete state[key];
    Object.assign(state, newConversationState(), { ticketRequests }, lastTicket ? { lastTicket } : {});
    return [{ text: had ? this.texts.cancelled : this.texts.nothingToCancel }];
  }

  private async ticketQuery(state: ConversationState, input: TurnInput): Promise<Reply[]> {
    state.misunderstandings = 0;
    const reference = ticketReferenceOf(input.nlu) ?? state.lastTicket ?? (state.values.account === undefined ? undefined : String(state.values.account));
    if (!reference) {
      state.pending = { kind: 'ticket_reference' };
      return [{ text: this.texts.askTicketReference, slot: 'ticket_number' }];
    }
    return this.withQuestion(state, [{ text: await this.deps.lookup.describe(reference) }]);
  }

  private offerForRisk(state: ConversationState, resumeIntent?: Intent): Reply[] {
    state.riskOffered = true;
    state.pending = resumeIntent ? { kind: 'offer_handoff', resumeIntent } : { kind: 'offer_handoff' };
    return [{ text: this.texts.riskApology }, this.offerQuestion(this.texts.offerHandoff)];
  }

  private offerQuestion(text: string): Reply {
    return {
      text,
      slot: 'confirm',
      choices: [
        { value: 'yes', label: this.texts.yesLabel },
        { value: 'no', label: this.texts.noLabel },
      ],
    };
  }

  private clarifyOptions(intents: readonly Intent[]): Array<{ value: string; label: string }> {
    return [
      ...intents.map((intent) => ({ value: intent, label: this.texts.topics[intent]! })),
      { value: CLARIFY_OTHER, label: this.texts.clarifyOther },
    ];
  }

  /** Low confidence: the likeliest complaints as options; nothing likely: the common ones. */
  private clarify(state: ConversationState, nlu: NluAnalysis): Reply[] {
    // Offer what the model half-believes; only a message that resembles no complaint at all is off-topic.
    const floor = nlu.intent === 'none' ? OFFER_SCORE : 0.05;
    const likely = nlu.ranking.filter((r) => isComplaint(r.intent) && r.score >= floor).slice(0, CLARIFY_OPTIONS).map((r) => r.intent);
    const options = likely.length > 0 ? likely : [...DEFAULT_TOPICS];
    const question = likely.length > 0 ? this.texts.clarify : this.texts.outOfScope;
    state.misunderstandings += 1;
    signal(state, 'clarification');
    if (state.misunderstandings >= MISUNDERSTANDINGS_BEFORE_OFFER) return this.offerAfterMisunderstanding(state);
    state.pending = { kind: 'clarify', options, prompt: question };
    return [{ text: question, slot: 'choice', choices: this.clarifyOptions(options) }];
  }

  private misunderstood(state: ConversationState, replies: Reply[]): Reply[] {
    state.misunderstandings += 1;
    signal(state, 'misunderstood');
    if (state.misunderstandings >= MISUNDERSTANDINGS_BEFORE_OFFER) return this.offerAfterMisunderstanding(state);
    return this.withQuestion(state, replies);
  }

  private offerAfterMisunderstanding(state: ConversationState): Reply[] {
    state.misunderstandings = 0;
    state.pending = { kind: 'offer_handoff', prompt: this.texts.offerHandoffAfterMisunderstanding, afterMisunderstanding: true };
    return [this.offerQuestion(this.texts.offerHandoffAfterMisunderstanding)];
  }

  /** Adds the question the conversation is still waiting on, so an aside never loses the thread. */
  private withQuestion(state: ConversationState, replies: Reply[]): Reply[] {
    const question = state.pending ? this.pendingQuestion(state.pending) : this.deps.runner.question(state);
    return question ? [...replies, question] : replies;
  }

  private pendingQuestion(pending: Pending): Reply {
    switch (pending.kind) {
      case 'offer_handoff':
        return this.offerQuestion(pending.prompt ?? this.texts.offerHandoff);
      case 'clarify':
        return { text: pending.prompt ?? this.texts.clarify, slot: 'choice', choices: this.clarifyOptions(pending.options) };
      case 'handoff_phone':
        return { text: this.texts.handoffAskPhone, slot: 'phone' };
      case 'ticket_reference':
        return { text: this.texts.askTicketReference, slot: 'ticket_number' };
      case 'satisfaction':
        return { text: this.texts.satisfactionQuestion, slot: 'satisfaction', choices: this.texts.satisfaction };
    }
  }

  /** The complaint flow the customer is in (not the sub-flow it is currently inside). */
  private rootFlow(state: ConversationState): string | undefined {
    const active = state.active;
    return active ? (active.callers[0]?.flowId ?? active.flowId) : undefined;
  }

  /** Ids, codes and sites the customer gave before being asked, offered to the flow's questions. */
  private rememberVolunteered(state: ConversationState, nlu: NluAnalysis): void {
    for (const entity of nlu.entities) {
      if ((entity.type === 'account' || entity.type === 'phone') && state.values.account === undefined) {
        state.volunteered.account_or_phone ??= String(entity.value);
      }
      if (entity.type === 'error_code') state.volunteered.error_code ??= String(entity.value);
      if (entity.type === 'url') state.volunteered.url ??= String(entity.value);
    }
  }
}
