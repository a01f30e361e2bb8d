import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TransportUnreachable } from "../../src/bot/transport.js";
import { showMessage } from "../../src/store/show-message.js";
import { createLiveEventReader } from "../../src/whatsapp/read-live-event.js";
import { createWhatsAppTransport } from "../../src/whatsapp/whatsapp-transport.js";
import { memoryLogger } from "../support.js";
import {
  bodiesSeen,
  FakeClient,
  FakePhone,
  GROUP,
  GROUP_NAME,
  groupNotification,
  ME,
  message,
  OTHER_GROUP,
  reaction,
  revokedCopy,
} from "./fake-client.js";
import { AC_LAND, allLogLines, at, DC, flush, officePhone, startBot, STRANGER, stopAll, TEXT, UNO, UNO_LID, until } from "./harness.js";

const UNREACHABLE = "net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/";

/** Digits that would give a person's number away, in any of the forms a log could carry them. */
const NUMBERS = ["1711000011", "1711000013", "1711000014", "1911000099", "1700000000", "123456789012345"];

/** Log lines that carry a message's words (or eight characters running of them) or a phone number. */
function leaks(lines: string[]): string[] {
  const pieces = new Set<string>();
  for (const body of bodiesSeen) {
    const characters = [...body];
    if (characters.length <= 8) pieces.add(body);
    for (let i = 0; i + 8 <= characters.length; i++) pieces.add(characters.slice(i, i + 8).join(""));
  }
  return lines.filter((line) => NUMBERS.some((digits) => line.includes(digits)) || [...pieces].some((piece) => line.includes(piece)));
}

afterEach(async () => {
  vi.useRealTimers();
  // A bot a failed test left running is stopped before support.ts closes its archive.
  await stopAll();
  // Every story: nothing the bot logged (info, warn or error) gives away what was said or who said it.
  expect(leaks(allLogLines.splice(0))).toEqual([]);
});

