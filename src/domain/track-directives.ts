import { cuePattern, cueText, isQuestion } from "./cue-text.js";
import { type DirectiveDetection, detectDirective } from "./detect-directive.js";
import type { Lexicon } from "./lexicon.js";
import type { Role } from "./message.js";
import { type AcknowledgementKind, isAbout, opensWithAcknowledgement, readAcknowledgement, topicOf } from "./read-acknowledgement.js";

const THE_REST = cuePattern(
  String.raw`(?<![\p{L}\p{M}])(?:অন্যরাও|অন্যরা|অন্যান্যরা|বাকিরা|বাকিরাও|বাকি সবাই|everyone else|others|the rest|bakira|baki ra|onnora)(?![\p{L}\p{M}])`,
  "u",
);

/** What the tracker knows of a person: roster roles, and whether the roster lists them at all. */
export interface ChatMember {
  id: number;
  roles: Role[];
  inRoster: boolean;
}

export interface TimelineMessage {
  id: number;
  whatsappId: string | null;
  seq: number;
  at: number;
  senderId: number;
  /** The words after the last edit. */
  body: string;
  type: string;
  forwarded: boolean;
  deleted: boolean;
  quotedWhatsappId: string | null;
  /** People the message @mentions, as far as they are known. */
  mentioned: number[];
  /** The names the message @mentions, as its body writes them. */
  mentionNames: string[];
}

export type TimelineEvent =
  | { kind: "joined" | "left"; seq: number; at: number; personId: number }
  | { kind: "reaction"; seq: number; at: number; personId: number; messageId: number; emoji: string }
  | { kind: "mark"; seq: number; at: number; messageId: number; directive: boolean; urgent?: boolean };

export interface ChatTimeline {
  messages: TimelineMessage[];
  events: TimelineEvent[];
  people: Map<number, ChatMember>;
  /** Group admins (live; in an export without a roster, who created the group or added people): superiors where the roster is silent. */
  admins: Set<number>;
  /** People known to be in the group though they may never write (who added others, in an export with a roster). */
  seen?: Set<number>;
  /** Whether the office has loaded a roster at all; without one, members who are not admins are officers. */
  rosterLoaded: boolean;
}

export type AcknowledgementHow = "reply" | "reaction" | "message";

export interface Acknowledgement {
  at: number;
  how: AcknowledgementHow;
  /** The message that acknowledged; null for a reaction, which is an event (`eventSeq`). */
  messageId: number | null;
  eventSeq: number | null;
}

export interface TrackedDirective {
  messageId: number;
  issuerId: number;
  at: number;
  detection: DirectiveDetection;
  /** A superior's or record keeper's correction, when there is one. */
  marked: boolean | null;
  directive: boolean;
  /** Urgent by its words (জরুরি, urgent, joruri) or by a correction that says so. */
  urgent: boolean;
  expected: number[];
  acknowledged: Map<number, Acknowledgement>;
  done: Map<number, Acknowledgement>;
}

export interface TrackingOptions {
  directiveLexicon: Lexicon;
  acknowledgementLexicon: Lexicon;
  timeZone: string;
}

/**
 * Replays a chat in order and says which messages are directives, who was expected to acknowledge
 * each, and who did — by quoting it, reacting to it, or writing an acknowledgement or a completion
 * report. Without a quote, an answer belongs to the most recent directive the officer still owes,
 * never an older one: people answer the message in front of them. Returns every message a superior
 * sent or someone marked, directive or not, so the reason is on record.
 */
export function trackDirectives(timeline: ChatTimeline, options: TrackingOptions): TrackedDirective[] {
  return startTracking(timeline, options).tracked;
}

/** Messages and reactions that came after everything a tracker has read. */
export interface LaterEntries {
  messages: TimelineMessage[];
  reactions: Array<Extract<TimelineEvent, { kind: "reaction" }>>;
}

/**
 * A chat worked out so far, which can read what the chat says next without reading it all again:
 * the live bot's groups grow a few messages at a time.
 */
