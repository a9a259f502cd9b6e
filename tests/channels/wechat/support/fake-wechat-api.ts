/**
 * WeChat's API server (an outside party), faked over a real socket: issues access tokens and takes
 * customer-service messages, answering errcode 40001 for a token it no longer accepts and 45015 while
 * told to refuse.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentMessage {
  touser: string;
  msgtype: string;
  content: string;
  bytes: number;
  token: string;
}

export class FakeWeChatApi {
  url = '';
  tokenFetches = 0;
  readonly sent: SentMessage[] = [];
  /** Messages turned away while `refusing` (errcode 45015: the follower has not written for too long). */
  readonly refused: string[] = [];
  refusing = false;
  private readonly valid = new Set<string>();
  private server = createServer((req, res) => void this.handle(req, res));

  constructor(
    private readonly appId: string,
    private readonly secret: string,
  ) {}

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** WeChat retires every token it issued (as when another party fetched a new one). */
  revokeTokens(): void {
    this.valid.clear();
  }

  messagesTo(openId: string): SentMessage[] {
    return this.sent.filter((m) => m.touser === openId);
  }

  /** Waits until the follower has received messages whose text, joined, matches `pattern`. */
  async waitFor(openId: string, pattern: RegExp | string, timeoutMs = 10_000): Promise<SentMessage[]> {
    const started = Date.now();
    for (;;) {
      const messages = this.messagesTo(openId);
      const text = messages.map((m) => m.content).join('');
      if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) return messages;
      if (Date.now() - started > timeoutMs) {
        throw new Error(`no customer-service message matching ${String(pattern)} within ${timeoutMs} ms; got ${JSON.stringify(messages.map((m) => m.content))}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/cgi-bin/token') {
      const q = url.searchParams;
      if (q.get('grant_type') !== 'client_credential' || q.get('appid') !== this.appId || q.get('secret') !== this.secret) {
        return json({ errcode: 40013, errmsg: 'invalid appid' });
      }
      const token = `token-${++this.tokenFetches}`;
      this.valid.add(token);
      return json({ access_token: token, expires_in: 7200 });
    }
    if (req.method === 'POST' && url.pathname === '/cgi-bin/message/custom/send') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const token = url.searchParams.get('access_token') ?? '';
      if (!this.valid.has(token)) return json({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { touser: string; msgtype: string; text: { content: string } };
      if (this.refusing) {
        this.refused.push(body.text.content);
        return json({ errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' });
      }
      this.sent.push({ touser: body.touser, msgtype: body.msgtype, content: body.text.content, bytes: Buffer.byteLength(body.text.content, 'utf8'), token });
      return json({ errcode: 0, errmsg: 'ok' });
    }
    res.writeHead(404).end();
  }
}
