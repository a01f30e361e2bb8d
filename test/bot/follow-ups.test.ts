import { afterEach, describe, expect, it, vi } from "vitest";
import { readNudgePolicy } from "../../src/nudge-policy-file.js";
import { messagesFor } from "../../src/text.js";
import { BASAIL, DC, liveOffice, OFFICE, SAKHIPUR } from "./live-office.js";

afterEach(() => {
  vi.useRealTimers();
});

const MINUTE = 60_000;
const BANGLA = messagesFor("bn");

describe("smoke", () => {
  it("nudges", async () => {
    const office = await liveOffice({ followUps: readNudgePolicy(undefined, BANGLA) });
    const directive = office.message(DC, "সকল ইউএনও আগামীকালের মধ্যে বন্যা পরিস্থিতির প্রতিবেদন পাঠাবেন।");
    office.transport.deliver(directive);
    await office.settle();
    vi.advanceTimersByTime(5 * MINUTE);
    office.transport.deliver(office.message(SAKHIPUR, "জি স্যার", { quotedId: directive.id }));
    await office.settle();
    await vi.advanceTimersByTimeAsync(8 * 60 * MINUTE);
    await office.settle();
    console.log(office.transport.sent.map((m) => [new Date(m.at).toISOString(), m.chatId, m.text, m.mentions, m.quotedId === directive.id]));
    await office.stop();
  });
});
