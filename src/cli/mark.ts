import { appendToArchive } from "../store/append-to-archive.js";
import { findPeople } from "../store/people.js";
import { UserError } from "../user-error.js";
import type { Command } from "./command.js";
import { readMessageId } from "./format.js";

/**
 * `nirdesh mark ID --directive|--not-directive --by WHO`: a superior's or record keeper's correction of
 * the detector. It is an event in the hash chain, never an edit: who corrected what, and when, stays on record.
 */
export const markCommand: Command = {
  name: "mark",
  writes: true,
  creates: false,
  options: {
    directive: { type: "boolean" },
    "not-directive": { type: "boolean" },
    by: { type: "string" },
  },
  async run(context, values, positionals) {
    const [raw, ...rest] = positionals;
    if (raw === undefined || rest.length > 0) throw new UserError((t) => t.badUsage(t.missingArgument("ID")));
    if ((values.directive === true) === (values["not-directive"] === true)) throw new UserError((t) => t.badUsage(t.markNeedsChoice));
    const directive = values.directive === true;
    const id = readMessageId(raw);
    if (typeof values.by !== "string") throw new UserError((t) => t.badUsage(t.markNeedsBy));

    const archive = await context.archive();
    // Only a superior or a record keeper may correct the detector, and the chain says which one did.
    const who = values.by.trim();
    if (!who) throw new UserError((t) => t.blankOption("--by"));
    const people = findPeople(archive, who).filter((person) => person.roles.includes("superior") || person.roles.includes("recordkeeper"));
    if (people.length !== 1) throw new UserError((t) => t.markNotAllowed(who));
    const actor = people[0]!;
    const message = archive.get(
      archive.db
        .selectFrom("messages as m")
        .innerJoin("chats as c", "c.id", "m.chat_id")
        .select(["m.id", "m.seq", "c.id as chat_id", "c.key", "c.name"])
        .where("m.id", "=", id),
    );
    if (!message) throw new UserError((t) => t.messageNotFound(id));
    const last = archive.get(
      archive.db.selectFrom("message_events").select("data").where("message_id", "=", id).where("kind", "=", "mark").orderBy("seq", "desc").limit(1),
    );
    if (last && (JSON.parse(last.data) as { directive?: boolean }).directive === directive) {
      context.say(context.text.markUnchanged(id, directive));
      context.printJson({ id, directive, changed: false });
      return 0;
    }
    const now = context.io.now;
    const row = appendToArchive(archive, now, (chain) =>
      chain.event({
        chat: { id: message.chat_id, key: message.key, name: message.name },
        message: { id: message.id, seq: message.seq },
        kind: "mark",
        whatsappId: null,
        importKey: null,
        source: "cli",
        importId: null,
        actor,
        actorName: actor.name,
        at: now(),
        body: "",
        data: { directive },
      }),
    );
    context.log.info({ command: "mark", message: id, directive, seq: row?.seq }, "directive corrected");
    context.track(archive);
    context.say(context.text.marked(id, directive));
    context.printJson({ id, directive, changed: true, seq: row?.seq ?? null });
    return 0;
  },
};
