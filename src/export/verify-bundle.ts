import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type yauzl from "yauzl";
import { CANONICAL_MESSAGE_FIELDS, chainHash } from "../store/hash-chain.js";
import { UserError } from "../user-error.js";
import { checkCrc, listEntries, openEntry, openZip } from "../zip/read-zip.js";
import { BUNDLE_FORMAT, type BundleManifest, CHAIN, type ChainLine, CHECKSUMS, MANIFEST, MESSAGES_JSON } from "./bundle.js";

export type BundleProblem =
  | { problem: "changed" | "missing" | "extra" | "damaged"; member: string }
  /** A row whose link does not hash to its hash (chain.jsonl), or whose exported words are not the ones hashed (messages.json). */
  | { problem: "row"; member: string; id: number; seq: number; field: string };

export type BundleVerdict =
  | { intact: true; messages: number; members: number; createdAt: string; head: { seq: number; hash: string } }
  | { intact: false; problems: BundleProblem[] };

/** Enough to name what changed; a bundle rewritten throughout is not listed member by member. */
const MAX_PROBLEMS = 20;
/** manifest.json and SHA256SUMS are read whole: past this they are not a Nirdesh bundle's. */
const MAX_INDEX_BYTES = 64 * 2 ** 20;

/**
 * Checks an evidence bundle on its own, with no archive: every member's SHA-256 against the manifest,
 * the manifest's against SHA256SUMS, no member missing or added; then each exported message's chain link
 * (its hash recomputed from the content it hashes) and the exported message against that content.
 * A file that is not a zip, or a zip with neither manifest nor checksums, is not a bundle (UserError).
 */
export async function verifyBundle(path: string): Promise<BundleVerdict> {
  try {
    if (!statSync(path).isFile()) throw new UserError((t) => t.notABundle(path));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError((t) => t.fileNotFound(path));
  }
  let zip: yauzl.ZipFile;
  let entries: yauzl.Entry[];
  try {
    zip = await openZip(path);
    entries = (await listEntries(zip)).filter((entry) => !entry.fileName.endsWith("/"));
  } catch {
    throw new UserError((t) => t.notABundle(path));
  }
  try {
    const byName = new Map<string, yauzl.Entry>();
    const problems: BundleProblem[] = [];
    const report = (problem: BundleProblem) => problems.length < MAX_PROBLEMS && problems.push(problem);
    for (const entry of entries) {
      if (byName.has(entry.fileName)) report({ problem: "extra", member: entry.fileName });
      else byName.set(entry.fileName, entry);
    }
    if (!byName.has(MANIFEST) && !byName.has(CHECKSUMS)) throw new UserError((t) => t.notABundle(path));

    // Every member's SHA-256, reading each once; a member whose bytes fail the zip's CRC is damaged.
    const actual = new Map<string, string>();
    const small = new Map<string, Buffer>();
    for (const [name, entry] of byName) {
      const keep = (name === MANIFEST || name === CHECKSUMS) && entry.uncompressedSize <= MAX_INDEX_BYTES;
      try {
        const { sha256, bytes } = await digest(checkCrc(await openEntry(zip, entry), entry.crc32), keep);
        actual.set(name, sha256);
        if (bytes) small.set(name, bytes);
      } catch {
        report({ problem: "damaged", member: name });
      }
    }

    const sums = readChecksums(small.get(CHECKSUMS));
    const manifest = readManifest(small.get(MANIFEST));
    if (!byName.has(CHECKSUMS)) report({ problem: "missing", member: CHECKSUMS });
    else if (sums === null) report({ problem: "changed", member: CHECKSUMS });
    if (!byName.has(MANIFEST)) report({ problem: "missing", member: MANIFEST });
    else if (manifest === null || (sums?.has(MANIFEST) && sums.get(MANIFEST) !== actual.get(MANIFEST))) report({ problem: "changed", member: MANIFEST });

    // The members as the manifest lists them (or, when it cannot be read, as SHA256SUMS does).
    const listed = new Map<string, string>(manifest ? manifest.members.map((member) => [member.path, member.sha256]) : [...(sums ?? [])].filter(([name]) => name !== MANIFEST));
    const reported = new Set(problems.map((problem) => problem.member));
    for (const [name, sha256] of listed) {
      if (!byName.has(name)) report({ problem: "missing", member: name });
      else if (actual.has(name) && actual.get(name) !== sha256) report({ problem: "changed", member: name });
    }
    for (const name of byName.keys()) {
      if (name !== MANIFEST && name !== CHECKSUMS && !listed.has(name)) report({ problem: "extra", member: name });
    }
    // SHA256SUMS must say what the manifest says; a line edited on its own is a changed SHA256SUMS.
    if (sums && manifest && !problems.some((problem) => problem.member === CHECKSUMS)) {
      const agrees = [...listed].every(([name, sha256]) => sums.get(name) === sha256) && sums.size === listed.size + 1;
      if (!agrees && [...listed.keys()].every((name) => !reported.has(name))) report({ problem: "changed", member: CHECKSUMS });
    }
    if (problems.length > 0 || !manifest) return { intact: false, problems: problems.length > 0 ? problems : [{ problem: "changed", member: MANIFEST }] };

    const rows = await verifyRows(zip, byName, report);
    if (problems.length === 0 && rows !== manifest.messages) report({ problem: "changed", member: MANIFEST });
    if (problems.length > 0) return { intact: false, problems };
    return { intact: true, messages: rows, members: byName.size, createdAt: manifest.createdAt, head: manifest.archive.head };
  } finally {
    zip.close();
  }
}

