import { findChromium } from "../chromium/find-chromium.js";
import { acknowledgementTally, type Period } from "../domain/acknowledgement-report.js";
import { checkOutputPath, writeOutputFile, writerOf } from "../export/output-file.js";
import { printPdfFromHtml } from "../export/print-pdf.js";
import { type ReportMeta, reportHtml, reportJson, reportLines } from "../export/report-formats.js";
import { directiveViews } from "../store/directive-views.js";
import { readChainHead } from "../store/hash-chain.js";
import { messagePages } from "../store/search-messages.js";
import { UserError } from "../user-error.js";
import type { Command } from "./command.js";
import { MESSAGE_FILTER_OPTIONS, readDateRange, readMessageFilters } from "./message-filters.js";

const FORMATS = ["text", "html", "pdf", "json"] as const;

/**
 * `nirdesh report [--since] [--until] [--chat] [--from] [--period month|quarter] [--format text|html|pdf|json]
 * [--out PATH] [--force]`: how directives were acknowledged, per directive, officer, chat and month or
 * quarter (the Cabinet Division's guideline asks offices to evaluate every three months). Audited in the chain.
 */
export const reportCommand: Command = {
  name: "report",
  writes: false,
  creates: false,
  options: {
    chat: MESSAGE_FILTER_OPTIONS.chat,
    from: MESSAGE_FILTER_OPTIONS.from,
    since: MESSAGE_FILTER_OPTIONS.since,
    until: MESSAGE_FILTER_OPTIONS.until,
    format: { type: "string" },
    period: { type: "string" },
    out: { type: "string" },
    force: { type: "boolean" },
  },
  async run(context, values, positionals) {
    if (positionals.length > 0) throw new UserError((t) => t.badUsage(t.unexpectedArgument(positionals[0]!)));
    const format = typeof values.format === "string" ? values.format.trim().toLowerCase() : context.json ? "json" : "text";
    if (!(FORMATS as readonly string[]).includes(format)) throw new UserError((t) => t.badFormat(String(values.format), FORMATS.join(", ")));
    const period = typeof values.period === "string" ? values.period.trim().toLowerCase() : "month";
    if (period !== "month" && period !== "quarter") throw new UserError((t) => t.badPeriod(String(values.period)));
    const out = typeof values.out === "string" && values.out.trim() ? values.out : undefined;
    if (format === "pdf" && !out) throw new UserError((t) => t.badUsage(t.needsOut("pdf")));
    if (out) checkOutputPath(out, values.force === true);
    const zone = context.config.timeZone;
    // Dates are read before the archive is opened: a mistyped date is the first thing the user hears of.
    const range = readDateRange(values, zone);

    const archive = await context.archive();
    const { filters, typed } = readMessageFilters(archive, values, "", range);
    context.warnIfStale(archive);
    const head = readChainHead(archive);
    const tally = acknowledgementTally({ period: period as Period, timeZone: zone });
    // The directives a page at a time: an office's years of directives never sit in memory with their people.
    for (const page of messagePages(archive, { ...filters, directives: true, throughSeq: head.seq })) {
      for (const directive of directiveViews(archive, { messageIds: page.map((message) => message.id) })) tally.add(directive);
    }
    const report = tally.report();
    const meta: ReportMeta = { filters: { ...typed, period }, createdAt: context.io.now(), head, timeZone: zone };
    context.log.info({ command: "report", format, directives: report.totals.directives }, "reported");
    context.audit(archive, "report", { ...typed, period, format, ...(out ? { out } : {}) }, report.totals.directives);

    const document =
      format === "json"
        ? `${JSON.stringify(reportJson(report, meta), null, 2)}\n`
        : format === "text"
          ? `${reportLines(report, meta, context.text).join("\n")}\n`
          : reportHtml(report, meta, context.text);
    if (format === "pdf") {
      const pdf = await printPdfFromHtml(document, { chromium: findChromium(context.config.chromiumPath), args: context.config.chromiumArgs, footer: `Nirdesh · chain ${head.seq} · ${head.hash}` });
      await writeOutputFile(out!, values.force === true, async (stream) => writerOf(stream)(Buffer.from(pdf)));
    } else if (out) {
      await writeOutputFile(out, values.force === true, async (stream) => writerOf(stream)(document));
    } else {
      context.io.stdout.write(document);
      return 0;
    }
    context.say(context.text.reportWritten(report.totals.directives, out!));
    return 0;
  },
};
