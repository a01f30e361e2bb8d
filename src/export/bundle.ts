import { createHash } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import yazl from "yazl";
import { formatIsoInZone } from "../domain/time-zone.js";
import { messageChainRows } from "../store/hash-chain.js";
import { eachPage, type ExportSource, jsonArrayEnd, jsonArrayItem } from "./export-messages.js";
import { CSV_BOM, csvLine, MESSAGE_CSV_HEADER, messageCsvCells } from "./messages-csv.js";
import { type Write, writerOf } from "./output-file.js";

/** What names a Nirdesh bundle in its manifest. */
export const BUNDLE_FORMAT = "nirdesh-bundle";
export const MANIFEST = "manifest.json";
export const CHECKSUMS = "SHA256SUMS";
export const MESSAGES_JSON = "messages.json";
export const MESSAGES_CSV = "messages.csv";
export const CHAIN = "chain.jsonl";
export const README = "README.txt";

export interface BundleMember {
  path: string;
  sha256: string;
  size: number;
}

/** manifest.json: what the bundle holds, where it came from, and the SHA-256 of every other member. */
export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  version: 1;
  createdAt: string;
  exportedBy: string;
  timeZone: string;
  filters: Record<string, string | boolean>;
  /** The archive's chain head when the export began. */
  archive: { head: { seq: number; hash: string } };
  messages: number;
  media: number;
  /** Media files messages name that the archive's media store does not hold. */
  mediaMissing: string[];
  members: BundleMember[];
}

/** One line of chain.jsonl: an exported message's link in the chain and the content it hashes. */
export interface ChainLine {
  id: number;
  seq: number;
  prevHash: string;
  hash: string;
  canonical: string;
}

/**
 * The evidence bundle, a zip: messages.json and messages.csv, chain.jsonl (each exported message's link in
 * the hash chain with the content it hashes, so each row can be rechecked without the archive), the media
 * files by SHA-256, README.txt, manifest.json (the SHA-256 and size of every member) and SHA256SUMS (every
 * member's SHA-256, manifest.json's too, in the format `sha256sum -c` reads). The archive is read once;
 * the CSV and the chain are written to private temporary files meanwhile and then zipped after the JSON.
 */
export async function writeBundle(source: ExportSource, stream: WriteStream): Promise<void> {
  const { request } = source;
  const zip = new yazl.ZipFile();
  zip.outputStream.pipe(stream, { end: false });
  const zipped = once(zip.outputStream, "end");
  const members: BundleMember[] = [];
  const mtime = new Date(request.now());

  const add = async (path: string, produce: (write: Write) => Promise<void>, compress = true) => {
    const hash = createHash("sha256");
    let size = 0;
    const content = new PassThrough();
    zip.addReadStream(content, path, { mtime, mode: 0o100600, compress });
    const write = writerOf(content);
    await produce(async (chunk) => {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      hash.update(bytes);
      size += bytes.length;
      await write(bytes);
    });
    content.end();
    members.push({ path, sha256: hash.digest("hex"), size });
  };

  const folder = mkdtempSync(join(tmpdir(), "nirdesh-bundle-"));
  try {
    const csvPath = join(folder, MESSAGES_CSV);
    const chainPath = join(folder, CHAIN);
    const csvFile = createWriteStream(csvPath, { mode: 0o600 });
    const chainFile = createWriteStream(chainPath, { mode: 0o600 });
    const writeCsv = writerOf(csvFile);
    const writeChain = writerOf(chainFile);
    const media = new Set<string>();
    let count = 0;
    await add(MESSAGES_JSON, async (write) => {
      await write("[");
      await writeCsv(CSV_BOM + csvLine(MESSAGE_CSV_HEADER));
      await eachPage(source, async (page) => {
        for (const message of page) {
          await write(jsonArrayItem(message, request.timeZone, count));
          await writeCsv(csvLine(messageCsvCells(message, request.timeZone)));
          if (message.media?.sha256) media.add(message.media.sha256);
          count++;
        }
        for (const link of messageChainRows(source.archive, page.map((message) => message.id))) await writeChain(`${JSON.stringify(link satisfies ChainLine)}\n`);
      });
      await write(jsonArrayEnd(count));
    });
    for (const file of [csvFile, chainFile]) {
      file.end();
      await once(file, "finish");
    }
    await add(MESSAGES_CSV, (write) => copy(csvPath, write));
    await add(CHAIN, (write) => copy(chainPath, write));

    const missing: string[] = [];
    for (const sha256 of [...media].sort()) {
      if (!source.media.has(sha256)) {
        missing.push(sha256);
        continue;
      }
      // Already compressed (photos, PDFs, voice): stored as they are.
      await add(`media/${sha256}`, (write) => copy(source.media.pathOf(sha256), write), false);
    }

    const createdAt = formatIsoInZone(request.now(), request.timeZone);
    await add(README, async (write) => write(readme(source, count, createdAt)));
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      version: 1,
      createdAt,
      exportedBy: request.exportedBy,
      timeZone: request.timeZone,
      filters: request.filtersAsTyped,
      archive: { head: source.head },
      messages: count,
      media: media.size - missing.length,
      mediaMissing: missing,
      members: [...members],
    };
    await add(MANIFEST, async (write) => write(`${JSON.stringify(manifest, null, 2)}\n`));
    zip.addBuffer(Buffer.from(members.map((member) => `${member.sha256}  ${member.path}\n`).join(""), "utf8"), CHECKSUMS, { mtime, mode: 0o100600 });
    zip.end();
    await zipped;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function copy(path: string, write: Write): Promise<void> {
  if (!existsSync(path)) return;
  for await (const chunk of createReadStream(path)) await write(chunk as Buffer);
}

/** README.txt: what the bundle is, and how an auditor checks it with or without Nirdesh (in both languages: it travels). */
function readme(source: ExportSource, messages: number, createdAt: string): string {
  return `Nirdesh evidence bundle / নির্দেশ প্রমাণ-বান্ডল
Created ${createdAt} by ${source.request.exportedBy}; ${messages} messages; archive chain head #${source.head.seq} ${source.head.hash}

What is in it
  messages.json  the messages, one JSON object a line (id, chat, sender, at, body, type, directive, deleted,
                 edited, editedBody, media, seq, hash)
  messages.csv   the same messages for a spreadsheet (UTF-8 with BOM; cells that begin with = + - @ are
                 prefixed with ' so that nothing runs)
  chain.jsonl    each message's link in the archive's SHA-256 hash chain: seq, prevHash, hash and the
                 canonical content that was hashed: hash = SHA-256(prevHash + "\\n" + canonical)
  media/         attached files, named by their SHA-256
  manifest.json  where the bundle came from and the SHA-256 and size of every member above
  SHA256SUMS     the SHA-256 of every member, manifest.json too

How to check it
  With Nirdesh (no archive needed):   nirdesh verify --bundle THIS.zip
  Without Nirdesh:                    unzip THIS.zip -d bundle && cd bundle && sha256sum -c SHA256SUMS
  Each row's hash can be recomputed from chain.jsonl as above, and compared with the archive's row of the
  same seq (nirdesh show ID) or with a head hash written in the register.

কীভাবে যাচাই করবেন
  নির্দেশ দিয়ে (আর্কাইভ লাগে না):  nirdesh verify --bundle THIS.zip
  নির্দেশ ছাড়া:  unzip THIS.zip -d bundle && cd bundle && sha256sum -c SHA256SUMS
`;
}
