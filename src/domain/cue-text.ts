import { toAsciiDigits } from "./digits.js";
import { rememberTexts } from "./remember-texts.js";

// Also emoji variation selectors and skin tones: 👍🏽 is 👍.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\ufe0e\ufe0f]|\u{1f3fb}|\u{1f3fc}|\u{1f3fd}|\u{1f3fe}|\u{1f3ff}/gu;
// Spellings people mix freely in Bangla chats (জী/জি, পূর্বে/পুর্বে, প্রণয়ন/প্রনয়ন, চাঁদা/চাদা): a cue
// written one way finds the others.
const FOLDS: Record<string, string> = { "ী": "ি", "ূ": "ু", "ঈ": "ই", "ঊ": "উ", "ণ": "ন", "ঁ": "" };
const FOLDABLE = /[ীূঈঊণঁ]/g;

/**
 * The form of a text that cues are matched in: NFC, lower case, no zero-width joiners or direction
 * marks, Bangla digits as ASCII, long and short vowel signs folded together, one space between words.
 */
export const cueText: (text: string) => string = rememberTexts(
  (text) =>
    toAsciiDigits(foldSpelling(text).replace(INVISIBLE, ""))
      .toLowerCase()
      .replace(/[ \t\u00a0]+/g, " "),
  // Enough for the few readers of one message in turn; a chat's texts are seldom alike.
  64,
);

/** NFC with the spellings folded, leaving case alone: what Bangla written into a pattern must go through. */
export function foldSpelling(text: string): string {
  return text.normalize("NFC").replace(FOLDABLE, (c) => FOLDS[c]!);
}

/** A regular expression whose Bangla is in cueText's form, however the source file spelt it. */
export function cuePattern(source: string, flags: string): RegExp {
  return new RegExp(foldSpelling(source), flags);
}

/** A word or an emoji of cueText: what lexicon phrases are made of (👍 and ✔ answer as words do). */
export const CUE_TOKEN = /[\p{L}\p{M}\p{N}]+|\p{Extended_Pictographic}|[✔☑]/gu;

/** A word of cueText, including Bangla vowel signs and the hasanta. */
export const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/** The words of a text in cue form. */
export function cueWords(text: string): string[] {
  return cueText(text).match(WORD) ?? [];
}

// "কিনা" (whether) closes an order as often as a question ("… হচ্ছে কিনা খেয়াল রাখবেন"): it is not one.
const QUESTION_END = /(?:[?？]|(?<![\p{L}\p{M}])(?:কি|নাকি|ki|naki)[\s.।]*)$/u;
// A question particle inside: "প্রতিবেদন কি ইমেইলে পাঠাবো নাকি হোয়াটসঅ্যাপে দিবো".
const QUESTION_WORD = /(?<![\p{L}\p{M}])(?:কি|কী|নাকি|ki|naki)(?![\p{L}\p{M}])/u;

/** Whether a text in cueText form ends as a question: "?", or কি / নাকি / ki closing it. */
export function isQuestion(cue: string): boolean {
  return QUESTION_END.test(cue.trimEnd());
}

/** Whether an answer asks rather than answers: a question, or a question word anywhere in it. */
export function asks(cue: string): boolean {
  return isQuestion(cue) || QUESTION_WORD.test(cue);
}
