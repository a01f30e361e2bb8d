import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { findLeaks, sampleSecrets } from "../hostile/find-leaks.js";

const ROOT = join(import.meta.dirname, "../..");

// The whole demo (`npm run demo`: every command, the live bot, exports, simulate) with info-level logs, every
// log line scanned. test/hostile/log-scan.test.ts does the same in one process on every `npm test`.
it("the full demo at info level logs no message's words, no phone number in any form, and no linking code", () => {
  const demo = spawnSync(process.execPath, ["scripts/demo.js"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NIRDESH_LOG_LEVEL: "info" },
    maxBuffer: 64 * 2 ** 20,
  });
  expect(demo.status, demo.stderr).toBe(0);
  // The demo prints each command's standard error with its output; the log is pino's JSON lines among them.
  const lines = `${demo.stdout}\n${demo.stderr}`.split("\n").filter((line) => line.startsWith('{"level"'));
  const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
  for (const seen of ["roster loaded", "chat export imported", "searched", "archived", "in-chat command", "WhatsApp connection lost", "verified", "exported"]) {
    expect(messages, seen).toContain(seen);
  }
  const secrets = sampleSecrets();
  // What the demo's live bot hears (scripts/demo.js), and its own number.
  secrets.bodies.push("সকল ইউএনও আজ বিকাল ৪টার মধ্যে শীতবস্ত্র বিতরণের তালিকা পাঠাবেন।", "শীতবস্ত্র বিতরণের তালিকা পাঠানো হয়েছে।", "!খুঁজুন শীতবস্ত্র");
  secrets.phones.push("+8801700000000");
  expect(findLeaks(lines, secrets)).toEqual([]);
});
