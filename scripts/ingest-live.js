#!/usr/bin/env node
// The crash test's live child (test/reliability/crash-harness.ts): the bot, without Chromium, on the
// in-memory WhatsApp, archiving a seeded stream of `count` messages in `groups` groups. It is killed with
// SIGKILL at random moments and started again, as a power cut or the OOM killer would.
//
//   node scripts/ingest-live.js DB MEDIA COUNT GROUPS RESUME GAP
//
// The first RESUME + GAP messages "arrived while the bot was down": they are on the phone, and the bot's
// catch-up must bring those it does not have. The rest arrive live, in bursts of 200. After each burst it
// prints `{"stored": n}`: the first n messages of the stream are archived — each looked up in the archive
// after the bot archived it, so only what SQLite committed is ever reported. `{"done": n}` at the end.
import { MemoryTransport } from "../dist/bot/memory-transport.js";
import { parseRoster } from "../dist/domain/roster.js";
import { createLogger } from "../dist/logger.js";
import { openArchive } from "../dist/store/open-archive.js";
import { applyRoster } from "../dist/store/people.js";
import { ACCOUNT, crashTalk } from "./live-chats.js";
import { memoryBot } from "./memory-bot.js";
import { rosterCsv } from "./synthetic-chats.js";

const [path, mediaDir, countText, groupsText, resumeText, gapText] = process.argv.slice(2);
const COUNT = Number(countText);
const GROUPS = Number(groupsText);
const BURST = 200;
const { people, groups, stream } = crashTalk(COUNT, GROUPS);
const ahead = Math.min(stream.length, Number(resumeText) + Number(gapText));

const archive = await openArchive(path);
archive.transaction(() => applyRoster(archive, parseRoster(rosterCsv(people.roster), "roster.csv"), Date.now()));
const transport = new MemoryTransport(ACCOUNT);
for (const group of groups) transport.addGroup(group.chat, group.participants);
for (const message of stream.slice(0, ahead)) transport.deliver(message);

const bot = memoryBot({
  transport,
  archive,
  mediaDir,
  watch: groups.map((group) => group.chat.whatsappId),
  log: createLogger(process.env.NIRDESH_LOG_LEVEL ?? "silent"),
  now: Date.now,
});
const running = bot.run();

const archived = archive.sqlite.prepare("SELECT 1 FROM messages WHERE whatsapp_id = ?").pluck();
let stored = 0;
const report = () => {
  const before = stored;
  while (stored < stream.length && archived.get(stream[stored].id)) stored++;
  if (stored > before) process.stdout.write(`${JSON.stringify({ stored })}\n`);
};
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * Waits until the first `n` messages are archived: the catch-up brings what was missed, the rest as they
 * come. The bot tracks directives on its own timer meanwhile, as it does under load.
 */
async function storedThrough(n) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    report();
    if (stored >= n) return;
    if (Date.now() > deadline) throw new Error(`message ${stored} of the stream was never archived`);
    await pause(2);
  }
}

while (!bot.connected) await pause(5);
await storedThrough(ahead);
for (let i = ahead; i < stream.length; i += BURST) {
  for (const message of stream.slice(i, i + BURST)) transport.deliver(message);
  await storedThrough(Math.min(stream.length, i + BURST));
}
await bot.settled();
process.stdout.write(`${JSON.stringify({ done: stored })}\n`);
await bot.stop();
await running;
archive.close();
