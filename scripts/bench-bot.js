#!/usr/bin/env node
// A child of `npm run bench`: the live bot, without Chromium, on the in-memory WhatsApp, fed a district's
// messages one after another on top of an archive already holding the imported ones. Prints one JSON line:
// resident memory before the bot and after it archived everything, and the time from event to archived row.
import { MemoryTransport } from "../dist/bot/memory-transport.js";
import { parseChatExport } from "../dist/chat-export/parse-chat-export.js";
import { createLogger } from "../dist/logger.js";
import { openArchive } from "../dist/store/open-archive.js";
import { ACCOUNT, livePeople } from "./live-chats.js";
import { memoryBot } from "./memory-bot.js";
import { exportText } from "./synthetic-chats.js";

const [path, mediaDir, countText] = process.argv.slice(2);
const COUNT = Number(countText);
const GROUPS = 10;
const ZONE = "Asia/Dhaka";
const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;

const archive = await openArchive(path, "write", { key: process.env.NIRDESH_DB_KEY });
const { roster, people, byName } = livePeople(20);
const start = Date.UTC(2026, 0, 1);
let clock = start;
const transport = new MemoryTransport(ACCOUNT, () => clock);
const groups = Array.from({ length: GROUPS }, (_, g) => ({ whatsappId: `1203630000000${String(g).padStart(5, "0")}@g.us`, name: `লাইভ গ্রুপ ${g + 1}`, isGroup: true }));
for (const chat of groups) transport.addGroup(chat, people.map((person, i) => ({ person, admin: i === 0 })));
// The same kind of talk the imports hold, as live messages.
const live = [];
for (const [g, chat] of groups.entries()) {
  const { entries } = parseChatExport(exportText(5000 + g, COUNT / GROUPS, start, roster), { timeZone: ZONE });
  for (const [i, entry] of entries.entries()) {
    if (entry.kind !== "message" || !byName.has(entry.author)) continue;
    const sender = byName.get(entry.author);
    live.push({ kind: "message", chat, id: `false_${chat.whatsappId}_BENCH${i}_${sender.whatsappId}`, sender, fromMe: false, at: entry.at, body: entry.body, type: entry.type === "revoked" ? "text" : entry.type, quotedId: null, mentions: [], forwarded: false, edited: null, media: null });
  }
}
live.sort((a, b) => a.at - b.at);
global.gc?.();
const before = process.memoryUsage().rss;

const bot = memoryBot({ transport, archive, mediaDir, watch: groups.map((chat) => chat.whatsappId), log: createLogger("silent"), now: () => clock });
const running = bot.run();
await bot.settled();
const latencies = [];
const started = performance.now();
for (const message of live) {
  clock = message.at;
  const sent = performance.now();
  transport.deliver(message);
  await bot.settled();
  latencies.push(performance.now() - sent);
}
const ms = performance.now() - started;
await bot.stop();
await running;
global.gc?.();
const after = process.memoryUsage().rss;
const stored = archive.sqlite.prepare("SELECT count(*) AS n FROM messages WHERE source = 'live'").get().n;
archive.close();
latencies.sort((a, b) => a - b);
const at = (p) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] * 100) / 100;
console.log(JSON.stringify({ messages: stored, messages_per_s: Math.round(stored / (ms / 1000)), rss_before_mb: mb(before), bot_rss_mb: mb(after), event_to_row_p50_ms: at(0.5), event_to_row_p99_ms: at(0.99) }));
