import { parse } from "csv-parse/sync";
import { UserError } from "../user-error.js";
import { normalisePhone } from "./phone.js";
import type { Role } from "./message.js";

/** One person of an office's roster. Null where the roster leaves a field empty: what was known stays. */
export interface RosterEntry {
  line: number;
  phone: string;
  name: string | null;
  designation: string | null;
  roles: Role[] | null;
}

const COLUMN_NAMES: Record<"phone" | "name" | "designation" | "role", string[]> = {
  phone: ["phone", "mobile", "number", "phone number", "ফোন", "মোবাইল", "মোবাইল নম্বর", "ফোন নম্বর"],
  name: ["name", "নাম"],
  designation: ["designation", "title", "পদবি", "পদবী"],
  role: ["role", "roles", "ভূমিকা"],
};

const ROLE_WORDS: Record<string, Role> = {
  superior: "superior",
  officer: "officer",
  recordkeeper: "recordkeeper",
  "record keeper": "recordkeeper",
  "record-keeper": "recordkeeper",
  "ঊর্ধ্বতন": "superior",
  "কর্মকর্তা": "officer",
  "রেকর্ড কিপার": "recordkeeper",
};

/** Canonical form of a name for matching: case- and space-insensitive, NFC. */
export function nameKey(name: string): string {
  return name
    .normalize("NFC")
    .replace(/[\u200b-\u200f\u2066-\u2069\ufeff]/g, "")
    .toLowerCase()
    .replace(/\s+/g, "");
}

/**
 * Reads a roster CSV (`phone,name,designation,role`; UTF-8 with or without BOM; commas, semicolons or
 * tabs as Excel writes them; extra columns ignored). Every row is checked before any is used.
 */
export function parseRoster(text: string, fileName: string): RosterEntry[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      info: true,
      bom: true,
      delimiter: delimiterOf(text),
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    const reason = (error as Error).message.replace(/^.*?:\s*/, "").split("\n")[0] ?? "";
    throw new UserError((t) => t.rosterBadCsv(fileName, line, reason));
  }
  const [headerRecord, ...body] = records;
  if (!headerRecord) throw new UserError((t) => t.rosterEmpty(fileName));
  const header = headerRecord.record;
  const keys = header.map((cell) => cell.toLowerCase().replace(/^\ufeff/, "").trim());
  const column = (what: keyof typeof COLUMN_NAMES) => keys.findIndex((key) => COLUMN_NAMES[what].includes(key));
  const phoneAt = column("phone");
  if (phoneAt === -1) throw new UserError((t) => t.rosterNoPhoneColumn(fileName));
  const nameAt = column("name");
  const designationAt = column("designation");
  const roleAt = column("role");

  const entries: RosterEntry[] = [];
  const seen = new Set<string>();
  // The line a row ends on, as a spreadsheet shows it (blank lines and multi-line cells counted).
  body.forEach(({ record: row, info }) => {
    const line = info.lines;
    if (row.every((cell) => cell === "")) return;
    const rawPhone = row[phoneAt] ?? "";
    const phone = normalisePhone(rawPhone);
    if (!phone) throw new UserError((t) => t.rosterBadPhone(fileName, line, rawPhone));
    if (seen.has(phone)) throw new UserError((t) => t.rosterDuplicatePhone(fileName, line, phone));
    seen.add(phone);
    const roles = readRoles(roleAt === -1 ? "" : (row[roleAt] ?? ""), fileName, line);
    const name = (nameAt === -1 ? "" : (row[nameAt] ?? "")).normalize("NFC");
    const designation = designationAt === -1 ? "" : (row[designationAt] ?? "");
    entries.push({ line, phone, name: name || null, designation: designation || null, roles });
  });
  if (entries.length === 0) throw new UserError((t) => t.rosterEmpty(fileName));
  return entries;
}

/** Excel writes commas, or semicolons where the comma is the decimal mark, or tabs: the header line tells. */
function delimiterOf(text: string): string {
  const header = (text.split(/\r?\n/, 1)[0] ?? "").replace(/"[^"]*"/g, "");
  const counts = [",", ";", "\t"].map((delimiter) => [delimiter, header.split(delimiter).length] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

function readRoles(cell: string, fileName: string, line: number): Role[] | null {
  const words = cell
    .split(/[;|,\/]/)
    .map((word) => word.trim().toLowerCase())
    .filter(Boolean);
  if (words.length === 0) return null;
  const roles = new Set<Role>();
  for (const word of words) {
    const role = ROLE_WORDS[word];
    if (!role) throw new UserError((t) => t.rosterBadRole(fileName, line, word));
    roles.add(role);
  }
  return [...roles];
}
