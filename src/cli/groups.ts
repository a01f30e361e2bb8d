import { createWhatsAppConnection } from "../app.js";
import { TransportUnreachable } from "../bot/transport.js";
import { isWatched } from "../domain/is-watched.js";
import { UserError } from "../user-error.js";
import type { Command } from "./command.js";

/** `nirdesh groups [--json]`: the groups the linked account is in, with the ids NIRDESH_GROUPS takes. */
export const groupsCommand: Command = {
  name: "groups",
  writes: false,
  creates: false,
  options: {},
  async run(context, _values, positionals) {
    if (positionals.length > 0) throw new UserError((t) => t.badUsage(t.unexpectedArgument(positionals[0]!)));
    const transport = await createWhatsAppConnection(context.config, context.text, context.log, context.io.stderr);
    try {
      await transport.connect({ event: () => undefined, lost: () => undefined });
      const groups = await transport.groups();
      const rows = groups.map((group) => ({ id: group.chat.whatsappId, name: group.chat.name, members: group.participants.length, watched: isWatched(group.chat, context.config.groups) }));
      context.printJson(rows);
      context.say(rows.length === 0 ? context.text.noGroups : context.text.groupsHeading);
      for (const row of rows) context.say(context.text.groupLine(row.id, row.name, row.members, row.watched));
      return 0;
    } catch (error) {
      if (error instanceof TransportUnreachable) throw new UserError((t) => t.whatsappUnreachable(error.reason));
      throw error;
    } finally {
      await transport.disconnect();
    }
  },
};