describe("archiving what a watched group says", () => {
  it("keeps one copy of a directive WhatsApp delivers twice through message_create and again through message", async () => {
    const h = await startBot();
    const directive = message({ author: DC, body: "সকল ইউএনও আগামীকাল সকাল ১০টার মধ্যে বন্যা পরিস্থিতির প্রতিবেদন পাঠাবেন", timestamp: at(1), notifyName: "DC" });

    h.client.emit("message_create", directive);
    h.client.emit("message_create", directive);
    h.client.emit("message", directive);
    await flush();
    await h.bot.settled();

    const rows = h.messages();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      whatsapp_id: directive.id._serialized,
      body: directive.body,
      source: "live",
      type: "text",
      at: at(1) * 1000,
      sender_phone: "+8801711000011",
      sender_whatsapp_id: DC,
    });
    await h.stop();
  });

  it("keeps the words a UNO first wrote when they edit the message and then delete it for everyone", async () => {
    const h = await startBot();
    const first = "প্রতিবেদন রবিবারের মধ্যে পাঠাতে হবে";
    const second = "প্রতিবেদন সোমবারের মধ্যে পাঠাতে হবে";
    const original = message({ author: UNO, body: first, timestamp: at(1), notifyName: "UNO" });
    await h.receive(original);

    // message_edit: the message as it now is, the new words, the old words.
    const edited = message({ author: UNO, id: original.id.id, body: second, timestamp: at(1), latestEditSenderTimestampMs: at(3) * 1000 });
    await h.emit("message_edit", edited, second, first);
    // message_revoke_everyone: the message as it now is (no words), and the copy from before.
    await h.emit("message_revoke_everyone", revokedCopy(original, at(5)), edited);

    const rows = h.messages();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.body).toBe(first);
    expect(rows[0]!.type).toBe("text");

    const edits = h.events("edit");
    expect(edits).toHaveLength(1);
    expect(edits[0]).toMatchObject({ message_id: rows[0]!.id, body: second, at: at(3) * 1000, actor_phone: "+8801711000013" });
    const deletions = h.events("delete");
    expect(deletions).toHaveLength(1);
    expect(deletions[0]).toMatchObject({ message_id: rows[0]!.id, actor_phone: null, at: at(5) * 1000 });

    const view = showMessage(h.archive, rows[0]!.id);
    expect(view.body).toBe(first);
    expect(view.edited).toBe(true);
    expect(view.editedBody).toBe(second);
    expect(view.deleted).toBe(true);
    expect(view.edits.map((edit) => edit.body)).toEqual([second]);
    expect(view.deletion).not.toBeNull();
    await h.stop();
  });

  it("records a delete for everyone that arrives with no words and no copy of the message (revoked, before undefined)", async () => {
    const h = await startBot();
    const original = message({ author: AC_LAND, body: "খাস জমির তালিকা সংযুক্ত করা হলো", timestamp: at(1) });
    await h.receive(original);

    const revoked = revokedCopy(original, at(2));
    expect(revoked.body).toBe("");
    await h.emit("message_revoke_everyone", revoked, undefined);

    const [row] = h.messages();
    expect(h.messages()).toHaveLength(1);
    expect(row!.body).toBe("খাস জমির তালিকা সংযুক্ত করা হলো");
    const deletions = h.events("delete");
    expect(deletions).toHaveLength(1);
    expect(deletions[0]).toMatchObject({ message_id: row!.id, whatsapp_id: `${original.id._serialized}#delete`, actor_phone: null });
    expect(showMessage(h.archive, row!.id).deleted).toBe(true);
    await h.stop();
  });

  it("finds the message deleted through the revoke's protocolMessageKey when the revoke comes under an id of its own", async () => {
    const h = await startBot();
    const original = message({ author: AC_LAND, body: "ভুল ফাইল পাঠানো হয়েছে", timestamp: at(1) });
    await h.receive(original);

    const revoke = message({ author: AC_LAND, id: "3EB0REVOKE0000000001", type: "revoked", body: "", timestamp: at(2), protocolMessageKey: original.id });
    await h.emit("message_revoke_everyone", revoke, undefined);

    const [row] = h.messages();
    expect(h.messages()).toHaveLength(1);
    expect(h.events("delete")).toMatchObject([{ message_id: row!.id, whatsapp_id: `${original.id._serialized}#delete` }]);
    // Delivered again (a reconnect): still one deletion.
    await h.emit("message_revoke_everyone", revoke, undefined);
    expect(h.events("delete")).toHaveLength(1);
    await h.stop();
  });

  it("records a 👍 on a directive, its removal, and not a re-delivery of the same reaction", async () => {
    const h = await startBot();
    const directive = message({ author: DC, body: "ত্রাণ বিতরণের তালিকা আজই পাঠান", timestamp: at(1) });
    await h.receive(directive);

    const thumbs = reaction({ to: directive, sender: AC_LAND, emoji: "👍", timestamp: at(2) });
    await h.emit("message_reaction", thumbs);
    await h.emit("message_reaction", thumbs);
    await h.emit("message_reaction", reaction({ to: directive, sender: AC_LAND, emoji: "", timestamp: at(4) }));

    const row = h.messageRow(directive.id._serialized)!;
    const reactions = h.events("reaction");
    expect(reactions).toHaveLength(2);
    expect(reactions[0]).toMatchObject({ message_id: row.id, body: "👍", actor_id: h.personId(AC_LAND), actor_phone: "+8801711000014", at: at(2) * 1000 });
    expect(reactions[1]).toMatchObject({ message_id: row.id, body: "", actor_id: h.personId(AC_LAND), at: at(4) * 1000 });
    expect(showMessage(h.archive, row.id).reactions.map((r) => r.emoji)).toEqual(["👍", ""]);
    await h.stop();
  });

  it("knows a UNO who writes from a hidden number (@lid) by the phone the roster has", async () => {
    const h = await startBot({ roster: [{ line: 2, phone: "+8801711000013", name: "ইউএনও সখীপুর", designation: "UNO", roles: ["officer"] }] });
    const rostered = h.personId(UNO)!;
    const fromLid = message({ author: UNO_LID, body: "প্রতিবেদন পাঠানো হয়েছে", timestamp: at(1), notifyName: "Sakhipur UNO" });
    await h.receive(fromLid);

    expect(h.phone.calls.getContactLidAndPhone).toBeGreaterThan(0);
    const [row] = h.messages();
    // The name saved on the bot's phone, not the one the sender chose for themselves.
    expect(row).toMatchObject({ sender_phone: "+8801711000013", sender_whatsapp_id: UNO, sender_id: rostered, sender_name: "UNO Sakhipur" });
    const view = showMessage(h.archive, row!.id);
    expect(view.sender).toMatchObject({ phone: "+8801711000013", name: "ইউএনও সখীপুর", designation: "UNO" });
    // No second person under the lid.
    expect(h.archive.all(h.archive.db.selectFrom("people").select("id").where("whatsapp_id", "like", "%@lid"))).toEqual([]);
    await h.stop();
  });

  it("keeps a sender WhatsApp will not map under the hidden id, without inventing a phone", async () => {
    const h = await startBot();
    const unknownLid = "987654321098765@lid";
    await h.receive(message({ author: unknownLid, body: "আমি নতুন যোগ দিয়েছি", timestamp: at(1), notifyName: "নতুন কর্মকর্তা" }));
    expect(h.messages()[0]).toMatchObject({ sender_whatsapp_id: unknownLid, sender_phone: null, sender_name: "নতুন কর্মকর্তা" });
    await h.stop();
  });

  // BUG (src/whatsapp/read-live-event.ts, lookUpPerson(): `client.getContactLidAndPhone([id]).catch(() => [])`):
  // a lookup that fails is swallowed, so the promise personOf() caches never rejects, and the comment's
  // promise "A failed lookup is not remembered: the next message tries again" does not hold. One failed
  // lookup leaves that officer unmapped (phone null, not matched to the roster) for the whole connection.
  it("asks WhatsApp again for the phone behind an @lid when the first lookup failed", async () => {
    const h = await startBot();
    h.phone.lidLookupFailures = 1;
    await h.receive(message({ author: UNO_LID, body: "প্রথম বার্তা", timestamp: at(1), notifyName: "UNO" }));
    const second = message({ author: UNO_LID, body: "দ্বিতীয় বার্তা", timestamp: at(2), notifyName: "UNO" });
    await h.receive(second);
    expect(h.phone.calls.getContactLidAndPhone).toBeGreaterThanOrEqual(2);
    expect(h.messageRow(second.id._serialized)).toMatchObject({ sender_phone: "+8801711000013", sender_id: h.personId(UNO) });
    await h.stop();
  });

  it("archives nothing from a family group that is not watched, nor from a direct message", async () => {
    const h = await startBot();
    const chatsBefore = h.archive.all(h.archive.db.selectFrom("chats").select("whatsapp_id"));
    expect(chatsBefore).toEqual([{ whatsapp_id: GROUP }]);

    const family = message({ chat: OTHER_GROUP, author: STRANGER, body: "আজ রাতে দাওয়াত, সবাই আসবেন", timestamp: at(1) });
    await h.receive(family);
    await h.emit("message_reaction", reaction({ to: family, sender: UNO, emoji: "❤️", timestamp: at(2) }));
    await h.emit("message_edit", message({ chat: OTHER_GROUP, author: STRANGER, id: family.id.id, body: "আজ রাতে দাওয়াত", timestamp: at(1), latestEditSenderTimestampMs: at(3) * 1000 }), "আজ রাতে দাওয়াত", family.body);
    await h.emit("group_join", groupNotification({ chat: OTHER_GROUP, type: "add", author: STRANGER, recipientIds: [AC_LAND], timestamp: at(4) }));
    await h.receive(message({ chat: STRANGER, author: STRANGER, body: "ভাই, একটা ব্যক্তিগত কথা ছিল", timestamp: at(5) }));

    expect(h.messages()).toEqual([]);
    expect(h.archive.all(h.archive.db.selectFrom("chats").select("whatsapp_id"))).toEqual([{ whatsapp_id: GROUP }]);
    // Only the watched group's member list was recorded.
    expect(h.events().map((event) => event.kind)).toEqual(["system"]);
    expect(h.phone.sent).toEqual([]);
    await h.stop();
  });

  it("keeps which message a reply quotes, whom it mentions, and that it was forwarded", async () => {
    const h = await startBot();
    const directive = message({ author: DC, body: "এসি ল্যান্ড ও ইউএনও সভায় উপস্থিত থাকবেন", timestamp: at(1) });
    await h.receive(directive);
    const reply = message({
      author: UNO,
      body: "@8801711000014 @123456789012345 নির্দেশনা দেখুন",
      timestamp: at(2),
      quoted: directive,
      mentionedIds: [AC_LAND, UNO_LID],
      isForwarded: true,
    });
    await h.receive(reply);

    const row = h.messageRow(reply.id._serialized)!;
    expect(row.quoted_whatsapp_id).toBe(directive.id._serialized);
    expect(row.forwarded).toBe(1);
    expect(JSON.parse(row.mentions)).toEqual([
      { name: "AC Land", phone: "+8801711000014" },
      { name: "UNO Sakhipur", phone: "+8801711000013" },
    ]);
    const shown = showMessage(h.archive, h.messageRow(directive.id._serialized)!.id);
    expect(shown.forwarded).toBe(false);
    expect(shown.replies.map((view) => view.id)).toEqual([row.id]);
    await h.stop();
  });

  it("does not archive WhatsApp's own bookkeeping (protocol, e2e_notification, notification_template, gp2) as messages", async () => {
    const h = await startBot();
    for (const [index, type] of ["protocol", "e2e_notification", "notification_template", "gp2", "ciphertext", "call_log"].entries()) {
      await h.receive(message({ author: UNO, type, body: "", timestamp: at(index + 1) }));
    }
    expect(h.messages()).toEqual([]);
    await h.receive(message({ author: UNO, body: "জি স্যার", timestamp: at(10) }));
    expect(h.messages()).toHaveLength(1);
    await h.stop();
  });
});

