/**
 * Turns file bytes into text: UTF-8 (with or without BOM) or UTF-16 with a BOM, as phones and
 * Excel write them. Returns null for bytes that are not such text: NUL bytes or broken UTF-8 mean
 * a damaged file or another encoding, and archiving it with replacement characters would lose words.
 */
export function decodeText(bytes: Uint8Array): string | null {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le", { fatal: true }).decode(bytes.subarray(2));
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be", { fatal: true }).decode(bytes.subarray(2));
    if (bytes.includes(0)) return null;
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\ufeff/, "");
  } catch {
    return null;
  }
}
