import { afterEach, describe, expect, it, vi } from "vitest";
import type { LiveChat, LivePerson } from "../../src/domain/live-event.js";
import { readInChatCommand } from "../../src/domain/read-in-chat-command.js";
import { directiveViews } from "../../src/store/directive-views.js";
import { BASAIL, DC, liveOffice, NEZARAT, OFFICE, SAKHIPUR } from "./live-office.js";

afterEach(() => {
  vi.useRealTimers();
});

const direct = (person: LivePerson): LiveChat => ({ whatsappId: person.whatsappId, name: person.name, isGroup: false });

describe("reading an in-chat command", () => {
  it.each([
    ["!নির্দেশ", "directive", ""],
    ["!directive", "directive", ""],
    ["!নয়", "not-directive", ""],
    ["!NOT", "not-directive", ""],
    ["! বাকি", "pending", ""],
    ["！pending", "pending", ""],
    ["!খুঁজুন বন্যা প্রতিবেদন", "search", "বন্যা প্রতিবেদন"],
    ["!search flood\nreport", "search", "flood\nreport"],
    ["!export ত্রাণ", "export", "ত্রাণ"],
    ["!সাহায্য", "help", ""],
  ])("%s is the %s command", (body, name, argument) => {
    expect(readInChatCommand(body)).toEqual({ name, argument });
  });

  it.each(["জি স্যার!", "!!!", "!অজানা", "দয়া করে !বাকি দেখুন", ""])("%j is an ordinary message", (body) => {
    expect(readInChatCommand(body)).toBeNull();
  });
});

describe("in-chat commands", () => {
  it("the DC corrects a missed directive by replying !নির্দেশ, and the bot confirms quoting it", async () => {
    const office = await liveOffice();
    const missed = office.message(DC, "বন্যা পরিস্থিতির সর্বশেষ তথ্য সংযুক্ত করা হলো।");
    office.transport.deliver(missed);
    await office.settle();
    expect(directiveViews(office.archive, { messageIds: [office.rows()[0]!.id] })).toHaveLength(0);

    office.transport.deliver(office.message(DC, "!নির্দেশ", { quotedId: missed.id }));
    await office.settle();
    await vi.advanceTimersByTimeAsync(1_000);

    const marked = office.events("mark");
    expect(marked).toHaveLength(1);
    expect(JSON.parse(marked[0]!.data)).toEqual({ directive: true });
    expect(marked[0]!.source).toBe("live");
    expect(directiveViews(office.archive, { messageIds: [office.rows()[0]!.id] })).toHaveLength(1);
    const reply = office.transport.sent.at(-1)!;
    expect(reply.chatId).toBe(OFFICE.whatsappId);
    expect(reply.quotedId).toBe(missed.id);
    expect(reply.text).toContain("নির্দেশনা হিসেবে চিহ্নিত");
    await office.stop();
  });

  it("an officer's !নয় is ignored in the group, changes nothing, and is audited as refused", async () => {
    const office = await liveOffice();
    const directive = office.message(DC, "সকল ইউএনও আজই প্রতিবেদন পাঠাবেন।");
    office.transport.deliver(directive);
    office.transport.deliver(office.message(SAKHIPUR, "!নয়", { quotedId: directive.id }));
    await office.settle();
    await vi.advanceTimersByTimeAsync(1_000);

    expect(office.events("mark")).toHaveLength(0);
    expect(office.transport.sent).toHaveLength(0);
    const [audit] = office.events("audit");
    expect(JSON.parse(audit!.data)).toMatchObject({ action: "not-directive", allowed: false, rows: 0 });
    expect(audit!.actor_phone).toBe(SAKHIPUR.phone);
    await office.stop();
  });

  it("!বাকি lists the group's directives still owed, with who has not answered", async () => {
    const office = await liveOffice();
    office.transport.deliver(office.message(DC, "সকল ইউএনও আগামীকালের মধ্যে বন্যার প্রতিবেদন পাঠাবেন।"));
    office.transport.deliver(office.message(SAKHIPUR, "জি স্যার"));
    office.transport.deliver(office.message(DC, "!বাকি"));
    await office.settle();
    await vi.advanceTimersByTimeAsync(1_000);

    const reply = office.transport.sent.at(-1)!;
    expect(reply.text).toContain("বন্যার প্রতিবেদন");
    expect(reply.text).toContain(`সাড়া দেননি (১): ${BASAIL.name}`);
    expect(JSON.parse(office.events("audit")[0]!.data)).toMatchObject({ action: "pending", allowed: true, rows: 1 });
    await office.stop();
  });

  it("a record keeper searches by direct message; the answer is never archived", async () => {
    const office = await liveOffice();
    office.transport.deliver(office.message(DC, "ত্রাণ বিতরণের তালিকা আজ পাঠাবেন।"));
    office.transport.deliver(office.message(NEZARAT, "!খুঁজুন ত্রাণ", { chat: direct(NEZARAT) }));
    await office.settle();
    await vi.advanceTimersByTimeAsync(1_000);

    const reply = office.transport.sent.at(-1)!;
    expect(reply.chatId).toBe(NEZARAT.whatsappId);
    expect(reply.text).toContain("ত্রাণ বিতরণের তালিকা");
    expect(office.rows()).toHaveLength(1);
    const audit = office.events("audit")[0]!;
    expect(JSON.parse(audit.data)).toMatchObject({ action: "search", allowed: true, rows: 1, filters: { query: "ত্রাণ" } });
    await office.stop();
  });

  it("an officer who asks for a search by direct message gets no data, and the attempt is audited", async () => {
    const office = await liveOffice();
    office.transport.deliver(office.message(DC, "গোপনীয় বিষয়: ত্রাণ বরাদ্দ"));
    office.transport.deliver(office.message(SAKHIPUR, "!search ত্রাণ", { chat: direct(SAKHIPUR) }));
    await office.settle();
    await vi.advanceTimersByTimeAsync(1_000);

    const reply = office.transport.sent.at(-1)!;
    expect(reply.text).not.toContain("ত্রাণ");
    expect(reply.text).toContain("রেকর্ড কিপার");
    expect(JSON.parse(office.events("audit")[0]!.data)).toMatchObject({ action: "search", allowed: false, rows: 0 });
    await office.stop();
  });

  it("!export sends the record keeper a CSV document that opens in Excel and runs nothing", async () => {
    const office = await liveOffice();
    office.transport.deliver(office.message(DC, '=HYPERLINK("http://x","ত্রাণ")'));
    office.transport.deliver(office.message(DC, "ত্রাণ, \"জরুরি\"\nদ্বিতীয় লাইন"));
    office.transport.deliver(office.message(NEZARAT, "!export ত্রাণ", { chat: direct(NEZARAT) }));
    await office.settle();
    await vi.advanceTimersByTimeAsync(1_000);

    const reply = office.transport.sent.at(-1)!;
    expect(reply.document?.mimetype).toBe("text/csv");
    const csv = reply.document!.data.toString("utf8");
    expect(csv.startsWith("\ufeffid,chat,at,")).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""ত্রাণ"")"`);
    expect(csv).toContain(`"ত্রাণ, ""জরুরি""\nদ্বিতীয় লাইন"`);
    await office.stop();
  });

  it("a hostile search gets one clear line, not an error", async () => {
    const office = await liveOffice();
    office.transport.deliver(office.message(NEZARAT, `!search ${"ক".repeat(2_000)}`, { chat: direct(NEZARAT) }));
    office.transport.deliver(office.message(NEZARAT, '!search " OR NEAR( * ) --', { chat: direct(NEZARAT) }));
    await office.settle();
    await vi.advanceTimersByTimeAsync(1_000);

    expect(office.transport.sent.map((sent) => sent.text)).toEqual([expect.stringContaining("অক্ষরের বেশি হতে পারবে না"), "কিছু পাওয়া যায়নি।"]);
    expect(office.logger.lines().some((line) => JSON.parse(line).level >= 50)).toBe(false);
    await office.stop();
  });

  it("does not answer commands it only sees in a catch-up, asked while it was away", async () => {
    const office = await liveOffice();
    office.transport.drop();
    office.transport.deliver(office.message(DC, "!বাকি"));
    await vi.advanceTimersByTimeAsync(10_000);
    await office.settle();
    expect(office.rows().map((row) => row.body)).toEqual(["!বাকি"]);
    expect(office.transport.sent).toHaveLength(0);
    await office.stop();
  });
});

