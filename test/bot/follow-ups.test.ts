import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import cron from "node-cron";
import { afterEach, chai, describe, expect, it, vi } from "vitest";
import { MemoryTransport } from "../../src/bot/memory-transport.js";
import { importChatExport } from "../../src/chat-export/import-chat-export.js";
import type { LivePerson } from "../../src/domain/live-event.js";
import { isDigestDue, nextDigestTime } from "../../src/domain/nudge-policy.js";
import { isOpen, nextOpening } from "../../src/domain/working-hours.js";
import { DEFAULT_NUDGE_POLICY, type FollowUpSettings, readNudgePolicy } from "../../src/nudge-policy-file.js";
import { directiveViews } from "../../src/store/directive-views.js";
import { lastDigestDay, nextFollowUpDue, waitingOutgoing } from "../../src/store/follow-ups.js";
import { applyRoster } from "../../src/store/people.js";
import { verifyChain } from "../../src/store/verify-chain.js";
import { type Messages, messagesFor } from "../../src/text.js";
import { dhaka, memoryLogger, temporaryFolder, testArchive } from "../support.js";
import { BASAIL, BOT, DC, liveOffice, NEZARAT, OFFICE, SAKHIPUR, ZONE } from "./live-office.js";

// Lists of what was said are compared whole: show them whole when they differ.
chai.config.truncateThreshold = 0;

type Office = Awaited<ReturnType<typeof liveOffice>>;
type OfficeOptions = NonNullable<Parameters<typeof liveOffice>[0]>;

