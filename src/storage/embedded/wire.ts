import { BSON } from 'bson';
import { WIRE_DESERIALIZE_OPTIONS } from './bson-values.js';
import { MAX_MESSAGE_SIZE_BYTES, type Doc } from './types.js';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const HEADER_SIZE = 16;
const FLAG_CHECKSUM_PRESENT = 1 << 0;
const FLAG_MORE_TO_COME = 1 << 1;
/**
 * The OP_MSG spec says bits 0-15 are "required": a parser must reject any it does not understand.
 * Optional bits such as exhaustAllowed (16) are ignored because we never stream replies.
 */
const KNOWN_REQUIRED_FLAGS = FLAG_CHECKSUM_PRESENT | FLAG_MORE_TO_COME;

/** Input we cannot make sense of; the connection is closed rather than answered. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export interface RawMessage {
  requestId: number;
  opCode: number;
  /** Everything after the 16-byte header. */
  body: Buffer;
}

/** Splits a TCP byte stream into length-prefixed messages, rejecting impossible lengths early. */
export class MessageFramer {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): RawMessage[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: RawMessage[] = [];
    while (this.buffered >= 4) {
      const head = this.peek(Math.min(this.buffered, HEADER_SIZE));
      const length = head.readInt32LE(0);
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE_BYTES) {
        throw new ProtocolError(`invalid message length ${length}`);
      }
      if (this.buffered < length) break;
      const whole = this.take(length);
      out.push({
        requestId: whole.readInt32LE(4),
        opCode: whole.readInt32LE(12),
        body: whole.subarray(HEADER_SIZE),
      });
    }
    return out;
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0];
    if (first && first.length >= n) return first;
    const merged = Buffer.concat(this.chunks);
    this.chunks = [merged];
    return merged;
  }

  private take(n: number): Buffer {
    const merged = this.peek(n);
    const whole = merged.subarray(0, n);
    const rest = merged.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered -= n;
    return whole;
  }
}

export interface CommandRequest {
  requestId: number;
  /** OP_QUERY callers get OP_REPLY back, OP_MSG callers get OP_MSG. */
  protocol: 'msg' | 'query';
  command: Doc;
  /** OP_QUERY carries the database in its namespace instead of `$db`. */
  queryDb?: string;
  /** Set for unacknowledged writes: the client does not read a reply, so none must be sent. */
  moreToCome: boolean;
}

function readDocument(buf: Buffer, offset: number, end: number): { doc: Doc; next: number } {
  if (offset + 4 > end) throw new ProtocolError('truncated BSON document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError(`invalid BSON document size ${size}`);
  try {
    const doc = BSON.deserialize(buf.subarray(offset, offset + size), WIRE_DESERIALIZE_OPTIONS) as Doc;
    return { doc, next: offset + size };
  } catch (err) {
    throw new ProtocolError(`invalid BSON: ${(err as Error).message}`);
  }
}

function readCString(buf: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new ProtocolError('unterminated cstring');
  return { value: buf.toString('utf8', offset, zero), next: zero + 1 };
}

function parseOpMsg(msg: RawMessage): CommandRequest {
  const { body } = msg;
  if (body.length < 5) throw new ProtocolError('OP_MSG too short');
  const flags = body.readUInt32LE(0);
  const unknownRequired = flags & 0xffff & ~KNOWN_REQUIRED_FLAGS;
  if (unknownRequired) throw new ProtocolError(`unsupported OP_MSG flag bits 0x${unknownRequired.toString(16)}`);
  // We never verify the CRC-32C: TCP already did, and the spec makes verification optional.
  const end = body.length - (flags & FLAG_CHECKSUM_PRESENT ? 4 : 0);
  let pos = 4;
  let command: Doc | undefined;
  const sequences: Array<[string, Doc[]]> = [];
  while (pos < end) {
    const kind = body[pos++];
    if (kind === 0) {
      if (command) throw new ProtocolError('OP_MSG has more than one body section');
      const read = readDocument(body, pos, end);
      command = read.doc;
      pos = read.next;
    } else if (kind === 1) {
      if (pos + 4 > end) throw new ProtocolError('truncated document sequence');
      const sectionEnd = pos + body.readInt32LE(pos);
      if (sectionEnd > end || sectionEnd < pos + 5) throw new ProtocolError('invalid document sequence size');
      const id = readCString(body, pos + 4, sectionEnd);
      const docs: Doc[] = [];
      pos = id.next;
      while (pos < sectionEnd) {
        const read = readDocument(body, pos, sectionEnd);
        docs.push(read.doc);
        pos = read.next;
      }
      sequences.push([id.value, docs]);
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${String(kind)}`);
    }
  }
  if (!command) throw new ProtocolError('OP_MSG without a body section');
  for (const [id, docs] of sequences) command[id] = docs;
  return { requestId: msg.requestId, protocol: 'msg', command, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0 };
}

function parseOpQuery(msg: RawMessage): CommandRequest {
  const { body } = msg;
  const end = body.length;
  if (end < 4) throw new ProtocolError('OP_QUERY too short');
  const ns = readCString(body, 4, end);
  const read = readDocument(body, ns.next + 8, end);
  let command = read.doc;
  // Legacy drivers wrap the command to attach read preferences.
  if (command.$query && typeof command.$query === 'object') command = command.$query as Doc;
  const dot = ns.value.indexOf('.');
  const queryDb = dot > 0 ? ns.value.slice(0, dot) : ns.value;
  const target = dot > 0 ? ns.value.slice(dot + 1) : '';
  return { requestId: msg.requestId, protocol: 'query', command, queryDb: target === '$cmd' ? queryDb : undefined, moreToCome: false };
}

export function parseRequest(msg: RawMessage): CommandRequest {
  switch (msg.opCode) {
    case OP_MSG:
      return parseOpMsg(msg);
    case OP_QUERY:
      return parseOpQuery(msg);
    case OP_COMPRESSED:
      throw new ProtocolError('OP_COMPRESSED is not supported (compression is never advertised)');
    default:
      throw new ProtocolError(`unsupported opCode ${msg.opCode}`);
  }
}

function header(total: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const buf = Buffer.allocUnsafe(total);
  buf.writeInt32LE(total, 0);
  buf.writeInt32LE(requestId, 4);
  buf.writeInt32LE(responseTo, 8);
  buf.writeInt32LE(opCode, 12);
  return buf;
}

function serialize(doc: Doc): Uint8Array {
  return BSON.serialize(doc, { ignoreUndefined: true });
}

export function encodeOpMsg(requestId: number, responseTo: number, doc: Doc): Buffer {
  const bson = serialize(doc);
  const buf = header(HEADER_SIZE + 5 + bson.length, requestId, responseTo, OP_MSG);
  buf.writeUInt32LE(0, 16);
  buf[20] = 0;
  buf.set(bson, 21);
  return buf;
}

export function encodeOpReply(requestId: number, responseTo: number, doc: Doc): Buffer {
  const bson = serialize(doc);
  const buf = header(HEADER_SIZE + 20 + bson.length, requestId, responseTo, OP_REPLY);
  buf.writeInt32LE(0, 16); // responseFlags
  buf.writeBigInt64LE(0n, 20); // cursorID
  buf.writeInt32LE(0, 28); // startingFrom
  buf.writeInt32LE(1, 32); // numberReturned
  buf.set(bson, 36);
  return buf;
}
