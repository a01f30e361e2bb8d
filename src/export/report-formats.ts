import type { AcknowledgementReport, Share } from "../domain/acknowledgement-report.js";
import { formatIsoInZone } from "../domain/time-zone.js";
import type { Messages } from "../text.js";
import { escapeHtml, HTML_PAGE_END, htmlPageStart } from "./html-page.js";

/** Where a report came from: its filters as typed, when it was made, and the chain head it read. */
export interface ReportMeta {
  filters: Record<string, string | boolean>;
  createdAt: number;
  head: { seq: number; hash: string };
  timeZone: string;
}

const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 6_000) / 10);
const share = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);

/** The report as JSON: times in ISO 8601 with the office's offset, durations in minutes, shares 0–1. */
export function reportJson(report: AcknowledgementReport, meta: ReportMeta) {
  const iso = (at: number | null) => (at === null ? null : formatIsoInZone(at, meta.timeZone));
  const figures = (s: Share) => ({
    expected: s.expected,
    acknowledged: s.acknowledged,
    done: s.done,
    onTime: s.onTime,
    acknowledgedShare: share(s.acknowledgedShare),
    doneShare: share(s.doneShare),
    onTimeShare: share(s.onTimeShare),
    medianResponseMinutes: minutes(s.medianResponseMs),
  });
  return {
    createdAt: iso(meta.createdAt),
    filters: meta.filters,
    archive: { head: meta.head },
    period: report.period,
    totals: { directives: report.totals.directives, ...figures(report.totals) },
    periods: report.periods.map((p) => ({ period: p.period, directives: p.directives, ...figures(p) })),
    chats: report.chats.map((c) => ({ chat: c.chat, directives: c.directives, ...figures(c) })),
    officers: report.officers.map((o) => ({ phone: o.phone, name: o.name, designation: o.designation, ...figures(o) })),
    directives: report.directives.map((d) => ({
      id: d.id,
      chat: d.chat,
      at: iso(d.at),
      deadline: iso(d.deadline),
      issuer: d.issuer,
      body: d.body,
      ...figures(d),
      firstAcknowledgementMinutes: minutes(d.firstAcknowledgementMs),
      lastAcknowledgementMinutes: minutes(d.lastAcknowledgementMs),
    })),
    responseTimes: { bucketsMinutes: [15, 60, 240, 1440, 4320, null], counts: report.responseTimes.buckets, never: report.responseTimes.never },
  };
}

/** The report as lines for a terminal. */
export function reportLines(report: AcknowledgementReport, meta: ReportMeta, text: Messages): string[] {
  const r = text.report;
  const pct = (value: number | null) => r.percent(value);
  const time = (ms: number | null) => r.duration(ms);
  const line = (label: string, s: Share) =>
    `  ${label}: ${r.acknowledgedOf(s.acknowledged, s.expected)} (${pct(s.acknowledgedShare)}) · ${r.column.done} ${pct(s.doneShare)} · ${r.column.onTime} ${pct(s.onTimeShare)} · ${r.column.median} ${time(s.medianResponseMs)}`;
  const iso = (at: number) => formatIsoInZone(at, meta.timeZone).slice(0, 16).replace("T", " ");
  const lines = [`${r.title}`, `${r.madeAt(iso(meta.createdAt), meta.head.seq)}`, "", `${r.totals} (${r.directiveCount(report.totals.directives)})`, line(r.all, report.totals)];
  lines.push("", `${r.byPeriod[report.period]}:`, ...report.periods.map((p) => line(`${p.period} (${r.directiveCount(p.directives)})`, p)));
  lines.push("", `${r.byChat}:`, ...report.chats.map((c) => line(`${c.chat} (${r.directiveCount(c.directives)})`, c)));
  lines.push("", `${r.byOfficer}:`, ...report.officers.map((o) => line(`${o.name}${o.designation ? ` (${o.designation})` : ""}`, o)));
  lines.push("", `${r.byDirective}:`);
  for (const d of report.directives) {
    lines.push(`  #${d.id} ${iso(d.at)} ${d.chat} · ${d.issuer}`);
    lines.push(`    ${r.acknowledgedOf(d.acknowledged, d.expected)} (${pct(d.acknowledgedShare)}) · ${r.column.done} ${pct(d.doneShare)} · ${r.column.first} ${time(d.firstAcknowledgementMs)} · ${r.column.last} ${time(d.lastAcknowledgementMs)}`);
  }
  lines.push("", `${r.responseChart}:`);
  const counts = [...report.responseTimes.buckets, report.responseTimes.never];
  r.buckets.forEach((label, i) => lines.push(`  ${label.padEnd(12)} ${text.count(counts[i] ?? 0)}`));
  return lines;
}

