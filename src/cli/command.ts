import type { ParseArgsConfig } from "node:util";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Lexicons } from "../lexicons.js";
import type { MediaStore } from "../store/media-store.js";
import type { Archive } from "../store/open-archive.js";
import type { Messages } from "../text.js";

/** Where a command writes, and what it may know of the world: injected so tests can run it in-process. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  now: () => number;
}

export interface CommandContext {
  config: Config;
  text: Messages;
  io: CliIo;
  json: boolean;
  log: Logger;
  media: MediaStore;
  /** Opens the archive once; closed by the command line when the command ends. */
  archive(): Promise<Archive>;
  /** The directive and acknowledgement lexicons, read once. */
  lexicons(): Lexicons;
  /** Works out directives and acknowledgements again where the archive, roster or lexicons changed. */
  track(archive: Archive): number;
  /** The operating system's account at this command line, as the audit log names it. */
  account: string;
  /** Prints a line for a person (nothing with --json). */
  say(line: string): void;
  /** Prints the one JSON document of --json. */
  printJson(value: unknown): void;
  /**
   * Records in the archive's hash chain that the person at this command line (the operating system's
   * account) asked for `action` with these filters and got `rows` rows. A read-only archive (an evidence
   * copy) cannot record it: then a warning says so, and the command still answers.
   */
  audit(archive: Archive, action: string, filters: Record<string, unknown>, rows: number): void;
  /** Says on stderr when the directives read are out of date (a reading command does not work them out again). */
  warnIfStale(archive: Archive): void;
  /** A progress bar on a terminal (none with --json or when stderr is not a terminal). */
  progress(total: number): { update(done: number): void; stop(): void };
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  name: string;
  /** Whether the command adds to the archive; the others open it read-only and need it to exist. */
  writes: boolean;
  /** Whether it may start a new archive (import, roster, the bot); a correction or a rebuild needs one that exists. */
  creates: boolean;
  /** Reads only the chained rows (verify), so an archive of an older version will do. */
  chainOnly?: boolean;
  options: NonNullable<ParseArgsConfig["options"]>;
  run(context: CommandContext, values: OptionValues, positionals: string[]): Promise<number>;
}
