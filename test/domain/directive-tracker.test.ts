import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chatFiles, exportText, readChat, rosterCsv } from "../../scripts/annotated-chats.js";
import { importChatExport } from "../../src/chat-export/import-chat-export.js";
import type { Role } from "../../src/domain/message.js";
import { parseRoster } from "../../src/domain/roster.js";
import {
  type ChatTimeline,
  type DirectiveTracker,
  startTracking,
  type TimelineEvent,
  type TimelineMessage,
  type TrackedDirective,
  trackDirectives,
} from "../../src/domain/track-directives.js";
import { readLexicons } from "../../src/lexicons.js";
import { chatNamed } from "../../src/store/chats.js";
import { applyRoster } from "../../src/store/people.js";
import type { Archive } from "../../src/store/open-archive.js";
import { bringTrackingUpToDate, trackChat, type TrackingMemory } from "../../src/store/track-chats.js";
import { dhaka, memoryLogger, testArchive } from "../support.js";

const lexicons = readLexicons();
const options = { directiveLexicon: lexicons.directive, acknowledgementLexicon: lexicons.acknowledgement, timeZone: "Asia/Dhaka" };

/** What tracking concluded, in a form two runs can be compared by. */
function conclusions(tracked: TrackedDirective[]) {
  return tracked
    .map((item) => ({
      message: item.messageId,
      directive: item.directive,
      urgent: item.urgent,
      deadline: item.detection.deadline?.at ?? null,
      expected: item.expected,
      acknowledged: [...item.acknowledged].sort((a, b) => a[0] - b[0]),
      done: [...item.done].sort((a, b) => a[0] - b[0]),
    }))
    .sort((a, b) => a.message - b.message);
}

/** The chat as it stood when the chain reached `seq`. */
function upTo(timeline: ChatTimeline, seq: number): ChatTimeline {
  return { ...timeline, messages: timeline.messages.filter((m) => m.seq <= seq), events: timeline.events.filter((e) => e.seq <= seq) };
}

/**
 * Reads the chat a few rows at a time, as the live bot does: what can be read on top of the tracker is,
 * and anything else (a join, a correction, an earlier message) starts it again from the chat so far.
 */
function readInPieces(timeline: ChatTimeline, cuts: number[]): { tracker: DirectiveTracker; restarts: number; readOnTop: number } {
  const lastSeq = Math.max(0, ...timeline.messages.map((m) => m.seq), ...timeline.events.map((e) => e.seq));
  const ends = [...new Set([...cuts.filter((cut) => cut < lastSeq), lastSeq])].sort((a, b) => a - b);
  let tracker = startTracking(upTo(timeline, ends[0]!), options);
  let restarts = 0;
  let readOnTop = 0;
  for (let i = 1; i < ends.length; i++) {
    const after = ends[i - 1]!;
    const through = ends[i]!;
    const inPiece = (row: { seq: number }) => row.seq > after && row.seq <= through;
    const events = timeline.events.filter(inPiece);
    const reactions = events.filter((event): event is Extract<TimelineEvent, { kind: "reaction" }> => event.kind === "reaction");
    const changed = events.length === reactions.length ? tracker.readLater({ messages: timeline.messages.filter(inPiece), reactions }) : null;
    if (changed) readOnTop++;
    else {
      tracker = startTracking(upTo(timeline, through), options);
      restarts++;
    }
  }
  return { tracker, restarts, readOnTop };
}

