import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3-multiple-ciphers";
import { crashTalk } from "../../scripts/live-chats.js";
import { exportText, rosterCsv, rosterOf } from "../../scripts/synthetic-chats.js";
import { parseChatExport } from "../../src/chat-export/parse-chat-export.js";
import { type Archive, openArchive } from "../../src/store/open-archive.js";
import { verifyChain } from "../../src/store/verify-chain.js";
import { afterEach } from "vitest";
import { runNirdesh, temporaryFolder } from "../support.js";

// The crash harness of issue 8: a child process imports (the real `nirdesh import`) or ingests live (the
// bot on the in-memory WhatsApp, scripts/ingest-live.js) and is killed with SIGKILL at seeded random
// moments. After each kill the archive must verify, hold everything the child reported stored exactly
// once and nothing twice; running the same input again must complete it. test/reliability/crash-import.test.ts
// runs it small, test/stress/crash.stress.ts at 100,000 messages.

const ROOT = join(import.meta.dirname, "../..");

const inMemory: string[] = [];
afterEach(() => {
  while (inMemory.length > 0) rmSync(inMemory.pop()!, { recursive: true, force: true });
});

/**
 * A fresh folder in RAM (/dev/shm) where there is one, else on disk; removed after the test. A SIGKILL loses
 * nothing that SQLite wrote, synced or not (only a power cut needs the disk), so the proof is the same, and
 * the fast tests do not wait for an fsync per live message.
 */
export function crashFolder(): string {
  if (!existsSync("/dev/shm")) return temporaryFolder();
  const folder = mkdtempSync(join("/dev/shm", "nirdesh-crash-"));
  inMemory.push(folder);
  return folder;
}

/** A seeded generator (mulberry32): the same seed kills at the same moments after the start. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * When to kill: so long after the start, so long after a file (the archive's WAL) first appears, or so
 * long after the child printed so many lines (a kill inside the next file's transaction).
 */
export type Kill = { afterMs: number } | { afterMs: number; onceExists: string } | { afterMs: number; afterLines: number };

export interface ChildRun {
  /** The complete lines the child wrote to stdout before it ended (a line cut by the kill is no report). */
  lines: string[];
  code: number | null;
  killed: boolean;
  ms: number;
  stderr: string;
}

/** Runs `node ARGS` from the project's folder, killing it with SIGKILL as `kill` says. */
export function runChild(args: string[], env: Record<string, string>, kill?: Kill): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    let out = "";
    let stderr = "";
    let killed = false;
    const timers: NodeJS.Timeout[] = [];
    const killNow = () => {
      killed = child.kill("SIGKILL");
    };
    if (kill && "onceExists" in kill) {
      const watch = setInterval(() => {
        if (!existsSync(kill.onceExists)) return;
        clearInterval(watch);
        timers.push(setTimeout(killNow, kill.afterMs));
      }, 1);
      timers.push(watch);
    } else if (kill && !("afterLines" in kill && kill.afterLines > 0)) {
      timers.push(setTimeout(killNow, kill.afterMs));
    }
    let armed = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      if (kill && "afterLines" in kill && !armed && out.split("\n").length > kill.afterLines) {
        armed = true;
        timers.push(setTimeout(killNow, kill.afterMs));
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      for (const timer of timers) clearTimeout(timer);
      const lines = out.split("\n");
      lines.pop();
      resolve({ lines, code, killed: killed && code === null, ms: performance.now() - started, stderr });
    });
  });
}

export type Verdict = { intact: boolean; rows: number; detail: string };

/** `nirdesh verify --json`, the command a record keeper runs. */
export async function verifyWithCli(db: string): Promise<Verdict> {
  const result = await runNirdesh(["verify", "--json", "--db", db], { NIRDESH_LANG: "en" });
  if (result.code === 2) return { intact: false, rows: 0, detail: result.stderr.trim() };
  const verdict = JSON.parse(result.stdout) as { intact: boolean; rows: number };
  return { intact: result.code === 0 && verdict.intact, rows: verdict.rows, detail: result.stdout.trim() };
}

