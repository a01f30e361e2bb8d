const BANGLA_DIGITS = /[০-৯]/g;

/** Reads Bangla digits (০-৯) as ASCII digits, leaving everything else as it is. */
export function toAsciiDigits(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x09e6 && c <= 0x09ef) return text.replace(BANGLA_DIGITS, (d) => String(d.charCodeAt(0) - 0x09e6));
  }
  return text;
}

/** Writes ASCII digits as Bangla digits, for Bangla user-facing text. */
export function toBanglaDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(0x09e6 + Number(d)));
}