describe("a superior marks a directive urgent in WhatsApp", () => {
  it("the DC replies !জরুরি to his own message, so the officers are nudged after ten minutes, not thirty", async () => {
    const { readNudgePolicy } = await import("../../src/nudge-policy-file.js");
    const { messagesFor } = await import("../../src/text.js");
    const office = await liveOffice({ followUps: readNudgePolicy(undefined, messagesFor("bn")) });
    const directive = office.message(DC, "সকল ইউএনও আজকের মধ্যে আশ্রয়কেন্দ্রের তালিকা পাঠাবেন।");
    office.transport.deliver(directive);
    await office.settle();
    vi.advanceTimersByTime(60_000);
    office.transport.deliver(office.message(DC, "!জরুরি", { quotedId: directive.id }));
    await office.settle();
    const [tracked] = directiveViews(office.archive, {});
    expect(tracked?.urgent).toBe(true);
    expect(office.transport.sent.at(-1)?.text).toMatch(/জরুরি নির্দেশনা হিসেবে চিহ্নিত/);
    const replies = office.transport.sent.length;

    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await office.settle();
    const nudges = office.transport.sent.slice(replies);
    expect(nudges).toHaveLength(1);
    expect(nudges[0]!.at).toBe(directive.at + 10 * 60_000);
    expect(nudges[0]!.text).toMatch(/জরুরি নির্দেশনা/);
    expect(nudges[0]!.mentions).toEqual([SAKHIPUR.whatsappId, BASAIL.whatsappId]);
    expect(readInChatCommand("!urgent")?.name).toBe("urgent");
    expect(readInChatCommand("!Joruri")?.name).toBe("urgent");
    await office.stop();
  });
});