/** The same check in this process (what `nirdesh verify` calls), for the fast tests. */
export async function verifyInProcess(db: string): Promise<Verdict> {
  const archive = await openArchive(db, "verify");
  try {
    const verdict = verifyChain(archive);
    return { intact: verdict.intact, rows: verdict.rows, detail: JSON.stringify(verdict) };
  } finally {
    archive.close();
  }
}

/** Whether a kill left a file that is an archive (some left none yet, or an empty file: killed before the first open finished). */
async function hasArchive(db: string): Promise<boolean | "half"> {
  if (!existsSync(db)) return false;
  const archive = await openArchive(db, "verify").catch(() => null);
  if (archive) {
    archive.close();
    return true;
  }
  // SQLite's own view, WAL included: no table at all is an archive not begun, anything else half of one.
  const sqlite = new Database(db);
  try {
    return (sqlite.prepare("SELECT count(*) FROM sqlite_schema").pluck().get() as number) === 0 ? false : "half";
  } finally {
    sqlite.close();
  }
}

async function reading<T>(db: string, work: (archive: Archive) => T): Promise<T> {
  const archive = await openArchive(db, "read");
  try {
    return work(archive);
  } finally {
    archive.close();
  }
}

export interface KillRecord {
  round: number;
  /** False when the child finished before its kill (then another kill is drawn). */
  killed: boolean;
  /** How the kill was timed: just after the archive's WAL appeared, after the child printed some lines, or after a random time. */
  timing: "first open" | "after lines" | "random";
  afterMs: number;
  /** What the child had reported stored before it died: files (import) or messages (live). */
  reported: number;
  /** What the archive holds after the kill: chats complete (import) or messages (live). */
  present: number;
  /** Where the kill fell, as far as the archive tells. */
  phase: string;
}

export interface ImportCrashPlan {
  folder: string;
  messages: number;
  groups: number;
  seed: number;
  rounds: number;
  killsPerRound: number;
  /**
   * Whether to import into a fresh archive first, uninterrupted, and compare each finished archive with it
   * (the stress test); without it (the fast test) finished archives are compared with the exports only,
   * and kills fall within `runMs`.
   */
  cleanRun: boolean;
  runMs?: number;
  verify(db: string): Promise<Verdict>;
}

export interface CrashReport {
  kills: KillRecord[];
  /** Everything found wrong; the tests expect none. */
  problems: string[];
  messages: number;
  /** How long an uninterrupted run took (import: a clean run on a fresh archive; live: the run that finished). */
  runMs: number;
}

type Multiset = Map<string, number>;
const keyOf = (row: { sender_name: string; at: number; type: string; body: string }) => `${row.sender_name}\u0000${row.at}\u0000${row.type}\u0000${row.body}`;

/**
 * `nirdesh import` of `groups` exports (one transaction each) killed `rounds × killsPerRound` times; each
 * round on a fresh archive, its first kill timed into the first open, then finished by a run to the end
 * that must equal a clean run's archive. A file is "reported stored" once the command printed its line,
 * which it does after the file's transaction committed.
 */