/** Every bot a test started, with its follow-up settings. One a failed test left running is stopped, so its node-cron job does not run on into the next test. */
const started: Office[] = [];
const settingsOf = new WeakMap<Office, FollowUpSettings>();
afterEach(async () => {
  for (const o of started.splice(0)) await o.stop().catch(() => undefined);
  vi.useRealTimers();
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BANGLA = messagesFor("bn");
const ENGLISH = messagesFor("en");
const OFFICE_HOURS = DEFAULT_NUDGE_POLICY.normal.hours;
const URGENT_HOURS = DEFAULT_NUDGE_POLICY.urgent.hours;
/** Where the daily digest is not the story, it is switched off so it adds no line (and quiet hours can be skipped). */
const NO_DIGEST = { digestAt: null };

/** No deadline, asks for nothing back: only acknowledgements are awaited. */
const MARKET = "সকল ইউএনও নিজ নিজ উপজেলার বাজার মনিটরিং নিশ্চিত করবেন।";
/** A deadline today at 15:00, and figures to send back. */
const RELIEF = "সকল ইউএনও আজ বিকাল ৩টার মধ্যে ত্রাণ বিতরণের তথ্য পাঠাবেন।";
/** A deadline today at 15:00, but nothing to send back. */
const MARKET_BY_THREE = "সকল ইউএনও আজ বিকাল ৩টার মধ্যে নিজ নিজ উপজেলার বাজার মনিটরিং নিশ্চিত করবেন।";
/** Urgent (জরুরি, এখনই). */
const SHELTERS = "জরুরি: সকল ইউএনও এখনই নিজ নিজ উপজেলার আশ্রয়কেন্দ্র খোলা নিশ্চিত করবেন।";

const NUDGE_BN = "অনুগ্রহ করে নির্দেশনাটি গ্রহণ নিশ্চিত করুন।";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** A nudge policy file an office writes, in a folder of its own. */
function policyFile(content: object | string): string {
  const path = join(temporaryFolder(), "nudge-policy.json");
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

/** The office's follow-up settings: the defaults, or a policy file with these contents. */
function followUps(policy?: object, text: Messages = BANGLA): FollowUpSettings {
  return readNudgePolicy(policy === undefined ? undefined : policyFile(policy), text);
}

/** The DC office of live-office.ts with follow-ups (a restart when given an earlier one's archive and transport). */
async function startOffice(options: OfficeOptions & { followUps: FollowUpSettings }): Promise<Office> {
  const o = await liveOffice(options);
  started.push(o);
  settingsOf.set(o, options.followUps);
  return o;
}

/**
 * The DC office with follow-ups on, at `at` (Tuesday 22 October 2024, 10:00 unless told). The bot
 * started two minutes before, so the day's first scan has run before the story begins.
 */
async function office(options: Omit<OfficeOptions, "followUps"> & { policy?: object; text?: Messages; at?: number; followUps?: FollowUpSettings } = {}): Promise<Office> {
  const { policy, text, at = dhaka(2024, 10, 22, 10, 0), ...rest } = options;
  const o = await startOffice({
    ...rest,
    start: rest.start ?? at - 2 * MINUTE,
    followUps: rest.followUps ?? followUps(policy, text),
  });
  await runUntil(o, at);
  return o;
}

/** The node-cron jobs of bots still running. */
const runningJobs = () => [...cron.getTasks().values()].filter((task) => !["stopped", "destroyed"].includes(task.getStatus()));

/**
 * Until when nothing can happen, by what the archive says: the due index's next look, the next
 * digest, the opening for what is held outside its hours; and only while nothing is in the send
 * queue, no live directive is not yet taken up, and WhatsApp is connected. Null: something may
 * happen any minute.
 */
function quietUntil(o: Office): number | null {
  const settings = settingsOf.get(o)!;
  if (!settings.enabled) return Number.POSITIVE_INFINITY;
  if (!o.bot.connected || o.bot.outbox.waiting > 0) return null;
  // A message written and not sent waits for its hours (a nudge held overnight); inside them, any minute may send it.
  let held = Number.POSITIVE_INFINITY;
  for (const row of waitingOutgoing(o.archive)) {
    const hours = row.kind !== "digest" && row.urgent ? settings.office.urgent.hours : settings.office.normal.hours;
    const opens = nextOpening(o.now(), hours, ZONE);
    if (opens <= o.now()) return null;
    held = Math.min(held, opens);
  }
  const untaken = o.archive.get(
    sql<{ n: number }>`SELECT count(*) AS n FROM directives d JOIN messages m ON m.id = d.message_id
      WHERE d.directive = 1 AND m.source = 'live' AND d.at >= ${o.now() - 30 * 86_400_000}
        AND d.at >= (SELECT min(e.at) FROM message_events e WHERE e.chat_id = d.chat_id AND e.kind = 'system' AND e.source = 'live')
        AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.directive_id = d.message_id)`,
  );
  if ((untaken?.n ?? 0) > 0) return null;
  // A chat tracked a moment ago (a correction such as !জরুরি, an answer) is looked at again by the next scan.
  const recent = o.archive.get(sql<{ n: number }>`SELECT count(*) AS n FROM tracking WHERE tracked_at >= ${o.now() - 2 * MINUTE}`);
  if ((recent?.n ?? 0) > 0) return null;
  if (isDigestDue(lastDigestDay(o.archive), settings.office, ZONE, o.now())) return null;
  return Math.min(held, nextFollowUpDue(o.archive) ?? Number.POSITIVE_INFINITY, nextDigestTime(o.now(), settings.office, ZONE) ?? Number.POSITIVE_INFINITY);
}

/**
 * Runs the clock to `t`. Every minute's scan runs wherever something may happen; a stretch where the
 * archive says nothing can (a night, a weekend, the two hours between nudges) is jumped over, with
 * node-cron re-armed after it, so a test of days takes well under a second.
 */
async function runUntil(o: Office, t: number): Promise<void> {
  await o.settle();
  while (o.now() < t) {
    const quiet = quietUntil(o);
    const jumpTo = quiet === null ? 0 : Math.floor((Math.min(quiet, t) - MINUTE) / MINUTE) * MINUTE;
    if (jumpTo - o.now() > 2 * MINUTE) {
      const jobs = runningJobs();
      expect(jobs).toHaveLength(1);
      for (const job of jobs) await job.stop();
      vi.setSystemTime(jumpTo);
      for (const job of jobs) await job.start();
    } else {
      await vi.advanceTimersByTimeAsync(Math.min(MINUTE - (o.now() % MINUTE), t - o.now()));
    }
    await o.settle();
  }
}

/** Dhaka wall clock, as the office reads it: "Tue 22 10:30" (seconds only when there are some). */
function wall(t: number): string {
  const d = new Date(t + 6 * HOUR);
  const seconds = d.getUTCSeconds() ? `:${String(d.getUTCSeconds()).padStart(2, "0")}` : "";
  return `${["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.getUTCDay()]} ${d.getUTCDate()} ${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}${seconds}`;
}

const NAMES = new Map<string, string>([
  [DC.whatsappId, "DC"],
  [SAKHIPUR.whatsappId, "Sakhipur"],
  [BASAIL.whatsappId, "Basail"],
  [NEZARAT.whatsappId, "Nezarat"],
  [BOT.whatsappId, "bot"],
  [OFFICE.whatsappId, "group"],
]);
const nameOf = (id: string) => NAMES.get(id) ?? id;

type OutboxRow = { id: number; kind: string; text: string; send_to: string; status: string; people: string; directive_id: number | null; urgent: number; written_at: number; written_seq: number; sent_at: number | null; sent_whatsapp_id: string | null; attempts: number; last_error: string | null };
const outbox = (o: Office): OutboxRow[] => o.archive.all(o.archive.db.selectFrom("outbox").selectAll().orderBy("id")) as OutboxRow[];

/**
 * Everything the bot said on WhatsApp, in order: when, what (the outbox row's kind whose words and
 * chat it carries; "reply" for an answer to a command) and to whom ("group @Basail" or "DC").
 */
function said(o: Office): string[] {
  const rows = outbox(o);
  return o.transport.sent.map((message) => {
    const row = rows.find((r) => r.text === message.text && r.send_to === message.chatId);
    const kind = row?.kind ?? "reply";
    const to = message.chatId === OFFICE.whatsappId ? ["group", ...(message.mentions ?? []).map((id) => `@${nameOf(id)}`)].join(" ") : nameOf(message.chatId);
    return `${wall(message.at)} ${kind} → ${to}`;
  });
}
const followUpsSaid = (o: Office) => said(o).filter((line) => !line.includes(" reply → "));

/**
 * What the issue promises, checked over everything the bot sent: every nudge, reminder and escalation
 * inside the hours of its directive (the digest inside office hours); nobody nudged after they
 * acknowledged; nobody nudged more than three times for a directive; each sent message on record once.
 */
function expectRulesKept(o: Office, maxNudges = 3): void {
  const rows = outbox(o);
  const personOf = new Map(o.archive.all(o.archive.db.selectFrom("people").select(["id", "whatsapp_id"])).map((p) => [p.id, p.whatsapp_id]));
  const answers = o.archive.all(o.archive.db.selectFrom("directive_people").select(["directive_id", "person_id", "acknowledged_at"]));
  const nudges = new Map<string, number>();
  for (const message of o.transport.sent) {
    const row = rows.find((r) => r.text === message.text && r.send_to === message.chatId);
    if (!row) continue;
    const hours = row.kind === "digest" ? OFFICE_HOURS : row.urgent ? URGENT_HOURS : OFFICE_HOURS;
    expect(isOpen(message.at, hours, ZONE), `${row.kind} sent at ${wall(message.at)}, outside its hours`).toBe(true);
    if (row.kind !== "nudge") continue;
    for (const personId of JSON.parse(row.people) as number[]) {
      const answer = answers.find((a) => a.directive_id === row.directive_id && a.person_id === personId);
      const acknowledged = answer?.acknowledged_at ?? null;
      expect(acknowledged === null || acknowledged > message.at, `${nameOf(personOf.get(personId) ?? "")} nudged at ${wall(message.at)} after acknowledging at ${acknowledged && wall(acknowledged)}`).toBe(true);
      const key = `${row.directive_id}/${personId}`;
      nudges.set(key, (nudges.get(key) ?? 0) + 1);
    }
  }
  for (const [key, count] of nudges) expect(count, `nudges for ${key}`).toBeLessThanOrEqual(maxNudges);
  const followUpMessages = o.transport.sent.filter((message) => rows.some((r) => r.text === message.text && r.send_to === message.chatId));
  expect(followUpMessages.length, "messages sent vs outbox rows marked sent").toBe(rows.filter((r) => r.status === "sent").length);
}

/** The DC gives a directive in the group now. */
function give(o: Office, body: string, extra: Parameters<Office["message"]>[2] = {}) {
  const directive = o.message(DC, body, extra);
  o.transport.deliver(directive);
  return directive;
}

/** An officer answers the directive by replying to it. */
function reply(o: Office, who: LivePerson, directive: { id: string }, body = "জি স্যার") {
  o.transport.deliver(o.message(who, body, { quotedId: directive.id }));
}

const mentionsOf = (...people: LivePerson[]) => people.map((p) => `@${p.phone!.replace("+", "")}`).join(" ");

/** The ADC of Tangail, in the group when a test adds him. */
const ADC: LivePerson = { whatsappId: "8801711000002@c.us", phone: "+8801711000002", name: "অতিরিক্ত জেলা প্রশাসক" };
NAMES.set(ADC.whatsappId, "ADC");

/** The office with an ADC in the group and a roster that gives people two roles. */
async function officeWithTwoRoles(roles: { adc: Array<"superior" | "officer" | "recordkeeper">; nezarat: Array<"superior" | "officer" | "recordkeeper"> }, policy: object = NO_DIGEST) {
  const setup = await testArchive();
  const start = dhaka(2024, 10, 22, 9, 58);
  applyRoster(
    setup.archive,
    [
      { line: 2, phone: DC.phone!, name: DC.name, designation: "জেলা প্রশাসক", roles: ["superior"] },
      { line: 3, phone: ADC.phone!, name: ADC.name, designation: "এডিসি (সার্বিক)", roles: roles.adc },
      { line: 4, phone: SAKHIPUR.phone!, name: SAKHIPUR.name, designation: "ইউএনও সখীপুর", roles: ["officer"] },
      { line: 5, phone: BASAIL.phone!, name: BASAIL.name, designation: "ইউএনও বাসাইল", roles: ["officer"] },
      { line: 6, phone: NEZARAT.phone!, name: NEZARAT.name, designation: "নেজারত ডেপুটি কালেক্টর", roles: roles.nezarat },
    ],
    start,
  );
  const transport = new MemoryTransport(BOT, () => Date.now());
  transport.addGroup(OFFICE, [DC, ADC, SAKHIPUR, BASAIL, NEZARAT, BOT].map((person) => ({ person, admin: person === DC })));
  return office({ archive: setup, transport, roster: false, start, policy });
}


// ---------------------------------------------------------------------------------------------
// The default schedule
// ---------------------------------------------------------------------------------------------

describe("the default schedule: 30 minutes, every 2 hours, three nudges, then the issuer is told", () => {
  it("the UNO of Basail never answers, so he is nudged three times in the group and the DC is told at 16:30", async () => {
    const o = await office({ policy: NO_DIGEST });
    const directive = give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 10, 5));
    reply(o, SAKHIPUR, directive);
    await runUntil(o, dhaka(2024, 10, 23, 8, 59));

    expect(followUpsSaid(o)).toEqual([
      "Tue 22 10:30 nudge → group @Basail",
      "Tue 22 12:30 nudge → group @Basail",
      "Tue 22 14:30 nudge → group @Basail",
      "Tue 22 16:30 escalation → DC",
    ]);
    for (const nudge of o.transport.sent.slice(0, 3)) {
      expect(nudge).toMatchObject({ chatId: OFFICE.whatsappId, text: `${mentionsOf(BASAIL)} ${NUDGE_BN}`, quotedId: directive.id, mentions: [BASAIL.whatsappId] });
    }
    const escalation = o.transport.sent.at(-1)!;
    expect(escalation.chatId).toBe(DC.whatsappId);
    expect(escalation.text).toBe(`${OFFICE.name} গ্রুপে আপনার নির্দেশনা (২২/১০ ১০:০০):\n«${MARKET}»\nএখনো গ্রহণ নিশ্চিত করেননি: ${BASAIL.name}। (মনে করিয়ে দেওয়া হয়েছে ৩ বার)`);
    // An escalation names people; it never spells out a phone number.
    expect(escalation.text).not.toMatch(/\d{6,}|[০-৯]{6,}|\+880/);
    expect(nextFollowUpDue(o.archive)).toBeNull();
    expectRulesKept(o);
    await o.stop();
  });

  it("a 13:00 directive: 13:30, 15:30, then the nudge due at 17:30 waits for Wednesday 09:00 (with the DC's digest), and the DC is told at 11:00", async () => {
    const o = await office({ at: dhaka(2024, 10, 22, 13, 0) });
    await runUntil(o, dhaka(2024, 10, 22, 13, 0));
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 23, 11, 1));

    expect(followUpsSaid(o)).toEqual([
      "Tue 22 13:30 nudge → group @Sakhipur @Basail",
      "Tue 22 15:30 nudge → group @Sakhipur @Basail",
      "Wed 23 09:00 nudge → group @Sakhipur @Basail",
      "Wed 23 09:00 digest → DC",
      "Wed 23 11:00 escalation → DC",
    ]);
    expectRulesKept(o);
    await o.stop();
  });

  it("a Thursday 14:00 directive: the weekend passes in silence and the third nudge comes on Sunday at 09:00", async () => {
    const o = await office({ at: dhaka(2024, 10, 24, 14, 0) });
    await runUntil(o, dhaka(2024, 10, 24, 14, 0));
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 27, 11, 1));

    expect(followUpsSaid(o)).toEqual([
      "Thu 24 14:30 nudge → group @Sakhipur @Basail",
      "Thu 24 16:30 nudge → group @Sakhipur @Basail",
      "Sun 27 09:00 nudge → group @Sakhipur @Basail",
      "Sun 27 09:00 digest → DC",
      "Sun 27 11:00 escalation → DC",
    ]);
    expectRulesKept(o);
    await o.stop();
  });

  it("when Sunday 27 October is a holiday in the office's file (written ২০২৪-১০-২৭), the nudge and the digest wait for Monday", async () => {
    const settings = followUps({ holidays: ["২০২৪-১০-২৭"] });
    expect(settings.office.normal.hours.holidays).toEqual(["2024-10-27"]);
    const o = await office({ at: dhaka(2024, 10, 24, 14, 0), followUps: settings });
    await runUntil(o, dhaka(2024, 10, 24, 14, 0));
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 28, 11, 1));

    expect(followUpsSaid(o)).toEqual([
      "Thu 24 14:30 nudge → group @Sakhipur @Basail",
      "Thu 24 16:30 nudge → group @Sakhipur @Basail",
      "Mon 28 09:00 nudge → group @Sakhipur @Basail",
      "Mon 28 09:00 digest → DC",
      "Mon 28 11:00 escalation → DC",
    ]);
    await o.stop();
  });

  it("an urgent directive at 20:55 on Thursday: nothing at 21:05; nudged from 08:00 on Friday every 30 minutes, the DC told at 09:30", async () => {
    const o = await office({ at: dhaka(2024, 10, 24, 20, 55) });
    await runUntil(o, dhaka(2024, 10, 24, 20, 55));
    const directive = give(o, SHELTERS);
    await runUntil(o, dhaka(2024, 10, 24, 21, 10));
    expect(followUpsSaid(o)).toEqual([]);
    await runUntil(o, dhaka(2024, 10, 25, 12, 0));

    expect(followUpsSaid(o)).toEqual([
      "Fri 25 08:00 nudge → group @Sakhipur @Basail",
      "Fri 25 08:30 nudge → group @Sakhipur @Basail",
      "Fri 25 09:00 nudge → group @Sakhipur @Basail",
      "Fri 25 09:30 escalation → DC",
    ]);
    expect(o.transport.sent[0]).toMatchObject({ text: `${mentionsOf(SAKHIPUR, BASAIL)} জরুরি নির্দেশনা: অনুগ্রহ করে এখনই গ্রহণ নিশ্চিত করুন।`, quotedId: directive.id });
    expectRulesKept(o);
    await o.stop();
  });
});

