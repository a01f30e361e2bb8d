import { sql } from "kysely";
import { UserError } from "../user-error.js";
import { type Archive, openArchive } from "./open-archive.js";
import { type ChainVerdict, verifyChain } from "./verify-chain.js";

export interface CopyCheck {
  verdict: ChainVerdict;
  messages: number;
  /** Every file the copy names by SHA-256. */
  media: string[];
}

/**
 * Verifies the hash chain of an archive copy (a backup) and lists what it holds. A copy damaged past
 * where SQLite notices on opening (cut short at a page boundary) is a bad file, not a crash.
 */
export async function checkArchiveCopy(path: string, key: string | undefined): Promise<CopyCheck> {
  const copy = await openArchive(path, "verify", { key });
  try {
    const verdict = verifyChain(copy);
    return { verdict, messages: copy.get(sql<{ n: number }>`SELECT count(*) AS n FROM messages`)!.n, media: mediaNamedIn(copy) };
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (code.startsWith("SQLITE_CORRUPT") || code.startsWith("SQLITE_NOTADB")) throw new UserError((t) => t.databaseNotArchive(path));
    throw error;
  } finally {
    copy.close();
  }
}

/** Messages' media, media fetched after its message, and the imported chat texts. */
function mediaNamedIn(archive: Archive): string[] {
  const rows = archive.all(
    sql<{ sha256: string | null }>`
      SELECT media_sha256 AS sha256 FROM messages WHERE media_sha256 IS NOT NULL
      UNION SELECT file_sha256 FROM imports
      UNION SELECT json_extract(data, '$.sha256') FROM message_events WHERE kind = 'media' AND json_valid(data)
      ORDER BY 1`,
  );
  return rows.map((row) => row.sha256).filter((sha256): sha256 is string => typeof sha256 === "string" && /^[0-9a-f]{64}$/.test(sha256));
}
