/**
 * A customer talking to the bot over the real HTTP endpoint with `deliveryMode: "expectReplies"`, as
 * the Emulator and channel tests do: every reply comes back in the HTTP answer.
 */
import { randomUUID } from 'node:crypto';

export interface BotReply {
  type: string;
  text?: string;
  inputHint?: string;
  channelData?: { slot?: string };
  suggestedActions?: { actions: Array<{ type: string; title: string; value: string }> };
}

export interface Turn {
  status: number;
  replies: BotReply[];
  /** The last reply: the one that asks, if any. */
  last: BotReply | undefined;
  /** All reply texts joined, for pattern checks. */
  text: string;
  /** What the bot waits for now (channelData.slot of the last reply), undefined when it waits for nothing. */
  slot: string | undefined;
  /** Button titles of the last reply. */
  buttons: string[];
}

export class CustomerChat {
  readonly conversationId: string;
  private sequence = 0;

  constructor(
    private readonly baseUrl: string,
    readonly channelId = 'test',
    conversationId?: string,
  ) {
    this.conversationId = conversationId ?? `conv-${randomUUID()}`;
  }

  /** Sends a message; `activityId` lets a test deliver the same activity twice. */
  async say(text: string, activityId?: string): Promise<Turn> {
    return this.send({ type: 'message', text, id: activityId ?? `act-${++this.sequence}` });
  }

  async send(activity: Record<string, unknown>): Promise<Turn> {
    const res = await fetch(`${this.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channelId: this.channelId,
        serviceUrl: 'http://127.0.0.1:9/unused',
        deliveryMode: 'expectReplies',
        conversation: { id: this.conversationId },
        from: { id: 'customer-1', name: '客户' },
        recipient: { id: 'bot', name: '宽带投诉助手' },
        locale: 'zh-CN',
        ...activity,
      }),
    });
    const body = (await res.json().catch(() => ({}))) as { activities?: BotReply[] };
    const replies = (body.activities ?? []).filter((a) => a.type === 'message');
    const last = replies.at(-1);
    return {
      status: res.status,
      replies,
      last,
      text: replies.map((r) => r.text ?? '').join('\n'),
      slot: last?.inputHint === 'expectingInput' ? last.channelData?.slot : undefined,
      buttons: last?.suggestedActions?.actions.map((a) => a.title) ?? [],
    };
  }
}
