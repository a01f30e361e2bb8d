import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import Database from "better-sqlite3-multiple-ciphers";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { scheduleDailyBackup } from "../../src/app.js";
import { readConfig } from "../../src/config.js";
import type { LiveChat } from "../../src/domain/live-event.js";
import { backUpToday } from "../../src/scheduler/back-up-today.js";
import { archiveLiveEvent, recordLiveMedia } from "../../src/store/archive-live-event.js";
import { backUpArchive } from "../../src/store/back-up-archive.js";
import { openMediaStore } from "../../src/store/media-store.js";
import { type Archive, openArchive } from "../../src/store/open-archive.js";
import { restoreArchive } from "../../src/store/restore-archive.js";
import { verifyChain } from "../../src/store/verify-chain.js";
import { dhaka, fakeClock, liveMessage, liveMessageId, memoryLogger, temporaryFolder, testArchive } from "../support.js";

const OFFICE: LiveChat = { whatsappId: "120363000000000001@g.us", name: "ডিসি অফিস টাঙ্গাইল", isGroup: true };
const DC = { whatsappId: "8801711000001@c.us", phone: "+8801711000001", name: "কাজী মাহমুদুল হাসান" };

/** The DC says `body` in the office group, archived as the live bot archives it. */
function say(archive: Archive, n: number, body: string, at = dhaka(2026, 11, 22, 10, 0) + n * 60_000): void {
  archiveLiveEvent(archive, liveMessage(OFFICE, DC, n, at, body), () => at);
}

const count = (archive: Archive) => archive.get(sql<{ n: number }>`SELECT count(*) AS n FROM messages`)!.n;
const modeOf = (path: string) => statSync(path).mode & 0o777;

async function officeArchive(messages = 5) {
  const setup = await testArchive();
  for (let n = 1; n <= messages; n++) say(setup.archive, n, `সকল ইউএনও ${n} নম্বর প্রতিবেদন আজই পাঠাবেন।`);
  return setup;
}

describe("nirdesh backup, in the store", () => {
  it("writes a verified copy with the media it names, readable by its owner only", async () => {
    const { archive, media, folder } = await officeArchive();
    const photo = await media.put(Readable.from([Buffer.from("a photo of the flood shelter")]));
    recordLiveMedia(archive, OFFICE, liveMessageId(OFFICE, DC, 1), { stored: { ...photo, mimetype: "image/jpeg", fileName: null } }, Date.now);
    const target = join(folder, "backups", "monday");
    const result = await backUpArchive(archive, media, target, { now: fakeClock().now });
    expect(result).toMatchObject({ intact: true, messages: 5, media: 1, mediaMissing: 0, encrypted: false });
    expect(readdirSync(target).sort()).toEqual(["backup.json", "media", "nirdesh.db"]);
    expect(modeOf(target)).toBe(0o700);
    expect(modeOf(join(target, "nirdesh.db"))).toBe(0o600);
    expect(modeOf(openMediaStore(join(target, "media")).pathOf(photo.sha256))).toBe(0o600);
    expect(JSON.parse(readFileSync(join(target, "backup.json"), "utf8"))).toMatchObject({ format: "nirdesh-backup", messages: 5, media: 1 });
    // Nothing is left under a temporary name.
    expect(readdirSync(join(folder, "backups"))).toEqual(["monday"]);
  });

  it("refuses a folder that is there unless --force, and never replaces what is not a backup", async () => {
    const { archive, media, folder } = await officeArchive(2);
    const target = join(folder, "backup");
    await backUpArchive(archive, media, target, { now: Date.now });
    await expect(backUpArchive(archive, media, target, { now: Date.now })).rejects.toThrow(/already exists/);
    say(archive, 3, "নতুন নির্দেশনা");
    expect(await backUpArchive(archive, media, target, { force: true, now: Date.now })).toMatchObject({ intact: true, messages: 3 });

    const papers = join(folder, "papers");
    mkdirSync(papers);
    writeFileSync(join(papers, "letter.docx"), "the office's own file");
    await expect(backUpArchive(archive, media, papers, { force: true, now: Date.now })).rejects.toThrow(/not a Nirdesh backup/);
    expect(readFileSync(join(papers, "letter.docx"), "utf8")).toBe("the office's own file");
  });
});

