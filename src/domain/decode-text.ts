/**
 * Turns file bytes into text: UTF-8 (with or without BOM) or UTF-16 with a BOM, as phones and
 * Excel write them. Returns null for bytes that are not text at all (NUL bytes in UTF-8).
 */
export function decodeText(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  const sample = bytes.subarray(0, 65_536);
  if (sample.includes(0)) return null;
  return new TextDecoder("utf-8").decode(bytes).replace(/^\ufeff/, "");
}
