import { dirname, join } from "node:path";
import { z } from "zod";
import { toAsciiDigits } from "./domain/digits.js";
import { normalisePhone } from "./domain/phone.js";
import { isValidTimeZone } from "./domain/time-zone.js";
import { UserError } from "./user-error.js";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** A whole number as typed in .env, in ASCII or Bangla digits. */
const count = (min: number, max: number) =>
  z
    .string()
    .transform((value) => toAsciiDigits(value.trim()))
    .refine((value) => /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max, `a whole number from ${min} to ${max}`)
    .transform(Number);

/** A time of day as typed in .env ("02:00", "২:৩০"). */
const timeOfDay = z
  .string()
  .transform((value) => toAsciiDigits(value.trim()))
  .refine((value) => /^([01]?\d|2[0-3]):[0-5]\d$/.test(value), "a time of day from 00:00 to 23:59")
  .transform((value) => {
    const [hour, minute] = value.split(":").map(Number);
    return { hour: hour!, minute: minute! };
  });

const schema = z.object({
  NIRDESH_DB: z.string().min(1).default("data/nirdesh.db"),
  NIRDESH_MEDIA_DIR: z.string().min(1).optional(),
  NIRDESH_TZ: z.string().min(1).default("Asia/Dhaka").refine(isValidTimeZone, "not a time zone (e.g. Asia/Dhaka)"),
  NIRDESH_LANG: z.enum(["bn", "en"]).default("bn"),
  NIRDESH_LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  NIRDESH_SESSION_DIR: z.string().min(1).default("data/session"),
  CHROMIUM_PATH: z.string().min(1).optional(),
  NIRDESH_CHROMIUM_ARGS: z.string().optional(),
  NIRDESH_LEXICONS: z.string().min(1).optional(),
  NIRDESH_NUDGE_POLICY: z.string().min(1).optional(),
  NIRDESH_GROUPS: z.string().optional(),
  NIRDESH_PAIR_PHONE: z
    .string()
    .optional()
    .refine((value) => value === undefined || normalisePhone(value) !== null, "not a phone number (e.g. +8801711000001)"),
  NIRDESH_BACKFILL_LIMIT: count(1, 1_000_000).default(1_000),
  NIRDESH_RECYCLE_HOURS: count(0, 24 * 365).default(24),
  NIRDESH_SEND_PER_MINUTE: count(1, 60).default(8),
  NIRDESH_SEND_PER_DAY: count(1, 10_000).default(300),
  // The message names no value: a key must never reach a terminal's scrollback or a log.
  NIRDESH_DB_KEY: z.string().min(8, "at least 8 characters").optional(),
  NIRDESH_BACKUP_DIR: z.string().min(1).optional(),
  NIRDESH_BACKUP_AT: timeOfDay.default({ hour: 2, minute: 0 }),
  NIRDESH_BACKUP_KEEP: count(1, 3650).default(14),
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
  /** Extra browser flags, e.g. an office proxy: --proxy-server=http://10.0.0.1:3128 */
  readonly chromiumArgs: readonly string[];
  /** A folder with the office's own directive.json and acknowledgement.json, added to the project's lexicons. */
  readonly lexiconDir: string | undefined;
  /** The groups the bot archives: WhatsApp ids (…@g.us) or exact names. */
  readonly groups: readonly string[];
  /** Link the device by a code sent to this phone instead of a QR code. */
  readonly pairPhone: string | undefined;
  readonly backfillLimit: number;
  readonly recycleHours: number;
  readonly sendPerMinute: number;
  readonly sendPerDay: number;
  /** A JSON file that changes when and how officers are nudged (docs/nudges.md); the ministry's defaults without. */
  readonly nudgePolicy: string | undefined;
  /** The passphrase of an encrypted archive; not enumerable, so a config that is printed or logged never shows it. */
  readonly dbKey: string | undefined;
  /** Where the running bot writes its daily backup; none when unset. */
  readonly backupDir: string | undefined;
  /** When, in the office's zone. */
  readonly backupAt: { hour: number; minute: number };
  /** How many daily backups are kept; older Nirdesh backups in the folder are removed. */
  readonly backupKeep: number;
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
  const config = {
    db: values.NIRDESH_DB,
    mediaDir: values.NIRDESH_MEDIA_DIR ?? join(values.NIRDESH_DB === ":memory:" ? "data" : dirname(values.NIRDESH_DB), "media"),
    timeZone: values.NIRDESH_TZ,
    lang: values.NIRDESH_LANG,
    logLevel: values.NIRDESH_LOG_LEVEL,
    sessionDir: values.NIRDESH_SESSION_DIR,
    chromiumPath: values.CHROMIUM_PATH,
    chromiumArgs: Object.freeze((values.NIRDESH_CHROMIUM_ARGS ?? "").split(/\s+/).filter(Boolean)),
    lexiconDir: values.NIRDESH_LEXICONS,
    // Names may hold commas, so groups are separated by semicolons or new lines.
    groups: Object.freeze((values.NIRDESH_GROUPS ?? "").split(/[;\n]/).map((group) => group.trim()).filter(Boolean)),
    pairPhone: values.NIRDESH_PAIR_PHONE === undefined ? undefined : normalisePhone(values.NIRDESH_PAIR_PHONE)!,
    backfillLimit: values.NIRDESH_BACKFILL_LIMIT,
    recycleHours: values.NIRDESH_RECYCLE_HOURS,
    sendPerMinute: values.NIRDESH_SEND_PER_MINUTE,
    sendPerDay: values.NIRDESH_SEND_PER_DAY,
    nudgePolicy: values.NIRDESH_NUDGE_POLICY,
    backupDir: values.NIRDESH_BACKUP_DIR,
    backupAt: Object.freeze(values.NIRDESH_BACKUP_AT),
    backupKeep: values.NIRDESH_BACKUP_KEEP,
  };
  Object.defineProperty(config, "dbKey", { value: values.NIRDESH_DB_KEY, enumerable: false });
  return Object.freeze(config as typeof config & { dbKey: string | undefined });
}
