import { verifyChain } from "../store/verify-chain.js";
import type { Command } from "./command.js";

/** `nirdesh verify`: exit 0 when the chain holds, 1 naming the first bad row. */
export const verifyCommand: Command = {
  name: "verify",
  writes: false,
  creates: false,
  chainOnly: true,
  options: {},
  async run(context) {
    const verdict = verifyChain(await context.archive());
    context.log.info({ command: "verify", intact: verdict.intact, rows: verdict.rows }, "verified");
    context.printJson(verdict);
    const t = context.text;
    if (verdict.intact) {
      context.say(verdict.rows === 0 ? t.verifyEmpty : t.verifyOk(verdict.rows, verdict.head));
      return 0;
    }
    const why = verdict.problem === "rehashed" ? t.verifyWhy.altered : t.verifyWhy[verdict.problem];
    const where = verdict.table === "search-index" ? t.verifyIndex : t.verifyRow(verdict.seq, verdict.table, verdict.id);
    context.say(t.verifyBroken(where, why));
    return 1;
  },
};