describe("files", () => {
  it("stores a photo of a signed order by its sha256 and records it against the message", async () => {
    const h = await startBot();
    const bytes = Buffer.from("\xff\xd8\xff\xe0 a scanned office order, signed and sealed", "latin1");
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const photo = message({
      author: DC,
      type: "image",
      hasMedia: true,
      body: "স্বাক্ষরিত আদেশের কপি",
      timestamp: at(1),
      mimetype: "image/jpeg",
      size: bytes.length,
      download: { data: bytes, mimetype: "image/jpeg", filename: null },
    });
    await h.receive(photo);

    const row = h.messageRow(photo.id._serialized)!;
    expect(row).toMatchObject({ type: "image", body: "স্বাক্ষরিত আদেশের কপি", media_mimetype: "image/jpeg", media_size: bytes.length });
    const media = h.events("media");
    expect(media).toHaveLength(1);
    expect(media[0]!.message_id).toBe(row.id);
    expect(JSON.parse(media[0]!.data)).toMatchObject({ sha256, size: bytes.length, mimetype: "image/jpeg" });
    expect(h.media.has(sha256)).toBe(true);
    expect(readFileSync(h.media.pathOf(sha256)).equals(bytes)).toBe(true);
    expect(showMessage(h.archive, row.id).media).toMatchObject({ sha256 });
    expect(photo.downloads).toBe(1);
    await h.stop();
  });

  it("archives a voice note whose file WhatsApp will not give, tries three times, then records the failure", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const h = await startBot();
    const voice = message({ author: UNO, type: "ptt", hasMedia: true, timestamp: at(1), mimetype: "audio/ogg; codecs=opus", download: new Error("Evaluation failed: media not found") });
    h.client.receive(voice);
    await until(() => h.messages().length === 1 && voice.downloads === 1, "the voice note archived and its file asked for once");
    expect(h.messageRow(voice.id._serialized)).toMatchObject({ type: "voice", media_mimetype: "audio/ogg; codecs=opus", media_sha256: null });

    // Waiting for the file blocks nothing: the next message is archived at once.
    h.client.receive(message({ author: UNO, body: "ভয়েস নোট দেখুন স্যার", timestamp: at(2) }));
    await until(() => h.messages().length === 2, "the next message archived");
    expect(h.events("media-failed")).toEqual([]);

    // The bot waits 4 s, then 8 s, between attempts.
    await vi.advanceTimersByTimeAsync(3_999);
    expect(voice.downloads).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => voice.downloads === 2, "the second attempt");
    await vi.advanceTimersByTimeAsync(7_999);
    expect(voice.downloads).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => voice.downloads === 3, "the third attempt");
    await h.bot.settled();

    expect(voice.downloads).toBe(3);
    const failed = h.events("media-failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.message_id).toBe(h.messageRow(voice.id._serialized)!.id);
    expect(JSON.parse(failed[0]!.data)).toEqual({ reason: "Evaluation failed: media not found", attempts: 3 });
    expect(h.events("media")).toEqual([]);
    const warnings = h.logLines().filter((line) => line.msg === "media download failed");
    expect(warnings.map((line) => line.attempt)).toEqual([1, 2, 3]);
    await h.stop();
  });
});

