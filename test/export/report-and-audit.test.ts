import { spawnSync } from "node:child_process";
import { chmodSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acknowledgementTally, type DirectiveFacts, median, periodOf } from "../../src/domain/acknowledgement-report.js";
import { dhaka, othersCanReach } from "../support.js";
import { nirdesh, officeWith } from "./record-keeper.js";

const CHAT = "উপজেলা সমন্বয়";

/**
 * Two directives of the DC to three UNOs, whose answers we know: the first (due at 4 pm) is acknowledged
 * by Sakhipur after 10 minutes and by Madhupur at 5 pm, late, reporting it done; the second (no deadline)
 * by Sakhipur after 30 minutes and by Ghatail two days later; Madhupur never answers it.
 */
const KNOWN = [
  "22/10/2024, 08:55 - শাহানা পারভীন: আসসালামু আলাইকুম",
  "22/10/2024, 08:56 - তানভীর আহমেদ: আসসালামু আলাইকুম",
  "22/10/2024, 08:57 - সুমাইয়া ইসলাম: আসসালামু আলাইকুম",
  "22/10/2024, 09:00 - কাজী মাহমুদুল হাসান: সকল ইউএনও আজ বিকাল ৪টার মধ্যে ত্রাণ বিতরণের প্রতিবেদন পাঠাবেন।",
  "22/10/2024, 09:10 - শাহানা পারভীন: জি স্যার",
  "22/10/2024, 17:00 - তানভীর আহমেদ: জি স্যার, পাঠানো হয়েছে।",
  "23/10/2024, 09:00 - কাজী মাহমুদুল হাসান: সকল ইউএনও ডেঙ্গু পরিস্থিতির তথ্য পাঠাবেন।",
  "23/10/2024, 09:30 - শাহানা পারভীন: জি স্যার",
  "25/10/2024, 09:00 - সুমাইয়া ইসলাম: অবগত হলাম স্যার",
];

