import { messageJson } from "../cli/format.js";
import { type ChainHead, readChainHead } from "../store/hash-chain.js";
import type { MediaStore } from "../store/media-store.js";
import type { MessageView } from "../store/message-views.js";
import type { Archive } from "../store/open-archive.js";
import { countMessages, type MessageFilters, messagePages } from "../store/search-messages.js";
import type { Messages } from "../text.js";
import { writeBundle } from "./bundle.js";
import { CSV_BOM, csvLine, MESSAGE_CSV_HEADER, messageCsvCells } from "./messages-csv.js";
import { writeMessagesPdf } from "./messages-pdf.js";
import { writeMessagesXlsx } from "./messages-xlsx.js";
import { checkOutputPath, type Write, writeOutputFile, writerOf } from "./output-file.js";

export const EXPORT_FORMATS = ["csv", "json", "xlsx", "pdf", "bundle"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What a record keeper asked for, and what the export needs to know of the world. */
export interface ExportRequest {
  format: ExportFormat;
  out: string;
  /** Replace an existing file at `out`. */
  force: boolean;
  filters: MessageFilters;
  /** The filters as the record keeper typed them: written into the bundle's manifest and the PDF's heading. */
  filtersAsTyped: Record<string, string | boolean>;
  timeZone: string;
  text: Messages;
  /** Who exported (the operating system's account), for the bundle's manifest. */
  exportedBy: string;
  now: () => number;
  /** The system Chromium, found only when a PDF is asked for. */
  chromium: () => { chromium: string; args: readonly string[] };
  /** Called as messages are written, with how many so far and how many in all. */
  progress?: (done: number, total: number) => void;
}

/** What an exporter is given: the rows a page at a time, and where to write. */
export interface ExportSource {
  archive: Archive;
  media: MediaStore;
  request: ExportRequest;
  /** How many messages the filters find. */
  total: number;
  /** The chain's last row when the export began: it pins what the archive held. */
  head: ChainHead;
  /** The messages, oldest first, a page at a time; each call starts again from the first. */
  pages(): Generator<MessageView[]>;
  /** The directives among them, the same way. */
  directivePages(): Generator<MessageView[]>;
}

/**
 * Writes the messages the filters find, oldest first, to `out` in the format asked for: read from the
 * archive a page at a time and written as they are read, so a million messages take no more memory than
 * a thousand. Returns how many messages were exported.
 */
export async function exportMessages(archive: Archive, media: MediaStore, request: ExportRequest): Promise<number> {
  const head = readChainHead(archive);
  // Every pass of an export (a bundle reads the rows three times) sees the same rows, even while the bot archives more.
  const filters = { ...request.filters, throughSeq: head.seq };
  const total = countMessages(archive, filters);
  const source: ExportSource = {
    archive,
    media,
    request,
    total,
    head,
    pages: () => messagePages(archive, filters),
    directivePages: () => messagePages(archive, { ...filters, directives: true }),
  };
  checkOutputPath(request.out, request.force);
  if (request.format === "pdf") return writeMessagesPdf(source);
  await writeOutputFile(request.out, request.force, async (stream) => {
    const write = writerOf(stream);
    if (request.format === "csv") await writeMessagesCsv(source, write);
    else if (request.format === "json") await writeMessagesJson(source, write);
    else if (request.format === "xlsx") await writeMessagesXlsx(source, stream);
    else await writeBundle(source, stream);
  });
  return total;
}

/** Messages as CSV (messagesCsv's columns and quoting), one page at a time. */
export async function writeMessagesCsv(source: ExportSource, write: Write): Promise<void> {
  await write(CSV_BOM + csvLine(MESSAGE_CSV_HEADER));
  await eachMessage(source, async (message) => write(csvLine(messageCsvCells(message, source.request.timeZone))));
}

/**
 * Messages as one JSON array in DESIGN.md's message shape (with `seq` and `hash`, the row's link in the
 * chain), one message a line, so that a reader can take it a line at a time.
 */
export async function writeMessagesJson(source: ExportSource, write: Write): Promise<void> {
  let count = 0;
  await write("[");
  await eachMessage(source, async (message) => write(jsonArrayItem(message, source.request.timeZone, count++)));
  await write(jsonArrayEnd(count));
}

/** A message as the `index`th item of the JSON array, on a line of its own. */
export function jsonArrayItem(message: MessageView, timeZone: string, index: number): string {
  return `${index === 0 ? "\n" : ",\n"}${JSON.stringify(messageJson(message, timeZone))}`;
}

export function jsonArrayEnd(count: number): string {
  return count === 0 ? "]\n" : "\n]\n";
}

/** Calls `each` for every message, oldest first, and tells the progress bar a page at a time. */
export async function eachMessage(source: ExportSource, each: (message: MessageView) => Promise<void> | void): Promise<void> {
  await eachPage(source, async (page) => {
    for (const message of page) await each(message);
  });
}

/** Calls `each` for every page of messages, oldest first, and tells the progress bar. */
export async function eachPage(source: ExportSource, each: (page: MessageView[]) => Promise<void> | void): Promise<void> {
  let done = 0;
  for (const page of source.pages()) {
    await each(page);
    done += page.length;
    source.request.progress?.(done, source.total);
  }
}
