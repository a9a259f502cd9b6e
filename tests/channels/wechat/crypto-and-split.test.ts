/**
 * The safe-mode crypto against Tencent's published WXBizMsgCrypt sample values (the Official Account
 * sample's Sample.py / README, reproduced e.g. in github.com/fotock/WXbizMsgCrypt-Node README.md and
 * many other ports): token "spamtest", EncodingAESKey "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
 * appid "wx2c2769f8efd9abc2", timestamp "1409735669", nonce "1320562132", a known Encrypt and its
 * msg_signature "5d197aaffba7e9b25a30732f161a50dee96bd5fa". And the 2048-byte reply splitting.
 */
import { describe, expect, it } from 'vitest';
import { MessageCrypto, WeChatCryptoError } from '../../../src/channels/wechat/message-crypto.js';
import { signatureMatches, timestampIsFresh, wechatSignature } from '../../../src/channels/wechat/signature.js';
import { MAX_MESSAGE_BYTES, splitReply } from '../../../src/channels/wechat/split-reply.js';
import { parseWeChatXml, WeChatXmlError } from '../../../src/channels/wechat/wechat-xml.js';

const SAMPLE = {
  token: 'spamtest',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wx2c2769f8efd9abc2',
  timestamp: '1409735669',
  nonce: '1320562132',
  msgSignature: '5d197aaffba7e9b25a30732f161a50dee96bd5fa',
  encrypt:
    'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=',
};

describe("Tencent's WXBizMsgCrypt sample values", () => {
  it('the published msg_signature is sha1 over the sorted token, timestamp, nonce and Encrypt', () => {
    expect(wechatSignature(SAMPLE.token, SAMPLE.timestamp, SAMPLE.nonce, SAMPLE.encrypt)).toBe(SAMPLE.msgSignature);
    expect(signatureMatches(SAMPLE.msgSignature, [SAMPLE.token, SAMPLE.timestamp, SAMPLE.nonce, SAMPLE.encrypt])).toBe(true);
    expect(signatureMatches(SAMPLE.msgSignature, [SAMPLE.token, SAMPLE.timestamp, '1320562133', SAMPLE.encrypt])).toBe(false);
  });

  it('the published Encrypt decrypts to the sample text message, its MsgId kept exactly as a string', () => {
    const message = new MessageCrypto(SAMPLE.encodingAesKey, SAMPLE.appId).decrypt(SAMPLE.encrypt);
    const fields = parseWeChatXml(message);
    expect(fields).toMatchObject({
      ToUserName: 'gh_10f6c3c3ac5a',
      FromUserName: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs',
      CreateTime: '1409735668',
      MsgType: 'text',
      Content: 'abcdteT',
      MsgId: '6054768590064713728',
    });
    // As a JavaScript number it would have become 6054768590064714000.
    expect(String(Number(fields.MsgId))).not.toBe(fields.MsgId);
  });

  it('a message encrypted for another app id is refused', () => {
    expect(() => new MessageCrypto(SAMPLE.encodingAesKey, 'wx0000000000000000').decrypt(SAMPLE.encrypt)).toThrow(WeChatCryptoError);
  });

  it('encrypting with the same 16 random bytes reproduces a ciphertext that decrypts back, padded to 32-byte blocks', () => {
    const crypto = new MessageCrypto(SAMPLE.encodingAesKey, SAMPLE.appId);
    const reply = '<xml><Content><![CDATA[您好，请问遇到了什么情况？]]></Content></xml>';
    const random = Buffer.from('0123456789abcdef');
    const encrypted = crypto.encrypt(reply, random);
    expect(crypto.encrypt(reply, random)).toBe(encrypted);
    expect(Buffer.from(encrypted, 'base64').length % 32).toBe(0);
    expect(crypto.decrypt(encrypted)).toBe(reply);
    expect(crypto.encrypt(reply)).not.toBe(encrypted);
  });

  it('a timestamp more than five minutes away is stale, either way', () => {
    const now = Date.UTC(2025, 0, 1);
    const at = (offsetSeconds: number) => String(Math.floor(now / 1000) + offsetSeconds);
    expect(timestampIsFresh(at(0), now)).toBe(true);
    expect(timestampIsFresh(at(-299), now)).toBe(true);
    expect(timestampIsFresh(at(-301), now)).toBe(false);
    expect(timestampIsFresh(at(301), now)).toBe(false);
    expect(timestampIsFresh('soon', now)).toBe(false);
  });
});

describe('the XML reader', () => {
  it('refuses a document type declaration (XXE) and malformed XML', () => {
    expect(() => parseWeChatXml('<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Content>&x;</Content></xml>')).toThrow(WeChatXmlError);
    expect(() => parseWeChatXml('<xml><Content>unclosed</xml>')).toThrow(WeChatXmlError);
    expect(() => parseWeChatXml('just text')).toThrow(WeChatXmlError);
  });
});

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('splitting a long reply into WeChat messages', () => {
  it('a short reply stays one message', () => {
    expect(splitReply('您好')).toEqual(['您好']);
  });

  it('cuts on line breaks, every part within 2048 bytes, nothing lost', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `第${i + 1}步：请检查光猫的电源和网线是否插紧，然后等待两分钟。`);
    const text = lines.join('\n');
    const parts = splitReply(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(bytes(part)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(parts.join('')).toBe(text);
    // Every part but the last ends exactly at a line end.
    for (const part of parts.slice(0, -1)) expect(part.endsWith('\n')).toBe(true);
  });

  it('a single long line is cut after a sentence, and an unbroken run between characters (emoji intact)', () => {
    const sentences = '我们已经为您登记了故障信息，师傅会尽快上门处理。'.repeat(60);
    const sentenceParts = splitReply(sentences);
    for (const part of sentenceParts) expect(bytes(part)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    for (const part of sentenceParts.slice(0, -1)) expect(part.endsWith('。')).toBe(true);
    expect(sentenceParts.join('')).toBe(sentences);

    const emoji = '👨‍👩‍👧'.repeat(300);
    const emojiParts = splitReply(emoji);
    expect(emojiParts.length).toBeGreaterThan(1);
    for (const part of emojiParts) {
      expect(bytes(part)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
      expect(part.length % '👨‍👩‍👧'.length).toBe(0);
    }
    expect(emojiParts.join('')).toBe(emoji);
  });
});
