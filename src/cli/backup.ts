import { backUpArchive } from "../store/back-up-archive.js";
import { UserError } from "../user-error.js";
import type { Command } from "./command.js";
import { brokenChainWords } from "./format.js";

/**
 * `nirdesh backup PATH [--force]`: a verified copy of the archive and its media in the folder PATH,
 * safe while the bot runs. Exit 1 when the copy's hash chain does not verify (nothing is kept then).
 */
export const backupCommand: Command = {
  name: "backup",
  writes: false,
  creates: false,
  options: { force: { type: "boolean" } },
  async run(context, values, positionals) {
    const [target, ...rest] = positionals;
    if (target === undefined || rest.length > 0) throw new UserError((t) => t.badUsage(t.missingArgument("PATH")));
    const t = context.text;
    const result = await backUpArchive(await context.archive(), context.media, target, { force: values.force === true, key: context.config.dbKey, now: context.io.now });
    if (!result.intact) {
      const { verdict } = result;
      context.log.warn({ command: "backup", problem: verdict.problem, seq: verdict.seq }, "backup copy did not verify");
      context.printJson({ written: false, verdict });
      const { where, why } = brokenChainWords(verdict, t);
      context.say(t.backupBroken(`${where}: ${why}`));
      return 1;
    }
    context.log.info({ command: "backup", rows: result.rows, media: result.media, bytes: result.bytes }, "backup written");
    context.printJson({ written: true, ...result });
    context.say(t.backupDone(result.path, result));
    if (result.mediaMissing > 0) context.say(t.backupMediaMissing(result.mediaMissing));
    return 0;
  },
};
