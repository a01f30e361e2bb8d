import { describe, expect, it } from "vitest";
import { classifyMediaFile, readMarkers } from "../../src/chat-export/markers.js";
import { parseChatExport, type ExportEntry } from "../../src/chat-export/parse-chat-export.js";

/** The one message an export of `text` holds, read in Dhaka. */
function onlyMessage(text: string): ExportEntry {
  const { entries } = parseChatExport(text, { timeZone: "Asia/Dhaka" });
  expect(entries).toHaveLength(1);
  expect(entries[0]!.kind).toBe("message");
  return entries[0]!;
}

const android = (body: string) => onlyMessage(`22/10/2024, 09:20 - ফারহানা আক্তার: ${body}`);
const ios = (body: string) => onlyMessage(`\u200e[22/10/24, 9:20:11\u202fAM] ফারহানা আক্তার: ${body}`);

describe("media an officer attached", () => {
  it.each([
    { what: "a photo of the form", body: "IMG-20241022-WA0003.jpg (file attached)", file: "IMG-20241022-WA0003.jpg", type: "image", text: "" },
    { what: "a photo behind a \\u200e", body: "\u200eIMG-20241022-WA0003.jpg (file attached)", file: "IMG-20241022-WA0003.jpg", type: "image", text: "" },
    {
      what: "a photo with a two-line caption",
      body: "IMG-20241022-WA0011.jpg (file attached)\nমির্জাপুর বাজারে মোবাইল কোর্ট\n\nজরিমানা আদায় ৫০,০০০ টাকা",
      file: "IMG-20241022-WA0011.jpg",
      type: "image",
      text: "মির্জাপুর বাজারে মোবাইল কোর্ট\n\nজরিমানা আদায় ৫০,০০০ টাকা",
    },
    { what: "a video", body: "VID-20241022-WA0006.mp4 (file attached)", file: "VID-20241022-WA0006.mp4", type: "video", text: "" },
    { what: "a voice note", body: "PTT-20241022-WA0004.opus (file attached)", file: "PTT-20241022-WA0004.opus", type: "voice", text: "" },
    { what: "a sticker", body: "STK-20241022-WA0005.webp (file attached)", file: "STK-20241022-WA0005.webp", type: "sticker", text: "" },
    { what: "a contact card", body: "কাজী মাহমুদুল হাসান.vcf (file attached)", file: "কাজী মাহমুদুল হাসান.vcf", type: "contact", text: "" },
    { what: "uploaded audio that lost its extension", body: "AUD-20241022-WA0007. (file attached)", file: "AUD-20241022-WA0007.", type: "audio", text: "" },
    { what: "a document with spaces in its name", body: "UM102 assignment 5.pdf (file attached)", file: "UM102 assignment 5.pdf", type: "document", text: "" },
    {
      what: "a document whose title follows",
      body: "DOC-20241023-WA0005.pdf (file attached)\nসখীপুর উপজেলার ত্রাণ বিতরণের প্রতিবেদন (২২.১০.২০২৪ পর্যন্ত)",
      file: "DOC-20241023-WA0005.pdf",
      type: "document",
      text: "সখীপুর উপজেলার ত্রাণ বিতরণের প্রতিবেদন (২২.১০.২০২৪ পর্যন্ত)",
    },
    { what: "a Bangla-locale attachment", body: "IMG-20241022-WA0012.jpg (ফাইল সংযুক্ত)", file: "IMG-20241022-WA0012.jpg", type: "image", text: "" },
    { what: "a German-locale voice note", body: "\u200ePTT-20180129-WA0025.opus (Datei angeh\u00e4ngt)", file: "PTT-20180129-WA0025.opus", type: "voice", text: "" },
  ])("Android: $what", ({ body, file, type, text }) => {
    expect(android(body)).toMatchObject({ author: "ফারহানা আক্তার", mediaFileName: file, type, body: text, edited: false });
  });

  it.each([
    { what: "a photo", body: "\u200e<attached: 00000012-PHOTO-2024-10-22-09-20-11.jpg>", file: "00000012-PHOTO-2024-10-22-09-20-11.jpg", type: "image", text: "" },
    { what: "a video", body: "\u200e<attached: 00000037-VIDEO-2024-10-22-21-44-16.mp4>", file: "00000037-VIDEO-2024-10-22-21-44-16.mp4", type: "video", text: "" },
    { what: "a voice note", body: "\u200e<attached: 00000038-AUDIO-2024-10-22-21-44-47.opus>", file: "00000038-AUDIO-2024-10-22-21-44-47.opus", type: "voice", text: "" },
    { what: "a sticker", body: "\u200e<attached: 00000043-STICKER-2024-10-22-21-49-16.webp>", file: "00000043-STICKER-2024-10-22-21-49-16.webp", type: "sticker", text: "" },
    { what: "a GIF", body: "\u200e<attached: 00000051-GIF-2024-10-22-21-51-57.mp4>", file: "00000051-GIF-2024-10-22-21-51-57.mp4", type: "video", text: "" },
    { what: "a contact with a Bangla name", body: "\u200e<attached: 00000042-কাজী মাহমুদুল হাসান.vcf>", file: "00000042-কাজী মাহমুদুল হাসান.vcf", type: "contact", text: "" },
    {
      what: "a four-page report with its title",
      body: "\u200eসখীপুর ত্রাণ প্রতিবেদন.pdf \u2022 \u200e4 pages \u200e<attached: 00000027-সখীপুর ত্রাণ প্রতিবেদন.pdf>",
      file: "00000027-সখীপুর ত্রাণ প্রতিবেদন.pdf",
      type: "document",
      text: "সখীপুর ত্রাণ প্রতিবেদন.pdf",
    },
    {
      what: "a one-page notice",
      body: "সভার নোটিশ.pdf \u2022 \u200e1 page \u200e<attached: 00000030-সভার নোটিশ.pdf>",
      file: "00000030-সভার নোটিশ.pdf",
      type: "document",
      text: "সভার নোটিশ.pdf",
    },
    {
      what: "a spreadsheet with spaces and parentheses",
      body: "Khas land cases 2024-25 (upazila-wise) (2).xlsx \u200e<attached: 00012277-Khas land cases 2024-25 (upazila-wise) (2).xlsx>",
      file: "00012277-Khas land cases 2024-25 (upazila-wise) (2).xlsx",
      type: "document",
      text: "Khas land cases 2024-25 (upazila-wise) (2).xlsx",
    },
    { what: "a Spanish-locale photo", body: "<adjunto: 00000030-PHOTO-2020-09-29-10-13-49.jpg>", file: "00000030-PHOTO-2020-09-29-10-13-49.jpg", type: "image", text: "" },
    { what: "the oldest `X <attached>`", body: "2015-08-04-PHOTO-00004762.jpg <\u200eattached>", file: "2015-08-04-PHOTO-00004762.jpg", type: "image", text: "" },
  ])("iOS: $what", ({ body, file, type, text }) => {
    expect(ios(body)).toMatchObject({ author: "ফারহানা আক্তার", mediaFileName: file, type, body: text });
  });
});

