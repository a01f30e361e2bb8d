import { cueText, WORD_CHAR } from "./cue-text.js";

/**
 * A lexicon file as an office writes it (data/lexicons/*.json): named groups of phrases, each with a
 * weight. A phrase is words in any script; `*` at the start or end of a word stands for any letters,
 * so `*তে হবে` finds পাঠাতে হবে and করতে হবে. `except` lists whole words a `*` must not find (নতুন is
 * not an imperative, though it ends like করুন).
 */
export interface LexiconFile {
  threshold?: number | undefined;
  cues: Record<string, CueGroupFile>;
}

export interface CueGroupFile {
  weight?: number | undefined;
  /**
   * Where in a message the phrase counts: anywhere (default), as a heading (followed by a colon or the
   * end of its line: "বাজার মনিটরিং সংক্রান্ত নির্দেশনা:"), at the start of a sentence ("Send …", "All UNOs
   * open …") or at its end ("… প্রতিবেদন দিন।", where দিন is no longer "day").
   */
  where?: "anywhere" | "heading" | "sentence-start" | "sentence-end" | undefined;
  /** A sentence with one of these phrases gives nothing towards a directive (a prayer request, a quote). */
  cancelsSentence?: boolean | undefined;
  phrases: string[];
  except?: string[] | undefined;
}

export interface CueGroup {
  name: string;
  weight: number;
  cancelsSentence: boolean;
  pattern: RegExp;
  except: Set<string>;
}

export interface Lexicon {
  threshold: number;
  groups: CueGroup[];
  byName: Map<string, CueGroup>;
}

/** Several files of the same lexicon (the project's, then an office's): phrases add up, later weights win. */
export function mergeLexiconFiles(files: LexiconFile[]): LexiconFile {
  const merged: LexiconFile = { cues: {} };
  for (const file of files) {
    if (file.threshold !== undefined) merged.threshold = file.threshold;
    for (const [name, group] of Object.entries(file.cues)) {
      const before = merged.cues[name];
      merged.cues[name] = {
        ...before,
        ...Object.fromEntries(Object.entries(group).filter(([, value]) => value !== undefined)),
        phrases: [...(before?.phrases ?? []), ...group.phrases],
        except: [...(before?.except ?? []), ...(group.except ?? [])],
      };
    }
  }
  return merged;
}

export function compileLexicon(file: LexiconFile): Lexicon {
  const groups = Object.entries(file.cues)
    .filter(([, group]) => group.phrases.length > 0)
    .map(([name, group]) => ({
      name,
      weight: group.weight ?? 0,
      cancelsSentence: group.cancelsSentence ?? false,
      pattern: phrasePattern(group.phrases, group.where ?? "anywhere"),
      except: new Set((group.except ?? []).map((word) => cueText(word).trim())),
    }));
  return { threshold: file.threshold ?? 2, groups, byName: new Map(groups.map((group) => [group.name, group])) };
}

const LETTERS = String.raw`[\p{L}\p{M}]*`;
const BEFORE: Record<NonNullable<CueGroupFile["where"]>, string> = {
  anywhere: `(?<!${WORD_CHAR})`,
  heading: `(?<!${WORD_CHAR})`,
  // After a full stop, a দাঁড়ি, a colon, a comma or a list number, and perhaps whom it is for:
  // "1. Submit …", "UNO Bhuapur, be ready …", "All UNOs open …", "Sir ji".
  "sentence-start": String.raw`(?<=(?:^|[\n.!?।:;,])[^\p{L}\p{N}]*(?:\d+[.)][^\p{L}]*)?(?:(?:(?:all|every|each|dear)\s+\p{L}+(?:\s+\p{L}+)?|everyone|everybody|all|sir|sr|madam|mam|স্যার|ম্যাডাম|ম্যাম)[\s,]+)?)`,
  "sentence-end": `(?<!${WORD_CHAR})`,
};

function phrasePattern(phrases: string[], where: NonNullable<CueGroupFile["where"]>): RegExp {
  const alternatives = [...new Set(phrases.map((phrase) => cueText(phrase).trim()).filter(Boolean))]
    .sort((a, b) => b.length - a.length)
    .map((phrase) =>
      phrase
        .split(" ")
        .map((word) => {
          const lead = word.startsWith("*") ? LETTERS : "";
          const tail = word.length > 1 && word.endsWith("*") ? LETTERS : "";
          const core = word.replace(/^\*|\*$/g, "");
          return lead + escape(core) + tail;
        })
        .join(String.raw`[\s,]+`),
    );
  if (alternatives.length === 0) return /(?!)/gu;
  const after =
    where === "heading"
      ? String.raw`(?=[ \t]*(?:[:ঃ—–-]|\n|$))`
      : where === "sentence-end"
        ? // A word like "quickly" or a limit may follow: "রিপোর্ট টা দেন তাড়াতাড়ি", "report দিন by tomorrow".
          String.raw`(?=[ \t]*(?:[।.!,\n]|$|(?:তাড়াতাড়ি|দ্রুত|এখনই|এখুনি|আজই|please|plz|pls|by|within|before)(?![\p{L}\p{M}])))`
        : `(?!${WORD_CHAR})`;
  return new RegExp(`${BEFORE[where]}(?:${alternatives.join("|")})${after}`, "gu");
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

export interface CueMatch {
  group: CueGroup;
  text: string;
  index: number;
}

/** Every phrase of the lexicon found in a text already in cueText form. */
export function findCues(lexicon: Lexicon, text: string): CueMatch[] {
  const found: CueMatch[] = [];
  for (const group of lexicon.groups) {
    group.pattern.lastIndex = 0;
    for (const match of text.matchAll(group.pattern)) {
      if (group.except.size > 0 && group.except.has(match[0])) continue;
      found.push({ group, text: match[0], index: match.index });
    }
  }
  return found;
}
