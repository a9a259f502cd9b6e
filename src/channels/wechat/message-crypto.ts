/**
 * WeChat's "safe mode" message encryption: AES-256-CBC with the EncodingAESKey (base64 of key + "="),
 * IV = the key's first 16 bytes, PKCS#7 padding to 32-byte blocks, and a plaintext of 16 random bytes,
 * the message length (4 bytes, big-endian), the message and the app id.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const BLOCK = 32;

export class WeChatCryptoError extends Error {}

export class MessageCrypto {
  private readonly key: Buffer;
  private readonly iv: Buffer;

  constructor(
    encodingAesKey: string,
    private readonly appId: string,
  ) {
    this.key = Buffer.from(`${encodingAesKey}=`, 'base64');
    if (this.key.length !== 32) throw new WeChatCryptoError('EncodingAESKey must decode to 32 bytes');
    this.iv = this.key.subarray(0, 16);
  }

  /** The message inside `encrypted`; throws if it does not decrypt or belongs to another app. */
  decrypt(encrypted: string): string {
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.key, this.iv);
      decipher.setAutoPadding(false);
      plain = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
    } catch {
      throw new WeChatCryptoError('message does not decrypt');
    }
    const pad = plain.at(-1) ?? 0;
    if (pad < 1 || pad > BLOCK || pad > plain.length) throw new WeChatCryptoError('bad padding');
    const body = plain.subarray(0, plain.length - pad);
    if (body.length < 20) throw new WeChatCryptoError('message too short');
    const length = body.readUInt32BE(16);
    if (20 + length > body.length) throw new WeChatCryptoError('bad message length');
    const appId = body.subarray(20 + length).toString('utf8');
    if (appId !== this.appId) throw new WeChatCryptoError('message is for another app id');
    return body.subarray(20, 20 + length).toString('utf8');
  }

  /** `random` is only given by tests that reproduce a known ciphertext. */
  encrypt(message: string, random: Buffer = randomBytes(16)): string {
    const text = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(text.length, 0);
    const body = Buffer.concat([random, length, text, Buffer.from(this.appId, 'utf8')]);
    const pad = BLOCK - (body.length % BLOCK);
    const padded = Buffer.concat([body, Buffer.alloc(pad, pad)]);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.iv);
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
  }
}
