import { createWriteStream, writeFileSync } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import yazl from "yazl";
import { main } from "../../src/cli/main.js";
import { listEntries, openEntry, openZip, readAll } from "../../src/zip/read-zip.js";
import { temporaryFolder } from "../support.js";

export type Result = { code: number; stdout: string; stderr: string };

/** When the record keeper works: exports and audit entries carry this time. */
export const NOW = Date.UTC(2024, 10, 1, 4, 0, 0);

/** Runs `nirdesh` in this process, as the record keeper `nezarat` at a terminal that is no TTY. */
export async function nirdesh(args: string[], env: Record<string, string>): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { USER: "nezarat", ...env },
    now: () => NOW,
  });
  return { code, stdout, stderr };
}

export const ROSTER = `phone,name,designation,role
+8801711000001,কাজী মাহমুদুল হাসান,জেলা প্রশাসক,superior
+8801711000004,শাহানা পারভীন,"ইউএনও, সখীপুর",officer
+8801711000005,তানভীর আহমেদ,"ইউএনও, মধুপুর",officer
+8801711000006,সুমাইয়া ইসলাম,"ইউএনও, ঘাটাইল",officer
+8801711000013,তাসলিমা খাতুন,নেজারত ডেপুটি কালেক্টর,recordkeeper
`;

/**
 * An office with its roster and one chat imported from an export's lines (a zip with these attached
 * files, when there are any); returns its folder and env.
 */
export async function officeWith(chat: string, lines: string[], attached: Record<string, Buffer> = {}): Promise<{ folder: string; env: Record<string, string> }> {
  const folder = temporaryFolder();
  const env = { NIRDESH_DB: join(folder, "nirdesh.db") };
  writeFileSync(join(folder, "roster.csv"), ROSTER);
  const text = `${lines.join("\n")}\n`;
  const file = join(folder, `WhatsApp Chat with ${chat}.${Object.keys(attached).length > 0 ? "zip" : "txt"}`);
  if (Object.keys(attached).length > 0) {
    await writeZip(file, [{ name: `WhatsApp Chat with ${chat}.txt`, data: Buffer.from(text) }, ...Object.entries(attached).map(([name, data]) => ({ name, data }))]);
  } else {
    writeFileSync(file, text);
  }
  const imported = await nirdesh(["import", file, "--roster", join(folder, "roster.csv")], env);
  if (imported.code !== 0) throw new Error(imported.stderr);
  return { folder, env };
}

/** Every member of a zip, by name, in its order. */
export async function zipMembers(path: string): Promise<Array<{ name: string; data: Buffer }>> {
  const zip = await openZip(path);
  try {
    const members = [];
    for (const entry of await listEntries(zip)) members.push({ name: entry.fileName, data: await readAll(await openEntry(zip, entry)) });
    return members;
  } finally {
    zip.close();
  }
}

/** Writes a zip of these members (how someone would alter a bundle: unzip, edit, zip again). */
export async function writeZip(path: string, members: Array<{ name: string; data: Buffer }>): Promise<void> {
  const zip = new yazl.ZipFile();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  for (const member of members) zip.addBuffer(member.data, member.name);
  zip.end();
  await once(out, "finish");
}
