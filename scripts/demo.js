#!/usr/bin/env node
// `npm run demo`: the archive pipeline end to end, offline, on the bundled sample chat of a DC office.
// Every step is the real `nirdesh` command a record keeper would type.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const folder = mkdtempSync(join(tmpdir(), "nirdesh-demo-"));
const env = { ...process.env, NIRDESH_DB: join(folder, "nirdesh.db") };
const group = "ডিসি অফিস টাঙ্গাইল - দাপ্তরিক";

function step(title, args) {
  console.log(`\n━━ ${title}\n$ nirdesh ${args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(" ")}`);
  const result = spawnSync(process.execPath, [join(root, "bin/nirdesh.js"), ...args], { cwd: root, env, encoding: "utf8" });
  process.stdout.write(result.stdout);
  process.stdout.write(result.stderr);
  console.log(`(exit ${result.status})`);
  return result;
}

try {
  step("১. রোস্টার লোড", ["roster", "import", "data/roster.csv"]);
  step("২. চ্যাট ইমপোর্ট", ["import", "data/sample-chat.txt", "--chat", group]);
  step("৩. একই ফাইল আবার ইমপোর্ট: কিছুই দ্বিগুণ হয় না", ["import", "data/sample-chat.txt", "--chat", group]);
  step("৪. iOS রপ্তানি একই গ্রুপে: শুধু নতুনগুলো যোগ হয়", ["import", "test/fixtures/ios-chat.txt", "--chat", group]);
  const found = step("৫. খোঁজা: প্রতিবেদন (প্রতিবেদনটি-ও পাওয়া যায়)", ["search", "প্রতিবেদন", "--since", "২৩/১০/২০২৪", "--limit", "3"]);
  const id = /#(\d+)/.exec(found.stdout)?.[1] ?? "1";
  step("৬. শুধু নির্দেশনা ও সিদ্ধান্ত", ["search", "--directives", "--since", "২৪/১০/২০২৪", "--limit", "3"]);
  const pending = step("৭. কোন নির্দেশনায় কে এখনো সাড়া দেননি", ["pending"]);
  const directive = /#(\d+)/.exec(pending.stdout)?.[1] ?? "1";
  step("৮. একটি নির্দেশনা বিস্তারিত: কে কখন সাড়া দিয়েছেন, কে দেননি, কেন এটি নির্দেশনা", ["show", directive]);
  // The NDC (a record keeper, not a superior) posted the meeting notice, so it was not read as a directive.
  const notice = step("৯. এনডিসির দেওয়া সভার নোটিশ", ["search", "মাসিক সভা", "--from", "01711000013", "--limit", "1"]);
  const noticeId = /#(\d+)/.exec(notice.stdout)?.[1] ?? "1";
  step("   জেলা প্রশাসক একে নির্দেশনা হিসেবে চিহ্নিত করলেন (সংশোধনটি হ্যাশ-শৃঙ্খলে)", ["mark", noticeId, "--directive", "--by", "01711000001"]);
  step("   এখন কে সাড়া দিয়েছেন তা দেখা যায়", ["show", noticeId]);
  step("১০. হ্যাশ-শৃঙ্খল যাচাই", ["verify"]);

  console.log("\n━━ ১১. কেউ সরাসরি ডাটাবেস ফাইলে একটি বার্তা বদলে দিল (ট্রিগার মুছে)…");
  const raw = new Database(env.NIRDESH_DB);
  raw.exec("DROP TRIGGER messages_no_update");
  raw.prepare("UPDATE messages SET body = 'নির্দেশনা বাতিল' WHERE id = ?").run(Number(id));
  raw.close();
  step("১২. যাচাই এখন পরিবর্তন ধরে ফেলে", ["verify"]);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
