import { MAX_BSON_OBJECT_SIZE, MAX_MESSAGE_SIZE_BYTES, MAX_WRITE_BATCH_SIZE, type Doc } from '../types.js';
import type { CommandContext, CommandHandler } from './context.js';

/** MongoDB 7.0. The driver requires >= 9; advertising 7.0 keeps it on OP_MSG and plain find/getMore. */
const MAX_WIRE_VERSION = 21;
const SERVER_VERSION = '7.0.0';

/**
 * A standalone (no setName, no msg: "isdbgrid") answer. Omitting topologyVersion keeps the driver on
 * polling monitoring instead of exhaust-streamed hello; omitting `compression` keeps OP_COMPRESSED away.
 */
function hello(_cmd: Doc, ctx: CommandContext): Doc {
  return {
    helloOk: true,
    isWritablePrimary: true,
    ismaster: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
    maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
}

function buildInfo(): Doc {
  return {
    version: SERVER_VERSION,
    gitVersion: 'embedded',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    storageEngines: ['embedded'],
    ok: 1,
  };
}

export const handshakeCommands: Record<string, CommandHandler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: () => ({ ok: 1 }),
  buildInfo,
  buildinfo: buildInfo,
  // Sessions are accepted (lsid is ignored everywhere), so ending them has nothing to release.
  endSessions: () => ({ ok: 1 }),
};

/** Handshake commands are the only ones a modern mongod still accepts over legacy OP_QUERY. */
export const OP_QUERY_COMMANDS = new Set(['hello', 'isMaster', 'ismaster']);
