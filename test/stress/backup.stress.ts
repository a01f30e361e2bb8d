import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { importChatExport } from "../../src/chat-export/import-chat-export.js";
import { openMediaStore } from "../../src/store/media-store.js";
import { openArchive } from "../../src/store/open-archive.js";
import { memoryLogger, runNirdesh, temporaryFolder } from "../support.js";

const ROOT = join(import.meta.dirname, "..", "..");
const MESSAGES = 30_000;

/** A year of an office group's talk, as WhatsApp exports it. */
function exportText(count: number): string {
  const lines: string[] = [];
  const start = Date.UTC(2024, 0, 1, 3, 0);
  for (let i = 0; i < count; i++) {
    const at = new Date(start + i * 17 * 60_000);
    const date = `${String(at.getUTCDate()).padStart(2, "0")}/${String(at.getUTCMonth() + 1).padStart(2, "0")}/${at.getUTCFullYear()}`;
    const time = `${String(at.getUTCHours()).padStart(2, "0")}:${String(at.getUTCMinutes()).padStart(2, "0")}`;
    lines.push(i % 7 === 0 ? `${date}, ${time} - কাজী মাহমুদুল হাসান: সকল ইউএনও ${i} নম্বর প্রতিবেদন আগামীকালের মধ্যে পাঠাবেন।` : `${date}, ${time} - শাহানা পারভীন: জি স্যার, ${i}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The bot in its own process: one live message every few milliseconds, each its own transaction, until killed. */
const WRITER = `
const { openArchive } = await import(process.argv[1] + "/dist/store/open-archive.js");
const { archiveLiveEvent } = await import(process.argv[1] + "/dist/store/archive-live-event.js");
const archive = await openArchive(process.argv[2], "write", { key: process.env.NIRDESH_DB_KEY });
const chat = { whatsappId: "120363000000000001@g.us", name: "live", isGroup: true };
const sender = { whatsappId: "8801711000001@c.us", phone: "+8801711000001", name: "DC" };
let n = 0;
process.on("SIGTERM", () => { archive.close(); process.stdout.write(String(n)); process.exit(0); });
process.stdout.write("ready\\n");
for (;;) {
  const at = Date.UTC(2026, 0, 2) + ++n * 1000;
  archiveLiveEvent(archive, { kind: "message", chat, id: "false_" + chat.whatsappId + "_" + n + "_x", sender, fromMe: false, at, body: "flood update " + n, type: "text", quotedId: null, mentions: [], forwarded: false, edited: null, media: null }, () => at);
  await new Promise((resolve) => setTimeout(resolve, 2));
}
`;

async function drill(key: string | undefined) {
  const folder = temporaryFolder();
  const db = join(folder, "nirdesh.db");
  const env: Record<string, string> = { NIRDESH_LANG: "en", ...(key ? { NIRDESH_DB_KEY: key } : {}) };
  const archive = await openArchive(db, "write", { key });
  writeFileSync(join(folder, "chat.txt"), exportText(MESSAGES));
  await importChatExport(archive, openMediaStore(join(folder, "media")), join(folder, "chat.txt"), { timeZone: "Asia/Dhaka", chatName: "DC Office" }, Date.now, memoryLogger().log);
  archive.close();

  const writer = spawn(process.execPath, ["--input-type=module", "-e", WRITER, ROOT, db], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  let written = "";
  writer.stdout.setEncoding("utf8").on("data", (chunk: string) => (written += chunk));
  while (!written.includes("ready")) await new Promise((resolve) => setTimeout(resolve, 20));

  // Three backups one after another while the bot writes: each is whole, verified, and later than the one before.
  const reports: Array<{ messages: number; rows: number; head: string; path: string }> = [];
  for (let i = 1; i <= 3; i++) {
    const result = await runNirdesh(["backup", join(folder, `backup-${i}`), "--json", "--db", db], env);
    expect(result.code, result.stderr).toBe(0);
    reports.push(JSON.parse(result.stdout));
  }
  writer.kill("SIGTERM");
  await new Promise((resolve) => writer.on("close", resolve));
  const appended = Number(written.replace("ready\n", ""));
  expect(appended).toBeGreaterThan(0);
  expect(reports[0]!.messages).toBeGreaterThan(MESSAGES);
  expect(reports[1]!.messages).toBeGreaterThan(reports[0]!.messages);
  expect(reports[2]!.messages).toBeGreaterThan(reports[1]!.messages);
  expect(reports[2]!.messages).toBeLessThanOrEqual(MESSAGES + appended);

  for (const report of reports) {
    const office = temporaryFolder();
    const restoredDb = join(office, "nirdesh.db");
    const restored = await runNirdesh(["restore", report.path, "--json", "--db", restoredDb], env);
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ messages: report.messages, head: report.head });
    const verify = await runNirdesh(["verify", "--json", "--db", restoredDb], env);
    expect(JSON.parse(verify.stdout)).toMatchObject({ intact: true, rows: report.rows, head: report.head });
    const copy = await openArchive(restoredDb, "read", { key });
    expect(copy.get(sql<{ n: number }>`SELECT count(*) AS n FROM messages`)!.n).toBe(report.messages);
    copy.close();
  }
  // The archive itself, after all that, still verifies and lost nothing.
  const after = await runNirdesh(["verify", "--json", "--db", db], env);
  expect(JSON.parse(after.stdout)).toMatchObject({ intact: true });
  const final = await openArchive(db, "read", { key });
  expect(final.get(sql<{ n: number }>`SELECT count(*) AS n FROM messages`)!.n).toBe(MESSAGES + appended);
  final.close();
}

describe("backups while the bot writes in another process", () => {
  it("of a plain archive of 30,000 messages are each whole, verified and restorable", async () => {
    await drill(undefined);
  });

  it("of an encrypted archive too", async () => {
    await drill("the office's passphrase for the stress test");
  });
});
