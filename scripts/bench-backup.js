#!/usr/bin/env node
// `npm run build && node scripts/bench-backup.js [MESSAGES]`: what encryption costs and how long a backup
// and a restore take on a synthetic district archive (default 100,000 messages), plain and encrypted, and
// how long the bot's writes wait while another process backs the archive up. See docs/backups.md.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importChatExport } from "../dist/chat-export/import-chat-export.js";
import { createLogger } from "../dist/logger.js";
import { archiveLiveEvent } from "../dist/store/archive-live-event.js";
import { backUpArchive } from "../dist/store/back-up-archive.js";
import { openMediaStore } from "../dist/store/media-store.js";
import { openArchive } from "../dist/store/open-archive.js";
import { restoreArchive } from "../dist/store/restore-archive.js";
import { exportText, rosterOf } from "./synthetic-chats.js";

const MESSAGES = Number(process.argv[2] ?? 100_000);
const GROUPS = 10;
const PASSPHRASE = "benchmark passphrase of the office";
const root = join(import.meta.dirname, "..");
const folder = mkdtempSync(join(tmpdir(), "nirdesh-bench-backup-"));
const log = createLogger("silent");
const now = () => Date.UTC(2026, 0, 1);
const seconds = (ms) => Math.round(ms / 10) / 100;

try {
  const people = rosterOf(20);
  const files = [];
  for (let g = 0; g < GROUPS; g++) {
    const path = join(folder, `group-${g + 1}.txt`);
    writeFileSync(path, exportText(1000 + g, MESSAGES / GROUPS, Date.UTC(2022, 0, 1), people));
    files.push(path);
  }
  const results = {};
  for (const [name, key] of [["plain", undefined], ["encrypted", PASSPHRASE]]) {
    const office = join(folder, name);
    const db = join(office, "nirdesh.db");
    let started = performance.now();
    const opened = await openArchive(db, "write", { key });
    const openMs = performance.now() - started;
    const media = openMediaStore(join(office, "media"));
    started = performance.now();
    for (const [g, file] of files.entries()) await importChatExport(opened, media, file, { timeZone: "Asia/Dhaka", chatName: `group ${g + 1}` }, now, log);
    const importMs = performance.now() - started;
    started = performance.now();
    const backup = await backUpArchive(opened, media, join(office, "backup"), { key, now });
    const backupMs = performance.now() - started;
    opened.close();
    started = performance.now();
    const restored = await restoreArchive(join(office, "backup"), { db: join(office, "restored", "nirdesh.db"), mediaDir: join(office, "restored", "media") }, { key, now });
    const restoreMs = performance.now() - started;
    if (!backup.intact || !restored.restored) throw new Error(`${name}: backup or restore did not verify`);
    results[name] = {
      open_ms: Math.round(openMs),
      import_msg_per_s: Math.round(MESSAGES / (importMs / 1000)),
      backup_s: seconds(backupMs),
      restore_s: seconds(restoreMs),
      archive_mb: Math.round(statSync(db).size / 1e5) / 10,
      backup_mb: Math.round(backup.bytes / 1e5) / 10,
    };
    console.error(`${name}: ${JSON.stringify(results[name])}`);
  }

  // The bot writing (one message every 10 ms, each its own fsynced transaction) while `nirdesh backup`
  // copies the plain archive in another process: how long does a write wait?
  const db = join(folder, "plain", "nirdesh.db");
  const bot = await openArchive(db);
  const chat = { whatsappId: "120363000000000001@g.us", name: "live", isGroup: true };
  const sender = { whatsappId: "8801711000001@c.us", phone: "+8801711000001", name: "DC" };
  const waits = [];
  let n = 0;
  let backingUp = true;
  const child = spawn(process.execPath, [join(root, "bin/nirdesh.js"), "backup", join(folder, "while-writing"), "--db", db, "--json"], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  const done = new Promise((resolve) => child.on("close", resolve));
  done.then(() => (backingUp = false));
  while (backingUp) {
    const at = Date.UTC(2026, 0, 2) + ++n * 1000;
    const started = performance.now();
    archiveLiveEvent(bot, { kind: "message", chat, id: `false_${chat.whatsappId}_${n}_x`, sender, fromMe: false, at, body: `update ${n}`, type: "text", quotedId: null, mentions: [], forwarded: false, edited: null, media: null }, () => at);
    waits.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  bot.close();
  waits.sort((a, b) => a - b);
  const report = JSON.parse(output);
  results.writes_during_backup = {
    writes: waits.length,
    p50_ms: Math.round(waits[Math.floor(waits.length / 2)] * 10) / 10,
    max_ms: Math.round(waits[waits.length - 1] * 10) / 10,
    backup_messages: report.messages,
  };
  console.log(JSON.stringify({ messages: MESSAGES, ...results }, null, 2));
} finally {
  rmSync(folder, { recursive: true, force: true });
}
