#!/usr/bin/env node
// The load test's child (test/reliability/load.test.ts, test/stress/load.stress.ts): the live bot, without
// Chromium, on the in-memory WhatsApp, in its own process, hearing GROUPS watched groups that each send
// RATE messages a second for SECONDS of wall-clock time — directives, answers, replies to directives, 👍
// reactions — while its follow-up scan finds nudges due. Prints one JSON document: what was offered,
// delivered and archived, the time from event to archived row, memory over time, the nudges sent, and
// whether every delivered event is archived exactly once and the chain verifies.
//
//   node [--cpu-prof] scripts/load-bot.js DB MEDIA GROUPS RATE SECONDS [SAMPLE_MS] [MAX_WAITING]
//
// The office's clock runs 60 times faster than the wall's (one wall second is a minute), so a nudge
// policy of "first after 1 minute, then every minute" makes nudges fall due all through the run; the
// follow-up scan runs every wall second (each office minute). WhatsApp does not wait for the bot: events
// arrive on time whatever it is doing, unless MAX_WAITING events are already waiting to be archived, when
// the phone holds the next ones back (recorded as `held`; the offered rate is never lowered silently).
import { MemoryTransport } from "../dist/bot/memory-transport.js";
import { parseRoster } from "../dist/domain/roster.js";
import { readNudgePolicy } from "../dist/nudge-policy-file.js";
import { openArchive } from "../dist/store/open-archive.js";
import { applyRoster } from "../dist/store/people.js";
import { verifyChain } from "../dist/store/verify-chain.js";
import { messagesFor } from "../dist/text.js";
import pino from "pino";
import { ACCOUNT, groupTalk, liveGroups, livePeople } from "./live-chats.js";
import { memoryBot } from "./memory-bot.js";
import { rosterCsv } from "./synthetic-chats.js";

const [path, mediaDir, groupsText, rateText, secondsText, sampleText = "5000", waitingText = "5000"] = process.argv.slice(2);
const GROUPS = Number(groupsText);
const RATE = Number(rateText);
const SECONDS = Number(secondsText);
const SAMPLE_MS = Number(sampleText);
const MAX_WAITING = Number(waitingText);
const SPEED = 60;
const MINUTE = 60_000;
const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;

const people = livePeople(20);
const groups = liveGroups(GROUPS, people.roster, people.people);
// Each group's talk, written before the clock starts: its memory is there from the first sample to the last.
const talk = groups.map((group, g) => groupTalk(group, 500 + g, Math.ceil(RATE * SECONDS * 1.05) + 20, Date.UTC(2026, 0, 1), people));

const archive = await openArchive(path);
// A Sunday, 09:00 in Dhaka: office hours from the first minute.
const origin = Date.UTC(2026, 1, 1, 3, 0);
archive.transaction(() => applyRoster(archive, parseRoster(rosterCsv(people.roster), "roster.csv"), origin));

/** The in-memory WhatsApp, keeping only each group's newest messages, as a phone would be asked for no more. */
class PhoneTransport extends MemoryTransport {
  deliver(event) {
    super.deliver(event);
    const chat = this.chats.get(event.chat.whatsappId);
    if (chat && chat.messages.length > 2_000) chat.messages.splice(0, 1_000);
    if (chat && chat.reactions.length > 2_000) chat.reactions.splice(0, 1_000);
    if (this.sent.length > 2_000) this.sent.splice(0, 1_000);
  }
}
let started = performance.now();
const now = () => origin + Math.round((performance.now() - started) * SPEED);
const transport = new PhoneTransport(ACCOUNT, now);
for (const group of groups) transport.addGroup(group.chat, group.participants);

const text = messagesFor("bn");
const base = readNudgePolicy(undefined, text);
const rules = { firstAfterMs: MINUTE, everyMs: MINUTE, maxNudges: 3, hours: { days: [0, 1, 2, 3, 4, 5, 6], opensAt: 0, closesAt: 24 * 60, holidays: [] } };
const policy = { ...base.office, normal: rules, urgent: rules, digestAt: null };

// Event → archived row: the bot logs "archived" (with the row's id) right after the transaction commits.
const deliveredAt = new Map();
const latencies = [];
let archivedInWindow = 0;
let windowOpen = false;
let lastSample = 0;
const samples = [];
const sample = () => {
  lastSample = performance.now();
  const memory = process.memoryUsage();
  samples.push({ s: Math.round((lastSample - started) / 100) / 10, rss_mb: mb(memory.rss), heap_mb: mb(memory.heapUsed), waiting: deliveredAt.size });
};
let failures = 0;
const whatsappIdOf = archive.sqlite.prepare("SELECT whatsapp_id FROM messages WHERE id = ?").pluck();
const log = pino(
  { level: "info" },
  {
    write(line) {
      // While the bot works through a backlog no timer runs (see docs/reliability.md): memory is sampled here too.
      if (windowOpen && performance.now() - lastSample >= SAMPLE_MS) sample();
      if (line.includes('"msg":"archived"')) {
        const entry = JSON.parse(line);
        if (entry.kind !== "message") return;
        const id = whatsappIdOf.get(entry.message);
        const at = deliveredAt.get(id);
        if (at === undefined) return;
        deliveredAt.delete(id);
        latencies.push(performance.now() - at);
        if (windowOpen) archivedInWindow++;
      } else if (line.includes('"level":50')) failures++;
    },
  },
);

