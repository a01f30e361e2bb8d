import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3-multiple-ciphers";
import { type Compilable, Kysely, type Migration, Migrator, type RawBuilder, SqliteDialect } from "kysely";
import { searchableText } from "../domain/search-text.js";
import { UserError } from "../user-error.js";
import * as archive20261123 from "./migrations/2026-11-23T0200-archive.js";
import * as directives20261123 from "./migrations/2026-11-23T0300-directives.js";
import * as live20261123 from "./migrations/2026-11-23T0400-live.js";
import * as followUps20261123 from "./migrations/2026-11-23T0500-follow-ups.js";
import * as searchByTime20261123 from "./migrations/2026-11-23T0745-search-by-time.js";
import * as searchShortPrefixes20261123 from "./migrations/2026-11-23T1130-search-short-prefixes.js";
import type { ArchiveSchema } from "./schema.js";

/**
 * The open archive. Queries are built with kysely (typed) and run synchronously on SQLite
 * (better-sqlite3-multiple-ciphers: better-sqlite3 with SQLCipher-compatible encryption),
 * so that a write and the hash-chain head it extends happen in one immediate transaction that no
 * other process (the bot, an import) can interleave with.
 */
export interface Archive {
  readonly path: string;
  readonly sqlite: Database.Database;
  readonly db: Kysely<ArchiveSchema>;
  all<R>(query: Query<R>): R[];
  get<R>(query: Query<R>): R | undefined;
  /** The rows one at a time, for a reader that may stop early; leaving the loop ends the query. */
  iterate<R>(query: Query<R>): IterableIterator<R>;
  run(query: Query<unknown>): { changes: number; lastInsertRowid: number };
  /**
   * Builds a query once and runs it many times with new values: `build` places `param("name")` where a
   * value goes. For the import and ingest loops, where building a query per row would cost more than
   * running it.
   */
  prepare<P extends Record<string, unknown>, R>(build: (param: <K extends keyof P & string>(name: K) => P[K]) => Query<R>): Prepared<P, R>;
  /** Runs `work` in one BEGIN IMMEDIATE transaction: all of it is stored, or none. */
  transaction<T>(work: () => T): T;
  /** Runs `work` on one consistent snapshot, while others may go on writing. */
  snapshot<T>(work: () => T): T;
  close(): void;
}

export interface Prepared<P, R> {
  all(values: P): R[];
  get(values: P): R | undefined;
  run(values: P): { changes: number; lastInsertRowid: number };
  /** The rows one at a time, for a reader that may stop early; leaving the loop ends the query. */
  iterate(values: P): IterableIterator<R>;
  /**
   * The rows as arrays of their values in the order selected: for pages read on every search, where
   * making an object of every row costs more than the query (24 columns of 50 rows: 0.6 ms against 0.3).
   */
  rows(values: P): unknown[][];
}

const PARAMETER = "\u0000nirdesh-parameter:";

/** A kysely query builder, or raw SQL written with kysely's `sql` tag. */
export type Query<R> = Compilable<R> | RawBuilder<R>;

const FIRST_MIGRATION = "2026-11-23T0200-archive";
const MIGRATIONS: Record<string, Migration> = {
  "2026-11-23T0200-archive": archive20261123,
  "2026-11-23T0300-directives": directives20261123,
  "2026-11-23T0400-live": live20261123,
  "2026-11-23T0500-follow-ups": followUps20261123,
  "2026-11-23T0745-search-by-time": searchByTime20261123,
  "2026-11-23T1130-search-short-prefixes": searchShortPrefixes20261123,
};

export interface OpenOptions {
  /**
   * The key of an encrypted archive (NIRDESH_DB_KEY): a passphrase, or a raw key written x'…64 hex…'.
   * A new archive opened with a key is encrypted from its first page; an existing one must have been
   * encrypted with this key.
   */
  key?: string | undefined;
}

/**
 * Opens the archive at `path`. For writing it is created when absent and its schema brought up to date;
 * for reading (search, show, verify) it must exist and is opened read-only, so a read-only evidence
 * copy can be verified and a mistyped path is an error rather than a new, empty archive.
 */