describe("nirdesh restore, in the store", () => {
  it("puts the backup and its media back, and sets aside the archive that was there", async () => {
    const { archive, media, folder } = await officeArchive();
    const photo = await media.put(Readable.from([Buffer.from("a photo of the flood shelter")]));
    recordLiveMedia(archive, OFFICE, liveMessageId(OFFICE, DC, 2), { stored: { ...photo, mimetype: "image/jpeg", fileName: null } }, Date.now);
    await backUpArchive(archive, media, join(folder, "backup"), { now: Date.now });

    const office = temporaryFolder();
    const to = { db: join(office, "data", "nirdesh.db"), mediaDir: join(office, "data", "media") };
    const first = await restoreArchive(join(folder, "backup"), to, { now: Date.now });
    expect(first).toMatchObject({ restored: true, messages: 5, media: 1, keptAside: null });
    expect(modeOf(to.db)).toBe(0o600);
    expect(readFileSync(openMediaStore(to.mediaDir).pathOf(photo.sha256), "utf8")).toBe("a photo of the flood shelter");

    await expect(restoreArchive(join(folder, "backup"), to, { now: Date.now })).rejects.toThrow(/already here/);
    const clock = fakeClock(Date.UTC(2026, 10, 23, 3, 15, 0));
    const second = await restoreArchive(join(folder, "backup"), to, { force: true, now: clock.now });
    expect(second).toMatchObject({ restored: true, keptAside: `${to.db}.replaced-20261123T031500Z` });
    expect(readdirSync(join(office, "data")).sort()).toEqual(["media", "nirdesh.db", "nirdesh.db.replaced-20261123T031500Z"]);
    const restored = await openArchive(to.db, "read");
    expect(verifyChain(restored)).toMatchObject({ intact: true });
    expect(count(restored)).toBe(5);
    restored.close();
  });

  it("encrypts an archive that was plain, as docs/backups.md says: rekey a backup, restore it with the key", async () => {
    const { archive, media, folder } = await officeArchive(3);
    await backUpArchive(archive, media, join(folder, "plain-copy"), { now: Date.now });
    archive.close();
    const key = `x'${"a7".repeat(32)}'`;
    const copy = new Database(join(folder, "plain-copy", "nirdesh.db"));
    copy.pragma("cipher = 'sqlcipher'");
    copy.pragma("legacy = 4");
    copy.rekey(Buffer.from(key));
    copy.close();
    const restored = await restoreArchive(join(folder, "plain-copy"), { db: join(folder, "nirdesh.db"), mediaDir: join(folder, "media") }, { force: true, key, now: Date.now });
    expect(restored).toMatchObject({ restored: true, messages: 3, keptAside: expect.stringContaining("nirdesh.db.replaced-") });
    expect(readFileSync(join(folder, "nirdesh.db")).subarray(0, 6).toString()).not.toBe("SQLite");
    const encrypted = await openArchive(join(folder, "nirdesh.db"), "read", { key });
    expect(verifyChain(encrypted)).toMatchObject({ intact: true });
    encrypted.close();
    await expect(openArchive(join(folder, "nirdesh.db"), "read")).rejects.toThrow(/encrypted; set NIRDESH_DB_KEY/);
  });

  it("refuses while another connection (the running bot's) has the archive open", async () => {
    const { archive, media, folder } = await officeArchive(2);
    await backUpArchive(archive, media, join(folder, "backup"), { now: Date.now });
    // The archive itself is open (testArchive holds it), as the running bot would.
    await expect(restoreArchive(join(folder, "backup"), { db: join(folder, "nirdesh.db"), mediaDir: join(folder, "media") }, { force: true, now: Date.now })).rejects.toThrow(
      /in use/,
    );
    expect(count(archive)).toBe(2);
  });

  it("refuses a backup whose media file was changed, before touching anything", async () => {
    const { archive, media, folder } = await officeArchive(2);
    const photo = await media.put(Readable.from([Buffer.from("the signed order")]));
    recordLiveMedia(archive, OFFICE, liveMessageId(OFFICE, DC, 1), { stored: { ...photo, mimetype: "image/jpeg", fileName: null } }, Date.now);
    await backUpArchive(archive, media, join(folder, "backup"), { now: Date.now });
    writeFileSync(openMediaStore(join(folder, "backup", "media")).pathOf(photo.sha256), "a forged order");

    const office = temporaryFolder();
    const result = await restoreArchive(join(folder, "backup"), { db: join(office, "nirdesh.db"), mediaDir: join(office, "media") }, { now: Date.now });
    expect(result).toMatchObject({ restored: false, damagedMedia: expect.stringContaining(photo.sha256) });
    expect(readdirSync(office)).toEqual([]);
  });
});

