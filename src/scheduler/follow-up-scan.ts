import type { Logger } from "pino";
import { excerpt, fillTemplate, type FollowUpWording, whenWritten } from "../domain/follow-up-text.js";
import type { SendOptions } from "../bot/send-queue.js";
import type { OutgoingMessage } from "../domain/live-event.js";
import { asksForReport, type FollowUpAction, isDigestDue, planFollowUp } from "../domain/nudge-policy.js";
import { isOpen, localDate } from "../domain/working-hours.js";
import type { FollowUpSettings } from "../nudge-policy-file.js";
import { ownChat } from "../store/chats.js";
import {
  type Addressee,
  archivedOwnMessage,
  dueFollowUps,
  followUpRetrackedChats,
  type FollowUpSubject,
  followUpSubject,
  lastDigestDay,
  markOutgoing,
  type OutboxRow,
  type OutgoingToWrite,
  type SentEarlier,
  owedByIssuer,
  setFollowUpDue,
  watchedSince,
  waitingOutgoing,
  writeOutgoing,
} from "../store/follow-ups.js";
import type { Archive } from "../store/open-archive.js";

export interface FollowUpScanDependencies {
  archive: Archive;
  settings: FollowUpSettings;
  timeZone: string;
  now: () => number;
  log: Logger;
  /** Hands a message to the bot's rate-limited send queue; resolves with WhatsApp's id once sent, null when withdrawn. */
  send(message: OutgoingMessage, options: SendOptions): Promise<string | null>;
  /**
   * WhatsApp's id of a message with these words that the bot's account sent to a chat since a moment,
   * if WhatsApp shows one (a direct message sent just before a restart is not in the archive).
   */
  sentEarlier(chatId: string, since: number, text: string): Promise<SentEarlier | null>;
  /** Nothing is decided while WhatsApp is away, so nothing is sent late; it is decided on return. */
  connected(): boolean;
  /** The bot's own WhatsApp id. */
  account(): string | null;
  /** Brings directive tracking up to date, so an acknowledgement of a moment ago counts. */
  track(): void;
}

export interface FollowUpScan {
  /** Decides and writes what is due now, and hands everything written but unsent to the queue. */
  scan(): void;
  /** Resolves when every message handed to the queue was sent or failed (for tests and `simulate`). */
  delivered(): Promise<void>;
}

/** A busy minute's share: the rest waits for the next minute (the index keeps them in order). */
const PER_SCAN = 500;
/** Digests list what was given in the last week. */
const DIGEST_DAYS_MS = 7 * 86_400_000;
const DIGEST_LINES = 10;
/** A message WhatsApp refused this many minutes' scans running is given up (and stays on record). */
const SEND_ATTEMPTS = 10;

/**
 * The follow-up of directives, run every minute: nudges to officers who have not acknowledged,
 * reminders before deadlines, escalations to issuers and the daily digest. Each is written to the
 * archive (an outbox row and a chained `outgoing` event) before it is handed to the send queue, and
 * marked sent after, so a restart neither repeats nor skips one. The policy is the domain's; this
 * only reads, decides through it, writes and sends.
 */