export async function openArchive(path: string, purpose: "write" | "read" | "verify" = "write", options: OpenOptions = {}): Promise<Archive> {
  const sqlite = connect(path, purpose === "verify" ? "read" : purpose, options.key);
  const db = new Kysely<ArchiveSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    // Verifying needs only the chained rows: an evidence copy from an older version, which cannot be
    // upgraded where it lies, can still be verified.
    if (purpose !== "write") checkSchema(sqlite, path, purpose === "verify" ? [FIRST_MIGRATION] : Object.keys(MIGRATIONS));
    else await migrate(sqlite, db, path);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const compile = (query: Query<unknown>) => ("isRawBuilder" in query ? query.compile(db) : query.compile());
  const ran = (result: Database.RunResult) => ({ changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) });
  const statements = new Map<string, Database.Statement>();
  const prepare = (query: Query<unknown>) => {
    const compiled = compile(query);
    let statement = statements.get(compiled.sql);
    if (!statement) {
      statement = sqlite.prepare(compiled.sql);
      statements.set(compiled.sql, statement);
    }
    return { statement, parameters: compiled.parameters as unknown[] };
  };
  return {
    path,
    sqlite,
    db,
    all<R>(query: Query<R>) {
      const { statement, parameters } = prepare(query);
      return statement.all(...parameters) as R[];
    },
    get<R>(query: Query<R>) {
      const { statement, parameters } = prepare(query);
      return statement.get(...parameters) as R | undefined;
    },
    iterate<R>(query: Query<R>) {
      const { statement, parameters } = prepare(query);
      return statement.iterate(...parameters) as IterableIterator<R>;
    },
    run(query) {
      const { statement, parameters } = prepare(query);
      return ran(statement.run(...parameters));
    },
    prepare<P extends Record<string, unknown>, R>(build: (param: <K extends keyof P & string>(name: K) => P[K]) => Query<R>): Prepared<P, R> {
      const compiled = compile(build((name) => `${PARAMETER}${name}` as never));
      const statement = sqlite.prepare(compiled.sql);
      // Each compiled parameter is either one of ours (bound per call) or a constant of the query.
      const slots = compiled.parameters.map((value) =>
        typeof value === "string" && value.startsWith(PARAMETER) ? { name: value.slice(PARAMETER.length), value: undefined } : { name: null, value },
      );
      const bind = (values: P) => slots.map((slot) => (slot.name === null ? slot.value : values[slot.name]));
      let raw: Database.Statement | undefined;
      return {
        all: (values) => statement.all(...bind(values)) as R[],
        get: (values) => statement.get(...bind(values)) as R | undefined,
        run: (values) => ran(statement.run(...bind(values))),
        iterate: (values) => statement.iterate(...bind(values)) as IterableIterator<R>,
        rows: (values) => {
          raw ??= sqlite.prepare(compiled.sql).raw(true);
          return raw.all(...bind(values)) as unknown[][];
        },
      };
    },
    transaction<T>(work: () => T): T {
      return sqlite.transaction(work).immediate();
    },
    snapshot<T>(work: () => T): T {
      return sqlite.transaction(work).deferred();
    },
    close() {
      if (sqlite.open) sqlite.close();
    },
  };
}

/** Refuses, before anything is written anywhere, a path that cannot be an archive (a folder). */
export function checkArchivePath(path: string): void {
  if (path !== ":memory:" && existsSync(path) && !statSync(path).isFile()) throw new UserError((t) => t.databaseNotArchive(path));
}

