import { searchMessages } from "../store/search-messages.js";
import type { Command } from "./command.js";
import { messageJson, messageLines, positiveNumber } from "./format.js";
import { MESSAGE_FILTER_OPTIONS, readDateRange, readMessageFilters } from "./message-filters.js";

const DEFAULT_LIMIT = 50;

/** `nirdesh search [QUERY] [--chat NAME] [--from WHO] [--since DATE] [--until DATE] [--directives] [--limit N] [--json]` */
export const searchCommand: Command = {
  name: "search",
  writes: false,
  creates: false,
  options: { ...MESSAGE_FILTER_OPTIONS, limit: { type: "string" } },
  async run(context, values, positionals) {
    const zone = context.config.timeZone;
    // Dates and the limit are checked before the archive is opened.
    // Dates are read before the archive is opened: a mistyped date is the first thing the user hears of.
    const range = readDateRange(values, zone);
    const limit = positiveNumber("--limit", values.limit) ?? DEFAULT_LIMIT;

    const archive = await context.archive();
    const { filters, typed } = readMessageFilters(archive, values, positionals.join(" "), range);
    const result = searchMessages(archive, { ...filters, limit });
    context.log.info({ command: "search", results: result.messages.length, more: result.more }, "searched");
    context.audit(archive, "search", { ...typed, limit }, result.messages.length);

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
