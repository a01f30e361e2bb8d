import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { systemChromium } from "../support.js";
import { nirdesh, officeWith, type Result, writeZip, zipMembers } from "./record-keeper.js";

const CHAT = "উপজেলা সমন্বয়";

/** A chat with everything a spreadsheet, a database or a browser might be tricked by. */
const HOSTILE = [
  "22/10/2024, 08:55 - শাহানা পারভীন: আসসালামু আলাইকুম",
  "22/10/2024, 08:56 - তানভীর আহমেদ: -2+3",
  "22/10/2024, 08:57 - সুমাইয়া ইসলাম: @SUM(A1:A9)",
  '22/10/2024, 09:00 - কাজী মাহমুদুল হাসান: =HYPERLINK("http://evil.example/x","ক্লিক করুন")',
  '22/10/2024, 09:01 - শাহানা পারভীন: +8801711000004 নম্বরে ফোন দিন, "জরুরি"',
  "22/10/2024, 09:02 - তানভীর আহমেদ: '; DROP TABLE messages; --",
  "22/10/2024, 09:05 - কাজী মাহমুদুল হাসান: সকল ইউএনও আজ বিকাল ৪টার মধ্যে ত্রাণ বিতরণের প্রতিবেদন পাঠাবেন।",
  "=1+1 দ্বিতীয় লাইন, কমা সহ",
  '"উদ্ধৃতি" শেষ লাইন',
  "22/10/2024, 09:10 - শাহানা পারভীন: জি স্যার",
  "22/10/2024, 09:12 - সুমাইয়া ইসলাম: <script>alert(1)</script> ক্ষমতা মন্ত্রণালয় স্থানীয় কার্যালয়",
];
const MESSAGES = 9;

