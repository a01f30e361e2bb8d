import { createLiveBot, createWhatsAppConnection, scheduleDailyBackup } from "../app.js";
import { readNudgePolicy } from "../nudge-policy-file.js";
import type { Command } from "./command.js";

/**
 * `nirdesh start` (and `npm start`): the live bot. Shows a QR code (or a pairing code) when the device is
 * not linked yet, archives the watched groups, and runs until SIGINT or SIGTERM, which close WhatsApp's
 * browser and the archive cleanly (killing the browser mid-write corrupts the session).
 */
export const startCommand: Command = {
  name: "start",
  writes: true,
  creates: true,
  options: {},
  async run(context) {
    // A bad policy file is one clear line before WhatsApp or the archive is touched.
    const followUps = readNudgePolicy(context.config.nudgePolicy, context.text);
    const transport = await createWhatsAppConnection(context.config, context.text, context.log, context.io.stderr);
    const archive = await context.archive();
    const bot = createLiveBot(context.config, { transport, archive, media: context.media, lexicons: context.lexicons(), followUps, text: context.text, log: context.log, now: context.io.now });
    context.io.stderr.write(`${context.text.botStarted(context.config.groups.length)}\n`);
    if (context.config.groups.length === 0) context.io.stderr.write(`${context.text.botWatchesNothing}\n`);

    let stopping: Promise<void> | null = null;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        // A second Ctrl+C means now.
        process.exit(130);
      }
      context.log.info({ signal }, "stopping");
      stopping = bot.stop().catch((error: unknown) => context.log.error({ err: error }, "stopping failed"));
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    const backups = scheduleDailyBackup(context.config, { archive, media: context.media, log: context.log, now: context.io.now });
    try {
      await bot.run();
      await stopping;
    } finally {
      backups?.stop();
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
    context.io.stderr.write(`${context.text.botStopped}\n`);
    return 0;
  },
};
