import { stringify } from "csv-stringify/sync";
import { formatIsoInZone } from "../domain/time-zone.js";
import type { MessageView } from "../store/message-views.js";

/** A spreadsheet reads a cell starting with these as a formula; such a cell is made plain text. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet shows as the text it is, never as a formula to run. */
export function neutralised(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Excel reads UTF-8 (and so Bangla) only from a file that starts with a byte-order mark. */
export const CSV_BOM = "\ufeff";

/** The columns of a messages CSV; `seq` and `hash` name the row's link in the hash chain. */
export const MESSAGE_CSV_HEADER = ["id", "chat", "at", "sender", "phone", "designation", "type", "body", "directive", "edited", "deleted", "seq", "hash"];

/** One CSV line (RFC 4180 quoting of commas, quotes and line breaks; CRLF), every cell neutralised. */
export function csvLine(cells: string[]): string {
  return stringify([cells.map(neutralised)], { record_delimiter: "\r\n", quoted_match: /[\s,"]/ });
}

/** A message as the cells of MESSAGE_CSV_HEADER. */
export function messageCsvCells(message: MessageView, timeZone: string): string[] {
  return [
    String(message.id),
    message.chat,
    formatIsoInZone(message.at, timeZone),
    message.sender.name,
    message.sender.phone ?? "",
    message.sender.designation ?? "",
    message.type,
    message.editedBody ?? message.body,
    message.directive ? "yes" : "no",
    message.edited ? "yes" : "no",
    message.deleted ? "yes" : "no",
    String(message.seq),
    message.hash,
  ];
}

/**
 * Messages as CSV for Excel: UTF-8 with a byte-order mark (so Bangla shows), RFC 4180 quoting (commas,
 * quotes, line breaks), and no cell that a spreadsheet would run.
 */
export function messagesCsv(messages: MessageView[], timeZone: string): string {
  return CSV_BOM + csvLine(MESSAGE_CSV_HEADER) + messages.map((message) => csvLine(messageCsvCells(message, timeZone))).join("");
}
