import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectOneClearLine, runNirdesh as nirdesh, temporaryFolder } from "../support.js";

const GROUP = "ডিসি অফিস টাঙ্গাইল";

interface SimulationJson {
  from: string;
  until: string;
  messages: number;
  directives: number;
  outgoing: Array<{ at: string; kind: string; chat: string | null; via: string; to: Array<{ phone: string | null; name: string }>; directive: { id: number; at: string; from: { name: string } } | null; text: string }>;
}

describe("nirdesh simulate", () => {
  it("shows a DC office what the bot would have sent on the sample chat's first day, touching no archive", async () => {
    const folder = temporaryFolder();
    const db = join(folder, "nirdesh.db");
    const result = await nirdesh(["simulate", "data/sample-chat.txt", "--roster", "data/roster.csv", "--chat", GROUP, "--until", "২২/১০/২০২৪", "--json"], { NIRDESH_DB: db });
    expect(result.code, result.stderr).toBe(0);
    const simulation = JSON.parse(result.stdout) as SimulationJson;
    expect(simulation.from).toBe("2024-10-22T09:01:00+06:00");
    expect(simulation.until).toBe("2024-10-22T23:59:59+06:00");
    const nudges = simulation.outgoing.filter((item) => item.kind === "nudge");
    expect(nudges.length).toBeGreaterThan(0);
    for (const nudge of nudges) {
      expect(nudge.via).toBe("group");
      expect(nudge.chat).toBe(GROUP);
      expect(nudge.text).toContain("অনুগ্রহ করে নির্দেশনাটি গ্রহণ নিশ্চিত করুন");
      // Within Sunday–Thursday 09:00–17:00 (22 Oct 2024 was a Tuesday).
      const hour = Number(nudge.at.slice(11, 13));
      expect(hour >= 9 && hour < 17, nudge.at).toBe(true);
      expect(nudge.to.every((person) => person.phone?.startsWith("+880"))).toBe(true);
    }
    const escalations = simulation.outgoing.filter((item) => item.kind === "escalation");
    expect(escalations.length).toBeGreaterThan(0);
    expect(escalations.every((item) => item.via === "direct" && item.directive !== null)).toBe(true);
    expect(existsSync(db)).toBe(false);
  });

  it("speaks English when asked, and reads the office's policy file", async () => {
    const folder = temporaryFolder();
    const policy = join(folder, "policy.json");
    writeFileSync(policy, JSON.stringify({ delivery: "direct", maxNudges: 1, digestAt: null }));
    const result = await nirdesh(["simulate", "data/sample-chat.txt", "--roster", "data/roster.csv", "--chat", GROUP, "--until", "2024-10-22", "--policy", policy, "--lang", "en"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Simulation: 1 chat, \d+ messages/);
    expect(result.stdout).toContain("nudge by direct message");
    expect(result.stdout).toContain("Please confirm in the group that you have received it.");
    expect(result.stdout).not.toContain("in the group  ");
  });

  it("refuses bad input with one clear line and exit 2", async () => {
    const folder = temporaryFolder();
    const broken = join(folder, "broken.json");
    writeFileSync(broken, '{"hours": "17:00-09:00"}');
    const unknown = join(folder, "unknown.json");
    writeFileSync(unknown, '{"nudgeEvery": 5}');
    const cases: Array<[string[], RegExp, Record<string, string>?]> = [
      [["simulate"], /FILE/],
      [["simulate", "nothing-here.txt"], /nothing-here\.txt/],
      [["simulate", "data/sample-chat.txt", "--chat", GROUP, "--until", "গতকাল"], /গতকাল/],
      [["simulate", "data/sample-chat.txt", "--chat", GROUP, "--policy", broken], /hours/],
      [["simulate", "data/sample-chat.txt", "--chat", GROUP, "--policy", unknown], /nudgeEvery/],
      [["simulate", "data/sample-chat.txt", "--chat", GROUP], /NIRDESH_NUDGE_POLICY|missing\.json/, { NIRDESH_NUDGE_POLICY: join(folder, "missing.json") }],
      [["simulate", "data/sample-chat.txt", "--chat", GROUP, "--until", "2020-01-01"], /--until/],
    ];
    for (const [args, words, env] of cases) expectOneClearLine(await nirdesh(args, env), words);
  });
});
