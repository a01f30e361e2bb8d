#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --json]`: Nirdesh's speed on a synthetic district archive, every figure
// set against a baseline measured in the same run (these machines are shared and noisy). --quick uses
// 100,000 messages, the default 1,000,000. See docs/benchmarks.md.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3-multiple-ciphers";
import { parseString } from "whatsapp-chat-parser";
import { importChatExport } from "../dist/chat-export/import-chat-export.js";
import { parseChatExport } from "../dist/chat-export/parse-chat-export.js";
import { parseRoster } from "../dist/domain/roster.js";
import { readLexicons } from "../dist/lexicons.js";
import { readNudgePolicy } from "../dist/nudge-policy-file.js";
import { createFollowUpScan } from "../dist/scheduler/follow-up-scan.js";
import { messagesFor } from "../dist/text.js";
import { createLogger } from "../dist/logger.js";
import { chatNamed } from "../dist/store/chats.js";
import { directiveViews } from "../dist/store/directive-views.js";
import { openMediaStore } from "../dist/store/media-store.js";
import { openArchive, unlock } from "../dist/store/open-archive.js";
import { applyRoster } from "../dist/store/people.js";
import { readMessageViews } from "../dist/store/message-views.js";
import { searchMessageIds, searchMessages } from "../dist/store/search-messages.js";
import { searchKey } from "../dist/store/search-key.js";
import { bringTrackingUpToDate } from "../dist/store/track-chats.js";
import { exportText, rosterCsv, rosterOf } from "./synthetic-chats.js";

const quick = process.argv.includes("--quick");
const json = process.argv.includes("--json");
const MESSAGES = quick ? 100_000 : 1_000_000;
const GROUPS = 10;
const ZONE = "Asia/Dhaka";
const folder = mkdtempSync(join(tmpdir(), "nirdesh-bench-"));
const log = createLogger("silent");
const benchStarted = performance.now();
const progress = (line) => json || process.stderr.write(`${line} (${((performance.now() - benchStarted) / 1000).toFixed(1)} s)\n`);

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const time = (work) => {
  const started = performance.now();
  const result = work();
  return { ms: performance.now() - started, result };
};

