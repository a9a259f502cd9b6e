/**
 * The adapter each channel's messages go through. Bot Framework channels (Teams, the Emulator, Azure
 * Direct Line) use botbuilder's CloudAdapter; this service's own channels (the web page's Direct Line,
 * WeChat) register theirs, so a proactive message (an agent's words) reaches the customer the way
 * their channel delivers.
 */
import type { BotAdapter, Middleware } from 'botbuilder';

export class ChannelAdapters {
  private readonly byChannel = new Map<string, BotAdapter>();

  constructor(
    private readonly fallback: BotAdapter,
    /** The bot's Microsoft app id ('' without Bot Framework authentication), for proactive turns. */
    readonly appId: string,
    private readonly middleware: Middleware[],
    private readonly onTurnError: BotAdapter['onTurnError'],
  ) {}

  /** A channel's own adapter gets the same middleware (transcripts) and error handling as the rest. */
  register(channelId: string, adapter: BotAdapter): void {
    for (const m of this.middleware) adapter.use(m);
    adapter.onTurnError = this.onTurnError;
    this.byChannel.set(channelId, adapter);
  }

  for(channelId: string | undefined): BotAdapter {
    return (channelId && this.byChannel.get(channelId)) || this.fallback;
  }
}