describe("media left out of the export", () => {
  it.each([
    { what: "Android <Media omitted>", line: "22/10/2024, 12:30 - আরিফুর রহমান: <Media omitted>", type: "media", text: "" },
    { what: "Android <Media omitted> with a caption", line: "22/10/2024, 12:30 - আরিফুর রহমান: <Media omitted>\nসভার ছবি", type: "media", text: "সভার ছবি" },
    { what: "Bangla-locale media omitted", line: "22/10/2024, 12:30 - আরিফুর রহমান: <মিডিয়া বাদ দেওয়া হয়েছে>", type: "media", text: "" },
    { what: "Android view-once `null`", line: "22/10/2024, 12:30 - আরিফুর রহমান: null", type: "media", text: "" },
    { what: "iOS \\u200eimage omitted", line: "\u200e[22/10/24, 11:02:37\u202fAM] +880 1711-000013: \u200eimage omitted", type: "image", text: "" },
    { what: "iOS image omitted without a mark", line: "[22/10/24, 11:02:37\u202fAM] +880 1711-000013: image omitted", type: "image", text: "" },
    { what: "iOS video omitted", line: "\u200e[22/10/24, 11:02:37\u202fAM] +880 1711-000013: \u200evideo omitted", type: "video", text: "" },
    { what: "iOS audio omitted", line: "\u200e[22/10/24, 11:02:37\u202fAM] +880 1711-000013: \u200eaudio omitted", type: "audio", text: "" },
    { what: "iOS sticker omitted", line: "\u200e[22/10/24, 11:02:37\u202fAM] +880 1711-000013: \u200esticker omitted", type: "sticker", text: "" },
    { what: "iOS GIF omitted", line: "\u200e[22/10/24, 11:02:37\u202fAM] +880 1711-000013: \u200eGIF omitted", type: "video", text: "" },
    { what: "iOS Contact card omitted", line: "\u200e[22/10/24, 11:02:37\u202fAM] +880 1711-000013: \u200eContact card omitted", type: "contact", text: "" },
    {
      what: "iOS document omitted keeps its title",
      line: "\u200e[22/10/24, 11:02:37\u202fAM] +880 1711-000013: সভার নোটিশ.pdf \u2022 \u200e2 pages \u200edocument omitted",
      type: "document",
      text: "সভার নোটিশ.pdf",
    },
    { what: "old iOS <\\u200eimage omitted>", line: "9/10/16, 8:37:21 PM: Philip P.: <\u200eimage omitted>", type: "image", text: "" },
    { what: "old iOS <\\u200eaudio omitted>", line: "13/06/15 10:59:59: Giorgia's Phone: <\u200eaudio omitted>", type: "audio", text: "" },
  ])("$what is $type with no file", ({ line, type, text }) => {
    expect(onlyMessage(line)).toMatchObject({ type, mediaFileName: null, body: text });
  });
});

