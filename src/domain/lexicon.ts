import { CUE_TOKEN, cueText } from "./cue-text.js";
import { rememberReadings } from "./remember-texts.js";

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
  /** Its place in the lexicon: matches are listed group by group in this order. */
  order: number;
  weight: number;
  cancelsSentence: boolean;
  where: NonNullable<CueGroupFile["where"]>;
  except: Set<string>;
}

export interface Lexicon {
  threshold: number;
  groups: CueGroup[];
  byName: Map<string, CueGroup>;
  /** Phrases by the word they start with: exactly, by its first two letters (`করা*`) or its last two (`*বেন`). */
  index: PhraseIndex;
}

interface PhraseWord {
  core: string;
  /** `*` before: any letters may come first (`*তে`); after: any may follow. */
  lead: boolean;
  tail: boolean;
  /** What stands between this word and the next ("'" in don't, "-" in ই-মেইল); a space or a comma when empty. */
  then: string;
}

interface Phrase {
  group: CueGroup;
  words: PhraseWord[];
  /** Punctuation that must follow the last word, spaces aside ("সিদ্ধান্ত:"). */
  end: string;
}

interface PhraseIndex {
  exact: Map<string, Phrase[]>;
  byStart: Map<string, Phrase[]>;
  byEnd: Map<string, Phrase[]>;
  /** Phrases whose first word is too short to index (`*a`, `*x*`): tried at every word. */
  loose: Phrase[];
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
  const index: PhraseIndex = { exact: new Map(), byStart: new Map(), byEnd: new Map(), loose: [] };
  const add = (map: Map<string, Phrase[]>, key: string, phrase: Phrase) => {
    const list = map.get(key) ?? [];
    list.push(phrase);
    map.set(key, list);
  };
  const groups = Object.entries(file.cues)
    .filter(([, group]) => group.phrases.length > 0)
    .map(([name, group], order) => {
      const phrases = [...new Set(group.phrases.map((phrase) => cueText(phrase).trim()).filter(Boolean))];
      const where = group.where ?? "anywhere";
      const compiled: CueGroup = {
        name,
        order,
        weight: group.weight ?? 0,
        cancelsSentence: group.cancelsSentence ?? false,
        where,
        except: new Set((group.except ?? []).map((word) => cueText(word).trim())),
      };
      for (const text of phrases) {
        const phrase = parsePhrase(compiled, text);
        if (!phrase) continue;
        const { words } = phrase;
        const first = words[0]!;
        if ((first.lead || first.tail) && (first.core.length < 2 || (first.lead && first.tail))) index.loose.push(phrase);
        else if (first.lead) add(index.byEnd, first.core.slice(-2), phrase);
        else if (first.tail) add(index.byStart, first.core.slice(0, 2), phrase);
        else add(index.exact, first.core, phrase);
      }
      return compiled;
    });
  return { threshold: file.threshold ?? 2, groups, byName: new Map(groups.map((group) => [group.name, group])), index };
}

const LETTERS_ONLY = /^[\p{L}\p{M}]*$/u;
const GAP = /^[\s,]+$/;

// Where a group's phrases count, as tests of the text before and after a match.
const BEFORE: Partial<Record<NonNullable<CueGroupFile["where"]>, RegExp>> = {
  // After a full stop, a দাঁড়ি, a colon, a comma or a list number, and perhaps whom it is for:
  // "1. Submit …", "UNO Bhuapur, be ready …", "All UNOs open …", "Sir ji".
  "sentence-start": /(?:^|[\n.!?।:;,])[^\p{L}\p{N}]*(?:\d+[.)][^\p{L}]*)?(?:(?:(?:all|every|each|dear)\s+\p{L}+(?:\s+\p{L}+)?|everyone|everybody|all|sir|sr|madam|mam|স্যার|ম্যাডাম|ম্যাম)[\s,]+)?$/u,
};
const AFTER: Partial<Record<NonNullable<CueGroupFile["where"]>, RegExp>> = {
  heading: /^[ \t]*(?:[:ঃ—–-]|\n|$)/u,
  // A word like "quickly" or a limit may follow: "রিপোর্ট টা দেন তাড়াতাড়ি", "report দিন by tomorrow".
  "sentence-end": /^[ \t]*(?:[।.!,\n]|$|(?:তাড়াতাড়ি|দ্রুত|এখনই|এখুনি|আজই|please|plz|pls|by|within|before)(?![\p{L}\p{M}]))/u,
};

