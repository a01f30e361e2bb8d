import { type DateOrder, DATE_ORDERS } from "../chat-export/parse-chat-export.js";
import { archiveImport, type ImportSummary, type PreparedImport, prepareImport } from "../chat-export/import-chat-export.js";
import { chatNamed } from "../store/chats.js";
import { type Archive, checkArchivePath } from "../store/open-archive.js";
import { UserError } from "../user-error.js";
import type { Command } from "./command.js";
import { loadRoster, readRosterFile } from "./roster.js";

/** `nirdesh import FILE… [--chat NAME] [--roster CSV] [--date-order dmy|mdy|ymd]` */
export const importCommand: Command = {
  name: "import",
  writes: true,
  creates: true,
  options: {
    chat: { type: "string" },
    roster: { type: "string" },
    "date-order": { type: "string" },
  },
  async run(context, values, files) {
    if (files.length === 0) throw new UserError((t) => t.badUsage(t.missingArgument("FILE")));
    const dateOrder = values["date-order"] as string | undefined;
    if (dateOrder !== undefined && !DATE_ORDERS.includes(dateOrder as DateOrder)) throw new UserError((t) => t.badDateOrder(dateOrder));
    const roster = typeof values.roster === "string" ? readRosterFile(values.roster) : null;
    const options = {
      timeZone: context.config.timeZone,
      ...(typeof values.chat === "string" ? { chatName: values.chat } : {}),
      ...(dateOrder ? { dateOrder: dateOrder as DateOrder } : {}),
    };
    checkArchivePath(context.config.db);
    // Every file is read and understood before anything is written, so one bad file changes nothing.
    const prepared: PreparedImport[] = [];
    for (const file of files) prepared.push(await prepareImport(file, options, context.media));
    const archive = await context.archive();
    for (const one of prepared) refuseRereading(archive, one);
    if (roster) loadRoster(context, archive, roster);
    const summaries: ImportSummary[] = [];
    for (const one of prepared) {
      const summary = archiveImport(archive, one, context.io.now, context.log);
      summaries.push(summary);
      const t = context.text;
      context.say(t.imported(one.path, summary));
      if (summary.mediaMissing > 0) context.say(`  ${t.importMissingMedia(summary.mediaMissing)}`);
      if (summary.unreadLines > 0) context.say(`  ${t.importUnreadLines(summary.unreadLines)}`);
    }
    context.track(archive);
    const counts = new Map<string, { directives: number; waiting: number }>();
    for (const { chat } of summaries) if (!counts.has(chat)) counts.set(chat, directiveCounts(archive, chat));
    for (const { directives, waiting } of counts.values()) context.say(context.text.importDirectives(directives, waiting));
    context.printJson(summaries.map((summary) => ({ ...summary, ...counts.get(summary.chat) })));
    return 0;
  },
};

/** How many directives a chat holds, and how many still wait for someone's acknowledgement. */
function directiveCounts(archive: Archive, chatName: string): { directives: number; waiting: number } {
  const chat = chatNamed(archive, chatName);
  const directives = archive.get(
    archive.db.selectFrom("directives").select((eb) => eb.fn.countAll<number>().as("n")).where("chat_id", "=", chat.id).where("directive", "=", 1),
  )!.n;
  const waiting = archive.get(
    archive.db
      .selectFrom("directive_people")
      .select((eb) => eb.fn.count<number>("directive_id").distinct().as("n"))
      .where("chat_id", "=", chat.id)
      .where("acknowledged_at", "is", null),
  )!.n;
  return { directives, waiting };
}

/**
 * The same file read again in another time zone or date order would put every message at another
 * time, and so archive the chat a second time: refuse, naming how it was read before.
 */
function refuseRereading(archive: Archive, prepared: PreparedImport): void {
  const earlier = archive.get(
    archive.db
      .selectFrom("imports")
      .select(["time_zone", "date_order"])
      .where("file_sha256", "=", prepared.chatTextSha256)
      .where((eb) => eb.or([eb("time_zone", "!=", prepared.timeZone), eb("date_order", "!=", prepared.parsed.dateOrder)]))
      .limit(1),
  );
  if (earlier) throw new UserError((t) => t.importReadDifferently(prepared.path, earlier.time_zone, earlier.date_order));
}