function expectOneClearLine(result: Result, words: RegExp) {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(words);
  expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+|Error:|node:internal/);
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe("a record keeper exports a chat with hostile content", () => {
  it("to a CSV that Excel opens with Bangla intact, that quotes commas, quotes and line breaks, and that runs nothing", async () => {
    const { folder, env } = await officeWith(CHAT, HOSTILE);
    const out = join(folder, "chat.csv");
    const result = await nirdesh(["export", "--format", "csv", "--out", out], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("৯টি বার্তা csv হিসেবে রপ্তানি হয়েছে");

    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true }) as string[][];
    expect(rows).toHaveLength(MESSAGES + 1);
    const header = rows[0]!;
    expect(header).toEqual(["id", "chat", "at", "sender", "phone", "designation", "type", "body", "directive", "edited", "deleted", "seq", "hash"]);
    for (const row of rows) {
      expect(row).toHaveLength(header.length);
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    const bodies = rows.slice(1).map((row) => row[7]);
    expect(bodies).toContain(`'=HYPERLINK("http://evil.example/x","ক্লিক করুন")`);
    expect(bodies).toContain("'-2+3");
    expect(bodies).toContain("'@SUM(A1:A9)");
    expect(bodies).toContain(`'+8801711000004 নম্বরে ফোন দিন, "জরুরি"`);
    expect(bodies).toContain("'; DROP TABLE messages; --");
    expect(bodies).toContain('সকল ইউএনও আজ বিকাল ৪টার মধ্যে ত্রাণ বিতরণের প্রতিবেদন পাঠাবেন।\n=1+1 দ্বিতীয় লাইন, কমা সহ\n"উদ্ধৃতি" শেষ লাইন');
    expect(rows[1]![1]).toBe(CHAT);
    expect(rows.slice(1).every((row) => /^[0-9a-f]{64}$/.test(row[12]!))).toBe(true);
    // The SQL-looking words were archived as words: every message is still there, the chain still holds.
    expect((await nirdesh(["verify"], env)).code).toBe(0);
    expect(mode(out)).toBe(0o600);
    expect(readdirSync(folder).some((name) => name.endsWith(".partial"))).toBe(false);
  });

  it("to a workbook with a sheet of directives and who acknowledged them, and a sheet of messages where formulas are text", async () => {
    const { folder, env } = await officeWith(CHAT, HOSTILE);
    const out = join(folder, "chat.xlsx");
    const result = await nirdesh(["export", "--format", "xlsx", "--out", out], env);
    expect(result.code, result.stderr).toBe(0);
    expect(mode(out)).toBe(0o600);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["নির্দেশনা", "বার্তা"]);
    const directives = workbook.getWorksheet("নির্দেশনা")!;
    const heading = (directives.getRow(1).values as unknown[]).slice(1);
    const rows: Array<Record<string, unknown>> = [];
    directives.eachRow((row, number) => number > 1 && rows.push(Object.fromEntries(Array.from((row.values as unknown[]).slice(1), (value, i) => [heading[i], value]))));
    // The DC's two messages read as directives: the link he asked them to click, and the report.
    expect(rows.map((row) => row["নম্বর"])).toEqual([4, 7]);
    const directive = rows[1]!;
    expect(directive).toMatchObject({ "নির্দেশদাতা": "কাজী মাহমুদুল হাসান", "সাড়া দেওয়ার কথা": 3, "সাড়া দিয়েছেন": 1, "যাঁরা সাড়া দেননি": "তানভীর আহমেদ, সুমাইয়া ইসলাম" });
    expect(String(directive["নির্দেশনা"])).toContain("ত্রাণ বিতরণের প্রতিবেদন");

    const messages = workbook.getWorksheet("বার্তা")!;
    expect(messages.rowCount).toBe(MESSAGES + 1);
    const bodies = new Map<string, ExcelJS.Cell>();
    messages.eachRow((row, number) => number > 1 && bodies.set(String(row.getCell(8).value), row.getCell(8)));
    const formula = bodies.get('=HYPERLINK("http://evil.example/x","ক্লিক করুন")')!;
    expect(formula.type).toBe(ExcelJS.ValueType.String);
    expect(formula.formula).toBeUndefined();
    expect(bodies.get("-2+3")?.type).toBe(ExcelJS.ValueType.String);
    expect([...bodies.keys()]).toContain("<script>alert(1)</script> ক্ষমতা মন্ত্রণালয় স্থানীয় কার্যালয়");
  });

  it("to JSON in DESIGN.md's message shape, with each row's place and hash in the chain", async () => {
    const { folder, env } = await officeWith(CHAT, HOSTILE);
    const out = join(folder, "chat.json");
    expect((await nirdesh(["export", "--format", "json", "--out", out, "--from", "শাহানা পারভীন"], env)).code).toBe(0);
    const messages = JSON.parse(readFileSync(out, "utf8")) as Array<Record<string, unknown>>;
    expect(messages).toHaveLength(3);
    expect(Object.keys(messages[0]!)).toEqual(expect.arrayContaining(["id", "chat", "sender", "at", "body", "type", "directive", "deleted", "edited", "seq", "hash"]));
    expect(messages[0]!.sender).toMatchObject({ phone: "+8801711000004", name: "শাহানা পারভীন", designation: "ইউএনও, সখীপুর" });
    expect(messages.map((m) => m.at)).toEqual([...messages.map((m) => m.at)].sort());
    expect(messages[1]!.body).toBe('+8801711000004 নম্বরে ফোন দিন, "জরুরি"');
  });

  it("chooses messages with the search filters, Bangla dates included", async () => {
    const { folder, env } = await officeWith(CHAT, HOSTILE);
    const out = join(folder, "some.json");
    const result = await nirdesh(["export", "--format", "json", "--out", out, "--query", "প্রতিবেদন", "--since", "২২/১০/২০২৪", "--until", "২২/১০/২০২৪", "--directives", "--chat", "সমন্বয়"], env);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(readFileSync(out, "utf8")) as Array<{ directive: boolean }>).map((m) => m.directive)).toEqual([true]);
    const empty = join(folder, "none.json");
    expect((await nirdesh(["export", "--format", "json", "--out", empty, "--since", "2025-01-01"], env)).code).toBe(0);
    expect(JSON.parse(readFileSync(empty, "utf8"))).toEqual([]);
  });
});

