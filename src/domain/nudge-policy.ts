import { cuePattern, cueText } from "./cue-text.js";
import { isOpen, lastOpenMoment, localDate, nextOpening, openingOfDay, timeOfDay, type WorkingHours, worksOn } from "./working-hours.js";

/** How often, how many times and when officers are reminded of a directive they have not acknowledged. */
export interface NudgeRules {
  /** The first nudge this long after the directive. */
  firstAfterMs: number;
  /** Then one every this long. */
  everyMs: number;
  /** At most this many nudges per officer per directive; then one escalation to the issuer. */
  maxNudges: number;
  /** Nothing is sent outside these; what falls outside is moved to the next opening. */
  hours: WorkingHours;
}

export interface NudgePolicy {
  normal: NudgeRules;
  /** For directives marked জরুরি / urgent / joruri. */
  urgent: NudgeRules;
  /** One message in the group that quotes the directive and mentions who owes it, or a direct message to each. */
  delivery: "group" | "direct";
  /** A directive with a deadline that asks for a report: a reminder this long before it, to those who acknowledged but have not reported. */
  reminderBeforeMs: number;
  /** Minutes after midnight when each issuer gets the day's digest (on working days); null: no digest. */
  digestAt: number | null;
}

export type FollowUpKind = "nudge" | "escalation" | "reminder";

/** One officer expected to answer a directive, as the follow-up sees them now. */
export interface FollowUpOfficer {
  personId: number;
  acknowledgedAt: number | null;
  doneAt: number | null;
  /** Still in the group: someone who left is not reminded. */
  inGroup: boolean;
  /** A superior or record keeper, who is never nudged. */
  exempt: boolean;
}

export interface FollowUpDirective {
  at: number;
  urgent: boolean;
  deadline: number | null;
  deadlineAllDay: boolean;
  /** The words ask for a report or information back, so a reminder before the deadline makes sense. */
  asksForReport: boolean;
  officers: FollowUpOfficer[];
  /** What was already written for it (sent or about to be), oldest first. */
  sent: Array<{ kind: FollowUpKind; at: number; to: number[] }>;
}

export interface FollowUpAction {
  kind: FollowUpKind;
  /** Person ids: the officers nudged or reminded, or those an escalation names. */
  to: number[];
}

export interface FollowUpPlan {
  /** What to send now. */
  due: FollowUpAction[];
  /** When to look again; null when nothing more will ever be sent for this directive. */
  next: number | null;
}

/** Nudges and reminders stop after this long, whatever a calendar full of holidays would allow; the escalation still goes. */
const LONGEST_FOLLOW_UP_MS = 30 * 86_400_000;

/**
 * What is due for a directive at `now`, and when to look again. Officers who still owe an
 * acknowledgement (in the group, not superiors or record keepers) are nudged together: first
 * `firstAfterMs` after the directive, then every `everyMs`, at most `maxNudges` times; one interval
 * after the last nudge, the issuer gets one escalation naming who never acknowledged. A nudge that
 * falls outside working hours (or on a holiday) moves to the next opening. A directive with a
 * deadline that asks for a report gets one reminder before it, to those who acknowledged but have
 * not reported done.
 */
