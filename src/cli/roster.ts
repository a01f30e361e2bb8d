import { readFileSync } from "node:fs";
import { decodeText } from "../domain/decode-text.js";
import { parseRoster, type RosterEntry } from "../domain/roster.js";
import type { Archive } from "../store/open-archive.js";
import { applyRoster } from "../store/people.js";
import { UserError } from "../user-error.js";
import type { Command, CommandContext } from "./command.js";

export interface RosterFile {
  path: string;
  entries: RosterEntry[];
}

/** Reads and checks a roster CSV; nothing is written until every row is good. */
export function readRosterFile(path: string): RosterFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UserError((t) => t.fileNotFound(path));
    throw new UserError((t) => t.fileNotReadable(path, code ?? String(error)));
  }
  const text = decodeText(bytes);
  if (text === null) throw new UserError((t) => t.rosterBadCsv(path, 1, "binary"));
  return { path, entries: parseRoster(text, path) };
}

export function loadRoster(context: CommandContext, archive: Archive, roster: RosterFile): { added: number; updated: number } {
  const result = archive.transaction(() => applyRoster(archive, roster.entries, context.io.now()));
  context.log.info({ roster: roster.path, ...result }, "roster loaded");
  context.say(context.text.rosterImported(roster.path, result.added, result.updated));
  return result;
}

/** `nirdesh roster import CSV` */
export const rosterCommand: Command = {
  name: "roster",
  writes: true,
  creates: true,
  options: {},
  async run(context, _values, positionals) {
    const [action, path, ...rest] = positionals;
    if (action !== "import" || !path || rest.length > 0) {
      throw new UserError((t) => t.badUsage(t.missingArgument("roster import CSV")));
    }
    const roster = readRosterFile(path);
    const archive = await context.archive();
    const result = loadRoster(context, archive, roster);
    // Who is a superior or an officer decides directives and who owes acknowledgements.
    const chats = context.track(archive);
    if (chats > 0) context.say(context.text.trackedChats(chats));
    context.printJson({ file: path, ...result, chatsTracked: chats });
    return 0;
  },
};
