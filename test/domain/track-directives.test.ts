import { describe, expect, it } from "vitest";
import type { Role } from "../../src/domain/message.js";
import { type ChatTimeline, type TimelineEvent, type TimelineMessage, trackDirectives } from "../../src/domain/track-directives.js";
import { readLexicons } from "../../src/lexicons.js";
import { dhaka } from "../support.js";

const lexicons = readLexicons();
const options = { directiveLexicon: lexicons.directive, acknowledgementLexicon: lexicons.acknowledgement, timeZone: "Asia/Dhaka" };

// The people of a district group, by roster role.
const DC = 1;
const ADC = 2;
const UNO_SAKHIPUR = 11;
const UNO_MADHUPUR = 12;
const UNO_GHATAIL = 13;
const NDC = 20; // record keeper
const ASSISTANT = 30; // not on the roster

const ROSTER: Array<[number, Role[]]> = [
  [DC, ["superior"]],
  [ADC, ["superior"]],
  [UNO_SAKHIPUR, ["officer"]],
  [UNO_MADHUPUR, ["officer"]],
  [UNO_GHATAIL, ["officer"]],
  [NDC, ["recordkeeper"]],
];

/** A chat told as a list of [minute after 09:00, sender, words] lines. */
function chat(lines: Array<[number, number, string, Partial<TimelineMessage>?]>, extra: Partial<ChatTimeline> = {}): ChatTimeline {
  const messages = lines.map(([minute, sender, body, more], i) => ({
    id: i + 1,
    whatsappId: `w${i + 1}`,
    seq: i + 1,
    at: dhaka(2024, 10, 22, 9, 0) + minute * 60_000,
    senderId: sender,
    body,
    type: "text",
    forwarded: false,
    deleted: false,
    quotedWhatsappId: null,
    mentioned: [],
    mentionNames: [],
    ...more,
  }));
  return {
    messages,
    events: [],
    people: new Map(ROSTER.map(([id, roles]) => [id, { id, roles, inRoster: true }])),
    admins: new Set(),
    rosterLoaded: true,
    ...extra,
  };
}

function directivesOf(timeline: ChatTimeline) {
  return trackDirectives(timeline, options).filter((item) => item.directive);
}

const ORDER = "সকল ইউএনও আগামীকাল বিকাল ৩টার মধ্যে ত্রাণ বিতরণের প্রতিবেদন পাঠাবেন।";
const SECOND_ORDER = "ডেঙ্গু প্রতিরোধে প্রতিটি ইউনিয়নে পরিচ্ছন্নতা অভিযান পরিচালনা করতে হবে।";