export interface DirectiveTracker {
  /** Every message a superior sent or someone marked, in the order they came. */
  readonly tracked: TrackedDirective[];
  /**
   * Reads what came after everything read so far, and returns the directives it changed (new ones, or
   * new acknowledgements). Null, having read nothing, when the later entries would change what was
   * concluded before them: one comes earlier than what was read, or someone not yet seen in the chat
   * appears (they would have been expected to answer earlier directives). Then the chat must be
   * tracked again from its start.
   */
  readLater(later: LaterEntries): Set<TrackedDirective> | null;
}

/** Tracks a whole chat, and keeps what it concluded for the entries that come after it. */
export function startTracking(timeline: ChatTimeline, options: TrackingOptions): DirectiveTracker {
  const { people, admins, rosterLoaded } = timeline;
  const roleOf = (id: number) => people.get(id) ?? { id, roles: [], inRoster: false };
  const isSuperior = (id: number) => {
    const person = roleOf(id);
    return person.roles.includes("superior") || (!person.inRoster && admins.has(id));
  };
  const isOfficer = (id: number) => {
    const person = roleOf(id);
    return person.roles.includes("officer") || (!rosterLoaded && !person.inRoster && !admins.has(id));
  };

  // The last correction of each message decides, whenever it was made.
  const marks = new Map<number, boolean>();
  const urgentMarks = new Set<number>();
  for (const event of [...timeline.events].sort((a, b) => a.seq - b.seq)) {
    if (event.kind !== "mark") continue;
    marks.set(event.messageId, event.directive);
    if (event.urgent) urgentMarks.add(event.messageId);
    else urgentMarks.delete(event.messageId);
  }

  const membership = membershipOf(timeline);
  type Entry = { at: number; seq: number; message?: TimelineMessage; event?: TimelineEvent };
  const entriesOf = (messages: TimelineMessage[], reactions: TimelineEvent[]): Entry[] =>
    [...messages.map((message) => ({ at: message.at, seq: message.seq, message })), ...reactions.map((event) => ({ at: event.at, seq: event.seq, event }))].sort(
      (a, b) => a.at - b.at || a.seq - b.seq,
    );

  // Only a directive's words are asked about later (is this answer about it?).
  const bodies = new Map<number, string>();
  const topics = new Map<number, string[]>();
  const topicOfDirective = (id: number) => {
    let topic = topics.get(id);
    if (!topic) topics.set(id, (topic = topicOf(bodies.get(id) ?? "")));
    return topic;
  };
  const tracked: TrackedDirective[] = [];
  const byWhatsappId = new Map<string, TrackedDirective>();
  const byMessage = new Map<number, TrackedDirective>();
  /** Per officer, the directives they are expected to answer, oldest first. */
  const owed = new Map<number, Answerable>();
  let last = { at: -Infinity, seq: -Infinity };

  // `changed` collects the directives an entry changed, for readLater; the first reading needs none.
  const read = (entry: Entry, changed?: Set<TrackedDirective>): void => {
    last = entry;
    if (entry.event?.kind === "reaction") {
      const directive = byMessage.get(entry.event.messageId);
      if (directive && entry.event.emoji && directive.expected.includes(entry.event.personId) && !directive.acknowledged.has(entry.event.personId)) {
        directive.acknowledged.set(entry.event.personId, { at: entry.at, how: "reaction", messageId: null, eventSeq: entry.seq });
        changed?.add(directive);
      }
      return;
    }
    const message = entry.message!;
    const marked = marks.get(message.id) ?? null;
    // A superior who is also an officer (an ADC under the DC) answering what he owes is answering, even
    // when the answer carries an order of his own: "জি স্যার। মোবাইল কোর্টের সংখ্যা বাড়াতে হবে…".
    const answering =
      marked === null && (owed.get(message.senderId)?.unacknowledged.length ?? 0) > 0 && opensWithAcknowledgement(message.body, options.acknowledgementLexicon);
    if ((isSuperior(message.senderId) || marked !== null) && !answering) {
      const detection = detectDirective(
        { body: message.body, type: message.type, at: message.at, forwarded: message.forwarded, mentions: message.mentionNames },
        options.directiveLexicon,
        options.timeZone,
      );
      const directive = marked ?? (detection.directive && isSuperior(message.senderId) && !message.deleted);
      const item: TrackedDirective = {
        messageId: message.id,
        issuerId: message.senderId,
        at: message.at,
        detection,
        marked,
        directive,
        urgent: detection.urgent || urgentMarks.has(message.id),
        expected: [],
        acknowledged: new Map(),
        done: new Map(),
      };
      tracked.push(item);
      changed?.add(item);
      if (directive) {
        item.expected = expectedOf(message, membership, isOfficer);
        bodies.set(message.id, message.body);
        byMessage.set(message.id, item);
        if (message.whatsappId) byWhatsappId.set(message.whatsappId, item);
        for (const personId of item.expected) {
          const answerable = owed.get(personId) ?? { unacknowledged: [], notDone: [] };
          answerable.unacknowledged.push(item);
          answerable.notDone.push(item);
          owed.set(personId, answerable);
        }
        return;
      }
    }

    const sender = message.senderId;
    const open = owed.get(sender);
    if (!open || message.deleted) return;
    const reading = readAcknowledgement(message.body, options.acknowledgementLexicon);
    // A reply that quotes a message answers that message, and no other: the directive it quotes if the
    // officer owes it, else nothing (a reply to a question, or to someone else's directive).
    if (message.quotedWhatsappId) {
      const quoted = byWhatsappId.get(message.quotedWhatsappId);
      if (quoted?.expected.includes(sender) && !(reading === null && isQuestion(cueText(message.body)))) {
        if (record(quoted, sender, message, "reply", reading?.kind ?? "acknowledged")) changed?.add(quoted);
      }
      return;
    }
    if (!reading) return;
    const target = targetOf(open, sender, reading.kind);
    if (!target) return;
    if (reading.needsTopic) {
      if (!isAbout(message.body, topicOfDirective(target.messageId))) return;
    }
    if (record(target, sender, message, "message", reading.kind)) changed?.add(target);
  };

  const reactions = timeline.events.filter((event) => event.kind === "reaction");
  for (const entry of entriesOf(timeline.messages, reactions)) read(entry);

  return {
    tracked,
    readLater(later) {
      const entries = entriesOf(later.messages, later.reactions);
      const first = entries[0];
      if (!first) return new Set();
      if (first.at < last.at || (first.at === last.at && first.seq <= last.seq)) return null;
      if (!membership.canAdd(later.messages, later.reactions)) return null;
      for (const message of later.messages) membership.add(message);
      const changed = new Set<TrackedDirective>();
      for (const entry of entries) read(entry, changed);
      return changed;
    },
  };
}

