import { validateDbName } from '../catalog.js';
import { CommandError, errorReply, toCommandError } from '../errors.js';
import type { Doc } from '../types.js';
import { adminCommands } from './admin.js';
import type { CommandContext, CommandHandler } from './context.js';
import { findAndModifyCommands } from './find-and-modify.js';
import { handshakeCommands, OP_QUERY_COMMANDS } from './handshake.js';
import { readCommands } from './read.js';
import { writeCommands } from './write.js';

export type { CommandContext } from './context.js';

const handlers = new Map<string, CommandHandler>(
  Object.entries({
    ...handshakeCommands,
    ...readCommands,
    ...writeCommands,
    ...findAndModifyCommands,
    ...adminCommands,
  }),
);

/** A standalone mongod rejects anything that tries to start or continue a transaction. */
function carriesTransaction(cmd: Doc): boolean {
  return cmd.txnNumber !== undefined || cmd.startTransaction !== undefined || cmd.autocommit !== undefined;
}

export interface DispatchInput {
  command: Doc;
  protocol: 'msg' | 'query';
  queryDb?: string;
}

/** Never throws: every failure becomes MongoDB's `{ok: 0, errmsg, code, codeName}` reply. */
export async function dispatch(input: DispatchInput, ctx: Omit<CommandContext, 'db'>): Promise<Doc> {
  const { command } = input;
  const name = Object.keys(command)[0] ?? '';
  try {
    const handler = handlers.get(name);
    if (input.protocol === 'query' && !OP_QUERY_COMMANDS.has(name)) {
      throw new CommandError(
        'UnsupportedOpQueryCommand',
        `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade.`,
      );
    }
    if (!handler) throw new CommandError('CommandNotFound', `no such command: '${name}'`);
    if (carriesTransaction(command)) {
      throw new CommandError('IllegalOperation', 'Transaction numbers are only allowed on a replica set member or mongos');
    }
    const rawDb = input.protocol === 'query' ? (input.queryDb ?? 'admin') : command.$db;
    if (rawDb === undefined) throw new CommandError('Location40571', 'OP_MSG requests require a $db argument');
    const db = validateDbName(rawDb);
    return await handler(command, { ...ctx, db });
  } catch (err) {
    const e = toCommandError(err);
    if (e.codeName === 'InternalError') ctx.logger.error({ err, command: name }, 'embedded MongoDB command failed');
    return errorReply(e);
  }
}
