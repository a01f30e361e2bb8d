#!/usr/bin/env node
// `npm run demo`: the archive pipeline end to end, offline, on the bundled sample chat of a DC office:
// import, search, directives, the live bot, exports and an evidence bundle, the report, the audit log.
// Every step is the real `nirdesh` command a record keeper would type.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3-multiple-ciphers";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const folder = mkdtempSync(join(tmpdir(), "nirdesh-demo-"));
const env = { ...process.env, NIRDESH_DB: join(folder, "nirdesh.db") };
const group = "ডিসি অফিস টাঙ্গাইল - দাপ্তরিক";

function step(title, args) {
  console.log(`\n━━ ${title}\n$ nirdesh ${args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(" ")}`);
  const result = spawnSync(process.execPath, [join(root, "bin/nirdesh.js"), ...args], { cwd: root, env, encoding: "utf8" });
  process.stdout.write(result.stdout);
  process.stdout.write(result.stderr);
  console.log(`(exit ${result.status})`);
  return result;
}

/**
 * The live bot on an in-memory WhatsApp (no phone, no network): the same bot `nirdesh start` runs, joined
 * to the group the export came from, hearing messages, losing its connection, catching up, and answering.
 */
async function liveBot() {
  const { createBot, DEFAULT_BOT_SETTINGS } = await import("../dist/bot/create-bot.js");
  const { MemoryTransport } = await import("../dist/bot/memory-transport.js");
  const { openArchive } = await import("../dist/store/open-archive.js");
  const { openMediaStore } = await import("../dist/store/media-store.js");
  const { readLexicons } = await import("../dist/lexicons.js");
  const { messagesFor } = await import("../dist/text.js");
  const { createLogger } = await import("../dist/logger.js");

  console.log("\n━━ ১০. লাইভ বট: ইন-মেমরি WhatsApp-এ একই গ্রুপ (ফোন বা নেটওয়ার্ক ছাড়া)");
  const person = (phone, name) => ({ whatsappId: `${phone.slice(1)}@c.us`, phone, name });
  const dc = person("+8801711000001", "কাজী মাহমুদুল হাসান");
  const sakhipur = person("+8801711000004", "শাহানা পারভীন");
  const basail = person("+8801711000008", "নুসরাত জাহান");
  const ndc = person("+8801711000013", "তাসলিমা খাতুন");
  const chat = { whatsappId: "120363000000000001@g.us", name: group, isGroup: true };
  let clock = Date.parse("2024-10-29T10:00:00+06:00");
  const now = () => clock;
  const transport = new MemoryTransport(person("+8801700000000", "Nirdesh"), now);
  transport.addGroup(chat, [dc, sakhipur, basail, ndc].map((p, i) => ({ person: p, admin: i === 0 })));
  const archive = await openArchive(env.NIRDESH_DB);
  const bot = createBot({
    transport,
    archive,
    media: openMediaStore(join(folder, "media")),
    lexicons: readLexicons(),
    text: messagesFor("bn"),
    settings: { ...DEFAULT_BOT_SETTINGS, watch: [chat.whatsappId], timeZone: "Asia/Dhaka", recycleMs: 0, sendLimits: { minGapMs: 0, jitterMs: 0, perMinute: 60, perDay: 500 } },
    // Quiet unless asked (NIRDESH_LOG_LEVEL=info shows what a service would log; test/stress/log-scan.stress.ts reads it).
    log: createLogger(process.env.NIRDESH_LOG_LEVEL ?? "error"),
    now,
  });
  let n = 0;
  const say = (from, body, extra = {}) => {
    clock += 60_000;
    const message = { kind: "message", chat, id: `false_${chat.whatsappId}_DEMO${++n}_${from.whatsappId}`, sender: from, fromMe: false, at: clock, body, type: "text", quotedId: null, mentions: [], forwarded: false, edited: null, media: null, ...extra };
    console.log(`   ${transport.connected ? "→" : "✕ (বট সংযোগহীন)"} ${from.name}: ${body}`);
    transport.deliver(message);
    return message;
  };
  const running = bot.run();
  await bot.settled();
  const directive = say(dc, "সকল ইউএনও আজ বিকাল ৪টার মধ্যে শীতবস্ত্র বিতরণের তালিকা পাঠাবেন।");
  say(sakhipur, "জি স্যার", { quotedId: directive.id });
  transport.deliver({ kind: "reaction", chat, messageId: directive.id, sender: basail, at: clock + 30_000, emoji: "👍" });
  console.log(`   → ${basail.name} 👍 প্রতিক্রিয়া দিলেন`);
  await bot.settled();
  console.log("   … নেটওয়ার্ক চলে গেল");
  transport.drop("NAVIGATION");
  say(basail, "শীতবস্ত্র বিতরণের তালিকা পাঠানো হয়েছে।");
  await new Promise((resolve) => setTimeout(resolve, 5_500));
  await bot.settled();
  console.log(`   … ৫ সেকেন্ড পর আবার সংযোগ; মাঝের বার্তাটি একবারই আর্কাইভ হলো (WhatsApp-এর সাথে সংযোগ: ${transport.connects} বার)`);
  say(dc, "!বাকি");
  say(ndc, "!খুঁজুন শীতবস্ত্র", { chat: { whatsappId: ndc.whatsappId, name: ndc.name, isGroup: false } });
  await bot.settled();
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (const sent of transport.sent) console.log(`\n   বট ${sent.chatId === chat.whatsappId ? "গ্রুপে" : `${ndc.name}-কে সরাসরি`} লিখল:\n${sent.text.replace(/^/gm, "   │ ")}`);
  await bot.stop();
  await running;
  archive.close();
}

