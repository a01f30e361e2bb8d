import type WAWebJS from "whatsapp-web.js";
import { type BotSettings, createBot, DEFAULT_BOT_SETTINGS } from "../../src/bot/create-bot.js";
import type { RosterEntry } from "../../src/domain/roster.js";
import { readLexicons } from "../../src/lexicons.js";
import { applyRoster } from "../../src/store/people.js";
import { messagesFor } from "../../src/text.js";
import { createWhatsAppTransport } from "../../src/whatsapp/whatsapp-transport.js";
import { fakeClock, memoryLogger, testArchive } from "../support.js";
import { FakeClient, FakePhone, GROUP, GROUP_NAME, ME, OTHER_GROUP, OTHER_GROUP_NAME, type Startup } from "./fake-client.js";

/** The people of the office, as their phones and the roster know them. */
export const DC = "8801711000011@c.us";
export const UNO = "8801711000013@c.us";
export const UNO_LID = "123456789012345@lid";
export const AC_LAND = "8801711000014@c.us";
export const STRANGER = "8801911000099@c.us";

export const ROSTER: RosterEntry[] = [
  { line: 2, phone: "+8801711000011", name: "জেলা প্রশাসক টাঙ্গাইল", designation: "DC", roles: ["superior"] },
  { line: 3, phone: "+8801711000013", name: "ইউএনও সখীপুর", designation: "UNO", roles: ["officer"] },
  { line: 4, phone: "+8801711000014", name: "এসি ল্যান্ড সখীপুর", designation: "AC Land", roles: ["officer"] },
];

export const LEXICONS = readLexicons(undefined);
export const TEXT = messagesFor("bn");

/** Seconds since the epoch of the fixed clock's start (22 Oct 2024, 12:00 in Dhaka), plus `minutes`. */
export const START = Date.UTC(2024, 9, 22, 6, 0, 0);
export const at = (minutes: number): number => Math.floor(START / 1000) + minutes * 60;

/** Every log line every bot of this file wrote, to check none gives away words or numbers. */
export const allLogLines: string[] = [];

/** The account's phone as most stories start: the watched office group, a family group, a direct chat. */
export function officePhone(now: () => number): FakePhone {
  const phone = new FakePhone(now);
  phone.addChat({
    id: GROUP,
    name: GROUP_NAME,
    isGroup: true,
    participants: [{ id: DC, isSuperAdmin: true }, { id: UNO }, { id: AC_LAND }, { id: ME }],
  });
  phone.addChat({ id: OTHER_GROUP, name: OTHER_GROUP_NAME, isGroup: true, participants: [{ id: UNO }, { id: STRANGER, isAdmin: true }, { id: ME }] });
  phone.addChat({ id: STRANGER, name: "রহিম", isGroup: false, participants: [] });
  phone.contacts.set(DC, { name: "DC Tangail", pushname: "DC" });
  phone.contacts.set(UNO, { name: "UNO Sakhipur", pushname: "UNO" });
  phone.contacts.set(AC_LAND, { pushname: "AC Land" });
  phone.lids.set(UNO_LID, UNO);
  return phone;
}

export interface StartOptions {
  /** What each successive client's initialize() does; the last one repeats. */
  startups?: Startup[];
  settings?: Partial<BotSettings>;
  roster?: RosterEntry[] | null;
  random?: () => number;
  /** Wait until the bot is connected and caught up (default), or return at once. */
  waitForReady?: boolean;
  /** Build the phone (default: officePhone). */
  phone?: (now: () => number) => FakePhone;
  /** Use an archive from an earlier run. */
  store?: Awaited<ReturnType<typeof testArchive>>;
  readyTimeoutMs?: number;
  healthCheckMs?: number;
}

