import { chatNamed } from "../store/chats.js";
import { directiveViews } from "../store/directive-views.js";
import { UserError } from "../user-error.js";
import type { Command } from "./command.js";
import { directiveJson, directiveLines, positiveNumber } from "./format.js";

/** `nirdesh pending [--chat NAME] [--limit N] [--json]`: directives that officers still owe an acknowledgement, oldest first. */
export const pendingCommand: Command = {
  name: "pending",
  writes: false,
  creates: false,
  options: {
    chat: { type: "string" },
    limit: { type: "string" },
  },
  async run(context, values, positionals) {
    if (positionals.length > 0) throw new UserError((t) => t.badUsage(t.unexpectedArgument(positionals[0]!)));
    const archive = await context.archive();
    if (typeof values.chat === "string" && !values.chat.trim()) throw new UserError((t) => t.blankOption("--chat"));
    const chat = typeof values.chat === "string" ? chatNamed(archive, values.chat) : undefined;
    const limit = positiveNumber("--limit", values.limit);
    const directives = directiveViews(archive, { pendingOnly: true, ...(chat ? { chatId: chat.id } : {}), ...(limit ? { limit } : {}) });
    // A reading command does not work directives out again, so it can only say when what it shows is out of date.
    context.warnIfStale(archive);
    context.log.info({ command: "pending", directives: directives.length }, "pending listed");

    const zone = context.config.timeZone;
    context.printJson(directives.map((directive) => directiveJson(directive, zone)));
    if (directives.length === 0) context.say(context.text.noPending);
    for (const directive of directives) {
      for (const line of directiveLines(directive, context.text, zone, { pendingOnly: true })) context.say(line);
      context.say("");
    }
    if (directives.length > 0) context.say(context.text.pendingCount(directives.length));
    return 0;
  },
};
