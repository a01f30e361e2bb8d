import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { LiveChat, LivePerson } from "../../src/domain/live-event.js";
import { DC, liveOffice, NEZARAT, OFFICE, OTHER_GROUP, SAKHIPUR } from "../bot/live-office.js";
import { nirdesh } from "../export/record-keeper.js";
import { temporaryFolder, testArchive } from "../support.js";

const ROOT = join(import.meta.dirname, "../..");
const STRANGER: LivePerson = { whatsappId: "8801911000099@c.us", phone: "+8801911000099", name: "অচেনা নম্বর" };
const direct = (person: LivePerson): LiveChat => ({ whatsappId: person.whatsappId, name: person.name, isGroup: false });
const mode = (path: string) => statSync(path).mode & 0o777;

/** How many rows each table of the archive holds. */
function rowCounts(archive: Awaited<ReturnType<typeof testArchive>>["archive"]) {
  const count = (table: "messages" | "message_events" | "chats" | "people" | "person_names") =>
    archive.get(archive.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")))!.n;
  return { messages: count("messages"), events: count("message_events"), chats: count("chats"), people: count("people"), names: count("person_names") };
}

describe("only the groups on NIRDESH_GROUPS are archived", () => {
  it("a stranger's messages, reactions and edits in an unwatched group, and chat in a direct message, leave no message, chat or person", async () => {
    const store = await testArchive();
    const office = await liveOffice({ archive: store });
    await office.settle();
    const before = rowCounts(store.archive);
    const gossip = office.message(STRANGER, "পারিবারিক গল্প, 01911000099 নম্বরে ফোন দিও", { chat: OTHER_GROUP });
    office.transport.deliver(gossip);
    office.transport.deliver(office.message(SAKHIPUR, "খেলা দেখবেন?", { chat: OTHER_GROUP }));
    office.transport.deliver({ kind: "reaction", chat: OTHER_GROUP, messageId: gossip.id, sender: SAKHIPUR, at: office.now(), emoji: "😂" });
    office.transport.deliver({ kind: "edit", chat: OTHER_GROUP, messageId: gossip.id, sender: STRANGER, at: office.now(), body: "সংশোধিত গল্প" } as never);
    office.transport.deliver(office.message(STRANGER, "স্যার, একটু কথা ছিল", { chat: direct(STRANGER) }));
    await office.settle();
    await office.stop();

    expect(rowCounts(store.archive)).toEqual(before);
    const names = store.archive.all(store.archive.db.selectFrom("person_names").select("name")).map((row) => row.name);
    expect(names).not.toContain(STRANGER.name);
    const phones = store.archive.all(store.archive.db.selectFrom("people").select("phone")).map((row) => row.phone);
    expect(phones).not.toContain(STRANGER.phone);
  });
});

describe("in-chat search and export are for roster record keepers, by direct message", () => {
  const SECRET = "গোপনীয় ত্রাণ বরাদ্দ তালিকা";
  // Who asks, where: a superior and an officer by direct message, a number the roster does not know, and
  // in the group itself the DC (superior and admin) and even the record keeper (a group would see the answer).
  const ASKERS: Array<[string, LivePerson, "direct" | "group"]> = [
    ["the DC by direct message", DC, "direct"],
    ["an officer by direct message", SAKHIPUR, "direct"],
    ["an unknown number by direct message", STRANGER, "direct"],
    ["the DC in the group", DC, "group"],
    ["the record keeper in the group", NEZARAT, "group"],
  ];

  it("everyone else is refused with no data, and each refusal is in `nirdesh audit`", async () => {
    const store = await testArchive();
    const office = await liveOffice({ archive: store });
    office.transport.deliver(office.message(DC, SECRET));
    await office.settle();
    const archived = rowCounts(store.archive).messages;
    for (const [, person, where] of ASKERS) {
      for (const body of ["!খুঁজুন ত্রাণ", "!export ত্রাণ"]) {
        office.transport.deliver(office.message(person, body, where === "direct" ? { chat: direct(person) } : {}));
      }
    }
    // The one who may: the record keeper, by direct message.
    office.transport.deliver(office.message(NEZARAT, "!খুঁজুন ত্রাণ", { chat: direct(NEZARAT) }));
    await office.settle();
    await vi.advanceTimersByTimeAsync(5_000);
    await office.settle();
    await office.stop();

    const replies = office.transport.sent;
    const answered = replies.filter((reply) => reply.text.includes("ত্রাণ বরাদ্দ") || reply.document);
    expect(answered.map((reply) => reply.chatId)).toEqual([NEZARAT.whatsappId]);
    // Nobody refused got a word of the archive; in the group, nobody got anything at all.
    expect(replies.filter((reply) => reply.chatId === OFFICE.whatsappId)).toEqual([]);
    expect(replies.filter((reply) => reply.chatId === STRANGER.whatsappId)).toEqual([]);
    // The commands typed in the group are messages of the group (archived); direct ones are not.
    expect(rowCounts(store.archive).messages).toBe(archived + 4);

    const audit = await nirdesh(["audit", "--json"], { NIRDESH_DB: store.path });
    expect(audit.code, audit.stderr).toBe(0);
    const entries = (JSON.parse(audit.stdout) as Array<{ via: string; by: string | null; phone: string | null; action: string; allowed: boolean; rows: number }>).filter((entry) => entry.via === "whatsapp");
    const refused = entries.filter((entry) => !entry.allowed);
    expect(refused).toHaveLength(ASKERS.length * 2);
    for (const entry of refused) {
      expect(["search", "export"]).toContain(entry.action);
      expect(entry.rows).toBe(0);
    }
    expect(refused.map((entry) => entry.by).sort()).toEqual(ASKERS.flatMap(([, person]) => [person.name, person.name]).sort());
    // The record keeper finds the directive and the four commands typed in the group, which are its messages.
    expect(entries.filter((entry) => entry.allowed)).toMatchObject([{ action: "search", by: NEZARAT.name, rows: 5 }]);
  });
});

describe("what Nirdesh creates is its user's alone, even under a permissive umask", () => {
  /** Runs `nirdesh` in a shell whose umask lets everyone read what it creates (022, Debian's default). */
  function underUmask022(args: string[], env: Record<string, string>) {
    const command = ["umask 022", `exec "${process.execPath}" bin/nirdesh.js ${args.map((arg) => `'${arg}'`).join(" ")}`].join("; ");
    return spawnSync("sh", ["-c", command], { cwd: ROOT, encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
  }

  it("the archive, its folder and the media folder, its folders and files", () => {
    const folder = temporaryFolder();
    const db = join(folder, "office", "nirdesh.db");
    const imported = underUmask022(["import", "test/fixtures/ios-chat.txt", "--chat", "ডিসি অফিস"], { NIRDESH_DB: db });
    expect(imported.status, imported.stderr).toBe(0);
    // The same shell gives an ordinary file 0644: the umask really was permissive.
    expect(spawnSync("sh", ["-c", `umask 022; touch '${join(folder, "probe")}'`]).status).toBe(0);
    expect(mode(join(folder, "probe"))).toBe(0o644);

    expect(mode(join(folder, "office"))).toBe(0o700);
    for (const file of readdirSync(join(folder, "office")).filter((name) => name.startsWith("nirdesh.db"))) expect(mode(join(folder, "office", file)), file).toBe(0o600);
    const media = join(folder, "office", "media");
    expect(mode(media)).toBe(0o700);
    const entries = readdirSync(media, { recursive: true, withFileTypes: true });
    expect(entries.filter((entry) => entry.isFile()).length).toBeGreaterThan(0);
    for (const entry of entries) expect(mode(join(entry.parentPath, entry.name)), entry.name).toBe(entry.isDirectory() ? 0o700 : 0o600);
  });

  it("the WhatsApp session folder, made before the browser starts", () => {
    const folder = temporaryFolder();
    // A "browser" that fails at once: the session folder is made first, whatever happens next.
    const browser = join(folder, "chromium");
    writeFileSync(browser, "#!/bin/sh\nexit 1\n");
    chmodSync(browser, 0o755);
    const session = join(folder, "state", "session");
    const result = underUmask022(["groups"], { NIRDESH_DB: join(folder, "nirdesh.db"), NIRDESH_SESSION_DIR: session, CHROMIUM_PATH: browser });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(session)).toBe(true);
    expect(mode(session)).toBe(0o700);
    expect(mode(join(folder, "state"))).toBe(0o700);
  });
});
