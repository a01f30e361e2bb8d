/**
 * Remembers what `read` said of each text, up to `limit` texts (then starts again), so a text read
 * several times costs one reading: officers repeat themselves ("জি স্যার" hundreds of times a month),
 * and one message is put into cue form by several readers in turn.
 */
export function rememberTexts<T>(read: (text: string) => T, limit: number): (text: string) => T {
  const memo = new Map<string, T>();
  return (text) => {
    if (memo.has(text)) return memo.get(text)!;
    const reading = read(text);
    if (memo.size >= limit) memo.clear();
    memo.set(text, reading);
    return reading;
  };
}

/** The same, for readings that depend on a lexicon too: one memory per lexicon. */
export function rememberReadings<L extends object, T>(read: (text: string, lexicon: L) => T, limit: number): (text: string, lexicon: L) => T {
  const byLexicon = new WeakMap<L, (text: string) => T>();
  return (text, lexicon) => {
    let reader = byLexicon.get(lexicon);
    if (!reader) byLexicon.set(lexicon, (reader = rememberTexts((text) => read(text, lexicon), limit)));
    return reader(text);
  };
}
