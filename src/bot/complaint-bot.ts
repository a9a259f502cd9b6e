/**
 * The Bot Framework face of the engine: reads the turn's text, asks the NLU, lets the engine decide (or
 * relays to the agent who has the conversation), renders the replies and saves conversation state.
 * Holds no complaint logic of its own.
 */
import {
  ActivityHandler,
  DeliveryModes,
  EventFactory,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ConversationState as BotConversationState,
  type StatePropertyAccessor,
} from 'botbuilder';
import type { Config } from '../config.js';
import type { ReplyTexts } from '../engine/common-content.js';
import type { ComplaintConversation } from '../engine/conversation.js';
import { newConversationState, type ConversationState } from '../engine/conversation-state.js';
import type { ConversationRef } from '../engine/flow-runner.js';
import type { HandoffPort } from '../engine/handoff-port.js';
import type { Reply } from '../engine/replies.js';
import type { HandoffService } from '../handoff/handoff-service.js';
import type { Logger } from '../logger.js';
import type { NluAnalysis } from '../nlu/index.js';
import type { RecognizerSlot } from '../nlu/recognizer-slot.js';
import type { TranscriptStore } from '../transcripts/transcript-store.js';
import type { ChannelAdapters } from './channel-adapters.js';
import { DeliveryDedupe } from './delivery-dedupe.js';
import type { PendingDeliveries } from './pending-deliveries.js';
import { replyActivity } from './render-replies.js';
import { markResent } from './transcript-middleware.js';
import { TurnQueue } from './turn-queue.js';

export interface ComplaintBotDeps {
  conversationState: BotConversationState;
  conversation: ComplaintConversation;
  nlu: RecognizerSlot;
  dedupe: DeliveryDedupe;
  transcripts: TranscriptStore;
  pending: PendingDeliveries;
  handoff: HandoffService;
  handoffMode: Config['HANDOFF_MODE'];
  /** The adapter proactive messages go through, by channel. */
  channels: ChannelAdapters;
  texts: ReplyTexts;
  logger: Logger;
}

/** What a stored reply keeps: enough to answer an expectReplies retry the same way. */
function storable(activity: Partial<Activity>): Partial<Activity> {
  const { type, text, inputHint, channelData, suggestedActions, locale } = activity;
  return JSON.parse(JSON.stringify({ type, text, inputHint, channelData, suggestedActions, locale })) as Partial<Activity>;
}

function nluRecord(nlu: NluAnalysis) {
  return { intent: nlu.intent, score: nlu.score, entities: nlu.entities, flags: nlu.flags };
}

export class ComplaintBot extends ActivityHandler {
  private readonly state: StatePropertyAccessor<ConversationState>;
  private readonly queue = new TurnQueue();

  constructor(private readonly deps: ComplaintBotDeps) {
    super();
    this.state = deps.conversationState.createProperty<ConversationState>('complaint');
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if ((context.activity.membersAdded ?? []).some((m) => m.id !== botId)) {
        await context.sendActivity(replyActivity({ text: deps.texts.welcome }, context.activity.channelId));
      }
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    const key = DeliveryDedupe.keyOf(context.activity);
    const conversationId = context.activity.conversation?.id ?? '';
    await this.queue.run(conversationId, async () => {
      if (key) {
        const claim = await this.deps.dedupe.claim(key);
        if (!claim.first) {
          this.deps.logger.info({ channel: context.activity.channelId }, 'repeated delivery ignored');
          if (claim.replies && context.activity.deliveryMode === DeliveryModes.ExpectReplies) await context.sendActivities(markResent(claim.replies));
          return;
        }
      }
      const sent: Array<Partial<Activity>> = [];
      context.onSendActivities(async (_context, activities, next) => {
        sent.push(...activities.map(storable));
        return next();
      });
      try {
        const delayed = conversationId ? await this.deps.pending.take(conversationId) : [];
        if (delayed.length > 0) await context.sendActivities(markResent(delayed));
        await super.run(context);
        await this.deps.conversationState.saveChanges(context);
      } catch (err) {
        if (key) await this.deps.dedupe.release(key).catch(() => undefined);
        throw err;
      }
      if (key) {
        await this.deps.dedupe.finished(key, sent).catch((err: unknown) => this.deps.logger.warn({ err }, 'could not keep replies for retries'));
      }
    });
  }

