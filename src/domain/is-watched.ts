/**
 * Whether the office asked the bot to archive this group: its WhatsApp id is on the list, or its name
 * is, exactly (case and surrounding spaces aside). Direct messages never are.
 */
export function isWatched(chat: { whatsappId: string; name: string; isGroup: boolean }, watch: readonly string[]): boolean {
  if (!chat.isGroup) return false;
  const name = nameOf(chat.name);
  return watch.some((entry) => entry.trim() === chat.whatsappId || nameOf(entry) === name);
}

function nameOf(text: string): string {
  return text.normalize("NFC").trim().toLowerCase();
}
