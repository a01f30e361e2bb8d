import { existsSync } from "node:fs";
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { readConfig } from "../config.js";
import { type Lexicons, readLexicons } from "../lexicons.js";
import { createLogger } from "../logger.js";
import { recordAudit } from "../store/audit.js";
import { bringTrackingUpToDate, staleChats } from "../store/track-chats.js";
import { openMediaStore } from "../store/media-store.js";
import { type Archive, openArchive } from "../store/open-archive.js";
import { messagesFor, type Messages } from "../text.js";
import { UserError } from "../user-error.js";
import { auditCommand } from "./audit.js";
import { backupCommand } from "./backup.js";
import type { CliIo, Command, CommandContext } from "./command.js";
import { exportCommand } from "./export.js";
import { groupsCommand } from "./groups.js";
import { importCommand } from "./import.js";
import { markCommand } from "./mark.js";
import { pendingCommand } from "./pending.js";
import { reindexCommand } from "./reindex.js";
import { reportCommand } from "./report.js";
import { restoreCommand } from "./restore.js";
import { rosterCommand } from "./roster.js";
import { searchCommand } from "./search.js";
import { showCommand } from "./show.js";
import { simulateCommand } from "./simulate.js";
import { startCommand } from "./start.js";
import { verifyCommand } from "./verify.js";

const COMMANDS: Command[] = [
  startCommand,
  groupsCommand,
  importCommand,
  rosterCommand,
  searchCommand,
  pendingCommand,
  showCommand,
  markCommand,
  exportCommand,
  reportCommand,
  auditCommand,
  verifyCommand,
  backupCommand,
  restoreCommand,
  reindexCommand,
  simulateCommand,
];

/** EX_SOFTWARE: Nirdesh itself failed. */
const INTERNAL_ERROR = 70;