/** The report as a printable page in the user's language, with its two charts drawn as inline SVG (no network). */
export function reportHtml(report: AcknowledgementReport, meta: ReportMeta, text: Messages): string {
  const r = text.report;
  const pct = (value: number | null) => escapeHtml(r.percent(value));
  const time = (ms: number | null) => escapeHtml(r.duration(ms));
  const iso = (at: number | null) => (at === null ? "—" : formatIsoInZone(at, meta.timeZone).slice(0, 16).replace("T", " "));
  const filters = Object.entries(meta.filters).map(([name, value]) => `--${name}${value === true ? "" : ` ${value}`}`);
  const shareCells = (s: Share) =>
    `<td class="number">${text.count(s.expected)}</td><td class="number">${text.count(s.acknowledged)}</td><td class="number">${pct(s.acknowledgedShare)}</td><td class="number">${pct(s.doneShare)}</td><td class="number">${pct(s.onTimeShare)}</td><td class="number">${time(s.medianResponseMs)}</td>`;
  const shareHeads = [r.column.expected, r.column.acknowledged, r.column.acknowledgedShare, r.column.done, r.column.onTime, r.column.median].map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const table = (first: string[], rows: string[]) =>
    `<table><thead><tr>${first.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}${shareHeads}</tr></thead><tbody>\n${rows.join("\n")}\n</tbody></table>`;
  const counts = [...report.responseTimes.buckets, report.responseTimes.never];
  return (
    htmlPageStart(r.title, text.lang, CSS) +
    `<h1>${escapeHtml(r.title)}</h1>
<p class="meta">${escapeHtml(r.madeAt(iso(meta.createdAt), meta.head.seq))}<br>
${escapeHtml(text.exportPdf.filters)}: ${escapeHtml(filters.join(" ") || text.exportPdf.noFilters)}<br>
<span class="hash">${meta.head.hash}</span></p>
<h2>${escapeHtml(r.totals)}</h2>
${table([r.column.directives], [`<tr><td class="number">${text.count(report.totals.directives)}</td>${shareCells(report.totals)}</tr>`])}
<div class="charts">
<figure>${barChart(counts.map((count, i) => ({ label: r.buckets[i] ?? "", value: count, shown: text.count(count) })), { width: 330, colour: "#3465a4" })}<figcaption>${escapeHtml(r.responseChart)}</figcaption></figure>
<figure>${barChart(
      report.periods.map((p) => ({ label: p.period, value: p.acknowledgedShare ?? 0, shown: r.percent(p.acknowledgedShare) })),
      { width: 330, colour: "#4e9a06", max: 1 },
    )}<figcaption>${escapeHtml(r.rateChart[report.period])}</figcaption></figure>
</div>
<h2>${escapeHtml(r.byPeriod[report.period])}</h2>
${table([r.column.period, r.column.directives], report.periods.map((p) => `<tr><td>${escapeHtml(p.period)}</td><td class="number">${text.count(p.directives)}</td>${shareCells(p)}</tr>`))}
<h2>${escapeHtml(r.byChat)}</h2>
${table([r.column.chat, r.column.directives], report.chats.map((c) => `<tr><td>${escapeHtml(c.chat)}</td><td class="number">${text.count(c.directives)}</td>${shareCells(c)}</tr>`))}
<h2>${escapeHtml(r.byOfficer)}</h2>
${table([r.column.officer], report.officers.map((o) => `<tr><td>${escapeHtml(o.name)}${o.designation ? `<br><span class="meta">${escapeHtml(o.designation)}</span>` : ""}</td>${shareCells(o)}</tr>`))}
<h2>${escapeHtml(r.byDirective)}</h2>
<table class="directives"><thead><tr>${[r.column.directive, r.column.issuer, r.column.acknowledged, r.column.acknowledgedShare, r.column.done, r.column.first, r.column.last]
      .map((h) => `<th>${escapeHtml(h)}</th>`)
      .join("")}</tr></thead><tbody>
${report.directives
  .map(
    (d) =>
      `<tr><td><b>#${d.id}</b> · ${iso(d.at)} · ${escapeHtml(d.chat)}<div class="words">${escapeHtml(d.body.length > 200 ? `${d.body.slice(0, 200)}…` : d.body)}</div></td><td>${escapeHtml(d.issuer)}</td><td class="number">${escapeHtml(r.acknowledgedOf(d.acknowledged, d.expected))}</td><td class="number">${pct(d.acknowledgedShare)}</td><td class="number">${pct(d.doneShare)}</td><td class="number">${time(d.firstAcknowledgementMs)}</td><td class="number">${time(d.lastAcknowledgementMs)}</td></tr>`,
  )
  .join("\n")}
</tbody></table>
` +
    HTML_PAGE_END
  );
}

/** A bar chart as inline SVG: one bar a value, its figure above it and its label below. */
function barChart(bars: Array<{ label: string; value: number; shown: string }>, options: { width: number; colour: string; max?: number }): string {
  const height = 180;
  const top = 18;
  const bottom = 40;
  const plot = height - top - bottom;
  const max = options.max ?? Math.max(1, ...bars.map((bar) => bar.value));
  const slot = options.width / Math.max(1, bars.length);
  const barWidth = Math.min(40, Math.max(2, slot * 0.7));
  const small = slot < 30;
  const parts = bars.map((bar, i) => {
    const h = (bar.value / max) * plot;
    const x = i * slot + (slot - barWidth) / 2;
    const y = top + plot - h;
    const centre = x + barWidth / 2;
    return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${options.colour}"/>` +
      (small ? "" : `<text x="${centre.toFixed(1)}" y="${(y - 4).toFixed(1)}" font-size="9" text-anchor="middle">${escapeHtml(bar.shown)}</text>`) +
      `<text x="${centre.toFixed(1)}" y="${height - bottom + 12}" font-size="${small ? 6 : 8}" text-anchor="${small ? "end" : "middle"}"${small ? ` transform="rotate(-60 ${centre.toFixed(1)} ${height - bottom + 12})"` : ""}>${escapeHtml(bar.label)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${options.width}" height="${height}" viewBox="0 0 ${options.width} ${height}" role="img">
<line x1="0" y1="${top + plot}" x2="${options.width}" y2="${top + plot}" stroke="#888" stroke-width="0.5"/>
${parts.join("\n")}
</svg>`;
}

const CSS = `
.charts { display: flex; gap: 12pt; margin: 10pt 0; break-inside: avoid; }
figure { margin: 0; }
figcaption { font-size: 8.5pt; color: #333; text-align: center; }
svg text { font-family: 'Noto Sans Bengali', 'Noto Emoji', 'DejaVu Sans', sans-serif; fill: #222; }
table { font-size: 8.5pt; }
.words { color: #333; }
`;
