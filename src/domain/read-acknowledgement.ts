import { asks, CUE_TOKEN, cueText, cueWords } from "./cue-text.js";
import { findCues, type Lexicon } from "./lexicon.js";
import { rememberReadings, rememberTexts } from "./remember-texts.js";

export type AcknowledgementKind = "acknowledged" | "done";

export interface AcknowledgementReading {
  kind: AcknowledgementKind;
  cues: string[];
  /**
   * A long message whose only sign is a report or a promise ("আজ উপজেলায় ২০০ জনকে টিকা দেওয়া হয়েছে")
   * answers a directive only if it is about it: isAbout() decides with the directive's words.
   */
  needsTopic: boolean;
}

// Lexicon groups (data/lexicons/acknowledgement.json): words that acknowledge wherever they stand
// ("… বিষয়ে অবగত হলাম"), and words of agreement that do so only opening a sentence ("জি স্যার", "ok").
const ACKNOWLEDGED = "acknowledged";
const AGREEMENT = "agreement";
const WILL_DO = "will-do";
const DONE = "done";
const NOT_DONE = "not-done";
const REFERENCE = "reference";
const TROUBLE = "trouble";
const REFUSAL = "refusal";
const NIL_REPORT = "nil-report";

const COURTESY = new Set(["স্যার", "ম্যাডাম", "ম্যাম", "sir", "sr", "madam", "mam", "maam", "ভাই", "আপা"].map(cueText));

/** Up to this many words a message is a short answer, not a report that might be about something else. */
const SHORT = 8;

/**
 * Whether a message from an officer acknowledges ("জি স্যার", "Noted", 👍, "পাঠাচ্ছি") or reports done
 * ("পাঠানো হয়েছে", "done sir") — not which directive; that is the tracker's job. Greetings, thanks
 * alone and questions are not acknowledgements.
 */
export function readAcknowledgement(body: string, lexicon: Lexicon): AcknowledgementReading | null {
  return rememberedReading(body, lexicon);
}

const MEMO_LIMIT = 50_000;
/** Officers repeat themselves: each text is read once. */
const rememberedReading = rememberReadings(read, MEMO_LIMIT);

function read(body: string, lexicon: Lexicon): AcknowledgementReading | null {
  const text = cueText(body).trim();
  if (!text) return null;
  const words = text.match(CUE_TOKEN) ?? [];
  if (words.length === 0) return null;
  const matches = findCues(lexicon, text);
  const of = (group: string) => matches.filter((match) => match.group.name === group);
  // "Madam", "স্যার" are courtesy, not content: they do not make an answer long.
  const short = words.filter((word) => !COURTESY.has(word)).length <= SHORT;

  // "জি না স্যার, এখনো হয়নি" says no.
  if (of(REFUSAL).length > 0) return null;
  const opening = [...of(ACKNOWLEDGED), ...of(AGREEMENT)].sort((a, b) => a.index - b.index);
  const question = asks(text);
  // "জি স্যার, কোন ছকে পাঠাবো?" answers first; "স্যার, কোন ছকে পাঠাবো?" only asks.
  if (question && !(opening[0] && opening[0].index < text.length / 3)) return null;

  const cues: string[] = [];
  const done = of(DONE);
  const notDone = of(NOT_DONE);
  if (done.length > 0 && notDone.length === 0 && !(of(TROUBLE).length > 0 && !short && opening.length === 0)) {
    cues.push(...done.map((match) => `${DONE}: ${match.text}`), ...opening.map((match) => `${ACKNOWLEDGED}: ${match.text}`));
    return { kind: "done", cues, needsTopic: !short && opening.length === 0 && of(REFERENCE).length === 0 };
  }
  if (opening.length > 0) return { kind: "acknowledged", cues: opening.map((match) => `${ACKNOWLEDGED}: ${match.text}`), needsTopic: false };
  const willDo = of(WILL_DO);
  if (willDo.length > 0) {
    return { kind: "acknowledged", cues: willDo.map((match) => `${WILL_DO}: ${match.text}`), needsTopic: !short && of(REFERENCE).length === 0 };
  }
  // Figures sent after a request for figures ("Sadar e 6 ta shelter e 1,240 jon") report it done, and so
  // does a short "none" ("কৃষি অফিসে কোনো পেন্ডিং নথি নেই"). Figures answer so many questions ("অন্তত ৫০০
  // পিস", "৩১%", a link) that they must be about the directive; a report of trouble ("৩টি আশ্রয়কেন্দ্রে
  // পানির সংকট") asks for help and answers nothing.
  const figures = /\d/.test(text) || (short && of(NIL_REPORT).length > 0);
  if (figures && !question && of(TROUBLE).length === 0) return { kind: "done", cues: ["report"], needsTopic: true };
  return null;
}