describe("the bot's daily backup", () => {
  it("writes one dated backup a day and keeps only the newest, leaving every other file alone", async () => {
    const { archive, media, folder } = await officeArchive(2);
    const backups = join(folder, "backups");
    mkdirSync(join(backups, "nirdesh-backup-old-copy"), { recursive: true });
    mkdirSync(join(backups, "nirdesh-backup-2020-01-01"));
    writeFileSync(join(backups, "nirdesh-backup-2020-01-01", "notes.txt"), "not ours: no nirdesh.db");
    writeFileSync(join(backups, "README.txt"), "the record keeper's notes");
    const clock = fakeClock(dhaka(2026, 11, 20, 2, 0));
    const { log, lines } = memoryLogger();
    for (let day = 0; day < 5; day++) {
      say(archive, 10 + day, `দিন ${day}: বন্যা পরিস্থিতির প্রতিবেদন`);
      expect(await backUpToday({ archive, media, log, now: clock.now }, { folder: backups, keep: 3, timeZone: "Asia/Dhaka", key: undefined })).toMatchObject({ intact: true });
      clock.advance(24 * 60 * 60_000);
    }
    expect(readdirSync(backups).sort()).toEqual([
      "README.txt",
      "nirdesh-backup-2020-01-01",
      "nirdesh-backup-2026-11-22",
      "nirdesh-backup-2026-11-23",
      "nirdesh-backup-2026-11-24",
      "nirdesh-backup-old-copy",
    ]);
    expect(JSON.parse(readFileSync(join(backups, "nirdesh-backup-2026-11-24", "backup.json"), "utf8"))).toMatchObject({ messages: 7 });
    expect(lines().filter((line) => line.includes("daily backup written"))).toHaveLength(5);
    expect(lines().join("\n")).not.toMatch(/প্রতিবেদন|8801711000001/);
  });

  it("logs a failure without a message's words and keeps the older backups", async () => {
    const { archive, media, folder } = await officeArchive(1);
    const backups = join(folder, "backups");
    const clock = fakeClock(dhaka(2026, 11, 20, 2, 0));
    const { log, lines } = memoryLogger();
    await backUpToday({ archive, media, log, now: clock.now }, { folder: backups, keep: 1, timeZone: "Asia/Dhaka", key: undefined });
    // The next day's name is taken by a file: that day's backup cannot be written.
    writeFileSync(join(backups, "nirdesh-backup-2026-11-21"), "in the way");
    clock.advance(24 * 60 * 60_000);
    expect(await backUpToday({ archive, media, log, now: clock.now }, { folder: backups, keep: 1, timeZone: "Asia/Dhaka", key: undefined })).toBeNull();
    const warning = lines().map((line) => JSON.parse(line) as { level: number; msg: string }).find((line) => line.level === 40);
    expect(warning?.msg).toMatch(/daily backup failed/);
    expect(lines().join("\n")).not.toMatch(/প্রতিবেদন/);
    expect(existsSync(join(backups, "nirdesh-backup-2026-11-20", "nirdesh.db"))).toBe(true);
  });

  it("is scheduled by the running bot only when a backup folder is set", async () => {
    const { archive, media, folder } = await officeArchive(1);
    const parts = { archive, media, log: memoryLogger().log, now: Date.now };
    expect(scheduleDailyBackup(readConfig({}), parts)).toBeNull();
    const scheduled = scheduleDailyBackup(readConfig({ NIRDESH_BACKUP_DIR: join(folder, "backups") }), parts);
    expect(scheduled).not.toBeNull();
    scheduled!.stop();
  });

  it("reads its settings from the environment, Bangla digits too, and never shows the key", () => {
    const config = readConfig({ NIRDESH_BACKUP_DIR: "/srv/backups", NIRDESH_BACKUP_AT: "০৩:৩০", NIRDESH_DB_KEY: "a long passphrase" });
    expect(config).toMatchObject({ backupDir: "/srv/backups", backupAt: { hour: 3, minute: 30 }, backupKeep: 14, dbKey: "a long passphrase" });
    expect(readConfig({})).toMatchObject({ backupDir: undefined, backupAt: { hour: 2, minute: 0 }, dbKey: undefined });
    expect(JSON.stringify(config)).not.toContain("passphrase");
    const bad = () => readConfig({ NIRDESH_BACKUP_AT: "25:00", NIRDESH_BACKUP_KEEP: "0", NIRDESH_DB_KEY: "short" });
    for (const variable of [/NIRDESH_BACKUP_AT: a time of day/, /NIRDESH_BACKUP_KEEP/, /NIRDESH_DB_KEY: at least 8/]) expect(bad).toThrow(variable);
    expect(bad).not.toThrow(/short/);
  });
});

