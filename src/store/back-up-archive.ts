import { randomUUID } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UserError } from "../user-error.js";
import { type MediaStore, openMediaStore, syncFile } from "./media-store.js";
import { checkArchiveCopy } from "./check-archive-copy.js";
import type { Archive } from "./open-archive.js";
import type { ChainVerdict } from "./verify-chain.js";

/**
 * A backup is a folder: the archive as one SQLite file, the media it names (kept by SHA-256 as in
 * the media store) and a small manifest of what it held when written. A folder, not one file, so that
 * media can be restored with `cp -r` as well as with `nirdesh restore`.
 */
export const BACKUP_LAYOUT = { database: "nirdesh.db", media: "media", manifest: "backup.json" } as const;

export interface BackupSummary {
  path: string;
  /** When it was written (ISO 8601, UTC). */
  at: string;
  messages: number;
  /** Rows of the hash chain (messages and events), all verified in the copy. */
  rows: number;
  head: string;
  media: number;
  /** Media files the archive names that were not in the media folder (so not in the backup either). */
  mediaMissing: number;
  bytes: number;
  encrypted: boolean;
}

export type BackupResult = ({ intact: true } & BackupSummary) | { intact: false; verdict: Extract<ChainVerdict, { intact: false }> };

/**
 * Writes a verified copy of the archive and its media into the folder `target`, while the bot (another
 * process, or this one) goes on writing. The copy is one consistent snapshot: SQLite's VACUUM INTO reads
 * the whole archive in one read transaction, which in WAL mode never blocks a writer. (SQLite's page-by-page
 * backup API cannot write an encrypted copy with this driver, and restarts whenever another process
 * writes.) An encrypted archive's copy is encrypted with the same key. Everything is written under a
 * temporary name beside `target` and renamed only once the copy's hash chain verifies, so `target` is
 * either a whole, checked backup or absent.
 */
export async function backUpArchive(archive: Archive, media: MediaStore, target: string, options: { force?: boolean; key?: string | undefined; now: () => number }): Promise<BackupResult> {
  const replacing = checkBackupTarget(target, options.force === true);
  const parent = dirname(target);
  const partial = join(parent, `.${basename(target)}.partial-${randomUUID()}`);
  try {
    mkdirSync(parent, { recursive: true, mode: 0o700 });
    mkdirSync(partial, { mode: 0o700 });
  } catch (error) {
    throw cannotWrite(error, parent);
  }
  try {
    const copy = join(partial, BACKUP_LAYOUT.database);
    // VACUUM INTO writes into an empty file it finds: made here, so the copy is this user's only.
    closeSync(openSync(copy, "wx", 0o600));
    archive.sqlite.prepare("VACUUM INTO ?").run(copy);
    const { verdict, messages, media: named } = await checkArchiveCopy(copy, options.key);
    if (!verdict.intact) return { intact: false, verdict };
    syncFile(copy);

    const copies = openMediaStore(join(partial, BACKUP_LAYOUT.media));
    let stored = 0;
    let missing = 0;
    let bytes = statSync(copy).size;
    for (const sha256 of named) {
      if (!media.has(sha256)) {
        missing++;
        continue;
      }
      bytes += copies.copyFrom(media, sha256);
      stored++;
    }
    const summary: BackupSummary = {
      path: target,
      at: new Date(options.now()).toISOString(),
      messages,
      rows: verdict.rows,
      head: verdict.head,
      media: stored,
      mediaMissing: missing,
      bytes,
      encrypted: options.key !== undefined,
    };
    writeFileSync(join(partial, BACKUP_LAYOUT.manifest), `${JSON.stringify({ format: "nirdesh-backup", version: 1, ...summary, path: undefined }, null, 2)}\n`, { mode: 0o600 });
    if (replacing) {
      // The earlier backup goes only once the new one is in its place.
      const old = join(parent, `.${basename(target)}.old-${randomUUID()}`);
      renameSync(target, old);
      renameSync(partial, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(partial, target);
    }
    syncFile(parent);
    return { intact: true, ...summary };
  } catch (error) {
    throw cannotWrite(error, target);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}

/** A full disk or a folder the user may not write to is one clear line, not a crash. */
export function cannotWrite(error: unknown, path: string): unknown {
  const code = (error as { code?: string }).code ?? "";
  const theirs = ["ENOSPC", "EDQUOT", "EACCES", "EPERM", "EROFS", "EIO", "ENOTDIR", "EEXIST", "SQLITE_FULL"].includes(code) || code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_CANTOPEN");
  return theirs ? new UserError((t) => t.cannotWrite(path, code)) : error;
}

/** Whether `target` is an earlier backup to replace; refuses anything else that is there. */
function checkBackupTarget(target: string, force: boolean): boolean {
  if (!existsSync(target)) return false;
  const isBackup = statSync(target).isDirectory() && (existsSync(join(target, BACKUP_LAYOUT.database)) || readdirSync(target).length === 0);
  if (!isBackup) throw new UserError((t) => t.backupTargetForeign(target));
  if (!force) throw new UserError((t) => t.backupExists(target));
  return true;
}
