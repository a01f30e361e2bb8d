import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3-multiple-ciphers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, expectOneClearLine, runNirdesh as nirdesh, temporaryFolder } from "../support.js";

const ROOT = join(import.meta.dirname, "../..");
const GROUP = "ডিসি অফিস টাঙ্গাইল - দাপ্তরিক";

type Result = CliResult;

function json<T = unknown>(result: Result): T {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** Bangla digits, as a record keeper may type a message's number. */
const bangla = (n: number) => String(n).replace(/\d/g, (d) => "০১২৩৪৫৬৭৮৯"[Number(d)]!);

/** A message's number, read straight from the archive file. */
function messageId(db: string, bodyStart: string): number {
  const raw = new Database(db, { readonly: true });
  try {
    return (raw.prepare("SELECT id FROM messages WHERE body LIKE ? ORDER BY seq LIMIT 1").get(`${bodyStart}%`) as { id: number }).id;
  } finally {
    raw.close();
  }
}

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

afterAll(() => {
  if (shared) rmSync(shared.folder, { recursive: true, force: true });
});

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

/** Either digits: the counts in Bangla output may be written in Bangla or ASCII digits. */
const count = (n: number) => `(?:${n}|${bangla(n)})`;

/** The shared office's `pending --json`, read once. */
let sharedPending: Promise<Directive[]> | undefined;
const pendingOfOffice = () => (sharedPending ??= nirdesh(["pending", "--json"], shared.env).then((result) => json<Directive[]>(result)));

describe("directives on the command line", () => {
  it("says, on import with the roster, how many directives the chat holds and how many still wait", () => {
    expect(shared.imported.code, shared.imported.stderr).toBe(0);
    expect(shared.imported.stdout).toContain("এই চ্যাটে ২২টি নির্দেশনা; ২১টিতে এখনো কেউ কেউ সাড়া দেননি (nirdesh pending)।");
  });

  it("pages pending with --limit, the oldest first, and refuses a limit that is not a number", async () => {
    const all = await pendingOfOffice();
    const [page, bad] = await Promise.all([nirdesh(["pending", "--limit", "৩", "--json"], shared.env), nirdesh(["pending", "--limit", "x"], shared.env)]);
    expect(json<Directive[]>(page).map((d) => d.id)).toEqual(all.slice(0, 3).map((d) => d.id));
    expectOneClearLine(bad, /--limit/);
  });

  it("prints pending --json as one array of DESIGN.md's directive shape, oldest first", async () => {
    const directives = await pendingOfOffice();
    expect(directives).toHaveLength(21);
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
    const [byPart, unknown] = await Promise.all([
      nirdesh(["pending", "--chat", "দাপ্তরিক", "--json"], shared.env),
      nirdesh(["pending", "--chat", "উপজেলা প্রশাসন নেই"], shared.env),
    ]);
    expect(json(byPart)).toEqual(await pendingOfOffice());
    expectOneClearLine(unknown, /"উপজেলা প্রশাসন নেই" নামে কোনো চ্যাট আর্কাইভে নেই/);
    expect(unknown.stdout).toBe("");
  });

  it("finds only directives with search --directives", async () => {
    const [directives, acknowledgements] = await Promise.all([
      nirdesh(["search", "--directives", "--json"], shared.env),
      nirdesh(["search", "জি স্যার", "--directives", "--json"], shared.env),
    ]);
    const found = json<Array<{ id: number; directive: boolean; body: string }>>(directives);
    // Every directive: the 22 still pending and the one the AC (Land) answered.
    expect(found).toHaveLength(22);
    expect(found.every((message) => message.directive === true)).toBe(true);
    expect(found.map((message) => message.id)).toEqual(expect.arrayContaining((await pendingOfOffice()).map((directive) => directive.id)));
    // The officers' জি স্যার are messages, not directives.
    expect(json(acknowledgements)).toEqual([]);
  });

  it("shows a directive with its issuer, deadline, who acknowledged and who did not, and why it is one", async () => {
    const id = (await pendingOfOffice())[0]!.id;
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

    // For a person, in Bangla (the number typed in Bangla digits).
    expect(shownText.code, shownText.stderr).toBe(0);
    expect(shownText.stdout).toMatch(new RegExp(`সাড়া দিয়েছেন \\(${count(6)}/${count(11)}\\):`));
    expect(shownText.stdout).toMatch(/2024-10-22T09:16:00\+06:00 {2}শাহানা পারভীন \(ইউএনও, সখীপুর\) {2}বার্তায় #[\d০-৯]+/);
    expect(shownText.stdout).toMatch(new RegExp(`সাড়া দেননি \\(${count(5)}\\): .*আরিফুর রহমান`));
    expect(shownText.stdout).toContain("শনাক্তকরণ: নির্দেশনা");
  });

  it("speaks Bangla by default and English with --lang en", async () => {
    const [bn, en] = await Promise.all([nirdesh(["pending"], shared.env), nirdesh(["pending", "--lang", "en"], shared.env)]);
    expect(bn.code).toBe(0);
    expect(bn.stdout).toContain("নির্দেশদাতা: কাজী মাহমুদুল হাসান (জেলা প্রশাসক, টাঙ্গাইল) · +8801711000001");
    expect(bn.stdout).toContain("সময়সীমা: 2024-10-23T15:00:00+06:00");
    expect(bn.stdout).toContain("২১টি নির্দেশনা সাড়ার অপেক্ষায়।");
    expect(bn.stdout).not.toMatch(/Issued by|waiting for/);

    expect(en.code).toBe(0);
    expect(en.stdout).toContain("Issued by: কাজী মাহমুদুল হাসান (জেলা প্রশাসক, টাঙ্গাইল) · +8801711000001");
    expect(en.stdout).toContain("Deadline: 2024-10-23T15:00:00+06:00");
    expect(en.stdout).toContain("Not yet acknowledged (");
    expect(en.stdout).toContain("21 directives waiting for acknowledgements.");
    expect(en.stdout).not.toMatch(/নির্দেশদাতা|সাড়া দেননি|সময়সীমা/);
  });
});

describe("nirdesh mark", () => {
  it("refuses a bad number, an unknown message, both flags at once, and an officer as --by, each in one line, recording nothing", async () => {
    const { env } = copyOfOffice();
    // The shared office's searches were audited in its chain: the copy holds what the import left, and those.
    const before = json<{ rows: number }>(await nirdesh(["verify", "--json"], env)).rows;
    const refused = await Promise.all([
      nirdesh(["mark", "abc", "--directive", "--by", "01711000013"], env),
      nirdesh(["mark", "999999", "--directive", "--by", "01711000013"], env),
      nirdesh(["mark", "4", "--directive", "--not-directive", "--by", "01711000013"], env),
      nirdesh(["mark", "4", "--not-directive", "--by", "শাহানা পারভীন"], env),
      nirdesh(["mark", "4", "--not-directive", "--by", "শাহানা পারভীন", "--lang", "en"], env),
      nirdesh(["mark", "4", "--not-directive"], env),
    ]);
    expectOneClearLine(refused[0]!, /"abc" কোনো বার্তার নম্বর নয়/);
    expectOneClearLine(refused[1]!, /নম্বরের কোনো বার্তা আর্কাইভে নেই/);
    expectOneClearLine(refused[2]!, /--directive \(জরুরি হলে --urgent\) অথবা --not-directive দিন \(একটি\)/);
    // The UNO of Sakhipur is an officer: she may not correct the DC's directive.
    expectOneClearLine(refused[3]!, /"শাহানা পারভীন" রোস্টারে ঊর্ধ্বতন \(superior\) বা রেকর্ড কিপার \(recordkeeper\) নন/);
    expectOneClearLine(refused[4]!, /^error: "শাহানা পারভীন" is not a superior or record keeper/);
    // Who corrected it must be on record.
    expectOneClearLine(refused[5]!, /--by দিয়ে দিন/);
    for (const result of refused) expect(result.stdout).toBe("");
    // The chain is as it was: refused corrections record nothing.
    expect(json(await nirdesh(["verify", "--json"], env))).toMatchObject({ intact: true, rows: before });
  });

  it("records a record keeper's and the DC's corrections in the chain, and verify still passes", async () => {
    const { env } = copyOfOffice();
    const before = json<{ rows: number }>(await nirdesh(["verify", "--json"], env)).rows;
    // The NDC's notice of the law-and-order meeting was no directive (she is no superior);
    // the DC's "ভালো কাজ। অভিযান অব্যাহত রাখুন।" praised one UNO but was taken for one.
    const praise = (await pendingOfOffice()).find((directive) => directive.body === "ভালো কাজ। অভিযান অব্যাহত রাখুন।")!.id;
    const notice = messageId(env.NIRDESH_DB, "আসসালামু আলাইকুম। আগামী ২৭ অক্টোবর ২০২৪ রবিবার");

    const marked = await nirdesh(["mark", String(notice), "--directive", "--by", "তাসলিমা খাতুন"], env);
    expect(marked.code, marked.stderr).toBe(0);
    expect(marked.stdout).toMatch(new RegExp(`^#${count(notice)} নির্দেশনা হিসেবে চিহ্নিত হলো; সংশোধনটি হ্যাশ-শৃঙ্খলে সংরক্ষিত।\\n$`));
    // The DC, named by his phone, types the number in Bangla digits: the second new row of the chain.
    expect(json(await nirdesh(["mark", bangla(praise), "--not-directive", "--by", "01711000001", "--json"], env))).toEqual({ id: praise, directive: false, changed: true, seq: before + 2 });
    // The same correction again changes nothing.
    expect(json(await nirdesh(["mark", String(notice), "--directive", "--by", "তাসলিমা খাতুন", "--json"], env))).toEqual({ id: notice, directive: true, changed: false });

    const [pending, directives, verified] = await Promise.all([
      nirdesh(["pending", "--json"], env),
      nirdesh(["search", "--directives", "--json"], env),
      nirdesh(["verify"], env),
    ]);
    const waiting = json<Directive[]>(pending);
    expect(waiting.map((d) => d.id)).not.toContain(praise);
    const correction = waiting.find((d) => d.id === notice)!;
    expect(correction).toMatchObject({ marked: true, issuer: { name: "তাসলিমা খাতুন" }, acknowledged: [] });
    // She issued it, so she is not among those expected to answer it.
    expect(correction.expected.map((p) => p.name)).not.toContain("তাসলিমা খাতুন");
    const found = json<Array<{ id: number }>>(directives).map((m) => m.id);
    expect(found).toContain(notice);
    expect(found).not.toContain(praise);
    // A correction is a new row, never an edit: the chain holds, two rows longer (and the search's audit entry).
    expect(verified.code, verified.stderr).toBe(0);
    expect(json(await nirdesh(["verify", "--json"], env))).toMatchObject({ intact: true, rows: before + 2 + 1 });
  });
});

describe("tracking follows the roster and the lexicons", () => {
  it("works directives out again when the roster comes, uses an office's own words after reindex, and refuses a broken lexicon", async () => {
    const { env, folder } = office();
    const chat = join(folder, "dc.txt");
    writeFileSync(
      chat,
      [
        "22/10/2024, 10:00 - কাজী মাহমুদুল হাসান: সকল উপজেলায় হাটবাজারে বিষয়টি তদারকি প্রয়োজন।",
        "22/10/2024, 10:02 - শাহানা পারভীন: জি স্যার",
        "22/10/2024, 10:03 - তানভীর আহমেদ: আসসালামু আলাইকুম",
      ].join("\n"),
    );
    expect((await nirdesh(["import", chat, "--chat", GROUP], env)).code).toBe(0);
    // Without a roster or a group admin, nobody is a superior: there is no directive.
    expect((await nirdesh(["pending"], env)).stdout).toBe("সাড়ার অপেক্ষায় কোনো নির্দেশনা নেই।\n");
    // The roster says who is a superior, so the chat is worked out again; but "তদারকি প্রয়োজন", how
    // this DC gives an order, is not among the project's words.
    const roster = await nirdesh(["roster", "import", "data/roster.csv"], env);
    expect(roster.stdout).toContain("১টি চ্যাটের নির্দেশনা ও সাড়া নতুন করে নির্ণয় করা হয়েছে।");

    const lexicons = join(folder, "lexicons");
    mkdirSync(lexicons);
    writeFileSync(join(lexicons, "directive.json"), JSON.stringify({ cues: { obligation: { phrases: ["তদারকি প্রয়োজন"] } } }));
    const withOfficeWords = { ...env, NIRDESH_LEXICONS: lexicons };
    expect(json(await nirdesh(["reindex", "--json"], withOfficeWords))).toEqual({ rows: 3, chatsTracked: 1 });
    // The roster import found no directive; the office's words do.
    expect(json<Directive[]>(await nirdesh(["pending", "--json"], withOfficeWords))).toMatchObject([
      {
        issuer: { name: "কাজী মাহমুদুল হাসান" },
        acknowledged: [{ name: "শাহানা পারভীন", at: "2024-10-22T10:02:00+06:00" }],
        pending: [{ name: "তানভীর আহমেদ", phone: "+8801711000005" }],
      },
    ]);

    writeFileSync(join(lexicons, "directive.json"), '{ "cues": { "obligation": ');
    const broken = await nirdesh(["reindex"], withOfficeWords);
    expectOneClearLine(broken, /শব্দতালিকা \(lexicon\) ঠিক নেই/);
    expect(broken.stderr).toContain(join(lexicons, "directive.json"));
  });

  // A command that writes reads the office's lexicons before it stores anything.
  it("changes nothing when an import is refused for a broken office lexicon", async () => {
    const { env, folder } = office();
    const lexicons = join(folder, "lexicons");
    mkdirSync(lexicons);
    writeFileSync(join(lexicons, "directive.json"), '{ "cues": ');
    const result = await nirdesh(["import", "data/sample-chat.txt", "--chat", GROUP, "--roster", "data/roster.csv"], { ...env, NIRDESH_LEXICONS: lexicons });
    expectOneClearLine(result, /lexicon/);
    expect(existsSync(env.NIRDESH_DB)).toBe(false);
  });

  // A mistyped --db or NIRDESH_DB must not leave a new, empty archive behind.
  it("creates no archive when marking a message in an archive that does not exist", async () => {
    const { env } = office();
    expectOneClearLine(await nirdesh(["mark", "5", "--directive", "--by", "01711000013"], env), /.+/);
    expect(existsSync(env.NIRDESH_DB)).toBe(false);
  });
});
