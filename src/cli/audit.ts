import { formatIsoInZone } from "../domain/time-zone.js";
import { auditEntries } from "../store/audit.js";
import { UserError } from "../user-error.js";
import type { Command } from "./command.js";
import { positiveNumber } from "./format.js";
import { readDateRange } from "./message-filters.js";

const DEFAULT_LIMIT = 100;

/**
 * `nirdesh audit [--since] [--until] [--limit N] [--json]`: who asked the archive for what — searches,
 * messages shown, exports and reports, at the command line and in WhatsApp — newest first.
 */
export const auditCommand: Command = {
  name: "audit",
  writes: false,
  creates: false,
  options: { since: { type: "string" }, until: { type: "string" }, limit: { type: "string" } },
  async run(context, values, positionals) {
    if (positionals.length > 0) throw new UserError((t) => t.badUsage(t.unexpectedArgument(positionals[0]!)));
    const zone = context.config.timeZone;
    const range = readDateRange(values, zone);
    const limit = positiveNumber("--limit", values.limit) ?? DEFAULT_LIMIT;
    const entries = auditEntries(await context.archive(), { ...range, limit });
    const iso = (at: number) => formatIsoInZone(at, zone);
    context.printJson(entries.map((entry) => ({ ...entry, at: iso(entry.at) })));
    if (entries.length === 0) context.say(context.text.noAudit);
    for (const entry of entries) {
      const filters = Object.entries(entry.filters)
        .map(([name, value]) => `${name}=${typeof value === "string" ? JSON.stringify(value) : String(value)}`)
        .join(" ");
      const who = `${entry.by ?? "?"}${entry.chat ? ` (${entry.chat})` : ""}`;
      context.say(context.text.auditLine(iso(entry.at), entry.via, who, entry.action, entry.allowed, entry.rows, filters));
    }
    return 0;
  },
};
