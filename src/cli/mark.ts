import { markMessage } from "../store/mark-message.js";
import { findPeople } from "../store/people.js";
import { UserError } from "../user-error.js";
import type { Command } from "./command.js";
import { readMessageId } from "./format.js";

/** `nirdesh mark ID --directive|--not-directive --by WHO`: a superior's or record keeper's correction of the detector. */
export const markCommand: Command = {
  name: "mark",
  writes: true,
  creates: false,
  options: {
    directive: { type: "boolean" },
    "not-directive": { type: "boolean" },
    urgent: { type: "boolean" },
    by: { type: "string" },
  },
  async run(context, values, positionals) {
    const [raw, ...rest] = positionals;
    if (raw === undefined || rest.length > 0) throw new UserError((t) => t.badUsage(t.missingArgument("ID")));
    const urgent = values.urgent === true;
    // --urgent marks an urgent directive, so it goes with --directive or alone, never with --not-directive.
    if ((values.directive === true || urgent) === (values["not-directive"] === true)) throw new UserError((t) => t.badUsage(t.markNeedsChoice));
    const directive = values["not-directive"] !== true;
    const id = readMessageId(raw);
    if (typeof values.by !== "string") throw new UserError((t) => t.badUsage(t.markNeedsBy));

    const archive = await context.archive();
    // Only a superior or a record keeper may correct the detector, and the chain says which one did.
    const who = values.by.trim();
    if (!who) throw new UserError((t) => t.blankOption("--by"));
    const people = findPeople(archive, who).filter((person) => person.roles.includes("superior") || person.roles.includes("recordkeeper"));
    if (people.length !== 1) throw new UserError((t) => t.markNotAllowed(who));
    const actor = people[0]!;
    const { changed, seq } = markMessage(archive, context.io.now, id, directive, actor, "cli", urgent);
    if (!changed) {
      context.say(context.text.markUnchanged(id, directive, urgent));
      context.printJson({ id, directive, changed: false });
      return 0;
    }
    context.log.info({ command: "mark", message: id, directive, seq }, "directive corrected");
    context.track(archive);
    context.say(context.text.marked(id, directive, urgent));
    context.printJson({ id, directive, changed: true, seq });
    return 0;
  },
};
