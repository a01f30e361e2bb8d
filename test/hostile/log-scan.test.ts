import { describe, expect, it, vi } from "vitest";
import { importChatExport } from "../../src/chat-export/import-chat-export.js";
import { readRosterFile } from "../../src/cli/roster.js";
import { applyRoster } from "../../src/store/people.js";
import { messagesFor } from "../../src/text.js";
import { promptToLink } from "../../src/whatsapp/prompt-to-link.js";
import { createWhatsAppTransport } from "../../src/whatsapp/whatsapp-transport.js";
import { BASAIL, DC, liveOffice, NEZARAT, OTHER_GROUP, SAKHIPUR } from "../bot/live-office.js";
import { FakeClient, FakePhone } from "../whatsapp/fake-client.js";
import { memoryLogger, testArchive } from "../support.js";
import { findLeaks, sampleSecrets } from "./find-leaks.js";

const QR = "2@Y2hhdmUtc2VjcmV0LXFyLWRhdGE=,b64pubkey/AbCdEf==,Zm9vYmFy,1";
const PAIRING_CODE = "ZK4Q-7WMN";

describe("the info-level log gives away no words, numbers or linking codes", () => {
  it("an office's day in one process: roster, the sample chat imported, and the live bot hearing, answering and reconnecting", async () => {
    const logger = memoryLogger("info");
    const store = await testArchive();
    applyRoster(store.archive, readRosterFile("data/roster.csv").entries, Date.now());
    await importChatExport(store.archive, store.media, "data/sample-chat.txt", { timeZone: "Asia/Dhaka", chatName: "ডিসি অফিস টাঙ্গাইল" }, Date.now, logger.log);

    const office = await liveOffice({ archive: store, logger });
    const live = [
      "সকল ইউএনও আগামীকাল বিকাল ৩টার মধ্যে বন্যা আশ্রয়কেন্দ্রের তালিকা পাঠাবেন।",
      "জি স্যার, তালিকার জন্য ০১৭১১-০০০০১৩ নম্বরে যোগাযোগ করুন",
      "গোপনীয় বরাদ্দ: +880 1711-000014 নম্বরের অফিসার জানেন",
    ];
    const directive = office.message(DC, live[0]!);
    office.transport.deliver(directive);
    office.transport.deliver(office.message(SAKHIPUR, live[1]!, { quotedId: directive.id }));
    const secret = office.message(BASAIL, live[2]!);
    office.transport.deliver(secret);
    office.transport.deliver({ kind: "reaction", chat: directive.chat, messageId: directive.id, sender: BASAIL, at: office.now(), emoji: "👍" });
    office.transport.deliver({ kind: "edit", chat: secret.chat, messageId: secret.id, sender: BASAIL, at: office.now(), body: "সংশোধিত বরাদ্দের তালিকা ০১৯১১০০০০৯৯" });
    office.transport.deliver({ kind: "deletion", chat: secret.chat, messageId: secret.id, sender: BASAIL, at: office.now() });
    office.transport.deliver(
      office.message(SAKHIPUR, "বন্যার ছবি", {
        type: "image",
        media: { mimetype: "image/jpeg", fileName: "IMG-01711000013-বন্যা.jpg", size: 4, download: async () => ({ data: Buffer.from([1, 2, 3, 4]), mimetype: "image/jpeg", fileName: "IMG-01711000013-বন্যা.jpg" }) },
      }),
    );
    office.transport.deliver(office.message(SAKHIPUR, "পারিবারিক আড্ডার গোপন কথা", { chat: OTHER_GROUP }));
    office.transport.deliver(office.message(NEZARAT, "!খুঁজুন আশ্রয়কেন্দ্রের", { chat: { whatsappId: NEZARAT.whatsappId, name: NEZARAT.name, isGroup: false } }));
    office.transport.deliver(office.message(SAKHIPUR, "!search বরাদ্দ", { chat: { whatsappId: SAKHIPUR.whatsappId, name: SAKHIPUR.name, isGroup: false } }));
    office.transport.deliver(office.message(DC, "!বাকি"));
    await office.settle();
    office.transport.drop();
    office.transport.deliver(office.message(BASAIL, "সংযোগ নেই তখনকার বার্তা: ত্রাণের হিসাব"));
    await vi.advanceTimersByTimeAsync(10_000);
    await office.settle();
    await office.stop();

    const lines = logger.lines();
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    // The log did see all of it: imports, archiving, files, commands, the drop and the catch-up.
    for (const seen of ["chat export imported", "archived", "media stored", "in-chat command", "WhatsApp connection lost", "caught up"]) expect(messages).toContain(seen);
    const secrets = sampleSecrets();
    secrets.bodies.push(...live, "সংশোধিত বরাদ্দের তালিকা", "বন্যার ছবি", "IMG-01711000013-বন্যা.jpg", "পারিবারিক আড্ডার গোপন কথা", "আশ্রয়কেন্দ্রের", "সংযোগ নেই তখনকার বার্তা: ত্রাণের হিসাব");
    secrets.phones.push(...[DC, SAKHIPUR, BASAIL, NEZARAT].map((person) => person.phone!), "+8801911000099");
    expect(findLeaks(lines, secrets)).toEqual([]);
    // And the scan itself finds a leak when there is one.
    expect(findLeaks(['{"level":30,"msg":"from ০১৭১১-০০০০১৩"}', `{"level":30,"body":"${live[0]!.slice(5, 25)}"}`], secrets)).toHaveLength(2);
  });

  it("a QR or pairing code is drawn on a terminal, and a service's log only says to link the device", () => {
    const text = messagesFor("en");
    const logger = memoryLogger("trace");
    const screen: string[] = [];
    const terminal = promptToLink(text, logger.log, { isTTY: true, write: (words) => screen.push(words) });
    terminal.onQr(QR);
    terminal.onPairingCode(PAIRING_CODE);
    expect(screen.join("")).toContain(text.scanQr);
    expect(screen.join("")).toContain(PAIRING_CODE);
    expect(screen.join("")).toMatch(/[▀▄█]/);
    expect(logger.lines()).toEqual([]);

    const journal: string[] = [];
    const service = promptToLink(text, logger.log, { isTTY: false, write: (words) => journal.push(words) });
    service.onQr(QR);
    service.onQr(`${QR}-next`);
    service.onPairingCode(PAIRING_CODE);
    expect(journal).toEqual([]);
    expect(logger.lines()).toHaveLength(1);
    expect(JSON.parse(logger.lines()[0]!)).toMatchObject({ level: 50, msg: expect.stringContaining("nirdesh groups") });
    expect(findLeaks(logger.lines(), { bodies: [], phones: [], codes: [QR.slice(0, 12), PAIRING_CODE] })).toEqual([]);
  });

  it("WhatsApp's QR event goes from the client to the person, never through the transport's log", async () => {
    const logger = memoryLogger("trace");
    const phone = new FakePhone();
    const transport = createWhatsAppTransport({
      newClient: () => new FakeClient(phone, { kind: "qr", qr: QR }),
      newMedia: () => {
        throw new Error("not used");
      },
      ...promptToLink(messagesFor("bn"), logger.log, { isTTY: false, write: () => undefined }),
      log: logger.log.child({ part: "whatsapp" }),
    });
    const connecting = transport.connect({ event: () => undefined, lost: () => undefined }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await transport.disconnect();
    await connecting;
    expect(logger.lines().some((line) => line.includes("needs this device linked"))).toBe(true);
    expect(findLeaks(logger.lines(), { bodies: [], phones: [], codes: [QR.slice(0, 12), QR.slice(-20)] })).toEqual([]);
  });
});
