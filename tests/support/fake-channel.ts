/**
 * A stand-in for a Bot Framework channel's connector service (what `serviceUrl` points at): it records
 * every activity the bot sends, replies and proactive messages alike, as Azure's channels would deliver.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivered {
  conversationId: string;
  text?: string;
  type: string;
  inputHint?: string;
  channelData?: { slot?: string; agent?: string };
  suggestedActions?: { actions: Array<{ title: string }> };
}

export class FakeChannel {
  readonly delivered: Delivered[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const match = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
        if (req.method === 'POST' && match) {
          const activity = JSON.parse(body) as Omit<Delivered, 'conversationId'>;
          this.delivered.push({ ...activity, conversationId: decodeURIComponent(match[1]!) });
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: `delivered-${this.delivered.length}` }));
          return;
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** Messages delivered to one conversation, in order. */
  messagesTo(conversationId: string): Delivered[] {
    return this.delivered.filter((d) => d.conversationId === conversationId && d.type === 'message');
  }

  /** Waits until a message containing `text` reached the conversation (proactive sends are asynchronous). */
  async waitFor(conversationId: string, text: string, timeoutMs = 5000): Promise<Delivered> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messagesTo(conversationId).find((d) => d.text?.includes(text));
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`"${text}" never reached ${conversationId}; got ${JSON.stringify(this.messagesTo(conversationId).map((d) => d.text))}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
