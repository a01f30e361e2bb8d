import { createHash, randomUUID } from "node:crypto";
import { chmodSync, closeSync, copyFileSync, createWriteStream, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Transform, type Readable } from "node:stream";
import { UserError } from "../user-error.js";

/**
 * Files kept by their SHA-256 (`media/ab/abcdef…`): a file is stored once however many messages or
 * imports name it, and no name from a chat export or from WhatsApp ever becomes part of a path.
 */
export interface MediaStore {
  readonly folder: string;
  /** Stores a stream's bytes; returns their address and size. */
  put(content: Readable): Promise<{ sha256: string; size: number }>;
  pathOf(sha256: string): string;
  has(sha256: string): boolean;
  /**
   * Copies a file another store holds (a backup's, the archive's) into this one, private to its user,
   * unless it is here already; returns its size.
   */
  copyFrom(other: MediaStore, sha256: string): number;
}

export function openMediaStore(folder: string): MediaStore {
  const pathOf = (sha256: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(folder, sha256.slice(0, 2), sha256);
  };
  return {
    folder,
    pathOf,
    has: (sha256) => existsSync(pathOf(sha256)),
    copyFrom(other, sha256) {
      const from = other.pathOf(sha256);
      const to = pathOf(sha256);
      const size = statSync(from).size;
      if (existsSync(to) && statSync(to).size === size) return size;
      mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
      copyFileSync(from, to);
      chmodSync(to, 0o600);
      return size;
    },
    async put(content) {
      const incoming = join(folder, "incoming");
      try {
        mkdirSync(incoming, { recursive: true, mode: 0o700 });
      } catch (error) {
        throw new UserError((t) => t.fileNotReadable(folder, (error as NodeJS.ErrnoException).code ?? String(error)));
      }
      const temporary = join(incoming, randomUUID());
      const hash = createHash("sha256");
      let size = 0;
      const measure = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      try {
        await pipeline(content, measure, createWriteStream(temporary, { mode: 0o600 }));
        const sha256 = hash.digest("hex");
        const target = pathOf(sha256);
        if (existsSync(target) && statSync(target).size === size) {
          rmSync(temporary);
        } else {
          // On disk before the archive row that names it is committed: a power cut must not leave
          // a row pointing at an empty file.
          syncFile(temporary);
          mkdirSync(join(folder, sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
          renameSync(temporary, target);
          syncFile(join(folder, sha256.slice(0, 2)));
        }
        return { sha256, size };
      } catch (error) {
        rmSync(temporary, { force: true });
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOSPC" || code === "EACCES" || code === "EROFS" || code === "ENOTDIR") {
          throw new UserError((t) => t.fileNotReadable(folder, code));
        }
        throw error;
      }
    },
  };
}

/** Puts a file (or a folder's entries) on disk before going on: what a power cut must not lose. */
export function syncFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
