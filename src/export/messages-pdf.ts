import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatIsoInZone } from "../domain/time-zone.js";
import { UserError } from "../user-error.js";
import { eachMessage, type ExportSource } from "./export-messages.js";
import { escapeHtml, HTML_PAGE_END, htmlPageStart } from "./html-page.js";
import { writeOutputFile, writerOf } from "./output-file.js";
import { printPdf } from "./print-pdf.js";

/** A PDF is for reading and printing; past this many messages a spreadsheet or a bundle serves better. */
export const MAX_PDF_MESSAGES = 20_000;

/**
 * The messages as a printable A4 PDF in the user's language: a heading with the filters and the chain
 * head, then each message with its time, sender, words and chain hash; page numbers and the chain head
 * at the foot of every page. The HTML is written to a private temporary file and printed by Chromium.
 */
export async function writeMessagesPdf(source: ExportSource): Promise<number> {
  const { request } = source;
  if (source.total > MAX_PDF_MESSAGES) throw new UserError((t) => t.pdfTooLarge(source.total, MAX_PDF_MESSAGES));
  const chromium = request.chromium();
  const folder = mkdtempSync(join(tmpdir(), "nirdesh-pdf-"));
  try {
    const html = join(folder, "export.html");
    await writeMessagesHtml(source, html);
    const pdf = await printPdf(html, { ...chromium, footer: `Nirdesh · chain ${source.head.seq} · ${source.head.hash}` });
    await writeOutputFile(request.out, request.force, async (stream) => writerOf(stream)(Buffer.from(pdf)));
    return source.total;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function writeMessagesHtml(source: ExportSource, path: string): Promise<void> {
  const { text, timeZone } = source.request;
  const t = text.exportPdf;
  const stream = createWriteStream(path, { mode: 0o600 });
  const write = writerOf(stream);
  const iso = (at: number) => formatIsoInZone(at, timeZone);
  const filters = Object.entries(source.request.filtersAsTyped).map(([name, value]) => `--${name}${value === true ? "" : ` ${value}`}`);
  await write(
    htmlPageStart(t.title, text.lang, CSS) +
      `<h1>${escapeHtml(t.title)}</h1>
<p class="meta">${escapeHtml(t.summary(source.total, iso(source.request.now())))}<br>
${escapeHtml(t.filters)}: ${escapeHtml(filters.join(" ") || t.noFilters)}<br>
${escapeHtml(t.head(source.head.seq))}: <span class="hash">${source.head.hash}</span></p>
`,
  );
  await eachMessage(source, async (message) => {
    const marks = [message.directive ? t.directive : "", message.edited ? text.editedMark : "", message.deleted ? text.deletedMark : ""].filter(Boolean);
    const type = message.type !== "text" ? ` · ${escapeHtml(text.types[message.type] ?? message.type)}` : "";
    const media = message.media?.fileName ? ` · ${escapeHtml(message.media.fileName)}` : "";
    const sender = `${message.sender.name}${message.sender.designation ? ` (${message.sender.designation})` : ""}`;
    await write(`<div class="message${message.directive ? " directive" : ""}">
<div class="head"><b>#${message.id}</b> · ${iso(message.at)} · ${escapeHtml(message.chat)} · <b>${escapeHtml(sender)}</b>${message.sender.phone ? ` · ${escapeHtml(message.sender.phone)}` : ""}${type}${media}${marks.length ? ` · <i>${escapeHtml(marks.join(" "))}</i>` : ""}</div>
<div class="body">${escapeHtml(message.body)}</div>${message.editedBody !== null ? `\n<div class="body edited">${escapeHtml(text.editedMark)} ${escapeHtml(message.editedBody)}</div>` : ""}
<div class="hash">#${message.seq} ${message.hash}</div>
</div>
`);
  });
  await write(HTML_PAGE_END);
  stream.end();
  await once(stream, "finish");
}

const CSS = `
.message { border-bottom: 0.5pt solid #ccc; padding: 4pt 0; break-inside: avoid; }
.message.directive { border-left: 2pt solid #a33; padding-left: 5pt; }
.head { font-size: 8.5pt; color: #333; }
.body { white-space: pre-wrap; overflow-wrap: anywhere; }
.body.edited { color: #555; }
`;