describe("urgent by the DC's word", () => {
  it("the DC replies !জরুরি to his directive at 10:05: it is followed up as urgent from then on (10:10, 10:40, 11:10, the DC told at 11:40)", async () => {
    const o = await office({ policy: NO_DIGEST });
    const directive = give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 10, 5));
    o.transport.deliver(o.message(DC, "!জরুরি", { quotedId: directive.id }));
    await runUntil(o, dhaka(2024, 10, 22, 12, 0));

    expect(followUpsSaid(o)).toEqual([
      "Tue 22 10:10 nudge → group @Sakhipur @Basail",
      "Tue 22 10:40 nudge → group @Sakhipur @Basail",
      "Tue 22 11:10 nudge → group @Sakhipur @Basail",
      "Tue 22 11:40 escalation → DC",
    ]);
    expect(o.transport.sent.find((message) => message.at === dhaka(2024, 10, 22, 10, 10))?.text).toBe(`${mentionsOf(SAKHIPUR, BASAIL)} জরুরি নির্দেশনা: অনুগ্রহ করে এখনই গ্রহণ নিশ্চিত করুন।`);
    await o.stop();
  });

  it("an ordinary directive of 20:40 on Thursday that the DC marks !urgent at 20:50 is nudged at 20:51 and again at 08:00 on Friday, not left until Sunday", async () => {
    const o = await office({ at: dhaka(2024, 10, 24, 20, 40), policy: NO_DIGEST });
    const directive = give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 24, 20, 50));
    o.transport.deliver(o.message(DC, "!urgent", { quotedId: directive.id }));
    await runUntil(o, dhaka(2024, 10, 25, 8, 1));

    expect(followUpsSaid(o)).toEqual(["Thu 24 20:51 nudge → group @Sakhipur @Basail", "Fri 25 08:00 nudge → group @Sakhipur @Basail"]);
    await o.stop();
  });
});

// ---------------------------------------------------------------------------------------------
// Who is nudged
// ---------------------------------------------------------------------------------------------

describe("nobody is nudged after acknowledging", () => {
  it.each([
    ["replies জি স্যার to the directive", (o: Office, directive: { id: string }) => reply(o, BASAIL, directive)],
    ["reacts 👍 to the directive", (o: Office, directive: { id: string }) => o.transport.deliver({ kind: "reaction", chat: OFFICE, messageId: directive.id, sender: BASAIL, at: o.now(), emoji: "👍" })],
    ["writes a plain জি স্যার in the group", (o: Office) => o.transport.deliver(o.message(BASAIL, "জি স্যার"))],
  ])("the UNO of Basail %s after the first nudge: he is not nudged again, and the DC hears only of Sakhipur", async (_, acknowledge) => {
    const o = await office({ policy: NO_DIGEST });
    const directive = give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 11, 0));
    acknowledge(o, directive);
    await runUntil(o, dhaka(2024, 10, 22, 17, 0));

    expect(followUpsSaid(o)).toEqual([
      "Tue 22 10:30 nudge → group @Sakhipur @Basail",
      "Tue 22 12:30 nudge → group @Sakhipur",
      "Tue 22 14:30 nudge → group @Sakhipur",
      "Tue 22 16:30 escalation → DC",
    ]);
    expect(o.transport.sent.at(-1)!.text).toContain(`গ্রহণ নিশ্চিত করেননি: ${SAKHIPUR.name}।`);
    expectRulesKept(o);
    await o.stop();
  });

  it.each([
    ["10:29:00", dhaka(2024, 10, 22, 10, 29, 0)],
    ["10:29:59", dhaka(2024, 10, 22, 10, 29, 59)],
  ])("the UNO of Sakhipur acknowledges at %s, just before the first nudge: he is not nudged, Basail still is", async (_, when) => {
    const o = await office({ policy: NO_DIGEST });
    const directive = give(o, MARKET);
    await runUntil(o, when);
    reply(o, SAKHIPUR, directive);
    await runUntil(o, dhaka(2024, 10, 22, 10, 31));

    expect(followUpsSaid(o)).toEqual(["Tue 22 10:30 nudge → group @Basail"]);
    expectRulesKept(o);
    await o.stop();
  });

  it("when both UNOs acknowledge before 10:30 nothing is ever sent, not even in the DC's digest the next morning", async () => {
    const o = await office({ at: dhaka(2024, 10, 22, 9, 0) });
    await runUntil(o, dhaka(2024, 10, 22, 10, 0));
    const directive = give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 10, 10));
    reply(o, SAKHIPUR, directive);
    o.transport.deliver({ kind: "reaction", chat: OFFICE, messageId: directive.id, sender: BASAIL, at: o.now(), emoji: "👍" });
    await runUntil(o, dhaka(2024, 10, 23, 9, 30));

    expect(followUpsSaid(o)).toEqual([]);
    expect(outbox(o)).toEqual([]);
    await o.stop();
  });
});

