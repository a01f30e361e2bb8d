import { toAsciiDigits } from "./digits.js";

// iPhones write numbers with non-breaking hyphens (U+2011) and no-break spaces.
const SEPARATORS = /[\s\u00a0\u202f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2010-\u2015\-().\/]/g;

/**
 * Turns a phone number in any common form (+880 1711-000001, 01711000001, 8801711000001,
 * ০১৭১১০০০০০১, 8801711000001@c.us) into E.164 (+8801711000001), or null when it is not one.
 * Numbers without a country code are read as Bangladeshi.
 */
export function normalisePhone(raw: string): string | null {
  let text = toAsciiDigits(raw.trim()).replace(/@(c\.us|s\.whatsapp\.net)$/, "").replace(SEPARATORS, "");
  if (text.startsWith("+")) text = text.slice(1);
  else if (text.startsWith("00")) text = text.slice(2);
  else if (text.startsWith("0")) text = `880${text.slice(1)}`;
  else if (/^1[3-9]\d{8}$/.test(text)) text = `880${text}`;
  if (!/^[1-9]\d{7,14}$/.test(text)) return null;
  if (text.startsWith("880") && !/^880\d{8,10}$/.test(text)) return null;
  return `+${text}`;
}

/** The WhatsApp user id of a phone number (what whatsapp-web.js calls `id._serialized`). */
export function whatsappIdOf(phone: string): string {
  return `${phone.replace(/^\+/, "")}@c.us`;
}

/**
 * The phone number a sender or mention is written as, or null for a saved name: only text made of
 * digits and separators is read as a number, so a name like "Rahim 2" is never one.
 */
export function phoneWrittenAs(text: string): string | null {
  return /^[+\d০-৯][\d০-৯\s\-().\u00a0\u202f\u2010-\u2015]{6,}$/.test(text) ? normalisePhone(text) : null;
}
