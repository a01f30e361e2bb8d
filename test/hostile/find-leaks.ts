import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseChatExport } from "../../src/chat-export/parse-chat-export.js";
import { normalisePhone } from "../../src/domain/phone.js";

const ROOT = join(import.meta.dirname, "../..");

/** What must never reach an info-level log: what people wrote, their numbers, and the codes that link the account. */
export interface Secrets {
  bodies: string[];
  /** E.164 numbers; the log may not carry them in any form (+880…, 880…, 01…, Bangla digits, with separators). */
  phones: string[];
  /** QR or pairing codes. */
  codes: string[];
}

/** The words and numbers of the bundled sample chat, its iPhone twin and the roster: what the demo archives. */
export function sampleSecrets(): Secrets {
  const bodies = ["data/sample-chat.txt", "test/fixtures/ios-chat.txt"].flatMap((file) =>
    parseChatExport(readFileSync(join(ROOT, file), "utf8"), { timeZone: "Asia/Dhaka" })
      .entries.filter((entry) => entry.kind === "message")
      .map((entry) => entry.body),
  );
  const phones = readFileSync(join(ROOT, "data/roster.csv"), "utf8")
    .split("\n")
    .slice(1)
    .map((line) => normalisePhone(line.split(",")[0] ?? ""))
    .filter((phone): phone is string => phone !== null);
  return { bodies, phones, codes: [] };
}

/** Ten characters running of a body (its whole self when shorter), as long as they hold a word. */
function piecesOf(body: string): string[] {
  const characters = [...body.normalize("NFC")];
  if (characters.length <= 10) return /[\p{L}\p{M}]{4}/u.test(body) ? [body.normalize("NFC")] : [];
  const pieces: string[] = [];
  for (let i = 0; i + 10 <= characters.length; i++) {
    const piece = characters.slice(i, i + 10).join("");
    if (/[\p{L}\p{M}]{4}/u.test(piece)) pieces.push(piece);
  }
  return pieces;
}

/**
 * The log lines (pino's JSON) that give something away: a piece of a body, a phone number however written,
 * or a code. A line's time, process id and hashes (sha256, `wa:` ids) are left out first: their digits
 * are not anyone's number.
 */
export function findLeaks(lines: string[], secrets: Secrets): string[] {
  const pieces = new Set(secrets.bodies.flatMap(piecesOf));
  const subscribers = secrets.phones.map((phone) => phone.slice(-10));
  return lines.filter((line) => {
    let fields: Record<string, unknown>;
    try {
      fields = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return false;
    }
    delete fields.time;
    delete fields.pid;
    const text = JSON.stringify(fields).normalize("NFC");
    const digits = text
      .replace(/[০-৯]/g, (d) => String(d.charCodeAt(0) - 0x09e6))
      .replace(/\b(?:wa:)?(?=[0-9a-f]*[a-f])[0-9a-f]{12,}\b/g, "")
      .replace(/(?<=\d)[\s\-().\u00a0\u2010-\u2015]+(?=\d)/g, "");
    return (
      [...pieces].some((piece) => text.includes(piece)) ||
      subscribers.some((subscriber) => digits.includes(subscriber)) ||
      // Any Bangladeshi mobile number at all, not only the roster's.
      /(?:\+?880|\b0)1[3-9]\d{8}(?!\d)/.test(digits) ||
      secrets.codes.some((code) => text.includes(code))
    );
  });
}
