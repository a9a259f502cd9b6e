/**
 * A WeChat follower as WeChat's servers present them to /api/wechat: signed callbacks, plain or safe
 * mode. Replies are unwrapped here with Node's crypto directly (not the code under test).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';

export interface AccountSettings {
  token: string;
  appId: string;
  aesKey: string;
  /** The Official Account's original id (gh_…). */
  account: string;
}

export interface WeChatAnswer {
  status: number;
  raw: string;
  /** The passive reply's text, if the answer was one. */
  reply?: string;
  /** The reply envelope's fields (ToUserName, FromUserName, MsgType…). */
  fields?: Record<string, string>;
}

const xml = new XMLParser({ parseTagValue: false, processEntities: false, ignoreAttributes: true });
const sha1 = (...parts: string[]) => createHash('sha1').update([...parts].sort().join('')).digest('hex');
const cdata = (v: string) => `<![CDATA[${v}]]>`;
const nowSeconds = () => String(Math.floor(Date.now() / 1000));

let nextMsgId = 6054768590064713728n;

export function newMsgId(): string {
  nextMsgId += 1000n;
  return String(nextMsgId);
}

export class WeChatFollower {
  constructor(
    private readonly baseUrl: string,
    private readonly settings: AccountSettings,
    readonly openId: string,
    private readonly mode: 'plain' | 'aes' = 'plain',
  ) {}

  textXml(text: string, msgId = newMsgId(), createTime = nowSeconds()): string {
    return this.envelope(`<MsgType>${cdata('text')}</MsgType><Content>${cdata(text)}</Content><MsgId>${msgId}</MsgId>`, createTime);
  }

  eventXml(event: string, eventKey?: string, createTime = nowSeconds()): string {
    const key = eventKey === undefined ? '' : `<EventKey>${cdata(eventKey)}</EventKey>`;
    return this.envelope(`<MsgType>${cdata('event')}</MsgType><Event>${cdata(event)}</Event>${key}`, createTime);
  }

  envelope(inner: string, createTime = nowSeconds()): string {
    return `<xml><ToUserName>${cdata(this.settings.account)}</ToUserName><FromUserName>${cdata(this.openId)}</FromUserName><CreateTime>${createTime}</CreateTime>${inner}</xml>`;
  }

  say(text: string, msgId?: string): Promise<WeChatAnswer> {
    return this.post(this.textXml(text, msgId));
  }

  /** Signs (and in safe mode encrypts) `message` as WeChat would; `tamper` breaks one part on purpose. */
  async post(message: string, opts: { timestamp?: string; tamper?: 'signature'; contentType?: string } = {}): Promise<WeChatAnswer> {
    const { token } = this.settings;
    const timestamp = opts.timestamp ?? nowSeconds();
    const nonce = String(Math.floor(Math.random() * 1e9));
    const query = new URLSearchParams({ timestamp, nonce, openid: this.openId });
    let body = message;
    query.set('signature', sha1(token, timestamp, nonce));
    if (this.mode === 'aes') {
      const encrypt = this.encrypt(message);
      body = `<xml><ToUserName>${cdata(this.settings.account)}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt></xml>`;
      query.set('encrypt_type', 'aes');
      query.set('msg_signature', sha1(token, timestamp, nonce, encrypt));
    }
    if (opts.tamper === 'signature') {
      query.set('signature', sha1('not-the-token', timestamp, nonce));
      if (this.mode === 'aes') query.set('msg_signature', sha1('not-the-token', timestamp, nonce, 'x'));
    }
    const res = await fetch(`${this.baseUrl}/api/wechat?${query}`, {
      method: 'POST',
      headers: { 'content-type': opts.contentType ?? 'text/xml' },
      body,
    });
    return this.read(res.status, await res.text());
  }

  private read(status: number, raw: string): WeChatAnswer {
    if (status !== 200 || !raw.startsWith('<xml>')) return { status, raw };
    let fields = (xml.parse(raw) as { xml: Record<string, string> }).xml;
    if (this.mode === 'aes') {
      const { Encrypt, MsgSignature, TimeStamp, Nonce } = fields as Record<string, string>;
      if (MsgSignature !== sha1(this.settings.token, String(TimeStamp), String(Nonce), String(Encrypt))) {
        throw new Error('the encrypted reply is not signed with the token');
      }
      fields = (xml.parse(this.decrypt(String(Encrypt))) as { xml: Record<string, string> }).xml;
    }
    return { status, raw, reply: String(fields.Content ?? ''), fields };
  }

  private key(): Buffer {
    return Buffer.from(`${this.settings.aesKey}=`, 'base64');
  }

  private encrypt(message: string): string {
    const text = Buffer.from(message);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(text.length);
    const body = Buffer.concat([randomBytes(16), len, text, Buffer.from(this.settings.appId)]);
    const pad = 32 - (body.length % 32);
    const cipher = createCipheriv('aes-256-cbc', this.key(), this.key().subarray(0, 16)).setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  }

  private decrypt(encrypted: string): string {
    const decipher = createDecipheriv('aes-256-cbc', this.key(), this.key().subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
    const body = plain.subarray(0, plain.length - plain[plain.length - 1]!);
    const len = body.readUInt32BE(16);
    const appId = body.subarray(20 + len).toString();
    if (appId !== this.settings.appId) throw new Error(`reply encrypted for app id ${appId}`);
    return body.subarray(20, 20 + len).toString();
  }
}

/** A GET verification request as WeChat makes it when the server URL is saved. */
export function verificationQuery(token: string, opts: { timestamp?: string; badSignature?: boolean } = {}): string {
  const timestamp = opts.timestamp ?? nowSeconds();
  const nonce = '1320562132';
  const signature = sha1(opts.badSignature ? 'wrong-token' : token, timestamp, nonce);
  return new URLSearchParams({ signature, timestamp, nonce, echostr: '5837397520665436492' }).toString();
}
