import { chatNamed } from "../store/chats.js";
import { findPeople } from "../store/people.js";
import { searchMessages } from "../store/search-messages.js";
import { UserError } from "../user-error.js";
import type { Command } from "./command.js";
import { dateOption, messageJson, messageLines, positiveNumber } from "./format.js";

const DEFAULT_LIMIT = 50;

/** `nirdesh search [QUERY] [--chat NAME] [--from WHO] [--since DATE] [--until DATE] [--directives] [--limit N] [--json]` */
export const searchCommand: Command = {
  name: "search",
  writes: false,
  creates: false,
  options: {
    chat: { type: "string" },
    from: { type: "string" },
    since: { type: "string" },
    until: { type: "string" },
    limit: { type: "string" },
    directives: { type: "boolean" },
  },
  async run(context, values, positionals) {
    const zone = context.config.timeZone;
    const since = dateOption(values.since, zone, false);
    const until = dateOption(values.until, zone, true);
    if (since !== undefined && until !== undefined && since > until) throw new UserError((t) => t.badDateRange);
    const limit = positiveNumber("--limit", values.limit) ?? DEFAULT_LIMIT;

    const archive = await context.archive();
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
    const query = positionals.join(" ");
    const result = searchMessages(archive, {
      ...(query ? { query } : {}),
      ...(chat ? { chatId: chat.id } : {}),
      ...(senderIds ? { senderIds } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
      ...(values.directives === true ? { directives: true } : {}),
      limit,
    });
    context.log.info({ command: "search", results: result.messages.length, more: result.more }, "searched");

    context.printJson(result.messages.map((message) => messageJson(message, zone)));
    if (result.messages.length === 0) context.say(context.text.noResults);
    const colour = context.io.stdout.isTTY === true;
    for (const message of result.messages) {
      for (const line of messageLines(message, context.text, zone, result.terms, colour)) context.say(line);
      context.say("");
    }
    if (result.messages.length > 0) context.say(context.text.resultCount(result.messages.length, result.more));
    return 0;
  },
};