const GLOBAL_OPTIONS = {
  db: { type: "string" },
  tz: { type: "string" },
  lang: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * Runs one command line and returns its exit code: 0 done, 1 a failure found (verify), 2 bad usage or
 * bad input, which is always one clear line in the user's language, never a stack trace.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  // The language is known before the options are parsed, so even a usage error is in it.
  let text: Messages = messagesFor(languageOf(argv, io.env));
  let archive: Archive | undefined;
  try {
    const { name, rest } = splitCommand(argv);
    if (name === undefined || name === "help" || name === "--help" || name === "-h") {
      io.stdout.write(`${text.help}\n`);
      return name === undefined ? 2 : 0;
    }
    const command = COMMANDS.find((candidate) => candidate.name === name);
    if (!command) throw new UserError((t) => t.unknownCommand(name));
    const { values, positionals } = parseCommandLine(command, rest);
    const config = readConfig(io.env, {
      ...(typeof values.db === "string" ? { db: values.db } : {}),
      ...(typeof values.tz === "string" ? { tz: values.tz } : {}),
      ...(typeof values.lang === "string" ? { lang: values.lang } : {}),
    });
    text = messagesFor(config.lang);
    if (values.help) {
      io.stdout.write(`${text.help}\n`);
      return 0;
    }
    const json = values.json === true;
    const log = createLogger(config.logLevel ?? (command.name === "start" ? "info" : "warn"));
    let lexicons: Lexicons | undefined;
    const context: CommandContext = {
      config,
      text,
      io,
      json,
      log,
      media: openMediaStore(config.mediaDir),
      archive: async () => {
        if (!archive && command.writes && !command.creates && config.db !== ":memory:" && !existsSync(config.db)) {
          throw new UserError((t) => t.noArchive(config.db));
        }
        return (archive ??= await openArchive(config.db, command.writes ? "write" : command.chainOnly ? "verify" : "read", { key: config.dbKey }));
      },
      lexicons: () => (lexicons ??= readLexicons(config.lexiconDir)),
      track: (open) => {
        const chats = bringTrackingUpToDate(open, { lexicons: context.lexicons(), timeZone: config.timeZone }, io.now);
        if (chats > 0) log.info({ chats }, "directives tracked");
        return chats;
      },
      account: accountOf(io.env),
      say: (line) => {
        if (!json) io.stdout.write(`${line}\n`);
      },
      printJson: (value) => {
        if (json) io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      },
      audit: (open, action, filters, rows) => {
        if (open.sqlite.readonly) {
          io.stderr.write(`${text.auditNotRecorded(config.db)}\n`);
          return;
        }
        try {
          recordAudit(open, io.now, { chat: null, message: null, by: null, byName: context.account, action, allowed: true, filters, rows, via: "cli" });
        } catch (error) {
          const code = (error as { code?: string }).code ?? "";
          if (code.startsWith("SQLITE_READONLY")) io.stderr.write(`${text.auditNotRecorded(config.db)}\n`);
          else if (code.startsWith("SQLITE_BUSY")) throw new UserError((t) => t.databaseBusy(config.db));
          else throw error;
        }
      },
      warnIfStale: (open) => {
        if (staleChats(open, { lexicons: context.lexicons(), timeZone: config.timeZone }).length > 0) io.stderr.write(`${text.trackingStale}\n`);
      },
      progress: (total) => {
        if (json || io.stderr.isTTY !== true || total === 0) return { update() {}, stop() {} };
        const bar = new cliProgress.SingleBar(
          { stream: io.stderr as NodeJS.WriteStream, format: "{bar} {percentage}% · {value}/{total} · {eta_formatted}", hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0);
        return { update: (done) => bar.update(done), stop: () => bar.stop() };
      },
    };
    // A command that writes reads the lexicons first: a broken office file must stop it before anything is stored.
    if (command.writes) context.lexicons();
    return await command.run(context, values, positionals);
  } catch (error) {
    if (error instanceof UserError) {
      io.stderr.write(`${text.errorPrefix}: ${error.render(text)}\n`);
      return 2;
    }
    // A bug, not the user's doing: one line for the person, the details for whoever reads the log.
    // Its own exit code, so that a crash is never read as "verify found tampering" (1).
    createLogger("error").error({ err: error }, "internal error");
    io.stderr.write(`${text.errorPrefix}: ${text.internalError((error as Error)?.message ?? String(error))}\n`);
    return INTERNAL_ERROR;
  } finally {
    archive?.close();
  }
}

/** The command, wherever the global options stand: `nirdesh --db x verify` and `nirdesh verify --db x`. */
function splitCommand(argv: string[]): { name: string | undefined; rest: string[] } {
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith("--") && argv[i] !== "--help") {
    const option = argv[i]!.slice(2);
    const takesValue = !option.includes("=") && option in GLOBAL_OPTIONS && GLOBAL_OPTIONS[option as keyof typeof GLOBAL_OPTIONS].type === "string";
    i += takesValue ? 2 : 1;
  }
  if (i >= argv.length) return { name: undefined, rest: argv };
  return { name: argv[i], rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
}

/**
 * Who is at the command line, for the audit log: the operating system's account (USER, else LOGNAME, else
 * the account the process runs as). Each record keeper should have their own login.
 */
function accountOf(env: NodeJS.ProcessEnv): string {
  const named = env.USER?.trim() || env.LOGNAME?.trim();
  if (named) return named;
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

function languageOf(argv: string[], env: NodeJS.ProcessEnv): "bn" | "en" {
  const at = argv.findIndex((arg) => arg === "--lang" || arg.startsWith("--lang="));
  const value = at === -1 ? env.NIRDESH_LANG : argv[at]!.includes("=") ? argv[at]!.split("=")[1] : argv[at + 1];
  return value === "en" ? "en" : "bn";
}

/** A word that starts with a dash but is no option (-প্রতিবেদন, -৫) is search text, not an option. */
const TEXT_WITH_DASH = /^-(?![-A-Za-z])/;
const DASHED = "\u0000dash\u0000";

function parseCommandLine(command: Command, args: string[]) {
  try {
    const parsed = parseArgs({
      args: args.map((arg) => (TEXT_WITH_DASH.test(arg) ? DASHED + arg : arg)),
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    const restore = (value: unknown) => (typeof value === "string" && value.startsWith(DASHED) ? value.slice(DASHED.length) : value);
    return {
      values: Object.fromEntries(Object.entries(parsed.values).map(([key, value]) => [key, restore(value)])) as typeof parsed.values,
      positionals: parsed.positionals.map((value) => restore(value) as string),
    };
  } catch (error) {
    const detail = (error as Error).message.split("\n")[0]!.replace(/\. To specify a positional argument.*$/, "");
    throw new UserError((t) => t.badUsage(detail));
  }
}

