/**
 * Direct Line tokens of this service: `<payload>.<HMAC-SHA256>` in base64url, the payload naming the one
 * conversation the token opens and when it stops working. Nothing is stored per token, so every node can
 * check one; the signing secret is DIRECTLINE_SECRET or, unset, one generated once and kept in MongoDB.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from 'mongodb';

interface TokenPayload {
  /** conversation id */
  c: string;
  /** expiry, seconds since the epoch */
  e: number;
}

export interface IssuedToken {
  token: string;
  expiresIn: number;
}

export type TokenCheck = { ok: true; conversationId: string } | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

export class TokenSigner {
  private secret: Promise<Buffer> | undefined;

  constructor(
    /** Where the secret comes from; asked again after a failure (the database may be down at start-up). */
    private readonly loadSecret: () => Promise<Buffer>,
    private readonly ttlSeconds: number,
  ) {}

  async issue(conversationId: string, now = Date.now()): Promise<IssuedToken> {
    const payload = Buffer.from(JSON.stringify({ c: conversationId, e: Math.floor(now / 1000) + this.ttlSeconds } satisfies TokenPayload)).toString('base64url');
    return { token: `${payload}.${await this.sign(payload)}`, expiresIn: this.ttlSeconds };
  }

  async check(authorization: string | undefined, now = Date.now()): Promise<TokenCheck> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return { ok: false, reason: 'missing' };
    const [payload, signature, ...rest] = token.split('.');
    if (!payload || !signature || rest.length > 0) return { ok: false, reason: 'invalid' };
    const expected = Buffer.from(await this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
    let parsed: Partial<TokenPayload>;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<TokenPayload>;
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    if (typeof parsed.c !== 'string' || typeof parsed.e !== 'number') return { ok: false, reason: 'invalid' };
    if (parsed.e * 1000 <= now) return { ok: false, reason: 'expired' };
    return { ok: true, conversationId: parsed.c };
  }

  private async sign(payload: string): Promise<string> {
    this.secret ??= this.loadSecret().catch((err: unknown) => {
      this.secret = undefined;
      throw err;
    });
    return createHmac('sha256', await this.secret).update(payload).digest('base64url');
  }
}

const SECRET_ID = 'directline-token-secret';

/** The configured secret, else the one every node shares through MongoDB (the first node to ask creates it). */
export async function signingSecret(db: Db, configured: string | undefined): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'utf8');
  const settings = db.collection<{ _id: string; value: string }>('service_secrets');
  const candidate = randomBytes(32).toString('base64url');
  await settings.updateOne({ _id: SECRET_ID }, { $setOnInsert: { value: candidate } }, { upsert: true });
  const stored = await settings.findOne({ _id: SECRET_ID });
  if (!stored) throw new Error('the Direct Line signing secret could not be stored');
  return Buffer.from(stored.value, 'base64url');
}
