import { sql } from "kysely";
import type { Command } from "./command.js";

/**
 * `nirdesh reindex`: rebuilds what is worked out from the archived rows — the search index (after verify
 * found it altered) and every chat's directives and acknowledgements (after an office changed its lexicons).
 */
export const reindexCommand: Command = {
  name: "reindex",
  writes: true,
  creates: false,
  options: {},
  async run(context) {
    const archive = await context.archive();
    const rows = archive.transaction(() => {
      archive.run(sql`INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')`);
      return archive.get(sql<{ n: number }>`SELECT count(*) AS n FROM search_documents`)!.n;
    });
    context.log.info({ command: "reindex", rows }, "search index rebuilt");
    context.say(context.text.reindexed(rows));
    archive.run(archive.db.deleteFrom("tracking"));
    const chats = context.track(archive);
    context.say(context.text.trackedChats(chats));
    context.printJson({ rows, chatsTracked: chats });
    return 0;
  },
};
