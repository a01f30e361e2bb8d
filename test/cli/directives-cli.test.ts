import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { temporaryFolder } from "../support.js";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/nirdesh.js");
const GROUP = "ডিসি অফিস টাঙ্গাইল - দাপ্তরিক";

type Result = { code: number | null; stdout: string; stderr: string };

/** Runs the real `nirdesh` binary, as a record keeper would; several may run at once. */
function nirdesh(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function expectOneClearLine(result: Result, words: RegExp) {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(words);
  expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+|Error:|node:internal/);
}

function json<T = any>(result: Result): T {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** Bangla digits, as a record keeper may type a message's number. */
const bangla = (n: number) => String(n).replace(/\d/g, (d) => "০১২৩৪৫৬৭৮৯"[Number(d)]!);

const ISO_DHAKA = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+06:00$/;
const E164 = /^\+8801\d{9}$/;

/** The DC office's chat, imported once with its roster; tests that write work on their own copy. */
let shared: { folder: string; env: { NIRDESH_DB: string }; imported: Result };

beforeAll(async () => {
  if (!existsSync(join(ROOT, "dist/cli/main.js"))) throw new Error("run `npm run build` first (npm test does)");
  const folder = mkdtempSync(join(tmpdir(), "nirdesh-directives-"));
  const env = { NIRDESH_DB: join(folder, "nirdesh.db") };
  const imported = await nirdesh(["import", "data/sample-chat.txt", "--chat", GROUP, "--roster", "data/roster.csv"], env);
  shared = { folder, env, imported };
});

afterAll(() => rmSync(shared.folder, { recursive: true, force: true }));

/** A copy of the imported office, for a test that writes to it. */
function copyOfOffice() {
  const folder = temporaryFolder();
  cpSync(shared.folder, folder, { recursive: true });
  return { folder, env: { NIRDESH_DB: join(folder, "nirdesh.db") } };
}

/** A fresh, empty office folder. */
function office() {
  const folder = temporaryFolder();
  return { folder, env: { NIRDESH_DB: join(folder, "nirdesh.db") } };
}

type Directive = {
  id: number;
  chat: string;
  at: string;
  issuer: { phone: string; name: string; designation: string | null };
  body: string;
  deadline: string | null;
  marked: boolean | null;
  expected: Array<{ phone: string; name: string }>;
  acknowledged: Array<{ phone: string; name: string; at: string; how: string; message: number | null }>;
  done: Array<{ phone: string; name: string; at: string }>;
  pending: Array<{ phone: string; name: string }>;
};

/** The one message `search` finds for these words. */
async function idOf(env: Record<string, string>, words: string[]): Promise<number> {
  const found = json<Array<{ id: number }>>(await nirdesh(["search", ...words, "--json"], env));
  expect(found).toHaveLength(1);
  return found[0]!.id;
}

describe("directives on the command line", () => {
  it("says, on import with the roster, how many directives the chat holds and how many still wait", () => {
    expect(shared.imported.code, shared.imported.stderr).toBe(0);
    expect(shared.imported.stdout).toContain("এই চ্যাটে ২৩টি নির্দেশনা; ২২টিতে এখনো কেউ কেউ সাড়া দেননি (nirdesh pending)।");
  });

  it("prints pending --json as one array of DESIGN.md's directive shape, oldest first", async () => {
    const directives = json<Directive[]>(await nirdesh(["pending", "--json"], shared.env));
    expect(directives).toHaveLength(22);
    for (const directive of directives) {
      expect(Object.keys(directive)).toEqual(expect.arrayContaining(["id", "chat", "at", "issuer", "body", "deadline", "expected", "acknowledged", "pending"]));
      expect(directive.chat).toBe(GROUP);
      expect(directive.at).toMatch(ISO_DHAKA);
      expect(directive.issuer.phone).toMatch(E164);
      if (directive.deadline !== null) expect(directive.deadline).toMatch(ISO_DHAKA);
      for (const answer of directive.acknowledged) {
        expect(answer).toMatchObject({ phone: expect.stringMatching(E164), name: expect.any(String), at: expect.stringMatching(ISO_DHAKA) });
      }
      expect(directive.pending.length).toBeGreaterThan(0);
      for (const owed of directive.pending) expect(owed).toMatchObject({ phone: expect.stringMatching(E164), name: expect.any(String) });
    }
    const times = directives.map((directive) => Date.parse(directive.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    // The first is the DC's order for the relief report, due at three the next afternoon.
    expect(directives[0]).toMatchObject({
      at: "2024-10-22T09:15:00+06:00",
      issuer: { phone: "+8801711000001", name: "কাজী মাহমুদুল হাসান" },
      deadline: "2024-10-23T15:00:00+06:00",
    });
    expect(directives[0]!.body).toMatch(/^সকল ইউএনওকে আগামীকাল বিকাল ৩টার মধ্যে/);
    // The UNO of Sakhipur said জি স্যার at 09:16: acknowledged, and no longer pending.
    expect(directives[0]!.acknowledged[0]).toMatchObject({ phone: "+8801711000004", name: "শাহানা পারভীন", at: "2024-10-22T09:16:00+06:00", how: "message" });
    expect(directives[0]!.pending.map((p) => p.phone)).not.toContain("+8801711000004");
    expect(directives[0]!.pending.map((p) => p.name)).toContain("আরিফুর রহমান");

    // The AC (Land) answered the ADC's urgent directive to him at once, so it waits for nobody.
    expect(directives.some((directive) => directive.body.startsWith("জরুরি: ভূমি উন্নয়ন কর"))).toBe(false);
  });

  it("lists one chat's pending directives with --chat, and refuses an unknown chat in one line", async () => {
    const [all, byName, byPart, unknown, blank] = await Promise.all([
      nirdesh(["pending", "--json"], shared.env),
      nirdesh(["pending", "--chat", GROUP, "--json"], shared.env),
      nirdesh(["pending", "--chat", "দাপ্তরিক", "--json"], shared.env),
      nirdesh(["pending", "--chat", "উপজেলা প্রশাসন নেই"], shared.env),
      nirdesh(["pending", "--chat=  "], shared.env),
    ]);
    expect(json(byName)).toEqual(json(all));
    expect(json(byPart)).toEqual(json(all));
    expectOneClearLine(unknown, /"উপজেলা প্রশাসন নেই" নামে কোনো চ্যাট আর্কাইভে নেই/);
    expect(unknown.stdout).toBe("");
    expectOneClearLine(blank, /--chat/);
  });

  it("finds only directives with search --directives", async () => {
    const [directives, reports, acknowledgements, plain] = await Promise.all([
      nirdesh(["search", "--directives", "--json"], shared.env),
      nirdesh(["search", "প্রতিবেদন", "--directives", "--json"], shared.env),
      nirdesh(["search", "জি স্যার", "--directives", "--json"], shared.env),
      nirdesh(["search", "জি স্যার", "--json"], shared.env),
    ]);
    const found = json<Array<{ id: number; directive: boolean; body: string; at: string }>>(directives);
    expect(found).toHaveLength(23);
    expect(found.every((message) => message.directive === true)).toBe(true);
    expect(found.some((message) => message.body.startsWith("সকল ইউএনওকে আগামীকাল"))).toBe(true);

    const withWords = json<Array<{ directive: boolean; body: string }>>(reports);
    expect(withWords.length).toBeGreaterThan(0);
    expect(withWords.every((message) => message.directive && message.body.includes("প্রতিবেদন"))).toBe(true);

    // The officers' জি স্যার are messages, not directives.
    expect(json(acknowledgements)).toEqual([]);
    const replies = json<Array<{ directive: boolean }>>(plain);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((message) => message.directive === false)).toBe(true);
  });

  it("shows a directive with its issuer, deadline, who acknowledged and who did not, and why it is one", async () => {
    const id = await idOf(shared.env, ["আগামীকাল", "বিকাল", "ত্রাণ", "--directives"]);
    const [shownJson, shownText] = await Promise.all([nirdesh(["show", String(id), "--json"], shared.env), nirdesh(["show", bangla(id)], shared.env)]);
    const shown = json<Directive & Record<string, any>>(shownJson);
    expect(shown).toMatchObject({
      id,
      directive: true,
      at: "2024-10-22T09:15:00+06:00",
      issuer: { phone: "+8801711000001", name: "কাজী মাহমুদুল হাসান", designation: "জেলা প্রশাসক, টাঙ্গাইল" },
      sender: { phone: "+8801711000001" },
      deadline: "2024-10-23T15:00:00+06:00",
      done: [],
      detection: { directive: true, detected: true, marked: null, score: expect.any(Number), confidence: expect.any(Number), cues: expect.any(Array) },
      answers: [],
    });
    expect(shown.expected).toHaveLength(11);
    expect(shown.acknowledged).toHaveLength(6);
    expect(shown.pending).toHaveLength(5);
    for (const answer of shown.acknowledged) {
      expect(Object.keys(answer).sort()).toEqual(["at", "designation", "how", "message", "name", "phone"]);
    }
    const shahana = shown.acknowledged.find((answer) => answer.name === "শাহানা পারভীন")!;
    expect(shahana).toMatchObject({ at: "2024-10-22T09:16:00+06:00", how: "message", message: expect.any(Number) });

    // Her জি স্যার, shown on its own, says which directive it answered.
    const reply = json(await nirdesh(["show", String(shahana.message), "--json"], shared.env));
    expect(reply).toMatchObject({ id: shahana.message, body: "জি স্যার", directive: false, detection: null, answers: [{ directive: id, kind: "acknowledged" }] });
    expect(reply).not.toHaveProperty("issuer");

    // For a person, in Bangla.
    expect(shownText.code).toBe(0);
    expect(shownText.stdout).toContain("সাড়া দিয়েছেন (6/11):");
    expect(shownText.stdout).toMatch(/2024-10-22T09:16:00\+06:00 {2}শাহানা পারভীন \(ইউএনও, সখীপুর\) {2}বার্তায় #\d+/);
    expect(shownText.stdout).toMatch(/সাড়া দেননি \(5\): .*আরিফুর রহমান/);
    expect(shownText.stdout).toContain("শনাক্তকরণ: নির্দেশনা");
  });

  it("speaks Bangla by default and English with --lang en", async () => {
    const [bn, en, envEn] = await Promise.all([
      nirdesh(["pending"], shared.env),
      nirdesh(["pending", "--lang", "en"], shared.env),
      nirdesh(["pending"], { ...shared.env, NIRDESH_LANG: "en" }),
    ]);
    expect(bn.code).toBe(0);
    expect(bn.stdout).toContain("নির্দেশদাতা: কাজী মাহমুদুল হাসান (জেলা প্রশাসক, টাঙ্গাইল) · +8801711000001");
    expect(bn.stdout).toContain("সময়সীমা: 2024-10-23T15:00:00+06:00");
    expect(bn.stdout).toContain("২২টি নির্দেশনা সাড়ার অপেক্ষায়।");
    expect(bn.stdout).not.toMatch(/Issued by|waiting for/);

    expect(en.code).toBe(0);
    expect(en.stdout).toContain("Issued by: কাজী মাহমুদুল হাসান (জেলা প্রশাসক, টাঙ্গাইল) · +8801711000001");
    expect(en.stdout).toContain("Not yet acknowledged (");
    expect(en.stdout).toContain("22 directives waiting for acknowledgements.");
    expect(en.stdout).not.toMatch(/নির্দেশদাতা|সাড়া দেননি/);
    expect(envEn.stdout).toBe(en.stdout);
  });

  it("says so when nothing is pending", async () => {
    const { env } = office();
    expect((await nirdesh(["roster", "import", "data/roster.csv"], env)).code).toBe(0);
    const [bn, en, asJson] = await Promise.all([nirdesh(["pending"], env), nirdesh(["pending", "--lang", "en"], env), nirdesh(["pending", "--json"], env)]);
    expect(bn.stdout.trim()).toBe("সাড়ার অপেক্ষায় কোনো নির্দেশনা নেই।");
    expect(en.stdout.trim()).toBe("No directive is waiting for an acknowledgement.");
    expect(json(asJson)).toEqual([]);
  });
});

describe("nirdesh mark", () => {
  it.each([
    ["a number that is no number", ["mark", "abc", "--directive"], /"abc" কোনো বার্তার নম্বর নয়/],
    ["a message not in the archive", ["mark", "999999", "--directive"], /আর্কাইভে নেই/],
    ["both --directive and --not-directive", ["mark", "4", "--directive", "--not-directive"], /--directive অথবা --not-directive/],
    ["neither --directive nor --not-directive", ["mark", "4"], /--directive অথবা --not-directive/],
    ["no message number", ["mark", "--directive"], /ID/],
    ["an officer as --by", ["mark", "4", "--not-directive", "--by", "শাহানা পারভীন"], /"শাহানা পারভীন" রোস্টারে ঊর্ধ্বতন \(superior\) বা রেকর্ড কিপার \(recordkeeper\) নন/],
    ["an officer's phone as --by", ["mark", "4", "--not-directive", "--by", "01711000004"], /রোস্টারে ঊর্ধ্বতন/],
    ["someone not on the roster as --by", ["mark", "4", "--not-directive", "--by", "অচেনা কেউ"], /রোস্টারে ঊর্ধ্বতন/],
    ["a blank --by", ["mark", "4", "--not-directive", "--by=  "], /--by/],
  ])("refuses %s in one line and records nothing", async (_story, args, words) => {
    const { env } = copyOfOffice();
    const before = json(await nirdesh(["verify", "--json"], env));
    expectOneClearLine(await nirdesh(args, env), words);
    expect(json(await nirdesh(["verify", "--json"], env))).toEqual(before);
  });

  it("speaks English when refusing an officer, if asked", async () => {
    const { env } = copyOfOffice();
    expectOneClearLine(await nirdesh(["mark", "4", "--not-directive", "--by", "শাহানা পারভীন", "--lang", "en"], env), /^error: "শাহানা পারভীন" is not a superior or record keeper/);
  });

  it("records a record keeper's and the DC's corrections in the chain, and verify still passes", async () => {
    const { env } = copyOfOffice();
    // The NDC's notice of the law-and-order meeting was no directive (she is no superior);
    // the DC's "ভালো কাজ। অভিযান অব্যাহত রাখুন।" praised one UNO but was taken for one.
    const [notice, praise] = await Promise.all([idOf(env, ["মাসিক", "সভা", "অনুষ্ঠিত", "--from", "01711000013"]), idOf(env, ["ভালো", "কাজ", "অব্যাহত"])]);
    const [before, pendingBefore] = await Promise.all([nirdesh(["verify", "--json"], env), nirdesh(["pending", "--json"], env)]);
    const rows = json<{ rows: number }>(before).rows;
    expect(json<Directive[]>(pendingBefore).map((d) => d.id)).toContain(praise);
    expect(json<Directive[]>(pendingBefore).map((d) => d.id)).not.toContain(notice);

    const marked = await nirdesh(["mark", String(notice), "--directive", "--by", "তাসলিমা খাতুন"], env);
    expect(marked.code, marked.stderr).toBe(0);
    expect(marked.stdout.trim()).toBe(`#${bangla(notice)} নির্দেশনা হিসেবে চিহ্নিত হলো; সংশোধনটি হ্যাশ-শৃঙ্খলে সংরক্ষিত।`);
    // The DC, named by his phone, types the number in Bangla digits.
    expect(json(await nirdesh(["mark", bangla(praise), "--not-directive", "--by", "01711000001", "--json"], env))).toEqual({ id: praise, directive: false, changed: true, seq: rows + 2 });
    // The same correction again changes nothing.
    expect(json(await nirdesh(["mark", String(notice), "--directive", "--json"], env))).toEqual({ id: notice, directive: true, changed: false });

    const [pending, shownNotice, shownPraise, directives, verified, verifiedJson] = await Promise.all([
      nirdesh(["pending", "--json"], env),
      nirdesh(["show", String(notice), "--json"], env),
      nirdesh(["show", String(praise), "--json"], env),
      nirdesh(["search", "--directives", "--json"], env),
      nirdesh(["verify"], env),
      nirdesh(["verify", "--json"], env),
    ]);
    const ids = json<Directive[]>(pending).map((d) => d.id);
    expect(ids).toContain(notice);
    expect(ids).not.toContain(praise);
    expect(json(shownNotice)).toMatchObject({ directive: true, marked: true, issuer: { name: "তাসলিমা খাতুন" }, detection: { directive: true, marked: true } });
    expect(json<Directive>(shownNotice).expected.map((p) => p.name)).not.toContain("তাসলিমা খাতুন");
    expect(json(shownPraise)).toMatchObject({ directive: false, detection: { directive: false, detected: true, marked: false } });
    expect(json(shownPraise)).not.toHaveProperty("pending");
    const found = json<Array<{ id: number }>>(directives).map((m) => m.id);
    expect(found).toContain(notice);
    expect(found).not.toContain(praise);
    expect(found).toHaveLength(23);

    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain("আর্কাইভ অক্ষত");
    expect(json(verifiedJson)).toMatchObject({ intact: true, rows: rows + 2 });
  });
});

describe("tracking follows the roster and the lexicons", () => {
  it("finds the DC's directives once the roster is imported after the chat", async () => {
    const { env } = office();
    expect((await nirdesh(["import", "data/sample-chat.txt", "--chat", GROUP], env)).code).toBe(0);
    // Without a roster only the group's admin counts as a superior: none of the DC's orders is found.
    const before = json<Directive[]>(await nirdesh(["pending", "--json"], env));
    expect(before.some((directive) => directive.issuer.phone === "+8801711000001")).toBe(false);

    const roster = await nirdesh(["roster", "import", "data/roster.csv"], env);
    expect(roster.code, roster.stderr).toBe(0);
    expect(roster.stdout).toContain("১টি চ্যাটের নির্দেশনা ও সাড়া নতুন করে নির্ণয় করা হয়েছে।");
    const after = json<Directive[]>(await nirdesh(["pending", "--json"], env));
    expect(after).toEqual(json(await nirdesh(["pending", "--json"], shared.env)));
  });

  it("uses an office's own words after reindex, and refuses a broken lexicon in one line", async () => {
    const { env, folder } = office();
    const chat = join(folder, "dc.txt");
    writeFileSync(chat, ["22/10/2024, 10:00 - কাজী মাহমুদুল হাসান: সকল উপজেলায় হাটবাজারে বিষয়টি তদারকি প্রয়োজন।", "22/10/2024, 10:02 - শাহানা পারভীন: জি স্যার", "22/10/2024, 10:03 - তানভীর আহমেদ: আসসালামু আলাইকুম"].join("\n"));
    expect((await nirdesh(["import", chat, "--chat", GROUP, "--roster", "data/roster.csv"], env)).code).toBe(0);
    expect(json(await nirdesh(["pending", "--json"], env))).toEqual([]);

    const lexicons = join(folder, "lexicons");
    mkdirSync(lexicons);
    writeFileSync(join(lexicons, "directive.json"), JSON.stringify({ cues: { obligation: { phrases: ["তদারকি প্রয়োজন"] } } }));
    const office_ = { ...env, NIRDESH_LEXICONS: lexicons };
    expect(json(await nirdesh(["reindex", "--json"], office_))).toEqual({ rows: 3, chatsTracked: 1 });
    const pending = json<Directive[]>(await nirdesh(["pending", "--json"], office_));
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({
      issuer: { name: "কাজী মাহমুদুল হাসান" },
      acknowledged: [{ name: "শাহানা পারভীন", at: "2024-10-22T10:02:00+06:00" }],
      pending: [{ name: "তানভীর আহমেদ", phone: "+8801711000005" }],
    });

    writeFileSync(join(lexicons, "directive.json"), '{ "cues": { "obligation": ');
    expectOneClearLine(await nirdesh(["reindex"], office_), new RegExp(`${join(lexicons, "directive.json").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: শব্দতালিকা \\(lexicon\\) ঠিক নেই`));
  });

  // BUG: the office's lexicons are read only after the chat is archived, so a broken lexicon makes
  // `import` report an error (exit 2) although every message was archived, untracked.
  it.fails("changes nothing when an import is refused for a broken office lexicon", async () => {
    const { env, folder } = office();
    const lexicons = join(folder, "lexicons");
    mkdirSync(lexicons);
    writeFileSync(join(lexicons, "directive.json"), '{ "cues": ');
    const result = await nirdesh(["import", "data/sample-chat.txt", "--chat", GROUP, "--roster", "data/roster.csv"], { ...env, NIRDESH_LEXICONS: lexicons });
    expectOneClearLine(result, /lexicon/);
    expect(existsSync(env.NIRDESH_DB)).toBe(false);
  });

  // BUG: `mark` opens (and so creates) the archive before finding the message: a mistyped --db
  // leaves a new empty archive behind, though the command is refused.
  it.fails("creates no archive when marking a message in an archive that does not exist", async () => {
    const { env } = office();
    expectOneClearLine(await nirdesh(["mark", "5", "--directive"], env), /.+/);
    expect(existsSync(env.NIRDESH_DB)).toBe(false);
  });
});
