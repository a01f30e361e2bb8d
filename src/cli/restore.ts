import { restoreArchive } from "../store/restore-archive.js";
import { UserError } from "../user-error.js";
import type { Command } from "./command.js";
import { brokenChainWords } from "./format.js";

/**
 * `nirdesh restore BACKUP [--force]`: puts a backup back as the archive (--db), only when its hash chain
 * and media verify (exit 1 naming the first bad row otherwise). An archive already there is set aside,
 * never deleted.
 */
export const restoreCommand: Command = {
  name: "restore",
  writes: false,
  creates: false,
  options: { force: { type: "boolean" } },
  async run(context, values, positionals) {
    const [backup, ...rest] = positionals;
    if (backup === undefined || rest.length > 0) throw new UserError((t) => t.badUsage(t.missingArgument("BACKUP")));
    const t = context.text;
    const { config } = context;
    const result = await restoreArchive(backup, { db: config.db, mediaDir: config.mediaDir }, { force: values.force === true, key: config.dbKey, now: context.io.now });
    if (!result.restored) {
      context.printJson(result);
      if ("verdict" in result) {
        const { verdict } = result;
        context.log.warn({ command: "restore", problem: verdict.problem, seq: verdict.seq }, "backup refused");
        const { where, why } = brokenChainWords(verdict, t);
        context.say(t.restoreRefused(where, why));
      } else {
        context.log.warn({ command: "restore" }, "backup refused: a media file does not match its hash");
        context.say(t.restoreMediaDamaged(result.damagedMedia));
      }
      return 1;
    }
    context.log.info({ command: "restore", rows: result.rows, media: result.media }, "archive restored");
    context.printJson(result);
    context.say(t.restoreDone(result.path, result));
    if (result.mediaMissing > 0) context.say(t.backupMediaMissing(result.mediaMissing));
    if (result.keptAside) context.say(t.restoreKeptAside(result.keptAside));
    return 0;
  },
};
