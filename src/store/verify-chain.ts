import { sql } from "kysely";
import { canonicalEvent, canonicalMessage, chainHash, GENESIS_HASH, importEventData, type MessageEventRow, type MessageRow } from "./hash-chain.js";
import type { Archive } from "./open-archive.js";

export type ChainProblem = "altered" | "rehashed" | "relinked" | "missing" | "duplicate" | "orphan" | "truncated" | "index";

type Place = { seq: number; table: "message" | "event" | "import" | "search-index"; id: number };

export type ChainVerdict =
  | {
      intact: true;
      rows: number;
      head: string;
      /** False when the search index could not be checked: a read-only copy, or a long write going on. */
      indexChecked: boolean;
    }
  | ({ intact: false; rows: number; problem: ChainProblem } & Place);

type Row =
  | { table: "message"; row: MessageRow & { chat_key: string } }
  | { table: "event"; row: MessageEventRow & { chat_key: string; message_seq: number | null } };

const CHUNK = 5_000;

/**
 * Recomputes the whole hash chain from the rows themselves (not from triggers or indexes, which
 * whoever edits the file can drop) and names the first row that was altered, removed, reordered or
 * cut off the end; then checks the import records and the search index against the rows.
 * Reads in chunks of chain positions, so memory stays flat on a million-row archive.
 */
export function verifyChain(archive: Archive): ChainVerdict {
  // One snapshot: an import running meanwhile is either wholly seen or not at all.
  const verdict = archive.snapshot(() => {
    const chain = verifyRows(archive);
    return chain.intact ? (verifyImports(archive, chain.rows) ?? chain) : chain;
  });
  if (verdict.intact === false) return verdict;
  const index = checkSearchIndex(archive);
  return index === "altered" ? { intact: false, rows: verdict.rows, seq: 0, table: "search-index", id: 0, problem: "index" } : { ...verdict, indexChecked: index === "intact" };
}

function verifyRows(archive: Archive): ChainVerdict {
  const bounds = archive.get(
    sql<{ low: number | null; high: number | null; rows: number }>`
      SELECT min(seq) AS low, max(seq) AS high, count(*) AS rows FROM (
        SELECT seq FROM messages UNION ALL SELECT seq FROM message_events)`,
  )!;
  const rows = bounds.rows;
  const heads = recordedHeads(archive);
  const broken = (place: Place, problem: ChainProblem): ChainVerdict => ({ intact: false, rows, problem, ...place });

  let expected = 1;
  let previous: (Place & { hash: string; selfConsistent: boolean }) | null = null;
  const high = bounds.high ?? 0;
  for (let low = Math.min(bounds.low ?? 1, 1); low <= high; low += CHUNK) {
    for (const { table, row } of readChunk(archive, low, low + CHUNK)) {
      const at: Place = { table, id: row.id, seq: row.seq };
      if (row.seq < expected) return broken(at, row.seq < 1 ? "orphan" : "duplicate");
      if (row.seq > expected) return broken({ ...at, seq: expected }, "missing");
      const canonical = table === "message" ? canonicalMessage(row, row.chat_key) : canonicalEvent(row, row.chat_key, row.message_seq);
      const selfConsistent = chainHash(row.prev_hash, canonical) === row.hash;
      if (row.prev_hash !== (previous?.hash ?? GENESIS_HASH)) {
        // This row still fits the hash it recorded for its predecessor, so the predecessor was
        // changed and its hash recomputed to hide it.
        if (selfConsistent && previous?.selfConsistent) return broken({ seq: previous.seq, table: previous.table, id: previous.id }, "rehashed");
        return broken(at, selfConsistent ? "relinked" : "altered");
      }
      if (!selfConsistent) return broken(at, "altered");
      const recorded = heads.get(row.seq);
      if (recorded && recorded.hash !== row.hash) {
        // A row followed by others is vouched for by the next row's link: the import's record was changed.
        // The last row has no such witness.
        return row.seq < high ? broken({ seq: row.seq, table: "import", id: recorded.id }, "altered") : broken(at, "rehashed");
      }
      previous = { ...at, hash: row.hash, selfConsistent };
      expected++;
    }
    // A gap in this stretch of positions: rows were removed, or one was moved far away.
    if (expected < Math.min(low + CHUNK, high + 1)) return broken({ seq: expected, table: "message", id: 0 }, "missing");
  }
  if (expected - 1 !== rows) return broken({ seq: expected, table: previous?.table ?? "message", id: previous?.id ?? 0 }, "orphan");
  // An import recorded a chain head beyond the chain's end: rows were cut off the end.
  const beyond = [...heads].filter(([seq]) => seq > rows).sort(([a], [b]) => a - b)[0];
  if (beyond) return broken({ seq: rows + 1, table: "import", id: beyond[1].id }, "truncated");
  return { intact: true, rows, head: previous?.hash ?? GENESIS_HASH, indexChecked: false };
}

/** The chain head each import recorded when it finished (kept outside the chain, so it survives a cut). */
function recordedHeads(archive: Archive): Map<number, { id: number; hash: string }> {
  const heads = new Map<number, { id: number; hash: string }>();
  for (const row of archive.all(archive.db.selectFrom("imports").select(["id", "head_seq", "head_hash"]).where("head_seq", ">", 0))) {
    heads.set(row.head_seq, { id: row.id, hash: row.head_hash });
  }
  return heads;
}

/**
 * Each import's record (file, its SHA-256, time zone, date order) must say what the import's own
 * chained event says: the record is where `show` names a message's source.
 */
function verifyImports(archive: Archive, rows: number): ChainVerdict | null {
  const chained = new Map<number, { seq: number; data: string; chat_id: number }>();
  for (const event of archive.all(archive.db.selectFrom("message_events").select(["seq", "data", "chat_id"]).where("kind", "=", "import"))) {
    const importId = (JSON.parse(event.data) as { importId?: number }).importId;
    if (importId !== undefined) chained.set(importId, event);
  }
  for (const record of archive.all(archive.db.selectFrom("imports").selectAll().orderBy("id"))) {
    const event = chained.get(record.id);
    const expected = JSON.stringify(importEventData(record));
    if (!event || event.data !== expected || event.chat_id !== record.chat_id) {
      return { intact: false, rows, problem: "altered", seq: event?.seq ?? 0, table: "import", id: record.id };
    }
  }
  return null;
}

/**
 * The search index is derived from the rows, but an index edited to hide a message (or to make one
 * findable by words it does not hold) misleads a record keeper, so it is checked against the rows.
 * FTS5's integrity-check is written as an INSERT: a read-only copy cannot run it, and a long import
 * holding the write lock makes it wait; then the index is reported as not checked.
 */
function checkSearchIndex(archive: Archive): "intact" | "altered" | "unchecked" {
  try {
    archive.run(sql`INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)`);
    return "intact";
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (code.startsWith("SQLITE_CORRUPT")) return "altered";
    if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return "unchecked";
    throw error;
  }
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
