import { dirname, join } from "node:path";
import { z } from "zod";
import { isValidTimeZone } from "./domain/time-zone.js";
import { UserError } from "./user-error.js";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const schema = z.object({
  NIRDESH_DB: z.string().min(1).default("data/nirdesh.db"),
  NIRDESH_MEDIA_DIR: z.string().min(1).optional(),
  NIRDESH_TZ: z.string().min(1).default("Asia/Dhaka").refine(isValidTimeZone, "not a time zone (e.g. Asia/Dhaka)"),
  NIRDESH_LANG: z.enum(["bn", "en"]).default("bn"),
  NIRDESH_LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  NIRDESH_SESSION_DIR: z.string().min(1).default("data/session"),
  CHROMIUM_PATH: z.string().min(1).optional(),
  NIRDESH_LEXICONS: z.string().min(1).optional(),
});

export interface Config {
  /** The archive's SQLite file. */
  readonly db: string;
  /** Where media and the original export files are kept, by SHA-256. */
  readonly mediaDir: string;
  readonly timeZone: string;
  readonly lang: "bn" | "en";
  /** Unset: warnings only for commands, info for the bot. */
  readonly logLevel: (typeof LOG_LEVELS)[number] | undefined;
  readonly sessionDir: string;
  readonly chromiumPath: string | undefined;
  /** A folder with the office's own directive.json and acknowledgement.json, added to the project's lexicons. */
  readonly lexiconDir: string | undefined;
}

/**
 * The configuration, read from the environment (and overridden by --db, --tz and --lang). Every bad
 * variable is named in one error.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env, overrides: { db?: string; tz?: string; lang?: string } = {}): Config {
  const input = { ...env };
  // An empty variable is an unset one; an empty option (--db "") is a mistake, refused below.
  for (const key of Object.keys(schema.shape)) if (input[key] === "") delete input[key];
  if (overrides.db !== undefined) input.NIRDESH_DB = overrides.db;
  if (overrides.tz !== undefined) input.NIRDESH_TZ = overrides.tz;
  if (overrides.lang !== undefined) input.NIRDESH_LANG = overrides.lang;
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    // A value given as an option is named as the option, not as the variable it overrides.
    const OPTION_OF: Record<string, keyof typeof overrides> = { NIRDESH_DB: "db", NIRDESH_TZ: "tz", NIRDESH_LANG: "lang" };
    const nameOf = (variable: string) => {
      const option = OPTION_OF[variable];
      return option && overrides[option] !== undefined ? `--${option}` : variable;
    };
    const problems = parsed.error.issues.map((issue) => `${nameOf(issue.path.join("."))}: ${issue.message}`).join("; ");
    throw new UserError((t) => t.badConfig(problems));
  }
  const values = parsed.data;
  return Object.freeze({
    db: values.NIRDESH_DB,
    mediaDir: values.NIRDESH_MEDIA_DIR ?? join(values.NIRDESH_DB === ":memory:" ? "data" : dirname(values.NIRDESH_DB), "media"),
    timeZone: values.NIRDESH_TZ,
    lang: values.NIRDESH_LANG,
    logLevel: values.NIRDESH_LOG_LEVEL,
    sessionDir: values.NIRDESH_SESSION_DIR,
    chromiumPath: values.CHROMIUM_PATH,
    lexiconDir: values.NIRDESH_LEXICONS,
  });
}