describe("text that only mentions WhatsApp's markers stays text", () => {
  it.each([
    "the DC said the video omitted",
    "গতকালের সভার ছবি আর video omitted",
    "ফাইলটি দেখুন <নোট: file.pdf> তারপর জানাবেন",
    "report.pdf (final version)",
  ])("%j", (body) => {
    expect(android(body)).toMatchObject({ type: "text", body, mediaFileName: null });
  });
});

describe("deleted and edited messages", () => {
  it.each([
    { what: "Android, someone else", line: "23/10/2024, 11:15 - আরিফুর রহমান: This message was deleted" },
    { what: "Android, yourself", line: "23/10/2024, 11:15 - আরিফুর রহমান: You deleted this message" },
    { what: "iOS, someone else", line: "[22/10/24, 4:10:27\u202fPM] মাহবুব আলম: \u200eThis message was deleted." },
    { what: "iOS, yourself", line: "[22/10/24, 4:11:05\u202fPM] ফারহানা আক্তার: \u200eYou deleted this message." },
    { what: "iOS, yourself, no mark", line: "[22/10/24, 4:11:05\u202fPM] ফারহানা আক্তার: You deleted this message." },
    { what: "by an admin", line: "23/10/2024, 11:15 - আরিফুর রহমান: This message was deleted by admin মেহেদী হাসান" },
    { what: "Bangla locale", line: "23/10/2024, 11:15 - আরিফুর রহমান: এই মেসেজটি মুছে ফেলা হয়েছে" },
  ])("a deletion ($what) is revoked with an empty body", ({ line }) => {
    expect(onlyMessage(line)).toMatchObject({ type: "revoked", body: "", mediaFileName: null });
  });

  it.each([
    {
      what: "Android",
      line: "23/10/2024, 11:16 - আরিফুর রহমান: কালিহাতী উপজেলার প্রতিবেদন ইমেইলে পাঠানো হয়েছে স্যার। <This message was edited>",
      text: "কালিহাতী উপজেলার প্রতিবেদন ইমেইলে পাঠানো হয়েছে স্যার।",
    },
    {
      what: "iOS, behind a \\u200e",
      line: "[23/10/24, 11:16:40\u202fAM] আরিফুর রহমান: কালিহাতীর প্রতিবেদন পাঠানো হয়েছে স্যার। \u200e<This message was edited>",
      text: "কালিহাতীর প্রতিবেদন পাঠানো হয়েছে স্যার।",
    },
    {
      what: "on the last line of a multi-line message",
      line: "23/10/2024, 11:16 - আরিফুর রহমান: প্রতিবেদন:\n১. কালিহাতী <This message was edited>",
      text: "প্রতিবেদন:\n১. কালিহাতী",
    },
    { what: "Bangla locale", line: "23/10/2024, 11:16 - আরিফুর রহমান: প্রতিবেদন পাঠানো হয়েছে <এই মেসেজটি এডিট করা হয়েছে>", text: "প্রতিবেদন পাঠানো হয়েছে" },
  ])("an edit ($what) sets the flag and loses the suffix", ({ line, text }) => {
    expect(onlyMessage(line)).toMatchObject({ type: "text", edited: true, body: text });
  });

  it("a caption that merely quotes the edited marker mid-text is not an edit", () => {
    expect(android("ফোনে <This message was edited> লেখা দেখাচ্ছে কেন?")).toMatchObject({ edited: false, body: "ফোনে <This message was edited> লেখা দেখাচ্ছে কেন?" });
  });
});