describe("who is never nudged", () => {
  it("the DC and the Nezarat deputy collector (the record keeper) are never nudged nor named, though they never answer", async () => {
    const o = await office({ policy: NO_DIGEST });
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 17, 0));

    const [tracked] = directiveViews(o.archive, {});
    expect(tracked?.expected.map((person) => person.name).sort()).toEqual([SAKHIPUR.name, BASAIL.name].sort());
    expect(followUpsSaid(o)).toEqual([
      "Tue 22 10:30 nudge → group @Sakhipur @Basail",
      "Tue 22 12:30 nudge → group @Sakhipur @Basail",
      "Tue 22 14:30 nudge → group @Sakhipur @Basail",
      "Tue 22 16:30 escalation → DC",
    ]);
    expect(o.transport.sent.at(-1)!.text).toContain(`গ্রহণ নিশ্চিত করেননি: ${SAKHIPUR.name}, ${BASAIL.name}।`);
    expect(o.transport.sent.map((message) => message.text).join("\n")).not.toContain(NEZARAT.name);
    await o.stop();
  });

  // Superiors and record keepers are never nudged; someone the roster also calls an officer owes the
  // DC's directives an answer like any officer (tracking expects one), and is reminded like one.
  it("the ADC, a superior the roster also calls an officer, owes the DC an answer and is nudged with the UNOs", async () => {
    const o = await officeWithTwoRoles({ adc: ["superior", "officer"], nezarat: ["recordkeeper"] });
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 10, 31));
    expect(followUpsSaid(o)).toEqual(["Tue 22 10:30 nudge → group @ADC @Sakhipur @Basail"]);
    await o.stop();
  });

  it("the Nezarat deputy collector, a record keeper the roster also calls an officer, is nudged as an officer; the ADC, a superior only, is not", async () => {
    const o = await officeWithTwoRoles({ adc: ["superior"], nezarat: ["officer", "recordkeeper"] });
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 10, 31));
    expect(followUpsSaid(o)).toEqual(["Tue 22 10:30 nudge → group @Sakhipur @Basail @Nezarat"]);
    await o.stop();
  });

  it("without a roster (admins are superiors, the rest officers) the bot's own account is never nudged", async () => {
    const o = await office({ roster: false, policy: NO_DIGEST });
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 10, 31));
    expect(followUpsSaid(o)).toEqual(["Tue 22 10:30 nudge → group @Sakhipur @Basail @Nezarat"]);
    await o.stop();
  });

  it("the UNO of Basail leaves the group at 10:10 unanswered: he is never nudged, and the DC is told he never acknowledged", async () => {
    const o = await office({ policy: NO_DIGEST });
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 10, 10));
    o.transport.deliver({ kind: "membership", chat: OFFICE, id: "false_120363000000000001@g.us_LEFT1_8801711000014@c.us", action: "left", actor: BASAIL, people: [BASAIL], at: o.now(), body: "" });
    await runUntil(o, dhaka(2024, 10, 22, 17, 0));

    expect(followUpsSaid(o)).toEqual([
      "Tue 22 10:30 nudge → group @Sakhipur",
      "Tue 22 12:30 nudge → group @Sakhipur",
      "Tue 22 14:30 nudge → group @Sakhipur",
      "Tue 22 16:30 escalation → DC",
    ]);
    expect(o.transport.sent.at(-1)!.text).toContain(`গ্রহণ নিশ্চিত করেননি: ${SAKHIPUR.name}, ${BASAIL.name}।`);
    await o.stop();
  });
});

describe("history is never nudged", () => {
  it("a directive imported from a chat export a minute after it was given is archived as owed, but nobody is nudged for it", async () => {
    const o = await office({ policy: NO_DIGEST });
    await runUntil(o, dhaka(2024, 10, 22, 10, 6));
    const exportPath = join(temporaryFolder(), "WhatsApp Chat with ডিসি অফিস টাঙ্গাইল.txt");
    writeFileSync(
      exportPath,
      ["22/10/2024, 09:50 - +880 1711-000013: শুভ সকাল", "22/10/2024, 09:51 - +880 1711-000014: শুভ সকাল স্যার", `22/10/2024, 10:05 - +880 1711-000001: ${MARKET}`, ""].join("\n"),
    );
    await importChatExport(o.archive, o.media, exportPath, { timeZone: ZONE, chatName: OFFICE.name }, o.now, memoryLogger().log);
    await runUntil(o, dhaka(2024, 10, 22, 17, 0));

    const imported = directiveViews(o.archive, { pendingOnly: true });
    expect(imported.map((d) => d.pending.map((p) => p.name).sort())).toEqual([[SAKHIPUR.name, BASAIL.name].sort()]);
    expect(followUpsSaid(o)).toEqual([]);
    expect(outbox(o)).toEqual([]);
    await o.stop();
  });

  it("a directive of Sunday that the bot first sees on Tuesday, when it catches up after being offline, is never nudged", async () => {
    const o = await office({ offline: true, policy: NO_DIGEST });
    o.transport.deliver(o.message(DC, MARKET, { at: dhaka(2024, 10, 20, 11, 0) }));
    o.transport.reachable = true;
    await runUntil(o, dhaka(2024, 10, 22, 17, 0));

    expect(o.rows().map((row) => [row.body, row.archived_at - row.at > 24 * HOUR])).toEqual([[MARKET, true]]);
    expect(directiveViews(o.archive, { pendingOnly: true })).toHaveLength(1);
    expect(followUpsSaid(o)).toEqual([]);
    await o.stop();
  });

  it("but a directive of 08:00 that the bot, watching the group since 07:50, catches up after being down two hours is followed up at once", async () => {
    const o = await office({ at: dhaka(2024, 10, 22, 7, 50), policy: NO_DIGEST });
    o.transport.reachable = false;
    o.transport.drop();
    await o.settle();
    o.transport.deliver(o.message(DC, MARKET, { at: dhaka(2024, 10, 22, 8, 0) }));
    await runUntil(o, dhaka(2024, 10, 22, 9, 59));
    o.transport.reachable = true;
    await runUntil(o, dhaka(2024, 10, 22, 10, 10));

    // Back within the bot's five-minute backoff; the first scan after the catch-up nudges.
    const said = followUpsSaid(o);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^Tue 22 10:0[0-6] nudge → group @Sakhipur @Basail$/);
    await o.stop();
  });
});

