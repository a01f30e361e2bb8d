import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { describe, expect, it, vi } from "vitest";
import { showMessage } from "../../src/store/show-message.js";
import { searchMessages } from "../../src/store/search-messages.js";
import { verifyChain } from "../../src/store/verify-chain.js";
import { DC, liveOffice, SAKHIPUR } from "../bot/live-office.js";
import { nirdesh, officeWith, writeZip } from "../export/record-keeper.js";
import { testArchive } from "../support.js";

const CHAT = "উপজেলা সমন্বয়";

/** Message bodies that an FTS5 or SQL reader would take for commands. */
const LOOKS_LIKE_SYNTAX = [
  '"জরুরি" সভা',
  "NEAR(ত্রাণ বিতরণ, 2)",
  "text:গোপন নথি",
  "{text}: বাজেট",
  "^শুরু থেকে",
  "প্রতি* OR ত্রাণ AND NOT বাতিল",
  "'; DROP TABLE messages; --",
  '" OR 1=1 --',
  "100%_done\\",
];

/** The live office of test/bot/live-office.ts, with its archive's file and folder at hand. */
async function liveOfficeOnDisk(options: { roster?: boolean } = {}) {
  const store = await testArchive();
  return { ...(await liveOffice({ ...options, archive: store })), path: store.path, folder: store.folder };
}

/** Every file under a folder, relative to it. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)));
}

/** The archive's message count and its chain's verdict, as `nirdesh verify --json` gives them. */
async function archiveState(env: Record<string, string>) {
  const verified = await nirdesh(["verify", "--json"], env);
  const messages = await nirdesh(["search", "--json", "--limit", "100000"], env);
  return { verified: verified.code, messages: (JSON.parse(messages.stdout) as unknown[]).length };
}

describe("text that looks like search or SQL syntax is archived and searched as text", () => {
  it("each hostile text finds the message that literally contains it, and the archive still verifies", async () => {
    const lines = LOOKS_LIKE_SYNTAX.map((body, i) => `22/10/2024, 09:${String(10 + i).padStart(2, "0")} - শাহানা পারভীন: ${body}`);
    const { env } = await officeWith(CHAT, ["22/10/2024, 09:00 - কাজী মাহমুদুল হাসান: সাধারণ বার্তা", ...lines]);
    const before = await archiveState(env);
    expect(before).toEqual({ verified: 0, messages: LOOKS_LIKE_SYNTAX.length + 1 });
    for (const body of LOOKS_LIKE_SYNTAX) {
      const result = await nirdesh(["search", body, "--json"], env);
      expect(result.code, `${body}: ${result.stderr}`).toBe(0);
      expect((JSON.parse(result.stdout) as Array<{ body: string }>).map((message) => message.body), body).toContain(body);
    }
    expect(await archiveState(env)).toEqual(before);
  });
});

describe("a spreadsheet never runs what a message or a name says", () => {
  const HOSTILE_CELLS = ["=1+1", "+8801711000013", "-3+3", "@SUM(A1:A9)", "\t=2+2", "\r=3+3", `=HYPERLINK("http://evil.example/x","ক্লিক")`];

  it("cells starting with = + - @ tab or CR, from bodies and from a sender's name, are text in CSV and in XLSX", async () => {
    const office = await liveOfficeOnDisk({ roster: false });
    // The group's admin (a superior without a roster) with a WhatsApp name made to be a formula.
    const formulaName = { ...DC, name: "=cmd|' /C calc'!A0" };
    office.transport.deliver(office.message(formulaName, "সকল ইউএনও আজ বিকাল ৪টার মধ্যে প্রতিবেদন পাঠাবেন।"));
    for (const body of HOSTILE_CELLS) office.transport.deliver(office.message(SAKHIPUR, body));
    await office.settle();
    await office.stop();
    const env = { NIRDESH_DB: office.path };

    const csvPath = join(office.folder, "hostile.csv");
    expect((await nirdesh(["export", "--format", "csv", "--out", csvPath], env)).code).toBe(0);
    const rows = parse(readFileSync(csvPath), { bom: true, relax_quotes: true }) as string[][];
    expect(rows).toHaveLength(HOSTILE_CELLS.length + 2);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const bodies = rows.slice(1).map((row) => row[7]);
    for (const body of HOSTILE_CELLS) expect(bodies).toContain(`'${body}`);
    expect(rows.slice(1).map((row) => row[3])).toContain("'=cmd|' /C calc'!A0");

    const xlsxPath = join(office.folder, "hostile.xlsx");
    expect((await nirdesh(["export", "--format", "xlsx", "--out", xlsxPath], env)).code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsxPath);
    const texts: string[] = [];
    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect([ExcelJS.ValueType.String, ExcelJS.ValueType.Number]).toContain(cell.type);
          expect(cell.formula).toBeUndefined();
          texts.push(String(cell.value));
        }),
      );
    }
    // Shown as written: a workbook cell typed as text needs no quote to stay text. (XML reads a CR as a new line.)
    for (const body of HOSTILE_CELLS) expect(texts).toContain(body.replace("\r", "\n"));
    expect(texts).toContain("=cmd|' /C calc'!A0");
  });
});

