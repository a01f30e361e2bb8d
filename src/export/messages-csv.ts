import { stringify } from "csv-stringify/sync";
import { formatIsoInZone } from "../domain/time-zone.js";
import type { MessageView } from "../store/message-views.js";

/** A spreadsheet reads a cell starting with these as a formula; such a cell is made plain text. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet shows as the text it is, never as a formula to run. */
export function neutralised(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * Messages as CSV for Excel: UTF-8 with a byte-order mark (so Bangla shows), RFC 4180 quoting (commas,
 * quotes, line breaks), and no cell that a spreadsheet would run.
 */
export function messagesCsv(messages: MessageView[], timeZone: string): string {
  const rows = messages.map((message) =>
    [
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
    ].map(neutralised),
  );
  const header = ["id", "chat", "at", "sender", "phone", "designation", "type", "body", "directive", "edited", "deleted"];
  return `\ufeff${stringify([header, ...rows], { record_delimiter: "\r\n", quoted_match: /[\s,"]/ })}`;
}