try {
  // The district: one roster, ten groups, each a year (or, at a million messages, ten) of talk.
  const people = rosterOf(20);
  const rosterPath = join(folder, "roster.csv");
  writeFileSync(rosterPath, rosterCsv(people));
  const files = [];
  for (let g = 0; g < GROUPS; g++) {
    const path = join(folder, `WhatsApp Chat with গ্রুপ ${g + 1}.txt`);
    writeFileSync(path, exportText(1000 + g, MESSAGES / GROUPS, Date.UTC(2022, 0, 1), people));
    files.push(path);
  }
  progress(`generated ${MESSAGES.toLocaleString("en-US")} messages in ${GROUPS} exports`);

  // 1. Reading exports: our parser against whatsapp-chat-parser, on the same text.
  const texts = files.map((path) => readFileSync(path, "utf8"));
  let ours = Infinity;
  let theirs = Infinity;
  for (let round_ = 0; round_ < 3; round_++) {
    ours = Math.min(ours, time(() => texts.forEach((text) => parseChatExport(text, { timeZone: ZONE }))).ms);
    theirs = Math.min(theirs, time(() => texts.forEach((text) => parseString(text))).ms);
  }
  progress("parsed");

  // 2. Ingest: the whole import (parse, store the file, resolve senders, deduplicate, hash chain, search
  // index) and tracking directives, against plain prepared inserts of the same rows into the same tables.
  const path = join(folder, "nirdesh.db");
  const archive = await openArchive(path, "write", { key: process.env.NIRDESH_DB_KEY });
  const media = openMediaStore(join(folder, "media"));
  const now = () => Date.UTC(2026, 0, 1);
  archive.transaction(() => applyRoster(archive, parseRoster(readFileSync(rosterPath, "utf8"), "roster.csv"), now()));
  const lexicons = readLexicons();
  const started = performance.now();
  for (const [g, file] of files.entries()) await importChatExport(archive, media, file, { timeZone: ZONE, chatName: `গ্রুপ ${g + 1}` }, now, log);
  const importedMs = performance.now() - started;
  const tracked = time(() => bringTrackingUpToDate(archive, { lexicons, timeZone: ZONE }, now));
  const ingestMs = importedMs + tracked.ms;
  const stored = archive.sqlite.prepare("SELECT count(*) AS n FROM messages").get().n;
  progress("ingested");

  const bare = bareInsert(archive, join(folder, "bare.db"));
  progress("baseline inserted");

  // 3. Search: a fixed mix of Bangla and English queries with filters, against LIKE '%q%' over the same rows.
  const chat = chatNamed(archive, "গ্রুপ 3");
  const since = Date.UTC(2022, 3, 1);
  const queries = [
    { query: "প্রতিবেদন" },
    { query: "ত্রাণ বিতরণ", chatId: chat.id },
    { query: "report", since },
    { query: "জরুরি" },
    { query: "ডেঙ্গু", chatId: chat.id, since },
    { query: "shelter" },
    { query: "মনিটরিং", directives: true },
    { query: "সখীপুর উপজেলায়" },
    // Rarer words, as record keepers look for a particular case: LIKE must read the whole table for these.
    { query: "৭৪৩ জনকে" },
    { query: "ধনবাড়ী: 7 shelter" },
    { query: "ডেঙ্গু পরিস্থিতির তথ্য", chatId: chat.id, since },
    { query: "গজারিয়া-7" },
    { query: "বহুরিয়া-3 ইউনিয়নে", since },
    { query: "০৫.৪৭.৯৩০০.০০০.৪২" },
    { query: "শোলাকুড়ি-9", directives: true },
  ];
  // The baseline is what a naive search would do to show the same page: LIKE '%q%' on the body or an
  // edit's words, the same filters, newest first, then the same views of the 50 rows shown. Timed whole
  // (the page a record keeper sees) and without the views (the matching alone), on both sides.
  const likeStatements = new Map();
  const likeIds = (q) => {
    const where = ["(body LIKE @q OR EXISTS (SELECT 1 FROM message_events e WHERE e.message_id = m.id AND e.kind = 'edit' AND e.body LIKE @q))"];
    if (q.chatId !== undefined) where.push("chat_id = @chatId");
    if (q.since !== undefined) where.push("at >= @since");
    if (q.directives) where.push("id IN (SELECT message_id FROM directives WHERE directive = 1)");
    const text = `SELECT id FROM messages m WHERE ${where.join(" AND ")} ORDER BY at DESC, id DESC LIMIT 51`;
    if (!likeStatements.has(text)) likeStatements.set(text, archive.sqlite.prepare(text).pluck());
    return likeStatements.get(text).all({ q: `%${q.query}%`, ...(q.chatId !== undefined && { chatId: q.chatId }), ...(q.since !== undefined && { since: q.since }) });
  };
  const searchTimes = [];
  const likeTimes = [];
  const matchTimes = [];
  const likeMatchTimes = [];
  for (let repeat = 0; repeat < 5; repeat++) {
    for (const q of queries) {
      searchTimes.push(time(() => searchMessages(archive, { ...q, limit: 50 })).ms);
      likeTimes.push(time(() => readMessageViews(archive, likeIds(q).slice(0, 50))).ms);
      matchTimes.push(time(() => searchMessageIds(archive, { ...q, limit: 50 })).ms);
      likeMatchTimes.push(time(() => likeIds(q)).ms);
    }
  }
  progress("searched");

  // 4. Pending: what each group still owes (a page of 50, the oldest first, as a record keeper reads it).
  const chats = archive.sqlite.prepare("SELECT id FROM chats").all();
  const pendingTimes = [];
  for (let repeat = 0; repeat < 3; repeat++) {
    for (const { id } of chats) {
      pendingTimes.push(time(() => directiveViews(archive, { chatId: id, pendingOnly: true, limit: 50 })).ms);
    }
  }
  const owed = await pendingAtScale(join(folder, "pending.db"));
  progress("pending at scale");
  archive.sqlite.pragma("wal_checkpoint(TRUNCATE)");
  const bytes = statSync(path).size;
  const directives = archive.sqlite.prepare("SELECT count(*) AS n FROM directives WHERE directive = 1").get().n;
  archive.close();

  // 5. Exports of the whole archive, each in its own process so that its peak memory is its own.
  const csv = exportRun(path, join(folder, "media"), join(folder, "export.csv"), "csv");
  // The bundle writes every message twice and zips them: 10–17 s of --quick's minute, so the full run only.
  const bundle = quick ? null : exportRun(path, join(folder, "media"), join(folder, "export.zip"), "bundle");
  progress("exported");

  // 6. The live bot in its own process (no Chromium, the in-memory WhatsApp), on top of the imported archive.
  const bot = liveBot(path, join(folder, "media"), quick ? 2_000 : 10_000);
  progress("live bot");

  const result = {
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? "", memory_gb: round(totalmem() / 2 ** 30, 1), node: process.version },
    messages: stored,
    directives,
    ingest: {
      messages_per_s: Math.round(stored / (ingestMs / 1000)),
      bare_sqlite_messages_per_s: Math.round(stored / (bare.ms / 1000)),
      ratio_vs_bare_sqlite: round(bare.ms / ingestMs),
      tracking_share: round(tracked.ms / ingestMs),
    },
    import: {
      messages_per_s: Math.round(stored / (ours / 1000)),
      whatsapp_chat_parser_messages_per_s: Math.round(stored / (theirs / 1000)),
      ratio_vs_whatsapp_chat_parser: round(theirs / ours),
    },
    search: {
      p95_ms: round(percentile(searchTimes, 95)),
      median_ms: round(percentile(searchTimes, 50)),
      like_median_ms: round(percentile(likeTimes, 50)),
      speedup_vs_like: round(percentile(likeTimes, 50) / percentile(searchTimes, 50), 1),
      matching_median_ms: round(percentile(matchTimes, 50)),
      like_matching_median_ms: round(percentile(likeMatchTimes, 50)),
      matching_speedup_vs_like: round(percentile(likeMatchTimes, 50) / percentile(matchTimes, 50), 1),
    },
    pending: {
      p95_ms: owed.p95,
      open_directives: owed.directives,
      officers: owed.officers,
      per_group_p95_ms: round(percentile(pendingTimes, 95)),
      due_scan_p95_ms: owed.dueScanP95,
      due_per_scan: owed.due,
      due_scan_idle_p95_ms: owed.idleScanP95,
      due_scan_ms_per_due: owed.msPerDue,
    },
    archive: { bytes_per_message: Math.round(bytes / stored) },
    export: {
      peak_rss_mb: csv.peak_rss_mb,
      messages_per_s: csv.messages_per_s,
      csv_mb: csv.file_mb,
      ...(bundle && { bundle_peak_rss_mb: bundle.peak_rss_mb, bundle_messages_per_s: bundle.messages_per_s, bundle_mb: bundle.file_mb }),
    },
    memory: { bot_rss_mb: bot.bot_rss_mb, rss_before_bot_mb: bot.rss_before_mb },
    live: { messages: bot.messages, messages_per_s: bot.messages_per_s, event_to_row_p50_ms: bot.event_to_row_p50_ms, event_to_row_p99_ms: bot.event_to_row_p99_ms },
  };
  if (json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    const rows = [
      ["ingest.ratio_vs_bare_sqlite", result.ingest.ratio_vs_bare_sqlite, "≥ 0.5", `${result.ingest.messages_per_s} vs ${result.ingest.bare_sqlite_messages_per_s} msg/s`],
      ["import.ratio_vs_whatsapp_chat_parser", result.import.ratio_vs_whatsapp_chat_parser, "≥ 1.0", `${result.import.messages_per_s} vs ${result.import.whatsapp_chat_parser_messages_per_s} msg/s`],
      ["search.p95_ms", result.search.p95_ms, quick ? "≤ 25" : "≤ 50", `median ${result.search.median_ms} ms`],
      ["search.speedup_vs_like", result.search.speedup_vs_like, "≥ 10", `a page of 50 with its views; LIKE median ${result.search.like_median_ms} ms`],
      ["search.matching_speedup_vs_like", result.search.matching_speedup_vs_like, "", `ids only: median ${result.search.matching_median_ms} vs LIKE ${result.search.like_matching_median_ms} ms`],
      ["pending.p95_ms", result.pending.p95_ms, "≤ 50", `${owed.directives} open directives × ${owed.officers} officers, a page of 50`],
      ["pending.due_scan_p95_ms", result.pending.due_scan_p95_ms, "≤ 50", `the minute's nudge scan over the same with ${owed.due} due (${owed.msPerDue} ms each: written, chained, sent); ${owed.idleScanP95} ms with none due`],
      ["archive.bytes_per_message", result.archive.bytes_per_message, "", ""],
      ["export.peak_rss_mb", result.export.peak_rss_mb, "≤ 300", `CSV of every message, ${result.export.messages_per_s} msg/s, ${result.export.csv_mb} MB${bundle ? `; bundle ${bundle.peak_rss_mb} MB peak, ${bundle.messages_per_s} msg/s` : ""}`],
      ["memory.bot_rss_mb", result.memory.bot_rss_mb, "", `${result.memory.rss_before_bot_mb} MB before the bot; ${bot.messages} live messages`],
      ["live.event_to_row_p99_ms", result.live.event_to_row_p99_ms, "", `p50 ${result.live.event_to_row_p50_ms} ms, ${result.live.messages_per_s} msg/s, one transaction each`],
    ];
    console.log(`Nirdesh benchmark: ${stored.toLocaleString("en-US")} messages, ${directives.toLocaleString("en-US")} directives; ${result.machine.cpus} × ${result.machine.cpu}, Node ${result.machine.node}`);
    for (const [key, value, target, note] of rows) console.log(`${key.padEnd(38)} ${String(value).padStart(10)}  ${target.padEnd(6)} ${note}`);
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

/** Runs scripts/bench-export.js on the archive and reads its one JSON line. */
function exportRun(path, mediaDir, out, format) {
  const child = spawnSync(process.execPath, [join(import.meta.dirname, "bench-export.js"), path, mediaDir, out, format], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`the export benchmark failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").at(-1));
}

/** Runs scripts/bench-bot.js on the archive and reads its one JSON line. */
function liveBot(path, mediaDir, count) {
  const child = spawnSync(process.execPath, ["--expose-gc", join(import.meta.dirname, "bench-bot.js"), path, mediaDir, String(count)], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`the live bot benchmark failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").at(-1));
}

/**
 * 100,000 open directives owed by 20 officers each, written straight into a scratch archive (the rows
 * `pending` reads; no chain, which pending does not read), then pages of `pending` over them.
 */
async function pendingAtScale(path) {
  const DIRECTIVES = 100_000;
  const OFFICERS = 20;
  const archive = await openArchive(path, "write", { key: process.env.NIRDESH_DB_KEY });
  const db = archive.sqlite;
  db.exec("DROP TRIGGER messages_no_update; DROP TRIGGER messages_no_delete");
  db.transaction(() => {
    db.prepare("INSERT INTO chats (id, key, name, whatsapp_id, created_at) VALUES (1, '120363000000000001@g.us', 'bench', '120363000000000001@g.us', 0)").run();
    const person = db.prepare("INSERT INTO people (id, phone, name, designation, roles, in_roster, created_at, updated_at) VALUES (?, ?, ?, 'ইউএনও', ?, 1, 0, 0)");
    for (let id = 1; id <= OFFICERS + 1; id++) person.run(id, `+88017119${String(id).padStart(5, "0")}`, `কর্মকর্তা ${id}`, id === 1 ? "superior" : "officer");
    // Generated by SQLite itself: two million rows bound one by one from JavaScript took most of --quick's time.
    db.prepare(`WITH RECURSIVE n(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM n WHERE id < ?)
      INSERT INTO messages (id, seq, chat_id, source, sender_id, sender_name, at, archived_at, body, type, prev_hash, hash)
      SELECT id, id, 1, 'import', 1, 'ডিসি', ? + id * 600000, 0, 'সকল ইউএনওকে প্রতিবেদন পাঠাতে হবে।', 'text', '', '' FROM n`).run(DIRECTIVES, Date.UTC(2020, 0, 1));
    db.prepare(`INSERT INTO directives (message_id, chat_id, issuer_id, at, directive, detected, score, confidence, cues, urgent, decision)
      SELECT id, 1, 1, at, 1, 1, 3, 0.9, '[]', 0, 0 FROM messages ORDER BY id`).run();
    db.prepare(`INSERT INTO directive_people (directive_id, person_id, chat_id)
      SELECT d.message_id, p.id, 1 FROM directives d CROSS JOIN people p WHERE p.id BETWEEN 2 AND ? ORDER BY d.message_id, p.id`).run(OFFICERS + 1);
  })();
  const times = [];
  for (let repeat = 0; repeat < 20; repeat++) times.push(time(() => directiveViews(archive, { pendingOnly: true, limit: 50 })).ms);

  // The nudge due-scan over the same 100,000 followed-up directives: each minute, a few are due (here
  // 10, each nudging 20 officers), the rest wait in the due index. The digest is a daily job, left out.
  const now = Date.UTC(2020, 0, 1) + DIRECTIVES * 600_000 + 3_600_000;
  db.prepare("INSERT INTO follow_ups (directive_id, chat_id, due_at, started_at) SELECT message_id, 1, ? + message_id * 1000, 0 FROM directives").run(now + 86_400_000);
  const settings = readNudgePolicy(undefined, messagesFor("bn"));
  const policy = { ...settings.office, digestAt: null, normal: { ...settings.office.normal, hours: { ...settings.office.normal.hours, days: [0, 1, 2, 3, 4, 5, 6], opensAt: 0, closesAt: 24 * 60 } } };
  const scan = createFollowUpScan({
    archive,
    settings: { ...settings, office: policy, policyFor: () => policy },
    timeZone: "Asia/Dhaka",
    now: () => now,
    log: createLogger("silent"),
    send: async () => "sent",
    sentEarlier: async () => null,
    connected: () => true,
    account: () => null,
    track: () => undefined,
  });
  // Nothing due: what the scan costs every minute, whatever the archive holds.
  const idle = [];
  for (let repeat = 0; repeat < 20; repeat++) idle.push(time(() => scan.scan()).ms);
  const scans = [];
  const DUE = 10;
  for (let repeat = 0; repeat < 20; repeat++) {
    db.prepare("UPDATE follow_ups SET due_at = ? WHERE directive_id > ? AND directive_id <= ?").run(now, repeat * DUE, (repeat + 1) * DUE);
    scans.push(time(() => scan.scan()).ms);
    await scan.delivered();
  }
  const written = db.prepare("SELECT count(*) AS n FROM outbox").get().n;
  if (written !== 20 * DUE) throw new Error(`the due-scan wrote ${written} nudges, not ${20 * DUE}`);
  archive.close();
  return { p95: round(percentile(times, 95)), dueScanP95: round(percentile(scans, 95)), idleScanP95: round(percentile(idle, 95)), msPerDue: round(percentile(scans, 50) / DUE), due: DUE, directives: DIRECTIVES, officers: OFFICERS };
}

/**
 * The baseline: every row our ingest stored, inserted again into a fresh archive with the same tables and
 * indexes and the same search index, by plain prepared statements, in the same transactions (one per
 * export for messages and events, one per chat for the directives and who owes them): what SQLite costs
 * to store the same data without our work on it (reading, normalising, classifying, chaining).
 */
function bareInsert(archive, path) {
  const target = new Database(path);
  // An encrypted run (NIRDESH_DB_KEY) compares against encrypted plain inserts.
  unlock(target, process.env.NIRDESH_DB_KEY);
  const schema = archive.sqlite.prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND type IN ('table', 'index') AND name NOT LIKE 'messages_fts_%'").all();
  target.pragma("journal_mode = WAL");
  target.pragma("synchronous = FULL");
  target.function("nirdesh_searchable", (text) => text);
  for (const { sql } of schema) target.exec(sql);
  const insertInto = (table, rows) => {
    const columns = Object.keys(rows[0]);
    return target.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`);
  };
  const rowsByChat = (table) => {
    const byChat = new Map();
    for (const row of archive.sqlite.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()) {
      if (!byChat.has(row.chat_id)) byChat.set(row.chat_id, []);
      byChat.get(row.chat_id).push(row);
    }
    return byChat;
  };
  // The rows messages point at (chats, people, imports) are there first, untimed, as they would be.
  for (const table of ["chats", "people", "imports"]) {
    const rows = archive.sqlite.prepare(`SELECT * FROM ${table}`).all();
    if (rows.length > 0) target.transaction(() => rows.forEach((row) => insertInto(table, rows).run(row)))();
  }
  const messages = rowsByChat("messages");
  const events = rowsByChat("message_events");
  const directives = rowsByChat("directives");
  const owed = rowsByChat("directive_people");
  const tracking = rowsByChat("tracking");
  const first = (byChat) => [...byChat.values()][0];
  const insertMessage = insertInto("messages", first(messages));
  const insertEvent = insertInto("message_events", first(events));
  const insertDirective = insertInto("directives", first(directives));
  const insertOwed = insertInto("directive_people", first(owed));
  const insertTracking = insertInto("tracking", first(tracking));
  const index = target.prepare("INSERT INTO messages_fts(rowid, text) VALUES (?, ?)");
  const messageAt = new Map([...messages.values()].flat().map((row) => [row.id, row.at]));

  const started = performance.now();
  for (const [chatId, batch] of messages) {
    target.transaction(() => {
      for (const row of batch) {
        insertMessage.run(row);
        index.run(searchKey(row.at, row.seq), row.body);
      }
      for (const row of events.get(chatId) ?? []) {
        insertEvent.run(row);
        // An edit is indexed at its message's time, as the archive does.
        if (row.kind === "edit") index.run(searchKey(messageAt.get(row.message_id), row.seq), row.body);
      }
    })();
  }
  for (const chatId of messages.keys()) {
    target.transaction(() => {
      for (const row of directives.get(chatId) ?? []) insertDirective.run(row);
      for (const row of owed.get(chatId) ?? []) insertOwed.run(row);
      for (const row of tracking.get(chatId) ?? []) insertTracking.run(row);
    })();
  }
  const ms = performance.now() - started;
  target.close();
  return { ms };
}
