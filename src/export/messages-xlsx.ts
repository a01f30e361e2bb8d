import { once } from "node:events";
import type { WriteStream } from "node:fs";
import { formatIsoInZone } from "../domain/time-zone.js";
import { directiveViews } from "../store/directive-views.js";
import { eachPage, type ExportSource } from "./export-messages.js";
import { MESSAGE_CSV_HEADER, messageCsvCells } from "./messages-csv.js";

/**
 * A workbook of two sheets: the directives among the exported messages with who acknowledged them, and
 * the messages. Every cell is a typed string or number, never a formula, so text that looks like one
 * (=HYPERLINK(…)) is shown as written and runs nothing. Written row by row through exceljs's streaming
 * writer, one sheet after the other.
 */
export async function writeMessagesXlsx(source: ExportSource, stream: WriteStream): Promise<void> {
  const { timeZone, text } = source.request;
  const sheet = text.exportSheet;
  const iso = (at: number | null) => (at === null ? "" : formatIsoInZone(at, timeZone));
  // Loaded only for a workbook: it takes longer to load than most commands take to run.
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  workbook.creator = "Nirdesh";

  const directives = workbook.addWorksheet(sheet.directives, { views: [{ state: "frozen", ySplit: 1 }] });
  directives.columns = DIRECTIVE_COLUMNS.map(([key, width]) => ({ header: sheet.directiveColumns[key], key, width }));
  directives.getRow(1).font = { bold: true };
  for (const page of source.directivePages()) {
    const hashes = new Map(page.map((message) => [message.id, message.hash]));
    for (const directive of directiveViews(source.archive, { messageIds: page.map((message) => message.id) })) {
      const people = (list: Array<{ name: string }>) => list.map((person) => person.name).join(", ");
      directives
        .addRow({
          id: directive.id,
          chat: directive.chat,
          at: iso(directive.at),
          issuer: directive.issuer.name,
          designation: directive.issuer.designation ?? "",
          body: directive.editedBody ?? directive.body,
          deadline: iso(directive.deadline),
          expected: directive.expected.length,
          acknowledged: directive.acknowledged.length,
          acknowledgedShare: directive.expected.length === 0 ? "" : directive.acknowledged.length / directive.expected.length,
          done: directive.done.length,
          firstAcknowledged: iso(directive.acknowledged[0]?.at ?? null),
          lastAcknowledged: iso(directive.acknowledged.at(-1)?.at ?? null),
          acknowledgedBy: people(directive.acknowledged),
          pending: people(directive.pending),
          hash: hashes.get(directive.id) ?? "",
        })
        .commit();
    }
    await flushed(stream, directives);
  }
  directives.getColumn("acknowledgedShare").numFmt = "0%";
  directives.commit();

  const messages = workbook.addWorksheet(sheet.messages, { views: [{ state: "frozen", ySplit: 1 }] });
  messages.columns = MESSAGE_CSV_HEADER.map((key) => ({ header: key, key, width: key === "body" ? 80 : key === "hash" ? 66 : 18 }));
  messages.getRow(1).font = { bold: true };
  await eachPage(source, async (page) => {
    for (const message of page) {
      const cells = messageCsvCells(message, timeZone);
      messages.addRow(cells.map((cell, i) => (i === 0 || i === 11 ? Number(cell) : cell))).commit();
    }
    await flushed(stream, messages);
  });
  messages.commit();
  await workbook.commit();
}

const DIRECTIVE_COLUMNS = [
  ["id", 8],
  ["chat", 24],
  ["at", 26],
  ["issuer", 22],
  ["designation", 22],
  ["body", 70],
  ["deadline", 26],
  ["expected", 10],
  ["acknowledged", 10],
  ["acknowledgedShare", 10],
  ["done", 10],
  ["firstAcknowledged", 26],
  ["lastAcknowledged", 26],
  ["acknowledgedBy", 40],
  ["pending", 40],
  ["hash", 66],
] as const;

export type DirectiveColumn = (typeof DIRECTIVE_COLUMNS)[number][0];

/**
 * exceljs's streaming writer hands rows to its zip without waiting for it (its stream ignores
 * backpressure): before reading more rows, let the zip compress what it was given and the file take it,
 * or a million rows pile up in memory.
 */
async function flushed(stream: WriteStream, sheet: unknown): Promise<void> {
  type Buffered = { _writableState?: { length: number }; _readableState?: { length: number } };
  const pipes = (sheet as { stream?: { pipes?: Buffered[] } }).stream?.pipes ?? [];
  const waiting = () => pipes.reduce((bytes, pipe) => bytes + (pipe._writableState?.length ?? 0) + (pipe._readableState?.length ?? 0), 0);
  do {
    await new Promise((resolve) => setImmediate(resolve));
    if (stream.writableNeedDrain) await once(stream, "drain");
  } while (waiting() > 2 ** 20);
}
