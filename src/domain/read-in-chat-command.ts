/** What a person can ask the bot in WhatsApp, by replying or writing to it. */
export type InChatCommandName = "directive" | "urgent" | "not-directive" | "pending" | "search" | "export" | "help";

export interface InChatCommand {
  name: InChatCommandName;
  /** What follows the command word (the search words). */
  argument: string;
}

/** Each command's Bangla and English words, as typed after `!` (spelling variants of Bangla included). */
const ALIASES: Record<string, InChatCommandName> = normalised({
  নির্দেশ: "directive",
  নির্দেশনা: "directive",
  directive: "directive",
  জরুরি: "urgent",
  জরুরী: "urgent",
  urgent: "urgent",
  joruri: "urgent",
  নয়: "not-directive",
  not: "not-directive",
  বাকি: "pending",
  বাকী: "pending",
  pending: "pending",
  খুঁজুন: "search",
  খুজুন: "search",
  খোঁজ: "search",
  search: "search",
  রপ্তানি: "export",
  export: "export",
  সাহায্য: "help",
  help: "help",
});

function normalised(aliases: Record<string, InChatCommandName>): Record<string, InChatCommandName> {
  return Object.fromEntries(Object.entries(aliases).map(([word, name]) => [word.normalize("NFC"), name]));
}

/**
 * The command a message gives the bot: `!` (or the full-width `！`) and a command word at its very
 * start, Bangla or English, any case. Anything else is an ordinary message.
 */
export function readInChatCommand(body: string): InChatCommand | null {
  const match = /^\s*[!！]\s?(\S+)(?:\s+([\s\S]*))?$/u.exec(body.normalize("NFC"));
  if (!match) return null;
  const word = match[1]!.replace(/[\u200c\u200d]/g, "").toLowerCase();
  const name = ALIASES[word];
  return name ? { name, argument: (match[2] ?? "").trim() } : null;
}