async function digest(stream: Readable, keep: boolean): Promise<{ sha256: string; bytes: Buffer | null }> {
  const hash = createHash("sha256");
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    if (keep) chunks.push(chunk as Buffer);
  }
  return { sha256: hash.digest("hex"), bytes: keep ? Buffer.concat(chunks) : null };
}

function readChecksums(bytes: Buffer | undefined): Map<string, string> | null {
  if (!bytes) return null;
  const sums = new Map<string, string>();
  for (const line of bytes.toString("utf8").split("\n")) {
    if (!line) continue;
    const parts = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!parts || sums.has(parts[2]!)) return null;
    sums.set(parts[2]!, parts[1]!);
  }
  return sums;
}

function readManifest(bytes: Buffer | undefined): BundleManifest | null {
  if (!bytes) return null;
  try {
    const manifest = JSON.parse(bytes.toString("utf8")) as BundleManifest;
    const valid =
      manifest.format === BUNDLE_FORMAT &&
      Array.isArray(manifest.members) &&
      manifest.members.every((member) => typeof member?.path === "string" && /^[0-9a-f]{64}$/.test(member.sha256)) &&
      Number.isInteger(manifest.messages);
    return valid ? manifest : null;
  } catch {
    return null;
  }
}

/**
 * Reads chain.jsonl and messages.json side by side (both in export order, a line a message): each link
 * must hash to its hash, and each exported message must say what its link's content says.
 */
async function verifyRows(zip: yauzl.ZipFile, byName: Map<string, yauzl.Entry>, report: (problem: BundleProblem) => unknown): Promise<number> {
  const lines = async (name: string) => {
    const entry = byName.get(name);
    if (!entry) return (async function* () {})();
    return createInterface({ input: await openEntry(zip, entry), crlfDelay: Infinity })[Symbol.asyncIterator]();
  };
  const chain = await lines(CHAIN);
  const messages = await lines(MESSAGES_JSON);
  const next = async (iterator: AsyncIterator<string>) => {
    for (;;) {
      const { value, done } = await iterator.next();
      if (done) return null;
      const line = value.trim().replace(/,$/, "");
      if (line && line !== "[" && line !== "]") return line;
    }
  };
  const F = CANONICAL_MESSAGE_FIELDS;
  let rows = 0;
  for (;;) {
    const [linkLine, messageLine] = await Promise.all([next(chain), next(messages)]);
    if (linkLine === null && messageLine === null) return rows;
    rows++;
    let link: ChainLine;
    let message: { id: number; seq: number; hash: string; at: string; body: string; type: string; sender: { shownAs: string }; media: { sha256: string | null } | null };
    let canonical: unknown[];
    try {
      link = JSON.parse(linkLine ?? "null") as ChainLine;
      canonical = JSON.parse(link.canonical) as unknown[];
    } catch {
      report({ problem: "row", member: CHAIN, id: 0, seq: 0, field: `line ${rows}` });
      return rows;
    }
    const row = { id: link.id, seq: link.seq };
    if (chainHash(link.prevHash, link.canonical) !== link.hash || canonical[F.seq] !== link.seq) {
      report({ problem: "row", member: CHAIN, ...row, field: "hash" });
      continue;
    }
    try {
      message = JSON.parse(messageLine ?? "null");
    } catch {
      report({ problem: "row", member: MESSAGES_JSON, ...row, field: `line ${rows}` });
      return rows;
    }
    const differs =
      message === null
        ? "id"
        : message.id !== link.id
          ? "id"
          : message.seq !== link.seq || message.hash !== link.hash
            ? "hash"
            : Date.parse(message.at) !== canonical[F.at]
              ? "at"
              : message.body !== canonical[F.body]
                ? "body"
                : message.type !== canonical[F.type]
                  ? "type"
                  : message.sender?.shownAs !== canonical[F.senderName]
                    ? "sender"
                    : canonical[F.mediaSha256] !== null && message.media?.sha256 !== canonical[F.mediaSha256]
                      ? "media"
                      : null;
    if (differs) report({ problem: "row", member: MESSAGES_JSON, ...row, field: differs });
  }
}
