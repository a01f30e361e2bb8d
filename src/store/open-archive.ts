import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { type Compilable, Kysely, type Migration, Migrator, type RawBuilder, SqliteDialect } from "kysely";
import { UserError } from "../user-error.js";
import * as archive20261123 from "./migrations/2026-11-23T0200-archive.js";
import type { ArchiveSchema } from "./schema.js";

/**
 * The open archive. Queries are built with kysely (typed) and run synchronously on better-sqlite3,
 * so that a write and the hash-chain head it extends happen in one immediate transaction that no
 * other process (the bot, an import) can interleave with.
 */
export interface Archive {
  readonly path: string;
  readonly sqlite: Database.Database;
  readonly db: Kysely<ArchiveSchema>;
  all<R>(query: Query<R>): R[];
  get<R>(query: Query<R>): R | undefined;
  run(query: Query<unknown>): { changes: number; lastInsertRowid: number };
  /**
   * Builds a query once and runs it many times with new values: `build` places `param("name")` where a
   * value goes. For the import and ingest loops, where building a query per row would cost more than
   * running it.
   */
  prepare<P extends Record<string, unknown>, R>(build: (param: <K extends keyof P & string>(name: K) => P[K]) => Query<R>): Prepared<P, R>;
  /** Runs `work` in one BEGIN IMMEDIATE transaction: all of it is stored, or none. */
  transaction<T>(work: () => T): T;
  close(): void;
}

export interface Prepared<P, R> {
  all(values: P): R[];
  get(values: P): R | undefined;
  run(values: P): { changes: number; lastInsertRowid: number };
}

const PARAMETER = "\u0000nirdesh-parameter:";

/** A kysely query builder, or raw SQL written with kysely's `sql` tag. */
export type Query<R> = Compilable<R> | RawBuilder<R>;

const MIGRATIONS: Record<string, Migration> = {
  "2026-11-23T0200-archive": archive20261123,
};

/** Opens (creating when absent) the archive at `path` and brings its schema up to date. */
export async function openArchive(path: string): Promise<Archive> {
  const sqlite = connect(path);
  const db = new Kysely<ArchiveSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    sqlite.close();
    throw error;
  }
  const statements = new Map<string, Database.Statement>();
  const prepare = (query: Query<unknown>) => {
    const compiled = "isRawBuilder" in query ? query.compile(db) : query.compile();
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
    run(query) {
      const { statement, parameters } = prepare(query);
      const result = statement.run(...parameters);
      return { changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) };
    },
    prepare<P extends Record<string, unknown>, R>(build: (param: <K extends keyof P & string>(name: K) => P[K]) => Query<R>): Prepared<P, R> {
      const query = build((name) => `${PARAMETER}${name}` as never);
      const compiled = "isRawBuilder" in query ? query.compile(db) : query.compile();
      const statement = sqlite.prepare(compiled.sql);
      // Each compiled parameter is either one of ours (bound per call) or a constant of the query.
      const slots = compiled.parameters.map((value) =>
        typeof value === "string" && value.startsWith(PARAMETER) ? { name: value.slice(PARAMETER.length), value: undefined } : { name: null, value },
      );
      const bind = (values: P) => slots.map((slot) => (slot.name === null ? slot.value : values[slot.name]));
      return {
        all: (values) => statement.all(...bind(values)) as R[],
        get: (values) => statement.get(...bind(values)) as R | undefined,
        run: (values) => {
          const result = statement.run(...bind(values));
          return { changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) };
        },
      };
    },
    transaction<T>(work: () => T): T {
      return sqlite.transaction(work).immediate();
    },
    close() {
      if (sqlite.open) sqlite.close();
    },
  };
}

function connect(path: string): Database.Database {
  if (path !== ":memory:") {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Created 0600 before SQLite opens it: the archive holds confidential government messages.
    // SQLite gives the -wal and -shm files the same permissions.
    closeSync(openSync(path, "a", 0o600));
  }
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path);
    sqlite.pragma("busy_timeout = 10000");
    sqlite.pragma("journal_mode = WAL");
    // FULL: a message reported as archived survives a power cut, not only a crash.
    sqlite.pragma("synchronous = FULL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.prepare("SELECT count(*) FROM sqlite_schema").get();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") throw new UserError((t) => t.databaseNotArchive(path));
    if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") throw new UserError((t) => t.databaseBusy(path));
    if (code === "SQLITE_CANTOPEN") throw new UserError((t) => t.fileNotReadable(path, "cannot open"));
    throw error;
  }
  return sqlite;
}
