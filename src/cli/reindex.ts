import { sql } from "kysely";
import type { Command } from "./command.js";

/** `nirdesh reindex`: rebuilds the search index from the archived rows (after verify found it altered). */
export const reindexCommand: Command = {
  name: "reindex",
  writes: true,
  options: {},
  async run(context) {
    const archive = await context.archive();
    const rows = archive.transaction(() => {
      archive.run(sql`INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')`);
      return archive.get(sql<{ n: number }>`SELECT count(*) AS n FROM search_documents`)!.n;
    });
    context.log.info({ command: "reindex", rows }, "search index rebuilt");
    context.printJson({ rows });
    context.say(context.text.reindexed(rows));
    return 0;
  },
};