describe("the acknowledgement report", () => {
  it("gives the figures a record keeper works out by hand: acknowledged, done, on time, medians", async () => {
    const { env } = await officeWith(CHAT, KNOWN);
    const result = await nirdesh(["report", "--format", "json", "--since", "২২/১০/২০২৪"], env);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.totals).toEqual({
      directives: 2,
      expected: 6,
      acknowledged: 4,
      done: 1,
      onTime: 2,
      acknowledgedShare: 0.667,
      doneShare: 0.167,
      onTimeShare: 0.333,
      // 10, 30, 480 and 2,880 minutes: the middle two are 30 and 480.
      medianResponseMinutes: 255,
    });
    expect(report.directives.map((d: Record<string, unknown>) => [d.acknowledged, d.expected, d.onTime, d.firstAcknowledgementMinutes, d.lastAcknowledgementMinutes, d.medianResponseMinutes])).toEqual([
      [2, 3, 1, 10, 480, 245],
      [2, 3, 1, 30, 2880, 1455],
    ]);
    const officers = Object.fromEntries(report.officers.map((o: { name: string }) => [o.name, o]));
    expect(officers["শাহানা পারভীন"]).toMatchObject({ expected: 2, acknowledged: 2, onTimeShare: 1, medianResponseMinutes: 20 });
    expect(officers["তানভীর আহমেদ"]).toMatchObject({ expected: 2, acknowledged: 1, done: 1, onTimeShare: 0, medianResponseMinutes: 480 });
    expect(officers["সুমাইয়া ইসলাম"]).toMatchObject({ expected: 2, acknowledged: 1, onTimeShare: 0, medianResponseMinutes: 2880 });
    expect(report.chats).toEqual([expect.objectContaining({ chat: CHAT, directives: 2, acknowledgedShare: 0.667 })]);
    expect(report.periods).toEqual([expect.objectContaining({ period: "2024-10", directives: 2 })]);
    expect(report.responseTimes).toMatchObject({ counts: [1, 1, 0, 1, 1, 0], never: 2 });
  });

  it("reads in Bangla on a terminal, by quarter, and as a page with two charts drawn without a network", async () => {
    const { folder, env } = await officeWith(CHAT, KNOWN);
    const text = await nirdesh(["report", "--period", "quarter"], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("নির্দেশ — নির্দেশনায় সাড়ার প্রতিবেদন");
    expect(text.stdout).toContain("সব নির্দেশনা: প্রত্যাশিত ৬টি সাড়ার ৪টি এসেছে (৬৭%)");
    expect(text.stdout).toContain("2024-Q4 (২টি নির্দেশনা)");
    expect(text.stdout).toContain("মধ্যমা সময় ৪ ঘণ্টা ১৫ মিনিট");

    const out = join(folder, "report.html");
    expect((await nirdesh(["report", "--format", "html", "--out", out, "--lang", "en"], env)).code).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain("How long acknowledgements took");
    expect(html).not.toMatch(/(?:src|href)="https?:|url\(https?:/);
    expect(html).toContain("@font-face");
  });

  it("counts each officer once per directive and keeps months and quarters in the office's zone", () => {
    const at = dhaka(2024, 12, 31, 23, 30);
    expect(periodOf(at, "month", "Asia/Dhaka")).toBe("2024-12");
    expect(periodOf(at + 60 * 60_000, "quarter", "Asia/Dhaka")).toBe("2025-Q1");
    expect(median([5, 1, 3])).toBe(3);
    expect(median([])).toBeNull();

    const uno = (name: string, phone: string) => ({ name, phone, designation: "ইউএনও" });
    const directive: DirectiveFacts = {
      id: 1,
      chat: CHAT,
      at,
      deadline: null,
      issuer: { name: "ডিসি", phone: "+8801711000001", designation: null },
      body: "প্রতিবেদন পাঠাবেন",
      editedBody: null,
      expected: [uno("ক", "+8801711000004"), uno("খ", "+8801711000005")],
      acknowledged: [{ ...uno("ক", "+8801711000004"), at: at + 25 * 60 * 60_000 }],
      done: [],
    };
    const tally = acknowledgementTally({ period: "month", timeZone: "Asia/Dhaka" });
    tally.add(directive);
    const report = tally.report();
    // A day and an hour without a deadline is late.
    expect(report.totals).toMatchObject({ expected: 2, acknowledged: 1, onTime: 0, acknowledgedShare: 0.5 });
    expect(report.officers.map((o) => [o.name, o.acknowledged, o.expected])).toEqual([
      ["ক", 1, 1],
      ["খ", 0, 1],
    ]);
    expect(report.responseTimes).toEqual({ buckets: [0, 0, 0, 0, 1, 0], never: 1 });
  });
});

describe("the audit log", () => {
  it("records every search, show, export and report with who, when, what filters and how many rows, and lists them newest first", async () => {
    const { folder, env } = await officeWith(CHAT, KNOWN);
    expect((await nirdesh(["search", "প্রতিবেদন", "--chat", "সমন্বয়"], env)).code).toBe(0);
    expect((await nirdesh(["show", "৪"], env)).code).toBe(0);
    expect((await nirdesh(["export", "--format", "csv", "--out", join(folder, "out.csv"), "--directives"], env)).code).toBe(0);
    expect((await nirdesh(["report", "--json"], env)).code).toBe(0);

    const listed = await nirdesh(["audit", "--json"], env);
    expect(listed.code, listed.stderr).toBe(0);
    const entries = JSON.parse(listed.stdout);
    expect(entries.map((entry: { action: string }) => entry.action)).toEqual(["report", "export", "show", "search"]);
    expect(entries[3]).toMatchObject({ via: "cli", by: "nezarat", allowed: true, rows: 1, filters: { query: "প্রতিবেদন", chat: "সমন্বয়", limit: 50 }, at: "2024-11-01T10:00:00+06:00" });
    expect(entries[2]).toMatchObject({ filters: { message: 4 }, rows: 1 });
    expect(entries[1]).toMatchObject({ filters: { directives: true, format: "csv" }, rows: 2 });
    expect(entries[0]).toMatchObject({ filters: { period: "month", format: "json" }, rows: 2 });

    const shown = await nirdesh(["audit", "--since", "০১/১১/২০২৪", "--limit", "২"], env);
    expect(shown.stdout.trim().split("\n")).toHaveLength(2);
    expect(shown.stdout).toContain("কমান্ড লাইন  nezarat  report");
    // The entries are rows of the chain: it still holds, four rows longer.
    const verdict = JSON.parse((await nirdesh(["verify", "--json"], env)).stdout);
    expect(verdict).toMatchObject({ intact: true, rows: KNOWN.length + 1 + 4 });
    expect((await nirdesh(["audit", "--until", "2024-10-01"], env)).stdout).toContain("অডিট লগে কিছু নেই");
  });

  // Root may write to any file, so a read-only copy is read by an ordinary user (nobody) when the tests run as root.
  const asRoot = process.getuid?.() === 0;
  it.skipIf(asRoot ? !othersCanReach(ROOT) || !othersCanReach(tmpdir()) : false)("cannot be written to a read-only evidence copy: the search still answers, with a warning", async () => {
    const { folder, env } = await officeWith(CHAT, KNOWN);
    chmodSync(env.NIRDESH_DB!, 0o444);
    let found: { code: number | null; stdout: string; stderr: string };
    if (asRoot) {
      chmodSync(folder, 0o755);
      const run = spawnSync(process.execPath, [join(ROOT, "bin/nirdesh.js"), "search", "প্রতিবেদন", "--json"], { encoding: "utf8", uid: 65534, gid: 65534, env: { PATH: process.env.PATH, ...env }, cwd: ROOT });
      found = { code: run.status, stdout: run.stdout, stderr: run.stderr };
    } else {
      found = await nirdesh(["search", "প্রতিবেদন", "--json"], env);
    }
    expect(found.code, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout)).toHaveLength(1);
    expect(found.stderr).toContain("শুধু-পঠনযোগ্য");
    expect(JSON.parse((await nirdesh(["audit", "--json"], env)).stdout)).toEqual([]);
  });
});

const ROOT = join(import.meta.dirname, "../..");