describe("who is in the group", () => {
  it("records an admin adding an officer, an officer leaving, and an officer made admin", async () => {
    const h = await startBot();
    await h.emit("group_join", groupNotification({ type: "add", author: DC, recipientIds: [AC_LAND], timestamp: at(1) }));
    await h.emit("group_leave", groupNotification({ type: "leave", author: AC_LAND, recipientIds: [AC_LAND], timestamp: at(2) }));
    // The promoted officer is named by the hidden id WhatsApp now uses in groups.
    await h.emit("group_admin_changed", groupNotification({ type: "promote", author: DC, recipientIds: [UNO_LID], timestamp: at(3) }));

    const dc = h.personId(DC)!;
    const acLand = h.personId(AC_LAND)!;
    const uno = h.personId(UNO)!;
    const changes = h
      .events("system")
      .map((event) => ({ actor: event.actor_id, at: event.at, data: JSON.parse(event.data) as Record<string, unknown> }))
      .filter((event) => event.data.action !== "participants");
    expect(changes).toEqual([
      { actor: dc, at: at(1) * 1000, data: { action: "joined", people: [acLand], joined: [acLand] } },
      { actor: acLand, at: at(2) * 1000, data: { action: "left", people: [acLand], left: [acLand] } },
      { actor: dc, at: at(3) * 1000, data: { action: "promoted", people: [uno], admins: [uno] } },
    ]);
    // Delivered again (a reconnect replays notifications): nothing new.
    const replayed = groupNotification({ type: "promote", author: DC, recipientIds: [UNO_LID], timestamp: at(3), id: "PROMOTE1" });
    await h.emit("group_admin_changed", replayed);
    await h.emit("group_admin_changed", replayed);
    expect(h.events("system")).toHaveLength(5);
    await h.stop();
  });

  it("lets an officer who was just made admin ask what is pending", async () => {
    const h = await startBot();
    await h.emit("group_admin_changed", groupNotification({ type: "promote", author: DC, recipientIds: [AC_LAND], timestamp: at(1) }));
    const ask = message({ author: AC_LAND, body: "!বাকি", timestamp: at(2) });
    await h.receive(ask);
    await until(() => h.phone.sent.length === 1, "the reply");
    expect(h.phone.sent[0]).toMatchObject({ chatId: GROUP, options: { sendSeen: false, quotedMessageId: ask.id._serialized } });
    await h.stop();
  });

  it("follows a renamed group under its new name", async () => {
    const h = await startBot();
    await h.emit("group_update", groupNotification({ type: "subject", author: DC, body: "ইউএনও অফিস সখীপুর (দাপ্তরিক)", timestamp: at(1) }));
    await h.receive(message({ author: UNO, body: "নতুন নাম দেখলাম", timestamp: at(2) }));
    expect(h.archive.all(h.archive.db.selectFrom("chats").select(["whatsapp_id", "name"]))).toEqual([{ whatsapp_id: GROUP, name: "ইউএনও অফিস সখীপুর (দাপ্তরিক)" }]);
    const subject = h.events("system").find((event) => (JSON.parse(event.data) as { action: string }).action === "subject");
    expect(subject?.body).toBe("ইউএনও অফিস সখীপুর (দাপ্তরিক)");
    await h.stop();
  });
});

