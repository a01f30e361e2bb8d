import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nirdesh } from "../export/record-keeper.js";
import { expectOneClearLine, runNirdesh, temporaryFolder } from "../support.js";

const GROUP = "ডিসি অফিস টাঙ্গাইল - দাপ্তরিক";

/** Bytes no phone or spreadsheet writes, the same on every run. */
function binary(length: number): Buffer {
  let state = 8_2024;
  return Buffer.from(Array.from({ length }, () => (state = (state * 1_103_515_245 + 12_345) >>> 0) >>> 24));
}

describe("the real command line given hostile files and arguments", () => {
  it("answers each with one clear line and exit 2, and the archive keeps every message and still verifies", async () => {
    const folder = temporaryFolder();
    const env = { NIRDESH_DB: join(folder, "nirdesh.db") };
    expect((await nirdesh(["import", "data/sample-chat.txt", "--chat", GROUP, "--roster", "data/roster.csv"], env)).code).toBe(0);
    const archived = async () => (await nirdesh(["search", "--json", "--limit", "100000"], env)).stdout;
    const before = await archived();
    expect(JSON.parse(before)).toHaveLength(96);

    const file = (name: string, content: string | Buffer) => {
      const path = join(folder, name);
      writeFileSync(path, content);
      return path;
    };
    const brokenCsv = file("broken.csv", 'phone,name,designation,role\n+8801711000001,"কাজী মাহমুদুল হাসান,জেলা প্রশাসক,superior\n');
    const banglaPhone = file("bangla-phone.csv", "ফোন,নাম,পদবি,ভূমিকা\n০১৭১১০০০০০১,কাজী মাহমুদুল হাসান,জেলা প্রশাসক,superior\n০১৭১১,শাহানা পারভীন,ইউএনও,officer\n");
    const binaryCsv = file("binary.csv", binary(2_000));
    const binaryExport = file(`WhatsApp Chat with ${GROUP}.txt`, binary(4_096));
    const utf16Nonsense = file("WhatsApp Chat with অন্য.txt", Buffer.concat([Buffer.from([0xff, 0xfe]), binary(1_001)]));

    const refused: Array<[string[], RegExp]> = [
      [["roster", "import", brokenCsv], /broken\.csv, লাইন [০-৯]+: CSV পড়া গেল না/],
      [["roster", "import", banglaPhone], /bangla-phone\.csv, লাইন ৩/],
      [["roster", "import", binaryCsv], /binary\.csv/],
      [["import", binaryExport], /লেখা \(text\) বা zip ফাইল নয়/],
      [["import", utf16Nonsense, "data/sample-chat.txt", "--chat", GROUP], /লেখা \(text\) বা zip ফাইল নয়|Export chat/],
      [["import", "data/sample-chat.txt", "--chat", GROUP, "--roster", brokenCsv], /CSV পড়া গেল না/],
      [["search", "প্রতিবেদন", "--since", "৩২/১০/২০২৪"], /তারিখটি বোঝা যায়নি/],
      [["search", "--since", "২৫/১০/২০২৪", "--until", "২২/১০/২০২৪"], /--since|আগে/],
      [["export", "--format", "csv", "--out", join(folder, "x.csv"), "--since", "৩১/০২/২০২৪"], /তারিখটি বোঝা যায়নি/],
      [["report", "--until", "২০২৪-১৩-০১"], /তারিখটি বোঝা যায়নি/],
      [["audit", "--since", "২২/১০"], /তারিখটি বোঝা যায়নি/],
      [["search", `"NEAR(ত্রাণ" OR * ${"ক".repeat(2_000)}`], /অক্ষরের বেশি হতে পারবে না/],
    ];
    // A few through the real binary in its own process (stack traces would show there); the rest through the
    // same command line in this process, which is quicker.
    const spawned = new Set([0, 3, 11]);
    const results = await Promise.all(refused.map(([args], i) => (spawned.has(i) ? runNirdesh(args, env) : nirdesh(args, env))));
    results.forEach((result, i) => expectOneClearLine(result, refused[i]![1]));

    // Syntax and SQL typed as a search are words to look for, not commands.
    for (const query of ["'; DROP TABLE messages; --", '"NEAR(ত্রাণ" OR *', "text:প্রতিবেদন", "%"]) {
      const result = await nirdesh(["search", query, "--json"], env);
      expect(result.code, `${query}: ${result.stderr}`).toBe(0);
      expect(() => JSON.parse(result.stdout)).not.toThrow();
    }

    expect(await archived()).toBe(before);
    const verified = await nirdesh(["verify"], env);
    expect(verified.code, verified.stdout).toBe(0);
  });
});
