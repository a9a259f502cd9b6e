import { pino, type Logger } from 'pino';
import { maskText } from './transcripts/masking.js';

export type { Logger };

/** How deep a logged object is searched for text to mask; log objects are small and flat. */
const MASK_DEPTH = 5;

/** Every string in a log object passes through maskText: whatever a caller logs, personal data does not reach the log. */
function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value);
  if (depth >= MASK_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  if (value instanceof Error) {
    // Keep it an Error so pino's serializer still reads type, message and stack.
    const copy = Object.create(Object.getPrototypeOf(value) as object) as Error;
    for (const key of Object.getOwnPropertyNames(value)) {
      (copy as unknown as Record<string, unknown>)[key] = maskDeep((value as unknown as Record<string, unknown>)[key], depth + 1);
    }
    return copy;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, depth + 1)]));
}

/** Structured JSON logs. Bodies are never logged; credentials are redacted and personal data masked wherever they appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const logger = pino(
    {
      level,
      base: { service: 'complaint-desk' },
      redact: {
        paths: ['req.headers.authorization', 'headers.authorization', '*.password', '*.token'],
        censor: '[redacted]',
      },
      formatters: { log: (object) => maskDeep(object) as Record<string, unknown> },
      hooks: {
        // The message and its %s/%o arguments; the leading object is left to formatters.log.
        logMethod(args, method) {
          const masked = args.map((arg, i) => (i === 0 && typeof arg === 'object' ? arg : maskDeep(arg)));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
  // pino applies formatters.bindings to the root only; child({ ... }) fields are written on every line of
  // the child, so they are masked once, when the child is made. Children inherit this method.
  const child = logger.child;
  logger.child = function maskedChild(this: Logger, bindings, options) {
    return child.call(this, maskDeep(bindings) as typeof bindings, options);
  } as typeof child;
  return logger;
}