/** A seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return { next, pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!, chance: (p: number) => next() < p };
}

const DC = 1;
const ADC = 2;
// Eight officers, so that some first write only after several directives (they were expected to answer those too).
const UNOS = [11, 12, 13, 14, 15, 16, 17, 18];
const NDC = 20;
const STRANGER = 30; // not on the roster
const ROSTER: Array<[number, Role[]]> = [[DC, ["superior"]], [ADC, ["superior", "officer"]], ...UNOS.map((id): [number, Role[]] => [id, ["officer"]]), [NDC, ["recordkeeper"]]];

const ORDERS = [
  "সকল ইউএনও আগামীকাল বিকাল ৩টার মধ্যে ত্রাণ বিতরণের প্রতিবেদন পাঠাবেন।",
  "ডেঙ্গু প্রতিরোধে প্রতিটি ইউনিয়নে পরিচ্ছন্নতা অভিযান পরিচালনা করতে হবে।",
  "All UNOs must submit the flood shelter list by Thursday.",
  "জরুরি: আজ সন্ধ্যার মধ্যে আশ্রয়কেন্দ্রের তালিকা পাঠান। বাকিরা দ্রুত পাঠান।",
  "Sobai kalker moddhe report pathaben.",
];
const ANSWERS = ["জি স্যার", "Noted, sir.", "জি স্যার, প্রতিবেদন পাঠানো হয়েছে।", "ত্রাণ বিতরণ সম্পন্ন হয়েছে স্যার।", "Done sir, list sent.", "স্যার, কোন ফরম্যাটে পাঠাব?", "ok", "আসসালামু আলাইকুম"];

/** A random day of a district group: orders, answers, quotes, 👍, mentions, people joining and leaving. */
function randomChat(seed: number): ChatTimeline {
  const rng = random(seed);
  const messages: TimelineMessage[] = [];
  const events: TimelineEvent[] = [];
  let at = dhaka(2024, 10, 22, 9, 0);
  for (let seq = 1; seq <= 120; seq++) {
    // Rows come mostly in time order; now and then one arrives late (an export's older message).
    at += rng.chance(0.05) ? -rng.next() * 600_000 : rng.pick([0, 60_000, 120_000, 600_000]);
    const roll = rng.next();
    if (roll < 0.12 && messages.length > 0) {
      const target = rng.pick(messages);
      events.push({ kind: "reaction", seq, at, personId: rng.pick([...UNOS, ADC, STRANGER]), messageId: target.id, emoji: rng.pick(["👍", "🙏", ""]) });
      continue;
    }
    if (roll < 0.135) {
      events.push({ kind: rng.chance(0.5) ? "joined" : "left", seq, at, personId: rng.pick([...UNOS, STRANGER, 40]) });
      continue;
    }
    if (roll < 0.145 && messages.length > 0) {
      events.push({ kind: "mark", seq, at, messageId: rng.pick(messages).id, directive: rng.chance(0.6), urgent: rng.chance(0.3) });
      continue;
    }
    const superior = rng.chance(0.3);
    const sender = superior ? rng.pick([DC, ADC]) : rng.pick([...UNOS, ADC, NDC, STRANGER]);
    const quoted = !superior && rng.chance(0.3) && messages.length > 0 ? rng.pick(messages).whatsappId : null;
    const mentioned = superior && rng.chance(0.3) ? [rng.pick([...UNOS, 40])] : [];
    messages.push({
      id: 1000 + seq,
      whatsappId: `w${seq}`,
      seq,
      at,
      senderId: sender,
      body: superior ? rng.pick(ORDERS) : rng.pick(ANSWERS),
      type: "text",
      forwarded: false,
      deleted: rng.chance(0.03),
      quotedWhatsappId: quoted,
      mentioned,
      mentionNames: mentioned.map((id) => `অফিসার ${id}`),
    });
  }
  return {
    messages,
    events,
    people: new Map(ROSTER.map(([id, roles]) => [id, { id, roles, inRoster: true }])),
    admins: new Set([DC]),
    rosterLoaded: true,
  };
}