describe("a file's name from an export or from WhatsApp never becomes a path", () => {
  // Names no phone writes but anyone can put in a zip: out of the folder, absolute, Windows-style, NUL, too long.
  const ESCAPES = ["../../evil-relative.jpg", "/tmp/nirdesh-evil-absolute.jpg", "..\\..\\evil-windows.jpg", "evil\u0000nul.jpg", `${"ক".repeat(300)}.jpg`];

  it.each(ESCAPES.map((name) => [JSON.stringify(name).slice(0, 40), name]))(
    "a zip member named %s, and the attached-file line naming it, never write outside the media folder",
    async (_shown, name) => {
      const { folder, env } = await officeWith(CHAT, ["22/10/2024, 08:00 - কাজী মাহমুদুল হাসান: শুরু"]);
      // A chat's text cannot hold NUL (it would not be text): its line names the file without it.
      const written = name.replaceAll("\u0000", "");
      const last = written.split(/[/\\]/).at(-1)!;
      const text = [`22/10/2024, 09:00 - শাহানা পারভীন: ${written} (file attached)`, `22/10/2024, 09:01 - শাহানা পারভীন: ${last} (file attached)`].join("\n");
      // yazl refuses such names, so the zip is written with a same-length placeholder and the name put back.
      const placeholder = "x".repeat(Buffer.byteLength(name));
      const zipPath = join(folder, `WhatsApp Chat with ${CHAT}.zip`);
      await writeZip(zipPath, [{ name: `WhatsApp Chat with ${CHAT}.txt`, data: Buffer.from(text) }, { name: placeholder, data: Buffer.from("the photo") }]);
      const bytes = readFileSync(zipPath);
      for (let at = bytes.indexOf(placeholder); at !== -1; at = bytes.indexOf(placeholder, at + 1)) bytes.write(name, at);
      writeFileSync(zipPath, bytes);
      const before = await archiveState(env);

      const imported = await nirdesh(["import", zipPath], env);
      if (imported.code === 0) {
        expect(await archiveState(env)).toEqual({ verified: 0, messages: before.messages + 2 });
        const photo = JSON.parse((await nirdesh(["search", "--json", "--limit", "1"], env)).stdout) as unknown[];
        expect(photo).toHaveLength(1);
      } else {
        // A name no phone writes (out of the zip's folder, absolute) makes the zip damaged: refused whole.
        expect(imported.code).toBe(2);
        expect(imported.stderr.trim().split("\n")).toHaveLength(1);
        expect(imported.stderr).toMatch(/zip/);
        expect(await archiveState(env)).toEqual(before);
      }
      expect(existsSync(join(folder, "..", "evil-relative.jpg"))).toBe(false);
      expect(existsSync(join(folder, "media", "..", "..", "evil-relative.jpg"))).toBe(false);
      expect(existsSync("/tmp/nirdesh-evil-absolute.jpg")).toBe(false);
      expect(readdirSync(tmpdir()).filter((entry) => entry.includes("evil"))).toEqual([]);
      const stored = filesUnder(folder).filter((path) => !/^nirdesh\.db(-wal|-shm)?$|^[^/]+\.(zip|txt|csv)$/.test(path));
      for (const path of stored) expect(path).toMatch(/^media\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
      // A file the chat names is kept, by its hash alone (no line can name one with NUL in its name).
      if (imported.code === 0 && written === name) expect(stored.map((path) => readFileSync(join(folder, path), "utf8"))).toContain("the photo");
    },
  );

  it("a live file with such names is stored by its SHA-256, and its name is kept only as words", async () => {
    const office = await liveOfficeOnDisk();
    for (const [i, name] of ESCAPES.entries()) {
      office.transport.deliver(
        office.message(SAKHIPUR, "", {
          type: "document",
          media: { mimetype: "image/jpeg", fileName: name, size: 9, download: async () => ({ data: Buffer.from(`live ${i}`), mimetype: "image/jpeg", fileName: name }) },
        }),
      );
    }
    await office.settle();
    await vi.advanceTimersByTimeAsync(1_000);
    await office.settle();
    await office.stop();

    const stored = office.events("media").map((event) => JSON.parse(event.data) as { sha256: string; fileName: string });
    expect(stored.map((file) => file.fileName).sort()).toEqual([...ESCAPES].sort());
    for (const file of stored) expect(office.media.pathOf(file.sha256).startsWith(join(office.folder, "media"))).toBe(true);
    for (const path of filesUnder(office.folder).filter((path) => !path.startsWith("nirdesh.db"))) expect(path).toMatch(/^media\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    expect(readdirSync(tmpdir()).filter((name) => name.includes("evil"))).toEqual([]);
    expect(verifyChain(office.archive).intact).toBe(true);
    // Reading goes by hash too: nothing but a SHA-256 names a stored file (an altered row cannot point elsewhere).
    for (const name of ESCAPES) expect(() => office.media.pathOf(name)).toThrow(/not a sha256/);
  });
});

describe("messages at the edges, live and imported", () => {
  const HUGE = `${"ক".repeat(50_000)} জরুরিনির্দেশ ${"খ".repeat(49_980)}`;

  it("a 100,000-character message, an empty one and one of only emoji arrive live, verify, and are found", async () => {
    const office = await liveOfficeOnDisk();
    const sent = [office.message(DC, HUGE), office.message(SAKHIPUR, ""), office.message(SAKHIPUR, "👍🙏🏽🇧🇩")];
    for (const message of sent) office.transport.deliver(message);
    await office.settle();
    await office.stop();

    const rows = office.rows();
    expect(rows.map((row) => row.body)).toEqual([HUGE, "", "👍🙏🏽🇧🇩"]);
    expect(verifyChain(office.archive).intact).toBe(true);
    const search = (query: string) => searchMessages(office.archive, { query, limit: 5 }).messages.map((message) => message.id);
    expect(search("জরুরিনির্দেশ")).toEqual([rows[0]!.id]);
    expect(search("🙏🏽")).toEqual([rows[2]!.id]);
    expect(search("🇧🇩")).toEqual([rows[2]!.id]);
    expect(showMessage(office.archive, rows[1]!.id).body).toBe("");
    expect(showMessage(office.archive, rows[0]!.id).body).toHaveLength(HUGE.length);

    // And through the command line: verify, search and show.
    const env = { NIRDESH_DB: office.path };
    expect((await nirdesh(["verify"], env)).code).toBe(0);
    const found = await nirdesh(["search", "👍", "--json"], env);
    expect((JSON.parse(found.stdout) as Array<{ id: number }>).map((message) => message.id)).toEqual([rows[2]!.id]);
    const empty = await nirdesh(["show", String(rows[1]!.id), "--json"], env);
    expect(empty.code, empty.stderr).toBe(0);
    expect(JSON.parse(empty.stdout)).toMatchObject({ id: rows[1]!.id, body: "" });
  });

  it("the same three, imported from an export, verify and are found by word, by emoji and by number", async () => {
    const { env } = await officeWith(CHAT, [
      `22/10/2024, 09:00 - কাজী মাহমুদুল হাসান: ${HUGE}`,
      "22/10/2024, 09:01 - শাহানা পারভীন: ",
      "22/10/2024, 09:02 - তানভীর আহমেদ: 👍🙏🏽🇧🇩",
    ]);
    expect((await nirdesh(["verify"], env)).code).toBe(0);
    const word = JSON.parse((await nirdesh(["search", "জরুরিনির্দেশ", "--json"], env)).stdout) as Array<{ id: number; body: string }>;
    expect(word.map((message) => message.body.length)).toEqual([HUGE.length]);
    const emoji = JSON.parse((await nirdesh(["search", "🇧🇩", "--json"], env)).stdout) as Array<{ id: number; body: string }>;
    expect(emoji.map((message) => message.body)).toEqual(["👍🙏🏽🇧🇩"]);
    const all = JSON.parse((await nirdesh(["search", "--json"], env)).stdout) as Array<{ id: number; body: string }>;
    const empty = all.find((message) => message.body === "")!;
    expect(JSON.parse((await nirdesh(["show", String(empty.id), "--json"], env)).stdout)).toMatchObject({ body: "", sender: { name: "শাহানা পারভীন" } });
  });
});