describe("connecting", () => {
  it("waits and tries again when WhatsApp Web cannot be reached, and connects once it can", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const offline = (): { kind: "reject"; error: Error } => ({ kind: "reject", error: new Error(`${UNREACHABLE}\n    at navigate (/app/node_modules/puppeteer-core/lib/cjs/Frame.js:236:23)`) });
    const h = await startBot({ startups: [offline(), offline(), { kind: "ready" }], random: () => 1, waitForReady: false });

    await until(() => h.logLines().some((line) => line.msg.startsWith("WhatsApp Web unreachable")), "the first warning");
    const first = h.logLines().filter((line) => line.msg.startsWith("WhatsApp Web unreachable"));
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ level: 40, msg: `WhatsApp Web unreachable: ${UNREACHABLE}; retrying in 5s` });
    expect(h.clients).toHaveLength(1);
    expect(h.clients[0]!.destroyed).toBe(true);
    expect(h.bot.connected).toBe(false);

    // Nothing happens before the wait is over.
    await vi.advanceTimersByTimeAsync(4_999);
    expect(h.clients).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => h.clients.length === 2 && h.logLines().filter((line) => line.msg.startsWith("WhatsApp Web unreachable")).length === 2, "the second attempt");
    expect(h.logLines().filter((line) => line.msg.startsWith("WhatsApp Web unreachable")).at(-1)).toMatchObject({
      level: 40,
      msg: `WhatsApp Web unreachable: ${UNREACHABLE}; retrying in 10s`,
    });

    // The network is back.
    await vi.advanceTimersByTimeAsync(10_000);
    await h.ready();
    expect(h.clients).toHaveLength(3);
    expect(h.bot.connected).toBe(true);
    await h.receive(message({ author: UNO, body: "নেটওয়ার্ক ফিরে এসেছে", timestamp: at(1) }));
    expect(h.messages()).toHaveLength(1);

    // The bot never gave up or threw.
    let ended = false;
    void h.running.then(() => (ended = true));
    await flush();
    expect(ended).toBe(false);
    await h.stop();
    expect(ended).toBe(true);
  });

  it("asks for the device to be linked again when WhatsApp refuses the session, without leaving the QR in the log", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const h = await startBot({ startups: [{ kind: "auth_failure", message: "session expired" }, { kind: "qr", qr: "2@QRCODE-SECRET,abc" }], random: () => 1, waitForReady: false });
    await until(() => h.logLines().some((line) => line.level === 50), "the error");
    expect(h.logLines().find((line) => line.level === 50)?.msg).toBe(
      "WhatsApp needs the device linked again (authentication failed: session expired); run nirdesh start on a terminal and scan the QR code; retrying in 5s",
    );
    await vi.advanceTimersByTimeAsync(5_000);
    await until(() => h.qrs.length === 1, "the QR code");
    expect(h.qrs).toEqual(["2@QRCODE-SECRET,abc"]);
    // A person is scanning: WhatsApp Web is not called unreachable however long that takes.
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(h.clients).toHaveLength(2);
    expect(h.lines().some((line) => line.includes("QRCODE-SECRET"))).toBe(false);
    // They scanned it.
    h.client.emit("ready");
    await h.ready();
    expect(h.bot.connected).toBe(true);
    await h.stop();
  });

  it("calls WhatsApp Web unreachable when it never opens, and tries again", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const h = await startBot({ startups: [{ kind: "silent" }, { kind: "ready" }], random: () => 1, waitForReady: false, readyTimeoutMs: 60_000 });
    await flush();
    await vi.advanceTimersByTimeAsync(60_000);
    await until(() => h.logLines().some((line) => line.msg.startsWith("WhatsApp Web unreachable")), "the warning");
    expect(h.logLines().find((line) => line.msg.startsWith("WhatsApp Web unreachable"))?.msg).toBe("WhatsApp Web unreachable: WhatsApp Web did not open in time; retrying in 5s");
    await vi.advanceTimersByTimeAsync(5_000);
    await h.ready();
    expect(h.clients).toHaveLength(2);
    await h.stop();
  });

  it("after a dropped connection, archives once what was said while away and nothing twice", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const h = await startBot({
      waitForReady: false,
      random: () => 1,
      phone: (now) => {
        // What the group said before the bot was ever started.
        const phone = officePhone(now);
        phone.store(message({ author: DC, body: "সভার নোটিশ সংযুক্ত", timestamp: at(1) }));
        phone.store(message({ author: UNO, body: "জি স্যার, উপস্থিত থাকব", timestamp: at(2) }));
        return phone;
      },
    });
    await h.ready();
    expect(h.messages().map((row) => row.body)).toEqual(["সভার নোটিশ সংযুক্ত", "জি স্যার, উপস্থিত থাকব"]);

    await h.receive(message({ author: AC_LAND, body: "আমিও থাকব", timestamp: at(3) }));
    expect(h.messages()).toHaveLength(3);

    // The connection drops; while the bot is away the group goes on.
    const lostClient = h.client;
    lostClient.emit("disconnected", "NAVIGATION");
    await until(() => h.logLines().some((line) => line.msg === "WhatsApp connection lost"), "the bot to notice");
    expect(h.bot.connected).toBe(false);
    const away = [
      message({ author: DC, body: "সভা বিকেল ৩টায় স্থানান্তর করা হলো", timestamp: at(10) }),
      message({ author: UNO, body: "জি স্যার", timestamp: at(11) }),
      message({ author: DC, body: "!বাকি", timestamp: at(12) }),
    ];
    for (const missed of away) h.phone.store(missed);
    // Heard by the old client after it was let go: not the bot's to archive from there.
    lostClient.emit("message_create", away[0]);

    await vi.advanceTimersByTimeAsync(5_000);
    await until(() => h.clients.length === 2, "the reconnect");
    await h.ready();
    await h.bot.settled();

    const bodies = h.messages().map((row) => row.body);
    expect(bodies).toEqual(["সভার নোটিশ সংযুক্ত", "জি স্যার, উপস্থিত থাকব", "আমিও থাকব", "সভা বিকেল ৩টায় স্থানান্তর করা হলো", "জি স্যার", "!বাকি"]);
    expect(new Set(h.messages().map((row) => row.whatsapp_id)).size).toBe(6);
    // A command asked while the bot was away is not answered late.
    await flush();
    expect(h.phone.sent).toEqual([]);

    // The same messages delivered live after the catch-up change nothing, and the command is still not answered.
    for (const missed of away) await h.receive(missed);
    expect(h.messages()).toHaveLength(6);
    await flush();
    expect(h.phone.sent).toEqual([]);
    await h.stop();
  });

  it("on a restart with the same archive, backfills only what is new", async () => {
    const first = await startBot();
    const earlier = [message({ author: DC, body: "প্রথম নির্দেশনা: তালিকা পাঠান", timestamp: at(1) }), message({ author: UNO, body: "পাঠানো হয়েছে", timestamp: at(2) })];
    for (const said of earlier) await first.receive(said);
    await first.stop();

    const second = await startBot({
      store: first.store,
      phone: (now) => {
        const phone = officePhone(now);
        for (const said of earlier) phone.store(said);
        phone.store(message({ author: AC_LAND, body: "আমারটাও পাঠিয়েছি", timestamp: at(30) }));
        return phone;
      },
    });
    expect(second.messages().map((row) => row.body)).toEqual(["প্রথম নির্দেশনা: তালিকা পাঠান", "পাঠানো হয়েছে", "আমারটাও পাঠিয়েছি"]);
    expect(second.phone.calls.fetchMessages).toBeGreaterThan(0);
    await second.stop();
  });

  // BUG (src/bot/create-bot.ts, catchUp()): handle() starts fetchMedia() for each backfilled message without
  // waiting for it; catchUp then awaits only `work` and asks mediaStillToFetch(), which still lists those
  // messages (no media / media-failed event yet), so transport.message(id) + fetchMedia() run a second
  // download of the same file. With a file that fails, that is six attempts, and (with a moving clock) two
  // media-failed events.
  it("fetches a backfilled photo's file once", async () => {
    const bytes = Buffer.from("a photo of the notice board");
    let photo: ReturnType<typeof message> | undefined;
    const h = await startBot({
      phone: (now) => {
        const phone = officePhone(now);
        photo = message({ author: DC, type: "image", hasMedia: true, body: "নোটিশ বোর্ডের ছবি", timestamp: at(1), mimetype: "image/jpeg", download: { data: bytes, mimetype: "image/jpeg" } });
        phone.store(photo);
        return phone;
      },
    });
    await h.bot.settled();
    expect(h.events("media")).toHaveLength(1);
    expect(photo!.downloads).toBe(1);
    await h.stop();
  });
});

