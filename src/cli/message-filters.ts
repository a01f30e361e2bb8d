import { chatNamed } from "../store/chats.js";
import type { Archive } from "../store/open-archive.js";
import { findPeople } from "../store/people.js";
import type { MessageFilters } from "../store/search-messages.js";
import { UserError } from "../user-error.js";
import type { OptionValues } from "./command.js";
import { dateOption } from "./format.js";

/** The options that choose messages, shared by search, export and report. */
export const MESSAGE_FILTER_OPTIONS = {
  chat: { type: "string" },
  from: { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
  directives: { type: "boolean" },
} as const;

/** --since and --until as typed (Bangla digits too): the start of the first day and the end of the last. */
export function readDateRange(values: OptionValues, zone: string): { since?: number; until?: number } {
  const since = dateOption(values.since, zone, false);
  const until = dateOption(values.until, zone, true);
  if (since !== undefined && until !== undefined && since > until) throw new UserError((t) => t.badDateRange);
  return { ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) };
}

/**
 * The search filters a record keeper typed, checked against the archive (an unknown chat or person is the
 * user's to fix), and the same filters as typed, for the audit log and the export's heading.
 */
export function readMessageFilters(
  archive: Archive,
  values: OptionValues,
  query: string,
  range: { since?: number; until?: number },
): { filters: MessageFilters; typed: Record<string, string | boolean> } {
  if (typeof values.chat === "string" && !values.chat.trim()) throw new UserError((t) => t.blankOption("--chat"));
  const chat = typeof values.chat === "string" ? chatNamed(archive, values.chat) : undefined;
  let senderIds: number[] | undefined;
  if (typeof values.from === "string") {
    const who = values.from.trim();
    if (!who) throw new UserError((t) => t.blankOption("--from"));
    const people = findPeople(archive, who);
    if (people.length === 0) throw new UserError((t) => t.unknownPerson(who));
    senderIds = people.map((person) => person.id);
  }
  const typed: Record<string, string | boolean> = {};
  if (query) typed.query = query;
  for (const name of ["chat", "from", "since", "until"] as const) if (typeof values[name] === "string") typed[name] = values[name] as string;
  if (values.directives === true) typed.directives = true;
  return {
    filters: {
      ...(query ? { query } : {}),
      ...(chat ? { chatId: chat.id } : {}),
      ...(senderIds ? { senderIds } : {}),
      ...range,
      ...(values.directives === true ? { directives: true } : {}),
    },
    typed,
  };
}
