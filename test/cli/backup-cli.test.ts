import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { importChatExport } from "../../src/chat-export/import-chat-export.js";
import type { LiveChat } from "../../src/domain/live-event.js";
import { archiveLiveEvent } from "../../src/store/archive-live-event.js";
import { openMediaStore } from "../../src/store/media-store.js";
import { type Archive, openArchive } from "../../src/store/open-archive.js";
import { nirdesh } from "../export/record-keeper.js";
import { expectOneClearLine, liveMessage, memoryLogger, runNirdesh, temporaryFolder } from "../support.js";

const KEY = "নেজারত-শাখা 2024 passphrase";
/**
 * A raw 256-bit key, as SQLCipher takes it: no key derivation, which costs half a second for each
 * opening with a passphrase (SQLCipher 4's 256,000 rounds), so the longer stories stay fast.
 */
const RAW_KEY = `x'${"5e".repeat(32)}'`;
const EN = { NIRDESH_LANG: "en", NIRDESH_LOG_LEVEL: "error" };
const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");
/** A directive of the sample chat, word for word. */
const SAMPLE_WORDS = "সকল ইউএনওকে আগামীকাল বিকাল ৩টার মধ্যে";

const OFFICE: LiveChat = { whatsappId: "120363000000000001@g.us", name: "DC Office Tangail", isGroup: true };
const DC = { whatsappId: "8801711000001@c.us", phone: "+8801711000001", name: "Kazi Mahmudul Hasan" };
let sent = 0;

/** The DC says `body` in the office group, archived as the live bot archives it. */
function say(archive: Archive, body: string): void {
  const at = Date.UTC(2026, 10, 22, 4, 0) + ++sent * 1_000;
  archiveLiveEvent(archive, liveMessage(OFFICE, DC, sent, at, body), () => at);
}

/** The sample chat imported, in process, into a new archive (encrypted with `key` when given). */
async function sampleArchive(key?: string) {
  const folder = temporaryFolder();
  const db = join(folder, "nirdesh.db");
  const archive = await openArchive(db, "write", { key });
  await importChatExport(archive, openMediaStore(join(folder, "media")), "data/sample-chat.txt", { timeZone: "Asia/Dhaka", chatName: "DC Office Tangail" }, Date.now, memoryLogger().log);
  return { folder, db, archive };
}

const messagesIn = async (db: string, key?: string) => {
  const archive = await openArchive(db, "read", { key });
  try {
    return archive.get(sql<{ n: number }>`SELECT count(*) AS n FROM messages`)!.n;
  } finally {
    archive.close();
  }
};

