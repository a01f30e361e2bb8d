import { cuePattern, cueText } from "./cue-text.js";
import { formatIsoInZone, isRealDate, localTimeToUtc } from "./time-zone.js";

export interface Deadline {
  /** UTC milliseconds: the time named, or the end of the day when only a day is named. */
  at: number;
  /** Only a day was named ("আগামীকালের মধ্যে", "by Sunday"). */
  allDay: boolean;
  /** The words it was read from, as cueText wrote them. */
  text: string;
}

type Day = { year: number; month: number; day: number };
type Found = { index: number; end: number; text: string; marked: boolean };
type DayFound = Found & { day: Day | null; hours?: number; duration: boolean; upcoming: boolean };
type TimeFound = Found & { hour: number; minute: number };

const MONTHS: Array<[RegExp, number]> = [
  [cuePattern(String.raw`^(?:জানুয়ারি|জানুয়ারি|jan|january)$`, ""), 1],
  [cuePattern(String.raw`^(?:ফেব্রুয়ারি|ফেব্রুয়ারি|ফেব্রুয়ারি|feb|february)$`, ""), 2],
  [cuePattern(String.raw`^(?:মার্চ|mar|march)$`, ""), 3],
  [cuePattern(String.raw`^(?:এপ্রিল|apr|april)$`, ""), 4],
  [cuePattern(String.raw`^(?:মে|may)$`, ""), 5],
  [cuePattern(String.raw`^(?:জুন|jun|june)$`, ""), 6],
  [cuePattern(String.raw`^(?:জুলাই|jul|july)$`, ""), 7],
  [cuePattern(String.raw`^(?:আগস্ট|আগষ্ট|অগাস্ট|aug|august)$`, ""), 8],
  [cuePattern(String.raw`^(?:সেপ্টেম্বর|সেপ্টেম্বর|sep|sept|september)$`, ""), 9],
  [cuePattern(String.raw`^(?:অক্টোবর|অক্টোবর|oct|october)$`, ""), 10],
  [cuePattern(String.raw`^(?:নভেম্বর|nov|november)$`, ""), 11],
  [cuePattern(String.raw`^(?:ডিসেম্বর|dec|december)$`, ""), 12],
];
const MONTH_WORDS = String.raw`জানুয়ারি|জানুয়ারি|ফেব্রুয়ারি|ফেব্রুয়ারি|মার্চ|এপ্রিল|মে|জুন|জুলাই|আগস্ট|আগষ্ট|অগাস্ট|সেপ্টেম্বর|অক্টোবর|নভেম্বর|ডিসেম্বর|january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec`;
const WEEKDAYS: Array<[RegExp, number]> = [
  [cuePattern(String.raw`^(?:রবিবার|রোববার|sunday|robibar|robbar)`, ""), 0],
  [cuePattern(String.raw`^(?:সোমবার|monday|sombar|shombar)`, ""), 1],
  [cuePattern(String.raw`^(?:মঙ্গলবার|tuesday|mongolbar|monggolbar)`, ""), 2],
  [cuePattern(String.raw`^(?:বুধবার|wednesday|budhbar|budhobar)`, ""), 3],
  [cuePattern(String.raw`^(?:বৃহস্পতিবার|বিষ্যুদবার|thursday|brihospotibar|brihospatibar|bishudbar)`, ""), 4],
  [cuePattern(String.raw`^(?:শুক্রবার|friday|shukrobar|sukrobar)`, ""), 5],
  [cuePattern(String.raw`^(?:শনিবার|saturday|shonibar|sonibar)`, ""), 6],
];
const WEEKDAY_WORDS = String.raw`রবিবার|রোববার|সোমবার|মঙ্গলবার|বুধবার|বৃহস্পতিবার|বিষ্যুদবার|শুক্রবার|শনিবার|sunday|monday|tuesday|wednesday|thursday|friday|saturday|robibar|robbar|sombar|shombar|mongolbar|monggolbar|budhbar|budhobar|brihospotibar|brihospatibar|bishudbar|shukrobar|sukrobar|shonibar|sonibar`;
const NUMBER_WORDS: Record<string, number> = {
  এক: 1, দুই: 2, দু: 2, তিন: 3, চার: 4, পাঁচ: 5, পাচ: 5, ছয়: 6, সাত: 7, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, ek: 1, dui: 2, tin: 3,
};

