import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import type yauzl from "yauzl";
import { decodeText } from "../domain/decode-text.js";
import { UserError } from "../user-error.js";
import { checkCrc, listEntries, openEntry, openZip, readAll } from "../zip/read-zip.js";

/** A chat export as found on disk: the chat's text and, for a zip, the media files beside it. */
export interface ExportFile {
  /** The file's own name (no folders). */
  name: string;
  text: string;
  /** The chat text's bytes as exported, kept as evidence. */
  textBytes: Buffer;
  /** Attached files by name, opened on demand; the stream fails if the bytes do not match the zip's CRC. */
  media: Map<string, () => Promise<Readable>>;
  close(): void;
}

/** Past this a chat's text cannot be one JavaScript string; no real export comes near it. */
const MAX_CHAT_TEXT_BYTES = 400 * 2 ** 20;
/** A media file that inflates more than this many times over, past 50 MB, is a zip bomb, not a photo. */
const MAX_INFLATION = 50;

/** Opens a .txt or .zip chat export (the content decides, not the name). */
export async function readExportFile(path: string): Promise<ExportFile> {
  const name = basename(path);
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new UserError((t) => t.fileNotFound(path));
    throw new UserError((t) => t.fileNotReadable(path, code ?? String(error)));
  }
  if (!stats.isFile()) throw new UserError((t) => t.fileNotReadable(path, "not a file"));
  if (stats.size === 0) throw new UserError((t) => t.exportEmpty(path));
  return isZip(path) ? readZip(path, name) : readText(path, name, stats.size);
}

function isZip(path: string): boolean {
  try {
    const fd = openSync(path, "r");
    try {
      const magic = Buffer.alloc(4);
      readSync(fd, magic, 0, 4, 0);
      // A local file header, or the end record of an empty zip.
      return magic.readUInt32LE(0) === 0x04034b50 || magic.readUInt32LE(0) === 0x06054b50;
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new UserError((t) => t.fileNotReadable(path, (error as NodeJS.ErrnoException).code ?? String(error)));
  }
}

function readText(path: string, name: string, size: number): ExportFile {
  if (size > MAX_CHAT_TEXT_BYTES) throw new UserError((t) => t.exportTooLarge(path));
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UserError((t) => t.fileNotReadable(path, (error as NodeJS.ErrnoException).code ?? String(error)));
  }
  const text = decodeText(bytes);
  if (text === null) throw new UserError((t) => t.exportNotText(path));
  return { name, text, textBytes: bytes, media: new Map(), close() {} };
}

async function readZip(path: string, name: string): Promise<ExportFile> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (error) {
    throw new UserError((t) => t.zipBroken(path, (error as Error).message));
  }
  try {
    const entries = await listEntries(zip);
    const files = entries.filter((entry) => !entry.fileName.endsWith("/") && !entry.fileName.startsWith("__MACOSX/"));
    const texts = files.filter((entry) => entry.fileName.toLowerCase().endsWith(".txt"));
    // iOS names the chat _chat.txt; Android "WhatsApp Chat with X.txt" (localised); a zip made by hand may hold one .txt.
    const chat =
      texts.find((entry) => basename(entry.fileName) === "_chat.txt") ??
      texts.find((entry) => /whatsapp/i.test(basename(entry.fileName))) ??
      (texts.length === 1 ? texts[0] : undefined);
    if (!chat) throw new UserError((t) => (texts.length > 1 ? t.zipManyTexts(path) : t.zipHasNoChat(path)));
    if (chat.uncompressedSize > MAX_CHAT_TEXT_BYTES) throw new UserError((t) => t.exportTooLarge(path));
    const textBytes = await readAll(checkCrc(await openEntry(zip, chat), chat.crc32));
    const text = decodeText(textBytes);
    if (text === null) throw new UserError((t) => t.exportNotText(`${path}:${chat.fileName}`));
    const media = new Map<string, () => Promise<Readable>>();
    for (const entry of files) {
      if (entry === chat) continue;
      if (entry.uncompressedSize > 50 * 2 ** 20 && entry.uncompressedSize > entry.compressedSize * MAX_INFLATION) {
        throw new UserError((t) => t.zipBomb(path, entry.fileName));
      }
      media.set(basename(entry.fileName).normalize("NFC"), async () => checkCrc(await openEntry(zip, entry), entry.crc32));
    }
    return { name, text, textBytes, media, close: () => zip.close() };
  } catch (error) {
    zip.close();
    if (error instanceof UserError) throw error;
    throw new UserError((t) => t.zipBroken(path, (error as Error).message));
  }
}