describe("a directive that is no longer one stops being followed up", () => {
  it("the DC replies !নয় at 10:20: nobody is nudged", async () => {
    const o = await office({ policy: NO_DIGEST });
    const directive = give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 10, 20));
    o.transport.deliver(o.message(DC, "!নয়", { quotedId: directive.id }));
    await runUntil(o, dhaka(2024, 10, 22, 17, 0));

    expect(said(o)).toEqual(["Tue 22 10:20 reply → group"]);
    expect(outbox(o)).toEqual([]);
    await o.stop();
  });

  it("the DC un-marks it after the first nudge: no second nudge, no escalation", async () => {
    const o = await office({ policy: NO_DIGEST });
    const directive = give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 11, 0));
    o.transport.deliver(o.message(DC, "!নয়", { quotedId: directive.id }));
    await runUntil(o, dhaka(2024, 10, 22, 17, 0));

    expect(followUpsSaid(o)).toEqual(["Tue 22 10:30 nudge → group @Sakhipur @Basail"]);
    await o.stop();
  });

  it("the DC edits his message into a plain thank-you at 10:20: nobody is nudged", async () => {
    const o = await office({ policy: NO_DIGEST });
    const directive = give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 10, 20));
    o.transport.deliver({ kind: "edit", chat: OFFICE, messageId: directive.id, sender: DC, at: o.now(), body: "ধন্যবাদ সবাইকে।" });
    await runUntil(o, dhaka(2024, 10, 22, 17, 0));

    expect(followUpsSaid(o)).toEqual([]);
    await o.stop();
  });
});

// ---------------------------------------------------------------------------------------------
// Reminders before a deadline
// ---------------------------------------------------------------------------------------------

describe("a reminder before a deadline, to those who acknowledged and have not reported", () => {
  it("the relief figures are due at 15:00: Sakhipur, who acknowledged, is reminded at 13:00; Basail, who did not, is nudged and reported", async () => {
    const o = await office({ policy: NO_DIGEST });
    const directive = give(o, RELIEF);
    await runUntil(o, dhaka(2024, 10, 22, 10, 5));
    reply(o, SAKHIPUR, directive);
    await runUntil(o, dhaka(2024, 10, 22, 17, 0));

    expect(followUpsSaid(o)).toEqual([
      "Tue 22 10:30 nudge → group @Basail",
      "Tue 22 12:30 nudge → group @Basail",
      "Tue 22 13:00 reminder → group @Sakhipur",
      "Tue 22 14:30 nudge → group @Basail",
      "Tue 22 16:30 escalation → DC",
    ]);
    const reminder = o.transport.sent.find((message) => message.at === dhaka(2024, 10, 22, 13, 0))!;
    expect(reminder).toMatchObject({
      chatId: OFFICE.whatsappId,
      text: `${mentionsOf(SAKHIPUR)} এই নির্দেশনার সময়সীমা ২২/১০ ১৫:০০; কাজ শেষ হলে অনুগ্রহ করে প্রতিবেদন দিন।`,
      quotedId: directive.id,
      mentions: [SAKHIPUR.whatsappId],
    });
    expectRulesKept(o);
    await o.stop();
  });

  it("an officer who reported done at 12:00 is not reminded; the one who only acknowledged is", async () => {
    const o = await office({ policy: NO_DIGEST });
    const directive = give(o, RELIEF);
    await runUntil(o, dhaka(2024, 10, 22, 10, 5));
    reply(o, SAKHIPUR, directive);
    reply(o, BASAIL, directive);
    await runUntil(o, dhaka(2024, 10, 22, 12, 0));
    reply(o, SAKHIPUR, directive, "ত্রাণ বিতরণের তথ্য পাঠানো হয়েছে।");
    await runUntil(o, dhaka(2024, 10, 22, 17, 0));

    expect(followUpsSaid(o)).toEqual(["Tue 22 13:00 reminder → group @Basail"]);
    await o.stop();
  });

  it("a deadline on a directive that asks for nothing back brings no reminder", async () => {
    const o = await office({ policy: NO_DIGEST });
    const directive = give(o, MARKET_BY_THREE);
    await runUntil(o, dhaka(2024, 10, 22, 10, 5));
    reply(o, SAKHIPUR, directive);
    reply(o, BASAIL, directive);
    await runUntil(o, dhaka(2024, 10, 22, 17, 0));

    expect(followUpsSaid(o)).toEqual([]);
    await o.stop();
  });
});

// ---------------------------------------------------------------------------------------------
// Delivery, wording and the office's own rules
// ---------------------------------------------------------------------------------------------

describe("delivery and wording", () => {
  it("with \"delivery\": \"direct\", each UNO gets one direct message of his own, and nothing is said in the group", async () => {
    const o = await office({ policy: { ...NO_DIGEST, delivery: "direct" } });
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 12, 31));

    expect(followUpsSaid(o)).toEqual(["Tue 22 10:30 nudge → Sakhipur", "Tue 22 10:30 nudge → Basail", "Tue 22 12:30 nudge → Sakhipur", "Tue 22 12:30 nudge → Basail"]);
    const text = `${OFFICE.name} গ্রুপে ${DC.name}-এর নির্দেশনা (২২/১০ ১০:০০):\n«${MARKET}»\nঅনুগ্রহ করে গ্রুপে নির্দেশনাটি গ্রহণ নিশ্চিত করুন।`;
    expect(o.transport.sent.slice(0, 2).map((message) => [message.chatId, message.text, message.quotedId, message.mentions])).toEqual([
      [SAKHIPUR.whatsappId, text, undefined, undefined],
      [BASAIL.whatsappId, text, undefined, undefined],
    ]);
    expectRulesKept(o);
    await o.stop();
  });

  it("with direct messages, the DC's escalation still says three reminders (per officer), not six (messages)", async () => {
    const o = await office({ policy: { ...NO_DIGEST, delivery: "direct" } });
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 17, 0));

    expect(followUpsSaid(o).filter((line) => line.includes("nudge"))).toHaveLength(6);
    expect(followUpsSaid(o).at(-1)).toBe("Tue 22 16:30 escalation → DC");
    expect(o.transport.sent.at(-1)!.text).toBe(`${OFFICE.name} গ্রুপে আপনার নির্দেশনা (২২/১০ ১০:০০):\n«${MARKET}»\nএখনো গ্রহণ নিশ্চিত করেননি: ${SAKHIPUR.name}, ${BASAIL.name}। (মনে করিয়ে দেওয়া হয়েছে ৩ বার)`);
    expectRulesKept(o);
    await o.stop();
  });

  it("in English when the office's language is English", async () => {
    const o = await office({ text: ENGLISH, policy: { ...NO_DIGEST, maxNudges: 1 } });
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 12, 31));

    expect(followUpsSaid(o)).toEqual(["Tue 22 10:30 nudge → group @Sakhipur @Basail", "Tue 22 12:30 escalation → DC"]);
    expect(o.transport.sent.map((message) => message.text)).toEqual([
      `${mentionsOf(SAKHIPUR, BASAIL)} please confirm you have received this directive.`,
      `Your directive in ${OFFICE.name} (22/10 10:00):\n«${MARKET}»\nNot yet acknowledged by: ${SAKHIPUR.name}, ${BASAIL.name}. (Reminders sent: 1)`,
    ]);
    await o.stop();
  });

  it("the office's own templates, and a group's own (by its exact name), replace the built-in words", async () => {
    const o = await office({
      policy: {
        ...NO_DIGEST,
        maxNudges: 1,
        templates: { nudge: "{officers} — {group}: দয়া করে সাড়া দিন", escalation: "স্যার, {officers} সাড়া দেননি ({nudges} বার)।" },
        groups: { [OFFICE.name]: { templates: { nudge: "{officers} গ্রুপের নিজস্ব তাগিদ ({at})" } } },
      },
    });
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 12, 31));

    expect(o.transport.sent.map((message) => message.text)).toEqual([
      `${mentionsOf(SAKHIPUR, BASAIL)} গ্রুপের নিজস্ব তাগিদ (২২/১০ ১০:০০)`,
      `স্যার, ${SAKHIPUR.name}, ${BASAIL.name} সাড়া দেননি (১ বার)।`,
    ]);
    await o.stop();
  });

  it("a group's own rules (by WhatsApp id) win over the office's; another group's rules do not touch it", async () => {
    const o = await office({
      policy: {
        ...NO_DIGEST,
        firstAfterMinutes: 60,
        groups: { [OFFICE.whatsappId]: { firstAfterMinutes: 15, everyMinutes: 45 }, "পারিবারিক আড্ডা": { firstAfterMinutes: 1 } },
      },
    });
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 12, 31));

    expect(followUpsSaid(o)).toEqual([
      "Tue 22 10:15 nudge → group @Sakhipur @Basail",
      "Tue 22 11:00 nudge → group @Sakhipur @Basail",
      "Tue 22 11:45 nudge → group @Sakhipur @Basail",
      "Tue 22 12:30 escalation → DC",
    ]);
    await o.stop();
  });

  it("with \"enabled\": false nothing is written or sent, all day and the next morning", async () => {
    const o = await office({ policy: { enabled: false } });
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 23, 10, 0));

    expect(said(o)).toEqual([]);
    expect(outbox(o)).toEqual([]);
    expect(o.events("outgoing")).toEqual([]);
    await o.stop();
  });
});

