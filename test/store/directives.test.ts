import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cueText } from "../../src/domain/cue-text.js";
import { findCues } from "../../src/domain/lexicon.js";
import { importChatExport } from "../../src/chat-export/import-chat-export.js";
import type { Person } from "../../src/domain/message.js";
import { parseRoster } from "../../src/domain/roster.js";
import { type Lexicons, readLexicons } from "../../src/lexicons.js";
import { chatNamed } from "../../src/store/chats.js";
import { answeredBy, detectionOf, directiveViews } from "../../src/store/directive-views.js";
import { type Archive, openArchive } from "../../src/store/open-archive.js";
import { markMessage } from "../../src/store/mark-message.js";
import { applyRoster, findPeople } from "../../src/store/people.js";
import { bringTrackingUpToDate, staleChats, timelineOf } from "../../src/store/track-chats.js";
import { verifyChain } from "../../src/store/verify-chain.js";
import { UserError } from "../../src/user-error.js";
import { dhaka, fakeClock, memoryLogger, temporaryFolder, testArchive } from "../support.js";

const GROUP = "ডিসি অফিস টাঙ্গাইল - দাপ্তরিক";
const ZONE = "Asia/Dhaka";
const LEXICONS = readLexicons();
const SAMPLE = readFileSync("data/sample-chat.txt", "utf8");

async function setUp() {
  const setup = await testArchive();
  const clock = fakeClock();
  const { log } = memoryLogger();
  const importFile = (path: string, chatName = GROUP) => importChatExport(setup.archive, setup.media, path, { timeZone: ZONE, chatName }, clock.now, log);
  const writeExport = (name: string, text: string) => {
    const path = join(setup.folder, name);
    writeFileSync(path, text);
    return path;
  };
  const loadRoster = () => applyRoster(setup.archive, parseRoster(readFileSync("data/roster.csv", "utf8"), "data/roster.csv"), clock.now());
  const track = (lexicons: Lexicons = LEXICONS) => bringTrackingUpToDate(setup.archive, { lexicons, timeZone: ZONE }, clock.now);
  return { ...setup, clock, importFile, writeExport, loadRoster, track };
}

/** The DC office's chat, imported with its roster and tracked, as `nirdesh import --roster` leaves it. */
async function trackedOffice() {
  const setup = await setUp();
  setup.loadRoster();
  await setup.importFile("data/sample-chat.txt");
  setup.track();
  return setup;
}

function messageSaying(archive: Archive, body: string, sender?: string): number {
  let query = archive.db.selectFrom("messages").select("id").where("body", "like", `${body}%`);
  if (sender) query = query.where("sender_name", "=", sender);
  const row = archive.get(query.orderBy("seq").limit(1));
  if (!row) throw new Error(`no message says "${body}"`);
  return row.id;
}

function directiveOf(archive: Archive, id: number) {
  return directiveViews(archive, { messageIds: [id] })[0];
}

const names = (people: Array<{ name: string }>) => people.map((person) => person.name);

