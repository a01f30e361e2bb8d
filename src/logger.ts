import pino, { type DestinationStream, type Logger } from "pino";

/**
 * pino on standard error, so standard output stays the command's own (one JSON document with --json).
 * Info level carries ids and counts only: message bodies and phone numbers never go to the log.
 */
export function createLogger(level: string, destination: DestinationStream = pino.destination(2)): Logger {
  return pino({ name: "nirdesh", level }, destination);
}