/** A phrase as words (with their `*`) and what stands between them; null when it has no word. */
function parsePhrase(group: CueGroup, text: string): Phrase | null {
  const words: PhraseWord[] = [];
  let position = 0;
  let lead = false;
  for (const match of text.matchAll(CUE_TOKEN)) {
    const between = text.slice(position, match.index);
    if (words.length > 0) {
      const previous = words.at(-1)!;
      previous.tail = between.startsWith("*");
      previous.then = between.replace(/^\*/, "").replace(/\*$/, "").replace(/[\s,]/g, "");
    }
    lead = between.endsWith("*");
    words.push({ core: match[0], lead, tail: false, then: "" });
    position = match.index + match[0].length;
  }
  if (words.length === 0) return null;
  const rest = text.slice(position);
  words.at(-1)!.tail = rest.startsWith("*");
  return { group, words, end: rest.replace(/^\*/, "").replace(/\s/g, "") };
}

export interface CueMatch {
  group: CueGroup;
  text: string;
  index: number;
}

/**
 * Every phrase of the lexicon found in a text already in cueText form, by group in the lexicon's order
 * and then by place. Words are looked up, not scanned for: a message costs a few map lookups per word,
 * however many phrases an office adds.
 */
export function findCues(lexicon: Lexicon, text: string): CueMatch[] {
  return recentCues(text, lexicon);
}

// One message is asked about by several readers in turn. The matches are shared: never change them.
const recentCues = rememberReadings((text: string, lexicon: Lexicon) => cuesIn(lexicon, text), 64);

function cuesIn(lexicon: Lexicon, text: string): CueMatch[] {
  const tokens: Array<{ text: string; start: number; end: number }> = [];
  for (const match of text.matchAll(CUE_TOKEN)) tokens.push({ text: match[0], start: match.index, end: match.index + match[0].length });
  const found: CueMatch[] = [];
  const { exact, byStart, byEnd, loose } = lexicon.index;
  const tryAll = (candidates: Phrase[] | undefined, at: number) => {
    if (!candidates) return;
    for (const phrase of candidates) {
      const match = matchAt(phrase, tokens, at, text);
      if (match) found.push(match);
    }
  };
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]!.text;
    tryAll(exact.get(word), i);
    tryAll(byStart.get(word.slice(0, 2)), i);
    tryAll(byEnd.get(word.slice(-2)), i);
    if (loose.length > 0) tryAll(loose, i);
  }
  return found.sort((a, b) => a.group.order - b.group.order || a.index - b.index);
}

function matchAt(phrase: Phrase, tokens: Array<{ text: string; start: number; end: number }>, at: number, text: string): CueMatch | null {
  const { words, group } = phrase;
  if (at + words.length > tokens.length) return null;
  for (let k = 0; k < words.length; k++) {
    const token = tokens[at + k]!;
    if (!wordMatches(words[k]!, token.text)) return null;
    if (k > 0) {
      const gap = text.slice(tokens[at + k - 1]!.end, token.start);
      const then = words[k - 1]!.then;
      if (then ? gap.replace(/[\s,]/g, "") !== then : !GAP.test(gap)) return null;
    }
  }
  const start = tokens[at]!.start;
  let end = tokens[at + words.length - 1]!.end;
  if (phrase.end) {
    const after = /^[ \t]*/.exec(text.slice(end))![0].length;
    if (!text.startsWith(phrase.end, end + after)) return null;
    end += after + phrase.end.length;
  }
  const matched = text.slice(start, end);
  if (group.except.has(matched)) return null;
  const before = BEFORE[group.where];
  // A window of the text before, marked when cut so that its cut is not read as the text's start.
  if (before && !before.test(start > 60 ? `x${text.slice(start - 60, start)}` : text.slice(0, start))) return null;
  const after = AFTER[group.where];
  if (after && !after.test(text.slice(end, end + 40))) return null;
  return { group, text: matched, index: start };
}

function wordMatches(word: PhraseWord, token: string): boolean {
  if (!word.lead && !word.tail) return token === word.core;
  const at = word.lead ? token.lastIndexOf(word.core) : token.indexOf(word.core);
  if (at === -1) return false;
  if (word.lead && !word.tail && at + word.core.length !== token.length) return false;
  if (word.tail && !word.lead && at !== 0) return false;
  const rest = token.slice(0, at) + token.slice(at + word.core.length);
  return LETTERS_ONLY.test(rest);
}
