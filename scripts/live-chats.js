// Seeded live WhatsApp traffic for the crash and load tests (test/reliability, test/stress): a district's
// groups, its roster, and each group's talk from scripts/synthetic-chats.js as live events — directives
// from superiors, officers answering (some by replying to the directive, some with a 👍 reaction), reports,
// questions, chat. The same seed gives the same events.
import { parseChatExport } from "../dist/chat-export/parse-chat-export.js";
import { exportText, random, rosterOf } from "./synthetic-chats.js";

export const ACCOUNT = { whatsappId: "8801700000000@c.us", phone: "+8801700000000", name: "Nirdesh" };

/** The roster (for `applyRoster`) and the same people as WhatsApp shows them. */
export function livePeople(officers = 20) {
  const roster = rosterOf(officers);
  const people = roster.map((p) => ({ whatsappId: `${p.phone.slice(1)}@c.us`, phone: p.phone, name: p.name }));
  return { roster, people, byName: new Map(people.map((p) => [p.name, p])) };
}

/** `count` watched groups, each with every person of the roster in it and the superiors as admins. */
export function liveGroups(count, roster, people) {
  return Array.from({ length: count }, (_, g) => ({
    chat: { whatsappId: `1203639${String(g).padStart(11, "0")}@g.us`, name: `লাইভ গ্রুপ ${g + 1}`, isGroup: true },
    participants: people.map((person, i) => ({ person, admin: roster[i].role === "superior" })),
  }));
}

/**
 * One group's talk: `count` events in order, each `{kind, ...}` as the transport delivers it, with `at`
 * from `start` (UTC ms, about fifty minutes apart as in the synthetic exports). Ids are unique per
 * group and seed. About one answer in four to a superior's message replies to it; one 👍 in two is a
 * reaction rather than a message.
 */
export function groupTalk(group, seed, count, start, { roster, byName }, { reactions = true } = {}) {
  const r = random(seed * 7919 + 17);
  const { entries } = parseChatExport(exportText(seed, count, start, roster), { timeZone: "Asia/Dhaka" });
  const superiors = new Set(roster.filter((p) => p.role === "superior").map((p) => p.name));
  const events = [];
  let lastFromSuperior = null;
  for (const [i, entry] of entries.entries()) {
    const sender = byName.get(entry.author);
    if (entry.kind !== "message" || !sender) continue;
    const id = `false_${group.chat.whatsappId}_L${seed}N${i}_${sender.whatsappId}`;
    if (reactions && entry.body === "👍" && lastFromSuperior && r.next() < 0.5) {
      events.push({ kind: "reaction", chat: group.chat, messageId: lastFromSuperior, sender, at: entry.at, emoji: "👍" });
      continue;
    }
    const replying = !superiors.has(entry.author) && lastFromSuperior !== null && r.next() < 0.25;
    events.push({
      kind: "message",
      chat: group.chat,
      id,
      sender,
      fromMe: false,
      at: entry.at,
      // A deletion in an export is a message deleted later; live, the bot would have heard the words first.
      // Files are left out (the memory transport has none to give): an attachment line stays as words.
      body: entry.type === "revoked" ? "ঠিক আছে স্যার" : entry.body,
      type: "text",
      quotedId: replying ? lastFromSuperior : null,
      mentions: [],
      forwarded: false,
      edited: null,
      media: null,
    });
    if (superiors.has(entry.author)) lastFromSuperior = id;
  }
  return events;
}

/** Every group's talk merged into one stream, ordered by time (ties by group), as one phone hears it. */
export function districtTalk(groups, seed, perGroup, start, people, options = {}) {
  const all = [];
  for (const [g, group] of groups.entries()) all.push(...groupTalk(group, seed + g, perGroup, start, people, options));
  return all.sort((a, b) => a.at - b.at);
}

/** The crash test's stream: `count` messages (no reactions) of `groupCount` groups, from 1 January 2025. */
export function crashTalk(count, groupCount) {
  const people = livePeople(20);
  const groups = liveGroups(groupCount, people.roster, people.people);
  const stream = districtTalk(groups, 100, Math.ceil(count / groupCount), Date.UTC(2025, 0, 1), people, { reactions: false }).slice(0, count);
  return { people, groups, stream };
}
