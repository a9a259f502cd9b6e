/**
 * WeChat's XML envelopes. Every value stays a string (MsgId exceeds 2^53), entities are never expanded
 * and a document type declaration is refused outright: WeChat never sends one, so one can only be an
 * attack (XXE, entity expansion).
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

export class WeChatXmlError extends Error {}

export type WeChatFields = Record<string, string>;

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
});

const builder = new XMLBuilder({ cdataPropName: '#cdata' });

const DECLARATIONS = /<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i;

/** The `<xml>` root's simple fields; nested elements (e.g. ScanCodeInfo) are left out. */
export function parseWeChatXml(xml: string): WeChatFields {
  if (DECLARATIONS.test(xml)) throw new WeChatXmlError('document type declarations are not accepted');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new WeChatXmlError(`malformed XML (line ${valid.err.line}: ${valid.err.msg})`);
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (err) {
    throw new WeChatXmlError(`malformed XML (${err instanceof Error ? err.message : 'unreadable'})`);
  }
  const root = (doc as { xml?: unknown } | undefined)?.xml;
  if (root === undefined || root === null || typeof root !== 'object') throw new WeChatXmlError('the root element must be <xml> with fields');
  const fields: WeChatFields = {};
  for (const [name, value] of Object.entries(root)) if (typeof value === 'string') fields[name] = value;
  return fields;
}

const cdata = (value: string) => ({ '#cdata': value });

/** A passive text reply (plain mode). */
export function textReplyXml(reply: { to: string; from: string; content: string; createTime: number }): string {
  return builder.build({
    xml: {
      ToUserName: cdata(reply.to),
      FromUserName: cdata(reply.from),
      CreateTime: reply.createTime,
      MsgType: cdata('text'),
      Content: cdata(reply.content),
    },
  }) as string;
}

/** The safe-mode envelope around an encrypted reply. */
export function encryptedReplyXml(reply: { encrypt: string; signature: string; timestamp: string; nonce: string }): string {
  return builder.build({
    xml: {
      Encrypt: cdata(reply.encrypt),
      MsgSignature: cdata(reply.signature),
      TimeStamp: reply.timestamp,
      Nonce: cdata(reply.nonce),
    },
  }) as string;
}
