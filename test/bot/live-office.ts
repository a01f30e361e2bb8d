import { vi } from "vitest";
import { createBot, DEFAULT_BOT_SETTINGS, type BotSettings } from "../../src/bot/create-bot.js";
import { MemoryTransport } from "../../src/bot/memory-transport.js";
import type { LiveChat, LiveMessage, LivePerson } from "../../src/domain/live-event.js";
import { readLexicons } from "../../src/lexicons.js";
import type { MediaStore } from "../../src/store/media-store.js";
import type { Archive } from "../../src/store/open-archive.js";
import { applyRoster } from "../../src/store/people.js";
import type { FollowUpSettings } from "../../src/nudge-policy-file.js";
import { messagesFor } from "../../src/text.js";
import { dhaka, liveMessage, memoryLogger, testArchive } from "../support.js";

export const LEXICONS = readLexicons();
export const ZONE = "Asia/Dhaka";

export const DC: LivePerson = { whatsappId: "8801711000001@c.us", phone: "+8801711000001", name: "জেলা প্রশাসক" };
export const SAKHIPUR: LivePerson = { whatsappId: "8801711000013@c.us", phone: "+8801711000013", name: "ইউএনও সখীপুর" };
export const BASAIL: LivePerson = { whatsappId: "8801711000014@c.us", phone: "+8801711000014", name: "ইউএনও বাসাইল" };
export const NEZARAT: LivePerson = { whatsappId: "8801711000020@c.us", phone: "+8801711000020", name: "নেজারত ডেপুটি কালেক্টর" };
export const BOT: LivePerson = { whatsappId: "8801700000000@c.us", phone: "+8801700000000", name: "Nirdesh" };

export const OFFICE: LiveChat = { whatsappId: "120363000000000001@g.us", name: "ডিসি অফিস টাঙ্গাইল", isGroup: true };
export const OTHER_GROUP: LiveChat = { whatsappId: "120363000000000099@g.us", name: "পারিবারিক আড্ডা", isGroup: true };

/**
 * A DC office on the in-memory WhatsApp: a roster (the DC is a superior, two UNOs are officers, the
 * Nezarat deputy collector keeps the records), the office group with the bot in it, a real archive, and
 * a bot watching the group. Timers are fake, so reconnection, tracking and sending run on command.
 */
export async function liveOffice(options: {
    settings?: Partial<BotSettings>;
    start?: number;
    roster?: boolean;
    archive?: { archive: Archive; media: MediaStore; now?: () => number };
    /** The same WhatsApp as an earlier bot (a restart). */
    transport?: MemoryTransport;
    /** WhatsApp Web cannot be reached when the bot starts. */
    offline?: boolean;
    /** Nudges, reminders, escalations and digests, on the node-cron schedule (the fake clock drives it). */
    followUps?: FollowUpSettings;
    /** Where the bot logs (default: a debug-level memory logger). */
    logger?: ReturnType<typeof memoryLogger>;
  } = {},) {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
  vi.setSystemTime(options.start ?? options.archive?.now?.() ?? dhaka(2024, 10, 22, 10, 0));
  const setup = options.archive ?? (await testArchive());
  const now = () => Date.now();
  if (options.roster !== false) {
    applyRoster(
      setup.archive,
      [
        { line: 2, phone: DC.phone!, name: DC.name, designation: "জেলা প্রশাসক", roles: ["superior"] },
        { line: 3, phone: SAKHIPUR.phone!, name: SAKHIPUR.name, designation: "ইউএনও সখীপুর", roles: ["officer"] },
        { line: 4, phone: BASAIL.phone!, name: BASAIL.name, designation: "ইউএনও বাসাইল", roles: ["officer"] },
        { line: 5, phone: NEZARAT.phone!, name: NEZARAT.name, designation: "নেজারত ডেপুটি কালেক্টর", roles: ["recordkeeper"] },
      ],
      now(),
    );
  }
  const transport = options.transport ?? new MemoryTransport(BOT, now);
  if (!options.transport) transport.addGroup(OFFICE, [
    { person: DC, admin: true },
    { person: SAKHIPUR, admin: false },
    { person: BASAIL, admin: false },
    { person: NEZARAT, admin: false },
    { person: BOT, admin: false },
  ]);
  if (!options.transport) transport.addGroup(OTHER_GROUP, [{ person: SAKHIPUR, admin: true }, { person: BOT, admin: false }]);
  if (options.offline) transport.reachable = false;
  const logger = options.logger ?? memoryLogger("debug");
  const bot = createBot({
    transport,
    archive: setup.archive,
    media: setup.media,
    lexicons: LEXICONS,
    text: messagesFor("bn"),
    settings: {
      ...DEFAULT_BOT_SETTINGS,
      watch: [OFFICE.whatsappId],
      timeZone: ZONE,
      recycleMs: 0,
      sendLimits: { minGapMs: 0, jitterMs: 0, perMinute: 100, perDay: 1_000 },
      ...options.settings,
    },
    log: logger.log,
    now,
    random: () => 1,
    ...(options.followUps ? { followUps: options.followUps } : {}),
  });
  let counter = 0;
  /** A message someone sends, at the clock's time unless told. */
  const message = (sender: LivePerson, body: string, extra: Partial<LiveMessage> = {}): LiveMessage => liveMessage(OFFICE, sender, ++counter, now(), body, extra);
  const running = bot.run();
  await vi.advanceTimersByTimeAsync(0);
  const settle = async () => {
    await vi.advanceTimersByTimeAsync(0);
    await bot.settled();
  };
  const stop = async () => {
    await bot.stop();
    await running;
    vi.useRealTimers();
  };
  const rows = () => setup.archive.all(setup.archive.db.selectFrom("messages").selectAll().orderBy("seq"));
  const events = (kind?: string) => {
    let query = setup.archive.db.selectFrom("message_events").selectAll().orderBy("seq");
    if (kind) query = query.where("kind", "=", kind);
    return setup.archive.all(query);
  };
  return { ...setup, transport, bot, logger, message, settle, stop, rows, events, now, running };
}