export function createFollowUpScan(deps: FollowUpScanDependencies): FollowUpScan {
  const { archive, settings, timeZone: zone, log } = deps;
  /** Written by this run: a direct message written by an earlier run may have gone before that run ended. */
  const writtenHere = new Set<number>();
  const inFlight = new Map<number, Promise<void>>();
  let digestCheckedOn: string | null = null;
  /** Chats tracked since this moment are looked at again: a correction (!জরুরি, !নয়) or an answer may change what is due. */
  let lastScan = 0;
  /** Once a group has its first record it never changes, so it is read once. */
  const watchingFrom = new Map<number, number>();
  const watching = (chatId: number) => {
    const known = watchingFrom.get(chatId);
    if (known !== undefined) return known;
    const since = watchedSince(archive, chatId);
    if (since !== null) watchingFrom.set(chatId, since);
    return since;
  };

  function scan(): void {
    if (!settings.enabled || !deps.connected()) return;
    deps.track();
    const now = deps.now();
    // One transaction for the minute's decisions: one write to disk, not one per nudge.
    const sending = archive.transaction(() => {
      const started = followUpRetrackedChats(archive, lastScan, now, watching);
      if (started > 0) log.debug({ directives: started }, "following up new directives");
      lastScan = now;
      for (const directiveId of dueFollowUps(archive, now, PER_SCAN)) {
        try {
          archive.transaction(() => followUp(directiveId, now));
        } catch (error) {
          // One directive that cannot be followed up does not stop the others; it is looked at again later.
          log.error({ err: error, directive: directiveId }, "a directive could not be followed up");
          setFollowUpDue(archive, directiveId, now + 5 * 60_000);
        }
      }
      digest(now);
      return readyToSend(now);
    });
    for (const row of sending) send(row);
  }

  function followUp(directiveId: number, now: number): void {
    const subject = followUpSubject(archive, directiveId);
    if (!subject) return setFollowUpDue(archive, directiveId, null);
    // What was written for it and still waits goes first; the next is planned from when it went.
    if (subject.waiting) return setFollowUpDue(archive, directiveId, now + 60_000);
    const policy = settings.policyFor(subject.chat);
    const directive = { ...subject, asksForReport: asksForReport(subject.body) };
    let plan = planFollowUp(directive, policy, zone, now);
    if (plan.due.length > 0) {
      const wording = settings.wordingFor(subject.chat);
      for (const action of plan.due) {
        for (const item of compose(subject, action, policy.delivery, wording)) write(item, now);
        directive.sent.push({ kind: action.kind, at: now, to: action.to });
        log.info({ directive: directiveId, kind: action.kind, people: action.to.length }, "follow-up written");
      }
      plan = planFollowUp(directive, policy, zone, now);
    }
    setFollowUpDue(archive, directiveId, plan.next);
  }

  function compose(subject: FollowUpSubject, action: FollowUpAction, delivery: "group" | "direct", wording: FollowUpWording): OutgoingToWrite[] {
    const people = action.to.map((id) => subject.people.get(id)!);
    const values = {
      group: subject.chat.name,
      issuer: subject.issuer.name,
      at: whenWritten(subject.at, zone, wording),
      directive: excerpt(subject.body),
      deadline: subject.deadline === null ? "" : whenWritten(subject.deadline, zone, wording),
      // How many times they were reminded: rounds, not messages (a direct nudge is one message per officer).
      nudges: wording.count(Math.max(0, ...action.to.map((id) => subject.sent.filter((item) => item.kind === "nudge" && item.to.includes(id)).length))),
    };
    const base = { chat: subject.chat, directive: { id: subject.directiveId, seq: subject.seq }, urgent: subject.urgent, digestDay: null };
    if (action.kind === "escalation") {
      const officers = people.map((person) => (person.designation && person.designation !== person.name ? `${person.name} (${person.designation})` : person.name)).join(wording.listSeparator);
      return [
        {
          ...base,
          kind: "escalation",
          sendTo: addressOf(subject.issuer),
          people: action.to,
          text: fillTemplate(wording.escalation, { ...values, officers }),
          quotedWhatsappId: null,
          mentions: [],
        },
      ];
    }
    if (delivery === "direct" || subject.chat.whatsappId === null) {
      const template = action.kind === "nudge" ? wording.directNudge : wording.directReminder;
      return people.map((person) => ({
        ...base,
        kind: action.kind,
        sendTo: addressOf(person),
        people: [person.id],
        text: fillTemplate(template, { ...values, officers: person.name }),
        quotedWhatsappId: null,
        mentions: [],
      }));
    }
    const template = action.kind === "reminder" ? wording.reminder : subject.urgent ? wording.urgentNudge : wording.nudge;
    return [
      {
        ...base,
        kind: action.kind,
        sendTo: subject.chat.whatsappId,
        people: action.to,
        text: fillTemplate(template, { ...values, officers: people.map(mentionOf).join(" ") }),
        quotedWhatsappId: subject.whatsappId,
        mentions: people.map(addressOf),
      },
    ];
  }

  function write(item: OutgoingToWrite, now: number): void {
    const id = writeOutgoing(archive, () => now, item);
    writtenHere.add(id);
    // Nobody to send it to (a sender known by name only): on record, never retried.
    if (!item.sendTo) markOutgoing(archive, id, { status: "failed", error: "no WhatsApp number" });
  }

  /** Once a working day, at the office's time: each issuer's directives still owed, by officer. */
  function digest(now: number): void {
    const policy = settings.office;
    const today = localDate(now, zone);
    if (digestCheckedOn === today || !isDigestDue(lastDigestDay(archive), policy, zone, now)) return;
    digestCheckedOn = today;
    const wording = settings.wordingFor({ whatsappId: null, name: "" });
    const chat = ownChat(archive, "direct", now);
    for (const [issuerId, directiveIds] of owedByIssuer(archive, now - DIGEST_DAYS_MS)) {
      const lines: string[] = [];
      let issuer: Addressee | null = null;
      let owed = 0;
      for (const directiveId of directiveIds) {
        const subject = followUpSubject(archive, directiveId);
        if (!subject) continue;
        issuer = subject.issuer;
        const owing = subject.officers.filter((officer) => officer.inGroup && !officer.exempt && officer.acknowledgedAt === null);
        if (owing.length === 0) continue;
        owed++;
        if (lines.length >= DIGEST_LINES) continue;
        lines.push(
          fillTemplate(wording.digestLine, {
            group: subject.chat.name,
            at: whenWritten(subject.at, zone, wording),
            directive: excerpt(subject.body, 80),
            officers: owing.map((officer) => subject.people.get(officer.personId)!.name).join(wording.listSeparator),
          }),
        );
      }
      if (!issuer || owed === 0) continue;
      if (owed > lines.length) lines.push(wording.digestMore(owed - lines.length));
      write(
        {
          kind: "digest",
          chat,
          directive: null,
          sendTo: addressOf(issuer),
          people: [issuerId],
          text: fillTemplate(wording.digest, { count: wording.count(owed), list: lines.join("\n") }),
          quotedWhatsappId: null,
          mentions: [],
          urgent: false,
          digestDay: today,
        },
        now,
      );
      log.info({ issuer: issuerId, directives: owed }, "digest written");
    }
  }

  /** Everything written and not yet sent, inside the hours it may be sent in, counted as one more attempt. */
  function readyToSend(now: number): OutboxRow[] {
    const ready: OutboxRow[] = [];
    for (const row of waitingOutgoing(archive)) {
      if (inFlight.has(row.id) || !mayGoNow(row, now)) continue;
      row.attempts += 1;
      markOutgoing(archive, row.id, { status: "written", attempts: row.attempts });
      ready.push(row);
    }
    return ready;
  }

  /**
   * Hands a written message to the send queue, and marks it sent when WhatsApp has taken it. Just before
   * each attempt it is asked again whether it is still wanted: in its hours, not yet in the group (WhatsApp
   * took an earlier attempt that seemed to fail), and nobody it names has answered meanwhile — else it is
   * withdrawn and the directive looked at again, so the others get a fresh nudge.
   */
  function send(row: OutboxRow): void {
    const message: OutgoingMessage = { chatId: row.send_to, text: row.text, ...(row.quoted_whatsapp_id ? { quotedId: row.quoted_whatsapp_id } : {}) };
    const mentions = JSON.parse(row.mentions) as string[];
    if (mentions.length > 0) message.mentions = mentions;
    let outcome: "sent" | "skipped" = "skipped";
    const stillWanted = () => {
      const now = deps.now();
      // Decided this very moment: nothing can have changed.
      if (now === row.written_at) return true;
      // Checked before the first attempt too: a message written by an earlier run may have reached
      // WhatsApp just before that run ended, and the catch-up has archived it.
      const echo = inGroupAlready(row);
      if (echo) {
        markSentEarlier(row, echo);
        outcome = "sent";
        return false;
      }
      if (!mayGoNow(row, now)) return false;
      deps.track();
      return !answeredSince(row);
    };
    const sending = (async () => {
      // A direct message written by an earlier run may have gone just before it ended: WhatsApp's chat says.
      if (!writtenHere.has(row.id) && !isGroup(row.send_to)) {
        const earlier = await deps.sentEarlier(row.send_to, row.written_at, row.text).catch(() => null);
        if (earlier) return markSentEarlier(row, earlier);
      }
      const whatsappId = await deps.send(message, { stillWanted });
      if (whatsappId) {
        markOutgoing(archive, row.id, { status: "sent", sentAt: deps.now(), whatsappId });
        log.info({ outbox: row.id, kind: row.kind }, "follow-up sent");
      } else if (outcome === "skipped") {
        markOutgoing(archive, row.id, { status: "skipped", error: "no longer wanted when its turn came" });
        if (row.directive_id !== null) setFollowUpDue(archive, row.directive_id, deps.now());
        log.info({ outbox: row.id, kind: row.kind }, "follow-up withdrawn");
      }
    })().catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      const givenUp = row.attempts >= SEND_ATTEMPTS;
      markOutgoing(archive, row.id, { status: givenUp ? "failed" : "written", error: reason });
      log.warn({ outbox: row.id, kind: row.kind, attempts: row.attempts }, givenUp ? "a follow-up could not be sent; given up" : "a follow-up was not sent; trying again next minute");
    });
    inFlight.set(row.id, sending);
    void sending.finally(() => inFlight.delete(row.id));
  }

  function markSentEarlier(row: OutboxRow, earlier: SentEarlier): void {
    markOutgoing(archive, row.id, { status: "sent", sentAt: earlier.at, whatsappId: earlier.whatsappId });
  }

  /** This group message, when the group already shows it (its echo was archived). */
  function inGroupAlready(row: OutboxRow): SentEarlier | null {
    const account = deps.account();
    return account && isGroup(row.send_to) ? archivedOwnMessage(archive, row.send_to, account, row.written_at, row.text) : null;
  }

  /** Whether someone a nudge names has acknowledged (a reminder: reported done) since it was written. */
  function answeredSince(row: OutboxRow): boolean {
    if (row.directive_id === null || (row.kind !== "nudge" && row.kind !== "reminder")) return false;
    const subject = followUpSubject(archive, row.directive_id);
    if (!subject) return true;
    const people = JSON.parse(row.people) as number[];
    return subject.officers.some((officer) => people.includes(officer.personId) && (row.kind === "nudge" ? officer.acknowledgedAt !== null : officer.doneAt !== null));
  }

  /** Nudges and reminders go out only in their hours: one written before a crash waits for the next opening. */
  function mayGoNow(row: OutboxRow, now: number): boolean {
    const chat = archive.get(archive.db.selectFrom("chats").select(["whatsapp_id", "name"]).where("id", "=", row.chat_id));
    const policy = row.kind === "digest" ? settings.office : settings.policyFor({ whatsappId: chat?.whatsapp_id ?? null, name: chat?.name ?? "" });
    return isOpen(now, (row.urgent ? policy.urgent : policy.normal).hours, zone) || (row.kind === "digest" && isDigestDue(null, policy, zone, now));
  }

  return {
    scan,
    async delivered() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
    },
  };
}

const isGroup = (chatId: string) => chatId.endsWith("@g.us");

/** Where a direct message to a person goes: their WhatsApp id, else their phone's. */
function addressOf(person: Addressee): string {
  if (person.whatsappId && /@(c\.us|lid)$/.test(person.whatsappId)) return person.whatsappId;
  if (person.phone) return `${person.phone.replace(/^\+/, "")}@c.us`;
  return person.whatsappId ?? "";
}

/** How a group message @mentions someone: WhatsApp shows `@` and the number as the person's name. */
function mentionOf(person: Addressee): string {
  const address = addressOf(person);
  return `@${address.includes("@") ? address.slice(0, address.indexOf("@")) : person.name}`;
}
