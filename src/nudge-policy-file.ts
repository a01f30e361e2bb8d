import { readFileSync } from "node:fs";
import { z } from "zod";
import { toAsciiDigits } from "./domain/digits.js";
import { type FollowUpTemplates, type FollowUpWording, TEMPLATE_NAMES } from "./domain/follow-up-text.js";
import { isWatched } from "./domain/is-watched.js";
import type { NudgePolicy, NudgeRules } from "./domain/nudge-policy.js";
import { isRealDate } from "./domain/time-zone.js";
import type { Messages } from "./text.js";
import { UserError } from "./user-error.js";

const MINUTE = 60_000;
const SUNDAY_TO_THURSDAY = [0, 1, 2, 3, 4];
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

/** The ministry's defaults: polite, in office hours, three times at most, then the issuer is told. */
export const DEFAULT_NUDGE_POLICY: NudgePolicy = {
  normal: { firstAfterMs: 30 * MINUTE, everyMs: 120 * MINUTE, maxNudges: 3, hours: { days: SUNDAY_TO_THURSDAY, opensAt: 9 * 60, closesAt: 17 * 60, holidays: [] } },
  urgent: { firstAfterMs: 10 * MINUTE, everyMs: 30 * MINUTE, maxNudges: 3, hours: { days: EVERY_DAY, opensAt: 8 * 60, closesAt: 21 * 60, holidays: [] } },
  delivery: "group",
  reminderBeforeMs: 120 * MINUTE,
  digestAt: 9 * 60,
};

/** What the follow-ups of one group run on. */
export interface FollowUpSettings {
  /** Whether the bot nudges at all. */
  enabled: boolean;
  /** The office's own policy, before any group's changes: it times the daily digest. */
  office: NudgePolicy;
  policyFor(chat: { whatsappId: string | null; name: string }): NudgePolicy;
  wordingFor(chat: { whatsappId: string | null; name: string }): FollowUpWording;
}

const DAY_NAMES: Record<string, number> = {
  sun: 0, sunday: 0, রবি: 0, রবিবার: 0,
  mon: 1, monday: 1, সোম: 1, সোমবার: 1,
  tue: 2, tuesday: 2, মঙ্গল: 2, মঙ্গলবার: 2,
  wed: 3, wednesday: 3, বুধ: 3, বুধবার: 3,
  thu: 4, thursday: 4, বৃহস্পতি: 4, বৃহস্পতিবার: 4,
  fri: 5, friday: 5, শুক্র: 5, শুক্রবার: 5,
  sat: 6, saturday: 6, শনি: 6, শনিবার: 6,
};

/** A number as an office types it, in ASCII or Bangla digits. */
const minutes = z
  .union([z.number(), z.string()])
  .transform((value) => Number(toAsciiDigits(String(value).trim())))
  .refine((value) => Number.isInteger(value) && value >= 0 && value <= 60 * 24 * 30, "a whole number of minutes");
/** How long between nudges: at least a minute (the scan runs once a minute). */
const interval = minutes.refine((value) => value >= 1, "at least 1 minute");
const times = z
  .union([z.number(), z.string()])
  .transform((value) => Number(toAsciiDigits(String(value).trim())))
  .refine((value) => Number.isInteger(value) && value >= 0 && value <= 20, "a whole number from 0 to 20");
const clock = z
  .string()
  .transform((value) => toAsciiDigits(value.trim()))
  .refine((value) => /^([01]?\d|2[0-3])[:.][0-5]\d$/.test(value), "a time like 09:00")
  .transform((value) => {
    const [hour, minute] = value.split(/[:.]/).map(Number);
    return hour! * 60 + minute!;
  });
const span = z
  .string()
  .transform((value) => toAsciiDigits(value.trim()))
  .refine((value) => /^([01]?\d|2[0-3])[:.][0-5]\d\s*[-–]\s*(([01]?\d|2[0-3])[:.][0-5]\d|24[:.]00)$/.test(value), "hours like 09:00-17:00")
  .transform((value) => {
    const [open, close] = value.split(/\s*[-–]\s*/).map((part) => {
      const [hour, minute] = part.split(/[:.]/).map(Number);
      return hour! * 60 + minute!;
    });
    return { opensAt: open!, closesAt: close! };
  })
  .refine((value) => value.opensAt < value.closesAt, "hours that open before they close");
const days = z
  .array(z.string())
  .transform((names) => names.map((name) => DAY_NAMES[name.trim().toLowerCase()] ?? -1))
  .refine((numbers) => numbers.length > 0 && numbers.every((day) => day >= 0), "weekday names, e.g. [\"sun\", \"mon\"] or [\"রবি\", \"সোম\"]");