const bot = memoryBot({
  transport,
  archive,
  mediaDir,
  watch: groups.map((group) => group.chat.whatsappId),
  settings: { sendLimits: { minGapMs: 0, jitterMs: 0, perMinute: 1_000_000, perDay: 1_000_000_000 } },
  log,
  now,
  random: () => 0.5,
  followUps: { ...base, enabled: true, office: policy, policyFor: () => policy },
  everyMinute: (task) => {
    const timer = setInterval(task, MINUTE / SPEED);
    return { stop: () => clearInterval(timer) };
  },
});
const running = bot.run();
while (!bot.connected) await new Promise((resolve) => setTimeout(resolve, 5));
await bot.settled();

// The run: every 5 ms, each group's messages that are due by now arrive, stamped with the office's time.
const next = groups.map(() => 0);
const sent = { messages: [], reactions: 0 };
let offered = 0;
global.gc?.();
started = performance.now();
windowOpen = true;
sample();
const sampler = setInterval(sample, SAMPLE_MS);
await new Promise((resolve) => {
  const tick = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000;
    const seconds = Math.min(elapsed, SECONDS);
    for (const g of groups.keys()) {
      const due = Math.floor(seconds * RATE);
      while (next[g] < due) {
        if (deliveredAt.size >= MAX_WAITING) break;
        const event = { ...talk[g][next[g]++], at: now() };
        offered++;
        if (event.kind === "message") {
          deliveredAt.set(event.id, performance.now());
          sent.messages.push(event.id);
        } else sent.reactions++;
        transport.deliver(event);
      }
    }
    if (elapsed >= SECONDS) {
      clearInterval(tick);
      resolve();
    }
  }, 5);
});
windowOpen = false;
const windowMs = performance.now() - started;
const waitingAtEnd = deliveredAt.size;
await bot.settled();
const drainMs = performance.now() - started - windowMs;
sample();
clearInterval(sampler);
await bot.followUp();
await bot.followUpsDelivered();
await bot.stop();
await running;

// Nothing lost, nothing twice: every message delivered is one row, and every 👍 reaction one event.
const archivedOnce = archive.sqlite.prepare("SELECT count(*) FROM messages WHERE whatsapp_id = ?").pluck();
let lost = 0;
let twice = 0;
for (const id of sent.messages) {
  const n = archivedOnce.get(id);
  if (n === 0) lost++;
  if (n > 1) twice++;
}
const one = (sql) => archive.sqlite.prepare(sql).pluck().get();
const reactions = one("SELECT count(*) FROM message_events WHERE kind = 'reaction'");
const outbox = archive.sqlite.prepare("SELECT kind, status, count(*) AS n FROM outbox GROUP BY kind, status").all();
const verdict = verifyChain(archive);
archive.close();

latencies.sort((a, b) => a - b);
const at = (p) => (latencies.length === 0 ? null : Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] * 10) / 10);
const mean = (list, key) => (list.length === 0 ? null : Math.round((list.reduce((sum, s) => sum + s[key], 0) / list.length) * 10) / 10);
// The first and last minute of the run (or third, for a run shorter than three minutes).
const span = Math.min(60, SECONDS / 3);
const first = samples.filter((s) => s.s <= span);
const lastFrom = Math.min(windowMs / 1000 - span, samples.at(-1).s);
const last = samples.filter((s) => s.s >= lastFrom);
console.log(
  JSON.stringify({
    groups: GROUPS,
    target_per_s: GROUPS * RATE,
    seconds: Math.round(windowMs / 100) / 10,
    offered,
    offered_per_s: Math.round(offered / (windowMs / 1000)),
    held: GROUPS * Math.floor(SECONDS * RATE) - offered,
    messages: sent.messages.length,
    reactions_sent: sent.reactions,
    archived_in_window: archivedInWindow,
    archived_per_s: Math.round(archivedInWindow / (windowMs / 1000)),
    waiting_at_end: waitingAtEnd,
    drain_ms: Math.round(drainMs),
    event_to_row_ms: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) },
    memory: {
      first_rss_mb: mean(first, "rss_mb"),
      last_rss_mb: mean(last, "rss_mb"),
      first_heap_mb: mean(first, "heap_mb"),
      last_heap_mb: mean(last, "heap_mb"),
      samples,
    },
    nudges_sent: outbox.filter((row) => row.status === "sent").reduce((sum, row) => sum + row.n, 0),
    outbox,
    lost,
    twice,
    reactions_archived: reactions,
    errors_logged: failures,
    verify: { intact: verdict.intact, rows: verdict.rows },
  }),
);
