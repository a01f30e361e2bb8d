import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chatFiles, exportText, readChat, rosterCsv } from "../../scripts/annotated-chats.js";
import { isOpen } from "../../src/domain/working-hours.js";
import { parseRoster } from "../../src/domain/roster.js";
import { readLexicons } from "../../src/lexicons.js";
import { readNudgePolicy } from "../../src/nudge-policy-file.js";
import { type Simulation, simulateChats } from "../../src/simulator/simulate-chats.js";
import { messagesFor } from "../../src/text.js";
import { memoryLogger } from "../support.js";

const ZONE = "Asia/Dhaka";
const LEXICONS = readLexicons();
const BANGLA = messagesFor("bn");
const FIXTURES = join(import.meta.dirname, "../fixtures/directives");

/** An annotated district chat, replayed as if it arrived live: what the bot would have sent. */
async function simulate(path: string, policyFile?: string): Promise<Simulation> {
  const chat = readChat(path);
  const folder = mkdtempSync(join(tmpdir(), "nirdesh-sim-test-"));
  const file = join(folder, "chat.txt");
  writeFileSync(file, exportText(chat));
  return simulateChats({
    files: [file],
    chatName: chat.name,
    roster: parseRoster(rosterCsv(chat), "roster.csv"),
    until: null,
    timeZone: ZONE,
    lexicons: LEXICONS,
    followUps: readNudgePolicy(policyFile, BANGLA),
    text: BANGLA,
    log: memoryLogger("warn").log,
  });
}

const who = (person: { phone: string | null; name: string }) => person.phone ?? person.name;

const CHATS = ["chats", "holdout", "final"].flatMap((set) => chatFiles(join(FIXTURES, set)));

describe("simulating real-shaped district chats", () => {
  const policy = readNudgePolicy(undefined, BANGLA).office;

  it.each(CHATS.map((path) => [path.slice(FIXTURES.length + 1), path]))("%s: nudges within the rules, never after an acknowledgement, and every directive still owed ends with its issuer told", async (_name, path) => {
    const simulation = await simulate(path);
    const byDirective = new Map(simulation.tracked.map((directive) => [directive.id, directive]));
    const nudges = simulation.outgoing.filter((item) => item.kind === "nudge");

    for (const nudge of nudges) {
      const directive = byDirective.get(nudge.directive!.id)!;
      // Inside the hours of its directive.
      expect(isOpen(nudge.at, (directive.urgent ? policy.urgent : policy.normal).hours, ZONE), `${new Date(nudge.at).toISOString()} urgent=${directive.urgent}`).toBe(true);
      for (const person of nudge.to) {
        const answer = directive.acknowledged.find((answered) => who(answered) === who(person));
        // Nobody is nudged once they have acknowledged.
        if (answer) expect(answer.at, `${person.name} nudged after acknowledging #${directive.id}`).toBeGreaterThan(nudge.at);
        // Superiors and record keepers are never nudged: only the officers tracking expects.
        expect(directive.expected.map(who)).toContain(who(person));
      }
    }
    for (const directive of simulation.tracked) {
      const ownNudges = nudges.filter((nudge) => nudge.directive!.id === directive.id);
      for (const person of directive.expected) {
        const times = ownNudges.filter((nudge) => nudge.to.some((to) => who(to) === who(person))).length;
        expect(times, `${person.name} on #${directive.id}`).toBeLessThanOrEqual(3);
      }
      if (directive.pending.length === 0) continue;
      // Every officer still pending was nudged at least once (unless they had left the group), and the
      // issuer was told who never answered.
      const left = new Set(readChat(path).lines.filter((line) => line.kind === "S" && / left$/.test(line.text)).map((line) => line.text.replace(/ left$/, "")));
      for (const person of directive.pending) {
        if (left.has(person.name)) continue;
        expect(ownNudges.some((nudge) => nudge.to.some((to) => who(to) === who(person))), `${person.name} never nudged on #${directive.id}`).toBe(true);
      }
      const escalations = simulation.outgoing.filter((item) => item.kind === "escalation" && item.directive!.id === directive.id);
      expect(escalations, `#${directive.id} owed but never escalated`).toHaveLength(1);
      expect(escalations[0]!.directive!.from.name).toBe(directive.issuer.name);
      const told = escalations[0]!;
      for (const person of directive.pending) expect(told.to.map(who)).toContain(who(person));
      // Anyone else it named acknowledged only after it.
      for (const person of told.to) {
        const answer = directive.acknowledged.find((answered) => who(answered) === who(person));
        if (answer) expect(answer.at).toBeGreaterThan(told.at);
      }
    }
  });

  it("sends nothing when the office turns nudges off, and every outgoing message has the DESIGN.md shape", async () => {
    const folder = mkdtempSync(join(tmpdir(), "nirdesh-sim-policy-"));
    const off = join(folder, "off.json");
    writeFileSync(off, JSON.stringify({ enabled: false }));
    const [first] = CHATS;
    expect((await simulate(first!, off)).outgoing.filter((item) => item.kind !== "reply")).toEqual([]);

    const simulation = await simulate(first!);
    expect(simulation.outgoing.length).toBeGreaterThan(0);
    for (const item of simulation.outgoing) {
      expect(Object.keys(item).sort()).toEqual(["at", "chat", "directive", "kind", "text", "to", "via"]);
      expect(["nudge", "reminder", "escalation", "digest", "reply"]).toContain(item.kind);
    }
  });
});

describe("exports of one group given together", () => {
  it("two overlapping exports of the same group are one group, and what both show is replayed once", async () => {
    const [path] = CHATS;
    const chat = readChat(path!);
    const folder = mkdtempSync(join(tmpdir(), "nirdesh-sim-overlap-"));
    const half = Math.floor(chat.lines.length / 2);
    const first = join(folder, "first.txt");
    const second = join(folder, "second.txt");
    // The first export ends in the middle; the second, taken later, shows everything again.
    writeFileSync(first, exportText({ ...chat, lines: chat.lines.slice(0, half + 5) }));
    writeFileSync(second, exportText(chat));
    const options = { chatName: chat.name, roster: parseRoster(rosterCsv(chat), "roster.csv"), until: null, timeZone: ZONE, lexicons: LEXICONS, followUps: readNudgePolicy(undefined, BANGLA), text: BANGLA, log: memoryLogger("warn").log };
    const both = await simulateChats({ ...options, files: [first, second] });
    const once = await simulateChats({ ...options, files: [second] });
    expect(both.chats).toBe(1);
    expect(both.messages).toBe(once.messages);
    expect(both.directives).toBe(once.directives);
    expect(both.outgoing.map((item) => [item.at, item.kind, item.text])).toEqual(once.outgoing.map((item) => [item.at, item.kind, item.text]));
  });
});
