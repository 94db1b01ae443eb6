/**
 * Structured logs. Personal data never reaches a log: request logs carry the path without its query
 * string (searches may hold a ZIP code or county), and known personal fields are redacted wherever
 * they appear.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Field names that may hold personal data in any object passed to the logger. */
export const REDACTED_FIELDS = [
  'email',
  'password',
  'name',
  'chosenName',
  'legalName',
  'dateOfBirth',
  'phone',
  'address',
  'token',
  'authorization',
  'cookie',
  'query',
  'q',
  'zip',
  'ip',
];

/**
 * Standard output, written asynchronously in the background: a log line never waits on a slow pipe.
 * Call `logger.flush()` before exiting.
 */
export function stdoutDestination(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 4096 });
}

export function createLogger(
  level: string,
  destination?: NodeJS.WritableStream | pino.DestinationStream,
): Logger {
  const paths = REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`]);
  return pino(
    {
      level,
      base: { service: 'nwd' },
      redact: { paths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination as pino.DestinationStream | undefined,
  );
}