describe("an encrypted archive (NIRDESH_DB_KEY)", () => {
  it("holds no SQLite header and no message's words, in the file or its WAL; a plain one does", async () => {
    const words = "Relief goods inspection at Sakhipur shelter";
    for (const key of [KEY, undefined]) {
      const { db, archive } = await sampleArchive(key);
      // Written while the archive is open: the words are in the WAL, not yet in the file.
      say(archive, words);
      const file = readFileSync(db);
      const wal = readFileSync(`${db}-wal`);
      expect(wal.length).toBeGreaterThan(0);
      const both = Buffer.concat([file, wal]);
      const found = [words, SAMPLE_WORDS, DC.phone].filter((text) => both.includes(Buffer.from(text)));
      expect(file.subarray(0, 16).equals(SQLITE_HEADER)).toBe(key === undefined);
      expect(found).toEqual(key === undefined ? [words, SAMPLE_WORDS, DC.phone] : []);
      archive.close();
    }
  });

  it("opens with its key for import, search, verify and backup, and gives one clear line without it or with a wrong one", async () => {
    const folder = temporaryFolder();
    const db = join(folder, "nirdesh.db");
    const withKey = { ...EN, NIRDESH_DB: db, NIRDESH_DB_KEY: RAW_KEY };
    const imported = await nirdesh(["import", "data/sample-chat.txt", "--chat", "DC Office Tangail"], withKey);
    expect(imported.code, imported.stderr).toBe(0);
    // Through the real command line: the key is missing, or is not this archive's.
    const spawned = Promise.all([runNirdesh(["search", "ইউএনওকে", "--db", db], EN), runNirdesh(["verify", "--db", db], { ...EN, NIRDESH_DB_KEY: "not the office's key" })]);
    const search = await nirdesh(["search", "ইউএনওকে", "--json"], withKey);
    expect(search.code, search.stderr).toBe(0);
    expect((JSON.parse(search.stdout) as Array<{ body: string }>).some((message) => message.body.startsWith(SAMPLE_WORDS))).toBe(true);
    const verify = await nirdesh(["verify"], withKey);
    expect(verify.stdout).toMatch(/Archive intact/);
    expect(verify.code).toBe(0);

    // Its backup is encrypted with the same key, and is not restored without it.
    const backup = join(folder, "backup");
    const written = await nirdesh(["backup", backup], withKey);
    expect(written.code, written.stderr).toBe(0);
    expect(readFileSync(join(backup, "nirdesh.db")).subarray(0, 16).equals(SQLITE_HEADER)).toBe(false);
    const office = temporaryFolder();
    expectOneClearLine(await nirdesh(["restore", backup, "--db", join(office, "a", "nirdesh.db")], EN), /encrypted; set NIRDESH_DB_KEY/);
    expect(existsSync(join(office, "a"))).toBe(false);
    const restored = await nirdesh(["restore", backup, "--json", "--db", join(office, "b", "nirdesh.db")], withKey);
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ restored: true, messages: 96 });

    const plain = join(folder, "plain.db");
    (await openArchive(plain)).close();
    const keyForPlain = await nirdesh(["search"], { ...withKey, NIRDESH_DB: plain });
    const [noKey, wrongKey] = await spawned;
    expectOneClearLine(noKey, /the archive is encrypted; set NIRDESH_DB_KEY/);
    expectOneClearLine(wrongKey, /does not open this archive \(a wrong key\)/);
    expectOneClearLine(keyForPlain, /not encrypted, but NIRDESH_DB_KEY is set/);
    for (const result of [noKey, wrongKey, keyForPlain]) expect(result.stderr).not.toContain("5e5e");
  });
});

