import { createHash } from "node:crypto";
import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";

/**
 * pino on standard error, so standard output stays the command's own (one JSON document with --json):
 * JSON lines for a service's log, readable lines when a person watches a terminal.
 * Info level carries ids and counts only: message bodies and phone numbers never go to the log.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const stream = destination ?? (process.stderr.isTTY ? pretty({ destination: 2, colorize: true, ignore: "pid,hostname,name", translateTime: "SYS:HH:MM:ss" }) : pino.destination(2));
  return pino({ name: "nirdesh", level }, stream);
}

/**
 * A WhatsApp id as the log may show it. Those ids carry phone numbers (a person's `8801…@c.us`, an old
 * group's `8801…-1600000000@g.us`, a message's sender), so the log gets a short hash that matches the same
 * id every time and reveals nothing.
 */
export function logId(whatsappId: string): string {
  return `wa:${createHash("sha256").update(whatsappId).digest("hex").slice(0, 12)}`;
}
