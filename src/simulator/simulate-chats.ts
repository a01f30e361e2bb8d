import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import { createBot, DEFAULT_BOT_SETTINGS } from "../bot/create-bot.js";
import { MemoryTransport } from "../bot/memory-transport.js";
import { type PreparedImport, prepareImport } from "../chat-export/import-chat-export.js";
import type { ExportEntry } from "../chat-export/parse-chat-export.js";
import { systemParticipants } from "../chat-export/markers.js";
import type { LiveChat, LiveEvent, LivePerson } from "../domain/live-event.js";
import { nextDigestTime } from "../domain/nudge-policy.js";
import { phoneWrittenAs } from "../domain/phone.js";
import { nameKey, type RosterEntry } from "../domain/roster.js";
import type { Lexicons } from "../lexicons.js";
import type { FollowUpSettings } from "../nudge-policy-file.js";
import { type DirectiveView, directiveViews } from "../store/directive-views.js";
import { nextFollowUpDue } from "../store/follow-ups.js";
import { openMediaStore } from "../store/media-store.js";
import { type Archive, openArchive } from "../store/open-archive.js";
import { applyRoster } from "../store/people.js";
import type { Messages } from "../text.js";
import { UserError } from "../user-error.js";

/** One message the bot would have sent (DESIGN.md's `outgoing` shape, with `via` added). */
export interface Outgoing {
  at: number;
  kind: "nudge" | "reminder" | "escalation" | "digest" | "reply";
  /** The group it is about; for a digest, null. */
  chat: string | null;
  /** In the group, or a direct message to each of `to`. */
  via: "group" | "direct";
  to: Array<{ phone: string | null; name: string }>;
  directive: { id: number; at: number; from: { phone: string | null; name: string } } | null;
  text: string;
}

export interface SimulationOptions {
  files: string[];
  roster: RosterEntry[] | null;
  /** The group's name, for an export whose file name does not tell it (as `import --chat`). */
  chatName?: string;
  /** Replay until this moment; by default a week after the last message, so escalations and digests play out. */
  until: number | null;
  timeZone: string;
  lexicons: Lexicons;
  followUps: FollowUpSettings;
  text: Messages;
  log: Logger;
}

export interface Simulation {
  outgoing: Outgoing[];
  /** Groups replayed: exports of the same group count once. */
  chats: number;
  messages: number;
  directives: number;
  /** Every directive as tracking left it at the end: who acknowledged, when, and who still owes. */
  tracked: DirectiveView[];
  from: number;
  until: number;
}

const MINUTE = 60_000;
const AFTER_THE_LAST_MESSAGE_MS = 7 * 86_400_000;
const ACCOUNT: LivePerson = { whatsappId: "0@c.us", phone: null, name: "Nirdesh" };

/**
 * Replays chat exports as if they were arriving live: on a virtual clock, through the live bot on
 * the in-memory WhatsApp, with the office's nudge policy, into a scratch archive that is thrown away.
 * The follow-up scan runs at every minute the live bot's would have had something to do, so what it
 * returns is what the bot would have sent, and when.
 */
