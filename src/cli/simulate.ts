import { formatIsoInZone } from "../domain/time-zone.js";
import { readNudgePolicy } from "../nudge-policy-file.js";
import { simulateChats } from "../simulator/simulate-chats.js";
import { UserError } from "../user-error.js";
import type { Command } from "./command.js";
import { dateOption } from "./format.js";
import { readRosterFile } from "./roster.js";

/**
 * `nirdesh simulate FILE… [--roster CSV] [--chat NAME] [--until ISO] [--policy FILE] [--json]`: replays chat exports
 * through the live bot on a virtual clock and prints every message it would have sent. Nothing is
 * written to the archive: offices tune their nudge policy on last month's chats.
 */
export const simulateCommand: Command = {
  name: "simulate",
  writes: false,
  creates: false,
  options: {
    roster: { type: "string" },
    chat: { type: "string" },
    until: { type: "string" },
    policy: { type: "string" },
  },
  async run(context, values, files) {
    if (files.length === 0) throw new UserError((t) => t.badUsage(t.missingArgument("FILE")));
    const zone = context.config.timeZone;
    const until = dateOption(values.until, zone, true) ?? null;
    const roster = typeof values.roster === "string" ? readRosterFile(values.roster).entries : null;
    const policyFile = typeof values.policy === "string" ? values.policy : context.config.nudgePolicy;
    const followUps = readNudgePolicy(policyFile, context.text);
    const chatName = typeof values.chat === "string" ? values.chat : undefined;
    const simulation = await simulateChats({ files, roster, until, ...(chatName !== undefined ? { chatName } : {}), timeZone: zone, lexicons: context.lexicons(), followUps, text: context.text, log: context.log });
    const iso = (at: number) => formatIsoInZone(at, zone);
    context.printJson({
      chats: simulation.chats,
      from: iso(simulation.from),
      until: iso(simulation.until),
      messages: simulation.messages,
      directives: simulation.directives,
      outgoing: simulation.outgoing.map((item) => ({
        ...item,
        at: iso(item.at),
        directive: item.directive ? { ...item.directive, at: iso(item.directive.at) } : null,
      })),
    });
    const t = context.text;
    context.say(t.simulateHeading(simulation.chats, simulation.messages, simulation.directives, iso(simulation.from), iso(simulation.until)));
    context.say("");
    for (const item of simulation.outgoing) {
      const to = item.to.map((person) => person.name).join(", ");
      context.say(`${iso(item.at)}  ${t.outgoingKind[item.kind]} ${t.outgoingVia(item.via)}${item.chat ? `  ${item.chat}` : ""}${to ? ` → ${to}` : ""}`);
      if (item.directive) context.say(`  ${t.outgoingAbout(item.directive.id, iso(item.directive.at), item.directive.from.name)}`);
      for (const line of item.text.split("\n")) context.say(`  │ ${line}`);
      context.say("");
    }
    if (simulation.outgoing.length === 0) context.say(t.simulateNothingSent);
    // Without a roster only the group's admins give directives, and an export names them only when it
    // shows who added people.
    if (simulation.directives === 0 && !roster) context.say(t.simulateNeedsRoster);
    const counts: Record<string, number> = {};
    for (const item of simulation.outgoing) counts[item.kind] = (counts[item.kind] ?? 0) + 1;
    context.say(t.simulateTotals(counts));
    return 0;
  },
};