// ---------------------------------------------------------------------------------------------
// The daily digest
// ---------------------------------------------------------------------------------------------

describe("the daily digest to each issuer", () => {
  it("at 09:00 on the next working day the DC gets one digest of what is still owed and by whom, once that day", async () => {
    const o = await office({ at: dhaka(2024, 10, 22, 16, 0) });
    await runUntil(o, dhaka(2024, 10, 22, 16, 0));
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 23, 10, 5));

    expect(followUpsSaid(o)).toEqual([
      "Tue 22 16:30 nudge → group @Sakhipur @Basail",
      "Wed 23 09:00 nudge → group @Sakhipur @Basail",
      "Wed 23 09:00 digest → DC",
    ]);
    const digest = o.transport.sent.find((message) => message.chatId === DC.whatsappId)!;
    expect(digest.text).toBe(`আপনার যেসব নির্দেশনায় সাড়া এখনো বাকি (১টি):\n• ${OFFICE.name}, ২২/১০ ১৬:০০: «${MARKET}» — বাকি: ${SAKHIPUR.name}, ${BASAIL.name}`);
    expect(digest.text).not.toMatch(/\d{6,}|[০-৯]{6,}/);
    expect(outbox(o).filter((row) => row.kind === "digest").map((row) => row.send_to)).toEqual([DC.whatsappId]);
    await o.stop();
  });

  it("each issuer gets his own digest: the DC's lists the DC's directive, the ADC's the ADC's", async () => {
    const o = await officeWithTwoRoles({ adc: ["superior"], nezarat: ["recordkeeper"] }, {});
    await runUntil(o, dhaka(2024, 10, 22, 16, 0));
    give(o, MARKET);
    o.transport.deliver(o.message(ADC, MARKET_BY_THREE.replace("আজ বিকাল ৩টার মধ্যে ", "")));
    await runUntil(o, dhaka(2024, 10, 23, 9, 5));

    const digests = o.transport.sent.filter((message) => outbox(o).some((row) => row.kind === "digest" && row.text === message.text));
    expect(digests.map((message) => [wall(message.at), nameOf(message.chatId)])).toEqual([
      ["Wed 23 09:00", "DC"],
      ["Wed 23 09:00", "ADC"],
    ]);
    expect(digests[0]!.text).toBe(`আপনার যেসব নির্দেশনায় সাড়া এখনো বাকি (১টি):\n• ${OFFICE.name}, ২২/১০ ১৬:০০: «${MARKET}» — বাকি: ${SAKHIPUR.name}, ${BASAIL.name}`);
    expect(digests[1]!.text).toContain("(১টি)");
    await o.stop();
  });

  it("a restart the same morning sends no second digest; Friday and Saturday have none; Thursday and Sunday each have one", async () => {
    const policy = { maxNudges: 1 };
    const first = await office({ at: dhaka(2024, 10, 22, 16, 0), policy });
    await runUntil(first, dhaka(2024, 10, 22, 16, 0));
    give(first, MARKET);
    await runUntil(first, dhaka(2024, 10, 23, 9, 30));
    await first.stop();

    const o = await startOffice({ archive: first, transport: first.transport, roster: false, start: dhaka(2024, 10, 23, 9, 30), followUps: followUps(policy) });
    await runUntil(o, dhaka(2024, 10, 27, 10, 0));

    expect(followUpsSaid(o)).toEqual([
      "Tue 22 16:30 nudge → group @Sakhipur @Basail",
      "Wed 23 09:00 escalation → DC",
      "Wed 23 09:00 digest → DC",
      "Thu 24 09:00 digest → DC",
      "Sun 27 09:00 digest → DC",
    ]);
    await o.stop();
  });

  it("comes at its time, not whenever the bot starts: a bot started at 10:00 does not send a 'digest' at 10:01 about a directive given at 10:00", async () => {
    const o = await startOffice({ start: dhaka(2024, 10, 22, 10, 0), followUps: followUps() });
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 10, 31));

    expect(followUpsSaid(o)).toEqual(["Tue 22 10:30 nudge → group @Sakhipur @Basail"]);
    await o.stop();
  });

  it("a restart at 11:00 does not send a digest the 09:00 check had nothing for", async () => {
    const first = await office({ at: dhaka(2024, 10, 22, 9, 0) });
    await runUntil(first, dhaka(2024, 10, 22, 10, 0));
    give(first, MARKET);
    await runUntil(first, dhaka(2024, 10, 22, 11, 0));
    await first.stop();
    const o = await startOffice({ archive: first, transport: first.transport, roster: false, start: dhaka(2024, 10, 22, 11, 0), followUps: followUps() });
    await runUntil(o, dhaka(2024, 10, 22, 11, 5));

    expect(followUpsSaid(o)).toEqual(["Tue 22 10:30 nudge → group @Sakhipur @Basail"]);
    await o.stop();
  });
});

// ---------------------------------------------------------------------------------------------
// On record before it is sent; restarts
// ---------------------------------------------------------------------------------------------

describe("every follow-up is on record before it is sent", () => {
  it("each nudge, reminder, escalation and digest has an outbox row marked sent and a chained outgoing event, written before WhatsApp got it", async () => {
    const o = await office();
    const seenAtSend: boolean[] = [];
    const send = o.transport.send.bind(o.transport);
    o.transport.send = async (message) => {
      const row = outbox(o).find((r) => r.text === message.text && r.send_to === message.chatId && r.status === "written");
      const event = row && o.events("outgoing").find((e) => e.seq === row.written_seq);
      seenAtSend.push(Boolean(row && event && event.body === message.text));
      return send(message);
    };
    await runUntil(o, dhaka(2024, 10, 22, 10, 0));
    const directive = give(o, RELIEF);
    await runUntil(o, dhaka(2024, 10, 22, 10, 5));
    reply(o, SAKHIPUR, directive);
    await runUntil(o, dhaka(2024, 10, 23, 9, 1));

    const rows = outbox(o);
    expect(rows.map((row) => row.kind)).toEqual(["nudge", "nudge", "reminder", "nudge", "escalation", "digest"]);
    expect(seenAtSend).toEqual([true, true, true, true, true, true]);
    const outgoing = o.events("outgoing");
    expect(outgoing).toHaveLength(rows.length);
    for (const row of rows) {
      expect(row.status).toBe("sent");
      const sent = o.transport.sent.find((message) => message.id === row.sent_whatsapp_id)!;
      expect(sent.text).toBe(row.text);
      expect(row.sent_at).toBe(sent.at);
      const event = outgoing.find((e) => e.seq === row.written_seq)!;
      expect(event.body).toBe(row.text);
      expect(JSON.parse(event.data)).toMatchObject({ outbox: row.id, kind: row.kind });
      expect(event.at).toBeLessThanOrEqual(sent.at);
    }
    expect(verifyChain(o.archive).intact).toBe(true);
    await o.stop();
  });
});