describe("mentions, locations, polls", () => {
  it("the DC's @mentions are collected and their direction marks dropped from the body", () => {
    const entry = android("@\u2068শাহানা পারভীন\u2069 @\u2068+880 1711-000013\u2069 সখীপুরের প্রতিবেদন আজই পাঠান");
    expect(entry.mentions).toEqual(["শাহানা পারভীন", "+880 1711-000013"]);
    expect(entry.body).toBe("@শাহানা পারভীন @+880 1711-000013 সখীপুরের প্রতিবেদন আজই পাঠান");
    expect(entry.body).not.toMatch(/[\u2068\u2069]/);
  });

  it("a push-name mention keeps its ~, and an old raw-number mention is not collected", () => {
    expect(android("শুভ জন্মদিন @\u2068~রাশেদ\u2069").mentions).toEqual(["~রাশেদ"]);
    expect(android("@8801711000013 দেখুন")).toMatchObject({ mentions: [], body: "@8801711000013 দেখুন" });
  });

  it.each([
    { what: "Android pin", body: "location: https://maps.google.com/?q=24.2513,89.9167" },
    { what: "iOS pin", body: "\u200eLocation: https://maps.google.com/?q=24.2513,89.9167" },
    { what: "live location", body: "live location shared" },
  ])("$what is a location", ({ body }) => {
    expect(android(body)).toMatchObject({ type: "location", mediaFileName: null });
  });

  it("a poll keeps its question and options", () => {
    const entry = android("POLL:\nসমন্বয় সভা কবে হবে?\nOPTION: রবিবার (5 votes)\nOPTION: সোমবার (2 votes)\n");
    expect(entry).toMatchObject({ type: "poll", body: "POLL:\nসমন্বয় সভা কবে হবে?\nOPTION: রবিবার (5 votes)\nOPTION: সোমবার (2 votes)" });
  });
});

describe("authors as WhatsApp writes them", () => {
  it.each([
    { what: "a saved name", line: "22/10/2024, 09:16 - শাহানা পারভীন: জি স্যার", author: "শাহানা পারভীন" },
    { what: "an unsaved number", line: "22/10/2024, 09:18 - +880 1711-000011: ok sir", author: "+880 1711-000011" },
    { what: "a push name `~ Name`", line: "22/10/2024, 09:18 - ~ রাশেদ করিম: জি স্যার", author: "রাশেদ করিম" },
    { what: "a push name `~Name`", line: "22/10/2024, 09:18 - ~রাশেদ করিম: জি স্যার", author: "রাশেদ করিম" },
    { what: "a push name `~\\u202fName`", line: "22/10/2024, 09:18 - ~\u202fরাশেদ করিম: জি স্যার", author: "রাশেদ করিম" },
    { what: "an empty push name", line: "22/10/2024, 09:18 - ~: জি স্যার", author: "~" },
    { what: "an iOS number in direction marks", line: "[22/10/24, 9:18:00\u202fAM] \u202a+880\u00a01711-000013\u202c: জি স্যার", author: "+880 1711-000013" },
    { what: "an old iOS number with a no-break hyphen kept", line: "4/26/16, 16:23:03: \u202a+880\u00a01711\u2011000013\u202c: জি স্যার", author: "+880 1711\u2011000013" },
    { what: "a name with a dot and a dash", line: "22/10/2024, 11:40 - মো. রাশেদুল করিম - এডিসি: জি", author: "মো. রাশেদুল করিম - এডিসি" },
    { what: "an emoji name", line: "22/10/2024, 11:40 - \u{1f33e} কৃষি অফিস: জি", author: "\u{1f33e} কৃষি অফিস" },
  ])("$what: $author", ({ line, author }) => {
    expect(onlyMessage(line).author).toBe(author);
  });

  it("the author ends at the first colon, so a colon in the body stays in the body", () => {
    expect(onlyMessage("22/10/2024, 11:40 - মো. রাশেদুল করিম: জরুরি: ভূমি উন্নয়ন কর : সাপ্তাহিক")).toMatchObject({
      author: "মো. রাশেদুল করিম",
      body: "জরুরি: ভূমি উন্নয়ন কর : সাপ্তাহিক",
    });
  });

  it("an empty Android message (a view-once photo) is the officer's, with an empty body", () => {
    expect(onlyMessage("22/10/2024, 23:59 - নুসরাত জাহান:")).toMatchObject({ author: "নুসরাত জাহান", body: "", type: "text" });
  });
});

