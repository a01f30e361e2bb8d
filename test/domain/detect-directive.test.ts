import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { detectDirective } from "../../src/domain/detect-directive.js";
import { compileLexicon, mergeLexiconFiles } from "../../src/domain/lexicon.js";
import { formatIsoInZone } from "../../src/domain/time-zone.js";
import { readLexicons } from "../../src/lexicons.js";
import { UserError } from "../../src/user-error.js";
import { dhaka } from "../support.js";

const { directive: lexicon } = readLexicons();
const ZONE = "Asia/Dhaka";
// Tuesday 22 October 2024, 09:15 in Dhaka.
const SENT = dhaka(2024, 10, 22, 9, 15);

const detect = (body: string, more: { mentions?: string[]; forwarded?: boolean; type?: string } = {}) =>
  detectDirective({ body, type: more.type ?? "text", at: SENT, forwarded: more.forwarded ?? false, mentions: more.mentions ?? [] }, lexicon, ZONE);

describe("a superior's words that give a directive", () => {
  it.each([
    ["Bangla obligation", "সকল ইউএনওকে আগামীকাল বিকাল ৩টার মধ্যে ত্রাণ বিতরণের প্রতিবেদন পাঠাতে হবে।", "obligation"],
    ["a formal request", "আগামীকাল সকাল ১০.০০ ঘটিকায় জেলা প্রশাসকের সম্মেলন কক্ষে সভায় উপস্থিত থাকার জন্য অনুরোধ করা হলো।", "formal-request"],
    ["a polite future", "চাল ও নগদ অর্থ উভয়ই আলাদা কলামে দিবেন।", "instruction"],
    ["an imperative", "প্রতিবেদনের ছক সংযুক্ত করা হলো। এই ছক অনুসরণ করে প্রতিবেদনটি প্রস্তুত করুন।", "instruction"],
    ["a terse order ending in দিন", "তথ্য দ্রুত দিন", "imperative-end"],
    ["a heading and a numbered list", "বাজার মনিটরিং সংক্রান্ত নির্দেশনা:\n১. সপ্তাহে ২ দিন মনিটরিং\n২. মোবাইল কোর্ট পরিচালনা", "heading"],
    ["a Bangla decision", "সিদ্ধান্ত: আগামী মাস থেকে সাপ্তাহিক সভা রবিবার হবে।", "decision"],
    ["an English decision", "Decision: relief will be distributed by boat in the char areas.", "decision"],
    ["an English direction", "All UNOs are directed to submit the khas land list by 4 PM tomorrow.", "formal-request"],
    ["please", "Please ensure that all flood shelters are open tonight.", "instruction"],
    ["an English imperative after whom it is for", "All UNOs open every flood shelter immediately.", "english-imperative"],
    ["Banglish", "report ta ajker moddhe pathaben", "instruction"],
    ["Banglish obligation", "sobaike 10 tar moddhe uposthit thakte hobe", "obligation"],
    ["a greeting and then an order", "আসসালামু আলাইকুম। আজ বিকাল ৩টায় সভায় সবাই উপস্থিত থাকবেন।", "instruction"],
    ["a question and then an order", "কেন এখনো পাঠানো হয়নি? আজকের মধ্যে পাঠাবেন।", "instruction"],
    ["a meeting notice", "আগামী ২৭ অক্টোবর রবিবার সকাল ১০টায় জেলা আইনশৃঙ্খলা কমিটির সভা অনুষ্ঠিত হবে।", "schedule"],
  ])("%s: %s", (_kind, body, cue) => {
    const detection = detect(body);
    expect(detection.directive).toBe(true);
    expect(detection.cues.some((fired) => fired.startsWith(`${cue}:`))).toBe(true);
    expect(detection.confidence).toBeGreaterThan(0.5);
  });

  it("named officers and a limit are an order even without a verb", () => {
    const detection = detect("@Arif @Farhana list of flood damaged schools of your upazilas by tonight, with photos.", { mentions: ["Arif", "Farhana"] });
    expect(detection.directive).toBe(true);
  });

  it("an order to @mentioned officers reads the verb after the names", () => {
    const detection = detect("@Partha Sarathi Das allocate 20 MT GR rice today and confirm.", { mentions: ["Partha Sarathi Das"] });
    expect(detection.directive).toBe(true);
    expect(detection.cues).toContain("mentions: 1");
  });
});

