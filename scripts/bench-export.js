#!/usr/bin/env node
// A child of `npm run bench`: exports the whole archive (every message, oldest first) as `nirdesh export`
// does, in its own process, and prints one JSON line: rows, time, and the process's peak resident memory.
import { existsSync, readFileSync, statSync } from "node:fs";
import { exportMessages } from "../dist/export/export-messages.js";
import { openMediaStore } from "../dist/store/media-store.js";
import { openArchive } from "../dist/store/open-archive.js";
import { messagesFor } from "../dist/text.js";

const [path, mediaDir, out, format] = process.argv.slice(2);
const archive = await openArchive(path, "read", { key: process.env.NIRDESH_DB_KEY });
const started = performance.now();
const rows = await exportMessages(archive, openMediaStore(mediaDir), {
  format,
  out,
  force: true,
  filters: {},
  filtersAsTyped: {},
  timeZone: "Asia/Dhaka",
  text: messagesFor("bn"),
  exportedBy: "bench",
  now: Date.now,
  chromium: () => {
    throw new Error("no PDF in the benchmark");
  },
});
const ms = performance.now() - started;
archive.close();
const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;
console.log(JSON.stringify({ rows, ms: Math.round(ms), messages_per_s: Math.round(rows / (ms / 1000)), peak_rss_mb: mb(peakRss()), file_mb: mb(statSync(out).size) }));

/**
 * This process's peak resident memory. Linux's VmHWM belongs to the process's own memory since it started
 * this program; getrusage's maxRSS would also count the parent's memory at the moment it spawned us.
 */
function peakRss() {
  if (existsSync("/proc/self/status")) {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    if (kb) return Number(kb) * 1024;
  }
  return process.resourceUsage().maxRSS * 1024;
}