describe("restarts neither repeat nor skip a follow-up", () => {
  it("a nudge written at 10:30 that WhatsApp never took is sent once after the restart at 10:45, and the next one two hours after it went, at 12:46", async () => {
    const first = await office({ policy: NO_DIGEST });
    give(first, MARKET);
    await runUntil(first, dhaka(2024, 10, 22, 10, 29));
    first.transport.send = async () => Promise.reject(new Error("Evaluation failed: WhatsApp is not answering"));
    await runUntil(first, dhaka(2024, 10, 22, 10, 31));
    expect(outbox(first).map((row) => [row.kind, row.status])).toEqual([["nudge", "written"]]);
    await first.stop();
    delete (first.transport as { send?: unknown }).send;

    const o = await startOffice({ archive: first, transport: first.transport, roster: false, start: dhaka(2024, 10, 22, 10, 45), followUps: followUps(NO_DIGEST) });
    await runUntil(o, dhaka(2024, 10, 22, 12, 47));

    expect(followUpsSaid(o)).toEqual(["Tue 22 10:46 nudge → group @Sakhipur @Basail", "Tue 22 12:46 nudge → group @Sakhipur @Basail"]);
    expect(outbox(o).map((row) => [row.kind, row.status])).toEqual([
      ["nudge", "sent"],
      ["nudge", "sent"],
    ]);
    expect(o.events("outgoing")).toHaveLength(2);
    expect(verifyChain(o.archive).intact).toBe(true);
    await o.stop();
  });

  it("a nudge written at 16:59 that WhatsApp never took, with a restart at 17:05, goes at 09:00 the next morning, not at night, and alone", async () => {
    const first = await office({ at: dhaka(2024, 10, 22, 16, 29), policy: NO_DIGEST });
    await runUntil(first, dhaka(2024, 10, 22, 16, 29));
    give(first, MARKET);
    await runUntil(first, dhaka(2024, 10, 22, 16, 58));
    first.transport.send = async () => Promise.reject(new Error("Evaluation failed: WhatsApp is not answering"));
    await runUntil(first, dhaka(2024, 10, 22, 17, 0));
    await first.stop();
    delete (first.transport as { send?: unknown }).send;

    const o = await startOffice({ archive: first, transport: first.transport, roster: false, start: dhaka(2024, 10, 22, 17, 5), followUps: followUps(NO_DIGEST) });
    await runUntil(o, dhaka(2024, 10, 23, 11, 5));

    // The nudge held overnight goes at the opening; the next comes two hours later, not in the same minute.
    expect(followUpsSaid(o)).toEqual(["Wed 23 09:00 nudge → group @Sakhipur @Basail", "Wed 23 11:00 nudge → group @Sakhipur @Basail"]);
    await o.stop();
  });

  it("a nudge that reached the group just before the bot died (never marked sent) is not sent again after the restart", async () => {
    const first = await office({ policy: NO_DIGEST });
    give(first, MARKET);
    await runUntil(first, dhaka(2024, 10, 22, 10, 29));
    const send = first.transport.send.bind(first.transport);
    // WhatsApp takes the message; the bot dies before it hears back.
    first.transport.send = async (message) => {
      await send(message);
      return new Promise<string>(() => undefined);
    };
    await runUntil(first, dhaka(2024, 10, 22, 10, 30, 30));
    expect(outbox(first).map((row) => row.status)).toEqual(["written"]);
    await first.stop();
    delete (first.transport as { send?: unknown }).send;

    const o = await startOffice({ archive: first, transport: first.transport, roster: false, start: dhaka(2024, 10, 22, 10, 40), followUps: followUps(NO_DIGEST) });
    await runUntil(o, dhaka(2024, 10, 22, 12, 31));

    expect(followUpsSaid(o)).toEqual(["Tue 22 10:30 nudge → group @Sakhipur @Basail", "Tue 22 12:30 nudge → group @Sakhipur @Basail"]);
    expect(outbox(o).map((row) => row.status)).toEqual(["sent", "sent"]);
    await o.stop();
  });

  it("an escalation that reached the DC just before the bot died is not sent to him again after the restart", async () => {
    const policy = { ...NO_DIGEST, maxNudges: 0 };
    const first = await office({ policy });
    give(first, MARKET);
    await runUntil(first, dhaka(2024, 10, 22, 10, 29));
    const send = first.transport.send.bind(first.transport);
    first.transport.send = async (message) => {
      await send(message);
      return new Promise<string>(() => undefined);
    };
    await runUntil(first, dhaka(2024, 10, 22, 10, 30, 30));
    await first.stop();
    delete (first.transport as { send?: unknown }).send;

    const o = await startOffice({ archive: first, transport: first.transport, roster: false, start: dhaka(2024, 10, 22, 10, 40), followUps: followUps(policy) });
    await runUntil(o, dhaka(2024, 10, 22, 11, 0));

    expect(followUpsSaid(o)).toEqual(["Tue 22 10:30 escalation → DC"]);
    await o.stop();
  });

  it("two restarts in a day write and send nothing twice: three nudges and one escalation, each once, all on record", async () => {
    let o = await office({ policy: NO_DIGEST });
    give(o, MARKET);
    for (const restartAt of [dhaka(2024, 10, 22, 11, 0), dhaka(2024, 10, 22, 14, 30, 30)]) {
      await runUntil(o, restartAt);
      await o.stop();
      o = await startOffice({ archive: o, transport: o.transport, roster: false, start: restartAt, followUps: followUps(NO_DIGEST) });
    }
    await runUntil(o, dhaka(2024, 10, 22, 17, 0));

    expect(followUpsSaid(o)).toEqual([
      "Tue 22 10:30 nudge → group @Sakhipur @Basail",
      "Tue 22 12:30 nudge → group @Sakhipur @Basail",
      "Tue 22 14:30 nudge → group @Sakhipur @Basail",
      "Tue 22 16:30 escalation → DC",
    ]);
    expect(outbox(o).map((row) => [row.kind, row.status])).toEqual([
      ["nudge", "sent"],
      ["nudge", "sent"],
      ["nudge", "sent"],
      ["escalation", "sent"],
    ]);
    expect(o.events("outgoing")).toHaveLength(4);
    expect(verifyChain(o.archive).intact).toBe(true);
    await o.stop();
  });
});

// ---------------------------------------------------------------------------------------------
// WhatsApp away or refusing
// ---------------------------------------------------------------------------------------------

