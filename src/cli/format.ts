import { readDate } from "../domain/read-date.js";
import { toAsciiDigits } from "../domain/digits.js";
import { findTermRanges } from "../domain/search-text.js";
import { formatIsoInZone } from "../domain/time-zone.js";
import type { DirectiveView, PersonView } from "../store/directive-views.js";
import type { MessageView } from "../store/message-views.js";
import type { ChainVerdict } from "../store/verify-chain.js";
import type { Messages } from "../text.js";
import { UserError } from "../user-error.js";

const HIGHLIGHT_ON = "\x1b[1;33m";
const HIGHLIGHT_OFF = "\x1b[0m";
const SNIPPET_LENGTH = 160;

/** The message in DESIGN.md's JSON shape, times in the office's zone. */
export function messageJson(message: MessageView, timeZone: string) {
  return { ...message, at: formatIsoInZone(message.at, timeZone) };
}

/** Who sent it, as a record keeper reads it: name (designation) · phone. */
export function senderLine(sender: MessageView["sender"]): string {
  const designation = sender.designation ? ` (${sender.designation})` : "";
  return `${sender.name}${designation}${sender.phone ? ` · ${sender.phone}` : ""}`;
}

/** Three lines per message: number, time and chat; sender; the words, with the query's words marked. */
export function messageLines(message: MessageView, text: Messages, timeZone: string, terms: string[], colour: boolean): string[] {
  const marks = [message.deleted ? text.deletedMark : "", message.edited ? text.editedMark : "", message.type !== "text" && message.type !== "revoked" ? `[${text.types[message.type] ?? message.type}]` : ""]
    .filter(Boolean)
    .join(" ");
  const words = message.editedBody ?? message.body;
  return [
    `#${message.id}  ${formatIsoInZone(message.at, timeZone)}  ${message.chat}${marks ? `  ${marks}` : ""}`,
    `    ${senderLine(message.sender)}`,
    ...(words ? [`    ${snippet(words, terms, colour).replace(/\n/g, "\n    ")}`] : []),
  ];
}

/** A window of the text around its first match, with the matched words highlighted on a terminal. */
export function snippet(text: string, terms: string[], colour: boolean): string {
  const ranges = findTermRanges(text, terms);
  let start = 0;
  let end = text.length;
  if (text.length > SNIPPET_LENGTH) {
    const first = ranges[0]?.[0] ?? 0;
    start = Math.max(0, first - SNIPPET_LENGTH / 3);
    // Start and end at spaces, so the snippet never cuts a word (or a Bangla conjunct) in half.
    const space = text.lastIndexOf(" ", start);
    start = space <= 0 ? 0 : space + 1;
    end = Math.min(text.length, start + SNIPPET_LENGTH);
    const after = text.indexOf(" ", end);
    end = after === -1 || after - end > 20 ? end : after;
  }
  let out = "";
  let position = start;
  for (const [from, to] of ranges) {
    if (to <= start || from >= end) continue;
    out += text.slice(position, from) + (colour ? HIGHLIGHT_ON : "") + text.slice(from, to) + (colour ? HIGHLIGHT_OFF : "");
    position = to;
  }
  out += text.slice(position, end);
  return `${start > 0 ? "…" : ""}${out}${end < text.length ? "…" : ""}`;
}

/** The directive in DESIGN.md's JSON shape, times in the office's zone. */
export function directiveJson(directive: DirectiveView, timeZone: string) {
  const iso = (at: number) => formatIsoInZone(at, timeZone);
  return {
    ...directive,
    at: iso(directive.at),
    deadline: directive.deadline === null ? null : iso(directive.deadline),
    acknowledged: directive.acknowledged.map((answer) => ({ ...answer, at: iso(answer.at) })),
    done: directive.done.map((answer) => ({ ...answer, at: iso(answer.at) })),
  };
}

/** A directive for a record keeper: where and when, who gave it, its words, and who has and has not answered. */
export function directiveLines(directive: DirectiveView, text: Messages, timeZone: string, options: { pendingOnly: boolean }): string[] {
  const label = text.directiveLabel;
  const iso = (at: number) => formatIsoInZone(at, timeZone);
  const marks = [directive.urgent ? `[${label.urgent}]` : "", directive.decision ? `[${label.decision}]` : ""].filter(Boolean).join(" ");
  const person = (p: PersonView) => `${p.name}${p.designation ? ` (${p.designation})` : ""}`;
  const lines = [
    `#${directive.id}  ${iso(directive.at)}  ${directive.chat}${marks ? `  ${marks}` : ""}`,
    `    ${label.issuer}: ${person(directive.issuer)}${directive.issuer.phone ? ` · ${directive.issuer.phone}` : ""}`,
    `    ${snippet(directive.editedBody ?? directive.body, [], false).replace(/\n/g, "\n    ")}`,
  ];
  if (directive.deadline !== null) lines.push(`    ${label.deadline}: ${directive.deadlineAllDay ? iso(directive.deadline).slice(0, 10) : iso(directive.deadline)}`);
  const count = text.outOf(directive.acknowledged.length, directive.expected.length);
  if (options.pendingOnly) {
    lines.push(`    ${label.acknowledged}: ${count}${directive.done.length > 0 ? ` · ${label.done}: ${text.count(directive.done.length)}` : ""}`);
  } else {
    lines.push(`    ${label.acknowledged} (${count}):`);
    for (const answer of directive.acknowledged) lines.push(`      ${iso(answer.at)}  ${person(answer)}  ${text.how[answer.how] ?? answer.how}${answer.message ? ` #${answer.message}` : ""}`);
    if (directive.done.length > 0) {
      lines.push(`    ${label.done} (${text.count(directive.done.length)}):`);
      for (const answer of directive.done) lines.push(`      ${iso(answer.at)}  ${person(answer)}${answer.message ? ` #${answer.message}` : ""}`);
    }
  }
  if (directive.pending.length > 0) lines.push(`    ${label.pending} (${text.count(directive.pending.length)}): ${directive.pending.map(person).join(", ")}`);
  return lines;
}

/** A message number as typed: 15, #15 or ১৫. */
export function readMessageId(raw: string): number {
  const digits = toAsciiDigits(raw.replace(/^#/, ""));
  if (!/^\d{1,15}$/.test(digits)) throw new UserError((t) => t.badMessageId(raw));
  return Number(digits);
}

/** A positive whole number, in ASCII or Bangla digits. */
export function positiveNumber(option: string, value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const digits = toAsciiDigits(value.trim());
  const number = Number(digits);
  if (!/^\d+$/.test(digits) || number < 1 || number > 1_000_000) throw new UserError((t) => t.badNumber(option, value));
  return number;
}

/** A date or date and time as typed (2024-10-22, 22/10/2024, ২২/১০/২০২৪, 2024-10-22T09:30); a bare day ends at midnight with `endOfDay`. */
export function dateOption(value: unknown, zone: string, endOfDay: boolean): number | undefined {
  if (typeof value !== "string") return undefined;
  const at = readDate(value, zone, endOfDay);
  if (at === null) throw new UserError((t) => t.badDate(value));
  return at;
}

/** Where the hash chain broke and why, as `nirdesh verify` says it. */
export function brokenChainWords(verdict: Extract<ChainVerdict, { intact: false }>, text: Messages): { where: string; why: string } {
  const why = verdict.problem === "rehashed" ? text.verifyWhy.altered : text.verifyWhy[verdict.problem];
  const where = verdict.table === "search-index" ? text.verifyIndex : text.verifyRow(verdict.seq, verdict.table, verdict.id);
  return { where, why };
}
