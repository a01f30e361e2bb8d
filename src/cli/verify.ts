import { verifyBundle } from "../export/verify-bundle.js";
import { verifyChain } from "../store/verify-chain.js";
import type { Command, CommandContext } from "./command.js";
import { brokenChainWords } from "./format.js";

/** `nirdesh verify [--bundle ZIP]`: exit 0 when the chain (or the bundle) holds, 1 naming what changed. */
export const verifyCommand: Command = {
  name: "verify",
  writes: false,
  creates: false,
  chainOnly: true,
  options: { bundle: { type: "string" } },
  async run(context, values) {
    if (typeof values.bundle === "string") return verifyBundleCommand(context, values.bundle);
    const verdict = verifyChain(await context.archive());
    context.log.info({ command: "verify", intact: verdict.intact, rows: verdict.rows }, "verified");
    context.printJson(verdict);
    const t = context.text;
    if (verdict.intact) {
      context.say(verdict.rows === 0 ? t.verifyEmpty : t.verifyOk(verdict.rows, verdict.head));
      return 0;
    }
    const { where, why } = brokenChainWords(verdict, t);
    context.say(t.verifyBroken(where, why));
    return 1;
  },
};

/** A bundle is checked on its own: no archive is opened, so an auditor's machine needs none. */
async function verifyBundleCommand(context: CommandContext, path: string): Promise<number> {
  const verdict = await verifyBundle(path);
  context.log.info({ command: "verify", bundle: true, intact: verdict.intact }, "bundle verified");
  context.printJson(verdict);
  const t = context.text;
  if (verdict.intact) {
    context.say(t.bundleOk(verdict.messages, verdict.members, verdict.head.seq, verdict.head.hash));
    return 0;
  }
  context.say(t.bundleBroken);
  for (const problem of verdict.problems) {
    context.say(`  ${problem.problem === "row" ? t.bundleProblem.row(problem.member, problem.id, problem.seq, problem.field) : t.bundleProblem[problem.problem](problem.member)}`);
  }
  return 1;
}