describe("when WhatsApp is away or refuses", () => {
  it("disconnected at 10:30: nothing is written then; after the reconnection the nudge goes once, in hours, and the next two hours after it", async () => {
    const o = await office({ policy: NO_DIGEST });
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 10, 25));
    o.transport.reachable = false;
    o.transport.drop();
    await runUntil(o, dhaka(2024, 10, 22, 11, 14));
    expect(outbox(o)).toEqual([]);
    expect(o.bot.connected).toBe(false);

    o.transport.reachable = true;
    await runUntil(o, dhaka(2024, 10, 22, 11, 21));
    expect(o.bot.connected).toBe(true);
    const [nudge] = outbox(o);
    expect(outbox(o)).toHaveLength(1);
    expect(nudge!.status).toBe("sent");
    expect(nudge!.written_at).toBeGreaterThan(dhaka(2024, 10, 22, 11, 14));
    expect(nudge!.written_at).toBeLessThanOrEqual(dhaka(2024, 10, 22, 11, 21));
    expect(nudge!.sent_at).toBe(nudge!.written_at);

    await runUntil(o, nudge!.written_at + 2 * HOUR + MINUTE);
    expect(followUpsSaid(o)).toEqual([`${wall(nudge!.written_at)} nudge → group @Sakhipur @Basail`, `${wall(nudge!.written_at + 2 * HOUR)} nudge → group @Sakhipur @Basail`]);
    expectRulesKept(o);
    await o.stop();
  });

  it("disconnected from 16:50 and back at 17:30: nothing is sent that evening; the nudge due at 18:30 comes at 09:00", async () => {
    const o = await office({ at: dhaka(2024, 10, 22, 14, 0), policy: NO_DIGEST });
    await runUntil(o, dhaka(2024, 10, 22, 14, 0));
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 16, 50));
    o.transport.reachable = false;
    o.transport.drop();
    await runUntil(o, dhaka(2024, 10, 22, 17, 30));
    o.transport.reachable = true;
    await runUntil(o, dhaka(2024, 10, 23, 9, 5));

    expect(followUpsSaid(o)).toEqual(["Tue 22 14:30 nudge → group @Sakhipur @Basail", "Tue 22 16:30 nudge → group @Sakhipur @Basail", "Wed 23 09:00 nudge → group @Sakhipur @Basail"]);
    await o.stop();
  });

  it("a send the queue tried four times (10:30:00, 10:30:30, 10:31:30, 10:33:00) is tried again by the next scan, and sent once", async () => {
    const o = await office({ policy: NO_DIGEST });
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 10, 29));
    const send = o.transport.send.bind(o.transport);
    const tries: string[] = [];
    o.transport.send = async (message) => {
      tries.push(wall(o.now()));
      if (tries.length <= 4) throw new Error("Evaluation failed: Cannot read properties of undefined");
      return send(message);
    };
    await runUntil(o, dhaka(2024, 10, 22, 10, 40));

    expect(tries.slice(0, 4)).toEqual(["Tue 22 10:30", "Tue 22 10:30:30", "Tue 22 10:31:30", "Tue 22 10:33"]);
    // The scan of 10:33 (or, at the latest, 10:34) hands it to the queue again.
    expect(tries).toHaveLength(5);
    expect(["Tue 22 10:33", "Tue 22 10:34"]).toContain(tries[4]);
    expect(followUpsSaid(o)).toEqual([`${tries[4]} nudge → group @Sakhipur @Basail`]);
    expect(outbox(o).map((row) => [row.status, row.attempts, row.written_at === dhaka(2024, 10, 22, 10, 30)])).toEqual([["sent", 2, true]]);
    await o.stop();
  });

  it("a nudge WhatsApp refused is not sent after the UNO it names has acknowledged meanwhile", async () => {
    const o = await office({ policy: NO_DIGEST });
    const directive = give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 10, 5));
    reply(o, SAKHIPUR, directive);
    await runUntil(o, dhaka(2024, 10, 22, 10, 29));
    const send = o.transport.send.bind(o.transport);
    let refusals = 0;
    o.transport.send = async (message) => {
      if (++refusals <= 4) throw new Error("Evaluation failed");
      return send(message);
    };
    await runUntil(o, dhaka(2024, 10, 22, 10, 31));
    reply(o, BASAIL, directive);
    await runUntil(o, dhaka(2024, 10, 22, 10, 40));

    expect(followUpsSaid(o)).toEqual([]);
    expectRulesKept(o);
    await o.stop();
  });

  it("a nudge waiting in the rate-limited queue is not sent after its UNO acknowledged while it waited", async () => {
    const o = await office({ policy: NO_DIGEST, settings: { sendLimits: { minGapMs: 0, jitterMs: 0, perMinute: 1, perDay: 1_000 } } });
    give(o, MARKET);
    const second = give(o, "সকল ইউএনও নিজ নিজ উপজেলার আশ্রয়কেন্দ্র পরিদর্শন নিশ্চিত করবেন।");
    await runUntil(o, dhaka(2024, 10, 22, 10, 5));
    reply(o, SAKHIPUR, second);
    await runUntil(o, dhaka(2024, 10, 22, 10, 30, 30));
    reply(o, BASAIL, second);
    await runUntil(o, dhaka(2024, 10, 22, 10, 33));

    expect(followUpsSaid(o)).toEqual(["Tue 22 10:30 nudge → group @Sakhipur @Basail"]);
    expectRulesKept(o);
    await o.stop();
  });

  it("a nudge refused at 16:59 is not sent after 17:00 by the queue's retries, but at 09:00 the next morning", async () => {
    const o = await office({ at: dhaka(2024, 10, 22, 14, 29), policy: NO_DIGEST });
    await runUntil(o, dhaka(2024, 10, 22, 14, 29));
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 16, 58));
    const send = o.transport.send.bind(o.transport);
    let refusals = 0;
    o.transport.send = async (message) => {
      if (++refusals <= 2) throw new Error("Evaluation failed");
      return send(message);
    };
    await runUntil(o, dhaka(2024, 10, 23, 9, 5));

    expect(o.transport.sent.filter((message) => !isOpen(message.at, OFFICE_HOURS, ZONE)).map((message) => wall(message.at))).toEqual([]);
    expect(followUpsSaid(o)[0]).toBe("Tue 22 14:59 nudge → group @Sakhipur @Basail");
    expectRulesKept(o);
    await o.stop();
  });

  it("WhatsApp took the nudge but answered with an error: the group does not get it twice", async () => {
    const o = await office({ policy: NO_DIGEST });
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 10, 29));
    const send = o.transport.send.bind(o.transport);
    let calls = 0;
    o.transport.send = async (message) => {
      const id = await send(message);
      if (++calls === 1) throw new Error("Evaluation failed: timed out waiting for the message to be acknowledged");
      return id;
    };
    await runUntil(o, dhaka(2024, 10, 22, 10, 40));

    expect(followUpsSaid(o)).toEqual(["Tue 22 10:30 nudge → group @Sakhipur @Basail"]);
    await o.stop();
  });

  it("the UNO of Basail acknowledged on WhatsApp while the bot was offline: he is not nudged when it comes back, even if the catch-up is slow", async () => {
    const o = await office({ policy: NO_DIGEST });
    const directive = give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 10, 5));
    reply(o, SAKHIPUR, directive);
    await runUntil(o, dhaka(2024, 10, 22, 10, 20));
    o.transport.reachable = false;
    o.transport.drop();
    await runUntil(o, dhaka(2024, 10, 22, 10, 25));
    reply(o, BASAIL, directive);
    await runUntil(o, dhaka(2024, 10, 22, 10, 29, 50));
    // The bot's next try is after 10:30, and the phone is on a slow line: the history takes a minute and a half.
    const history = o.transport.history.bind(o.transport);
    o.transport.history = async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 90_000));
      return history(...args);
    };
    o.transport.reachable = true;
    await runUntil(o, dhaka(2024, 10, 22, 10, 40));

    expect(o.bot.connected).toBe(true);
    expect(o.rows().filter((row) => row.body === "জি স্যার")).toHaveLength(2);
    expect(followUpsSaid(o)).toEqual([]);
    expectRulesKept(o);
    await o.stop();
  });
});

describe("the scan asks the archive what is due", () => {
  it("keeps each live directive's next look in the due index, and reads it through its index", async () => {
    const o = await office({ policy: NO_DIGEST });
    give(o, MARKET);
    await runUntil(o, dhaka(2024, 10, 22, 10, 2));
    expect(nextFollowUpDue(o.archive)).toBe(dhaka(2024, 10, 22, 10, 30));
    await runUntil(o, dhaka(2024, 10, 22, 10, 31));
    expect(nextFollowUpDue(o.archive)).toBe(dhaka(2024, 10, 22, 12, 30));
    const plan = o.archive.sqlite
      .prepare("EXPLAIN QUERY PLAN SELECT directive_id FROM follow_ups WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at LIMIT 500")
      .all(o.now()) as Array<{ detail: string }>;
    expect(plan.map((row) => row.detail).join("; ")).toMatch(/USING (COVERING )?INDEX follow_ups_due/);
    await o.stop();
  });
});
