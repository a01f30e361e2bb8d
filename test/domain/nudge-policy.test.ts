import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  asksForReport,
  type FollowUpDirective,
  type FollowUpKind,
  type FollowUpOfficer,
  isDigestDue,
  nextDigestTime,
  type NudgePolicy,
  planFollowUp,
} from "../../src/domain/nudge-policy.js";
import { DEFAULT_NUDGE_POLICY, readNudgePolicy } from "../../src/nudge-policy-file.js";
import { messagesFor } from "../../src/text.js";
import { UserError } from "../../src/user-error.js";
import { dhaka, temporaryFolder } from "../support.js";

afterEach(() => vi.useRealTimers());

const ZONE = "Asia/Dhaka";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const BANGLA = messagesFor("bn");
const ENGLISH = messagesFor("en");
const at = dhaka;
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
/** A time as a test name reads it: Dhaka wall clock, "Tue 22 10:30". */
const wall = (t: number) => {
  const d = new Date(t + 6 * HOUR);
  return `${["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.getUTCDay()]} ${d.getUTCDate()} ${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
};

// People, by id: the UNOs of Sakhipur and Basail are officers; the Nezarat deputy collector keeps the records.
const SAKHIPUR = 13;
const BASAIL = 14;
const NEZARAT = 20;
const ADC = 2;

const officer = (personId: number, extra: Partial<FollowUpOfficer> = {}): FollowUpOfficer => ({
  personId,
  acknowledgedAt: null,
  doneAt: null,
  inGroup: true,
  exempt: false,
  ...extra,
});

/** The DC's directive on Tuesday 22 October 2024 at 10:00 to both UNOs, nothing sent yet. */
const directive = (extra: Partial<FollowUpDirective> = {}): FollowUpDirective => ({
  at: at(2024, 10, 22, 10, 0),
  urgent: false,
  deadline: null,
  deadlineAllDay: false,
  asksForReport: false,
  officers: [officer(SAKHIPUR), officer(BASAIL)],
  sent: [],
  ...extra,
});

const withPolicy = (change: (policy: NudgePolicy) => void): NudgePolicy => {
  const policy = structuredClone(DEFAULT_NUDGE_POLICY) as NudgePolicy;
  change(policy);
  return policy;
};

type Sent = { kind: FollowUpKind; at: string; to: number[] };

/**
 * Follows a directive up as the minute's scan does: it looks when `next` says, writes what is due,
 * and asks again for when to look next. Returns everything sent, as "Tue 22 10:30" and who.
 */
function followThrough(start: FollowUpDirective, policy: NudgePolicy = DEFAULT_NUDGE_POLICY, until = start.at + 40 * DAY): Sent[] {
  const d = structuredClone(start);
  const out: Sent[] = [];
  let due: number | null = d.at;
  let looks = 0;
  while (due !== null && due <= until) {
    if (++looks > 500) throw new Error("the plan never settles");
    // The scan runs at whole minutes.
    const now: number = Math.ceil(due / MINUTE) * MINUTE;
    let plan = planFollowUp(d, policy, ZONE, now);
    if (plan.due.length > 0) {
      for (const action of plan.due) {
        out.push({ kind: action.kind, at: wall(now), to: [...action.to] });
        d.sent.push({ kind: action.kind, at: now, to: action.to });
      }
      plan = planFollowUp(d, policy, ZONE, now);
    }
    if (plan.next !== null && plan.next <= now) throw new Error(`next look ${iso(plan.next)} is not after ${iso(now)}`);
    due = plan.next;
  }
  return out;
}

/** The same, looking every single minute whatever `next` says: `next` must never skip a moment something is due. */
function everyMinute(start: FollowUpDirective, policy: NudgePolicy = DEFAULT_NUDGE_POLICY, minutes = 6 * 24 * 60): Sent[] {
  const d = structuredClone(start);
  const out: Sent[] = [];
  for (let now = Math.ceil(d.at / MINUTE) * MINUTE, i = 0; i < minutes; i++, now += MINUTE) {
    for (const action of planFollowUp(d, policy, ZONE, now).due) {
      out.push({ kind: action.kind, at: wall(now), to: [...action.to] });
      d.sent.push({ kind: action.kind, at: now, to: action.to });
    }
  }
  return out;
}

const nudge = (when: string, to = [SAKHIPUR, BASAIL]): Sent => ({ kind: "nudge", at: when, to });
const escalation = (when: string, to = [SAKHIPUR, BASAIL]): Sent => ({ kind: "escalation", at: when, to });
const reminder = (when: string, to: number[]): Sent => ({ kind: "reminder", at: when, to });

describe("the default schedule: 30 minutes, then every 2 hours, three nudges, then the issuer is told", () => {
  it("a Tuesday 10:00 directive nobody answers: nudges at 10:30, 12:30 and 14:30, the DC told at 16:30, then nothing", () => {
    const expected = [nudge("Tue 22 10:30"), nudge("Tue 22 12:30"), nudge("Tue 22 14:30"), escalation("Tue 22 16:30")];
    expect(followThrough(directive())).toEqual(expected);
    expect(everyMinute(directive())).toEqual(expected);
  });

  it("a Tuesday 13:00 directive: the third nudge, due at 17:30, waits for Wednesday 09:00; the DC is told at 11:00", () => {
    const d = directive({ at: at(2024, 10, 22, 13, 0) });
    const expected = [nudge("Tue 22 13:30"), nudge("Tue 22 15:30"), nudge("Wed 23 09:00"), escalation("Wed 23 11:00")];
    expect(followThrough(d)).toEqual(expected);
    expect(everyMinute(d)).toEqual(expected);
  });

  it("a Thursday 14:00 directive: the weekend passes and the third nudge comes on Sunday at 09:00", () => {
    const d = directive({ at: at(2024, 10, 24, 14, 0) });
    const expected = [nudge("Thu 24 14:30"), nudge("Thu 24 16:30"), nudge("Sun 27 09:00"), escalation("Sun 27 11:00")];
    expect(followThrough(d)).toEqual(expected);
    expect(everyMinute(d)).toEqual(expected);
  });

  it("the same Thursday directive when Sunday 27 October is a holiday: the nudge waits for Monday 09:00", () => {
    const policy = withPolicy((p) => void (p.normal.hours = { ...p.normal.hours, holidays: ["2024-10-27"] }));
    const d = directive({ at: at(2024, 10, 24, 14, 0) });
    const expected = [nudge("Thu 24 14:30"), nudge("Thu 24 16:30"), nudge("Mon 28 09:00"), escalation("Mon 28 11:00")];
    expect(followThrough(d, policy)).toEqual(expected);
    expect(everyMinute(d, policy)).toEqual(expected);
  });

  it("a directive given on Friday is first nudged on Sunday at 09:00, then two hours apart", () => {
    const d = directive({ at: at(2024, 10, 25, 11, 0) });
    expect(followThrough(d)).toEqual([nudge("Sun 27 09:00"), nudge("Sun 27 11:00"), nudge("Sun 27 13:00"), escalation("Sun 27 15:00")]);
  });

  it("a directive given at 07:00 is first nudged at 09:00, when the office opens", () => {
    const d = directive({ at: at(2024, 10, 22, 7, 0) });
    expect(followThrough(d)).toEqual([nudge("Tue 22 09:00"), nudge("Tue 22 11:00"), nudge("Tue 22 13:00"), escalation("Tue 22 15:00")]);
  });

  it("a directive at 16:45: the first nudge (17:15) waits for the next morning, and the escalation too", () => {
    const d = directive({ at: at(2024, 10, 22, 16, 45) });
    expect(followThrough(d)).toEqual([nudge("Wed 23 09:00"), nudge("Wed 23 11:00"), nudge("Wed 23 13:00"), escalation("Wed 23 15:00")]);
  });

  it("a bot that was away at 10:30 nudges when it looks at 11:05, not never, and the next one two hours after that", () => {
    const d = directive();
    const plan = planFollowUp(d, DEFAULT_NUDGE_POLICY, ZONE, at(2024, 10, 22, 11, 5));
    expect(plan.due).toEqual([{ kind: "nudge", to: [SAKHIPUR, BASAIL] }]);
    d.sent.push({ kind: "nudge", at: at(2024, 10, 22, 11, 5), to: [SAKHIPUR, BASAIL] });
    expect(iso(planFollowUp(d, DEFAULT_NUDGE_POLICY, ZONE, at(2024, 10, 22, 11, 5)).next)).toBe(iso(at(2024, 10, 22, 13, 5)));
  });

  it("looking before anything is due sends nothing and says when to look: 10:30", () => {
    const plan = planFollowUp(directive(), DEFAULT_NUDGE_POLICY, ZONE, at(2024, 10, 22, 10, 29));
    expect(plan.due).toEqual([]);
    expect(iso(plan.next)).toBe(iso(at(2024, 10, 22, 10, 30)));
  });

  it("outside the hours nothing is due even when it is overdue, and the next look is the opening", () => {
    const d = directive({ sent: [{ kind: "nudge", at: at(2024, 10, 22, 10, 30), to: [SAKHIPUR, BASAIL] }] });
    const plan = planFollowUp(d, DEFAULT_NUDGE_POLICY, ZONE, at(2024, 10, 22, 19, 0));
    expect(plan.due).toEqual([]);
    expect(iso(plan.next)).toBe(iso(at(2024, 10, 23, 9, 0)));
  });

  it("an office with no nudges at all (maxNudges 0) tells the issuer at the time the first nudge would have gone", () => {
    const policy = withPolicy((p) => void (p.normal.maxNudges = 0));
    expect(followThrough(directive(), policy)).toEqual([escalation("Tue 22 10:30")]);
  });

  it("an office that nudges every four days, eight times, is cut off after a month but still tells the issuer (every directive owed ends in an escalation)", () => {
    const policy = withPolicy((p) => {
      p.normal.everyMs = 4 * DAY;
      p.normal.maxNudges = 8;
    });
    const sent = followThrough(directive(), policy, directive().at + 60 * DAY);
    // Nudges stop after a month (the eighth would fall past it); the issuer is told instead.
    const nudges = sent.filter((item) => item.kind === "nudge");
    expect(nudges).toHaveLength(7);
    expect(sent).toHaveLength(8);
    expect(sent.at(-1)!.kind).toBe("escalation");
  });
});

describe("urgent directives: 10 minutes, every 30 minutes, any day 08:00–21:00", () => {
  it("an urgent directive at 10:00 on a Tuesday: 10:10, 10:40, 11:10, the DC told at 11:40", () => {
    const d = directive({ urgent: true });
    expect(followThrough(d)).toEqual([nudge("Tue 22 10:10"), nudge("Tue 22 10:40"), nudge("Tue 22 11:10"), escalation("Tue 22 11:40")]);
  });

  it("an urgent directive at 20:55 on a Thursday: the first nudge (21:05) moves to 08:00 on Friday, the weekend notwithstanding", () => {
    const d = directive({ urgent: true, at: at(2024, 10, 24, 20, 55) });
    const expected = [nudge("Fri 25 08:00"), nudge("Fri 25 08:30"), nudge("Fri 25 09:00"), escalation("Fri 25 09:30")];
    expect(followThrough(d)).toEqual(expected);
    expect(everyMinute(d)).toEqual(expected);
  });

  it("an urgent directive at 20:30: the first nudge at 20:40, the second (21:10) on Friday at 08:00", () => {
    const d = directive({ urgent: true, at: at(2024, 10, 24, 20, 30) });
    expect(followThrough(d)).toEqual([nudge("Thu 24 20:40"), nudge("Fri 25 08:00"), nudge("Fri 25 08:30"), escalation("Fri 25 09:00")]);
  });

  it("an urgent directive is not held back by the office's holiday list", () => {
    const policy = withPolicy((p) => void (p.normal.hours = { ...p.normal.hours, holidays: ["2024-10-27"] }));
    const d = directive({ urgent: true, at: at(2024, 10, 27, 10, 0) });
    expect(followThrough(d, policy)[0]).toEqual(nudge("Sun 27 10:10"));
  });
});

describe("who is nudged", () => {
  it("the UNO of Sakhipur acknowledges at 10:29, one minute before the first nudge: only the UNO of Basail is nudged, and only he is named to the DC", () => {
    const d = directive({ officers: [officer(SAKHIPUR, { acknowledgedAt: at(2024, 10, 22, 10, 29) }), officer(BASAIL)] });
    expect(followThrough(d)).toEqual([nudge("Tue 22 10:30", [BASAIL]), nudge("Tue 22 12:30", [BASAIL]), nudge("Tue 22 14:30", [BASAIL]), escalation("Tue 22 16:30", [BASAIL])]);
  });

  it("an acknowledgement at exactly 10:30 counts at the 10:30 look", () => {
    const d = directive({ officers: [officer(SAKHIPUR, { acknowledgedAt: at(2024, 10, 22, 10, 30) }), officer(BASAIL)] });
    expect(planFollowUp(d, DEFAULT_NUDGE_POLICY, ZONE, at(2024, 10, 22, 10, 30)).due).toEqual([{ kind: "nudge", to: [BASAIL] }]);
  });

  it("the UNO of Basail acknowledges after the second nudge: he gets no third, and the DC hears only of Sakhipur", () => {
    const d = directive({ officers: [officer(SAKHIPUR), officer(BASAIL, { acknowledgedAt: at(2024, 10, 22, 13, 0) })] });
    expect(followThrough(d)).toEqual([nudge("Tue 22 10:30"), nudge("Tue 22 12:30"), nudge("Tue 22 14:30", [SAKHIPUR]), escalation("Tue 22 16:30", [SAKHIPUR])]);
  });

  it("when everybody acknowledged, nothing is sent and the directive is never looked at again", () => {
    const d = directive({ officers: [officer(SAKHIPUR, { acknowledgedAt: at(2024, 10, 22, 10, 5) }), officer(BASAIL, { acknowledgedAt: at(2024, 10, 22, 10, 6) })] });
    expect(followThrough(d)).toEqual([]);
    expect(planFollowUp(d, DEFAULT_NUDGE_POLICY, ZONE, at(2024, 10, 22, 10, 30))).toEqual({ due: [], next: null });
  });

  it("superiors and record keepers (exempt) are never nudged nor named; an officer who left the group is never nudged, but the issuer hears he never acknowledged", () => {
    const d = directive({
      officers: [officer(ADC, { exempt: true }), officer(SAKHIPUR, { inGroup: false }), officer(BASAIL), officer(NEZARAT, { exempt: true })],
    });
    expect(followThrough(d)).toEqual([nudge("Tue 22 10:30", [BASAIL]), nudge("Tue 22 12:30", [BASAIL]), nudge("Tue 22 14:30", [BASAIL]), escalation("Tue 22 16:30", [SAKHIPUR, BASAIL])]);
  });

  it("nobody left to nudge (the only officer owing left the group): no nudge, and the issuer is told when the first nudge would have gone", () => {
    const d = directive({ officers: [officer(ADC, { exempt: true }), officer(SAKHIPUR, { inGroup: false })] });
    expect(followThrough(d)).toEqual([escalation("Tue 22 10:30", [SAKHIPUR])]);
  });

  it("only exempt people expected: nothing at all, not even an escalation", () => {
    const d = directive({ officers: [officer(ADC, { exempt: true }), officer(NEZARAT, { exempt: true })] });
    expect(followThrough(d)).toEqual([]);
  });

  it("after the escalation nothing more is ever due", () => {
    const d = directive({
      sent: [
        { kind: "nudge", at: at(2024, 10, 22, 10, 30), to: [SAKHIPUR, BASAIL] },
        { kind: "nudge", at: at(2024, 10, 22, 12, 30), to: [SAKHIPUR, BASAIL] },
        { kind: "nudge", at: at(2024, 10, 22, 14, 30), to: [SAKHIPUR, BASAIL] },
        { kind: "escalation", at: at(2024, 10, 22, 16, 30), to: [SAKHIPUR, BASAIL] },
      ],
    });
    expect(planFollowUp(d, DEFAULT_NUDGE_POLICY, ZONE, at(2024, 10, 23, 10, 0))).toEqual({ due: [], next: null });
  });

  it("nobody is ever nudged more than three times, whatever was written for others", () => {
    const policy = DEFAULT_NUDGE_POLICY;
    const d = directive({
      sent: [
        { kind: "nudge", at: at(2024, 10, 22, 10, 30), to: [SAKHIPUR] },
        { kind: "nudge", at: at(2024, 10, 22, 10, 30), to: [BASAIL] },
        { kind: "nudge", at: at(2024, 10, 22, 12, 30), to: [SAKHIPUR] },
        { kind: "nudge", at: at(2024, 10, 22, 12, 30), to: [BASAIL] },
        { kind: "nudge", at: at(2024, 10, 22, 14, 30), to: [SAKHIPUR] },
      ],
    });
    // Direct delivery writes one per officer: Basail still has one to come, Sakhipur none.
    expect(planFollowUp(d, policy, ZONE, at(2024, 10, 22, 16, 30)).due).toEqual([{ kind: "nudge", to: [BASAIL] }]);
  });
});

describe("a reminder before a deadline, to those who acknowledged but have not reported", () => {
  const deadline = at(2024, 10, 22, 15, 0);
  it("the DC wants the relief figures by 15:00: the UNO of Sakhipur, who acknowledged, is reminded at 13:00; Basail, who did not, is nudged", () => {
    const d = directive({ deadline, asksForReport: true, officers: [officer(SAKHIPUR, { acknowledgedAt: at(2024, 10, 22, 10, 5) }), officer(BASAIL)] });
    expect(followThrough(d)).toEqual([
      nudge("Tue 22 10:30", [BASAIL]),
      nudge("Tue 22 12:30", [BASAIL]),
      reminder("Tue 22 13:00", [SAKHIPUR]),
      nudge("Tue 22 14:30", [BASAIL]),
      escalation("Tue 22 16:30", [BASAIL]),
    ]);
  });

  it("an officer who already reported done is not reminded", () => {
    const d = directive({
      deadline,
      asksForReport: true,
      officers: [officer(SAKHIPUR, { acknowledgedAt: at(2024, 10, 22, 10, 5), doneAt: at(2024, 10, 22, 12, 0) }), officer(BASAIL, { acknowledgedAt: at(2024, 10, 22, 10, 6) })],
    });
    expect(followThrough(d)).toEqual([reminder("Tue 22 13:00", [BASAIL])]);
  });

  it("no reminder when the directive does not ask for a report", () => {
    const d = directive({ deadline, asksForReport: false, officers: [officer(SAKHIPUR, { acknowledgedAt: at(2024, 10, 22, 10, 5) }), officer(BASAIL, { acknowledgedAt: at(2024, 10, 22, 10, 6) })] });
    expect(followThrough(d)).toEqual([]);
  });

  it("a deadline of a whole day ('by tomorrow') reminds at that day's opening, 09:00 Wednesday", () => {
    const d = directive({
      deadline: at(2024, 10, 23, 23, 59, 59),
      deadlineAllDay: true,
      asksForReport: true,
      officers: [officer(SAKHIPUR, { acknowledgedAt: at(2024, 10, 22, 10, 5) }), officer(BASAIL, { acknowledgedAt: at(2024, 10, 22, 10, 6) })],
    });
    expect(followThrough(d)).toEqual([reminder("Wed 23 09:00", [SAKHIPUR, BASAIL])]);
  });

  it("a deadline on Sunday 10:00 reminds two hours earlier in working time: Thursday 16:59, never on the weekend", () => {
    const d = directive({
      at: at(2024, 10, 24, 10, 0),
      deadline: at(2024, 10, 27, 10, 0),
      asksForReport: true,
      officers: [officer(SAKHIPUR, { acknowledgedAt: at(2024, 10, 24, 10, 5) })],
    });
    expect(followThrough(d)).toEqual([reminder("Thu 24 16:59", [SAKHIPUR])]);
  });

  it("a deadline already past sends no reminder", () => {
    const d = directive({
      deadline: at(2024, 10, 22, 10, 20),
      asksForReport: true,
      officers: [officer(SAKHIPUR, { acknowledgedAt: at(2024, 10, 22, 10, 5) })],
    });
    expect(followThrough(d)).toEqual([]);
  });

  it("the reminder is sent once per directive", () => {
    const d = directive({
      deadline,
      asksForReport: true,
      officers: [officer(SAKHIPUR, { acknowledgedAt: at(2024, 10, 22, 10, 5) })],
      sent: [{ kind: "reminder", at: at(2024, 10, 22, 13, 0), to: [SAKHIPUR] }],
    });
    expect(planFollowUp(d, DEFAULT_NUDGE_POLICY, ZONE, at(2024, 10, 22, 14, 0))).toEqual({ due: [], next: null });
  });
});

describe("whether a directive asks for something back", () => {
  it.each([
    ["সকল ইউএনও আজ বিকাল ৩টার মধ্যে ত্রাণ বিতরণের তথ্য পাঠাবেন।", true],
    ["সকল ইউএনও আগামীকালের মধ্যে বন্যা পরিস্থিতির প্রতিবেদন পাঠাবেন।", true],
    ["All UNOs will send the report by 3 pm.", true],
    ["sokol UNO kalker moddhe protibedon pathaben", true],
    ["সকল ইউএনও আজ বিকাল ৩টার মধ্যে নিজ নিজ উপজেলার বাজার মনিটরিং নিশ্চিত করবেন।", false],
    ["All UNOs will attend the meeting at 3 pm.", false],
  ])("%s → %s", (body, expected) => {
    expect(asksForReport(body)).toBe(expected);
  });
});

describe("the daily digest's time", () => {
  const policy = DEFAULT_NUDGE_POLICY;
  it.each([
    ["Wednesday 08:59", false, at(2024, 10, 23, 8, 59), null],
    ["Wednesday exactly 09:00", true, at(2024, 10, 23, 9, 0), null],
    ["Wednesday 09:00, sent yesterday", true, at(2024, 10, 23, 9, 0), "2024-10-22"],
    ["Wednesday 09:00, already sent today", false, at(2024, 10, 23, 9, 0), "2024-10-23"],
    ["Wednesday 09:30 (the bot started late)", true, at(2024, 10, 23, 9, 30), null],
    ["Wednesday 17:00, the office closed", false, at(2024, 10, 23, 17, 0), null],
    ["Friday 09:00", false, at(2024, 10, 25, 9, 0), null],
  ])("%s → %s", (_, due, now, last) => {
    expect(isDigestDue(last, policy, ZONE, now)).toBe(due);
  });

  it("is never due on a holiday nor when the office has none", () => {
    const holiday = withPolicy((p) => void (p.normal.hours = { ...p.normal.hours, holidays: ["2024-10-23"] }));
    expect(isDigestDue(null, holiday, ZONE, at(2024, 10, 23, 9, 0))).toBe(false);
    expect(isDigestDue(null, withPolicy((p) => void (p.digestAt = null)), ZONE, at(2024, 10, 23, 9, 0))).toBe(false);
  });

  it("comes next on Sunday at 09:00 after Thursday's", () => {
    expect(iso(nextDigestTime(at(2024, 10, 24, 9, 1), policy, ZONE))).toBe(iso(at(2024, 10, 27, 9, 0)));
    expect(nextDigestTime(at(2024, 10, 24, 9, 1), withPolicy((p) => void (p.digestAt = null)), ZONE)).toBeNull();
  });
});

describe("the office's policy file (NIRDESH_NUDGE_POLICY)", () => {
  const write = (content: string | object) => {
    const path = join(temporaryFolder(), "nudge-policy.json");
    writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
    return path;
  };

  it("without a file: the ministry's defaults, enabled, in Bangla", () => {
    const settings = readNudgePolicy(undefined, BANGLA);
    expect(settings.enabled).toBe(true);
    expect(settings.office).toEqual(DEFAULT_NUDGE_POLICY);
    expect(settings.policyFor({ whatsappId: "1@g.us", name: "যেকোনো গ্রুপ" })).toEqual(DEFAULT_NUDGE_POLICY);
    expect(settings.wordingFor({ whatsappId: null, name: "" }).nudge).toBe("{officers} অনুগ্রহ করে নির্দেশনাটি গ্রহণ নিশ্চিত করুন।");
    expect(readNudgePolicy(undefined, ENGLISH).wordingFor({ whatsappId: null, name: "" }).nudge).toBe("{officers} please confirm you have received this directive.");
  });

  it("reads holidays, hours and numbers written in Bangla digits, Bangla day names and a byte-order mark", () => {
    const path = write(
      "\ufeff" +
        JSON.stringify({
          holidays: ["২০২৪-১০-২৭", "2024-12-16"],
          hours: "০৯:৩০-১৬:০০",
          days: ["রবি", "সোমবার", "Tue", "wednesday", "বৃহস্পতি"],
          firstAfterMinutes: "৪৫",
          everyMinutes: 60,
          maxNudges: "২",
          digestAt: "০৮:৩০",
          reminderBeforeMinutes: 90,
          delivery: "direct",
          urgent: { hours: "07:00-22:00", firstAfterMinutes: 5 },
        }),
    );
    const { office } = readNudgePolicy(path, BANGLA);
    expect(office.normal).toEqual({
      firstAfterMs: 45 * MINUTE,
      everyMs: 60 * MINUTE,
      maxNudges: 2,
      hours: { days: [0, 1, 2, 3, 4], opensAt: 9 * 60 + 30, closesAt: 16 * 60, holidays: ["2024-10-27", "2024-12-16"] },
    });
    expect(office.urgent).toEqual({
      firstAfterMs: 5 * MINUTE,
      everyMs: 30 * MINUTE,
      maxNudges: 3,
      hours: { days: [0, 1, 2, 3, 4, 5, 6], opensAt: 7 * 60, closesAt: 22 * 60, holidays: [] },
    });
    expect(office.delivery).toBe("direct");
    expect(office.digestAt).toBe(8 * 60 + 30);
    expect(office.reminderBeforeMs).toBe(90 * MINUTE);
  });

  it("lets one group, named by id or by exact name, differ from the office, and leaves the others alone", () => {
    const path = write({
      firstAfterMinutes: 60,
      templates: { nudge: "{officers} অফিসের নিজস্ব তাগিদ" },
      groups: {
        "120363000000000001@g.us": { delivery: "direct", templates: { directNudge: "{officers}: {group}-এর তাগিদ" } },
        "ত্রাণ সমন্বয় টাঙ্গাইল": { firstAfterMinutes: 15, holidays: ["2024-10-23"] },
      },
    });
    const settings = readNudgePolicy(path, BANGLA);
    const byId = settings.policyFor({ whatsappId: "120363000000000001@g.us", name: "ডিসি অফিস টাঙ্গাইল" });
    expect(byId.delivery).toBe("direct");
    expect(byId.normal.firstAfterMs).toBe(60 * MINUTE);
    const byName = settings.policyFor({ whatsappId: "120363000000000777@g.us", name: "ত্রাণ সমন্বয় টাঙ্গাইল" });
    expect(byName.normal.firstAfterMs).toBe(15 * MINUTE);
    expect(byName.normal.hours.holidays).toEqual(["2024-10-23"]);
    expect(byName.delivery).toBe("group");
    const other = settings.policyFor({ whatsappId: "120363000000000888@g.us", name: "অন্য গ্রুপ" });
    expect(other.normal.firstAfterMs).toBe(60 * MINUTE);
    expect(other.delivery).toBe("group");
    expect(settings.office.normal.firstAfterMs).toBe(60 * MINUTE);

    const wording = settings.wordingFor({ whatsappId: "120363000000000001@g.us", name: "ডিসি অফিস টাঙ্গাইল" });
    expect(wording.directNudge).toBe("{officers}: {group}-এর তাগিদ");
    expect(wording.nudge).toBe("{officers} অফিসের নিজস্ব তাগিদ");
    expect(settings.wordingFor({ whatsappId: null, name: "অন্য গ্রুপ" }).directNudge).toBe(BANGLA.followUp.directNudge);
  });

  it("can switch the follow-ups off", () => {
    expect(readNudgePolicy(write({ enabled: false }), BANGLA).enabled).toBe(false);
  });

  const refused = (content: string | object): UserError => {
    const path = write(content);
    try {
      readNudgePolicy(path, BANGLA);
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      const message = (error as UserError).message;
      expect(message).not.toContain("\n");
      expect(message).toContain(path);
      expect((error as UserError).render(BANGLA)).not.toContain("\n");
      return error as UserError;
    }
    throw new Error(`${JSON.stringify(content)} was accepted`);
  };

  it.each([
    ["bad JSON", '{ "firstAfterMinutes": 30, }', /JSON|property|token/i],
    ["an unknown key", { firstNudgeMinutes: 30 }, /firstNudgeMinutes/],
    ["hours that close before they open", { hours: "17:00-09:00" }, /hours.*open before they close/],
    ["hours that are no hours", { hours: "9 to 5" }, /hours.*09:00-17:00/],
    ["a weekday that is not one", { days: ["sun", "funday"] }, /days/],
    ["no weekdays at all", { days: [] }, /days/],
    ["a date that does not exist", { holidays: ["2024-02-30"] }, /holidays\.0.*2026-12-16/],
    ["a date written the other way round", { holidays: ["২৭-১০-২০২৪"] }, /holidays\.0/],
    ["a delivery that is not group or direct", { delivery: "sms" }, /delivery/],
    ["a template of no known name", { templates: { greeting: "হ্যালো" } }, /greeting/],
    ["too many nudges", { maxNudges: 50 }, /maxNudges/],
    ["minutes that are not a number", { everyMinutes: "দুই ঘণ্টা" }, /everyMinutes/],
    ["a digest at 25:00", { digestAt: "25:00" }, /digestAt/],
    ["a group that tries to switch the bot off", { groups: { "ডিসি অফিস টাঙ্গাইল": { enabled: false } } }, /enabled/],
    ["an unknown key inside urgent", { urgent: { firstNudge: 5 } }, /firstNudge/],
  ])("refuses %s in one line that names the problem", (_, content, problem) => {
    expect(refused(content).message).toMatch(problem);
  });

  it("a file that is not there is one line naming it", () => {
    const path = join(temporaryFolder(), "missing.json");
    expect(() => readNudgePolicy(path, BANGLA)).toThrow(UserError);
    expect(() => readNudgePolicy(path, BANGLA)).toThrow(/missing\.json.*ENOENT/);
  });
});
