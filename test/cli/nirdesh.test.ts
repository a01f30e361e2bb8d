import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import Database from "better-sqlite3-multiple-ciphers";
import { beforeAll, describe, expect, it } from "vitest";
import { expectOneClearLine, othersCanReach, temporaryFolder } from "../support.js";

const BIN = join(import.meta.dirname, "../../bin/nirdesh.js");
const GROUP = "ডিসি অফিস টাঙ্গাইল - দাপ্তরিক";

beforeAll(() => {
  if (!existsSync(join(import.meta.dirname, "../../dist/cli/main.js"))) throw new Error("run `npm run build` first (npm test does)");
});

/** Runs the real `nirdesh` binary, as a record keeper would. */
function nirdesh(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    cwd: join(import.meta.dirname, "../.."),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function office() {
  const folder = temporaryFolder();
  const db = join(folder, "nirdesh.db");
  return { folder, db, env: { NIRDESH_DB: db } };
}

describe("nirdesh on the command line", () => {
  it("imports the sample chat with its roster, then finds, shows and verifies it, in Bangla", () => {
    const { env } = office();
    const imported = nirdesh(["import", "data/sample-chat.txt", "--chat", GROUP, "--roster", "data/roster.csv"], env);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain("রোস্টারে ১৪ জন নতুন");
    expect(imported.stdout).toContain("৯৬টি বার্তা পাওয়া গেছে, ৯৬টি নতুন সংরক্ষিত");

    const found = nirdesh(["search", "প্রতিবেদন", "--from", "01711000001", "--since", "২৩/১০/২০২৪"], env);
    expect(found.code).toBe(0);
    expect(found.stdout).toContain("কাজী মাহমুদুল হাসান (জেলা প্রশাসক, টাঙ্গাইল) · +8801711000001");
    expect(found.stdout).toMatch(/2024-10-2\dT\d\d:\d\d:00\+06:00/);
    expect(found.stdout).toContain("ফলাফল");

    const id = /#(\d+)/.exec(found.stdout)![1]!;
    const shown = nirdesh(["show", id], env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("প্রেরক: কাজী মাহমুদুল হাসান");
    expect(shown.stdout).toMatch(/হ্যাশ: [0-9a-f]{64}/);

    const verified = nirdesh(["verify"], env);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain("আর্কাইভ অক্ষত");
  });

  it("speaks English when configured", () => {
    const { env } = office();
    const result = nirdesh(["import", "data/sample-chat.txt", "--chat", GROUP, "--lang", "en"], env);
    expect(result.stdout).toContain("96 messages found, 96 newly archived");
    expect(nirdesh(["verify"], { ...env, NIRDESH_LANG: "en" }).stdout).toContain("Archive intact");
  });

  it("prints one JSON document in DESIGN.md's shapes with --json", () => {
    const { env } = office();
    nirdesh(["import", "data/sample-chat.txt", "--chat", GROUP, "--roster", "data/roster.csv"], env);
    const result = nirdesh(["search", "জরুরি", "--json", "--limit", "২"], env);
    expect(result.code).toBe(0);
    const messages = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(messages).toHaveLength(2);
    expect(Object.keys(messages[0]!)).toEqual(expect.arrayContaining(["id", "chat", "sender", "at", "body", "type", "directive", "deleted", "edited"]));
    expect(messages[0]!.sender).toMatchObject({ id: expect.stringMatching(/@c\.us$/), phone: expect.stringMatching(/^\+880/) });
    expect(messages[0]!.at).toMatch(/\+06:00$/);

    const shown = JSON.parse(nirdesh(["show", String(messages[0]!.id), "--json"], env).stdout);
    expect(shown).toMatchObject({ id: messages[0]!.id, edits: [], reactions: [], replies: [] });
    // 96 messages, 13 system events, the import's record, and the audit entries of the search and the show.
    expect(JSON.parse(nirdesh(["verify", "--json"], env).stdout)).toMatchObject({ intact: true, rows: 112 });
  });

  it("exits 1 and names the row when someone edits the archive file directly", () => {
    const { env, db } = office();
    nirdesh(["import", "data/sample-chat.txt", "--chat", GROUP], env);
    const raw = new Database(db);
    raw.exec("DROP TRIGGER messages_no_update");
    raw.prepare("UPDATE messages SET body = ? WHERE id = 12").run("নির্দেশনা বাতিল করা হলো");
    raw.close();
    const result = nirdesh(["verify"], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("আর্কাইভে পরিবর্তন ধরা পড়েছে");
    expect(result.stdout).toContain("বার্তা ১২");
    expect(JSON.parse(nirdesh(["verify", "--json"], env).stdout)).toMatchObject({ intact: false, table: "message", id: 12, problem: "altered" });
  });

  it("verifies a read-only evidence copy, and searches for words that start with a dash", () => {
    const { env, db } = office();
    nirdesh(["import", "data/sample-chat.txt", "--chat", GROUP], env);
    chmodSync(db, 0o400);
    const verified = nirdesh(["verify"], env);
    expect(verified.code).toBe(0);
    const found = nirdesh(["search", "-প্রতিবেদন", "--json"], env);
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout).length).toBeGreaterThan(0);
  });

  it("takes the global options before the command too", () => {
    const { db } = office();
    expect(nirdesh(["--db", db, "--lang", "en", "import", "data/sample-chat.txt", "--chat", GROUP]).stdout).toContain("96 messages found");
    expect(nirdesh(["--db", db, "--json", "verify"]).stdout).toContain('"intact": true');
  });

  it.skipIf(process.getuid?.() !== 0 || !othersCanReach(join(import.meta.dirname, "../..")) || !othersCanReach(tmpdir()))("verifies an evidence copy in a folder nobody may write to, as an ordinary user", () => {
    const { env, folder } = office();
    nirdesh(["import", "data/sample-chat.txt", "--chat", GROUP], env);
    const copy = join(folder, "evidence");
    mkdirSync(copy);
    copyFileSync(env.NIRDESH_DB, join(copy, "nirdesh.db"));
    chmodSync(join(copy, "nirdesh.db"), 0o444);
    chmodSync(copy, 0o555);
    chmodSync(folder, 0o755);
    const result = spawnSync(process.execPath, [BIN, "verify", "--db", join(copy, "nirdesh.db")], {
      encoding: "utf8",
      uid: 65534,
      gid: 65534,
      env: { PATH: process.env.PATH },
      cwd: join(import.meta.dirname, "../.."),
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("আর্কাইভ অক্ষত");
  });

  it("speaks English in usage errors when asked", () => {
    const result = nirdesh(["search", "--bogus", "--lang", "en"]);
    expect(result.stderr).toMatch(/^error: .*--bogus/);
  });

  it("finds a search index edited to hide a message, and rebuilds it with reindex", () => {
    const { env, db } = office();
    nirdesh(["import", "data/sample-chat.txt", "--chat", GROUP], env);
    const raw = new Database(db);
    const { seq, body } = raw.prepare("SELECT seq, body FROM messages WHERE body LIKE '%ত্রাণ%' LIMIT 1").get() as { seq: number; body: string };
    raw.prepare("INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', ?, ?)").run(seq, body);
    raw.close();
    const tampered = nirdesh(["verify"], env);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain("খোঁজার সূচক");
    expect(nirdesh(["reindex"], env).code).toBe(0);
    expect(nirdesh(["verify"], env).code).toBe(0);
  });

  it("creates the archive readable by its owner only", () => {
    const { env, db, folder } = office();
    nirdesh(["import", "data/sample-chat.txt", "--chat", GROUP], env);
    expect(statSync(db).mode & 0o777).toBe(0o600);
    expect(statSync(join(folder, "media")).mode & 0o777).toBe(0o700);
  });
});

describe("bad input gets one clear line and exit 2, and changes nothing", () => {
  it.each([
    ["random bytes", () => randomBytes(4096), /লেখা \(text\) বা zip ফাইল নয়|Export chat/],
    ["an empty file", () => Buffer.alloc(0), /ফাইলটি খালি/],
    ["text that is not a chat", () => Buffer.from("hello\nworld\n"), /Export chat/],
    ["a broken zip", () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(200)]), /zip/],
  ])("importing %s", (_story, content, words) => {
    const { env, folder } = office();
    nirdesh(["import", "data/sample-chat.txt", "--chat", GROUP], env);
    const before = nirdesh(["verify", "--json"], env).stdout;
    const path = join(folder, "bad.txt");
    writeFileSync(path, content());
    // The good file is listed first: it must not be imported either.
    expectOneClearLine(nirdesh(["import", "data/sample-chat.txt", path, "--chat", "অন্য গ্রুপ"], env), words);
    expect(nirdesh(["verify", "--json"], env).stdout).toBe(before);
  });

  it.each([
    ["a missing file", ["import", "no-such-file.txt"], /পাওয়া যায়নি/],
    ["an unknown option", ["search", "--colour"], /--colour/],
    ["an unknown command", ["export-everything"], /কোনো কমান্ড নয়/],
    ["a bad date", ["search", "x", "--since", "৩১/০২/২০২৪"], /তারিখটি বোঝা যায়নি/],
    ["a bad limit", ["search", "x", "--limit", "০"], /ধনাত্মক পূর্ণসংখ্যা/],
    ["a bad message number", ["show", "abc"], /বার্তার নম্বর নয়/],
    ["an unknown message", ["show", "999999"], /আর্কাইভে নেই/],
    ["an unknown chat", ["search", "--chat", "নেই"], /চ্যাট আর্কাইভে নেই/],
    ["an unknown sender", ["search", "--from", "কেউ না"], /কাউকে আর্কাইভে পাওয়া যায়নি/],
    ["a bad time zone", ["search", "x", "--tz", "Mars/Base"], /--tz/],
    ["a mistyped archive path for reading", ["verify", "--db", "/tmp/nirdesh-no-such-folder/typo.db"], /কোনো আর্কাইভ নেই/],
    ["a folder as the archive", ["import", "data/sample-chat.txt", "--db", "data"], /আর্কাইভ নয়/],
    ["a blank group name", ["import", "data/sample-chat.txt", "--chat", "   "], /খালি হতে পারে না/],
    ["a blank sender", ["search", "--from", " "], /খালি হতে পারে না/],
    ["an empty --db", ["verify", "--db", ""], /--db/],
    ["a bad date order", ["import", "data/sample-chat.txt", "--date-order", "yyy"], /dmy, mdy/],
  ])("%s", (_story, args, words) => {
    const { env } = office();
    // An archive exists (with the roster only), so what is refused is the input, not a missing archive.
    nirdesh(["roster", "import", "data/roster.csv"], env);
    expectOneClearLine(nirdesh(args, env), words);
  });

  it("a roster without a phone column", () => {
    const { env, folder } = office();
    const roster = join(folder, "roster.csv");
    writeFileSync(roster, "name,designation\nকাজী মাহমুদুল হাসান,জেলা প্রশাসক\n");
    expectOneClearLine(nirdesh(["roster", "import", roster], env), /"phone" কলাম নেই/);
    expectOneClearLine(nirdesh(["import", "data/sample-chat.txt", "--chat", GROUP, "--roster", roster], env), /"phone" কলাম নেই/);
    // Nothing was written: not even an empty archive was created.
    expectOneClearLine(nirdesh(["verify"], env), /কোনো আর্কাইভ নেই/);
  });

  it("a file that is not an archive given as --db", () => {
    const { env, folder } = office();
    const notDb = join(folder, "notes.db");
    writeFileSync(notDb, "এটি একটি সাধারণ লেখা ফাইল, ডাটাবেস নয়।".repeat(100));
    expectOneClearLine(nirdesh(["verify", "--db", notDb], env), /আর্কাইভ নয়/);
    expect(readFileSync(notDb, "utf8")).toContain("ডাটাবেস নয়");
  });
});