describe("speaking in the group", () => {
  it("answers the DC's !বাকি in the group, quoting it, without marking the chat read", async () => {
    const h = await startBot();
    const ask = message({ author: DC, body: "!বাকি", timestamp: at(1) });
    await h.receive(ask);
    await until(() => h.phone.sent.length === 1, "the reply");
    await flush();
    await h.bot.settled();

    const [sent] = h.phone.sent;
    expect(sent).toMatchObject({ chatId: GROUP, content: TEXT.noPending, options: { sendSeen: false, quotedMessageId: ask.id._serialized } });
    expect(sent!.options?.sendMediaAsDocument).toBeUndefined();
    // The reply comes back through message_create, as the bot's own message, and is archived as such.
    const reply = h.messageRow(sent!.id)!;
    expect(reply).toMatchObject({ body: TEXT.noPending, sender_whatsapp_id: ME, quoted_whatsapp_id: ask.id._serialized });
    // The request is audited.
    expect(h.events("audit").map((event) => JSON.parse(event.data) as Record<string, unknown>)).toMatchObject([{ action: "pending", allowed: true }]);
    await h.stop();
  });

  it("stays silent when an officer who is neither superior nor admin asks in the group", async () => {
    const h = await startBot();
    await h.receive(message({ author: AC_LAND, body: "!বাকি", timestamp: at(1) }));
    await flush();
    expect(h.phone.sent).toEqual([]);
    expect(h.events("audit").map((event) => JSON.parse(event.data) as Record<string, unknown>)).toMatchObject([{ action: "pending", allowed: false }]);
    await h.stop();
  });

  it("gives a stranger's direct request nothing, keeps nothing of them but the audit entry, and stops hearing a flood", async () => {
    const h = await startBot();
    const peopleBefore = h.archive.all(h.archive.db.selectFrom("people").select("id")).length;
    for (let n = 1; n <= 8; n++) await h.receive(message({ chat: STRANGER, author: STRANGER, body: "!খুঁজুন বন্যা", timestamp: at(n) }));
    await flush();
    await h.bot.settled();
    expect(h.phone.sent).toEqual([]);
    // The direct chat is not archived: no message, no chat of its own, no person.
    expect(h.messages()).toEqual([]);
    expect(h.archive.all(h.archive.db.selectFrom("chats").select("whatsapp_id").where("whatsapp_id", "=", STRANGER))).toEqual([]);
    expect(h.archive.all(h.archive.db.selectFrom("people").select("id"))).toHaveLength(peopleBefore);
    // Each request is audited, five an hour: a flood fills neither the chain nor the day's send cap.
    const audits = h.events("audit");
    expect(audits).toHaveLength(5);
    expect(audits[0]).toMatchObject({ message_id: null, actor_id: null, actor_phone: null });
    expect(JSON.parse(audits[0]!.data)).toMatchObject({ action: "search", allowed: false, rows: 0 });
    await h.stop();
  });

  // BUG (src/bot/create-bot.ts, handle(), the line `if (!event.fromMe && !fromBackfill) await command(event, true);`):
  // the command is answered whether or not archiveLiveEvent added the message (outcome.added). So a command
  // WhatsApp delivers twice through message_create is answered and audited twice, and a command first seen
  // in a catch-up (deliberately not answered late) is answered late when message_create brings it again.
  it("answers a command WhatsApp delivers twice only once, and not late after a catch-up", async () => {
    const h = await startBot();
    const ask = message({ author: DC, body: "!বাকি", timestamp: at(1) });
    h.client.emit("message_create", ask);
    h.client.emit("message_create", ask);
    await flush();
    await h.bot.settled();
    await until(() => h.phone.sent.length >= 1, "the reply");
    await flush(50);
    await h.bot.settled();
    expect(h.messages().filter((row) => row.whatsapp_id === ask.id._serialized)).toHaveLength(1);
    expect({ answers: h.phone.sent.length, audits: h.events("audit").length }).toEqual({ answers: 1, audits: 1 });
    await h.stop();

    // The bot restarts; a !বাকি asked while it was down is found by the catch-up, then delivered live.
    const late = message({ author: DC, body: "!বাকি", timestamp: at(20) });
    const again = await startBot({
      store: h.store,
      phone: (now) => {
        const phone = officePhone(now);
        phone.store(late);
        return phone;
      },
    });
    expect(again.messageRow(late.id._serialized)).toBeDefined();
    expect(again.phone.sent).toEqual([]);
    await again.receive(late);
    await flush(50);
    expect(again.phone.sent).toEqual([]);
    await again.stop();
  });
});