export function planFollowUp(directive: FollowUpDirective, policy: NudgePolicy, zone: string, now: number): FollowUpPlan {
  const rules = directive.urgent ? policy.urgent : policy.normal;
  const answered = (officer: FollowUpOfficer) => officer.acknowledgedAt !== null && officer.acknowledgedAt <= now;
  const reachable = directive.officers.filter((officer) => officer.inGroup && !officer.exempt);
  const owing = reachable.filter((officer) => !answered(officer));
  // The issuer hears of everyone who never answered, including those who left the group unanswered.
  const unanswered = directive.officers.filter((officer) => !officer.exempt && !answered(officer));

  const nudges = directive.sent.filter((item) => item.kind === "nudge");
  const nudgesOf = (personId: number) => nudges.filter((nudge) => nudge.to.includes(personId)).length;
  const lastNudge = nudges.length > 0 ? Math.max(...nudges.map((nudge) => nudge.at)) : null;
  const candidates: Array<{ kind: FollowUpKind; at: number; to: number[]; until?: number; uncapped?: boolean }> = [];

  const wanted = lastNudge === null ? directive.at + rules.firstAfterMs : lastNudge + rules.everyMs;
  // Nudges stop after a month whatever the calendar; the issuer is told all the same.
  const nudgeable = owing.filter((officer) => nudgesOf(officer.personId) < rules.maxNudges);
  if (nudgeable.length > 0 && nextOpening(wanted, rules.hours, zone) - directive.at <= LONGEST_FOLLOW_UP_MS) {
    candidates.push({ kind: "nudge", at: wanted, to: ids(nudgeable) });
  } else if (unanswered.length > 0 && !directive.sent.some((item) => item.kind === "escalation")) {
    candidates.push({ kind: "escalation", at: wanted, to: ids(unanswered), uncapped: true });
  }

  if (directive.deadline !== null && directive.asksForReport && now < directive.deadline && !directive.sent.some((item) => item.kind === "reminder")) {
    const toRemind = reachable.filter((officer) => answered(officer) && !(officer.doneAt !== null && officer.doneAt <= now));
    const wanted = reminderTime(directive.deadline, directive.deadlineAllDay, policy.reminderBeforeMs, rules.hours, zone);
    // Nobody to remind yet: an officer who acknowledges later is reminded then, if the deadline is still ahead.
    if (wanted !== null && wanted > directive.at && (toRemind.length > 0 || (owing.length > 0 && wanted > now))) {
      candidates.push({ kind: "reminder", at: wanted, to: ids(toRemind), until: directive.deadline });
    }
  }

  const due: FollowUpAction[] = [];
  let next: number | null = null;
  const open = isOpen(now, rules.hours, zone);
  for (const candidate of candidates) {
    let at = nextOpening(candidate.at, rules.hours, zone);
    if (at <= now) {
      if (open && candidate.to.length > 0) {
        due.push({ kind: candidate.kind, to: candidate.to });
        continue;
      }
      at = candidate.to.length > 0 ? nextOpening(now, rules.hours, zone) : Number.POSITIVE_INFINITY;
    }
    if (candidate.until !== undefined && at >= candidate.until) continue;
    if (!Number.isFinite(at) || (!candidate.uncapped && at - directive.at > LONGEST_FOLLOW_UP_MS)) continue;
    next = next === null ? at : Math.min(next, at);
  }
  return { due, next };
}

const ids = (officers: FollowUpOfficer[]) => officers.map((officer) => officer.personId);

/**
 * When to remind before a deadline: for a whole day ("আগামীকালের মধ্যে"), that day's opening; for a
 * time, `before` ahead of it — moved earlier, never later, to the last working moment.
 */
function reminderTime(deadline: number, allDay: boolean, before: number, hours: WorkingHours, zone: string): number | null {
  if (allDay) {
    const opening = openingOfDay(deadline - 1, hours, zone);
    if (opening !== null) return opening;
    return lastOpenMoment(deadline - 1, hours, zone);
  }
  return lastOpenMoment(deadline - before, hours, zone);
}

/**
 * Whether the daily digest is due: a working day, within the hour after the configured time, and not
 * sent yet that day (a bot started in the afternoon does not send the morning's digest then).
 */
export function isDigestDue(lastDigestDay: string | null, policy: NudgePolicy, zone: string, now: number): boolean {
  if (policy.digestAt === null || !worksOn(now, policy.normal.hours, zone)) return false;
  if (lastDigestDay === localDate(now, zone)) return false;
  const from = timeOfDay(now, policy.digestAt, zone);
  return now >= from && now < from + DIGEST_WINDOW_MS;
}

const DIGEST_WINDOW_MS = 60 * 60_000;

/** The next moment after `after` at which a digest would be due (for a clock that jumps, as `simulate`'s does). */
export function nextDigestTime(after: number, policy: NudgePolicy, zone: string): number | null {
  if (policy.digestAt === null) return null;
  for (let day = 0; day < 370; day++) {
    const at = timeOfDay(after + day * 86_400_000, policy.digestAt, zone);
    if (at > after && worksOn(at, policy.normal.hours, zone)) return at;
  }
  return null;
}

const ASKS_FOR_REPORT = cuePattern(
  String.raw`(?<![\p{L}\p{M}])(?:প্রতিবেদন|রিপোর্ট|report|তথ্য|তালিকা|হালনাগাদ|অগ্রগতি|update|জানাবেন|জানান|জানাতে|জানাও|অবহিত|দাখিল|submit|send|পাঠাবেন|পাঠান|পাঠাতে|পাঠিয়ে|প্রেরণ|ছবি|photo|ভিডিও|list|pathan|pathaben|janaben|janan|protibedon)`,
  "u",
);

/** Whether a directive asks for something back (a report, figures, a list, photos), so "done" is awaited. */
export function asksForReport(body: string): boolean {
  return ASKS_FOR_REPORT.test(cueText(body));
}
