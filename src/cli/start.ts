import type { Command } from "./command.js";

/** `nirdesh start`: the live bot (a later issue); until then it says so and what works now. */
export const startCommand: Command = {
  name: "start",
  writes: true,
  creates: true,
  options: {},
  async run(context) {
    context.io.stderr.write(`${context.text.liveBotNotBuilt}\n`);
    return 0;
  },
};