const date = z
  .string()
  .transform((value) => toAsciiDigits(value.trim()))
  .refine((value) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    return match !== null && isRealDate(Number(match[1]), Number(match[2]), Number(match[3]));
  }, "dates like 2026-12-16");

const rulesSchema = z
  .object({ firstAfterMinutes: minutes, everyMinutes: interval, maxNudges: times, days, hours: span, holidays: z.array(date) })
  .partial()
  .strict();

const policySchema = rulesSchema.extend({
  enabled: z.boolean().optional(),
  delivery: z.enum(["group", "direct"]).optional(),
  urgent: rulesSchema.optional(),
  reminderBeforeMinutes: minutes.optional(),
  digestAt: z.union([clock, z.null()]).optional(),
  templates: z.object(Object.fromEntries(TEMPLATE_NAMES.map((name) => [name, z.string().min(1).optional()]))).strict().optional(),
});

const fileSchema = policySchema.extend({ groups: z.record(z.string(), policySchema.omit({ enabled: true })).optional() }).strict();

type PolicyChanges = z.infer<typeof policySchema>;
type RuleChanges = z.infer<typeof rulesSchema>;

function applyRules(base: NudgeRules, changes: RuleChanges | undefined): NudgeRules {
  return {
    firstAfterMs: changes?.firstAfterMinutes !== undefined ? changes.firstAfterMinutes * MINUTE : base.firstAfterMs,
    everyMs: changes?.everyMinutes !== undefined ? changes.everyMinutes * MINUTE : base.everyMs,
    maxNudges: changes?.maxNudges ?? base.maxNudges,
    hours: {
      days: changes?.days ?? base.hours.days,
      opensAt: changes?.hours?.opensAt ?? base.hours.opensAt,
      closesAt: changes?.hours?.closesAt ?? base.hours.closesAt,
      holidays: changes?.holidays ?? base.hours.holidays,
    },
  };
}

function applyPolicy(base: NudgePolicy, changes: PolicyChanges): NudgePolicy {
  return {
    // Holidays named at the top are the office's: normal directives wait for them; urgent ones go any day.
    normal: applyRules(base.normal, changes),
    urgent: applyRules(base.urgent, changes.urgent),
    delivery: changes.delivery ?? base.delivery,
    reminderBeforeMs: changes.reminderBeforeMinutes !== undefined ? changes.reminderBeforeMinutes * MINUTE : base.reminderBeforeMs,
    digestAt: changes.digestAt !== undefined ? changes.digestAt : base.digestAt,
  };
}

/**
 * The office's nudge policy (NIRDESH_NUDGE_POLICY, a JSON file): the defaults above, changed by the
 * file's top level, and per group (by WhatsApp id or exact name) by its `groups`. Texts are Bangla or
 * English by the office's language, and any of them may be replaced. A bad file is one clear line.
 */
export function readNudgePolicy(path: string | undefined, text: Messages): FollowUpSettings {
  let file: z.infer<typeof fileSchema> = {};
  if (path !== undefined) {
    let raw: string;
    try {
      raw = readFileSync(path, "utf8");
    } catch (error) {
      throw new UserError((t) => t.nudgePolicyUnreadable(path, (error as NodeJS.ErrnoException).code ?? String(error)));
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.replace(/^\ufeff/, ""));
    } catch (error) {
      throw new UserError((t) => t.nudgePolicyInvalid(path, (error as Error).message));
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      const problem = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(file)"}: ${issue.message}`).join("; ");
      throw new UserError((t) => t.nudgePolicyInvalid(path, problem));
    }
    file = parsed.data;
  }
  const office = applyPolicy(DEFAULT_NUDGE_POLICY, file);
  const groups = Object.entries(file.groups ?? {});
  const groupOf = (chat: { whatsappId: string | null; name: string }) =>
    groups.find(([key]) => isWatched({ whatsappId: chat.whatsappId ?? "", name: chat.name, isGroup: true }, [key]))?.[1];
  const wording = (templates: Partial<Record<keyof FollowUpTemplates, string | undefined>> | undefined): FollowUpWording => {
    const chosen = { ...text.followUp };
    for (const name of TEMPLATE_NAMES) {
      const own = templates?.[name] ?? file.templates?.[name];
      if (own) chosen[name] = own;
    }
    return chosen;
  };
  return {
    enabled: file.enabled ?? true,
    office,
    policyFor: (chat) => {
      const group = groupOf(chat);
      return group ? applyPolicy(office, group) : office;
    },
    wordingFor: (chat) => wording(groupOf(chat)?.templates),
  };
}
