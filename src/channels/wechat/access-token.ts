/**
 * The Official Account's access token, shared by every node through MongoDB: WeChat limits how often
 * it may be fetched, and fetching a new one retires the old one, so nodes must not each fetch their own.
 * One node at a time holds a short lease to refresh it; the others wait for its result.
 */
import type { Collection, Db } from 'mongodb';
import type { Logger } from '../../logger.js';

interface TokenRecord {
  _id: string;
  token?: string;
  expiresAt?: Date;
  /** A node is fetching a new token until then. */
  leaseUntil?: Date;
}

/** Refresh this long before WeChat's expiry, so a token never expires in flight. */
const REFRESH_MARGIN_MS = 5 * 60_000;
const LEASE_MS = 10_000;
const WAIT_STEP_MS = 200;
const FETCH_TIMEOUT_MS = 5_000;

export class WeChatApiError extends Error {
  constructor(
    readonly errcode: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

export interface WeChatApp {
  apiBase: string;
  appId: string;
  secret: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class AccessTokens {
  private readonly tokens: Collection<TokenRecord>;
  private cached?: { token: string; expiresAt: Date };
  private refreshing?: Promise<string>;

  constructor(
    db: Db,
    private readonly app: WeChatApp,
    private readonly logger: Logger,
  ) {
    this.tokens = db.collection<TokenRecord>('wechat_access_tokens');
  }

  async get(): Promise<string> {
    if (this.cached && this.usable(this.cached.expiresAt)) return this.cached.token;
    const stored = await this.tokens.findOne({ _id: this.app.appId });
    if (stored?.token && stored.expiresAt && this.usable(stored.expiresAt)) {
      this.cached = { token: stored.token, expiresAt: stored.expiresAt };
      return stored.token;
    }
    this.refreshing ??= this.refresh(stored?.token).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** WeChat said the token is invalid or expired (40001, 42001): forget it everywhere. */
  async invalidate(token: string): Promise<void> {
    if (this.cached?.token === token) this.cached = undefined;
    await this.tokens.updateOne({ _id: this.app.appId, token }, { $unset: { token: '', expiresAt: '' } });
  }

  private usable(expiresAt: Date): boolean {
    return expiresAt.getTime() - REFRESH_MARGIN_MS > Date.now();
  }

  private async refresh(stale: string | undefined): Promise<string> {
    const id = this.app.appId;
    await this.tokens.updateOne({ _id: id }, { $setOnInsert: { _id: id } }, { upsert: true });
    const now = new Date();
    const lease = await this.tokens.findOneAndUpdate(
      { _id: id, $or: [{ leaseUntil: { $exists: false } }, { leaseUntil: { $lt: now } }] },
      { $set: { leaseUntil: new Date(now.getTime() + LEASE_MS) } },
    );
    if (!lease) {
      // Another node is fetching: use its token once it is stored.
      for (let waited = 0; waited < LEASE_MS; waited += WAIT_STEP_MS) {
        await sleep(WAIT_STEP_MS);
        const stored = await this.tokens.findOne({ _id: id });
        if (stored?.token && stored.token !== stale && stored.expiresAt && this.usable(stored.expiresAt)) {
          this.cached = { token: stored.token, expiresAt: stored.expiresAt };
          return stored.token;
        }
        if (!stored?.leaseUntil) break;
      }
    }
    try {
      const fresh = await this.fetchToken();
      await this.tokens.updateOne({ _id: id }, { $set: { token: fresh.token, expiresAt: fresh.expiresAt }, $unset: { leaseUntil: '' } });
      this.cached = fresh;
      return fresh.token;
    } catch (err) {
      await this.tokens.updateOne({ _id: id }, { $unset: { leaseUntil: '' } }).catch(() => undefined);
      throw err;
    }
  }

  private async fetchToken(): Promise<{ token: string; expiresAt: Date }> {
    const url = new URL(`${this.app.apiBase}/cgi-bin/token`);
    url.search = new URLSearchParams({ grant_type: 'client_credential', appid: this.app.appId, secret: this.app.secret }).toString();
    // The URL carries the secret: it is never logged.
    const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; errcode?: number; errmsg?: string };
    if (!res.ok || typeof body.access_token !== 'string' || !body.access_token) {
      this.logger.warn({ status: res.status, errcode: body.errcode }, 'WeChat access token request refused');
      throw new WeChatApiError(body.errcode, `access token request failed (HTTP ${res.status}, errcode ${body.errcode ?? 'none'})`);
    }
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 7200;
    return { token: body.access_token, expiresAt: new Date(Date.now() + seconds * 1000) };
  }
}
