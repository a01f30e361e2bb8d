import { toAsciiDigits } from "./digits.js";

const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;
/** A word as the archive's search index sees it: letters, digits, Bangla vowel signs and hasanta. */
const WORD = /[\p{L}\p{N}\p{Mn}\p{Mc}\p{Co}]+/gu;
/** The same, in text that still has its zero-width joiners (র‍্যাব is one word). */
const WORD_WITH_JOINERS = /[\p{L}\p{N}\p{Mn}\p{Mc}\p{Co}\u200c\u200d]+/gu;

/**
 * The form of a text that the search index stores and that queries are matched in: NFC (so য় typed
 * as one code point or as য + nukta is the same letter), without zero-width joiners and direction
 * marks, Bangla digits read as ASCII (২০২৪ finds 2024).
 */
export function searchableText(text: string): string {
  return toAsciiDigits(text.normalize("NFC").replace(INVISIBLE, ""));
}

/** The words of a search query, lower-cased, in the index's form. Punctuation and syntax are dropped. */
export function searchTerms(query: string): string[] {
  return searchableText(query).toLowerCase().match(WORD) ?? [];
}

/**
 * The query as groups of words that must stand together: what the user typed without spaces
 * (ই-নথি, ২২.১০.২০২৪, 15,000) is one group, its words next to each other in that order.
 */
export function searchPhrases(query: string): string[][] {
  return query
    .split(/\s+/)
    .map(searchTerms)
    .filter((words) => words.length > 0);
}

/**
 * Where the query's words occur in `text` (start and end offsets in the original text), matching
 * each word of the text that begins with a query word, as the search does.
 */
export function findTermRanges(text: string, terms: string[]): Array<[number, number]> {
  if (terms.length === 0) return [];
  const plainTerms = terms.map(stripLatinAccents);
  const ranges: Array<[number, number]> = [];
  for (const match of text.matchAll(WORD_WITH_JOINERS)) {
    const word = stripLatinAccents(searchableText(match[0]).toLowerCase());
    if (plainTerms.some((term) => word.startsWith(term))) {
      ranges.push([match.index!, match.index! + match[0].length]);
    }
  }
  return ranges;
}

function stripLatinAccents(word: string): string {
  // Only Latin letters lose accents in the index (remove_diacritics 2); Bangla signs are letters' parts.
  return word.replace(/[\u00c0-\u024f]/g, (c) => c.normalize("NFD").replace(/[\u0300-\u036f]/g, ""));
}