function person(archive: Archive, who: string): Person {
  const found = findPeople(archive, who);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe("the DC's directive in the office's chat", () => {
  it("names the officers expected to answer, and who acknowledged it, how and when", async () => {
    const { archive } = await trackedOffice();
    const id = messageSaying(archive, "সকল ইউএনওকে আগামীকাল বিকাল ৩টার মধ্যে");
    const directive = directiveOf(archive, id)!;

    expect(directive).toMatchObject({
      chat: GROUP,
      at: dhaka(2024, 10, 22, 9, 15),
      issuer: { phone: "+8801711000001", name: "কাজী মাহমুদুল হাসান", designation: "জেলা প্রশাসক, টাঙ্গাইল" },
      // "আগামীকাল বিকাল ৩টার মধ্যে", said on the 22nd.
      deadline: dhaka(2024, 10, 23, 15, 0),
      deadlineAllDay: false,
      marked: null,
    });
    // Every officer in the group is expected; the DC and his two ADCs are superiors, not expected.
    expect(directive.expected).toHaveLength(11);
    expect(names(directive.expected)).toEqual(expect.arrayContaining(["শাহানা পারভীন", "তানভীর আহমেদ", "আরিফুর রহমান", "সাইফুল ইসলাম খান"]));
    expect(names(directive.expected)).not.toEqual(expect.arrayContaining(["কাজী মাহমুদুল হাসান"]));
    expect(names(directive.expected).some((name) => ["ফারহানা আক্তার", "মো. রাশেদুল করিম"].includes(name))).toBe(false);

    // The UNO of Sakhipur replies জি স্যার a minute later, so she has acknowledged it, by a message.
    const jiSir = messageSaying(archive, "জি স্যার", "শাহানা পারভীন");
    expect(directive.acknowledged[0]).toEqual({
      phone: "+8801711000004",
      name: "শাহানা পারভীন",
      designation: "ইউএনও, সখীপুর",
      at: dhaka(2024, 10, 22, 9, 16),
      how: "message",
      message: jiSir,
    });
    // জ্বি স্যার, অবগত হলাম, Noted sir, ok sir from a number and a 👍 all count.
    expect(names(directive.acknowledged).sort()).toEqual(
      ["শাহানা পারভীন", "সুমাইয়া ইসলাম", "নুসরাত জাহান", "মাহবুব আলম", "সাইফুল ইসলাম খান", "রুবাইয়াত ফেরদৌস"].sort(),
    );
    // Acknowledgements are listed in the order they came.
    const times = directive.acknowledged.map((answer) => answer.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Whoever has not answered is pending; acknowledged and pending together are everyone expected.
    expect(names(directive.pending)).toEqual(expect.arrayContaining(["আরিফুর রহমান", "তানভীর আহমেদ"]));
    expect(directive.pending.length + directive.acknowledged.length).toBe(directive.expected.length);

    // The UNO's reply says which directive it answered, and the directive says why it is one.
    expect(answeredBy(archive, jiSir)).toEqual([{ directive: id, kind: "acknowledged" }]);
    expect(detectionOf(archive, id)).toMatchObject({ directive: true, detected: true, marked: null });
    expect(detectionOf(archive, id)!.cues.join(" ")).toContain("পাঠাতে হবে");
  });

  it("counts a completion report as done, and leaves a directive everyone answered out of pending", async () => {
    const { archive } = await trackedOffice();
    // The DC's market-monitoring directive; the UNO of Mirzapur later reports the mobile court was held.
    const market = directiveOf(archive, messageSaying(archive, "বাজার মনিটরিং সংক্রান্ত নির্দেশনা"))!;
    expect(market.done).toEqual([
      expect.objectContaining({ name: "মাহবুব আলম", at: dhaka(2024, 10, 22, 18, 11), message: messageSaying(archive, "ডিসি স্যারের নির্দেশনা অনুযায়ী আজ মির্জাপুর") }),
    ]);

    // The ADC (Revenue) gives an urgent directive to the AC (Land) alone, by @mention; he answers at once.
    const landTax = messageSaying(archive, "জরুরি: ভূমি উন্নয়ন কর");
    expect(directiveOf(archive, landTax)).toMatchObject({ urgent: true, expected: [{ name: "আবু সাঈদ মোল্লা" }], pending: [] });
    const pending = directiveViews(archive, { pendingOnly: true });
    expect(pending.map((directive) => directive.id)).not.toContain(landTax);
    expect(pending.every((directive) => directive.pending.length > 0)).toBe(true);
    // Pending lists the oldest first.
    expect(pending.map((directive) => directive.at)).toEqual([...pending.map((directive) => directive.at)].sort((a, b) => a - b));
  });

  it("is not found while the roster is missing, and is once the roster is loaded and tracking brought up to date", async () => {
    const { archive, importFile, loadRoster, track } = await setUp();
    await importFile("data/sample-chat.txt");
    const chat = chatNamed(archive, GROUP);
    expect(staleChats(archive, { lexicons: LEXICONS, timeZone: ZONE })).toEqual([chat.id]);
    expect(track()).toBe(1);
    expect(staleChats(archive, { lexicons: LEXICONS, timeZone: ZONE })).toEqual([]);

    // Without a roster, only the group's admin (the programmer who made the group) counts as a superior:
    // the DC is one member among others, and none of his directives is found.
    const dcDirective = messageSaying(archive, "সকল ইউএনওকে আগামীকাল বিকাল ৩টার মধ্যে");
    expect(directiveOf(archive, dcDirective)).toBeUndefined();
    expect(detectionOf(archive, dcDirective)).toBeNull();
    expect(new Set(directiveViews(archive, {}).map((directive) => directive.issuer.name))).toEqual(new Set(["মেহেদী হাসান"]));
    expect(timelineOf(archive, chat.id).rosterLoaded).toBe(false);

    // The record keeper loads the roster: who is a superior changed, so the chat is tracked again.
    loadRoster();
    expect(staleChats(archive, { lexicons: LEXICONS, timeZone: ZONE })).toEqual([chat.id]);
    expect(track()).toBe(1);
    expect(track()).toBe(0);
    expect(directiveOf(archive, dcDirective)).toMatchObject({ issuer: { name: "কাজী মাহমুদুল হাসান" }, expected: expect.any(Array) });
    expect(directiveOf(archive, dcDirective)!.acknowledged.length).toBe(6);
    // The programmer is an officer on the roster: what he posts is no longer a directive.
    expect(directiveViews(archive, {}).some((directive) => directive.issuer.name === "মেহেদী হাসান")).toBe(false);
  });

  it("finds no directive at all in a chat without a roster or an admin: everyone is a member alike", async () => {
    const { archive, importFile, writeExport, track } = await setUp();
    await importFile(
      writeExport(
        "plain.txt",
        ["22/10/2024, 09:15 - কাজী মাহমুদুল হাসান: সকল ইউএনওকে আগামীকাল বিকাল ৩টার মধ্যে প্রতিবেদন পাঠাতে হবে।", "22/10/2024, 09:16 - শাহানা পারভীন: জি স্যার"].join("\n"),
      ),
    );
    expect(track()).toBe(1);
    expect(directiveViews(archive, {})).toEqual([]);
  });
});

describe("a superior's or record keeper's correction", () => {
  it("takes a message the detector missed into the directives, and one it wrongly took out, and the chain still holds", async () => {
    const { archive, clock, track } = await trackedOffice();
    const rowsBefore = verifyChain(archive).rows;
    // The NDC's notice of the law-and-order meeting: it reads like one, but she is no superior, so it was no directive.
    const notice = messageSaying(archive, "আসসালামু আলাইকুম। আগামী ২৭ অক্টোবর ২০২৪", "+880 1711-000013");
    expect(directiveOf(archive, notice)).toBeUndefined();
    expect(detectionOf(archive, notice)).toBeNull();
    // The DC's "ভালো কাজ। অভিযান অব্যাহত রাখুন।" praises one UNO; the detector took it for a directive.
    const praise = messageSaying(archive, "ভালো কাজ। অভিযান অব্যাহত রাখুন।");
    expect(directiveOf(archive, praise)).toBeDefined();

    const dc = person(archive, "কাজী মাহমুদুল হাসান");
    clock.advance(60_000);
    expect(markMessage(archive, clock.now, notice, true, person(archive, "তাসলিমা খাতুন"))).toMatchObject({ seq: rowsBefore + 1 });
    markMessage(archive, clock.now, praise, false, dc);
    expect(track()).toBe(1);

    const marked = directiveOf(archive, notice)!;
    expect(marked).toMatchObject({ marked: true, issuer: { name: "তাসলিমা খাতুন" } });
    // She issued it, so she is not among those expected to answer it.
    expect(names(marked.expected)).not.toContain("তাসলিমা খাতুন");
    expect(marked.expected.length).toBeGreaterThan(0);
    // The words were found all along; the correction is what made it a directive.
    expect(detectionOf(archive, notice)).toMatchObject({ directive: true, detected: true, marked: true });

    expect(directiveOf(archive, praise)).toBeUndefined();
    expect(directiveViews(archive, { pendingOnly: true }).map((directive) => directive.id)).not.toContain(praise);
    expect(detectionOf(archive, praise)).toMatchObject({ directive: false, detected: true, marked: false });

    // A correction is a new row in the hash chain, never an edit: the chain still verifies, two rows longer.
    expect(verifyChain(archive)).toMatchObject({ intact: true, rows: rowsBefore + 2 });
    const events = archive.all(archive.db.selectFrom("message_events").select(["message_id", "actor_name", "source"]).where("kind", "=", "mark").orderBy("seq"));
    expect(events).toEqual([
      { message_id: notice, actor_name: "তাসলিমা খাতুন", source: "cli" },
      { message_id: praise, actor_name: "কাজী মাহমুদুল হাসান", source: "cli" },
    ]);
  });

  it("lets the last correction decide, and moves an officer's thanks to the directive still owed", async () => {
    const { archive, clock, track } = await trackedOffice();
    // Tanvir asked the ADC a question about the form; her answer "চাল ও নগদ অর্থ উভয়ই আলাদা কলামে দিবেন।" was
    // taken as a directive, and his "জি ম্যাডাম, ধন্যবাদ।" as its acknowledgement.
    const answer = messageSaying(archive, "চাল ও নগদ অর্থ উভয়ই");
    const thanks = messageSaying(archive, "জি ম্যাডাম, ধন্যবাদ।");
    expect(answeredBy(archive, thanks)).toEqual([{ directive: answer, kind: "acknowledged" }]);

    const adc = person(archive, "ফারহানা আক্তার");
    clock.advance(60_000);
    markMessage(archive, clock.now, answer, false, adc);
    track();
    expect(directiveOf(archive, answer)).toBeUndefined();
    // The thanks now acknowledges the ADC's instruction before it, which he still owed.
    const form = messageSaying(archive, "প্রতিবেদনের ছক সংযুক্ত করা হলো।");
    expect(answeredBy(archive, thanks)).toEqual([{ directive: form, kind: "acknowledged" }]);
    expect(names(directiveOf(archive, form)!.acknowledged)).toEqual(["তানভীর আহমেদ"]);

    // She changes her mind: the later correction wins.
    clock.advance(60_000);
    markMessage(archive, clock.now, answer, true, adc);
    track();
    expect(directiveOf(archive, answer)).toMatchObject({ marked: true, acknowledged: [{ name: "তানভীর আহমেদ", how: "message", message: thanks }] });
    expect(verifyChain(archive).intact).toBe(true);
  });
});

describe("importing again", () => {
  it("changes nothing in pending when an older, overlapping export of the same chat is imported", async () => {
    const { archive, importFile, writeExport, track } = await trackedOffice();
    const before = directiveViews(archive, { pendingOnly: true });
    // The first day of the chat, exported from another officer's phone.
    const lines = SAMPLE.split("\n");
    const firstDay = lines.slice(0, lines.findIndex((line) => line.startsWith("23/10/2024"))).join("\n");
    const summary = await importFile(writeExport("first-day.txt", firstDay));
    expect(summary).toMatchObject({ messagesAdded: 0, eventsAdded: 0 });
    // The import's own record is a new row of the chat, so tracking runs again — and finds the same.
    expect(track()).toBe(1);
    expect(directiveViews(archive, { pendingOnly: true })).toEqual(before);
    expect(verifyChain(archive).intact).toBe(true);
  });

  it("takes an officer out of pending when a newer export shows her acknowledgement", async () => {
    const { archive, importFile, writeExport, track } = await trackedOffice();
    const lastWord = messageSaying(archive, "সবাইকে ধন্যবাদ। আগামী সপ্তাহ থেকে");
    expect(names(directiveOf(archive, lastWord)!.pending)).toContain("আরিফুর রহমান");

    const newer = writeExport("newer.txt", `${SAMPLE.trimEnd()}\n28/10/2024, 17:05 - আরিফুর রহমান: জি স্যার\n`);
    expect((await importFile(newer)).messagesAdded).toBe(1);
    expect(track()).toBe(1);
    const directive = directiveOf(archive, lastWord)!;
    expect(names(directive.pending)).not.toContain("আরিফুর রহমান");
    expect(directive.acknowledged).toContainEqual(expect.objectContaining({ name: "আরিফুর রহমান", at: dhaka(2024, 10, 28, 17, 5), how: "message" }));
  });

  it("tracks only the chat that changed", async () => {
    const { archive, importFile, writeExport, track } = await trackedOffice();
    await importFile(writeExport("upazila.txt", "22/10/2024, 10:00 - শাহানা পারভীন: সখীপুরের সকল ইউনিয়ন পরিষদ চেয়ারম্যানকে প্রতিবেদন পাঠাতে হবে।"), "উপজেলা প্রশাসন সখীপুর");
    const upazila = chatNamed(archive, "উপজেলা প্রশাসন সখীপুর");
    expect(staleChats(archive, { lexicons: LEXICONS, timeZone: ZONE })).toEqual([upazila.id]);
    expect(track()).toBe(1);
  });
});

describe("an office's own lexicon", () => {
  const DC_CHAT = ["22/10/2024, 10:00 - কাজী মাহমুদুল হাসান: সকল উপজেলায় হাটবাজারে বিষয়টি তদারকি প্রয়োজন।", "22/10/2024, 10:02 - শাহানা পারভীন: জি স্যার", "22/10/2024, 10:03 - তানভীর আহমেদ: আসসালামু আলাইকুম"].join("\n");

  function officeFolder(files: Record<string, string>): string {
    const folder = join(temporaryFolder(), "lexicons");
    mkdirSync(folder);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
    return folder;
  }

  it("adds the office's phrase, so the chat is stale and tracking it again finds the directive", async () => {
    const { archive, importFile, writeExport, loadRoster, track } = await setUp();
    loadRoster();
    await importFile(writeExport("dc.txt", DC_CHAT));
    track();
    // "তদারকি প্রয়োজন" is how this DC gives an order, but the project's words do not know it.
    const order = messageSaying(archive, "সকল উপজেলায় হাটবাজারে");
    expect(directiveOf(archive, order)).toBeUndefined();
    expect(detectionOf(archive, order)).toMatchObject({ directive: false, detected: false });

    const office = readLexicons(officeFolder({ "directive.json": JSON.stringify({ cues: { obligation: { phrases: ["তদারকি প্রয়োজন"] } } }) }));
    expect(office.fingerprint).not.toBe(LEXICONS.fingerprint);
    // Phrases are added: the project's own are all still there, with the project's weight.
    expect(office.directive.byName.get("obligation")!.weight).toBe(LEXICONS.directive.byName.get("obligation")!.weight);

    const chat = chatNamed(archive, GROUP);
    expect(staleChats(archive, { lexicons: office, timeZone: ZONE })).toEqual([chat.id]);
    expect(track(office)).toBe(1);
    expect(directiveOf(archive, order)).toMatchObject({
      issuer: { name: "কাজী মাহমুদুল হাসান" },
      acknowledged: [{ name: "শাহানা পারভীন", at: dhaka(2024, 10, 22, 10, 2) }],
      pending: [{ name: "তানভীর আহমেদ" }],
    });
    expect(detectionOf(archive, order)!.cues).toContain("obligation: তদারকি প্রয়োজন");
    // Going back to the project's words is a change too.
    expect(staleChats(archive, { lexicons: LEXICONS, timeZone: ZONE })).toEqual([chat.id]);
  });

  it("lets the office's weights win over the project's", () => {
    const office = readLexicons(officeFolder({ "directive.json": JSON.stringify({ threshold: 5, cues: { obligation: { weight: 1, phrases: [] } } }) }));
    expect(office.directive.byName.get("obligation")!.weight).toBe(1);
    expect(office.directive.threshold).toBe(5);
    // The project's phrases stay: "পাঠাতে হবে" is still an obligation, now of weight 1.
    const cues = findCues(office.directive, cueText("তথ্য পাঠাতে হবে"));
    expect(cues.map((cue) => [cue.group.name, cue.group.weight, cue.text])).toContainEqual(["obligation", 1, "পাঠাতে হবে"]);
  });

  it("changes nothing when the office's folder has no lexicon files", () => {
    expect(readLexicons(officeFolder({ "notes.txt": "আমাদের অফিসের শব্দ" })).fingerprint).toBe(LEXICONS.fingerprint);
  });

  it.each([
    ["a directive.json that is not JSON", { "directive.json": '{ "cues": { "obligation": ' }, "directive.json"],
    ["phrases written as one string", { "directive.json": JSON.stringify({ cues: { obligation: { phrases: "তদারকি প্রয়োজন" } } }) }, "directive.json"],
    ["a weight that is a word", { "acknowledgement.json": JSON.stringify({ cues: { yes: { weight: "বেশি", phrases: ["জি"] } } }) }, "acknowledgement.json"],
    ["an unknown place for a phrase", { "directive.json": JSON.stringify({ cues: { heading: { where: "footer", phrases: ["নোটিশ"] } } }) }, "directive.json"],
  ])("refuses %s with one clear UserError that names the file", (_story, files, file) => {
    const folder = officeFolder(files);
    let error: unknown;
    try {
      readLexicons(folder);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    const message = (error as UserError).message;
    expect(message).toContain(join(folder, file));
    expect(message.split("\n")).toHaveLength(1);
  });
});

describe("an archive written before directives were tracked", () => {
  it("can still be verified where it lies, while the commands that read directives ask for it to be upgraded", async () => {
    const { archive, media, path } = await testArchive();
    await importChatExport(archive, media, "data/sample-chat.txt", { timeZone: ZONE, chatName: GROUP }, fakeClock().now, memoryLogger().log);
    // What the previous version left: no directive tables, no record of their migration.
    archive.sqlite.exec(`DROP TABLE tracking; DROP TABLE directive_people; DROP TABLE directives;
      DELETE FROM kysely_migration WHERE name = '2026-11-23T0300-directives'`);
    archive.close();
    const evidence = await openArchive(path, "verify");
    expect(verifyChain(evidence)).toMatchObject({ intact: true });
    evidence.close();
    await expect(openArchive(path, "read")).rejects.toThrow(UserError);
  });
});
