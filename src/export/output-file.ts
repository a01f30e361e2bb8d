import { once } from "node:events";
import { closeSync, createWriteStream, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import { UserError } from "../user-error.js";

/** Writes text to a stream, waiting when the stream asks to (so a million rows never pile up in memory). */
export type Write = (chunk: string | Buffer) => Promise<void>;

export function writerOf(stream: NodeJS.WritableStream): Write {
  return async (chunk) => {
    if (!stream.write(chunk)) await once(stream, "drain");
  };
}

/**
 * Refuses, before any work, an output path that cannot be written: a folder, a missing folder, or an
 * existing file without `force` (an earlier export is evidence too, and is never replaced by accident).
 */
export function checkOutputPath(path: string, force: boolean): void {
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new UserError((t) => t.outIsFolder(path));
    if (!force) throw new UserError((t) => t.outExists(path));
  }
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UserError((t) => t.outFolderMissing(path));
}

/**
 * Creates `path` readable by its owner only (0600: exports hold confidential government messages) through
 * `path.partial`, renamed into place only when `work` has written everything: a failed or interrupted
 * export never leaves a half-written file where the finished one belongs.
 */
export async function writeOutputFile<T>(path: string, force: boolean, work: (stream: WriteStream) => Promise<T>): Promise<T> {
  checkOutputPath(path, force);
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  let stream: WriteStream;
  try {
    stream = createWriteStream(partial, { flags: "wx", mode: 0o600 });
    await once(stream, "open");
  } catch (error) {
    throw new UserError((t) => t.fileNotReadable(partial, (error as NodeJS.ErrnoException).code ?? String(error)));
  }
  try {
    const result = await work(stream);
    // A writer that pipes into the stream (exceljs) may have ended it already.
    if (!stream.writableEnded) stream.end();
    if (!stream.writableFinished) await once(stream, "finish");
    // On disk before it takes the finished name: a power cut must not leave an empty file there.
    const fd = openSync(partial, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, path);
    return result;
  } catch (error) {
    stream.destroy();
    rmSync(partial, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOSPC" || code === "EACCES" || code === "EROFS" || code === "EPERM") throw new UserError((t) => t.fileNotReadable(path, code));
    throw error;
  }
}
