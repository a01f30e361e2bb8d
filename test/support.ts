import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import pino, { type Logger } from "pino";
import { afterEach, expect } from "vitest";
import { findChromium } from "../src/chromium/find-chromium.js";
import type { LiveChat, LiveMessage, LivePerson } from "../src/domain/live-event.js";
import type { EventToArchive } from "../src/store/append-to-archive.js";
import type { Chat } from "../src/store/chats.js";
import { openMediaStore, type MediaStore } from "../src/store/media-store.js";
import { type Archive, openArchive } from "../src/store/open-archive.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

/** A fresh folder removed after the test. */
export function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "nirdesh-test-"));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** A real archive (SQLite file with the real migrations) in a temporary folder, with its media store. */
export async function testArchive(): Promise<{ archive: Archive; media: MediaStore; folder: string; path: string }> {
  const folder = temporaryFolder();
  const path = join(folder, "nirdesh.db");
  const archive = await openArchive(path);
  cleanups.push(() => archive.close());
  return { archive, media: openMediaStore(join(folder, "media")), folder, path };
}

/** A logger that keeps what it writes, so a test can read the log. */
export function memoryLogger(level = "info"): { log: Logger; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { log: pino({ level }, stream), lines: () => chunks.join("").split("\n").filter(Boolean) };
}

/** A clock that moves only when told. */
export function fakeClock(start = Date.UTC(2024, 9, 22, 6, 0, 0)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** Dhaka wall-clock time (UTC+6) as UTC milliseconds. */
export function dhaka(year: number, month: number, day: number, hour: number, minute: number, second = 0): number {
  return Date.UTC(year, month - 1, day, hour - 6, minute, second);
}

/** WhatsApp's id (`id._serialized`) of the `n`th message `sender` sends in `chat`, shaped as whatsapp-web.js gives it. */
export function liveMessageId(chat: LiveChat, sender: LivePerson, n: number): string {
  return `false_${chat.whatsappId}_3EB0${String(n).padStart(16, "0")}_${sender.whatsappId}`;
}

/** The `n`th message `sender` sends in `chat`, as the live bot hears it: plain text unless `extra` says otherwise. */
export function liveMessage(chat: LiveChat, sender: LivePerson, n: number, at: number, body: string, extra: Partial<LiveMessage> = {}): LiveMessage {
  return {
    kind: "message",
    chat,
    id: liveMessageId(chat, sender, n),
    sender,
    fromMe: false,
    at,
    body,
    type: "text",
    quotedId: null,
    mentions: [],
    forwarded: false,
    edited: null,
    media: null,
    ...extra,
  };
}

/** An edit of an archived message typed at the command line (no WhatsApp id, no export): new words at `at`. */
export function editOf(chat: Chat, message: { id: number; seq: number }, at: number, body: string): EventToArchive {
  return { chat, message, kind: "edit", whatsappId: null, importKey: null, source: "cli", importId: null, actor: null, actorName: null, at, body, data: {} };
}

/** The system's Chromium, when this machine has one (CI installs Debian's); null otherwise. */
export function systemChromium(): string | null {
  try {
    return findChromium(process.env.CHROMIUM_PATH);
  } catch {
    return null;
  }
}

/** Whether an ordinary user could run the project from where it lies (every folder above it open to others). */
export function othersCanReach(folder: string): boolean {
  for (let at = folder; ; at = dirname(at)) {
    if ((statSync(at).mode & 0o005) !== 0o005) return false;
    if (dirname(at) === at) return true;
  }
}

export type CliResult = { code: number | null; stdout: string; stderr: string };

const ROOT = join(import.meta.dirname, "..");

/** Runs the real `nirdesh` binary, as a record keeper would; several may run at once. */
export function runNirdesh(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bin/nirdesh.js"), ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Bad input: exit 2 and one line in the user's words, never a stack trace. */
export function expectOneClearLine(result: CliResult, words: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(words);
  expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+|Error:|node:internal/);
}