describe("reading a chat a few messages at a time, as the live bot does", () => {
  it("concludes exactly what reading the whole chat at once concludes, in 300 random district chats", () => {
    let readOnTop = 0;
    let restarts = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const timeline = randomChat(seed);
      const rng = random(seed * 7919);
      const cuts = Array.from({ length: 1 + Math.floor(rng.next() * 30) }, () => Math.floor(rng.next() * 120));
      const pieces = readInPieces(timeline, cuts);
      expect(conclusions(pieces.tracker.tracked), `seed ${seed}`).toEqual(conclusions(trackDirectives(timeline, options)));
      readOnTop += pieces.readOnTop;
      restarts += pieces.restarts;
    }
    // Both ways were taken often, or the comparison proves nothing.
    expect(readOnTop).toBeGreaterThan(1_000);
    expect(restarts).toBeGreaterThan(500);
  });

  it("says which directives a later piece changed: the new one, and the one an officer's 👍 answered", () => {
    const timeline = randomChat(1);
    const order: TimelineMessage = { ...timeline.messages[0]!, id: 1, seq: 2, senderId: DC, body: ORDERS[0]!, deleted: false, quotedWhatsappId: null, mentioned: [], mentionNames: [] };
    const greeting = { ...order, id: 10, seq: 1, at: order.at - 60_000, senderId: UNOS[1]!, body: "আসসালামু আলাইকুম", whatsappId: "w10" };
    const reply = { ...order, id: 2, seq: 3, senderId: UNOS[0]!, body: "জি স্যার", whatsappId: "w2" };
    const tracker = startTracking({ ...timeline, messages: [greeting, order, reply], events: [] }, options);
    const second = { ...order, id: 3, seq: 4, at: order.at + 60_000, body: ORDERS[1]!, whatsappId: "w3" };
    const changed = tracker.readLater({ messages: [second], reactions: [{ kind: "reaction", seq: 5, at: order.at + 120_000, personId: UNOS[1]!, messageId: 1, emoji: "👍" }] });
    expect([...changed!].map((item) => item.messageId).sort()).toEqual([1, 3]);
    expect(tracker.tracked.find((item) => item.messageId === 1)!.acknowledged.get(UNOS[1]!)?.how).toBe("reaction");
  });

  it("will not read on top a message from someone not seen in the chat before: earlier directives expected them too", () => {
    const timeline = randomChat(2);
    const order: TimelineMessage = { ...timeline.messages[0]!, id: 1, seq: 1, senderId: DC, body: ORDERS[0]!, deleted: false, mentioned: [], mentionNames: [] };
    const tracker = startTracking({ ...timeline, messages: [order], events: [], admins: new Set() }, options);
    expect(tracker.readLater({ messages: [{ ...order, id: 2, seq: 2, senderId: UNOS[2]!, body: "জি স্যার", whatsappId: "w2" }], reactions: [] })).toBeNull();
    expect(tracker.readLater({ messages: [{ ...order, id: 3, seq: 3, at: order.at - 60_000, body: "আগের কথা" }], reactions: [] })).toBeNull();
  });
});

describe("the annotated district chats, archived a piece at a time and tracked as the live bot tracks", () => {
  const fixtures = join(import.meta.dirname, "../fixtures/directives");
  const files = ["chats", "holdout", "final"].flatMap((set) => chatFiles(join(fixtures, set)));
  const storedRows = (archive: Archive) => ({
    directives: archive.sqlite.prepare("SELECT * FROM directives ORDER BY message_id").all(),
    people: archive.sqlite.prepare("SELECT * FROM directive_people ORDER BY directive_id, person_id").all(),
  });
  it.each(files.map((file) => [file.split("/").slice(-2).join("/"), file]))("%s: the same rows as tracking the whole chat again", async (_name, file) => {
    const chat = readChat(file);
    const { archive, media, folder } = await testArchive();
    const now = () => Date.UTC(2025, 0, 1);
    const inputs = { lexicons, timeZone: "Asia/Dhaka" };
    archive.transaction(() => applyRoster(archive, parseRoster(rosterCsv(chat), "roster.csv"), now()));
    const memory: TrackingMemory = new Map();
    const pieces = 8;
    for (let piece = 0; piece < pieces; piece++) {
      const lines = chat.lines.slice(Math.floor((piece * chat.lines.length) / pieces), Math.floor(((piece + 1) * chat.lines.length) / pieces));
      const path = join(folder, `part-${piece}.txt`);
      writeFileSync(path, exportText({ ...chat, lines }));
      await importChatExport(archive, media, path, { timeZone: "Asia/Dhaka", chatName: chat.name }, now, memoryLogger().log);
      bringTrackingUpToDate(archive, inputs, now, memory);
    }
    const readOnTop = storedRows(archive);
    trackChat(archive, chatNamed(archive, chat.name)!.id, inputs, now);
    expect(readOnTop).toEqual(storedRows(archive));
    expect(readOnTop.people.length).toBeGreaterThan(0);
  });
});