const B = String.raw`(?<![\p{L}\p{M}\p{N}])`;
const E = String.raw`(?![\p{L}\p{M}\p{N}])`;
// Words after a day or time that make it a due time ("…এর মধ্যে", "…এর পূর্বে"), and before it in English ("by …").
const AFTER_MARK = cuePattern(String.raw`^[\p{L}\p{M}]*\s*(?:এর\s+|র\s+)?(?:মধ্যে|মধ্য|ভিতর|ভেতর|আগে|পুর্বে|পূর্বে|moddhe|moddhe|modhe|moddhye|er moddhe|age)`, "u");
// A span is a limit only "within" it: "৩ দিনের মধ্যে", never "৩ দিন আগে" (three days ago).
const WITHIN_MARK = cuePattern(String.raw`^[\p{L}\p{M}]*\s*(?:মধ্যে|ভিতর|ভেতর|moddhe|modhe)`, "u");
const DATE_TO_WEEKDAY = cuePattern(String.raw`^[\s,]*(?:খ্রি\.?|খ্রিঃ|খ্রিস্টাব্দ|ইং\.?|সাল|tarikh|তারিখ)?[\s,(]*$`, "u");
const PAST = cuePattern(String.raw`(?:গত|goto|gato|gotokal)\s*$`, "u");
// "এই সপ্তাহের মধ্যে", "চলতি মাসের মধ্যে", "within this week".
const THIS_PERIOD = cuePattern(
  String.raw`(?<![\p{L}\p{M}])(?:এই|চলতি|this|ei|cholti)\s+(?:সপ্তাহ|মাস|week|month|shoptah|saptah|mas)[\p{L}\p{M}]*(?=\s*(?:এর\s+|er\s+)?(?:মধ্যে|moddhe|end|শেষে))|(?<![\p{L}\p{M}])(?:within|by the end of|by end of)\s+(?:this\s+)?(?:week|month)`,
  "gu",
);
const BY_HOUR = /(?<![\p{L}])by\s+(\d{1,2})(?![\d.:\p{L}]|\s*(?:[ap]\.?\s?m|o'clock|টা|days?|hours?|%))/gu;
const CLOCK_TIME = /(?<![\d.:])(\d{1,2}):(\d{2})(?![\d.:]|\s*[ap]\.?\s?m)/g;
const MINUTE_UNIT = cuePattern(String.raw`^(?:মিনিট|minute|min|minit)`, "u");
const MINUTES = cuePattern(String.raw`^মিনিট`, "u");
const EVERY = cuePattern(String.raw`(?:প্রতি|every|each|proti|prottek)\s*$`, "u");
const UPCOMING = cuePattern(String.raw`(?:আগামী|আগামি|next|coming|agami)\s*$`, "u");
const BEFORE_MARK = /(?:by|before|within|no later than|not later than|latest by|till|until|on or before|due)\s*(?:the\s+)?$/;

const RELATIVE = cuePattern(
  `${B}(আজ|আজকে|আজকের|আজই|আজকেই|today|today's|tonight|this evening|this afternoon|ajke|ajker|ajkei|ajk|aj|aaj|eod|আগামীকাল|আগামীকালের|আগামীকালকে|আগামিকাল|আগামিকালের|কাল|কালকে|কালকের|tomorrow|tomorrow's|tmrw|tmr|kal|kalke|kalker|kalkei|agamikal|agamikaler|পরশু|পরশুর|পরশুদিন|porshu|porshur|porshudin|day after tomorrow)${E}`,
  "gu",
);
const WEEKDAY = cuePattern(`${B}(?:(আগামী|আগামি|next|agami|coming|this)\\s+)?(${WEEKDAY_WORDS})[\\p{L}\\p{M}]*`, "gu");
// A month may take a case ending: নভেম্বরের মধ্যে, জানুয়ারির, মার্চে.
const MONTH_ENDING = "(?:য়ের|য়ে|ের|এর|র|ে|েই|এ)?";
const DAY_MONTH = cuePattern(`${B}(\\d{1,2})(?:st|nd|rd|th|শে|লা|ই|রা|ে)?[\\s-]*(${MONTH_WORDS})${MONTH_ENDING}${E}[,\\s-]*(\\d{4})?`, "gu");
const MONTH_DAY = cuePattern(`${B}(${MONTH_WORDS})${MONTH_ENDING}(?:\\s+মাসের)?\\s+(\\d{1,2})(?:st|nd|rd|th)?${E}(?:,?\\s*(\\d{4}))?(?:\\s*তারিখ[\\p{L}\\p{M}]*)?`, "gu");
// "১৯ তারিখের মধ্যে", "30 tarikh er moddhe": that day of this month, or of the next once it has passed.
const DAY_OF_MONTH = cuePattern(
  `${B}(\\d{1,2})\\s*(?:শে|লা|ই|রা|st|nd|rd|th)?\\s*(?:তারিখ|tarikh|tarik)[\\p{L}\\p{M}]*|(?<=(?:by|before|on)\\s+the\\s+)(\\d{1,2})(?:st|nd|rd|th)(?:\\s+of\\s+this\\s+month)?${E}`,
  "gu",
);
const NUMERIC_DATE = /(?<![\d./-])(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?![\d/-]|\.\d)/g;
const WITHIN = cuePattern(
  `${B}(?:within\\s+)?(\\d{1,3}|${Object.keys(NUMBER_WORDS).join("|")}|a|an)\\s*(?:\\(\\S+\\)\\s*)?(দিন|কর্মদিবস|কার্যদিবস|ঘন্টা|ঘণ্টা|ঘন্টার|মিনিট|সপ্তাহ|days?|working days?|hours?|hrs?|minutes?|mins?|weeks?|din|ghonta|ghontar|minit)[\\p{L}\\p{M}]*`,
  "gu",
);
const DAY_PART = String.raw`(ভোর|সকাল|দুপুর|বিকাল|বিকেল|সন্ধ্যা|সন্ধ্যা|সন্ধা|রাত|sokal|shokal|dupur|bikal|bikel|bikale|bikele|sondha|sondhya|shondha|rat|raat)`;
// "মিনিটে" closes a time only after hours and minutes ("রাত ১২.০১ মিনিটে"); "১৫ মিনিটের মধ্যে" is a span.
const TIME_WORD = String.raw`(?:টা|টায়|টার|টা\s*বাজে|ঘটিকা|ঘটিকায়|ঘটিকার|মিনিটে|মিনিটের|মিনিট|ta|tay|tar|tai|ghotika)`;
// A day-part word (বিকাল ৩টায়, সকাল ৯.৩০ এ) or a time word (৩টার মধ্যে, ১০.০০ ঘটিকায়) makes a number a time.
const BANGLA_TIME = cuePattern(
  `${B}(?:${DAY_PART}[\\p{L}\\p{M}]*\\s*)?(\\d{1,2})(?:[.:ঃ](\\d{2}))?(?:\\s*(${TIME_WORD})(?:\\s*(\\d{1,2})\\s*মিনিট[\\p{L}\\p{M}]*)?(?![\\p{L}\\p{M}\\p{N}]))?(?![\\d.:ঃ])`,
  "gu",
);
const ENGLISH_TIME = /(?<![\p{L}\p{N}])(\d{1,2})(?:[.:](\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?)(?![\p{L}])/gu;
const HOURS = cuePattern(String.raw`^(?:ঘন্টা|ঘণ্টা|ঘন্টার|hour|hr|ghonta)`, "");
const WEEKS = cuePattern(String.raw`^(?:সপ্তাহ|week)`, "");
const WORKING_DAYS = cuePattern(String.raw`^(?:কর্মদিবস|কার্যদিবস|working)`, "");
const BARE_TA = cuePattern(String.raw`^(?:টা|ta)$`, "");
const MORNING = cuePattern(String.raw`^(?:ভোর|সকাল|sokal|shokal)`, "");
const NOON_PART = cuePattern(String.raw`^(?:দুপুর|dupur)`, "");
const AFTERNOON = cuePattern(String.raw`^(?:বিকাল|বিকেল|সন্ধ্যা|সন্ধ্যা|সন্ধা|bikal|bikel|sondh|shondh)`, "");
const NIGHT = cuePattern(String.raw`^(?:রাত|rat|raat)`, "");
// Words between a date and its limit: "২০ অক্টোবর তারিখের মধ্যে".
const DATE_WORDS = cuePattern(
  String.raw`^(?:\s*(?:তারিখ|তারিখের|তারিখে|দিন|দিনের|সময়|সময়ের|ঘটিকার|টার|(?:সকাল|দুপুর|বিকাল|বিকেল|সন্ধ্যা|সন্ধা|রাত|sokal|dupur|bikal|bikel|sondha|sondhya|rat|raat)[\p{L}\p{M}]*))+`,
  "u",
);
const TODAY = cuePattern(String.raw`^(?:আজ|today|tonight|aj|eod)`, "");
const DAY_AFTER = cuePattern(String.raw`^(?:পরশু|porshu|day after)`, "");
const NOON = cuePattern(String.raw`(?<![\p{L}])(noon|midday|midnight|মধ্যরাত)(?![\p{L}])`, "gu");

/**
 * The due time a message gives, read relative to when it was sent: আজ, আগামীকাল, পরশু, আগামী রবিবার,
 * বিকাল ৩টায়, সন্ধ্যা ৭টার মধ্যে, ২০ অক্টোবর ২০২৪ তারিখের মধ্যে, ২০/১০/২০২৪, ৩ দিনের মধ্যে, today, by 4 PM
 * tomorrow, by Saturday — in Bangla or ASCII digits. A date before the message (a letter's date) is not a
 * due time. When several are named, one marked as a limit ("…এর মধ্যে", "by …") wins, else the first.
 */
export function readDeadline(text: string, sentAt: number, zone: string): Deadline | null {
  return readDeadlineInCueText(cueText(text), sentAt, zone);
}

const DEADLINE_READING_LIMIT = 10_000;

/** readDeadline of a text already in cueText form (the detector has it). */
export function readDeadlineInCueText(text: string, sentAt: number, zone: string): Deadline | null {
  // Matching days to times costs the square of how many a text names: a pasted 65,000-character circular
  // took a second. A due time is given near the start; the rest of such a text is not read for one.
  const cue = text.slice(0, DEADLINE_READING_LIMIT);
  const today = dayInZone(sentAt, zone);
  const days = findDays(cue, today);
  const times = findTimes(cue);
  if (days.length === 0 && times.length === 0) return null;

  type Candidate = { at: number; allDay: boolean; text: string; marked: boolean; duration: boolean; upcoming?: boolean; index: number };
  const candidates: Candidate[] = [];
  const used = new Set<TimeFound>();
  // A time said with a day, close by in the same sentence; else the next time nobody else claims, for
  // notices that name the day in one sentence and the hour in the next.
  // Each time belongs to the day closest to it ("কালকের মেলার স্টল আজ রাত ১০টার মধ্যে": tonight, not
  // tomorrow night); a day with none may take the next unclaimed time, for notices that name the day in
  // one sentence and the hour in the next.
  const claimed = new Map<TimeFound, DayFound>();
  for (const time of times) {
    const closest = days
      .filter((day) => day.hours === undefined && nearestTime(cue, [time], day) === time)
      .sort((a, b) => gapBetween(a, time) - gapBetween(b, time))[0];
    if (closest) claimed.set(time, closest);
  }
  const timeOf = (day: DayFound) =>
    times.find((time) => claimed.get(time) === day) ?? times.find((time) => !claimed.has(time) && time.index >= day.end && time.index - day.end < 200);
  for (const found of days) {
    if (found.hours !== undefined) {
      candidates.push({ at: sentAt + found.hours * 3_600_000, allDay: false, text: found.text, marked: true, duration: true, index: found.index });
      continue;
    }
    const day = found.day!;
    const time = timeOf(found);
    if (time) {
      used.add(time);
      const at = localTimeToUtc(day.year, day.month, day.day, time.hour, time.minute, 0, zone);
      candidates.push({ at, allDay: false, text: joinText(cue, found, time), marked: found.marked || time.marked, duration: found.duration, upcoming: found.upcoming, index: Math.min(found.index, time.index) });
    } else {
      candidates.push({ at: endOfDay(day, zone), allDay: true, text: found.text, marked: found.marked, duration: found.duration, upcoming: found.upcoming, index: found.index });
    }
  }
  for (const time of times) {
    if (used.has(time)) continue;
    let at = localTimeToUtc(today.year, today.month, today.day, time.hour, time.minute, 0, zone);
    if (at <= sentAt) at += 86_400_000;
    candidates.push({ at, allDay: false, text: time.text, marked: time.marked, duration: false, index: time.index });
  }
  // A limit ("…এর মধ্যে", "by …") first, a standing rule ("২৮ কার্যদিবসের মধ্যে") after a date; then one with
  // an hour or said to be coming ("আগামী ০৫ ডিসেম্বর"); then the first.
  const rank = (c: Candidate) => (c.marked ? (c.duration ? 1 : 0) : c.upcoming || !c.allDay ? 2 : 3);
  const future = candidates.filter((candidate) => candidate.at >= sentAt).sort((a, b) => rank(a) - rank(b) || a.index - b.index);
  const chosen = future[0];
  return chosen ? { at: chosen.at, allDay: chosen.allDay, text: chosen.text } : null;
}

function findDays(cue: string, today: Day): DayFound[] {
  const found: DayFound[] = [];
  const add = (match: RegExpMatchArray, day: Day | null, hours?: number, duration = false) => {
    const index = match.index!;
    const end = index + match[0].length;
    // Overlaps (২৭ অক্টোবর ২০২৪ রবিবার): the first reading of those words stands.
    if (found.some((other) => index < other.end && other.index < end)) return;
    // "আগামী ০৫ ডিসেম্বর" is the day meant, not one mentioned in passing.
    const upcoming = UPCOMING.test(cue.slice(Math.max(0, index - 12), index));
    found.push({ index, end, text: match[0], day, marked: isMarked(cue, index, end), upcoming, duration, ...(hours !== undefined ? { hours } : {}) });
  };
  // Most messages have no digit, and then no date: the patterns that need one are not run.
  const digits = /\d/.test(cue);
  for (const match of digits ? cue.matchAll(DAY_MONTH) : []) add(match, dateOf(Number(match[1]), monthOf(match[2]!), match[3], today));
  for (const match of digits ? cue.matchAll(MONTH_DAY) : []) add(match, dateOf(Number(match[2]), monthOf(match[1]!), match[3], today));
  for (const match of digits ? cue.matchAll(NUMERIC_DATE) : []) add(match, dateOf(Number(match[1]), Number(match[2]), match[3], today));
  for (const match of digits ? cue.matchAll(DAY_OF_MONTH) : []) {
    const day = Number(match[1] ?? match[2]);
    let date = isRealDate(today.year, today.month, day) ? { year: today.year, month: today.month, day } : null;
    if (!date || compareDays(date, today) < 0) {
      const next = addDays({ year: today.year, month: today.month, day: 1 }, 32);
      date = isRealDate(next.year, next.month, day) ? { year: next.year, month: next.month, day } : null;
    }
    add(match, date);
  }
  for (const match of cue.matchAll(RELATIVE)) {
    // "গত কাল", "goto kal": yesterday, not tomorrow.
    if (PAST.test(cue.slice(Math.max(0, match.index! - 8), match.index!))) continue;
    add(match, addDays(today, relativeDays(match[1]!)));
  }
  for (const match of cue.matchAll(THIS_PERIOD)) add(match, /মাস|month|mas/.test(match[0]) ? endOfMonth(today) : endOfWorkWeek(today));
  for (const match of cue.matchAll(WEEKDAY)) {
    // "প্রতি শনিবার", "every Sunday": a standing rule, not a due day.
    if (EVERY.test(cue.slice(Math.max(0, match.index! - 8), match.index!))) continue;
    // "০৩ নভেম্বর ২০২৫ সোমবার": the weekday only names the date's day.
    if (found.some((date) => date.end <= match.index! && DATE_TO_WEEKDAY.test(cue.slice(date.end, match.index!)))) continue;
    const weekday = WEEKDAYS.find(([pattern]) => pattern.test(match[2]!))![1];
    const current = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay();
    add(match, addDays(today, ((weekday - current + 6) % 7) + 1));
  }
  for (const match of cue.matchAll(WITHIN)) {
    const count = /^\d+$/.test(match[1]!) ? Number(match[1]) : (NUMBER_WORDS[match[1]!] ?? 1);
    const unit = match[2]!;
    // "৩ দিন আগে" is three days ago, and a count without "within" or "মধ্যে" is not a limit.
    const end = match.index! + match[0].length;
    if (!WITHIN_MARK.test(cue.slice(end, end + 20)) && !match[0].startsWith("within")) continue;
    if (count < 1 || count > 365) continue;
    if (HOURS.test(unit)) {
      add(match, null, count, true);
    } else if (MINUTE_UNIT.test(unit)) {
      add(match, null, count / 60, true);
    } else {
      const perWeek = WEEKS.test(unit) ? 7 : 1;
      const working = WORKING_DAYS.test(unit);
      const day = working ? addWorkingDays(today, count) : addDays(today, count * perWeek);
      add(match, day, undefined, true);
    }
  }
  return found.filter((day) => day.hours !== undefined || day.day !== null);
}

function findTimes(cue: string): TimeFound[] {
  const found: TimeFound[] = [];
  const digits = /\d/.test(cue);
  for (const match of digits ? cue.matchAll(BANGLA_TIME) : []) {
    const part = match[1];
    const hour = Number(match[2]);
    const word = match[4];
    // "বিকাল ৩টা ৩০ মিনিটে": the minutes may follow the hour's word.
    const minute = Number(match[3] ?? match[5] ?? 0);
    if (!part && !word) continue;
    if (word && MINUTES.test(word) && match[3] === undefined) continue;
    // "৫টা ইউনিয়ন" counts unions; without a day-part, only টায়, টার, ঘটিকা or a limit make a number a time.
    if (!part && BARE_TA.test(word!) && !isMarked(cue, match.index!, match.index! + match[0].length)) continue;
    const at = clockOf(hour, minute, part);
    if (at) found.push({ ...at, index: match.index!, end: match.index! + match[0].length, text: match[0], marked: isMarked(cue, match.index!, match.index! + match[0].length) });
  }
  for (const match of digits ? cue.matchAll(ENGLISH_TIME) : []) {
    let hour = Number(match[1]);
    const minute = Number(match[2] ?? 0);
    if (hour < 1 || hour > 12 || minute > 59) continue;
    const pm = match[3]!.startsWith("p");
    if (pm && hour < 12) hour += 12;
    if (!pm && hour === 12) hour = 0;
    found.push({ hour, minute, index: match.index!, end: match.index! + match[0].length, text: match[0], marked: isMarked(cue, match.index!, match.index! + match[0].length) });
  }
  // "by 5": an hour alone after "by" is office hours, like a bare ৫টা.
  for (const match of digits ? cue.matchAll(BY_HOUR) : []) {
    const at = clockOf(Number(match[1]), 0, undefined);
    const index = match.index! + match[0].length - match[1]!.length;
    if (at && !found.some((time) => index < time.end && time.index < index + match[1]!.length)) {
      found.push({ ...at, index, end: index + match[1]!.length, text: match[0], marked: true });
    }
  }
  // "by 16:00", "at 10:30": a clock time, when a limit or "at" says it is one.
  for (const match of digits ? cue.matchAll(CLOCK_TIME) : []) {
    const hour = Number(match[1]);
    const minute = Number(match[2]);
    const index = match.index!;
    const end = index + match[0].length;
    if (hour > 23 || minute > 59 || found.some((time) => index < time.end && time.index < end)) continue;
    const marked = isMarked(cue, index, end);
    if (!marked && !/(?:at|@)\s*$/.test(cue.slice(Math.max(0, index - 4), index))) continue;
    found.push({ hour, minute, index, end, text: match[0], marked });
  }
  for (const match of cue.matchAll(NOON)) {
    const midnight = match[1] === "midnight" || match[1] === "মধ্যরাত";
    found.push({ hour: midnight ? 23 : 12, minute: midnight ? 59 : 0, index: match.index!, end: match.index! + match[0].length, text: match[0], marked: isMarked(cue, match.index!, match.index! + match[0].length) });
  }
  return found.sort((a, b) => a.index - b.index);
}

/** The hour a Bangla time means: বিকাল ৩টা is 15:00; a bare ৩টা in office talk is 15:00 too, ১০টা is 10:00. */
function clockOf(hour: number, minute: number, part: string | undefined): { hour: number; minute: number } | null {
  if (hour > 24 || minute > 59) return null;
  if (hour > 12) return hour === 24 ? { hour: 23, minute: 59 } : { hour, minute };
  const p = part ?? "";
  if (MORNING.test(p)) return { hour: hour === 12 ? 12 : hour, minute };
  if (NOON_PART.test(p)) return { hour: hour === 12 || hour >= 10 ? hour : hour + 12, minute };
  if (AFTERNOON.test(p)) return { hour: hour === 12 ? 12 : hour + 12, minute };
  // রাত ১২টার মধ্যে is the day's end; রাত ১২.০১ is the first minute of the day named.
  if (NIGHT.test(p)) return hour === 12 ? (minute === 0 ? { hour: 23, minute: 59 } : { hour: 0, minute }) : { hour: hour < 5 ? hour : hour + 12, minute };
  if (hour === 0) return null;
  return { hour: hour >= 1 && hour <= 6 ? hour + 12 : hour, minute };
}

function isMarked(cue: string, index: number, end: number): boolean {
  const after = cue.slice(end, end + 40);
  const before = cue.slice(Math.max(0, index - 30), index);
  return AFTER_MARK.test(after.replace(DATE_WORDS, "")) || AFTER_MARK.test(after) || BEFORE_MARK.test(before.trimEnd());
}

/** The time said with a day, in the same sentence and close by ("আগামীকাল বিকাল ৩টার মধ্যে", "by 4 PM tomorrow"). */
function nearestTime(cue: string, times: TimeFound[], day: DayFound): TimeFound | undefined {
  let best: TimeFound | undefined;
  let distance = Infinity;
  for (const time of times) {
    const gap = time.index >= day.end ? time.index - day.end : day.index - time.end;
    if (gap < 0 || gap > 30) continue;
    const between = cue.slice(Math.min(day.end, time.end), Math.max(day.index, time.index));
    if (/[।?!\n]/.test(between)) continue;
    if (gap < distance) {
      best = time;
      distance = gap;
    }
  }
  return best;
}

function gapBetween(day: Found, time: Found): number {
  return time.index >= day.end ? time.index - day.end : day.index - time.end;
}

function joinText(cue: string, a: Found, b: Found): string {
  return cue.slice(Math.min(a.index, b.index), Math.max(a.end, b.end));
}

function monthOf(word: string): number {
  return MONTHS.find(([pattern]) => pattern.test(word))?.[1] ?? 0;
}

/** A date the text names; without a year, the next time that date comes (a letter's past date stays past). */
/**
 * A date the text names. Without a year, a date in the last half year is that past date (a letter's,
 * "২০ অক্টোবর তারিখের পত্র"), and an earlier one means next year's ("১০ জানুয়ারি" said in December).
 */
function dateOf(day: number, month: number, yearText: string | undefined, today: Day): Day | null {
  let year = yearText === undefined ? today.year : Number(yearText.length === 2 ? `20${yearText}` : yearText);
  if (!isRealDate(year, month, day)) return null;
  if (yearText === undefined && compareDays({ year, month, day }, addDays(today, -183)) < 0) year += 1;
  return isRealDate(year, month, day) ? { year, month, day } : null;
}

/** The last working day of this week (Thursday in Bangladesh), today when it is Thursday or later. */
function endOfWorkWeek(today: Day): Day {
  const weekday = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay();
  return weekday >= 4 ? today : addDays(today, 4 - weekday);
}

function endOfMonth(today: Day): Day {
  const last = new Date(Date.UTC(today.year, today.month, 0));
  return { year: today.year, month: today.month, day: last.getUTCDate() };
}

function relativeDays(word: string): number {
  if (TODAY.test(word)) return 0;
  if (DAY_AFTER.test(word)) return 2;
  return 1;
}

function compareDays(a: Day, b: Day): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function addDays(day: Day, count: number): Day {
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day + count));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** Working days in Bangladesh skip Friday and Saturday. */
function addWorkingDays(day: Day, count: number): Day {
  let current = day;
  let left = count;
  while (left > 0) {
    current = addDays(current, 1);
    const weekday = new Date(Date.UTC(current.year, current.month - 1, current.day)).getUTCDay();
    if (weekday !== 5 && weekday !== 6) left--;
  }
  return current;
}

function dayInZone(at: number, zone: string): Day {
  const iso = formatIsoInZone(at, zone);
  return { year: Number(iso.slice(0, 4)), month: Number(iso.slice(5, 7)), day: Number(iso.slice(8, 10)) };
}

function endOfDay(day: Day, zone: string): number {
  return localTimeToUtc(day.year, day.month, day.day, 23, 59, 59, zone);
}