describe("readMarkers on a bare body", () => {
  it.each([
    { raw: "জি স্যার", body: "জি স্যার", type: "text", edited: false, file: null, mentions: [] },
    { raw: "IMG-20241022-WA0003.jpg (file attached)\nছক", body: "ছক", type: "image", edited: false, file: "IMG-20241022-WA0003.jpg", mentions: [] },
    { raw: "\u200e<attached: 00000012-PHOTO-2024-10-22-09-20-11.jpg>", body: "", type: "image", edited: false, file: "00000012-PHOTO-2024-10-22-09-20-11.jpg", mentions: [] },
    { raw: "This message was deleted <This message was edited>", body: "", type: "revoked", edited: true, file: null, mentions: [] },
    { raw: "@\u2068আবু সাঈদ মোল্লা\u2069 দেখুন <This message was edited>", body: "@আবু সাঈদ মোল্লা দেখুন", type: "text", edited: true, file: null, mentions: ["আবু সাঈদ মোল্লা"] },
    { raw: "<Media omitted>", body: "", type: "media", edited: false, file: null, mentions: [] },
  ])("$raw → $type", ({ raw, body, type, edited, file, mentions }) => {
    expect(readMarkers(raw)).toEqual({ body, type, edited, mediaFileName: file, mentions });
  });
});

describe("classifyMediaFile names what a file is", () => {
  it.each([
    ["IMG-20241022-WA0003.jpg", "image"],
    ["VID-20241022-WA0006.mp4", "video"],
    ["GIF-20241022-WA0008.mp4", "video"],
    ["PTT-20241022-WA0004.opus", "voice"],
    ["AUD-20241022-WA0007.mp3", "audio"],
    ["AUD-20241022-WA0007.opus", "audio"],
    ["AUD-20241022-WA0007.", "audio"],
    ["STK-20241022-WA0005.webp", "sticker"],
    ["DOC-20241023-WA0005.pdf", "document"],
    ["Alex.vcf", "contact"],
    ["00000035-PHOTO-2022-03-27-21-41-55.jpg", "image"],
    ["00000037-VIDEO-2022-03-27-21-44-16.mp4", "video"],
    ["00000038-AUDIO-2022-03-27-21-44-47.opus", "voice"],
    ["00000039-AUDIO-2022-03-27-21-45-00.m4a", "audio"],
    ["00000043-STICKER-2022-03-27-21-49-16.webp", "sticker"],
    ["00000051-GIF-2022-03-27-21-51-57.mp4", "video"],
    ["00000042-TR.vcf", "contact"],
    ["00000047-Resume-Dmitry-Starkov.pdf", "document"],
    ["00000027-সখীপুর ত্রাণ প্রতিবেদন.pdf", "document"],
    ["00012277-BE Project Data 2021-22 Group formation (2).xlsx", "document"],
    ["2015-08-04-PHOTO-00004762.jpg", "image"],
    ["4f2680f1db95a8454775cc2eefc95bfc.jpg", "image"],
    ["scan.HEIC", "image"],
    ["কার্যবিবরণী.docx", "document"],
  ])("%s is %s", (fileName, type) => {
    expect(classifyMediaFile(fileName)).toBe(type);
  });
});