/** Whether a message begins by acknowledging ("জি স্যার। …", "Noted sir, …"): its first words say so. */
export const opensWithAcknowledgement: (body: string, lexicon: Lexicon) => boolean = rememberReadings((body, lexicon) => {
  const text = cueText(body).trim();
  return findCues(lexicon, text).some(
    (match) => (match.group.name === AGREEMENT || match.group.name === ACKNOWLEDGED) && !/[\p{L}\p{N}]/u.test(text.slice(0, match.index)),
  );
}, MEMO_LIMIT);

/** Words too common in an office's chat to tie a report to a directive. */
const COMMON = new Set(
  [
    "স্যার", "ম্যাডাম", "sir", "madam", "আজ", "আজকে", "আজকের", "আগামীকাল", "কাল", "করা", "করতে", "হবে", "হয়েছে", "সকল", "উপজেলা", "উপজেলায়", "জেলা",
    "ইউনিয়ন", "এবং", "আমার", "আমি", "আমরা", "আপনার", "জন্য", "সাথে", "থেকে", "মধ্যে", "নির্দেশনা", "অনুযায়ী", "মোতাবেক", "বিষয়ে", "বিষয়টি",
    "কাজ", "নিয়ে", "গতকাল", "গতকালের", "প্রতিবেদন", "প্রতিবেদনটি", "তথ্য", "আগামী", "আগামি", "সপ্তাহে", "সকাল", "বিকাল", "উপস্থিত", "সব", "সবাই", "সকলে", "আছে", "হয়", "দিন", "পর", "আর", "বা", "কি", "না", "হলো", "হল", "তবে", "যে", "এই", "সে", "তা", "জন", "টি",
    "the", "and", "for", "with", "from", "this", "that", "have", "has", "been", "will", "today", "tomorrow", "please", "sent", "done", "report",
    "all", "are", "was", "not", "you", "our", "now", "per", "jon",
  ].map(cueText),
);

/**
 * Whether a report shares a content word with a directive, allowing for Bangla endings
 * (প্রতিবেদন / প্রতিবেদনটি, তালিকা / তালিকার).
 */
export function isAbout(reply: string, directive: string | string[]): boolean {
  const stems = typeof directive === "string" ? topicOf(directive) : directive;
  const { words, long } = wordsOfReply(reply);
  const shared = new Set(words.filter((word) => stems.some((stem) => sameWord(word, stem)))).size;
  // A long report touches many subjects: one shared word is chance, two are a topic.
  return shared >= (long ? 2 : 1);
}

/** The words a report must share with a directive to be about it; worked out once per directive. */
export function topicOf(directive: string): string[] {
  return contentWords(directive);
}

const wordsOfReply = rememberTexts((reply) => ({ words: contentWords(reply), long: cueWords(reply).length > 20 }), MEMO_LIMIT);

function contentWords(text: string): string[] {
  return cueWords(text).filter((word) => word.length >= 3 && !COMMON.has(word) && !/^\d+$/.test(word));
}

function sameWord(a: string, b: string): boolean {
  let shared = 0;
  while (shared < a.length && shared < b.length && a[shared] === b[shared]) shared++;
  return shared >= 3 && shared >= 0.75 * Math.min(a.length, b.length);
}
