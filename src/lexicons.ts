import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { compileLexicon, type Lexicon, type LexiconFile, mergeLexiconFiles } from "./domain/lexicon.js";
import { UserError } from "./user-error.js";

/** The project's own lexicons, beside src/ and dist/. */
const PROJECT_LEXICONS = fileURLToPath(new URL("../data/lexicons/", import.meta.url));

const fileSchema = z.object({
  threshold: z.number().optional(),
  cues: z.record(
    z.string(),
    z.object({
      weight: z.number().optional(),
      where: z.enum(["anywhere", "heading", "sentence-start", "sentence-end"]).optional(),
      cancelsSentence: z.boolean().optional(),
      phrases: z.array(z.string()),
      except: z.array(z.string()).optional(),
    }),
  ),
});

export interface Lexicons {
  directive: Lexicon;
  acknowledgement: Lexicon;
  /** SHA-256 of every file read: tracking is worked out again when an office changes a word. */
  fingerprint: string;
}

const NAMES = ["directive", "acknowledgement"] as const;

/**
 * The directive and acknowledgement lexicons: the project's (data/lexicons/), then an office's own
 * files of the same names in `officeDir` (NIRDESH_LEXICONS), whose phrases are added and whose weights win.
 */
export function readLexicons(officeDir?: string): Lexicons {
  if (officeDir !== undefined && !isFolder(officeDir)) throw new UserError((t) => t.lexiconFolderMissing(officeDir));
  const hash = createHash("sha256");
  const read = (name: (typeof NAMES)[number]) => {
    const files: LexiconFile[] = [];
    for (const dir of [PROJECT_LEXICONS, officeDir]) {
      if (!dir) continue;
      const path = join(dir, `${name}.json`);
      if (dir === officeDir && !existsSync(path)) continue;
      let text: string;
      try {
        text = readFileSync(path, "utf8");
      } catch (error) {
        throw new UserError((t) => t.lexiconUnreadable(path, (error as NodeJS.ErrnoException).code ?? String(error)));
      }
      hash.update(`${name}\u0000${text}\u0000`);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new UserError((t) => t.lexiconInvalid(path, (error as Error).message));
      }
      const parsed = fileSchema.safeParse(json);
      if (!parsed.success) {
        const problem = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
        throw new UserError((t) => t.lexiconInvalid(path, problem));
      }
      files.push(parsed.data);
    }
    return compileLexicon(mergeLexiconFiles(files));
  };
  const directive = read("directive");
  const acknowledgement = read("acknowledgement");
  return { directive, acknowledgement, fingerprint: hash.digest("hex") };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