describe("who is asked and who answered", () => {
  it("the UNO replies জি স্যার, so the DC's directive is acknowledged by him and still owed by the others", () => {
    const [directive] = directivesOf(
      chat([
        [0, DC, ORDER],
        [1, UNO_SAKHIPUR, "জি স্যার"],
        [2, UNO_MADHUPUR, "শুভ সকাল স্যার"],
        [3, UNO_GHATAIL, "স্যার, কোন ছকে পাঠাবো?"],
      ]),
    );
    expect(directive!.expected).toEqual([UNO_SAKHIPUR, UNO_MADHUPUR, UNO_GHATAIL]);
    expect([...directive!.acknowledged.keys()]).toEqual([UNO_SAKHIPUR]);
    expect(directive!.acknowledged.get(UNO_SAKHIPUR)).toMatchObject({ how: "message", messageId: 2 });
  });

  it("the issuer, other superiors and the record keeper are not expected to acknowledge; officers who never wrote are not members", () => {
    const [directive] = directivesOf(
      chat([
        [0, ADC, "ঠিক আছে"],
        [1, NDC, "শুভ সকাল"],
        [2, UNO_SAKHIPUR, "শুভ সকাল"],
        [3, DC, ORDER],
      ]),
    );
    expect(directive!.expected).toEqual([UNO_SAKHIPUR]);
  });

  it("an answer goes to the most recent directive the officer still owes, never an older one", () => {
    const [first, second] = directivesOf(
      chat([
        [0, DC, ORDER],
        [1, ADC, SECOND_ORDER],
        [2, UNO_SAKHIPUR, "জি স্যার"],
        [3, UNO_MADHUPUR, "Noted sir"],
        [30, UNO_SAKHIPUR, "জ্বি স্যার, অবগত হলাম"],
      ]),
    );
    expect([...second!.acknowledged.keys()]).toEqual([UNO_SAKHIPUR, UNO_MADHUPUR]);
    // The second answer from Sakhipur: the newer directive is answered, so it belongs to the older.
    expect([...first!.acknowledged.keys()]).toEqual([UNO_SAKHIPUR]);
    expect(first!.acknowledged.get(UNO_SAKHIPUR)!.messageId).toBe(5);
  });

  it("a completion report acknowledges and reports done; one sent after acknowledging goes to the directive still not done", () => {
    const [directive] = directivesOf(
      chat([
        [0, DC, ORDER],
        [1, UNO_SAKHIPUR, "পাঠানো হয়েছে স্যার"],
        [2, UNO_MADHUPUR, "জি স্যার, পাঠাচ্ছি"],
        [90, UNO_MADHUPUR, "মধুপুরের ত্রাণ বিতরণের প্রতিবেদন ই-মেইলে পাঠানো হয়েছে স্যার।"],
      ]),
    );
    expect([...directive!.acknowledged.keys()]).toEqual([UNO_SAKHIPUR, UNO_MADHUPUR]);
    expect([...directive!.done.keys()]).toEqual([UNO_SAKHIPUR, UNO_MADHUPUR]);
    expect(directive!.done.get(UNO_MADHUPUR)!.messageId).toBe(4);
  });

  it("a long report about something else is not an answer, but one about the directive is", () => {
    const [directive] = directivesOf(
      chat([
        [0, DC, ORDER],
        [5, UNO_SAKHIPUR, "আজ সখীপুর উপজেলায় ইউনিয়ন পর্যায়ে ২০০ জন কিশোরীকে এইচপিভি টিকা দেওয়া হয়েছে এবং আগামী সপ্তাহে আরও ৫০০ জনকে দেওয়া হবে।"],
        [9, UNO_MADHUPUR, "মধুপুর উপজেলার ৬টি ইউনিয়নের ত্রাণ বিতরণের প্রতিবেদন আপনার দপ্তরে ই-নথিতে পাঠানো হয়েছে।"],
      ]),
    );
    expect([...directive!.acknowledged.keys()]).toEqual([UNO_MADHUPUR]);
  });

  it("a reply quoting the directive and a reaction to it acknowledge it, even with older directives owed", () => {
    const timeline = chat([
      [0, DC, ORDER],
      [1, ADC, SECOND_ORDER],
      [2, UNO_SAKHIPUR, "আমার উপজেলায় আজই শুরু করছি", { quotedWhatsappId: "w1" }],
      [3, UNO_MADHUPUR, "কোন ছকে?", { quotedWhatsappId: "w1" }],
    ]);
    timeline.events = [{ kind: "reaction", seq: 10, at: dhaka(2024, 10, 22, 9, 4), personId: UNO_GHATAIL, messageId: 1, emoji: "👍" }];
    const [first, second] = directivesOf(timeline);
    expect(first!.acknowledged.get(UNO_SAKHIPUR)).toMatchObject({ how: "reply", messageId: 3 });
    expect(first!.acknowledged.get(UNO_GHATAIL)).toMatchObject({ how: "reaction", eventSeq: 10 });
    // A quoted question asks; it does not acknowledge.
    expect(first!.acknowledged.has(UNO_MADHUPUR)).toBe(false);
    expect(second!.acknowledged.size).toBe(0);
  });

  it("a directive that @mentions officers expects only them", () => {
    const [directive] = directivesOf(
      chat([
        [0, UNO_GHATAIL, "শুভ সকাল"],
        [1, DC, "@ইউএনও সখীপুর @ইউএনও মধুপুর আগামীকালের মধ্যে প্রতিবেদন পাঠাবেন।", { mentioned: [UNO_SAKHIPUR, UNO_MADHUPUR], mentionNames: ["ইউএনও সখীপুর", "ইউএনও মধুপুর"] }],
        [2, UNO_GHATAIL, "জি স্যার"],
      ]),
    );
    expect(directive!.expected).toEqual([UNO_SAKHIPUR, UNO_MADHUPUR]);
    expect(directive!.acknowledged.size).toBe(0);
  });

  it("a directive that @mentions only a superior asks no officer, and an officer's জি স্যার then goes to the order he owes", () => {
    const [order, note] = directivesOf(
      chat([
        [0, UNO_SAKHIPUR, "শুভ সকাল"],
        [1, DC, ORDER],
        [2, DC, "@এডিসি সার্বিক বিষয়টি দেখবেন।", { mentioned: [ADC], mentionNames: ["এডিসি সার্বিক"] }],
        [3, UNO_SAKHIPUR, "জি স্যার"],
      ]),
    );
    expect(note!.expected).toEqual([]);
    expect([...order!.acknowledged.keys()]).toEqual([UNO_SAKHIPUR]);
  });

  it("a reply quoting something else answers nothing, even with a directive owed", () => {
    const [directive] = directivesOf(
      chat([
        [0, UNO_SAKHIPUR, "শুভ সকাল"],
        [1, DC, ORDER],
        [2, DC, "সখীপুরে বৃষ্টি কেমন?"],
        [3, UNO_SAKHIPUR, "জি স্যার, হচ্ছে", { quotedWhatsappId: "w3" }],
      ]),
    );
    expect(directive!.acknowledged.size).toBe(0);
  });

  it("an ADC who is also an officer answers the DC with জি স্যার and an order of his own: that acknowledges, it gives no directive", () => {
    const timeline = chat([
      [0, UNO_SAKHIPUR, "শুভ সকাল"],
      [1, DC, ORDER],
      [2, ADC, "জি স্যার। মোবাইল কোর্টের সংখ্যা বাড়াতে হবে, রোস্টার করে দিচ্ছি।"],
      [3, UNO_SAKHIPUR, "জি স্যার"],
    ]);
    timeline.people.set(ADC, { id: ADC, roles: ["superior", "officer"], inRoster: true });
    const tracked = directivesOf(timeline);
    expect(tracked.map((item) => item.messageId)).toEqual([2]);
    expect([...tracked[0]!.acknowledged.keys()].sort()).toEqual([ADC, UNO_SAKHIPUR].sort());
  });

  it("@one officer with thanks and the rest asked to send: everyone but the one thanked owes it", () => {
    const [directive] = directivesOf(
      chat([
        [0, UNO_SAKHIPUR, "শুভ সকাল"],
        [0, UNO_MADHUPUR, "শুভ সকাল"],
        [0, UNO_GHATAIL, "শুভ সকাল"],
        [1, DC, "@শাহানা পারভীন ধন্যবাদ। বাকিরা দ্রুত পাঠান।", { mentioned: [UNO_SAKHIPUR], mentionNames: ["শাহানা পারভীন"] }],
      ]),
    );
    expect(directive!.expected).toEqual([UNO_MADHUPUR, UNO_GHATAIL]);
  });

  it("whoever added people is in the group, and so is expected to answer", () => {
    const [directive] = directivesOf(chat([[0, DC, ORDER]], { admins: new Set([UNO_GHATAIL]) }));
    expect(directive!.expected).toEqual([UNO_GHATAIL]);
  });

  it("an officer who left before the directive, or joined after it, is not expected; one who left after still owes it", () => {
    const at = (minute: number) => dhaka(2024, 10, 22, 9, minute);
    const events: TimelineEvent[] = [
      { kind: "left", seq: 100, at: at(1), personId: UNO_SAKHIPUR },
      { kind: "joined", seq: 101, at: at(20), personId: UNO_GHATAIL },
      { kind: "left", seq: 102, at: at(30), personId: UNO_MADHUPUR },
    ];
    const [directive] = directivesOf(
      chat(
        [
          [0, UNO_SAKHIPUR, "শুভ সকাল"],
          [0, UNO_MADHUPUR, "শুভ সকাল"],
          [10, DC, ORDER],
          [25, UNO_GHATAIL, "জি স্যার"],
        ],
        { events },
      ),
    );
    expect(directive!.expected).toEqual([UNO_MADHUPUR]);
  });
});