export async function simulateChats(options: SimulationOptions): Promise<Simulation> {
  const scratch = mkdtempSync(join(tmpdir(), "nirdesh-simulate-"));
  let archive: Archive | null = null;
  try {
    const media = openMediaStore(join(scratch, "media"));
    const chats: Array<{ chat: LiveChat; events: LiveEvent[]; people: Map<string, { person: LivePerson; admin: boolean }> }> = [];
    const personOf = personFinder(options.roster ?? []);
    // Exports of the same group (two months, or overlapping ones) are one group: a message two files
    // both show is replayed once.
    const byName = new Map<string, PreparedImport[]>();
    for (const file of options.files) {
      const prepared = await prepareImport(file, { timeZone: options.timeZone, ...(options.chatName !== undefined ? { chatName: options.chatName } : {}) }, media);
      byName.set(prepared.chatName, [...(byName.get(prepared.chatName) ?? []), prepared]);
    }
    for (const [index, [name, files]] of [...byName].entries()) {
      const chat: LiveChat = { whatsappId: `12036300000000${String(index + 1).padStart(4, "0")}@g.us`, name, isGroup: true };
      const people = new Map<string, { person: LivePerson; admin: boolean }>();
      /** Who first appears by joining was not in the group when the bot connected. */
      const laterJoiners = new Set<string>();
      const member = (name: string, admin = false, joining = false) => {
        const person = personOf(name);
        const known = people.get(person.whatsappId);
        if (!known && joining) laterJoiners.add(person.whatsappId);
        people.set(person.whatsappId, { person, admin: admin || (known?.admin ?? false) });
        return person;
      };
      const kept = new Map<string, number>();
      const entries: Array<{ entry: ExportEntry; id: string }> = [];
      for (const [fileIndex, prepared] of files.entries()) {
        const inThisFile = new Map<string, number>();
        for (const entry of prepared.parsed.entries) {
          const key = `${entry.kind}\u0000${entry.author ?? ""}\u0000${entry.at}\u0000${entry.body}`;
          const count = (inThisFile.get(key) ?? 0) + 1;
          inThisFile.set(key, count);
          if (count <= (kept.get(key) ?? 0)) continue;
          kept.set(key, count);
          entries.push({ entry, id: `sim_${index + 1}_${fileIndex + 1}_${entry.line}` });
        }
      }
      entries.sort((a, b) => a.entry.at - b.entry.at);
      const events: LiveEvent[] = [];
      for (const { entry, id } of entries) {
        if (entry.kind === "system") {
          const seen = systemParticipants(entry.body);
          // Who adds, removes or renames in an official group is its admin.
          const actor = seen.actor ? member(seen.actor, true) : null;
          for (const [action, names] of [["joined", seen.joined], ["left", seen.left]] as const) {
            if (names.length > 0) events.push({ kind: "membership", chat, id: `${id}_${action}`, action, actor, people: names.map((name) => member(name, false, action === "joined")), at: entry.at, body: entry.body });
          }
          continue;
        }
        if (!entry.author) continue;
        events.push({
          kind: "message",
          chat,
          id,
          sender: member(entry.author),
          fromMe: false,
          at: entry.at,
          body: entry.body,
          type: entry.type,
          quotedId: null,
          mentions: entry.mentions.map((name) => member(name)),
          forwarded: false,
          edited: entry.edited ? { at: entry.at } : null,
          media: null,
        });
      }
      for (const id of laterJoiners) people.delete(id);
      chats.push({ chat, events, people });
    }
    const events = chats.flatMap((one) => one.events).sort((a, b) => a.at - b.at);
    if (events.length === 0) throw new UserError((t) => t.simulateNothing);
    const from = events[0]!.at;
    const until = options.until ?? events.at(-1)!.at + AFTER_THE_LAST_MESSAGE_MS;
    if (until < from) throw new UserError((t) => t.simulateUntilTooEarly);

    let clock = from - MINUTE;
    const now = () => clock;
    archive = await openArchive(join(scratch, "simulation.db"));
    // A scratch archive deleted at the end: waiting for the disk after every message would only slow the replay.
    archive.sqlite.pragma("synchronous = OFF");
    if (options.roster) applyRoster(archive, options.roster, now());
    const transport = new MemoryTransport(ACCOUNT, now);
    for (const one of chats) transport.addGroup(one.chat, [...one.people.values()]);
    const bot = createBot({
      transport,
      archive,
      media,
      lexicons: options.lexicons,
      text: options.text,
      settings: {
        ...DEFAULT_BOT_SETTINGS,
        watch: chats.map((one) => one.chat.whatsappId),
        timeZone: options.timeZone,
        recycleMs: 0,
        // Tracking runs before each scan; a timer of its own would only repeat it.
        trackDelayMs: 2 ** 31 - 1,
        // The queue's pacing is about WhatsApp's patience, not about what is sent: the replay shows the decisions.
        sendLimits: { minGapMs: 0, jitterMs: 0, perMinute: Number.MAX_SAFE_INTEGER, perDay: Number.MAX_SAFE_INTEGER },
      },
      log: options.log,
      now,
      followUps: options.followUps,
      everyMinute: () => ({ stop: () => undefined }),
    });
    const running = bot.run();
    while (!bot.connected) await new Promise((resolve) => setImmediate(resolve));
    await bot.settled();

    // The live scan runs every minute; here it runs at the minutes where it has something to do: when a
    // directive's follow-up is due, when a digest is, and soon after each message (a new directive is
    // picked up no later than its earliest possible nudge).
    const firstNudge = Math.min(
      ...chats.flatMap(({ chat }) => {
        const policy = options.followUps.policyFor(chat);
        return [policy.normal.firstAfterMs, policy.urgent.firstAfterMs];
      }),
    );
    let lookAt: number | null = null;
    const nextMinute = (t: number) => Math.ceil(t / MINUTE) * MINUTE;
    /** Scans before `t`: an export gives minutes only, and a message of 10:30 may be of 10:30:59, so it goes first. */
    const runScansBefore = async (t: number) => {
      for (;;) {
        const candidates = [nextFollowUpDue(archive!), nextDigestTime(clock, options.followUps.office, options.timeZone), lookAt].filter((at): at is number => at !== null);
        if (candidates.length === 0) return;
        const next = Math.max(nextMinute(Math.min(...candidates)), clock);
        if (next >= t) return;
        clock = next;
        if (lookAt !== null && lookAt <= clock) lookAt = null;
        await bot.followUp();
        await bot.followUpsDelivered();
        // A scan that leaves something due now (a message that must wait) is looked at the next minute.
        if (nextFollowUpDue(archive!) === clock) clock += MINUTE;
      }
    };
    for (const event of events) {
      if (event.at > until) break;
      await runScansBefore(event.at);
      clock = Math.max(clock, event.at);
      transport.deliver(event);
      lookAt ??= nextMinute(event.at + Math.max(0, firstNudge - MINUTE));
    }
    await runScansBefore(until + 1);
    await bot.settled();
    await bot.stop();
    await running;

    const outgoing = readOutgoing(archive, transport);
    const tracked = directiveViews(archive, {});
    return { outgoing, chats: chats.length, messages: events.filter((event) => event.kind === "message" && event.at <= until).length, directives: tracked.length, tracked, from, until };
  } finally {
    archive?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Who a name in an export is: a number is that phone; a name the roster holds is that person's phone;
 * anyone else is known by name only, as an export knows them.
 */
function personFinder(roster: RosterEntry[]): (name: string) => LivePerson {
  const byName = new Map<string, string>();
  for (const entry of roster) if (entry.name) byName.set(nameKey(entry.name), entry.phone);
  return (name) => {
    const phone = phoneWrittenAs(name) ?? byName.get(nameKey(name)) ?? null;
    return phone ? { whatsappId: `${phone.slice(1)}@c.us`, phone, name } : { whatsappId: `name:${nameKey(name)}`, phone: null, name };
  };
}

/** What the bot sent, in order: follow-ups from the outbox, and anything else (replies to commands). */
function readOutgoing(archive: Archive, transport: MemoryTransport): Outgoing[] {
  const rows = archive.all(
    archive.db
      .selectFrom("outbox as o")
      .innerJoin("chats as c", "c.id", "o.chat_id")
      .leftJoin("directives as d", "d.message_id", "o.directive_id")
      .leftJoin("people as issuer", "issuer.id", "d.issuer_id")
      .select(["o.kind", "o.written_at", "o.people", "o.text", "o.send_to", "o.sent_whatsapp_id", "o.directive_id", "c.name as chat", "c.whatsapp_id as chat_whatsapp_id"])
      .select(["d.at as directive_at", "issuer.phone as issuer_phone", "issuer.name as issuer_name"])
      .orderBy("o.id"),
  );
  const ids = rows.flatMap((row) => JSON.parse(row.people) as number[]);
  const people = new Map(
    archive.all(archive.db.selectFrom("people").select(["id", "phone", "name"]).where("id", "in", ids.length > 0 ? ids : [-1])).map((person) => [person.id, { phone: person.phone, name: person.name }]),
  );
  const fromOutbox = new Set(rows.map((row) => row.sent_whatsapp_id));
  const chatNames = new Map(archive.all(archive.db.selectFrom("chats").select(["whatsapp_id", "name"])).map((chat) => [chat.whatsapp_id, chat.name]));
  const outgoing: Outgoing[] = rows.map((row) => ({
    at: row.written_at,
    kind: row.kind,
    chat: row.kind === "digest" ? null : row.chat,
    via: row.send_to === row.chat_whatsapp_id ? "group" : "direct",
    to: (JSON.parse(row.people) as number[]).map((id) => people.get(id) ?? { phone: null, name: "?" }),
    directive:
      row.directive_id !== null && row.directive_at !== null
        ? { id: row.directive_id, at: row.directive_at, from: { phone: row.issuer_phone, name: row.issuer_name ?? "" } }
        : null,
    text: row.text,
  }));
  for (const sent of transport.sent) {
    if (fromOutbox.has(sent.id)) continue;
    const group = chatNames.get(sent.chatId);
    outgoing.push({ at: sent.at, kind: "reply", chat: group ?? null, via: group ? "group" : "direct", to: [], directive: null, text: sent.text });
  }
  return outgoing.sort((a, b) => a.at - b.at);
}