export async function crashImports(plan: ImportCrashPlan): Promise<CrashReport> {
  const random = seeded(plan.seed);
  const roster = rosterOf(20);
  const rosterPath = join(plan.folder, "roster.csv");
  writeFileSync(rosterPath, rosterCsv(roster));
  const files: string[] = [];
  const expected = new Map<string, Multiset>();
  for (let g = 0; g < plan.groups; g++) {
    const path = join(plan.folder, `WhatsApp Chat with গ্রুপ ${g + 1}.txt`);
    const text = exportText(plan.seed + g, Math.ceil(plan.messages / plan.groups), Date.UTC(2022, 0, 1), roster);
    writeFileSync(path, text);
    files.push(path);
    const counts: Multiset = new Map();
    for (const entry of parseChatExport(text, { timeZone: "Asia/Dhaka" }).entries) {
      if (entry.kind !== "message") continue;
      const key = keyOf({ sender_name: entry.author!, at: entry.at, type: entry.type, body: entry.body });
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expected.set(`গ্রুপ ${g + 1}`, counts);
  }
  const total = [...expected.values()].reduce((sum, counts) => sum + [...counts.values()].reduce((a, b) => a + b, 0), 0);
  const importing = (db: string, kill?: Kill) =>
    runChild([join(ROOT, "bin/nirdesh.js"), "import", ...files, "--roster", rosterPath, "--db", db], { NIRDESH_LANG: "en" }, kill);
  const reportedChats = (run: ChildRun) => run.lines.flatMap((line) => /→ "(.+)": [\d,]+ messages found/.exec(line)?.[1] ?? []);

  const problems: string[] = [];
  const kills: KillRecord[] = [];
  let runMs = plan.runMs ?? 10_000;
  let cleanFacts: ReturnType<typeof facts> | null = null;
  if (plan.cleanRun) {
    const clean = join(plan.folder, "clean", "nirdesh.db");
    const cleanRun = await importing(clean);
    if (cleanRun.code !== 0) throw new Error(`the clean import failed: ${cleanRun.stderr}`);
    if (reportedChats(cleanRun).length !== plan.groups) problems.push(`the clean run reported ${reportedChats(cleanRun).length} of ${plan.groups} files`);
    cleanFacts = await reading(clean, facts);
    runMs = cleanRun.ms;
  }

  /** What the archive holds against what each export holds: all of a file, or none of it. */
  const check = async (db: string, reported: string[], when: string): Promise<number> => {
    const verdict = await plan.verify(db);
    if (!verdict.intact) problems.push(`${when}: verify failed: ${verdict.detail}`);
    const rows = await reading(db, (archive) =>
      archive.sqlite
        .prepare("SELECT c.name AS chat, m.sender_name, m.at, m.type, m.body, count(*) AS n FROM messages m JOIN chats c ON c.id = m.chat_id GROUP BY 1, 2, 3, 4, 5")
        .all() as Array<{ chat: string; sender_name: string; at: number; type: string; body: string; n: number }>,
    );
    const actual = new Map<string, Multiset>();
    for (const row of rows) {
      if (!expected.has(row.chat)) problems.push(`${when}: a chat no export holds: ${row.chat}`);
      const counts = actual.get(row.chat) ?? new Map();
      counts.set(keyOf(row), row.n);
      actual.set(row.chat, counts);
    }
    let complete = 0;
    for (const [chat, counts] of expected) {
      const held = actual.get(chat) ?? new Map<string, number>();
      const twice = [...held].filter(([key, n]) => n > (counts.get(key) ?? 0));
      if (twice.length > 0) problems.push(`${when}: ${chat}: ${twice.length} messages stored more often than the export holds them`);
      const missing = [...counts].filter(([key, n]) => (held.get(key) ?? 0) < n).length;
      if (missing === 0) complete++;
      else if (reported.includes(chat)) problems.push(`${when}: ${chat} was reported stored, but ${missing} of its messages are missing`);
      else if (held.size > 0) problems.push(`${when}: ${chat} is half there (${missing} messages missing): a file's transaction was cut`);
    }
    return complete;
  };

  const perFileMs = runMs / plan.groups;
  for (let round = 0; round < plan.rounds; round++) {
    const db = join(plan.folder, `round-${round}`, "nirdesh.db");
    mkdirSync(join(plan.folder, `round-${round}`), { recursive: true });
    let before = 0;
    // A run that ends before its kill is no kill: it is checked too, and another is drawn.
    for (let k = 0, tries = 0; k < plan.killsPerRound && tries < 3 * plan.killsPerRound; tries++) {
      const firstOpen = k === 0;
      // The first kill of a round falls in the first open; then, in turn, anywhere in a run's time, or
      // inside the transaction of a file not yet in (after the lines of those that are, and a few more).
      const byLines = !firstOpen && k % 2 === 0;
      const afterLines = byLines ? Math.min(plan.groups - 1, before + Math.floor(random() * 3)) : 0;
      const afterMs = Math.round(firstOpen ? 5 + random() * 20 : byLines ? random() * perFileMs * 1.5 : random() * runMs);
      const kill: Kill = firstOpen ? { afterMs, onceExists: `${db}-wal` } : byLines ? { afterMs, afterLines } : { afterMs };
      const run = await importing(db, kill);
      const reported = reportedChats(run);
      const how = firstOpen ? `the first open + ${afterMs} ms` : byLines ? `${afterLines} files' lines + ${afterMs} ms` : `${afterMs} ms`;
      const when = `round ${round + 1}, kill ${k + 1} (${how})`;
      const archive = await hasArchive(db);
      let present = 0;
      if (archive === true) present = await check(db, reported, when);
      else {
        if (archive === "half") problems.push(`${when}: the archive was left half-created`);
        if (reported.length > 0) problems.push(`${when}: files reported stored, but there is no archive`);
      }
      const phase = !run.killed
        ? "finished before the kill"
        : archive !== true
          ? firstOpen
            ? "during the first open (nothing committed)"
            : "before the archive was opened"
          : before === plan.groups
            ? "importing again what is all in"
            : present === plan.groups
              ? reported.length === plan.groups
                ? "after the last file (tracking)"
                : "after the last commit, before its line"
              : `importing file ${present + 1} (${present} of ${plan.groups} in)`;
      if (run.killed) k++;
      kills.push({ round: round + 1, killed: run.killed, timing: firstOpen ? "first open" : byLines ? "after lines" : "random", afterMs, reported: reported.length, present, phase });
      before = present;
    }
    const again = await importing(db);
    const when = `round ${round + 1}, the run to the end`;
    if (again.code !== 0) problems.push(`${when}: exit ${again.code}: ${again.stderr.trim()}`);
    if (reportedChats(again).length !== plan.groups) problems.push(`${when}: ${reportedChats(again).length} of ${plan.groups} files reported`);
    const complete = await check(db, reportedChats(again), when);
    if (complete !== plan.groups) problems.push(`${when}: ${complete} of ${plan.groups} chats complete`);
    const after = await reading(db, facts);
    if (cleanFacts && JSON.stringify(after) !== JSON.stringify(cleanFacts)) problems.push(`${when}: differs from a clean run: ${JSON.stringify(after)} vs ${JSON.stringify(cleanFacts)}`);
  }
  return { kills, problems, messages: total, runMs: Math.round(runMs) };
}

/**
 * What a clean run and a crashed-then-finished run must share: the messages and events (an import's own
 * `import` event is left out: every run records one per file, as it should), and the directives tracked.
 */
function facts(archive: Archive) {
  const one = (sql: string) => (archive.sqlite.prepare(sql).pluck().get() as number | null) ?? 0;
  return {
    messages: one("SELECT count(*) FROM messages"),
    content: createHash("sha256")
      .update(
        (archive.sqlite.prepare("SELECT c.name, m.sender_name, m.at, m.type, m.body FROM messages m JOIN chats c ON c.id = m.chat_id").raw().all() as unknown[][])
          .map((row) => JSON.stringify(row))
          .sort()
          .join("\n"),
      )
      .digest("hex"),
    events: archive.sqlite.prepare("SELECT kind, count(*) AS n FROM message_events WHERE kind != 'import' GROUP BY kind ORDER BY kind").all(),
    directives: one("SELECT count(*) FROM directives WHERE directive = 1"),
    owed: one("SELECT count(*) FROM directive_people WHERE acknowledged_at IS NULL"),
  };
}

export interface LiveCrashPlan {
  folder: string;
  messages: number;
  groups: number;
  seed: number;
  kills: number;
  /** Kills fall uniformly within this long after the start (the first just after the archive appears). */
  killWithinMs: number;
  /** At most this many messages arrive on the phone while the bot is down, for the restart to catch up. */
  maxGap: number;
  verify(db: string): Promise<Verdict>;
}

/**
 * The live bot (scripts/ingest-live.js) killed `kills` times while it archives a seeded stream, each
 * restart going on from the last message reported stored, with up to `maxGap` more that arrived while it
 * was down; then a run to the end. A message is "reported stored" once the child printed a count that
 * covers it, which it does after looking the message up in the archive.
 */
export async function crashLive(plan: LiveCrashPlan): Promise<CrashReport> {
  const random = seeded(plan.seed);
  const { stream } = crashTalk(plan.messages, plan.groups);
  const ids = stream.map((event) => (event.kind === "message" ? event.id : ""));
  const known = new Set(ids);
  const db = join(plan.folder, "live.db");
  const media = join(plan.folder, "media");
  const problems: string[] = [];
  const kills: KillRecord[] = [];
  let reported = 0;
  const ingesting = (gap: number, kill?: Kill) =>
    runChild([join(ROOT, "scripts/ingest-live.js"), db, media, String(plan.messages), String(plan.groups), String(reported), String(gap)], {}, kill);
  const storedIn = (run: ChildRun) =>
    Math.max(0, ...run.lines.map((line) => (JSON.parse(line) as { stored?: number; done?: number })).map((report) => report.stored ?? report.done ?? 0));

  const check = async (when: string): Promise<number> => {
    const verdict = await plan.verify(db);
    if (!verdict.intact) problems.push(`${when}: verify failed: ${verdict.detail}`);
    const { archived, twice } = await reading(db, (archive) => ({
      archived: archive.sqlite.prepare("SELECT whatsapp_id FROM messages").pluck().all() as string[],
      twice: archive.sqlite.prepare("SELECT count(*) FROM (SELECT 1 FROM messages GROUP BY chat_id, sender_whatsapp_id, at, body HAVING count(*) > 1)").pluck().get() as number,
    }));
    const held = new Set(archived);
    if (held.size !== archived.length) problems.push(`${when}: a WhatsApp id is stored twice`);
    if (twice > 0) problems.push(`${when}: ${twice} messages are stored twice under different ids`);
    const strangers = archived.filter((id) => !known.has(id)).length;
    if (strangers > 0) problems.push(`${when}: ${strangers} messages that were never sent`);
    const lost = ids.slice(0, reported).filter((id) => !held.has(id)).length;
    if (lost > 0) problems.push(`${when}: ${lost} of the ${reported} messages reported stored are missing`);
    return held.size;
  };

  for (let k = 0, tries = 0; k < plan.kills && tries < 3 * plan.kills; tries++) {
    const firstOpen = k === 0;
    const afterMs = Math.round(firstOpen ? 5 + random() * 20 : random() * plan.killWithinMs);
    const gap = Math.floor(random() * plan.maxGap);
    const run = await ingesting(gap, firstOpen ? { afterMs, onceExists: `${db}-wal` } : { afterMs });
    if (!run.killed && run.code !== 0) problems.push(`kill ${k + 1}: the child failed on its own: ${run.stderr.trim().split("\n").slice(-3).join(" ")}`);
    const before = reported;
    reported = Math.max(reported, storedIn(run));
    const when = `kill ${k + 1} (${firstOpen ? "first open + " : ""}${afterMs} ms)`;
    const archive = await hasArchive(db);
    let present = 0;
    if (archive === true) present = await check(when);
    else if (archive === "half") problems.push(`${when}: the archive was left half-created`);
    const phase = !run.killed
      ? "finished before the kill"
      : archive !== true
        ? "during the first open (nothing committed)"
        : reported === before
          ? "opening or catching up"
          : `archiving live (${reported - before} more reported)`;
    if (run.killed) k++;
    kills.push({ round: 1, killed: run.killed, timing: firstOpen ? "first open" : "random", afterMs, reported, present, phase });
  }
  const started = performance.now();
  const last = await ingesting(0);
  if (last.code !== 0) problems.push(`the run to the end: exit ${last.code}: ${last.stderr.trim().split("\n").slice(-3).join(" ")}`);
  reported = storedIn(last);
  if (reported !== stream.length) problems.push(`the run to the end reported ${reported} of ${stream.length}`);
  const present = await check("the run to the end");
  if (present !== stream.length) problems.push(`the run to the end left ${present} of ${stream.length} messages`);
  return { kills, problems, messages: stream.length, runMs: Math.round(performance.now() - started) };
}