/** Records an answer; says whether the directive learnt anything from it. */
function record(directive: TrackedDirective, personId: number, message: TimelineMessage, how: AcknowledgementHow, kind: AcknowledgementKind): boolean {
  const acknowledgement = { at: message.at, how, messageId: message.id, eventSeq: null };
  let changed = false;
  if (!directive.acknowledged.has(personId)) {
    directive.acknowledged.set(personId, acknowledgement);
    changed = true;
  }
  if (kind === "done" && !directive.done.has(personId)) {
    directive.done.set(personId, acknowledgement);
    changed = true;
  }
  return changed;
}

/**
 * One officer's directives, oldest first, in two stacks whose answered tops are dropped as they are
 * met (an answer is never taken back), so finding the most recent one still owed costs nothing however
 * long the chat: an officer who never answered one old directive does not make every later answer
 * walk back to it.
 */
interface Answerable {
  unacknowledged: TrackedDirective[];
  notDone: TrackedDirective[];
}

/**
 * The directive an answer without a quote belongs to: the most recent one the officer still owes an
 * acknowledgement; a completion report when nothing is owed goes to the most recent one acknowledged
 * but not reported done.
 */
function targetOf(answerable: Answerable, personId: number, kind: AcknowledgementKind): TrackedDirective | undefined {
  const { unacknowledged, notDone } = answerable;
  while (unacknowledged.length > 0 && unacknowledged.at(-1)!.acknowledged.has(personId)) unacknowledged.pop();
  if (unacknowledged.length > 0) return unacknowledged.at(-1);
  if (kind !== "done") return undefined;
  while (notDone.length > 0 && notDone.at(-1)!.done.has(personId)) notDone.pop();
  return notDone.at(-1);
}