  /**
   * A turn the customer did not start (an agent's words, the agent closing, a queue timeout): runs in
   * the conversation's order, may change its state, and keeps what the channel does not take.
   */
  async continueWith(
    reference: Partial<ConversationReference>,
    produce: (state: ConversationState, ref: ConversationRef) => Reply[] | Promise<Reply[]>,
    agent?: string,
  ): Promise<void> {
    const conversationId = reference.conversation?.id ?? '';
    const channel = reference.channelId ?? '';
    await this.queue.run(conversationId, () =>
      this.deps.channels.for(channel).continueConversationAsync(this.deps.channels.appId, reference, async (context) => {
        const state = await this.state.get(context, newConversationState());
        const replies = await produce(state, { conversationId, channel });
        await this.state.set(context, state);
        await this.deps.conversationState.saveChanges(context);
        const activities = replies.map((r) => {
          const activity = replyActivity(r, channel);
          if (agent) activity.channelData = { ...(activity.channelData ?? {}), agent };
          return activity;
        });
        if (activities.length === 0) return;
        try {
          await context.sendActivities(activities);
        } catch (err) {
          this.deps.logger.info({ err, channel }, 'channel did not take a proactive message; kept for the next turn');
          await this.deps.pending.keep(conversationId, activities);
        }
      }),
    );
  }

  private async message(context: TurnContext): Promise<void> {
    const { activity } = context;
    const recognizer = this.deps.nlu.current;
    if (!recognizer) {
      await context.sendActivity(replyActivity({ text: this.deps.texts.unavailable }, activity.channelId));
      return;
    }
    const text = typeof activity.text === 'string' ? activity.text : '';
    const nlu = await recognizer.analyse(text);
    const state = await this.state.get(context, newConversationState());
    const ref = { conversationId: activity.conversation.id, channel: activity.channelId };
    const inbound = {
      ...ref,
      direction: 'inbound' as const,
      sender: 'customer' as const,
      text,
      ...(activity.id ? { activityId: activity.id } : {}),
      nlu: nluRecord(nlu),
      ...(state.active ? { step: { flow: state.active.flowId, step: state.active.stepId } } : {}),
    };

    const handoff = await this.deps.handoff.current(ref.conversationId);
    let replies: Reply[];
    if (handoff?.status === 'active') {
      replies = []; // The agent reads the transcript; the bot keeps out of the way.
    } else if (handoff?.status === 'waiting') {
      if (this.deps.conversation.isCancel(text)) {
        await this.deps.handoff.cancel(ref.conversationId);
        replies = this.deps.conversation.leftQueue();
      } else {
        replies = this.deps.conversation.stillWaiting(await this.deps.handoff.position(handoff));
      }
    } else {
      replies = await this.deps.conversation.turn(state, { nlu, ref, handoff: this.handoffPort(context, inbound) });
    }
    // Written after the turn, which tells why a reviewer should look at it; before the replies are sent.
    const review = state.signals ?? [];
    delete state.signals;
    await this.deps.transcripts.append({ ...inbound, ...(review.length > 0 ? { review } : {}) });
    await this.state.set(context, state);
    if (replies.length > 0) await context.sendActivities(replies.map((r) => replyActivity(r, activity.channelId)));
  }

  /** Who provides a person for this turn: this service's agent queue, or the channel's own agent hub. */
  private handoffPort(context: TurnContext, inbound: { text: string; sender: 'customer' }): HandoffPort {
    const { activity } = context;
    if (this.deps.handoffMode === 'botframework') {
      return {
        request: async (request) => {
          // This turn's own message is written to the store only after the turn, so it is added here.
          const entries = [...(await this.deps.transcripts.list(activity.conversation.id)), { ...inbound, at: new Date() }];
          const transcript = entries.map((e) => ({
            type: 'message',
            text: e.text,
            timestamp: e.at,
            from: e.sender === 'customer' ? activity.from : activity.recipient,
            conversation: activity.conversation,
          }));
          await context.sendActivity(EventFactory.createHandoffInitiation(context, request, { activities: transcript as Activity[] }));
          return { kind: 'transferred' };
        },
      };
    }
    return {
      request: (request) =>
        this.deps.handoff.request(activity.conversation.id, activity.channelId, TurnContext.getConversationReference(activity), request),
    };
  }
}