/** The real bot over the real WhatsApp transport over a fake client, into a real archive. */
export async function startBot(options: StartOptions = {}) {
  const store = options.store ?? (await testArchive());
  const { archive, media } = store;
  const clock = fakeClock(START);
  const logger = memoryLogger();
  const phone = (options.phone ?? officePhone)(clock.now);
  if (options.roster !== null) applyRoster(archive, options.roster ?? ROSTER, clock.now());
  const startups = options.startups ?? [{ kind: "ready" }];
  const clients: FakeClient[] = [];
  const qrs: string[] = [];
  const codes: string[] = [];
  const transport = createWhatsAppTransport({
    newClient: () => {
      const client = new FakeClient(phone, startups[Math.min(clients.length, startups.length - 1)]);
      clients.push(client);
      return client;
    },
    newMedia: (document) => ({ mimetype: document.mimetype, data: document.data.toString("base64"), filename: document.fileName }) as unknown as WAWebJS.MessageMedia,
    onQr: (qr) => qrs.push(qr),
    onPairingCode: (code) => codes.push(code),
    log: logger.log.child({ part: "whatsapp" }),
    ...(options.readyTimeoutMs !== undefined ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
    ...(options.healthCheckMs !== undefined ? { healthCheckMs: options.healthCheckMs } : {}),
  });
  const settings: BotSettings = {
    ...DEFAULT_BOT_SETTINGS,
    watch: [GROUP],
    timeZone: "Asia/Dhaka",
    sendLimits: { minGapMs: 0, jitterMs: 0, perMinute: 100, perDay: 1000 },
    ...options.settings,
  };
  const bot = createBot({
    transport,
    archive,
    media,
    lexicons: LEXICONS,
    text: TEXT,
    settings,
    log: logger.log,
    now: clock.now,
    ...(options.random ? { random: options.random } : {}),
  });
  const running = bot.run();
  running.catch(() => undefined);
  let stopped = false;

  const logLines = () => logger.lines().map((line) => JSON.parse(line) as { level: number; msg: string; [key: string]: unknown });

  const harness = {
    bot,
    running,
    phone,
    clients,
    /** The client the bot talks to now. */
    get client(): FakeClient {
      const client = clients.at(-1);
      if (!client) throw new Error("no client was made");
      return client;
    },
    store,
    archive,
    media,
    clock,
    qrs,
    codes,
    lines: logger.lines,
    logLines,
    /** Waits until the bot has connected (on the newest client) and caught up with the watched group. */
    async ready(): Promise<void> {
      await until(() => {
        const opened = clients.filter((client) => client.opened).length;
        const lines = logLines();
        const connections = lines.filter((line) => line.msg === "connected to WhatsApp").length;
        const caughtUp = lines.filter((line) => line.msg === "caught up" || line.msg.startsWith("no watched group")).length;
        return bot.connected && opened > 0 && clients.at(-1)!.opened && connections === opened && caughtUp >= connections;
      }, "the bot to connect and catch up");
      await bot.settled();
    },
    /** The library emits an event on the current client; the bot archives what follows from it. */
    async emit(event: string, ...args: unknown[]): Promise<void> {
      harness.client.emit(event, ...args);
      await flush();
      await bot.settled();
    },
    /** A message arrives as the library brings it: message_create, then message. */
    async receive(incoming: WAWebJS.Message): Promise<void> {
      harness.client.receive(incoming);
      await flush();
      await bot.settled();
    },
    messages() {
      return archive.all(archive.db.selectFrom("messages").selectAll().orderBy("seq"));
    },
    events(kind?: string) {
      let query = archive.db.selectFrom("message_events").selectAll().orderBy("seq");
      if (kind) query = query.where("kind", "=", kind);
      return archive.all(query);
    },
    messageRow(whatsappId: string) {
      return archive.get(archive.db.selectFrom("messages").selectAll().where("whatsapp_id", "=", whatsappId));
    },
    personId(whatsappId: string): number | undefined {
      return archive.get(archive.db.selectFrom("people").select("id").where("whatsapp_id", "=", whatsappId))?.id;
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      live.delete(harness);
      await bot.stop();
      await running;
      allLogLines.push(...logger.lines());
    },
  };
  live.add(harness);
  if (options.waitForReady !== false) await harness.ready();
  return harness;
}

export type Harness = Awaited<ReturnType<typeof startBot>>;

/** Bots still running when a test ends (it failed half way): stopped before the archive is closed. */
export const live = new Set<{ stop(): Promise<void> }>();

export async function stopAll(): Promise<void> {
  for (const harness of [...live]) {
    live.delete(harness);
    await harness.stop();
  }
}

/** Lets the transport's reading chain and the bot's queue run (no timers: fake timers stay in control). */
export async function flush(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Waits, without timers, until `condition` holds. */
export async function until(condition: () => boolean, what: string, rounds = 5_000): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`timed out waiting for ${what}`);
}