describe("a superior's words that are not a directive", () => {
  it.each([
    ["a question", "প্রতিবেদন কি পাঠানো হয়েছে?"],
    ["a question with a polite future", "আপনারা কি কাল সভায় আসবেন?"],
    ["an English question", "Has the list been sent to the ministry?"],
    ["a report of what was done", "আজ জেলা আইনশৃঙ্খলা কমিটির সভা সম্পন্ন হয়েছে।"],
    ["thanks", "সবাইকে ধন্যবাদ।"],
    ["a greeting", "আসসালামু আলাইকুম। সবাইকে শুভ সকাল।"],
    ["a prayer request", "আমার বাবা অসুস্থ, সবাই দোয়া করবেন।"],
    ["a condolence", "ইন্নালিল্লাহি ওয়া ইন্নাইলাইহি রাজিউন। আল্লাহ তাঁকে জান্নাত নসিব করুন।"],
    ["news", "জেলায় ডেঙ্গু পরিস্থিতি নিয়ন্ত্রণে আছে বলে জানিয়েছেন সিভিল সার্জন। নিজস্ব প্রতিবেদক"],
    ["for information only", "শুধুমাত্র অবগতির জন্য: মন্ত্রণালয়ের প্রজ্ঞাপন সংযুক্ত।"],
    ["what the superior will do himself", "আমি আগামীকাল মধুপুর যাবো।"],
    ["a report of an old decision", "গত সভার সিদ্ধান্ত অনুযায়ী নভেম্বর পর্যন্ত ভূমি উন্নয়ন কর আদায় ৮৫% এ পৌঁছেছে।"],
    ["not mandatory", "বাধ্যতামূলক নয়, তবে অভিভাবকদের সম্মতিতে অংশগ্রহণ ভালো।"],
    ["an answer to an officer's question", "জি, আপাতত নিজস্ব বাজেট থেকে করতে হবে।"],
    ["a Banglish answer", "Na, UHC te thakle hobe. Emergency hole call diben."],
    ["a hope", "আশা করি ভবিষ্যতেও সবাই এভাবে সহযোগিতা করবেন।"],
    ["congratulations", "Please join me in congratulating the UNO of Sakhipur on the award."],
  ])("%s: %s", (_kind, body) => {
    expect(detect(body).directive).toBe(false);
  });

  it("a forwarded message, a system line and a photo without words are not directives", () => {
    expect(detect("সকল ইউএনওকে তালিকা পাঠাতে হবে।", { forwarded: true }).directive).toBe(false);
    expect(detect("X added Y", { type: "system" }).directive).toBe(false);
    expect(detect("", { type: "image" })).toMatchObject({ directive: false, cues: [] });
    expect(detect("👍").directive).toBe(false);
  });
});

describe("urgency, decisions and deadlines", () => {
  it("marks জরুরি, urgent and joruri", () => {
    expect(detect("জরুরি: আজ বিকাল ৪টার মধ্যে তথ্য পাঠাবেন।").urgent).toBe(true);
    expect(detect("Urgent. Send the list of damaged houses by 4 pm.").urgent).toBe(true);
    expect(detect("joruri: sobai ekhoni control room e asen").urgent).toBe(true);
    expect(detect("আগামীকাল তথ্য পাঠাবেন।").urgent).toBe(false);
  });

  it("reads the deadline relative to the message", () => {
    const { deadline } = detect("সকল ইউএনওকে আগামীকাল বিকাল ৩টার মধ্যে প্রতিবেদন পাঠাতে হবে।");
    expect(formatIsoInZone(deadline!.at, ZONE)).toBe("2024-10-23T15:00:00+06:00");
    expect(deadline!.allDay).toBe(false);
  });
});

describe("an office's own lexicon", () => {
  it("must be a folder that exists: a mistyped NIRDESH_LEXICONS is one clear error, not words silently missing", () => {
    expect(() => readLexicons("/no/such/folder")).toThrow(UserError);
    expect(() => readLexicons(fileURLToPath(import.meta.url))).toThrow(/not a folder/);
  });

  it("adds phrases to the project's and may change a weight", () => {
    const office = compileLexicon(
      mergeLexiconFiles([
        { threshold: 2, cues: { instruction: { weight: 2, phrases: ["*বেন"] } } },
        { cues: { "office-words": { weight: 3, phrases: ["প্রতিপালনীয়"] }, instruction: { weight: 1, phrases: [] } } },
      ]),
    );
    const read = (body: string) => detectDirective({ body, type: "text", at: SENT, forwarded: false, mentions: [] }, office, ZONE);
    expect(read("এটি সকলের জন্য প্রতিপালনীয়।").directive).toBe(true);
    // The office made a polite future alone too weak to count.
    expect(read("তথ্য পাঠাবেন।").directive).toBe(false);
  });
});
