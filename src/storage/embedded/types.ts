/** A decoded BSON document as held in memory and handed to mingo. */
export type Doc = Record<string, unknown>;

/** The subset of pino's API the server uses, so callers can pass pino or anything shaped like it. */
export interface EmbeddedLogger {
  info: (o: object, msg?: string) => void;
  warn: (o: object, msg?: string) => void;
  error: (o: object, msg?: string) => void;
}

export const silentLogger: EmbeddedLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Limits advertised in hello; the framer and cursor batching enforce the same numbers. */
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE_BYTES = 48_000_000;
export const MAX_WRITE_BATCH_SIZE = 100_000;
