// The live bot as the script children run it (scripts/ingest-live.js, load-bot.js, bench-bot.js): without
// Chromium, on the in-memory WhatsApp, in Dhaka time, answering in Bangla, never recycling the browser
// (there is none). One place, so the crash, load and bench runs measure the same bot.
import { createBot, DEFAULT_BOT_SETTINGS } from "../dist/bot/create-bot.js";
import { readLexicons } from "../dist/lexicons.js";
import { openMediaStore } from "../dist/store/media-store.js";
import { messagesFor } from "../dist/text.js";

/**
 * The bot watching the chats `watch` names, its media in `mediaDir`. `settings` adds to the bot's settings;
 * anything else given (`random`, `followUps`, `everyMinute`) goes to createBot as it is.
 */
export function memoryBot({ transport, archive, mediaDir, watch, log, now, settings = {}, ...rest }) {
  return createBot({
    transport,
    archive,
    media: openMediaStore(mediaDir),
    lexicons: readLexicons(),
    text: messagesFor("bn"),
    settings: { ...DEFAULT_BOT_SETTINGS, watch, timeZone: "Asia/Dhaka", recycleMs: 0, ...settings },
    log,
    now,
    ...rest,
  });
}
