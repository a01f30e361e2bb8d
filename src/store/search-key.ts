/** Index keys per hour: a chain position is below this (8.6 billion rows). */
export const KEYS_PER_HOUR = 2 ** 33;
const HOUR = 3_600_000;
/** UTC hours since 1970 are held between 0 and this (the year 2089), so that every key is below 2^53. */
const LAST_HOUR = 2 ** 20 - 1;

/**
 * The search index's key of a message's words or of an edit's (`at`: when the message was sent, for an
 * edit the message it changed; `seq`: the chain position of the row indexed). Keys are unique, exact in
 * JavaScript, and in the order of time to the hour, so a search can read the newest matches first. The
 * view `search_documents` (migration 2026-11-23T0745-search-by-time) computes the same in SQL, and
 * `verify` checks the index against that view.
 */
export function searchKey(at: number, seq: number): number {
  return Math.min(Math.max(Math.trunc(at / HOUR), 0), LAST_HOUR) * KEYS_PER_HOUR + seq;
}
