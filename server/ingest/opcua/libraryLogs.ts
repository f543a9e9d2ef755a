import { format, stripVTControlCharacters } from 'node:util';
import type { Logger } from 'pino';

type Print = (...args: unknown[]) => void;

/** Longest node-opcua message kept in the log, characters (it dumps whole structures). */
const MAX_TEXT = 2000;
let routed = false;

/**
 * node-opcua prints to the console in colour, over many lines, while the twin's log is one JSON
 * object a line: its messages go into the twin's log instead (its warnings at debug level, as it
 * warns about much that is harmless, such as a server without operational limits; its errors at
 * warn). The adapter reports what users must act on in the source's lastError. Once per process:
 * node-opcua's loggers are global.
 */
export function routeLibraryLogs(
  ua: { setWarningLogger(log: Print): void; setErrorLogger(log: Print): void },
  logger: Logger,
): void {
  if (routed) return;
  routed = true;
  const text = (args: unknown[]) =>
    stripVTControlCharacters(format(...args))
      .replace(/\s+/g, ' ')
      .slice(0, MAX_TEXT);
  ua.setWarningLogger((...args) => logger.debug({ lib: 'node-opcua' }, text(args)));
  ua.setErrorLogger((...args) => logger.warn({ lib: 'node-opcua' }, text(args)));
}
