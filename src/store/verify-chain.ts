import { sql } from "kysely";
import { canonicalEvent, canonicalMessage, chainHash, GENESIS_HASH, type MessageEventRow, type MessageRow } from "./hash-chain.js";
import type { Archive } from "./open-archive.js";

export type ChainProblem = "altered" | "rehashed" | "relinked" | "missing" | "duplicate" | "orphan" | "truncated" | "index";

export type ChainVerdict =
  | { intact: true; rows: number; head: string }
  | { intact: false; rows: number; seq: number; table: "message" | "event" | "import" | "search-index"; id: number; problem: ChainProblem };

type Row =
  | { table: "message"; row: MessageRow & { chat_key: string } }
  | { table: "event"; row: MessageEventRow & { chat_key: string; message_seq: number | null } };

const CHUNK = 5_000;

/**
 * Recomputes the whole hash chain from the rows themselves (not from triggers or indexes, which
 * whoever edits the file can drop) and names the first row that was altered, removed or reordered.
 * Reads in chunks of chain positions, so memory stays flat on a million-row archive.
 */
export function verifyChain(archive: Archive): ChainVerdict {
  // One snapshot: an import running meanwhile is either wholly seen or not at all.
  return archive.snapshot(() => verifyRows(archive));
}

function verifyRows(archive: Archive): ChainVerdict {
  const heads = new Map<number, { id: number; hash: string }>();
  for (const row of archive.all(archive.db.selectFrom("imports").select(["id", "head_seq", "head_hash"]).where("head_seq", ">", 0))) {
    heads.set(row.head_seq, { id: row.id, hash: row.head_hash });
  }
  const bounds = archive.get(
    sql<{ low: number | null; high: number | null; rows: number }>`
      SELECT min(seq) AS low, max(seq) AS high, count(*) AS rows FROM (
        SELECT seq FROM messages UNION ALL SELECT seq FROM message_events)`,
  )!;
  if (bounds.rows === 0) return truncated(heads, 0) ?? { intact: true, rows: 0, head: GENESIS_HASH };

  let expected = 1;
  let previous: { hash: string; selfConsistent: boolean; table: "message" | "event"; id: number; seq: number } | null = null;
  const high = Math.max(bounds.high ?? 0, bounds.rows);
  for (let low = Math.min(bounds.low ?? 1, 1); low <= high; low += CHUNK) {
    for (const { table, row } of readChunk(archive, low, low + CHUNK)) {
      const at = { table, id: row.id, seq: row.seq };
      if (row.seq < expected) return { intact: false, rows: bounds.rows, ...at, problem: row.seq < 1 ? "orphan" : "duplicate" };
      if (row.seq > expected) return { intact: false, rows: bounds.rows, ...at, seq: expected, problem: "missing" };
      const canonical = table === "message" ? canonicalMessage(row, row.chat_key) : canonicalEvent(row, row.chat_key, row.message_seq);
      const selfConsistent = chainHash(row.prev_hash, canonical) === row.hash;
      const previousHash = previous?.hash ?? GENESIS_HASH;
      if (row.prev_hash !== previousHash) {
        // This row still fits the hash it recorded for its predecessor, so the predecessor was
        // changed and its hash recomputed to hide it.
        if (selfConsistent && previous?.selfConsistent) return { intact: false, rows: bounds.rows, ...previous, problem: "rehashed" };
        return { intact: false, rows: bounds.rows, ...at, problem: selfConsistent ? "relinked" : "altered" };
      }
      if (!selfConsistent) return { intact: false, rows: bounds.rows, ...at, problem: "altered" };
      const recorded = heads.get(row.seq);
      if (recorded && recorded.hash !== row.hash) return { intact: false, rows: bounds.rows, ...at, problem: "rehashed" };
      previous = { hash: row.hash, selfConsistent, ...at };
      expected++;
    }
  }
  if (expected - 1 !== bounds.rows) {
    return { intact: false, rows: bounds.rows, table: previous?.table ?? "message", id: previous?.id ?? 0, seq: expected, problem: "orphan" };
  }
  return truncated(heads, bounds.rows) ?? searchIndexAltered(archive, bounds.rows) ?? { intact: true, rows: bounds.rows, head: previous?.hash ?? GENESIS_HASH };
}

/**
 * The search index is derived from the rows, but an index edited to hide a message (or to make one
 * findable by words it does not hold) misleads a record keeper, so it is checked against the rows too.
 */
function searchIndexAltered(archive: Archive, rows: number): ChainVerdict | null {
  try {
    archive.run(sql`INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)`);
    return null;
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    // A read-only evidence copy cannot run the check; its rows were checked above.
    if (code === "SQLITE_READONLY") return null;
    if (!code.startsWith("SQLITE_CORRUPT")) throw error;
    return { intact: false, rows, seq: 0, table: "search-index", id: 0, problem: "index" };
  }
}

/** An import recorded a chain head beyond the chain's end: rows were cut off the end. */
function truncated(heads: Map<number, { id: number; hash: string }>, rows: number): ChainVerdict | null {
  const beyond = [...heads].filter(([seq]) => seq > rows).sort(([a], [b]) => a - b)[0];
  if (!beyond) return null;
  return { intact: false, rows, seq: rows + 1, table: "import", id: beyond[1].id, problem: "truncated" };
}

function readChunk(archive: Archive, from: number, to: number): Row[] {
  // LEFT JOINs: a row whose chat was deleted must still be read (and then fail), not skipped.
  const messages = archive.all(
    archive.db
      .selectFrom("messages as m")
      .leftJoin("chats as c", "c.id", "m.chat_id")
      .selectAll("m")
      .select(sql<string>`coalesce(c.key, '')`.as("chat_key"))
      .where("m.seq", ">=", from)
      .where("m.seq", "<", to)
      .orderBy("m.seq"),
  );
  const events = archive.all(
    archive.db
      .selectFrom("message_events as e")
      .leftJoin("chats as c", "c.id", "e.chat_id")
      .leftJoin("messages as m", "m.id", "e.message_id")
      .selectAll("e")
      .select(sql<string>`coalesce(c.key, '')`.as("chat_key"))
      .select("m.seq as message_seq")
      .where("e.seq", ">=", from)
      .where("e.seq", "<", to)
      .orderBy("e.seq"),
  );
  const rows: Row[] = [
    ...messages.map((row) => ({ table: "message" as const, row })),
    ...events.map((row) => ({ table: "event" as const, row })),
  ];
  return rows.sort((a, b) => a.row.seq - b.row.seq);
}
