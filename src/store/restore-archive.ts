import { createHash, randomUUID } from "node:crypto";
import { chmodSync, copyFileSync, createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import Database from "better-sqlite3-multiple-ciphers";
import { UserError } from "../user-error.js";
import { BACKUP_LAYOUT, cannotWrite } from "./back-up-archive.js";
import { checkArchiveCopy } from "./check-archive-copy.js";
import { openMediaStore, syncFile } from "./media-store.js";
import { checkArchivePath, unlock } from "./open-archive.js";
import type { ChainVerdict } from "./verify-chain.js";

export interface RestoreSummary {
  path: string;
  messages: number;
  rows: number;
  head: string;
  media: number;
  /** Media the backup's archive names but the backup does not hold. */
  mediaMissing: number;
  bytes: number;
  /** Where the archive that was replaced now lies; null when there was none. */
  keptAside: string | null;
}

export type RestoreResult =
  | ({ restored: true } & RestoreSummary)
  | { restored: false; verdict: Extract<ChainVerdict, { intact: false }> }
  | { restored: false; damagedMedia: string };

/**
 * Puts a backup (a folder written by `nirdesh backup`, or an archive file) back as the archive at
 * `to.db`, with its media in `to.mediaDir`. Nothing is changed until the backup's hash chain and every
 * media file it holds have been checked. An archive already there is never deleted: with `force` it is
 * renamed aside, and only when no other process (the bot) has it open.
 */
export async function restoreArchive(
  backup: string,
  to: { db: string; mediaDir: string },
  options: { force?: boolean; key?: string | undefined; now: () => number },
): Promise<RestoreResult> {
  const source = backupDatabaseOf(backup);
  checkArchivePath(to.db);
  const replacing = existsSync(to.db);
  if (replacing && options.force !== true) throw new UserError((t) => t.restoreTargetExists(to.db));

  const { verdict, messages, media: named } = await checkArchiveCopy(source, options.key);
  if (!verdict.intact) return { restored: false, verdict };

  const from = openMediaStore(join(dirname(source), BACKUP_LAYOUT.media));
  const held = named.filter((sha256) => from.has(sha256));
  for (const sha256 of held) {
    if ((await sha256Of(from.pathOf(sha256))) !== sha256) return { restored: false, damagedMedia: from.pathOf(sha256) };
  }
  if (replacing && inUse(to.db, options.key)) throw new UserError((t) => t.restoreInUse(to.db));

  const folder = dirname(to.db);
  const incoming = join(folder, `.restoring-${randomUUID()}.db`);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    copyFileSync(source, incoming);
    chmodSync(incoming, 0o600);
    syncFile(incoming);
  } catch (error) {
    rmSync(incoming, { force: true });
    throw cannotWrite(error, to.db);
  }
  try {
    // Media first: a restored archive never names a file that is not there yet.
    const media = openMediaStore(to.mediaDir);
    let bytes = statSync(incoming).size;
    for (const sha256 of held) bytes += media.copyFrom(from, sha256);
    // A WAL file left without its archive would be read into the restored one: it goes aside too.
    const keptAside = replacing || existsSync(`${to.db}-wal`) || existsSync(`${to.db}-shm`) ? setAside(to.db, options.now) : null;
    renameSync(incoming, to.db);
    syncFile(folder);
    return { restored: true, path: to.db, messages, rows: verdict.rows, head: verdict.head, media: held.length, mediaMissing: named.length - held.length, bytes, keptAside };
  } catch (error) {
    throw cannotWrite(error, to.mediaDir);
  } finally {
    rmSync(incoming, { force: true });
  }
}

/** The archive file of a backup folder, or the file itself. */
function backupDatabaseOf(backup: string): string {
  if (!existsSync(backup)) throw new UserError((t) => t.backupNotFound(backup));
  if (!statSync(backup).isDirectory()) return backup;
  const database = join(backup, BACKUP_LAYOUT.database);
  if (!existsSync(database)) throw new UserError((t) => t.backupNotFound(backup));
  return database;
}

/**
 * Whether another process has the archive open. Every connection to a WAL archive holds a shared lock
 * for as long as it is open, so an exclusive lock is refused at once while the bot (or a search) runs.
 * The archive being replaced may be under no key or another one (it is being encrypted): then it is
 * asked again without the key.
 */
function inUse(path: string, key: string | undefined): boolean {
  for (const tried of new Set([key, undefined])) {
    let sqlite: Database.Database | undefined;
    try {
      sqlite = new Database(path, { fileMustExist: true });
      unlock(sqlite, tried);
      sqlite.pragma("busy_timeout = 0");
      sqlite.pragma("locking_mode = EXCLUSIVE");
      sqlite.exec("BEGIN EXCLUSIVE");
      sqlite.exec("COMMIT");
      return false;
    } catch (error) {
      const code = (error as { code?: string }).code ?? "";
      if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return true;
    } finally {
      sqlite?.close();
    }
  }
  // A damaged file is set aside like any other.
  return false;
}

/** Renames the archive (and its WAL files, which hold its latest pages) to a name with the time. */
function setAside(path: string, now: () => number): string {
  const stamp = new Date(now()).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  let aside = `${path}.replaced-${stamp}`;
  for (let n = 2; existsSync(aside); n++) aside = `${path}.replaced-${stamp}-${n}`;
  for (const suffix of ["-wal", "-shm"]) if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
  if (existsSync(path)) renameSync(path, aside);
  return aside;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}