describe("what the log says", () => {
  it("never logs a message's words or anyone's phone number, whatever happens", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const h = await startBot({ random: () => 1 });
    const directive = message({ author: DC, body: "গোপনীয়: ০১৭১১০০০০১৩ নম্বরে যোগাযোগ করে প্রতিবেদন দিন", timestamp: at(1), notifyName: "DC" });
    await h.receive(directive);
    await h.receive(message({ author: UNO_LID, body: "জি স্যার, 01711000013 নম্বরে ফোন দিয়েছি", timestamp: at(2), quoted: directive, mentionedIds: [DC] }));
    await h.emit("message_edit", message({ author: DC, id: directive.id.id, body: "সংশোধিত: প্রতিবেদন দিন", timestamp: at(1), latestEditSenderTimestampMs: at(3) * 1000 }), "সংশোধিত: প্রতিবেদন দিন", directive.body);
    await h.emit("message_reaction", reaction({ to: directive, sender: UNO_LID, emoji: "👍", timestamp: at(4) }));
    await h.emit("message_revoke_everyone", revokedCopy(directive, at(5)), undefined);
    await h.emit("group_join", groupNotification({ type: "add", author: DC, recipientIds: [STRANGER], timestamp: at(6) }));
    await h.receive(message({ chat: STRANGER, author: STRANGER, body: "ব্যক্তিগত বার্তা 8801911000099", timestamp: at(7) }));
    const voice = message({ author: UNO, type: "ptt", hasMedia: true, timestamp: at(8), download: new Error("media for 8801711000013 gone") });
    h.client.receive(voice);
    h.client.receive(message({ author: DC, body: "!বাকি", timestamp: at(9) }));
    await until(() => h.phone.sent.length === 1 && voice.downloads === 1, "the reply and the first download");
    await vi.advanceTimersByTimeAsync(20_000);
    await until(() => voice.downloads === 3, "three downloads");
    await h.bot.settled();
    h.client.emit("disconnected", "NAVIGATION");
    await until(() => !h.bot.connected, "the drop");
    await vi.advanceTimersByTimeAsync(5_000);
    await h.ready();
    await h.stop();

    const lines = allLogLines.slice();
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.some((line) => line.includes('"msg":"archived"'))).toBe(true);
    expect(leaks(lines)).toEqual([]);
    // The Bangla form of a number is as telling as the Latin one.
    expect(lines.filter((line) => line.includes("০১৭১১০০০০১৩"))).toEqual([]);
  });
});

