import type { LiveMessage, OutgoingMessage } from "../domain/live-event.js";
import { phoneWrittenAs } from "../domain/phone.js";
import type { InChatCommand } from "../domain/read-in-chat-command.js";
import { formatIsoInZone } from "../domain/time-zone.js";
import { messagesCsv } from "../export/messages-csv.js";
import { messageWithId } from "../store/archive-live-event.js";
import { recordAudit } from "../store/audit.js";
import { findOrCreateLiveChat } from "../store/chats.js";
import { directiveViews } from "../store/directive-views.js";
import { markMessage } from "../store/mark-message.js";
import type { Archive } from "../store/open-archive.js";
import { findLivePerson, resolveLivePerson } from "../store/people.js";
import { searchMessages } from "../store/search-messages.js";
import { messageLines, snippet } from "../cli/format.js";
import type { Messages } from "../text.js";
import { UserError } from "../user-error.js";

export interface InChatContext {
  archive: Archive;
  /** Works out directives and acknowledgements again where anything changed (after a correction, before a list). */
  track(): void;
  text: Messages;
  timeZone: string;
  now: () => number;
  /** WhatsApp ids of the group's admins, as last seen. */
  admins: Set<string>;
}

/** A person as a group message names them: never by their whole phone number. */
function shownInChat(person: { name: string; designation: string | null; phone: string | null }): string {
  if (!phoneWrittenAs(person.name)) return person.name;
  return person.designation ?? `…${person.name.replace(/\D/g, "").slice(-3)}`;
}

/** How many directives `!pending` lists and how many matches `!search` shows, to keep a reply readable. */
const PENDING_SHOWN = 5;
const SEARCH_SHOWN = 10;
const EXPORT_ROWS = 5_000;

/**
 * Answers one in-chat command, after checking who asks: in a group, roster superiors and record keepers
 * and the group's admins may correct detection and list what is pending; in a direct message, only
 * roster record keepers may search or export. Whoever else asks gets no data (and in a group, no reply).
 * Every command, allowed or not, is audited in the archive.
 */
export function answerInChatCommand(context: InChatContext, message: LiveMessage, command: InChatCommand, inGroup: boolean): { allowed: boolean; message: OutgoingMessage | null } {
  const { archive, text, now } = context;
  // A direct message from a number not on the roster gets nothing, and leaves nothing but its audit entry.
  const known = findLivePerson(archive, message.sender);
  if (!inGroup && !known?.roles.length) {
    recordAudit(archive, now, { chat: null, message: null, by: null, byName: message.sender.name, action: command.name, allowed: false, filters: {}, rows: 0, via: "whatsapp" });
    return { allowed: false, message: null };
  }
  const by = known ?? resolveLivePerson(archive, message.sender, now());
  const chat = inGroup ? findOrCreateLiveChat(archive, message.chat, now()) : null;
  const role = {
    superior: by.roles.includes("superior"),
    recordkeeper: by.roles.includes("recordkeeper"),
    admin: inGroup && context.admins.has(message.sender.whatsappId),
  };
  const inGroupAllowed = inGroup && (role.superior || role.recordkeeper || role.admin);
  const allowed =
    command.name === "help"
      ? inGroupAllowed || !inGroup
      : command.name === "search" || command.name === "export"
        ? !inGroup && role.recordkeeper
        : command.name === "pending"
          ? inGroupAllowed || (!inGroup && (role.recordkeeper || role.superior))
          : inGroupAllowed;

  const reply = (words: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({ chatId: message.chat.whatsappId, text: words, quotedId: message.id, ...extra });
  const audit = (rows: number, filters: Record<string, unknown> = {}) =>
    recordAudit(archive, now, {
      chat,
      message: inGroup ? (messageWithId(archive, message.id) ?? null) : null,
      by,
      byName: message.sender.name,
      action: command.name,
      allowed,
      filters,
      rows,
      via: "whatsapp",
    });

  if (!allowed) {
    audit(0, command.argument ? { words: command.argument } : {});
    return { allowed, message: inGroup ? null : reply(text.bot.notAllowed) };
  }

  try {
    switch (command.name) {
      case "help":
        audit(0);
        return { allowed, message: reply(text.bot.help) };

      case "directive":
      case "urgent":
      case "not-directive": {
        const directive = command.name !== "not-directive";
        const urgent = command.name === "urgent";
        const target = message.quotedId ? messageWithId(archive, message.quotedId) : undefined;
        if (!target) {
          audit(0);
          return { allowed, message: reply(text.bot.replyToMark) };
        }
        const { changed } = markMessage(archive, now, target.id, directive, by, "live", urgent);
        audit(1, { message: target.id, directive, ...(urgent ? { urgent } : {}) });
        context.track();
        return { allowed, message: reply(changed ? text.marked(target.id, directive, urgent) : text.markUnchanged(target.id, directive, urgent), { quotedId: message.quotedId! }) };
      }

      case "pending": {
        context.track();
        const directives = directiveViews(archive, { pendingOnly: true, ...(chat ? { chatId: chat.id } : {}) });
        audit(directives.length, chat ? { chat: chat.name } : {});
        if (directives.length === 0) return { allowed, message: reply(text.noPending) };
        // The newest are what people are still working on; a chat message stays short, without phone numbers.
        const shown = directives.slice(-PENDING_SHOWN);
        const lines = shown.flatMap((directive) => [
          `#${directive.id} · ${formatIsoInZone(directive.at, context.timeZone).slice(0, 16).replace("T", " ")} · ${directive.issuer.name}`,
          `  ${snippet(directive.editedBody ?? directive.body, [], false)}`,
          `  ${text.directiveLabel.pending} (${text.count(directive.pending.length)}): ${directive.pending.map(shownInChat).join(", ")}`,
          "",
        ]);
        lines.push(text.pendingCount(directives.length));
        if (directives.length > shown.length) lines.push(text.bot.morePending(directives.length - shown.length));
        return { allowed, message: reply(lines.join("\n")) };
      }

      case "search": {
        if (!command.argument) {
          audit(0);
          return { allowed, message: reply(text.bot.searchNeedsWords) };
        }
        const found = searchMessages(archive, { query: command.argument, limit: SEARCH_SHOWN });
        audit(found.messages.length, { query: command.argument });
        if (found.messages.length === 0) return { allowed, message: reply(text.bot.nothingFound) };
        const lines = found.messages.flatMap((view) => [...messageLines(view, text, context.timeZone, found.terms, false), ""]);
        if (found.more) lines.push(text.bot.moreFound);
        return { allowed, message: reply(lines.join("\n")) };
      }

      case "export": {
        const found = searchMessages(archive, { ...(command.argument ? { query: command.argument } : {}), limit: EXPORT_ROWS });
        audit(found.messages.length, command.argument ? { query: command.argument } : {});
        if (found.messages.length === 0) return { allowed, message: reply(text.bot.nothingFound) };
        const stamp = formatIsoInZone(now(), context.timeZone).slice(0, 16).replace(/[:T]/g, "-");
        return {
          allowed,
          message: reply(text.bot.exported(found.messages.length, found.more), {
            document: { fileName: `nirdesh-${stamp}.csv`, mimetype: "text/csv", data: Buffer.from(messagesCsv(found.messages, context.timeZone), "utf8") },
          }),
        };
      }
    }
  } catch (error) {
    // A hostile or mistyped request gets the same one clear line the command line gives.
    if (error instanceof UserError) return { allowed, message: reply(error.render(text)) };
    throw error;
  }
}
