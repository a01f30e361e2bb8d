import { formatIsoInZone } from "../domain/time-zone.js";
import { answeredBy, detectionOf, directiveViews } from "../store/directive-views.js";
import { showMessage } from "../store/show-message.js";
import { UserError } from "../user-error.js";
import type { Command } from "./command.js";
import { directiveJson, directiveLines, messageJson, messageLines, readMessageId, senderLine } from "./format.js";

/** `nirdesh show ID [--json]` */
export const showCommand: Command = {
  name: "show",
  writes: false,
  creates: false,
  options: {},
  async run(context, _values, positionals) {
    const [raw, ...rest] = positionals;
    if (raw === undefined || rest.length > 0) throw new UserError((t) => t.badUsage(t.missingArgument("ID")));
    const zone = context.config.timeZone;
    const archive = await context.archive();
    const detail = showMessage(archive, readMessageId(raw));
    const directive = detail.directive ? directiveViews(archive, { messageIds: [detail.id] })[0] : undefined;
    const detection = detectionOf(archive, detail.id);
    const answers = answeredBy(archive, detail.id);
    context.log.info({ command: "show", message: detail.id }, "shown");
    context.audit(archive, "show", { message: detail.id }, 1);

    const iso = (at: number) => formatIsoInZone(at, zone);
    context.printJson({
      // A directive is shown in both shapes: the message's, and the directive's (issuer, deadline, expected, acknowledged, pending).
      ...(directive ? directiveJson(directive, zone) : {}),
      ...messageJson(detail, zone),
      detection,
      answers,
      archivedAt: iso(detail.archivedAt),
      edits: detail.edits.map((edit) => ({ ...edit, at: iso(edit.at) })),
      deletion: detail.deletion && { ...detail.deletion, at: iso(detail.deletion.at) },
      reactions: detail.reactions.map((reaction) => ({ ...reaction, at: iso(reaction.at) })),
      replies: detail.replies.map((reply) => messageJson(reply, zone)),
    });

    const t = context.text;
    const label = t.label;
    const line = (name: string, value: string) => context.say(`${name}: ${value}`);
    line(label.message, `#${detail.id}`);
    line(label.chat, detail.chat);
    line(label.sender, senderLine(detail.sender));
    line(label.at, iso(detail.at));
    line(label.type, t.types[detail.type] ?? detail.type);
    if (detail.media) line(t.media, [detail.media.fileName, detail.media.mimetype, detail.media.sha256 ?? "—"].filter(Boolean).join(" · "));
    if (detail.mentions.length > 0) line(label.mentions, detail.mentions.map((m) => `@${m.name}${m.phone ? ` (${m.phone})` : ""}`).join(", "));
    if (detail.quotedWhatsappId) line(label.quoted, detail.quotedWhatsappId);
    if (detail.forwarded) line(label.forwarded, "✓");
    context.say("");
    context.say(detail.deleted && !detail.body ? t.deletedMark : detail.body);
    context.say("");
    if (detail.edits.length > 0) {
      context.say(`${label.edits}:`);
      for (const edit of detail.edits) context.say(`  ${iso(edit.at)}  ${edit.body}`);
    }
    if (detail.deletion) line(label.deletion, `${iso(detail.deletion.at)}${detail.deletion.by ? ` (${detail.deletion.by})` : ""}`);
    if (detail.reactions.length > 0) {
      context.say(`${label.reactions}:`);
      for (const reaction of detail.reactions) context.say(`  ${iso(reaction.at)}  ${reaction.emoji}  ${reaction.by ?? ""}`);
    }
    if (detail.replies.length > 0) {
      context.say(`${label.replies}:`);
      for (const reply of detail.replies) for (const text of messageLines(reply, t, zone, [], false)) context.say(`  ${text}`);
    }
    const d = t.directiveLabel;
    if (directive) {
      const lines = directiveLines(directive, t, zone, { pendingOnly: false });
      for (const text of lines.slice(lines.findIndex((l) => l.includes(`${d.issuer}:`)) + 2)) context.say(text.replace(/^ {4}/, ""));
    }
    if (detection) {
      const verdict = detection.directive ? d.directive : d.notDirective;
      const corrected = detection.marked !== null ? ` (${d.marked})` : "";
      line(d.detection, `${verdict}${corrected} · ${d.confidence} ${detection.confidence} · ${detection.cues.join(" · ") || "—"}`);
    }
    for (const answer of answers) line(d.answers, `#${answer.directive} (${answer.kind === "done" ? d.done : d.acknowledged})`);
    line(label.source, detail.importFile ? `${detail.source} (${detail.importFile})` : detail.source);
    line(label.archivedAt, iso(detail.archivedAt));
    line(label.hash, `${detail.hash} (#${detail.seq})`);
    return 0;
  },
};