describe("the restore drill", () => {
  it("backs up while the bot writes, refuses a tampered copy, and restores the good one whole", async () => {
    const { folder, db, archive } = await sampleArchive();
    say(archive, "Submit the relief list by Thursday, 5 pm");
    // The bot goes on archiving while the backup runs in another process.
    let writing = true;
    let during = 0;
    const writer = (async () => {
      while (writing) {
        say(archive, `Flood update number ${++during}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const backup = join(folder, "backup");
    const written = await runNirdesh(["backup", backup, "--json", "--db", db], EN);
    writing = false;
    await writer;
    expect(written.code, written.stderr).toBe(0);
    const report = JSON.parse(written.stdout) as { messages: number; rows: number; head: string };
    const archived = archive.get(sql<{ n: number }>`SELECT count(*) AS n FROM messages`)!.n;
    expect(during).toBeGreaterThan(0);
    expect(report.messages).toBeGreaterThanOrEqual(97);
    expect(report.messages).toBeLessThanOrEqual(archived);
    archive.close();

    // One byte of one stored body changed in a copy of the backup.
    const tampered = join(folder, "tampered");
    cpSync(backup, tampered, { recursive: true });
    const bytes = readFileSync(join(tampered, "nirdesh.db"));
    const at = bytes.indexOf(Buffer.from("relief list"));
    expect(at).toBeGreaterThan(0);
    bytes[at] = "R".charCodeAt(0);
    writeFileSync(join(tampered, "nirdesh.db"), bytes);

    const office = temporaryFolder();
    const restoredDb = join(office, "data", "nirdesh.db");
    const refused = await nirdesh(["restore", tampered, "--db", restoredDb], EN);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stdout).toMatch(/Backup not restored: its hash chain does not verify: chain row \d+ \(message 97\) — /);
    expect(existsSync(restoredDb)).toBe(false);

    const restored = await nirdesh(["restore", backup, "--json", "--db", restoredDb], EN);
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ restored: true, messages: report.messages, rows: report.rows, head: report.head });
    const verify = await nirdesh(["verify", "--db", restoredDb], EN);
    const search = await nirdesh(["search", "relief list", "--json", "--db", restoredDb], EN);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toContain(`the hash chain of ${report.rows.toLocaleString("en-US")} rows holds`);
    expect((JSON.parse(search.stdout) as Array<{ body: string }>).map((message) => message.body)).toEqual(["Submit the relief list by Thursday, 5 pm"]);
    expect(await messagesIn(restoredDb)).toBe(report.messages);
  });
});

describe("bad input to backup and restore", () => {
  it("is one clear line and exit 2, and changes nothing", async () => {
    const { folder, db, archive } = await sampleArchive();
    const backup = join(folder, "backup");
    await nirdesh(["backup", backup, "--db", db], EN);
    const truncated = join(folder, "truncated");
    cpSync(backup, truncated, { recursive: true });
    truncateSync(join(truncated, "nirdesh.db"), 8 * 4096);
    writeFileSync(join(folder, "notes.txt"), "not an archive at all\n");
    const office = temporaryFolder();
    mkdirSync(join(office, "papers"));
    writeFileSync(join(office, "papers", "letter.txt"), "the office's own file");
    const elsewhere = join(office, "nirdesh.db");
    const noPath = await nirdesh(["backup", "--db", db], EN);
    const underAFile = await nirdesh(["backup", join(folder, "notes.txt", "backup"), "--db", db], EN);
    const noBackup = await nirdesh(["restore", "--db", elsewhere], EN);
    const exists = await nirdesh(["backup", backup, "--db", db], EN);
    const foreign = await nirdesh(["backup", join(office, "papers"), "--force", "--db", db], EN);
    const notDb = await nirdesh(["restore", join(folder, "notes.txt"), "--db", elsewhere], EN);
    const cut = await nirdesh(["restore", truncated, "--db", elsewhere], EN);
    const missing = await nirdesh(["restore", join(folder, "nowhere"), "--db", elsewhere], EN);
    // The archive is open here, as the running bot holds it.
    const inUse = await nirdesh(["restore", backup, "--force", "--db", db], EN);
    expectOneClearLine(noPath, /give PATH/);
    expectOneClearLine(underAFile, /cannot write here \((EEXIST|ENOTDIR)\)/);
    expectOneClearLine(noBackup, /give BACKUP/);
    expectOneClearLine(exists, /already exists; give another path, or --force/);
    expectOneClearLine(foreign, /not a Nirdesh backup, so it is not replaced/);
    expectOneClearLine(notDb, /not a Nirdesh archive/);
    expectOneClearLine(cut, /not a Nirdesh archive, or the file is damaged/);
    expectOneClearLine(missing, /no Nirdesh backup here/);
    expectOneClearLine(inUse, /in use \(is the bot running\?\); stop the bot/);
    expect(readdirSync(office).sort()).toEqual(["papers"]);
    expect(readFileSync(join(office, "papers", "letter.txt"), "utf8")).toBe("the office's own file");
    expect(archive.get(sql<{ n: number }>`SELECT count(*) AS n FROM messages`)!.n).toBe(96);

    const targetExists = await nirdesh(["restore", backup, "--db", db], EN);
    const bangla = await nirdesh(["restore", backup, "--db", db], {});
    expectOneClearLine(targetExists, /an archive is already here; --force sets it aside/);
    expectOneClearLine(bangla, /আগে থেকেই একটি আর্কাইভ আছে/);
    archive.close();
  });
});