describe("an evidence bundle", () => {
  const PHOTO = Buffer.from("ছবির বাইট — ত্রাণ বিতরণের ছবি");

  async function bundled() {
    const lines = [...HOSTILE, "22/10/2024, 09:20 - শাহানা পারভীন: IMG-20241022-WA0003.jpg (file attached)"];
    const { folder, env } = await officeWith(CHAT, lines, { "IMG-20241022-WA0003.jpg": PHOTO });
    const bundle = join(folder, "evidence.zip");
    const result = await nirdesh(["export", "--format", "bundle", "--out", bundle], env);
    expect(result.code, result.stderr).toBe(0);
    // The auditor's machine has no archive: the database and the media store are gone.
    rmSync(join(folder, "media"), { recursive: true, force: true });
    for (const name of readdirSync(folder)) if (name.startsWith("nirdesh.db")) rmSync(join(folder, name));
    return { folder, bundle, env };
  }

  /** The bundle altered by `change`, written beside it; verify's answer about it. */
  async function tampered(bundle: string, folder: string, change: (members: Array<{ name: string; data: Buffer }>) => Array<{ name: string; data: Buffer }>) {
    const path = join(folder, `tampered-${Math.random().toString(36).slice(2)}.zip`);
    await writeZip(path, change(await zipMembers(bundle)));
    return nirdesh(["verify", "--bundle", path, "--lang", "en"], {});
  }

  it("holds the messages as JSON and CSV, the chain links, the media, a manifest and a README, and verifies with no archive", async () => {
    const { bundle, folder } = await bundled();
    expect(mode(bundle)).toBe(0o600);
    const members = await zipMembers(bundle);
    expect(members.map((member) => member.name)).toEqual([
      "messages.json",
      "messages.csv",
      "chain.jsonl",
      expect.stringMatching(/^media\/[0-9a-f]{64}$/),
      "README.txt",
      "manifest.json",
      "SHA256SUMS",
    ]);
    expect(members[3]!.data).toEqual(PHOTO);
    const manifest = JSON.parse(members[5]!.data.toString("utf8"));
    expect(manifest).toMatchObject({ format: "nirdesh-bundle", exportedBy: "nezarat", messages: MESSAGES + 1, media: 1, mediaMissing: [] });
    expect(manifest.members).toHaveLength(5);
    expect(members[6]!.data.toString("utf8").split("\n").filter(Boolean)).toHaveLength(6);

    const verified = await nirdesh(["verify", "--bundle", bundle], {});
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain("বান্ডল অক্ষত");
    const json = JSON.parse((await nirdesh(["verify", "--bundle", bundle, "--json"], {})).stdout);
    expect(json).toMatchObject({ intact: true, messages: MESSAGES + 1, members: 7, head: { seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(existsSync(join(folder, "nirdesh.db"))).toBe(false);
  });

  it("fails naming the member when one byte of it changes, one is removed, one is added, or the manifest is edited", async () => {
    const { bundle, folder } = await bundled();
    const flipped = await tampered(bundle, folder, (members) =>
      members.map((member) => (member.name === "messages.csv" ? { ...member, data: Buffer.from(member.data.map((byte, i) => (i === 200 ? byte ^ 1 : byte))) } : member)),
    );
    expect(flipped.code).toBe(1);
    expect(flipped.stdout).toContain("messages.csv: its content was changed");

    const removed = await tampered(bundle, folder, (members) => members.filter((member) => !member.name.startsWith("media/")));
    expect(removed.code).toBe(1);
    expect(removed.stdout).toMatch(/media\/[0-9a-f]{64}: missing/);

    const added = await tampered(bundle, folder, (members) => [...members, { name: "media/extra.jpg", data: Buffer.from("not from the archive") }]);
    expect(added.code).toBe(1);
    expect(added.stdout).toContain("media/extra.jpg: added");

    const edited = await tampered(bundle, folder, (members) =>
      members.map((member) => (member.name === "manifest.json" ? { ...member, data: Buffer.from(member.data.toString("utf8").replace('"nezarat"', '"someone else"')) } : member)),
    );
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain("manifest.json: its content was changed");

    const json = JSON.parse((await nirdesh(["verify", "--bundle", join(folder, readdirSync(folder).find((name) => name.startsWith("tampered-"))!), "--json"], {})).stdout);
    expect(json.intact).toBe(false);
  });

  it("names the row whose words no longer match its chain hash, even when every checksum was rewritten to hide it", async () => {
    const { bundle, folder } = await bundled();
    const { createHash } = await import("node:crypto");
    const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");
    const members = await zipMembers(bundle);
    const json = members.find((member) => member.name === "messages.json")!;
    const original = JSON.parse(json.data.toString("utf8")) as Array<{ id: number; seq: number; body: string }>;
    const target = original.find((message) => message.body.startsWith("সকল ইউএনও"))!;
    json.data = Buffer.from(json.data.toString("utf8").replace("প্রতিবেদন পাঠাবেন", "প্রতিবেদন পাঠানোর দরকার নেই"));
    // A forger updates the manifest and SHA256SUMS to match.
    const manifest = members.find((member) => member.name === "manifest.json")!;
    const parsed = JSON.parse(manifest.data.toString("utf8"));
    parsed.members.find((member: { path: string }) => member.path === "messages.json").sha256 = sha(json.data);
    parsed.members.find((member: { path: string }) => member.path === "messages.json").size = json.data.length;
    manifest.data = Buffer.from(JSON.stringify(parsed, null, 2));
    const sums = members.find((member) => member.name === "SHA256SUMS")!;
    sums.data = Buffer.from(parsed.members.map((member: { sha256: string; path: string }) => `${member.sha256}  ${member.path}\n`).join("") + `${sha(manifest.data)}  manifest.json\n`);

    const result = await tampered(bundle, folder, () => members);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`messages.json: message #${target.id} (chain row ${target.seq}) does not match its chain hash (body)`);
  });

  it("is not a bundle when it is not a zip, or a zip of something else: exit 2 with one line", async () => {
    const { folder } = await bundled();
    const notZip = join(folder, "notes.zip");
    writeFileSync(notZip, "এটি zip নয়");
    expectOneClearLine(await nirdesh(["verify", "--bundle", notZip], {}), /প্রমাণ-বান্ডল .*নয়/);
    const otherZip = join(folder, "photos.zip");
    await writeZip(otherZip, [{ name: "photo.jpg", data: PHOTO }]);
    expectOneClearLine(await nirdesh(["verify", "--bundle", otherZip, "--lang", "en"], {}), /not a Nirdesh evidence bundle/);
    expectOneClearLine(await nirdesh(["verify", "--bundle", join(folder, "missing.zip")], {}), /পাওয়া যায়নি/);
  });
});

describe.skipIf(systemChromium() === null)("a printable PDF", () => {
  it("of a Bangla chat: A4, its pages numbered, made by the system Chromium", async () => {
    const { folder, env } = await officeWith(CHAT, HOSTILE);
    const out = join(folder, "chat.pdf");
    const result = await nirdesh(["export", "--format", "pdf", "--out", out], env);
    expect(result.code, result.stderr).toBe(0);
    const pdf = readFileSync(out);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pageCount(pdf)).toBe(1);
    expect(mode(out)).toBe(0o600);
  }, 60_000);

  it("of the acknowledgement report, with its charts", async () => {
    const { folder, env } = await officeWith(CHAT, HOSTILE);
    const out = join(folder, "report.pdf");
    const result = await nirdesh(["report", "--format", "pdf", "--out", out], env);
    expect(result.code, result.stderr).toBe(0);
    const pdf = readFileSync(out);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    // The figures and charts on the first page; the directives one by one on the second.
    expect(pageCount(pdf)).toBe(2);
  }, 60_000);
});

describe("bad input gets one clear line and exit 2, and writes nothing", () => {
  it.each([
    ["no format", ["export", "--out", "x.csv"], /--format/],
    ["an unknown format", ["export", "--format", "docx", "--out", "x.docx"], /--format: "docx" নয়/],
    ["no --out", ["export", "--format", "csv"], /--out/],
    ["a bad date", ["export", "--format", "csv", "--out", "x.csv", "--since", "৩১/০২/২০২৪"], /তারিখটি বোঝা যায়নি/],
    ["an unknown chat", ["export", "--format", "csv", "--out", "x.csv", "--chat", "নেই এমন গ্রুপ"], /চ্যাট আর্কাইভে নেই/],
    ["a hostile, over-long query", ["export", "--format", "csv", "--out", "x.csv", "--query", `"NEAR(${"ক".repeat(1200)}`], /১,০০০ অক্ষরের বেশি/],
    ["a folder that does not exist", ["export", "--format", "csv", "--out", "/no/such/folder/x.csv"], /ফোল্ডারটি নেই/],
    ["an unknown report format", ["report", "--format", "docx"], /--format/],
    ["a PDF report with nowhere to go", ["report", "--format", "pdf"], /--out/],
    ["an unknown period", ["report", "--period", "week"], /month বা quarter/],
    ["a bad audit date", ["audit", "--since", "কাল"], /তারিখটি বোঝা যায়নি/],
  ])("%s", async (_story, args, words) => {
    const { folder, env } = await officeWith(CHAT, HOSTILE);
    const before = JSON.parse((await nirdesh(["verify", "--json"], env)).stdout).rows;
    expectOneClearLine(await nirdesh(args.map((arg) => (arg === "x.csv" ? join(folder, "x.csv") : arg)), env), words);
    expect(existsSync(join(folder, "x.csv"))).toBe(false);
    // Nothing was exported, so nothing was audited.
    expect(JSON.parse((await nirdesh(["verify", "--json"], env)).stdout).rows).toBe(before);
  });

  it("an existing file is never replaced without --force, and never half-written", async () => {
    const { folder, env } = await officeWith(CHAT, HOSTILE);
    const out = join(folder, "register.csv");
    writeFileSync(out, "an earlier export");
    expectOneClearLine(await nirdesh(["export", "--format", "csv", "--out", out, "--lang", "en"], env), /exists already; give --force/);
    expect(readFileSync(out, "utf8")).toBe("an earlier export");
    expect((await nirdesh(["export", "--format", "csv", "--out", out, "--force"], env)).code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("DROP TABLE");
    expect(mode(out)).toBe(0o600);
    expect(readdirSync(folder).filter((name) => name.endsWith(".partial"))).toEqual([]);
  });
});

/** Pages of a PDF: its page objects (not the /Pages tree). */
function pageCount(pdf: Buffer): number {
  return pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-z])/g)?.length ?? 0;
}
