import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { formatIsoInZone } from "../domain/time-zone.js";
import { BACKUP_LAYOUT, backUpArchive, type BackupResult } from "../store/back-up-archive.js";
import type { MediaStore } from "../store/media-store.js";
import type { Archive } from "../store/open-archive.js";

export interface DailyBackupSettings {
  folder: string;
  keep: number;
  timeZone: string;
  key: string | undefined;
}

/** Only folders of this name are ever removed from the backup folder: whatever else is there is left alone. */
const DAILY_NAME = /^nirdesh-backup-\d{4}-\d{2}-\d{2}$/;

/**
 * The bot's daily backup: the folder `nirdesh-backup-YYYY-MM-DD` (the office's date) in the backup folder,
 * then the oldest daily backups beyond `keep` removed. Never throws: a failure is logged and tomorrow's
 * run tries again, and the older backups stay until a new one is written.
 */
export async function backUpToday(parts: { archive: Archive; media: MediaStore; log: Logger; now: () => number }, settings: DailyBackupSettings): Promise<BackupResult | null> {
  const name = `nirdesh-backup-${formatIsoInZone(parts.now(), settings.timeZone).slice(0, 10)}`;
  const log = parts.log.child({ part: "backup", backup: name });
  try {
    const result = await backUpArchive(parts.archive, parts.media, join(settings.folder, name), { force: true, key: settings.key, now: parts.now });
    if (!result.intact) {
      log.warn({ problem: result.verdict.problem, seq: result.verdict.seq }, "daily backup not kept: the copy's hash chain does not verify (run nirdesh verify)");
      return result;
    }
    const removed = removeOldBackups(settings.folder, settings.keep);
    log.info({ rows: result.rows, media: result.media, mediaMissing: result.mediaMissing, bytes: result.bytes, removed }, "daily backup written");
    return result;
  } catch (error) {
    // The message names files and SQLite's reason, never a message's text.
    log.warn({ error: (error as Error)?.message ?? String(error), code: (error as { code?: string }).code }, "daily backup failed; the next one is tomorrow");
    return null;
  }
}

function removeOldBackups(folder: string, keep: number): number {
  const daily = readdirSync(folder)
    .filter((entry) => DAILY_NAME.test(entry))
    .filter((entry) => statSync(join(folder, entry)).isDirectory() && existsSync(join(folder, entry, BACKUP_LAYOUT.database)))
    .sort();
  const old = daily.slice(0, Math.max(0, daily.length - keep));
  for (const entry of old) rmSync(join(folder, entry), { recursive: true, force: true });
  return old.length;
}