describe("what is a directive", () => {
  it("only a superior's message can be one: an officer relaying the DC's order is not", () => {
    const tracked = trackDirectives(
      chat([
        [0, UNO_SAKHIPUR, "ডিসি স্যারের নির্দেশনা অনুযায়ী সকল ইউনিয়নে পরিচ্ছন্নতা অভিযান করতে হবে।"],
        [1, NDC, "সকলকে আগামীকাল সকাল ১০টায় সভায় উপস্থিত থাকার জন্য অনুরোধ করা হলো।"],
      ]),
      options,
    );
    expect(tracked).toEqual([]);
  });

  it("without a roster entry a group admin is a superior, and without any roster the other members are officers", () => {
    const timeline = chat(
      [
        [0, ASSISTANT, "সকলকে আগামীকাল সকাল ১০টায় সভায় উপস্থিত থাকার জন্য অনুরোধ করা হলো।"],
        [1, 40, "জি"],
      ],
      { people: new Map(), rosterLoaded: false, admins: new Set([ASSISTANT]) },
    );
    const [directive] = directivesOf(timeline);
    expect(directive!.issuerId).toBe(ASSISTANT);
    expect([...directive!.acknowledged.keys()]).toEqual([40]);
  });

  it("a superior's question, thanks and prayer request are kept with their reasons but are not directives", () => {
    const tracked = trackDirectives(
      chat([
        [0, DC, "প্রতিবেদন কি পাঠানো হয়েছে?"],
        [1, DC, "সবাইকে ধন্যবাদ।"],
        [2, DC, "আমার মা অসুস্থ, সবাই দোয়া করবেন।"],
      ]),
      options,
    );
    expect(tracked.map((item) => item.directive)).toEqual([false, false, false]);
    expect(tracked[2]!.detection.cues.some((cue) => cue.startsWith("prayer"))).toBe(true);
  });

  it("a correction decides over the detector, whenever it was made, and a deleted directive is withdrawn", () => {
    const timeline = chat([
      [0, DC, "প্রতিবেদন কি পাঠানো হয়েছে?"],
      [1, DC, ORDER],
      [2, DC, SECOND_ORDER, { deleted: true }],
      [3, UNO_SAKHIPUR, "জি স্যার"],
    ]);
    timeline.events = [
      { kind: "mark", seq: 50, at: dhaka(2024, 10, 30, 10, 0), messageId: 1, directive: true },
      { kind: "mark", seq: 51, at: dhaka(2024, 10, 30, 10, 1), messageId: 2, directive: false },
    ];
    const tracked = trackDirectives(timeline, options);
    expect(tracked.map((item) => [item.messageId, item.directive, item.marked])).toEqual([
      [1, true, true],
      [2, false, false],
      [3, false, null],
    ]);
    // With the order marked "not a directive", Sakhipur's জি স্যার answers the question that was marked one.
    expect([...tracked[0]!.acknowledged.keys()]).toEqual([UNO_SAKHIPUR]);
  });
});