describe("the transport on its own", () => {
  it("rejects with TransportUnreachable carrying only the first line of the browser's error", async () => {
    const phone = new FakePhone();
    const { log } = memoryLogger();
    const transport = createWhatsAppTransport({
      newClient: () => new FakeClient(phone, { kind: "reject", error: new Error(`${UNREACHABLE}\n    at Frame.goto`) }),
      newMedia: () => {
        throw new Error("not used");
      },
      onQr: () => undefined,
      onPairingCode: () => undefined,
      log,
    });
    const error = await transport.connect({ event: () => undefined, lost: () => undefined }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransportUnreachable);
    expect((error as Error).message).toBe(UNREACHABLE);
    await transport.disconnect();
    await expect(transport.groups()).rejects.toBeInstanceOf(TransportUnreachable);
  });

  it("sends a file as a document with the words as its caption", async () => {
    const phone = new FakePhone();
    phone.echoSent = false;
    const { log } = memoryLogger();
    const transport = createWhatsAppTransport({
      newClient: () => new FakeClient(phone),
      newMedia: (document) => ({ mimetype: document.mimetype, data: document.data.toString("base64"), filename: document.fileName }) as never,
      onQr: () => undefined,
      onPairingCode: () => undefined,
      log,
    });
    await transport.connect({ event: () => undefined, lost: () => undefined });
    expect(transport.me()).toBe(ME);
    const id = await transport.send({ chatId: STRANGER, text: "১২টি বার্তা", quotedId: "false_x_y", document: { fileName: "nirdesh.csv", mimetype: "text/csv", data: Buffer.from("a,b\n") } });
    expect(id).toBe(phone.sent[0]!.id);
    expect(phone.sent[0]).toMatchObject({
      chatId: STRANGER,
      content: { mimetype: "text/csv", data: Buffer.from("a,b\n").toString("base64"), filename: "nirdesh.csv" },
      options: { sendSeen: false, quotedMessageId: "false_x_y", sendMediaAsDocument: true, caption: "১২টি বার্তা" },
    });
    await transport.disconnect();
    expect(transport.me()).toBeNull();
  });

  it("reads a reaction's time whether the library gives seconds (with a fraction) or milliseconds", async () => {
    const phone = new FakePhone();
    phone.addChat({ id: GROUP, name: GROUP_NAME, isGroup: true });
    const reader = createLiveEventReader(new FakeClient(phone));
    const target = message({ author: DC, body: "x", timestamp: at(1) });
    const inSeconds = await reader.reaction(reaction({ to: target, sender: UNO, emoji: "👍", timestamp: 1729576920.123 }));
    const inMs = await reader.reaction(reaction({ to: target, sender: UNO, emoji: "👍", timestamp: 1729576920123 }));
    expect(inMs?.at).toBe(1729576920123);
    expect(Number.isInteger(inSeconds?.at)).toBe(true);
    expect(inSeconds?.at).toBe(1729576920123);
  });
});

describe("stopping and noticing a dead browser", () => {
  it("stops at once while it waits for someone to scan the QR code", async () => {
    const h = await startBot({ startups: [{ kind: "qr", qr: "2@secret-qr" }], waitForReady: false });
    await until(() => h.qrs.length === 1, "the QR code");
    const stopped = h.bot.stop().then(() => "stopped");
    const outcome = await Promise.race([stopped, new Promise((resolve) => setTimeout(() => resolve("still waiting"), 2_000))]);
    expect(outcome).toBe("stopped");
    expect(h.clients.every((client) => client.destroyed)).toBe(true);
  });

  it("drops the connection (to reconnect) when WhatsApp Web stops answering, though whatsapp-web.js says nothing", async () => {
    const h = await startBot({ healthCheckMs: 20 });
    h.client.answers = false;
    const lost = () => h.logLines().some((line) => line.msg === "WhatsApp connection lost" && line.reason === "WhatsApp Web stopped answering");
    for (let waited = 0; waited < 3_000 && !lost(); waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lost()).toBe(true);
    expect(h.bot.connected).toBe(false);
    await h.stop();
  });
});
