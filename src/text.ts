import { toBanglaDigits } from "./domain/digits.js";
import type { DirectiveColumn } from "./export/messages-xlsx.js";

/**
 * Everything Nirdesh says to a person, in Bangla (the default) and English.
 * Numbers in Bangla sentences are written in Bangla digits; ids, times and phones stay as typed.
 */
const n = (value: number) => toBanglaDigits(value.toLocaleString("en-IN"));

/** What an import summary says in a sentence. */
interface ImportCounts {
  chat: string;
  messagesFound: number;
  messagesAdded: number;
  editsFound: number;
  deletionsFound: number;
  eventsAdded: number;
  mediaStored: number;
}

/** What a backup or a restore says it holds. */
interface BackupCounts {
  messages: number;
  rows: number;
  head: string;
  media: number;
  bytes: number;
}

const bytesIn = (bytes: number) =>
  bytes >= 1024 ** 3 ? [bytes / 1024 ** 3, "GB"] as const : bytes >= 1024 ** 2 ? [bytes / 1024 ** 2, "MB"] as const : [bytes / 1024, "KB"] as const;
const bytesBn = (bytes: number) => {
  const [value, unit] = bytesIn(bytes);
  return `${toBanglaDigits(value.toFixed(1))} ${unit}`;
};
const bytesEn = (bytes: number) => {
  const [value, unit] = bytesIn(bytes);
  return `${value.toFixed(1)} ${unit}`;
};

