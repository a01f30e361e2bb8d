import { formatIsoInZone } from "./time-zone.js";

/**
 * The acknowledgement report a record keeper gives the quarterly evaluation the Cabinet Division's
 * guideline asks for: per directive, officer, chat and month or quarter, how many of the officers told
 * acknowledged, how many reported it done, how fast, and how many on time.
 */

interface Who {
  phone: string | null;
  name: string;
  designation: string | null;
}

/** What the report needs of a directive (the store's directive view is one). */
export interface DirectiveFacts {
  id: number;
  chat: string;
  at: number;
  deadline: number | null;
  issuer: Who;
  body: string;
  editedBody: string | null;
  expected: Who[];
  acknowledged: Array<Who & { at: number }>;
  done: Array<Who & { at: number }>;
}

/** Without a deadline, an acknowledgement within this long of the directive is on time. */
export const ON_TIME_WITHOUT_DEADLINE_MS = 24 * 60 * 60_000;

/** Upper bounds of the response-time chart's bars; a last bar takes the rest. */
export const RESPONSE_BUCKETS_MS = [15 * 60_000, 60 * 60_000, 4 * 60 * 60_000, 24 * 60 * 60_000, 3 * 24 * 60 * 60_000] as const;

export type Period = "month" | "quarter";

export interface Share {
  /** Officers told (one per directive and officer). */
  expected: number;
  acknowledged: number;
  done: number;
  onTime: number;
  /** acknowledged / expected, 0–1; null when nobody was told. */
  acknowledgedShare: number | null;
  doneShare: number | null;
  onTimeShare: number | null;
  /** The median time from directive to acknowledgement, over those who acknowledged. */
  medianResponseMs: number | null;
}

export interface DirectiveFigures extends Share {
  id: number;
  chat: string;
  at: number;
  deadline: number | null;
  issuer: string;
  body: string;
  /** From the directive to its first and to its last acknowledgement. */
  firstAcknowledgementMs: number | null;
  lastAcknowledgementMs: number | null;
}

export interface AcknowledgementReport {
  period: Period;
  totals: Share & { directives: number };
  directives: DirectiveFigures[];
  officers: Array<Share & Who>;
  chats: Array<Share & { chat: string; directives: number }>;
  /** Months (2024-10) or quarters (2024-Q4) in the office's zone, oldest first. */
  periods: Array<Share & { period: string; directives: number }>;
  /** How many acknowledgements came within each of RESPONSE_BUCKETS_MS, then later; then how many never came. */
  responseTimes: { buckets: number[]; never: number };
}

/** Response times of one group, kept until the report is made. */
class Tally {
  directives = 0;
  expected = 0;
  done = 0;
  onTime = 0;
  times: number[] = [];

  share(): Share {
    const of = (part: number) => (this.expected === 0 ? null : part / this.expected);
    return {
      expected: this.expected,
      acknowledged: this.times.length,
      done: this.done,
      onTime: this.onTime,
      acknowledgedShare: of(this.times.length),
      doneShare: of(this.done),
      onTimeShare: of(this.onTime),
      medianResponseMs: median(this.times),
    };
  }
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The month or quarter an instant falls in, in the office's zone. */
export function periodOf(at: number, period: Period, timeZone: string): string {
  const month = formatIsoInZone(at, timeZone).slice(0, 7);
  if (period === "month") return month;
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

/**
 * Adds directives one at a time (oldest first, a page at a time from the archive) and makes the report
 * at the end: only each officer's response times are kept, never the directives' people.
 */
export function acknowledgementTally(options: { period: Period; timeZone: string }) {
  const totals = new Tally();
  const officers = new Map<string, { who: Who; tally: Tally }>();
  const chats = new Map<string, Tally>();
  const periods = new Map<string, Tally>();
  const directives: DirectiveFigures[] = [];
  const buckets = new Array<number>(RESPONSE_BUCKETS_MS.length + 1).fill(0);
  let never = 0;

  return {
    add(directive: DirectiveFacts): void {
      const own = new Tally();
      const chat = chats.get(directive.chat) ?? chats.set(directive.chat, new Tally()).get(directive.chat)!;
      const periodKey = periodOf(directive.at, options.period, options.timeZone);
      const period = periods.get(periodKey) ?? periods.set(periodKey, new Tally()).get(periodKey)!;
      const groups = [own, totals, chat, period];
      for (const group of groups) group.directives++;
      const keyOf = (who: Who) => who.phone ?? `name:${who.name}`;
      const answered = new Map(directive.acknowledged.map((answer) => [keyOf(answer), answer.at]));
      const reported = new Set(directive.done.map(keyOf));
      for (const person of directive.expected) {
        const key = keyOf(person);
        const officer = officers.get(key) ?? officers.set(key, { who: person, tally: new Tally() }).get(key)!;
        const all = [...groups, officer.tally];
        const at = answered.get(key);
        for (const group of all) {
          group.expected++;
          if (reported.has(key)) group.done++;
        }
        if (at === undefined) {
          never++;
          continue;
        }
        const took = Math.max(0, at - directive.at);
        const onTime = directive.deadline !== null ? at <= directive.deadline : took <= ON_TIME_WITHOUT_DEADLINE_MS;
        for (const group of all) {
          group.times.push(took);
          if (onTime) group.onTime++;
        }
        const bucket = RESPONSE_BUCKETS_MS.findIndex((bound) => took <= bound);
        buckets[bucket === -1 ? RESPONSE_BUCKETS_MS.length : bucket]!++;
      }
      const times = own.times;
      directives.push({
        id: directive.id,
        chat: directive.chat,
        at: directive.at,
        deadline: directive.deadline,
        issuer: directive.issuer.name,
        body: directive.editedBody ?? directive.body,
        ...own.share(),
        firstAcknowledgementMs: times.length ? Math.min(...times) : null,
        lastAcknowledgementMs: times.length ? Math.max(...times) : null,
      });
    },

    report(): AcknowledgementReport {
      const byName = <T>(entries: Array<[string, T]>) => entries.sort(([a], [b]) => a.localeCompare(b));
      return {
        period: options.period,
        totals: { ...totals.share(), directives: totals.directives },
        directives,
        officers: [...officers.values()]
          .map(({ who, tally }) => ({ phone: who.phone, name: who.name, designation: who.designation, ...tally.share() }))
          .sort((a, b) => a.name.localeCompare(b.name)),
        chats: byName([...chats]).map(([chat, tally]) => ({ chat, directives: tally.directives, ...tally.share() })),
        periods: byName([...periods]).map(([period, tally]) => ({ period, directives: tally.directives, ...tally.share() })),
        responseTimes: { buckets, never },
      };
    },
  };
}