type Membership = (personId: number, at: number, seq: number) => boolean;

/**
 * Who was in the chat at a moment: anyone seen in it (a sender, an admin, someone @mentioned, reacting
 * or added), unless they left before that moment and did not come back, or came in only after it.
 */
interface ChatMembership {
  members: Set<number>;
  isMember: Membership;
  /** Whether later messages and reactions come only from, and @mention only, people already seen. */
  canAdd(messages: TimelineMessage[], reactions: Array<{ personId: number }>): boolean;
  /** Takes in a later message (its sender's first message, if it is one). */
  add(message: TimelineMessage): void;
}

function membershipOf(timeline: ChatTimeline): ChatMembership {
  const members = new Set<number>();
  const changes = new Map<number, Array<{ at: number; seq: number; joined: boolean }>>();
  const firstMessage = new Map<number, { at: number; seq: number }>();
  const add = (message: TimelineMessage) => {
    members.add(message.senderId);
    // Only a participant can be @mentioned.
    for (const id of message.mentioned) members.add(id);
    const first = firstMessage.get(message.senderId);
    if (!first || message.seq < first.seq) firstMessage.set(message.senderId, { at: message.at, seq: message.seq });
  };
  for (const message of timeline.messages) add(message);
  // Admins are in the group: in an export, they are who added or removed the others.
  for (const id of timeline.admins) members.add(id);
  for (const id of timeline.seen ?? []) members.add(id);
  for (const event of timeline.events) {
    if (event.kind === "reaction") members.add(event.personId);
    if (event.kind !== "joined" && event.kind !== "left") continue;
    members.add(event.personId);
    const list = changes.get(event.personId) ?? [];
    list.push({ at: event.at, seq: event.seq, joined: event.kind === "joined" });
    changes.set(event.personId, list);
  }
  for (const list of changes.values()) list.sort((a, b) => a.at - b.at || a.seq - b.seq);
  const before = (a: { at: number; seq: number }, at: number, seq: number) => a.at < at || (a.at === at && a.seq < seq);
  const isMember: Membership = (personId, at, seq) => {
    if (!members.has(personId)) return false;
    const list = changes.get(personId);
    if (!list) return true;
    const last = list.filter((change) => before(change, at, seq)).pop();
    if (last) return last.joined;
    const first = firstMessage.get(personId);
    if (first && before(first, at, seq)) return true;
    // Nothing before: they were there unless the first thing after is their arrival.
    return !list[0]!.joined;
  };
  const canAdd = (messages: TimelineMessage[], reactions: Array<{ personId: number }>) =>
    messages.every((message) => members.has(message.senderId) && message.mentioned.every((id) => members.has(id))) &&
    reactions.every((reaction) => members.has(reaction.personId));
  return { members, isMember, canAdd, add };
}

function expectedOf(message: TimelineMessage, membership: ChatMembership, isOfficer: (id: number) => boolean): number[] {
  const officers = (ids: Iterable<number>) =>
    [...new Set(ids)].filter((id) => id !== message.senderId && isOfficer(id) && membership.isMember(id, message.at, message.seq));
  // Only those @mentioned are asked ("@ফারহানা আক্তার বিষয়টি দেখবেন" asks a superior, so no officer owes
  // an answer), unless the words turn to the rest: "@শাহানা পারভীন ধন্যবাদ। বাকিরা দ্রুত পাঠান।" asks
  // everyone but her. A mention of nobody the archive knows says nothing of whom it asks.
  const everyone = officers(membership.members).sort((a, b) => a - b);
  if (message.mentioned.length === 0) return everyone;
  if (THE_REST.test(cueText(message.body))) return everyone.filter((id) => !message.mentioned.includes(id));
  return officers(message.mentioned);
}