export const bangla = {
  lang: "bn" as "bn" | "en",
  errorPrefix: "ত্রুটি",
  // Input problems (exit 2)
  exportEmpty: (file: string) => `${file}: ফাইলটি খালি, এতে কোনো বার্তা নেই।`,
  exportHasNoMessages: (file: string) =>
    `${file}: এটি WhatsApp-এর "Export chat" ফাইল নয়: কোনো লাইন তারিখ ও সময় দিয়ে শুরু হয়নি।`,
  exportNotText: (file: string) => `${file}: এটি UTF-8/UTF-16 লেখা (text) বা zip ফাইল নয়, অথবা ফাইলটি নষ্ট।`,
  exportTooLarge: (file: string) => `${file}: চ্যাট ফাইলটি অস্বাভাবিক বড় (৪০০ MB-এর বেশি); ছোট অংশে রপ্তানি করুন।`,
  zipManyTexts: (file: string) => `${file}: zip-এ একাধিক .txt ফাইল, কোনটি চ্যাট বোঝা যায়নি; চ্যাটের .txt ফাইলটি আলাদা করে দিন।`,
  zipBomb: (file: string, entry: string) => `${file}: "${entry}" অস্বাভাবিকভাবে প্রসারিত হয় (zip bomb); ইমপোর্ট বাতিল।`,
  badChatName: "--chat: গ্রুপের নাম খালি হতে পারে না।",
  noArchive: (path: string) => `${path}: এখানে কোনো আর্কাইভ নেই (--db বা NIRDESH_DB দেখুন)।`,
  importUnreadLines: (count: number) => `প্রথম বার্তার আগের ${n(count)}টি লাইনে তারিখ-সময় নেই; সেগুলো সংরক্ষিত হয়নি।`,
  fileNotFound: (file: string) => `${file}: ফাইলটি পাওয়া যায়নি।`,
  fileNotReadable: (file: string, reason: string) => `${file}: ফাইলটি পড়া গেল না (${reason})।`,
  zipBroken: (file: string, reason: string) => `${file}: zip ফাইলটি ভাঙা (${reason})।`,
  zipHasNoChat: (file: string) => `${file}: zip ফাইলের ভেতরে চ্যাটের .txt ফাইল নেই।`,
  chatNameUnknown: (file: string) =>
    `${file}: কোন গ্রুপের চ্যাট তা বোঝা যায়নি; --chat "গ্রুপের নাম" দিন।`,
  unknownChat: (name: string) => `"${name}" নামে কোনো চ্যাট আর্কাইভে নেই।`,
  unknownPerson: (name: string) => `"${name}" নামে বা নম্বরে কাউকে আর্কাইভে পাওয়া যায়নি।`,
  ambiguousChat: (name: string, names: string) => `"${name}" একাধিক চ্যাটের নামে আছে (${names}); পুরো নাম দিন।`,
  blankOption: (option: string) => `${option} খালি হতে পারে না।`,
  badDate: (value: string) =>
    `"${value}" তারিখটি বোঝা যায়নি; লিখুন 2024-10-22, 22/10/2024 বা ২২/১০/২০২৪ (সময়সহ: 2024-10-22T09:30)।`,
  badDateRange: "--since তারিখটি --until তারিখের পরে।",
  badNumber: (option: string, value: string) => `${option}: "${value}" একটি ধনাত্মক পূর্ণসংখ্যা নয়।`,
  badDateOrder: (value: string) => `--date-order: "${value}" নয়; dmy, mdy, ymd বা ydm লিখুন।`,
  badMessageId: (value: string) => `"${value}" কোনো বার্তার নম্বর নয়।`,
  messageNotFound: (id: number) => `${n(id)} নম্বরের কোনো বার্তা আর্কাইভে নেই।`,
  badConfig: (problems: string) => `ভুল মান: ${problems}`,
  simulateNothing: "রপ্তানি ফাইলগুলোতে কোনো বার্তা নেই; সিমুলেট করার কিছু নেই।",
  simulateUntilTooEarly: "--until প্রথম বার্তার আগের সময়।",
  simulateHeading: (chats: number, messages: number, directives: number, from: string, until: string) =>
    `সিমুলেশন: ${n(chats)}টি চ্যাট, ${n(messages)}টি বার্তা, ${n(directives)}টি নির্দেশনা; ${from} থেকে ${until} পর্যন্ত। বট যা পাঠাত:`,
  outgoingKind: { nudge: "তাগিদ", reminder: "সময়সীমার স্মরণ", escalation: "নির্দেশদাতাকে জানানো", digest: "দৈনিক সারসংক্ষেপ", reply: "কমান্ডের উত্তর" } as Record<string, string>,
  outgoingVia: (via: "group" | "direct"): string => (via === "group" ? "গ্রুপে" : "সরাসরি বার্তায়"),
  outgoingAbout: (id: number, at: string, issuer: string) => `নির্দেশনা #${id} (${at}, ${issuer})`,
  simulateNothingSent: "বট কিছুই পাঠাত না।",
  simulateNeedsRoster: "কোনো নির্দেশনা পাওয়া যায়নি: রোস্টার ছাড়া শুধু গ্রুপের অ্যাডমিনরা ঊর্ধ্বতন; কে কী পদে আছেন তা জানাতে --roster CSV দিন।",
  simulateTotals: (counts: Record<string, number>) =>
    `মোট: ${n(counts.nudge ?? 0)}টি তাগিদ, ${n(counts.reminder ?? 0)}টি সময়সীমার স্মরণ, ${n(counts.escalation ?? 0)}টি নির্দেশদাতাকে জানানো, ${n(counts.digest ?? 0)}টি দৈনিক সারসংক্ষেপ, ${n(counts.reply ?? 0)}টি কমান্ডের উত্তর।`,
  nudgePolicyUnreadable: (path: string, reason: string) => `${path}: তাগিদের (nudge) নিয়মের ফাইলটি পড়া গেল না (${reason})।`,
  nudgePolicyInvalid: (path: string, problem: string) => `${path}: তাগিদের (nudge) নিয়মের ফাইলটি ঠিক নেই: ${problem}`,
  lexiconUnreadable: (path: string, reason: string) => `${path}: শব্দতালিকা (lexicon) পড়া গেল না (${reason})।`,
  lexiconInvalid: (path: string, problem: string) => `${path}: শব্দতালিকা (lexicon) ঠিক নেই: ${problem}`,
  lexiconFolderMissing: (path: string) => `NIRDESH_LEXICONS: "${path}" কোনো ফোল্ডার নয়; অফিসের directive.json ও acknowledgement.json যে ফোল্ডারে আছে সেটি দিন।`,
  trackingStale: "দ্রষ্টব্য: রোস্টার, শব্দতালিকা বা সময় অঞ্চল বদলেছে; নতুন হিসাবের জন্য nirdesh reindex চালান।",
  unknownCommand: (name: string) => `"${name}" কোনো কমান্ড নয়; সাহায্যের জন্য: nirdesh help`,
  badUsage: (detail: string) => `${detail}; সাহায্যের জন্য: nirdesh help`,
  missingArgument: (what: string) => `${what} দিন`,
  queryTooLong: (max: number) => `খোঁজার লেখা ${n(max)} অক্ষরের বেশি হতে পারবে না।`,
  databaseNotArchive: (path: string) => `${path}: এটি Nirdesh-এর আর্কাইভ নয় বা ফাইলটি নষ্ট।`,
  archiveNeedsWal: (path: string) =>
    `${path}: ফোল্ডারটি শুধু-পঠনযোগ্য এবং আর্কাইভের -wal ফাইলে অসংরক্ষিত পাতা আছে; আর্কাইভটি লেখা যায় এমন ফোল্ডারে কপি করুন।`,
  archiveNeedsUpgrade: (path: string) => `${path}: আর্কাইভটি পুরনো সংস্করণের; একবার nirdesh import বা roster import চালালে হালনাগাদ হবে।`,
  databaseBusy: (path: string) => `${path}: আর্কাইভটি অন্য একটি প্রক্রিয়া ব্যবহার করছে; একটু পরে আবার চেষ্টা করুন।`,
  archiveEncrypted: (path: string) => `${path}: আর্কাইভটি এনক্রিপ্ট করা; NIRDESH_DB_KEY-তে এর চাবি (key) দিন।`,
  archiveWrongKey: (path: string) => `${path}: NIRDESH_DB_KEY-এর চাবি দিয়ে আর্কাইভটি খোলে না (ভুল চাবি), অথবা ফাইলটি নষ্ট।`,
  archiveNotEncrypted: (path: string) =>
    `${path}: আর্কাইভটি এনক্রিপ্ট করা নয়, অথচ NIRDESH_DB_KEY দেওয়া আছে; চাবি সরান, অথবা আর্কাইভটি এনক্রিপ্ট করুন (docs/backups.md)।`,
  // Backups
  backupExists: (path: string) => `${path}: আগে থেকেই আছে; অন্য ঠিকানা দিন, অথবা আগের Nirdesh ব্যাকআপ বদলাতে --force দিন।`,
  backupTargetForeign: (path: string) => `${path}: এটি Nirdesh-এর ব্যাকআপ নয়, তাই --force দিলেও বদলানো হবে না; অন্য ঠিকানা দিন।`,
  cannotWrite: (path: string, reason: string) => `${path}: এখানে লেখা গেল না (${reason}); জায়গা ও অনুমতি দেখুন।`,
  backupNotFound: (path: string) => `${path}: এখানে কোনো Nirdesh ব্যাকআপ নেই (ফোল্ডারে nirdesh.db থাকার কথা)।`,
  backupDone: (path: string, b: BackupCounts) =>
    `ব্যাকআপ লেখা হয়েছে: ${path} — ${n(b.messages)}টি বার্তা, হ্যাশ-শৃঙ্খলের ${n(b.rows)}টি সারি যাচাই করা (শীর্ষ হ্যাশ ${b.head}), ${n(b.media)}টি মিডিয়া ফাইল, মোট ${bytesBn(b.bytes)}।`,
  backupMediaMissing: (count: number) => `সতর্কতা: আর্কাইভে উল্লেখ থাকা ${n(count)}টি মিডিয়া ফাইল মিডিয়া ফোল্ডারে নেই, তাই ব্যাকআপেও নেই।`,
  backupBroken: (why: string) => `ব্যাকআপ রাখা হয়নি: কপির হ্যাশ-শৃঙ্খল যাচাই হয়নি — ${why}। nirdesh verify চালিয়ে দেখুন।`,
  restoreTargetExists: (path: string) =>
    `${path}: এখানে আগে থেকেই একটি আর্কাইভ আছে; --force দিলে সেটি নতুন নামে সরিয়ে রেখে ব্যাকআপটি বসানো হবে।`,
  restoreInUse: (path: string) => `${path}: আর্কাইভটি এখন ব্যবহার হচ্ছে (বট কি চলছে?); পুনরুদ্ধারের আগে বট বন্ধ করুন।`,
  restoreRefused: (where: string, why: string) => `ব্যাকআপটি পুনরুদ্ধার করা হলো না: হ্যাশ-শৃঙ্খল যাচাই হয়নি: ${where} — ${why}`,
  restoreMediaDamaged: (file: string) => `ব্যাকআপটি পুনরুদ্ধার করা হলো না: মিডিয়া ফাইল ${file} তার SHA-256-এর সঙ্গে মেলে না।`,
  restoreDone: (path: string, b: BackupCounts) =>
    `পুনরুদ্ধার হয়েছে: ${path} — ${n(b.messages)}টি বার্তা, হ্যাশ-শৃঙ্খলের ${n(b.rows)}টি সারি অক্ষত (শীর্ষ হ্যাশ ${b.head}), ${n(b.media)}টি মিডিয়া ফাইল।`,
  restoreKeptAside: (path: string) => `আগের আর্কাইভটি মোছা হয়নি, সরিয়ে রাখা হয়েছে: ${path}`,
  // Roster
  rosterEmpty: (file: string) => `${file}: রোস্টার ফাইলে কোনো সারি নেই।`,
  rosterNoPhoneColumn: (file: string) =>
    `${file}: রোস্টারে "phone" কলাম নেই (প্রথম সারি হতে হবে: phone,name,designation,role)।`,
  rosterBadCsv: (file: string, line: number, reason: string) => `${file}, লাইন ${n(line)}: CSV পড়া গেল না (${reason})।`,
  rosterBadPhone: (file: string, line: number, value: string) =>
    `${file}, লাইন ${n(line)}: "${value}" কোনো ফোন নম্বর নয়।`,
  rosterBadRole: (file: string, line: number, value: string) =>
    `${file}, লাইন ${n(line)}: ভূমিকা "${value}" নয়; superior, officer বা recordkeeper লিখুন।`,
  rosterDuplicatePhone: (file: string, line: number, phone: string) =>
    `${file}, লাইন ${n(line)}: ${phone} নম্বরটি রোস্টারে আগেও আছে।`,
  rosterImported: (file: string, added: number, updated: number) =>
    `${file}: রোস্টারে ${n(added)} জন নতুন, ${n(updated)} জনের তথ্য হালনাগাদ।`,
  // Import
  imported: (file: string, s: ImportCounts) =>
    `${file} → "${s.chat}": ${n(s.messagesFound)}টি বার্তা পাওয়া গেছে, ${n(s.messagesAdded)}টি নতুন সংরক্ষিত, ` +
    `${n(s.messagesFound - s.messagesAdded - s.editsFound - s.deletionsFound)}টি আগেই ছিল` +
    (s.editsFound + s.deletionsFound > 0 ? `, ${n(s.editsFound)}টি সম্পাদনা ও ${n(s.deletionsFound)}টি মুছে ফেলা আগের বার্তার ঘটনা হিসেবে` : "") +
    `; ${n(s.eventsAdded)}টি নতুন সিস্টেম ঘটনা, ${n(s.mediaStored)}টি মিডিয়া ফাইল।`,
  importReadDifferently: (file: string, zone: string, order: string) =>
    `${file}: এই ফাইলটি আগে ${zone} সময় অঞ্চল ও ${order} তারিখ-ক্রমে ইমপোর্ট হয়েছিল; ভিন্নভাবে পড়লে সব বার্তা দ্বিতীয়বার জমা হবে। --tz ${zone} --date-order ${order} দিন।`,
  importMissingMedia: (count: number) =>
    `${n(count)}টি মিডিয়া ফাইলের উল্লেখ আছে কিন্তু ফাইলটি রপ্তানিতে নেই (শুধু নাম সংরক্ষিত)।`,
  // Search and show
  noResults: "কিছু পাওয়া যায়নি।",
  resultCount: (shown: number, more: boolean) =>
    more ? `প্রথম ${n(shown)}টি ফলাফল (আরও আছে; --limit বাড়ান)।` : `${n(shown)}টি ফলাফল।`,
  deletedMark: "[মুছে ফেলা হয়েছে]",
  editedMark: "[সম্পাদিত]",
  media: "মিডিয়া",
  types: {
    text: "লেখা",
    image: "ছবি",
    video: "ভিডিও",
    audio: "অডিও",
    voice: "ভয়েস বার্তা",
    document: "নথি",
    sticker: "স্টিকার",
    contact: "যোগাযোগ কার্ড",
    location: "অবস্থান",
    poll: "জরিপ",
    media: "মিডিয়া",
    revoked: "মুছে ফেলা বার্তা",
    system: "সিস্টেম",
  } as Record<string, string>,
  label: {
    message: "বার্তা",
    chat: "চ্যাট",
    sender: "প্রেরক",
    at: "সময়",
    archivedAt: "সংরক্ষণের সময়",
    type: "ধরন",
    quoted: "উত্তর দেওয়া হয়েছে",
    mentions: "উল্লেখ",
    forwarded: "ফরোয়ার্ড করা",
    edits: "সম্পাদনা",
    deletion: "মুছে ফেলা",
    reactions: "প্রতিক্রিয়া",
    replies: "উত্তর",
    source: "উৎস",
    hash: "হ্যাশ",
    none: "নেই",
  },
  // Directives
  trackedChats: (chats: number) => `${n(chats)}টি চ্যাটের নির্দেশনা ও সাড়া নতুন করে নির্ণয় করা হয়েছে।`,
  importDirectives: (directives: number, waiting: number) =>
    `  এই চ্যাটে ${n(directives)}টি নির্দেশনা; ${n(waiting)}টিতে এখনো কেউ কেউ সাড়া দেননি (nirdesh pending)।`,
  noPending: "সাড়ার অপেক্ষায় কোনো নির্দেশনা নেই।",
  outOf: (part: number, whole: number) => `${n(part)}/${n(whole)}`,
  count: (value: number) => n(value),
  pendingCount: (count: number) => `${n(count)}টি নির্দেশনা সাড়ার অপেক্ষায়।`,
  markNeedsChoice: "--directive (জরুরি হলে --urgent) অথবা --not-directive দিন (একটি)",
  markNeedsBy: "কে সংশোধন করছেন তা --by দিয়ে দিন (রোস্টারের ঊর্ধ্বতন বা রেকর্ড কিপারের নাম বা নম্বর)",
  unexpectedArgument: (value: string) => `"${value}" এখানে বোঝা গেল না`,
  markNotAllowed: (who: string) => `"${who}" রোস্টারে ঊর্ধ্বতন (superior) বা রেকর্ড কিপার (recordkeeper) নন; তিনি সংশোধন করতে পারেন না।`,
  marked: (id: number, directive: boolean, urgent = false) =>
    `#${n(id)} ${urgent ? "জরুরি নির্দেশনা" : directive ? "নির্দেশনা" : "নির্দেশনা নয়"} হিসেবে চিহ্নিত হলো; সংশোধনটি হ্যাশ-শৃঙ্খলে সংরক্ষিত।`,
  markUnchanged: (id: number, directive: boolean, urgent = false) =>
    `#${n(id)} আগেই ${urgent ? "জরুরি নির্দেশনা" : directive ? "নির্দেশনা" : "নির্দেশনা নয়"} হিসেবে চিহ্নিত; কিছু বদলায়নি।`,
  how: { reply: "উত্তর দিয়ে", reaction: "প্রতিক্রিয়া দিয়ে", message: "বার্তায়" } as Record<string, string>,
  directiveLabel: {
    directive: "নির্দেশনা",
    decision: "সিদ্ধান্ত",
    urgent: "জরুরি",
    deadline: "সময়সীমা",
    issuer: "নির্দেশদাতা",
    expected: "সাড়া দেওয়ার কথা",
    acknowledged: "সাড়া দিয়েছেন",
    done: "সম্পন্ন জানিয়েছেন",
    pending: "সাড়া দেননি",
    detection: "শনাক্তকরণ",
    notDirective: "নির্দেশনা নয়",
    marked: "সংশোধিত",
    answers: "যে নির্দেশনার সাড়া",
    confidence: "নিশ্চয়তা",
  },
  // Verify
  verifyOk: (rows: number, head: string) =>
    `আর্কাইভ অক্ষত: ${n(rows)}টি সারির হ্যাশ-শৃঙ্খল মিলেছে। শেষ হ্যাশ: ${head}`,
  verifyEmpty: "আর্কাইভ খালি: যাচাই করার মতো কিছু নেই।",
  verifyBroken: (where: string, why: string) => `আর্কাইভে পরিবর্তন ধরা পড়েছে: ${where} — ${why}`,
  verifyRow: (seq: number, table: string, id: number) =>
    `শৃঙ্খলের ${n(seq)} নম্বর সারি (${table === "message" ? "বার্তা" : table === "event" ? "ঘটনা" : "ইমপোর্ট"} ${n(id)})`,
  verifyWhy: {
    altered: "বিষয়বস্তু বদলানো হয়েছে (হ্যাশ মেলেনি)",
    relinked: "আগের সারির হ্যাশের সাথে যোগসূত্র ভাঙা (কোনো সারি মুছে ফেলা বা ক্রম বদলানো হয়েছে)",
    missing: "এই স্থানের সারিটি নেই (মুছে ফেলা হয়েছে)",
    duplicate: "একই স্থানে দুটি সারি",
    orphan: "শৃঙ্খলের বাইরে একটি সারি যোগ করা হয়েছে",
    truncated: "আর্কাইভের শেষ থেকে সারি মুছে ফেলা হয়েছে (একটি ইমপোর্টের লেখা শেষ সারি আর নেই)",
    index: "খোঁজার সূচক (search index) আর্কাইভের সারির সাথে মেলে না; nirdesh reindex সারি থেকে তা আবার তৈরি করে",
  },
  verifyIndex: "খোঁজার সূচক",
  reindexed: (rows: number) => `খোঁজার সূচক ${n(rows)}টি সারি থেকে নতুন করে তৈরি হয়েছে।`,
  // Start
  noChromium:
    "Chromium পাওয়া যায়নি। ইনস্টল করুন: sudo apt-get install chromium (অথবা CHROMIUM_PATH-এ Chrome/Chromium-এর পথ দিন)।",
  chromiumNotExecutable: (path: string) => `CHROMIUM_PATH: "${path}" চালানো যায় এমন কোনো ফাইল নয়।`,
  scanQr: "WhatsApp ফোনে: সেটিংস › লিংকড ডিভাইস › ডিভাইস লিংক করুন, তারপর এই QR কোডটি স্ক্যান করুন:",
  pairingCode: (code: string) => `WhatsApp ফোনে: লিংকড ডিভাইস › ফোন নম্বর দিয়ে লিংক করুন, এবং এই কোডটি দিন: ${code}`,
  botStarted: (groups: number) => `নির্দেশ বট চালু হচ্ছে; ${n(groups)}টি গ্রুপ নজরে রাখা হবে। বন্ধ করতে Ctrl+C।`,
  botWatchesNothing:
    "সতর্কতা: NIRDESH_GROUPS খালি, তাই কোনো গ্রুপের বার্তা সংরক্ষিত হবে না। গ্রুপগুলোর id দেখতে: nirdesh groups",
  botStopped: "নির্দেশ বট বন্ধ হয়েছে; আর্কাইভ নিরাপদে বন্ধ করা হয়েছে।",
  groupsHeading: "এই অ্যাকাউন্টের গ্রুপ (NIRDESH_GROUPS-এ id বা নাম দিন; ; দিয়ে আলাদা করুন):",
  groupLine: (id: string, name: string, members: number, watched: boolean) => `${watched ? "✓" : " "} ${id}  ${name}  (${n(members)} জন)`,
  noGroups: "এই অ্যাকাউন্ট কোনো গ্রুপে নেই।",
  whatsappUnreachable: (reason: string) => `WhatsApp Web-এ পৌঁছানো গেল না: ${reason}`,
  bot: {
    notAllowed: "দুঃখিত, এই তথ্য শুধু রোস্টারের রেকর্ড কিপার (বা গ্রুপে ঊর্ধ্বতন ও অ্যাডমিন) চাইতে পারেন। অনুরোধটি নথিভুক্ত হয়েছে।",
    replyToMark: "যে বার্তাটি সংশোধন করবেন, সেটির উত্তরে (reply) !নির্দেশ বা !নয় লিখুন।",
    searchNeedsWords: "কী খুঁজবেন লিখুন, যেমন: !খুঁজুন প্রতিবেদন",
    nothingFound: "কিছু পাওয়া যায়নি।",
    moreFound: "আরও বার্তা মিলেছে; নির্দিষ্ট করে খুঁজুন বা !export দিন।",
    morePending: (count: number) => `আরও ${n(count)}টি পুরনো নির্দেশনা বাকি; পুরো তালিকা: nirdesh pending`,
    exported: (rows: number, more: boolean) => `${n(rows)}টি বার্তা CSV ফাইলে${more ? " (সর্বশেষগুলো; আরও আছে, nirdesh export দিন)" : ""}।`,
    help: `নির্দেশ বটের কমান্ড:
• কোনো বার্তার উত্তরে !নির্দেশ বা !নয় — শনাক্তকরণ সংশোধন; !জরুরি — জরুরি নির্দেশনা (ঊর্ধ্বতন, রেকর্ড কিপার, অ্যাডমিন)
• !বাকি — এই গ্রুপে যেসব নির্দেশনায় সাড়া বাকি
• সরাসরি বার্তায় (রেকর্ড কিপার): !খুঁজুন লেখা, !export [লেখা]`,
  },
  /**
   * What the bot sends when it follows a directive up. Offices may replace any of these in the nudge
   * policy file; {officers}, {group}, {issuer}, {at}, {directive}, {deadline}, {nudges}, {count} and
   * {list} are filled in.
   */
  followUp: {
    nudge: "{officers} অনুগ্রহ করে নির্দেশনাটি গ্রহণ নিশ্চিত করুন।",
    urgentNudge: "{officers} জরুরি নির্দেশনা: অনুগ্রহ করে এখনই গ্রহণ নিশ্চিত করুন।",
    directNudge: "{group} গ্রুপে {issuer}-এর নির্দেশনা ({at}):\n«{directive}»\nঅনুগ্রহ করে গ্রুপে নির্দেশনাটি গ্রহণ নিশ্চিত করুন।",
    reminder: "{officers} এই নির্দেশনার সময়সীমা {deadline}; কাজ শেষ হলে অনুগ্রহ করে প্রতিবেদন দিন।",
    directReminder: "{group} গ্রুপে {issuer}-এর নির্দেশনার ({at}) সময়সীমা {deadline}:\n«{directive}»\nকাজ শেষ হলে অনুগ্রহ করে গ্রুপে প্রতিবেদন দিন।",
    escalation: "{group} গ্রুপে আপনার নির্দেশনা ({at}):\n«{directive}»\nএখনো গ্রহণ নিশ্চিত করেননি: {officers}। (মনে করিয়ে দেওয়া হয়েছে {nudges} বার)",
    digest: "আপনার যেসব নির্দেশনায় সাড়া এখনো বাকি ({count}টি):\n{list}",
    digestLine: "• {group}, {at}: «{directive}» — বাকি: {officers}",
    digestMore: (count: number) => `…এবং আরও ${n(count)}টি (nirdesh pending)`,
    listSeparator: ", ",
    dateTime: (day: number, month: number, hour: number, minute: number) =>
      toBanglaDigits(`${day}/${month} ${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`),
    count: (value: number) => n(value),
  },
  // Export, report, audit
  badFormat: (value: string, allowed: string) => `--format: "${value}" নয়; লিখুন ${allowed}।`,
  badPeriod: (value: string) => `--period: "${value}" নয়; month বা quarter লিখুন।`,
  needsOut: (format: string) => `${format} রপ্তানির জন্য --out ফাইলের পথ দিন`,
  outExists: (path: string) => `${path}: ফাইলটি আগে থেকেই আছে; বদলাতে চাইলে --force দিন।`,
  outIsFolder: (path: string) => `${path}: এটি একটি ফোল্ডার; --out-এ ফাইলের নাম দিন।`,
  outFolderMissing: (path: string) => `${path}: এই ফাইলের ফোল্ডারটি নেই।`,
  pdfTooLarge: (count: number, max: number) =>
    `${n(count)}টি বার্তা PDF-এ ছাপার জন্য বেশি (সর্বোচ্চ ${n(max)}টি); --since/--until/--chat দিয়ে কমান, অথবা xlsx বা bundle নিন।`,
  reportWritten: (directives: number, path: string) => `${n(directives)}টি নির্দেশনার প্রতিবেদন লেখা হয়েছে: ${path}`,
  notABundle: (path: string) => `${path}: এটি নির্দেশের প্রমাণ-বান্ডল (zip, manifest.json সহ) নয়।`,
  exported: (count: number, format: string, path: string) => `${n(count)}টি বার্তা ${format} হিসেবে রপ্তানি হয়েছে: ${path}`,
  exportedBundle: (count: number, path: string) =>
    `${n(count)}টি বার্তা, তাদের হ্যাশ-শৃঙ্খলের সংযোগ ও মিডিয়া প্রমাণ-বান্ডলে: ${path} (যাচাই: nirdesh verify --bundle ${path})`,
  bundleOk: (messages: number, members: number, seq: number, head: string) =>
    `বান্ডল অক্ষত: ${n(members)}টি ফাইলের SHA-256 ও ${n(messages)}টি বার্তার শৃঙ্খল-হ্যাশ মিলেছে। রপ্তানির সময় আর্কাইভের শেষ সারি #${n(seq)}: ${head}`,
  bundleBroken: "বান্ডলে পরিবর্তন ধরা পড়েছে:",
  bundleProblem: {
    changed: (member: string) => `${member}: বিষয়বস্তু বদলানো হয়েছে (SHA-256 মেলেনি)`,
    missing: (member: string) => `${member}: ফাইলটি নেই (সরিয়ে ফেলা হয়েছে)`,
    extra: (member: string) => `${member}: ম্যানিফেস্টে নেই এমন ফাইল যোগ করা হয়েছে`,
    damaged: (member: string) => `${member}: zip-এর ভেতরে ফাইলটি নষ্ট (CRC মেলেনি)`,
    row: (member: string, id: number, seq: number, field: string) =>
      `${member}: বার্তা #${n(id)} (শৃঙ্খলের ${n(seq)} নম্বর সারি) তার শৃঙ্খল-হ্যাশের সাথে মেলে না (${field})`,
  },
  auditNotRecorded: (path: string) => `সতর্কতা: ${path} শুধু-পঠনযোগ্য, তাই এই অনুসন্ধান অডিট লগে লেখা গেল না।`,
  noAudit: "অডিট লগে কিছু নেই।",
  auditLine: (at: string, via: string, who: string, action: string, allowed: boolean, rows: number, filters: string) =>
    `${at}  ${via === "cli" ? "কমান্ড লাইন" : "WhatsApp"}  ${who}  ${action}${allowed ? "" : " (অনুমতি নেই)"}  ${n(rows)}টি সারি${filters ? `  ${filters}` : ""}`,
  exportSheet: {
    directives: "নির্দেশনা",
    messages: "বার্তা",
    directiveColumns: {
      id: "নম্বর",
      chat: "চ্যাট",
      at: "সময়",
      issuer: "নির্দেশদাতা",
      designation: "পদবি",
      body: "নির্দেশনা",
      deadline: "সময়সীমা",
      expected: "সাড়া দেওয়ার কথা",
      acknowledged: "সাড়া দিয়েছেন",
      acknowledgedShare: "সাড়ার হার",
      done: "সম্পন্ন জানিয়েছেন",
      firstAcknowledged: "প্রথম সাড়া",
      lastAcknowledged: "শেষ সাড়া",
      acknowledgedBy: "যাঁরা সাড়া দিয়েছেন",
      pending: "যাঁরা সাড়া দেননি",
      hash: "শৃঙ্খল-হ্যাশ",
    } as Record<DirectiveColumn, string>,
  },
  exportPdf: {
    title: "নির্দেশ — দাপ্তরিক WhatsApp বার্তার রপ্তানি",
    summary: (count: number, at: string) => `${n(count)}টি বার্তা · তৈরি: ${at}`,
    filters: "ছাঁকনি",
    noFilters: "সব বার্তা",
    head: (seq: number) => `রপ্তানির সময় আর্কাইভের শৃঙ্খলের শেষ সারি #${n(seq)}`,
    directive: "[নির্দেশনা]",
  },
  report: {
    title: "নির্দেশ — নির্দেশনায় সাড়ার প্রতিবেদন",
    madeAt: (at: string, seq: number) => `তৈরি: ${at} · আর্কাইভের শৃঙ্খলের শেষ সারি #${n(seq)}`,
    totals: "সার্বিক",
    all: "সব নির্দেশনা",
    byPeriod: { month: "মাস অনুযায়ী", quarter: "ত্রৈমাসিক অনুযায়ী" } as Record<"month" | "quarter", string>,
    byChat: "চ্যাট অনুযায়ী",
    byOfficer: "কর্মকর্তা অনুযায়ী",
    byDirective: "নির্দেশনা অনুযায়ী",
    responseChart: "সাড়া দিতে কত সময় লেগেছে",
    rateChart: { month: "মাসে মাসে সাড়ার হার", quarter: "ত্রৈমাসিকে সাড়ার হার" } as Record<"month" | "quarter", string>,
    buckets: ["≤ ১৫ মিনিট", "≤ ১ ঘণ্টা", "≤ ৪ ঘণ্টা", "≤ ১ দিন", "≤ ৩ দিন", "> ৩ দিন", "সাড়া নেই"],
    column: {
      directive: "নির্দেশনা",
      directives: "নির্দেশনা",
      period: "সময়কাল",
      chat: "চ্যাট",
      officer: "কর্মকর্তা",
      issuer: "নির্দেশদাতা",
      expected: "সাড়া দেওয়ার কথা",
      acknowledged: "সাড়া দিয়েছেন",
      acknowledgedShare: "সাড়ার হার",
      done: "সম্পন্ন",
      onTime: "সময়মতো",
      median: "মধ্যমা সময়",
      first: "প্রথম সাড়া",
      last: "শেষ সাড়া",
    },
    directiveCount: (count: number) => `${n(count)}টি নির্দেশনা`,
    acknowledgedOf: (part: number, whole: number) => `প্রত্যাশিত ${n(whole)}টি সাড়ার ${n(part)}টি এসেছে`,
    percent: (share: number | null) => (share === null ? "—" : `${n(Math.round(share * 100))}%`),
    duration: (ms: number | null) => {
      if (ms === null) return "—";
      const minutes = Math.round(ms / 60_000);
      if (minutes < 60) return `${n(minutes)} মিনিট`;
      if (minutes < 48 * 60) return `${n(Math.floor(minutes / 60))} ঘণ্টা ${n(minutes % 60)} মিনিট`;
      return `${n(Math.round(minutes / 1440))} দিন`;
    },
  },
  internalError: (detail: string) => `অভ্যন্তরীণ ত্রুটি: ${detail} (বিস্তারিত লগে)`,
  help: `নির্দেশ (Nirdesh) — দাপ্তরিক WhatsApp গ্রুপের নির্দেশনা ও সিদ্ধান্তের সুরক্ষিত আর্কাইভ

ব্যবহার: nirdesh <কমান্ড> [অপশন]

কমান্ড:
  import FILE… [--chat নাম] [--roster CSV] [--date-order dmy|mdy|ymd|ydm]
                      WhatsApp-এর "Export chat" ফাইল (.txt বা .zip) আর্কাইভে তোলে
  roster import CSV   রোস্টার (phone,name,designation,role) লোড বা হালনাগাদ করে
  search [লেখা] [--chat নাম] [--from নাম/নম্বর] [--since তারিখ] [--until তারিখ] [--directives] [--limit N]
                      বার্তা খোঁজে, নতুনটি আগে; --directives দিলে শুধু নির্দেশনা ও সিদ্ধান্ত
  pending [--chat নাম] [--limit N]
                      যেসব নির্দেশনায় এখনো কোনো কর্মকর্তা সাড়া দেননি, কে কে বাকি (পুরনোটি আগে)
  show ID             একটি বার্তা, তার সম্পাদনা, মুছে ফেলা, প্রতিক্রিয়া ও উত্তরসহ; নির্দেশনা হলে কে সাড়া দিয়েছেন
  mark ID --directive|--urgent|--not-directive --by নাম/নম্বর
                      ভুল শনাক্তকরণ সংশোধন করে (হ্যাশ-শৃঙ্খলে সংরক্ষিত)
  export --format csv|json|xlsx|pdf|bundle --out ফাইল [--force] [--query লেখা] [--chat] [--from] [--since] [--until] [--directives]
                      বার্তা ফাইলে রপ্তানি করে (bundle: যাচাইযোগ্য প্রমাণ-বান্ডল)
  report [--since] [--until] [--chat] [--period month|quarter] [--format text|html|pdf|json] [--out ফাইল]
                      নির্দেশনায় সাড়ার প্রতিবেদন: নির্দেশনা, কর্মকর্তা, চ্যাট ও মাস/ত্রৈমাসিক অনুযায়ী
  audit [--since] [--until] [--limit N]
                      কে কখন কী খুঁজেছেন, দেখেছেন, রপ্তানি করেছেন (নতুনটি আগে)
  verify              হ্যাশ-শৃঙ্খল ও খোঁজার সূচক যাচাই করে: অক্ষত হলে ০, পরিবর্তন পেলে ১
  verify --bundle ZIP রপ্তানি করা প্রমাণ-বান্ডল যাচাই করে (আর্কাইভ লাগে না)
  backup PATH [--force]
                      চলমান আর্কাইভ ও তার মিডিয়ার যাচাই-করা কপি PATH ফোল্ডারে রাখে (বট চলার সময়েও)
  restore BACKUP [--force]
                      ব্যাকআপ যাচাই করে আর্কাইভ ও মিডিয়া ফিরিয়ে আনে; যাচাই না হলে ফেরায় না (বট বন্ধ রেখে)
  reindex             খোঁজার সূচক এবং নির্দেশনা ও সাড়া আর্কাইভের সারি থেকে নতুন করে নির্ণয় করে
  start               লাইভ বট চালায় (তাগিদ, সময়সীমার স্মরণ, নির্দেশদাতাকে জানানো ও দৈনিক সারসংক্ষেপসহ)
  simulate FILE… [--roster CSV] [--chat নাম] [--until তারিখ] [--policy JSON]
                      রপ্তানি করা চ্যাট লাইভ এলে বট কী পাঠাত তা দেখায় (আর্কাইভে কিছু লেখে না)

সব কমান্ডে: --db ফাইল (আর্কাইভ), --tz অঞ্চল (Asia/Dhaka), --lang bn|en, --json
এনক্রিপ্ট করা আর্কাইভ: NIRDESH_DB_KEY-তে চাবি; বটের দৈনিক ব্যাকআপ: NIRDESH_BACKUP_DIR (docs/backups.md)

উদাহরণ:
  nirdesh import data/sample-chat.txt --roster data/roster.csv
  nirdesh search প্রতিবেদন --since ২২/১০/২০২৪
  nirdesh pending
  nirdesh show 15
  nirdesh export --format bundle --out evidence.zip --since ০১/১০/২০২৪
  nirdesh report --period quarter
  nirdesh verify`,
};

