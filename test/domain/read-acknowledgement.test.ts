import { describe, expect, it } from "vitest";
import { isAbout, readAcknowledgement } from "../../src/domain/read-acknowledgement.js";
import { readLexicons } from "../../src/lexicons.js";

const { acknowledgement: lexicon } = readLexicons();
const read = (body: string) => readAcknowledgement(body, lexicon)?.kind ?? null;

describe("how officers answer a directive", () => {
  it.each([
    "জি স্যার",
    "জ্বি স্যার",
    "জী স্যার",
    "অবগত হলাম স্যার।",
    "স্যার, হাট-বাজার ইজারার তথ্য পাঠানোর বিষয়ে অবগত হলাম।",
    "Noted sir",
    "ok sir",
    "Ok",
    "👍",
    "👍🏽",
    "🙏",
    "ঠিক আছে স্যার",
    "jee sir",
    "ji sr",
    "জি স্যার, আজকেই পাঠাচ্ছি",
    "insha Allah kore dibo sir",
    "দুঃখিত স্যার, গতকাল সভায় ছিলাম। জি স্যার।",
    "জি স্যার, তবে কোন ছকে পাঠাবো?",
  ])("%s acknowledges", (body) => {
    expect(read(body)).toBe("acknowledged");
  });

  it.each(["পাঠানো হয়েছে স্যার", "সম্পন্ন করা হয়েছে", "done sir", "Sent sir ✅", "মেইল করা হয়েছে", "sitrep pathano hoyeche sir", "জি স্যার, দাখিল করা হয়েছে"])(
    "%s reports done",
    (body) => {
      expect(read(body)).toBe("done");
    },
  );

  it.each([
    "শুভ সকাল স্যার",
    "ওয়ালাইকুম আসসালাম স্যার",
    "ধন্যবাদ স্যার",
    "স্যার, কোন ছকে পাঠাবো?",
    "স্যার, উপজেলা বাতায়নগুলোও কি এর মধ্যে পড়বে?",
    "এখনো পাঠানো হয়নি, not done yet",
    "জি না স্যার, এখনো হয়নি",
    "স্যার, আমার উপজেলায় ৩টি আশ্রয়কেন্দ্রে পানি উঠেছে।",
    "<Media omitted>",
    "",
  ])("%s does not answer", (body) => {
    expect(read(body)).toBeNull();
  });

  it("a long report without an acknowledging word must be about the directive", () => {
    const report = readAcknowledgement("আজ সখীপুর উপজেলায় ইউনিয়ন পর্যায়ে ২০০ জন কিশোরীকে এইচপিভি টিকা দেওয়া হয়েছে স্যার।", lexicon);
    expect(report).toMatchObject({ kind: "done", needsTopic: true });
    expect(isAbout("আজ সখীপুর উপজেলায় ২০০ জন কিশোরীকে এইচপিভি টিকা দেওয়া হয়েছে।", "ত্রাণ বিতরণের প্রতিবেদন পাঠাবেন")).toBe(false);
    expect(isAbout("মধুপুরের ত্রাণ বিতরণের প্রতিবেদনটি পাঠানো হয়েছে।", "ত্রাণ বিতরণের প্রতিবেদন পাঠাবেন")).toBe(true);
  });
});
