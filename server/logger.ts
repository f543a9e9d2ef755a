import pino, { type Logger } from 'pino';

/** The server's structured logger (JSON lines on stdout; secrets never logged). */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, redact: ['*.token', '*.password', 'auth.token'] });
}