export type Messages = typeof bangla;

const en = (value: number) => value.toLocaleString("en-US");

export const english: Messages = {
  lang: "en",
  errorPrefix: "error",
  exportEmpty: (file) => `${file}: the file is empty; it holds no messages.`,
  exportHasNoMessages: (file) => `${file}: not a WhatsApp "Export chat" file: no line starts with a date and time.`,
  exportNotText: (file) => `${file}: not UTF-8/UTF-16 text or a zip file, or the file is damaged.`,
  exportTooLarge: (file) => `${file}: the chat file is implausibly large (over 400 MB); export it in parts.`,
  zipManyTexts: (file) => `${file}: the zip holds several .txt files and none is named like a chat; give the chat's .txt file.`,
  zipBomb: (file, entry) => `${file}: "${entry}" inflates implausibly (a zip bomb); import refused.`,
  badChatName: "--chat: the group's name cannot be blank.",
  noArchive: (path) => `${path}: there is no archive here (see --db or NIRDESH_DB).`,
  importUnreadLines: (count) => `${count} lines before the first message have no date and time; they were not archived.`,
  fileNotFound: (file) => `${file}: no such file.`,
  fileNotReadable: (file, reason) => `${file}: cannot read the file (${reason}).`,
  zipBroken: (file, reason) => `${file}: the zip file is broken (${reason}).`,
  zipHasNoChat: (file) => `${file}: the zip file holds no chat .txt file.`,
  chatNameUnknown: (file) => `${file}: cannot tell which group this chat is; give --chat "group name".`,
  unknownChat: (name) => `No chat named "${name}" is in the archive.`,
  unknownPerson: (name) => `Nobody named or numbered "${name}" is in the archive.`,
  ambiguousChat: (name, names) => `"${name}" is part of several chats' names (${names}); give the whole name.`,
  blankOption: (option) => `${option} cannot be blank.`,
  badDate: (value) =>
    `Cannot read the date "${value}"; write 2024-10-22, 22/10/2024 or ২২/১০/২০২৪ (with a time: 2024-10-22T09:30).`,
  badDateRange: "--since is after --until.",
  badNumber: (option, value) => `${option}: "${value}" is not a positive whole number.`,
  badDateOrder: (value) => `--date-order: not "${value}"; write dmy, mdy, ymd or ydm.`,
  badMessageId: (value) => `"${value}" is not a message number.`,
  messageNotFound: (id) => `No message number ${id} is in the archive.`,
  badConfig: (problems) => `bad value: ${problems}`,
  simulateNothing: "The export files hold no messages; there is nothing to simulate.",
  simulateUntilTooEarly: "--until is before the first message.",
  simulateHeading: (chats, messages, directives, from, until) =>
    `Simulation: ${en(chats)} chat${chats === 1 ? "" : "s"}, ${en(messages)} messages, ${en(directives)} directive${directives === 1 ? "" : "s"}; ${from} to ${until}. What the bot would have sent:`,
  outgoingKind: { nudge: "nudge", reminder: "deadline reminder", escalation: "escalation", digest: "daily digest", reply: "reply to a command" },
  outgoingVia: (via) => (via === "group" ? "in the group" : "by direct message"),
  outgoingAbout: (id, at, issuer) => `directive #${id} (${at}, ${issuer})`,
  simulateNothingSent: "The bot would have sent nothing.",
  simulateNeedsRoster: "No directive found: without a roster only the group's admins count as superiors; give --roster CSV to say who is who.",
  simulateTotals: (counts) =>
    `In all: ${en(counts.nudge ?? 0)} nudges, ${en(counts.reminder ?? 0)} deadline reminders, ${en(counts.escalation ?? 0)} escalations, ${en(counts.digest ?? 0)} daily digests, ${en(counts.reply ?? 0)} replies to commands.`,
  nudgePolicyUnreadable: (path, reason) => `${path}: cannot read the nudge policy (${reason}).`,
  nudgePolicyInvalid: (path, problem) => `${path}: the nudge policy is not right: ${problem}`,
  lexiconUnreadable: (path, reason) => `${path}: cannot read the lexicon (${reason}).`,
  lexiconInvalid: (path, problem) => `${path}: the lexicon is not right: ${problem}`,
  lexiconFolderMissing: (path) => `NIRDESH_LEXICONS: "${path}" is not a folder; give the folder holding the office's directive.json and acknowledgement.json.`,
  trackingStale: "Note: the roster, the lexicons or the time zone changed since directives were worked out; run nirdesh reindex to bring them up to date.",
  unknownCommand: (name) => `"${name}" is not a command; for help: nirdesh help`,
  badUsage: (detail) => `${detail}; for help: nirdesh help`,
  missingArgument: (what) => `give ${what}`,
  queryTooLong: (max) => `The search text may be at most ${en(max)} characters.`,
  databaseNotArchive: (path) => `${path}: not a Nirdesh archive, or the file is damaged.`,
  archiveNeedsWal: (path) =>
    `${path}: the folder is read-only and the archive's -wal file holds pages not yet in it; copy the archive to a writable folder.`,
  archiveNeedsUpgrade: (path) => `${path}: the archive is from an older version; running nirdesh import or roster import once upgrades it.`,
  databaseBusy: (path) => `${path}: the archive is in use by another process; try again shortly.`,
  archiveEncrypted: (path) => `${path}: the archive is encrypted; set NIRDESH_DB_KEY to its key.`,
  archiveWrongKey: (path) => `${path}: the key in NIRDESH_DB_KEY does not open this archive (a wrong key), or the file is damaged.`,
  archiveNotEncrypted: (path) =>
    `${path}: the archive is not encrypted, but NIRDESH_DB_KEY is set; unset it, or encrypt the archive (docs/backups.md).`,
  backupExists: (path) => `${path}: already exists; give another path, or --force to replace an earlier Nirdesh backup.`,
  backupTargetForeign: (path) => `${path}: not a Nirdesh backup, so it is not replaced even with --force; give another path.`,
  cannotWrite: (path, reason) => `${path}: cannot write here (${reason}); check the free space and the permissions.`,
  backupNotFound: (path) => `${path}: no Nirdesh backup here (the folder should hold nirdesh.db).`,
  backupDone: (path, b) =>
    `Backup written: ${path} — ${en(b.messages)} messages, the hash chain of ${en(b.rows)} rows verified (head hash ${b.head}), ${en(b.media)} media file${b.media === 1 ? "" : "s"}, ${bytesEn(b.bytes)} in all.`,
  backupMediaMissing: (count) => `Warning: ${en(count)} media file${count === 1 ? "" : "s"} named in the archive ${count === 1 ? "is" : "are"} not in the media folder, so not in the backup either.`,
  backupBroken: (why) => `No backup kept: the copy's hash chain does not verify — ${why}. Run nirdesh verify.`,
  restoreTargetExists: (path) => `${path}: an archive is already here; --force sets it aside under a new name and puts the backup in its place.`,
  restoreInUse: (path) => `${path}: the archive is in use (is the bot running?); stop the bot before restoring.`,
  restoreRefused: (where, why) => `Backup not restored: its hash chain does not verify: ${where} — ${why}`,
  restoreMediaDamaged: (file) => `Backup not restored: media file ${file} does not match its SHA-256.`,
  restoreDone: (path, b) =>
    `Restored: ${path} — ${en(b.messages)} messages, the hash chain of ${en(b.rows)} rows intact (head hash ${b.head}), ${en(b.media)} media file${b.media === 1 ? "" : "s"}.`,
  restoreKeptAside: (path) => `The archive that was there is not deleted; it is set aside as ${path}`,
  rosterEmpty: (file) => `${file}: the roster has no rows.`,
  rosterNoPhoneColumn: (file) =>
    `${file}: the roster has no "phone" column (the first row must be: phone,name,designation,role).`,
  rosterBadCsv: (file, line, reason) => `${file}, line ${line}: cannot read the CSV (${reason}).`,
  rosterBadPhone: (file, line, value) => `${file}, line ${line}: "${value}" is not a phone number.`,
  rosterBadRole: (file, line, value) =>
    `${file}, line ${line}: role "${value}" is not superior, officer or recordkeeper.`,
  rosterDuplicatePhone: (file, line, phone) => `${file}, line ${line}: ${phone} is already in the roster.`,
  rosterImported: (file, added, updated) => `${file}: roster has ${en(added)} new people, ${en(updated)} updated.`,
  imported: (file, s) =>
    `${file} → "${s.chat}": ${en(s.messagesFound)} messages found, ${en(s.messagesAdded)} newly archived, ` +
    `${en(s.messagesFound - s.messagesAdded - s.editsFound - s.deletionsFound)} already there` +
    (s.editsFound + s.deletionsFound > 0 ? `, ${en(s.editsFound)} edits and ${en(s.deletionsFound)} deletions of earlier messages` : "") +
    `; ${en(s.eventsAdded)} new system events, ${en(s.mediaStored)} media files.`,
  importReadDifferently: (file, zone, order) =>
    `${file}: this file was imported before in time zone ${zone} and date order ${order}; read otherwise, every message would be archived twice. Give --tz ${zone} --date-order ${order}.`,
  importMissingMedia: (count) =>
    `${en(count)} media files are named but not in the export (only their names are kept).`,
  noResults: "Nothing found.",
  resultCount: (shown, more) =>
    more ? `First ${en(shown)} results (there are more; raise --limit).` : `${en(shown)} results.`,
  deletedMark: "[deleted]",
  editedMark: "[edited]",
  media: "media",
  types: {
    text: "text",
    image: "image",
    video: "video",
    audio: "audio",
    voice: "voice message",
    document: "document",
    sticker: "sticker",
    contact: "contact card",
    location: "location",
    poll: "poll",
    media: "media",
    revoked: "deleted message",
    system: "system",
  },
  label: {
    message: "Message",
    chat: "Chat",
    sender: "From",
    at: "At",
    archivedAt: "Archived at",
    type: "Type",
    quoted: "Reply to",
    mentions: "Mentions",
    forwarded: "Forwarded",
    edits: "Edits",
    deletion: "Deleted",
    reactions: "Reactions",
    replies: "Replies",
    source: "Source",
    hash: "Hash",
    none: "none",
  },
  // Directives
  trackedChats: (chats) => `Directives and acknowledgements worked out again for ${chats} chat${chats === 1 ? "" : "s"}.`,
  importDirectives: (directives, waiting) => `  ${directives} directive${directives === 1 ? "" : "s"} in this chat; ${waiting} still waiting for someone (nirdesh pending).`,
  noPending: "No directive is waiting for an acknowledgement.",
  outOf: (part, whole) => `${part}/${whole}`,
  count: (value) => String(value),
  pendingCount: (count) => `${count} directive${count === 1 ? "" : "s"} waiting for acknowledgements.`,
  markNeedsChoice: "give --directive (--urgent for an urgent one) or --not-directive (one of them)",
  markNeedsBy: "say who corrects it with --by (the name or phone of a superior or record keeper on the roster)",
  unexpectedArgument: (value) => `"${value}" is not understood here`,
  markNotAllowed: (who) => `"${who}" is not a superior or record keeper on the roster, and cannot correct this.`,
  marked: (id, directive, urgent = false) => `#${id} marked ${urgent ? "an urgent directive" : directive ? "a directive" : "not a directive"}; the correction is in the hash chain.`,
  markUnchanged: (id, directive, urgent = false) => `#${id} is already marked ${urgent ? "an urgent directive" : directive ? "a directive" : "not a directive"}; nothing changed.`,
  how: { reply: "by reply", reaction: "by reaction", message: "by message" },
  directiveLabel: {
    directive: "Directive",
    decision: "Decision",
    urgent: "Urgent",
    deadline: "Deadline",
    issuer: "Issued by",
    expected: "Expected",
    acknowledged: "Acknowledged",
    done: "Reported done",
    pending: "Not yet acknowledged",
    detection: "Detection",
    notDirective: "Not a directive",
    marked: "corrected",
    answers: "Answers directive",
    confidence: "confidence",
  },
  verifyOk: (rows, head) => `Archive intact: the hash chain of ${en(rows)} rows holds. Head hash: ${head}`,
  verifyEmpty: "The archive is empty: nothing to verify.",
  verifyBroken: (where, why) => `Tampering found: ${where} — ${why}`,
  verifyRow: (seq, table, id) => `chain row ${seq} (${table} ${id})`,
  verifyWhy: {
    altered: "its content was changed (hash mismatch)",
    relinked: "its link to the previous row is broken (a row was removed or the order changed)",
    missing: "the row at this position is missing (removed)",
    duplicate: "two rows at the same position",
    orphan: "a row was added outside the chain",
    truncated: "rows were cut off the end of the archive (the last row an import recorded is gone)",
    index: "the search index does not match the archived rows; nirdesh reindex rebuilds it from them",
  },
  verifyIndex: "search index",
  reindexed: (rows) => `The search index was rebuilt from ${en(rows)} rows.`,
  noChromium: "Chromium was not found. Install it: sudo apt-get install chromium (or set CHROMIUM_PATH to a Chrome or Chromium binary).",
  chromiumNotExecutable: (path) => `CHROMIUM_PATH: "${path}" is not a file that can be run.`,
  scanQr: "On the WhatsApp phone: Settings › Linked devices › Link a device, then scan this QR code:",
  pairingCode: (code) => `On the WhatsApp phone: Linked devices › Link with phone number instead, and enter this code: ${code}`,
  botStarted: (groups) => `Nirdesh is starting and will watch ${en(groups)} group${groups === 1 ? "" : "s"}. Ctrl+C stops it.`,
  botWatchesNothing: "Warning: NIRDESH_GROUPS is empty, so no group's messages will be archived. To see the groups' ids: nirdesh groups",
  botStopped: "Nirdesh stopped; the archive was closed cleanly.",
  groupsHeading: "Groups of this account (put ids or names in NIRDESH_GROUPS, separated by ;):",
  groupLine: (id, name, members, watched) => `${watched ? "✓" : " "} ${id}  ${name}  (${en(members)} members)`,
  noGroups: "This account is in no group.",
  whatsappUnreachable: (reason) => `WhatsApp Web could not be reached: ${reason}`,
  bot: {
    notAllowed: "Sorry, only the roster's record keepers (or, in a group, superiors and admins) may ask for this. The request was recorded.",
    replyToMark: "Reply to the message you are correcting with !directive or !not.",
    searchNeedsWords: "Say what to look for, e.g. !search report",
    nothingFound: "Nothing found.",
    moreFound: "More messages match; narrow the search or use !export.",
    morePending: (count) => `${en(count)} older directive${count === 1 ? " is" : "s are"} waiting too; the full list: nirdesh pending`,
    exported: (rows, more) => `${en(rows)} message${rows === 1 ? "" : "s"} in a CSV file${more ? " (the newest; there are more: use nirdesh export)" : ""}.`,
    help: `Nirdesh commands:
• In reply to a message, !directive or !not — correct the detection; !urgent — an urgent directive (superiors, record keepers, admins)
• !pending — this group's directives still waiting for acknowledgements
• In a direct message (record keepers): !search words, !export [words]`,
  },
  followUp: {
    nudge: "{officers} please confirm you have received this directive.",
    urgentNudge: "{officers} urgent: please confirm you have received this directive now.",
    directNudge: "Directive from {issuer} in {group} ({at}):\n«{directive}»\nPlease confirm in the group that you have received it.",
    reminder: "{officers} this directive is due {deadline}; please report in the group when it is done.",
    directReminder: "The directive from {issuer} in {group} ({at}) is due {deadline}:\n«{directive}»\nPlease report in the group when it is done.",
    escalation: "Your directive in {group} ({at}):\n«{directive}»\nNot yet acknowledged by: {officers}. (Reminders sent: {nudges})",
    digest: "Your directives still waiting for acknowledgements ({count}):\n{list}",
    digestLine: "• {group}, {at}: «{directive}» — waiting for: {officers}",
    digestMore: (count) => `…and ${en(count)} more (nirdesh pending)`,
    listSeparator: ", ",
    dateTime: (day, month, hour, minute) => `${day}/${month} ${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`,
    count: (value) => en(value),
  },
  badFormat: (value, allowed) => `--format: not "${value}"; write ${allowed}.`,
  badPeriod: (value) => `--period: not "${value}"; write month or quarter.`,
  needsOut: (format) => `give the file to write the ${format} to with --out`,
  outExists: (path) => `${path}: the file exists already; give --force to replace it.`,
  outIsFolder: (path) => `${path}: a folder; give --out a file name.`,
  outFolderMissing: (path) => `${path}: the folder for this file does not exist.`,
  pdfTooLarge: (count, max) =>
    `${en(count)} messages are too many to print as a PDF (at most ${en(max)}); narrow with --since/--until/--chat, or export xlsx or a bundle.`,
  reportWritten: (directives, path) => `A report of ${en(directives)} directive${directives === 1 ? "" : "s"} written to ${path}`,
  notABundle: (path) => `${path}: not a Nirdesh evidence bundle (a zip with manifest.json).`,
  exported: (count, format, path) => `${en(count)} message${count === 1 ? "" : "s"} exported as ${format}: ${path}`,
  exportedBundle: (count, path) =>
    `${en(count)} message${count === 1 ? "" : "s"}, their links in the hash chain and their media in an evidence bundle: ${path} (check it: nirdesh verify --bundle ${path})`,
  bundleOk: (messages, members, seq, head) =>
    `Bundle intact: the SHA-256 of ${en(members)} files and the chain hashes of ${en(messages)} messages match. The archive's last chain row when exported, #${seq}: ${head}`,
  bundleBroken: "The bundle was changed:",
  bundleProblem: {
    changed: (member) => `${member}: its content was changed (SHA-256 mismatch)`,
    missing: (member) => `${member}: missing (removed)`,
    extra: (member) => `${member}: added; the manifest does not list it`,
    damaged: (member) => `${member}: damaged inside the zip (CRC mismatch)`,
    row: (member, id, seq, field) => `${member}: message #${id} (chain row ${seq}) does not match its chain hash (${field})`,
  },
  auditNotRecorded: (path) => `Warning: ${path} is read-only, so this request could not be written to the audit log.`,
  noAudit: "The audit log is empty.",
  auditLine: (at, via, who, action, allowed, rows, filters) =>
    `${at}  ${via === "cli" ? "command line" : "WhatsApp"}  ${who}  ${action}${allowed ? "" : " (refused)"}  ${en(rows)} row${rows === 1 ? "" : "s"}${filters ? `  ${filters}` : ""}`,
  exportSheet: {
    directives: "Directives",
    messages: "Messages",
    directiveColumns: {
      id: "id",
      chat: "chat",
      at: "at",
      issuer: "issued by",
      designation: "designation",
      body: "directive",
      deadline: "deadline",
      expected: "expected",
      acknowledged: "acknowledged",
      acknowledgedShare: "acknowledged %",
      done: "reported done",
      firstAcknowledged: "first acknowledgement",
      lastAcknowledged: "last acknowledgement",
      acknowledgedBy: "acknowledged by",
      pending: "not yet acknowledged",
      hash: "chain hash",
    },
  },
  exportPdf: {
    title: "Nirdesh — export of official WhatsApp messages",
    summary: (count, at) => `${en(count)} message${count === 1 ? "" : "s"} · made ${at}`,
    filters: "Filters",
    noFilters: "all messages",
    head: (seq) => `The archive's last chain row when exported, #${seq}`,
    directive: "[directive]",
  },
  report: {
    title: "Nirdesh — acknowledgement report",
    madeAt: (at, seq) => `Made ${at} · the archive's last chain row #${seq}`,
    totals: "Overall",
    all: "All directives",
    byPeriod: { month: "By month", quarter: "By quarter" },
    byChat: "By chat",
    byOfficer: "By officer",
    byDirective: "By directive",
    responseChart: "How long acknowledgements took",
    rateChart: { month: "Acknowledgement rate by month", quarter: "Acknowledgement rate by quarter" },
    buckets: ["≤ 15 min", "≤ 1 hour", "≤ 4 hours", "≤ 1 day", "≤ 3 days", "> 3 days", "never"],
    column: {
      directive: "Directive",
      directives: "Directives",
      period: "Period",
      chat: "Chat",
      officer: "Officer",
      issuer: "Issued by",
      expected: "Expected",
      acknowledged: "Acknowledged",
      acknowledgedShare: "Acknowledged %",
      done: "Done",
      onTime: "On time",
      median: "Median time",
      first: "First",
      last: "Last",
    },
    directiveCount: (count) => `${en(count)} directive${count === 1 ? "" : "s"}`,
    acknowledgedOf: (part, whole) => `${en(part)} of ${en(whole)} acknowledgements expected`,
    percent: (share) => (share === null ? "—" : `${Math.round(share * 100)}%`),
    duration: (ms) => {
      if (ms === null) return "—";
      const minutes = Math.round(ms / 60_000);
      if (minutes < 60) return `${minutes} min`;
      if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
      return `${Math.round(minutes / 1440)} days`;
    },
  },
  internalError: (detail) => `Internal error: ${detail} (details in the log)`,
  help: `Nirdesh — a tamper-evident archive of the directives and decisions in official WhatsApp groups

Usage: nirdesh <command> [options]

Commands:
  import FILE… [--chat NAME] [--roster CSV] [--date-order dmy|mdy|ymd|ydm]
                      archive WhatsApp "Export chat" files (.txt or .zip)
  roster import CSV   load or update the roster (phone,name,designation,role)
  search [TEXT] [--chat NAME] [--from NAME/PHONE] [--since DATE] [--until DATE] [--directives] [--limit N]
                      find messages, newest first; --directives: only directives and decisions
  pending [--chat NAME] [--limit N]
                      directives some officers have not acknowledged yet, and who (oldest first)
  show ID             one message with its edits, deletion, reactions and replies; for a directive, who answered
  mark ID --directive|--urgent|--not-directive --by NAME/PHONE
                      correct the detector (kept in the hash chain)
  export --format csv|json|xlsx|pdf|bundle --out FILE [--force] [--query WORDS] [--chat] [--from] [--since] [--until] [--directives]
                      export messages to a file (bundle: an evidence bundle anyone can check)
  report [--since] [--until] [--chat] [--period month|quarter] [--format text|html|pdf|json] [--out FILE]
                      acknowledgement report per directive, officer, chat and month or quarter
  audit [--since] [--until] [--limit N]
                      who searched, viewed, exported and reported what, when (newest first)
  verify              check the hash chain and the search index: 0 when intact, 1 when something changed
  verify --bundle ZIP check an exported evidence bundle (no archive needed)
  backup PATH [--force]
                      write a verified copy of the archive and its media into the folder PATH (while the bot runs)
  restore BACKUP [--force]
                      put a backup's archive and media back, only if its hash chain verifies (bot stopped)
  reindex             rebuild the search index, directives and acknowledgements from the archived rows
  start               run the live bot (with nudges, deadline reminders, escalations and daily digests)
  simulate FILE… [--roster CSV] [--chat NAME] [--until DATE] [--policy JSON]
                      what the bot would have sent had these exported chats arrived live (writes no archive)

Every command: --db FILE (the archive), --tz ZONE (Asia/Dhaka), --lang bn|en, --json
An encrypted archive: its key in NIRDESH_DB_KEY; the bot's daily backup: NIRDESH_BACKUP_DIR (docs/backups.md)

Examples:
  nirdesh import data/sample-chat.txt --roster data/roster.csv
  nirdesh search report --since 2024-10-22
  nirdesh pending
  nirdesh show 15
  nirdesh export --format bundle --out evidence.zip --since 2024-10-01
  nirdesh report --period quarter
  nirdesh verify`,
};

export function messagesFor(lang: "bn" | "en"): Messages {
  return lang === "en" ? english : bangla;
}
