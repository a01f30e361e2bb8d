// The labelled chats of test/fixtures/directives: one annotated file per chat, with its roster, its
// messages and what a person expects to be pending and done. `npm run eval` and the simulation tests
// write them out as WhatsApp's Android export and a roster CSV.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

/** One annotated chat file: its roster, its messages with labels, and the expected pending and done. */
export function readChat(path) {
  const chat = { name: basename(path, ".chat"), roster: [], lines: [], pending: {}, done: {} };
  let day = null;
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    if (!raw.trim()) continue;
    let match;
    if ((match = /^# chat: (.+)$/.exec(raw))) chat.name = match[1].trim();
    else if ((match = /^# roster: (.+)$/.exec(raw))) {
      const [phone, name, designation, roles] = match[1].split("|").map((part) => part.trim());
      chat.roster.push({ phone, name, designation, roles });
    } else if ((match = /^# (pending|done) (\S+):(.*)$/.exec(raw))) {
      chat[match[1]][match[2]] = match[3].split(",").map((name) => name.trim()).filter(Boolean);
    } else if ((match = /^## (\d{4})-(\d{2})-(\d{2})/.exec(raw))) day = match.slice(1, 4);
    else if ((match = /^(\d{2}):(\d{2}) (.+?) \| (.+?) \| (.*)$/.exec(raw))) {
      const [, hh, mm, sender, label, text] = match;
      const [kind, id] = label.trim().split(/\s+/);
      chat.lines.push({ day, time: `${hh}:${mm}`, sender: sender.trim(), kind, id: id ?? null, text });
    } else if (raw.startsWith("  ") && chat.lines.length > 0) chat.lines.at(-1).text += `\n${raw.slice(2)}`;
    else if (!raw.startsWith("#")) throw new Error(`${path}: cannot read "${raw}"`);
  }
  return chat;
}

/** The chat as WhatsApp's Android export writes it. */
export function exportText(chat) {
  return chat.lines
    .map((line) => {
      const [y, m, d] = line.day;
      const stamp = `${d}/${m}/${y}, ${line.time} - `;
      const text = line.text.replace(/@\{([^}]+)\}/g, "@\u2068$1\u2069");
      return line.kind === "S" ? `${stamp}${text}` : `${stamp}${line.sender}: ${text}`;
    })
    .join("\n");
}

export function chatFiles(folder) {
  const inside = existsSync(join(folder, "chats")) ? join(folder, "chats") : folder;
  return readdirSync(inside)
    .filter((name) => name.endsWith(".chat"))
    .sort()
    .map((name) => join(inside, name));
}

/** The chat's roster as a roster CSV. */
export function rosterCsv(chat) {
  return ["phone,name,designation,role", ...chat.roster.map((r) => [r.phone, r.name, r.designation, r.roles].map((v) => `"${v.replace(/"/g, '""')}"`).join(","))].join("\n");
}