try {
  step("১. রোস্টার লোড", ["roster", "import", "data/roster.csv"]);
  step("২. চ্যাট ইমপোর্ট", ["import", "data/sample-chat.txt", "--chat", group]);
  step("৩. একই ফাইল আবার ইমপোর্ট: কিছুই দ্বিগুণ হয় না", ["import", "data/sample-chat.txt", "--chat", group]);
  step("৪. iOS রপ্তানি একই গ্রুপে: শুধু নতুনগুলো যোগ হয়", ["import", "test/fixtures/ios-chat.txt", "--chat", group]);
  const found = step("৫. খোঁজা: প্রতিবেদন (প্রতিবেদনটি-ও পাওয়া যায়)", ["search", "প্রতিবেদন", "--since", "২৩/১০/২০২৪", "--limit", "3"]);
  const id = /#(\d+)/.exec(found.stdout)?.[1] ?? "1";
  step("৬. শুধু নির্দেশনা ও সিদ্ধান্ত", ["search", "--directives", "--since", "২৪/১০/২০২৪", "--limit", "3"]);
  const pending = step("৭. কোন নির্দেশনায় কে এখনো সাড়া দেননি", ["pending"]);
  const directive = /#(\d+)/.exec(pending.stdout)?.[1] ?? "1";
  step("৮. একটি নির্দেশনা বিস্তারিত: কে কখন সাড়া দিয়েছেন, কে দেননি, কেন এটি নির্দেশনা", ["show", directive]);
  // The NDC (a record keeper, not a superior) posted the meeting notice, so it was not read as a directive.
  const notice = step("৯. এনডিসির দেওয়া সভার নোটিশ", ["search", "মাসিক সভা", "--from", "01711000013", "--limit", "1"]);
  const noticeId = /#(\d+)/.exec(notice.stdout)?.[1] ?? "1";
  step("   জেলা প্রশাসক একে নির্দেশনা হিসেবে চিহ্নিত করলেন (সংশোধনটি হ্যাশ-শৃঙ্খলে)", ["mark", noticeId, "--directive", "--by", "01711000001"]);
  step("   এখন কে সাড়া দিয়েছেন তা দেখা যায়", ["show", noticeId]);
  await liveBot();
  step("১১. লাইভ বটের পরে: এই গ্রুপে কে এখনো সাড়া দেননি", ["pending", "--limit", "1"]);
  step("১২. হ্যাশ-শৃঙ্খল যাচাই (ইমপোর্ট, লাইভ বার্তা, সংশোধন ও অডিট সব মিলিয়ে)", ["verify"]);
  // The same export replayed as if it arrived live: the nudges, reminders and escalations the bot would
  // have sent on its first day, by the ministry's default policy (the archive is not touched).
  step("১৩. সিমুলেশন: চ্যাটটি লাইভ এলে প্রথম দিনে বট কাকে কখন তাগিদ দিত", ["simulate", "data/sample-chat.txt", "--roster", "data/roster.csv", "--chat", group, "--until", "২২/১০/২০২৪"]);

  const csv = join(folder, "নির্দেশনা.csv");
  step("১৪. রেকর্ড কিপার নির্দেশনাগুলো Excel-এর জন্য CSV-তে রপ্তানি করলেন", ["export", "--format", "csv", "--out", csv, "--directives", "--since", "২৪/১০/২০২৪"]);
  console.log(readFileSync(csv, "utf8").split("\r\n").slice(0, 3).map((line) => `   │ ${line.slice(0, 150)}`).join("\n"));
  const bundle = join(folder, "প্রমাণ.zip");
  step("১৫. নিরীক্ষকের জন্য প্রমাণ-বান্ডল (বার্তা, শৃঙ্খল-হ্যাশ, মিডিয়া, ম্যানিফেস্ট)", ["export", "--format", "bundle", "--out", bundle]);
  // The auditor's machine has no archive: the bundle is checked on its own.
  const auditor = spawnSync(process.execPath, [join(root, "bin/nirdesh.js"), "verify", "--bundle", bundle], { cwd: root, env: { PATH: process.env.PATH }, encoding: "utf8" });
  console.log(`\n━━ ১৬. নিরীক্ষকের কম্পিউটারে (আর্কাইভ ছাড়া)\n$ nirdesh verify --bundle প্রমাণ.zip\n${auditor.stdout}${auditor.stderr}(exit ${auditor.status})`);
  step("১৭. সাড়ার প্রতিবেদন (ত্রৈমাসিক মূল্যায়নের জন্য)", ["report", "--period", "quarter"]);
  step("১৮. অডিট লগ: কে কখন কী খুঁজেছেন ও রপ্তানি করেছেন", ["audit", "--limit", "6"]);

  console.log("\n━━ ১৯. কেউ সরাসরি ডাটাবেস ফাইলে একটি বার্তা বদলে দিল (ট্রিগার মুছে)…");
  const raw = new Database(env.NIRDESH_DB);
  raw.exec("DROP TRIGGER messages_no_update");
  raw.prepare("UPDATE messages SET body = 'নির্দেশনা বাতিল' WHERE id = ?").run(Number(id));
  raw.close();
  step("২০. যাচাই এখন পরিবর্তন ধরে ফেলে", ["verify"]);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
