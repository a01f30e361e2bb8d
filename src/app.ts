import { chmodSync, mkdirSync } from "node:fs";
import type { Logger } from "pino";
import { createBot, DEFAULT_BOT_SETTINGS, type Bot } from "./bot/create-bot.js";
import type { Transport } from "./bot/transport.js";
import type { Config } from "./config.js";
import type { Lexicons } from "./lexicons.js";
import type { FollowUpSettings } from "./nudge-policy-file.js";
import { backUpToday } from "./scheduler/back-up-today.js";
import { dailyAt } from "./scheduler/daily-at.js";
import type { Scheduled } from "./scheduler/every-minute.js";
import type { MediaStore } from "./store/media-store.js";
import type { Archive } from "./store/open-archive.js";
import type { Messages } from "./text.js";
import { findChromium } from "./chromium/find-chromium.js";
import { loadWhatsAppWeb } from "./whatsapp/load-whatsapp-web.js";
import { promptToLink, type Screen } from "./whatsapp/prompt-to-link.js";
import { createWhatsAppTransport } from "./whatsapp/whatsapp-transport.js";

/**
 * The composition root: the only place the real adapters are built. Tests, the demo and `simulate`
 * build the same bot around a MemoryTransport instead.
 */
export async function createWhatsAppConnection(config: Config, text: Messages, log: Logger, screen: Screen): Promise<Transport> {
  const chromium = findChromium(config.chromiumPath);
  // Everything the bot and its browser create (archive, media, the session, Chromium's profile) is this user's only.
  process.umask(0o077);
  // The session is the account's key: only this user may read it.
  mkdirSync(config.sessionDir, { recursive: true, mode: 0o700 });
  chmodSync(config.sessionDir, 0o700);
  const library = await loadWhatsAppWeb({
    chromium,
    chromiumArgs: config.chromiumArgs,
    sessionDir: config.sessionDir,
    ...(config.pairPhone ? { pairPhone: config.pairPhone.slice(1) } : {}),
  });
  return createWhatsAppTransport({
    ...library,
    log: log.child({ part: "whatsapp" }),
    ...promptToLink(text, log, screen),
  });
}

export function createLiveBot(
  config: Config,
  parts: { transport: Transport; archive: Archive; media: MediaStore; lexicons: Lexicons; followUps: FollowUpSettings; text: Messages; log: Logger; now: () => number },
): Bot {
  return createBot({
    ...parts,
    settings: {
      ...DEFAULT_BOT_SETTINGS,
      watch: [...config.groups],
      timeZone: config.timeZone,
      backfillLimit: config.backfillLimit,
      recycleMs: config.recycleHours * 60 * 60_000,
      sendLimits: { minGapMs: 4_000, jitterMs: 3_000, perMinute: config.sendPerMinute, perDay: config.sendPerDay },
    },
  });
}

/**
 * The daily backup while the bot runs (NIRDESH_BACKUP_DIR, at NIRDESH_BACKUP_AT in the office's zone,
 * NIRDESH_BACKUP_KEEP kept); null when no backup folder is set.
 */
export function scheduleDailyBackup(config: Config, parts: { archive: Archive; media: MediaStore; log: Logger; now: () => number }): Scheduled | null {
  const folder = config.backupDir;
  if (folder === undefined) return null;
  const settings = { folder, keep: config.backupKeep, timeZone: config.timeZone, key: config.dbKey };
  return dailyAt(() => backUpToday(parts, settings), config.backupAt, config.timeZone, "daily-backup");
}
