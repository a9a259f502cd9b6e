import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs. Bodies are never logged; credentials are redacted wherever they appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'complaint-desk' },
      redact: {
        paths: ['req.headers.authorization', 'headers.authorization', '*.password', '*.token'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