function connect(path: string, purpose: "write" | "read", key: string | undefined): Database.Database {
  if (path !== ":memory:") {
    try {
      checkArchivePath(path);
      if (purpose === "read") {
        if (!existsSync(path)) throw new UserError((t) => t.noArchive(path));
      } else {
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        // Created 0600 before SQLite opens it: the archive holds confidential government messages.
        // SQLite gives the -wal and -shm files the same permissions.
        closeSync(openSync(path, "a", 0o600));
      }
    } catch (error) {
      if (error instanceof UserError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new UserError((t) => (code === "EISDIR" ? t.databaseNotArchive(path) : t.fileNotReadable(path, code ?? String(error))));
    }
  }
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(path, purpose === "read" ? { readonly: !writable(path), fileMustExist: true } : {});
    unlock(sqlite, key);
    prepareConnection(sqlite, purpose);
  } catch (error) {
    sqlite?.close();
    const code = (error as { code?: string }).code ?? "";
    // An evidence copy in a read-only folder (a CD): SQLite cannot make the WAL's -shm file there,
    // so the archive is read into memory instead. An encrypted one cannot be: SQLite reads an
    // in-memory image unencrypted.
    if (purpose === "read" && key === undefined && (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN"))) return readIntoMemory(path);
    throw openingError(path, error, key);
  }
  return sqlite;
}

/**
 * Sets SQLCipher's format (version 4: AES-256, PBKDF2-HMAC-SHA512 with 256,000 rounds) and the key,
 * before anything is read, so that the `sqlcipher` tool and DB Browser for SQLite open the same file.
 */
export function unlock(sqlite: Database.Database, key: string | undefined): void {
  if (!key) return;
  sqlite.pragma("cipher = 'sqlcipher'");
  sqlite.pragma("legacy = 4");
  sqlite.key(Buffer.from(key, "utf8"));
}

function prepareConnection(sqlite: Database.Database, purpose: "write" | "read"): void {
  // The search index reads the archived text through this function (see the migration).
  sqlite.function("nirdesh_searchable", { deterministic: true }, (text: unknown) => (typeof text === "string" ? searchableText(text) : null));
  sqlite.pragma("busy_timeout = 10000");
  if (purpose === "write") {
    sqlite.pragma("journal_mode = WAL");
    // FULL: a message reported as archived survives a power cut, not only a crash.
    sqlite.pragma("synchronous = FULL");
  }
  sqlite.pragma("foreign_keys = ON");
  sqlite.prepare("SELECT count(*) FROM sqlite_schema").get();
}

function openingError(path: string, error: unknown, key: string | undefined): unknown {
  const code = (error as { code?: string }).code ?? "";
  if (code.startsWith("SQLITE_NOTADB")) {
    const looks = looksLike(path);
    if (key === undefined && looks === "encrypted") return new UserError((t) => t.archiveEncrypted(path));
    if (key !== undefined && looks === "encrypted") return new UserError((t) => t.archiveWrongKey(path));
    if (key !== undefined && looks === "plain") return new UserError((t) => t.archiveNotEncrypted(path));
    return new UserError((t) => t.databaseNotArchive(path));
  }
  if (code.startsWith("SQLITE_CORRUPT")) return new UserError((t) => t.databaseNotArchive(path));
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return new UserError((t) => t.databaseBusy(path));
  if (code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_PERM")) {
    return new UserError((t) => t.fileNotReadable(path, code));
  }
  return error;
}

const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");

/**
 * What a file that SQLite could not read looks like. An encrypted database is indistinguishable from
 * random bytes, but it is whole pages (512 to 65,536 bytes each), which a damaged or foreign file
 * seldom is; a plain SQLite file starts with its header.
 */
function looksLike(path: string): "plain" | "encrypted" | "other" {
  try {
    const size = statSync(path).size;
    const head = Buffer.alloc(16);
    const fd = openSync(path, "r");
    try {
      readSync(fd, head, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
    if (head.equals(SQLITE_HEADER)) return "plain";
    return size >= 1024 && size % 512 === 0 ? "encrypted" : "other";
  } catch {
    return "other";
  }
}

function readIntoMemory(path: string): Database.Database {
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) throw new UserError((t) => t.archiveNeedsWal(path));
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UserError((t) => t.fileNotReadable(path, (error as NodeJS.ErrnoException).code ?? String(error)));
  }
  // Bytes 18 and 19 say "WAL"; an in-memory database cannot have one, and the file holds every page.
  if (bytes.length > 19) bytes[18] = bytes[19] = 1;
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(bytes, { readonly: true });
    prepareConnection(sqlite, "read");
    return sqlite;
  } catch (error) {
    sqlite?.close();
    throw openingError(path, error, undefined);
  }
}

/** Reading commands open a writable file read-write (SQLite's WAL needs it) but never write to it. */
function writable(path: string): boolean {
  if (path === ":memory:") return true;
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const tablesOf = (sqlite: Database.Database) =>
  (sqlite.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as Array<{ name: string }>).map((row) => row.name);

/** A file that holds other tables but not ours is someone else's database: never add to it. */
function isForeign(sqlite: Database.Database): boolean {
  const tables = tablesOf(sqlite);
  return tables.length > 0 && !tables.includes("kysely_migration");
}

function checkSchema(sqlite: Database.Database, path: string, needed: string[]): void {
  const tables = tablesOf(sqlite);
  if (!tables.includes("kysely_migration") || !tables.includes("messages")) throw new UserError((t) => t.databaseNotArchive(path));
  const applied = (sqlite.prepare("SELECT name FROM kysely_migration").all() as Array<{ name: string }>).map((row) => row.name);
  if (needed.some((name) => !applied.includes(name))) throw new UserError((t) => t.archiveNeedsUpgrade(path));
}

async function migrate(sqlite: Database.Database, db: Kysely<ArchiveSchema>, path: string): Promise<void> {
  if (isForeign(sqlite)) throw new UserError((t) => t.databaseNotArchive(path));
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  if ((await migrator.getMigrations()).every((migration) => migration.executedAt !== undefined)) return;
  // Two processes opening a new archive at once race to create it; the loser finds the work done.
  for (let attempt = 1; ; attempt++) {
    // Kysely runs SQLite migrations statement by statement: killed half-way (a power cut during the first
    // open), an archive would keep half a schema that no later open could finish. One transaction: all or none.
    try {
      sqlite.exec("BEGIN IMMEDIATE");
    } catch (error) {
      throw openingError(path, error, undefined);
    }
    const { error } = await migrator.migrateToLatest().catch((failure: unknown) => ({ error: failure }));
    if (sqlite.inTransaction) sqlite.exec(error ? "ROLLBACK" : "COMMIT");
    if (!error) return;
    const message = String((error as Error).message ?? error);
    if (attempt >= 5 || !/already exists|SQLITE_BUSY|database is locked/i.test(message)) throw error;
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
  }
}

/**
 * What `build` makes of an archive (prepared statements, a cache), made once per open archive and
 * forgotten with it: for the queries run for every archived row, which would cost more to build than to run.
 */
export function oncePerArchive<T>(build: (archive: Archive) => T): (archive: Archive) => T {
  const made = new WeakMap<Archive, T>();
  return (archive) => {
    if (!made.has(archive)) made.set(archive, build(archive));
    return made.get(archive)!;
  };
}

/**
 * An insert of `columns` into `table`, built once per archive and bound per row: for the loops that write
 * thousands of rows, where building a query per row would cost more than running it, and for tracking,
 * which the live bot runs after every few messages. With "ignore", a row that clashes with a unique key
 * is left out.
 */
export function prepareInsert(archive: Archive, table: keyof ArchiveSchema, columns: string[], onConflict: "fail" | "ignore" = "fail"): Prepared<Record<string, unknown>, never> {
  const inserts = insertsOf(archive);
  const key = [table, onConflict, ...columns].join("\u0000");
  let insert = inserts.get(key);
  if (!insert) {
    insert = archive.prepare<Record<string, unknown>, never>((param) => {
      const values = archive.db.insertInto(table).values(Object.fromEntries(columns.map((column) => [column, param(column)])) as never);
      return onConflict === "ignore" ? values.onConflict((c) => c.doNothing()) : values;
    });
    inserts.set(key, insert);
  }
  return insert;
}

const insertsOf = oncePerArchive(() => new Map<string, Prepared<Record<string, unknown>, never>>());
