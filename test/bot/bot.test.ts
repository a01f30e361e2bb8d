import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { importChatExport } from "../../src/chat-export/import-chat-export.js";
import { directiveViews } from "../../src/store/directive-views.js";
import type { Archive } from "../../src/store/open-archive.js";
import { showMessage } from "../../src/store/show-message.js";
import { verifyChain } from "../../src/store/verify-chain.js";
import { memoryLogger, testArchive } from "../support.js";
import { BASAIL, DC, liveOffice, OFFICE, OTHER_GROUP, SAKHIPUR, ZONE } from "./live-office.js";

afterEach(() => {
  vi.useRealTimers();
});

const MINUTE = 60_000;

describe("the live bot archives the watched group", () => {
  it("archives the DC's directive and the UNOs' answers, and tracks who still owes an acknowledgement", async () => {
    const office = await liveOffice();
    const directive = office.message(DC, "সকল ইউএনও আগামীকালের মধ্যে বন্যা পরিস্থিতির প্রতিবেদন পাঠাবেন।");
    office.transport.deliver(directive);
    vi.advanceTimersByTime(MINUTE);
    office.transport.deliver(office.message(SAKHIPUR, "জি স্যার", { quotedId: directive.id }));
    await office.settle();

    expect(office.rows().map((row) => row.body)).toEqual([directive.body, "জি স্যার"]);
    expect(office.rows()[1]!.quoted_whatsapp_id).toBe(directive.id);
    const [tracked] = directiveViews(office.archive, { pendingOnly: true });
    expect(tracked?.acknowledged.map((person) => person.name)).toEqual([SAKHIPUR.name]);
    expect(tracked?.pending.map((person) => person.name)).toEqual([BASAIL.name]);
    expect(verifyChain(office.archive).intact).toBe(true);
    await office.stop();
  });

  it("counts a 👍 reaction as the UNO's acknowledgement", async () => {
    const office = await liveOffice();
    const directive = office.message(DC, "সকল ইউএনও আজ বিকাল ৩টার মধ্যে ত্রাণ বিতরণের তথ্য পাঠাবেন।");
    office.transport.deliver(directive);
    office.transport.deliver({ kind: "reaction", chat: OFFICE, messageId: directive.id, sender: BASAIL, at: office.now() + MINUTE, emoji: "👍" });
    office.transport.deliver({ kind: "reaction", chat: OFFICE, messageId: directive.id, sender: BASAIL, at: office.now() + MINUTE, emoji: "👍" });
    await office.settle();

    expect(office.events("reaction")).toHaveLength(1);
    const [tracked] = directiveViews(office.archive, {});
    expect(tracked?.acknowledged.map((person) => [person.name, person.how])).toEqual([[BASAIL.name, "reaction"]]);
    await office.stop();
  });

  it("keeps the original words of an edited and then deleted message, with the edit and the deletion as events", async () => {
    const office = await liveOffice();
    const original = office.message(DC, "সভা সকাল ১০টায়।");
    office.transport.deliver(original);
    office.transport.deliver({ kind: "edit", chat: OFFICE, messageId: original.id, sender: DC, at: office.now() + MINUTE, body: "সভা সকাল ১১টায়।" });
    office.transport.deliver({ kind: "deletion", chat: OFFICE, messageId: original.id, sender: null, at: office.now() + 2 * MINUTE });
    await office.settle();

    expect(office.rows()).toHaveLength(1);
    expect(office.rows()[0]!.body).toBe("সভা সকাল ১০টায়।");
    const shown = showMessage(office.archive, office.rows()[0]!.id);
    expect(shown.edited).toBe(true);
    expect(shown.deleted).toBe(true);
    expect(shown.editedBody).toBe("সভা সকাল ১১টায়।");
    await office.stop();
  });

  it("archives nothing from a group it does not watch, nor from direct messages", async () => {
    const office = await liveOffice();
    office.transport.deliver(office.message(SAKHIPUR, "ভাই, আজ খেলা দেখবেন?", { chat: OTHER_GROUP }));
    office.transport.deliver(office.message(SAKHIPUR, "স্যার, একটু কথা ছিল", { chat: { whatsappId: SAKHIPUR.whatsappId, name: SAKHIPUR.name, isGroup: false } }));
    await office.settle();

    expect(office.rows()).toHaveLength(0);
    const chats = office.archive.all(office.archive.db.selectFrom("chats").select("name"));
    expect(chats.map((chat) => chat.name)).toEqual([OFFICE.name]);
    await office.stop();
  });

  it("records who is in the group and who is admin once, and again only when it changes", async () => {
    const office = await liveOffice({ roster: false });
    await office.settle();
    const snapshots = () => office.events("system").filter((event) => JSON.parse(event.data).action === "participants");
    expect(snapshots()).toHaveLength(1);
    const data = JSON.parse(snapshots()[0]!.data) as { admins: number[]; members: number[] };
    expect(data.members).toHaveLength(4);
    expect(data.admins).toHaveLength(1);

    // Without a roster the admin is the superior and the others owe acknowledgements.
    office.transport.deliver(office.message(DC, "সকল ইউএনও আগামীকালের মধ্যে প্রতিবেদন পাঠাবেন।"));
    await office.settle();
    expect(directiveViews(office.archive, {})[0]?.expected).toHaveLength(3);

    office.transport.drop();
    await vi.advanceTimersByTimeAsync(10_000);
    await office.settle();
    expect(office.transport.connects).toBe(2);
    expect(snapshots()).toHaveLength(1);
    await office.stop();
  });
});

describe("the live bot never loses a message", () => {
  it("fills the gap of a disconnect exactly once, even when WhatsApp delivers some of it again", async () => {
    const office = await liveOffice();
    office.transport.deliver(office.message(DC, "প্রথম বার্তা"));
    await office.settle();
    office.transport.drop("NAVIGATION");
    vi.advanceTimersByTime(MINUTE);
    const missed = [office.message(SAKHIPUR, "সংযোগ নেই, দ্বিতীয় বার্তা"), office.message(BASAIL, "তৃতীয় বার্তা")];
    for (const message of missed) office.transport.deliver(message);
    expect(office.rows()).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(10_000);
    await office.settle();
    // WhatsApp sometimes hands over what it already gave once the bot is back.
    office.transport.deliver(missed[0]!);
    await office.settle();

    expect(office.rows().map((row) => row.body)).toEqual(["প্রথম বার্তা", "সংযোগ নেই, দ্বিতীয় বার্তা", "তৃতীয় বার্তা"]);
    expect(office.logger.lines().some((line) => line.includes("WhatsApp connection lost"))).toBe(true);
    expect(verifyChain(office.archive).intact).toBe(true);
    await office.stop();
  });

  it("fills a long gap in every group, even when a group's new messages are archived before its turn in the catch-up", async () => {
    const office = await liveOffice({ settings: { watch: [OFFICE.whatsappId, OTHER_GROUP.whatsappId] } });
    const inOther = (body: string) => office.message(SAKHIPUR, body, { chat: OTHER_GROUP, id: `false_${OTHER_GROUP.whatsappId}_${body}_${SAKHIPUR.whatsappId}` });
    office.transport.deliver(inOther("আগের বার্তা"));
    await office.settle();
    office.transport.drop("NAVIGATION");
    // A busy afternoon while the bot is away: more than one fetch of the catch-up's first hundred.
    for (let i = 1; i <= 150; i++) {
      vi.advanceTimersByTime(1_000);
      office.transport.deliver(inOther(`অনুপস্থিতিতে ${i}`));
    }
    // While the first group is being caught up, the second one speaks: the bot hears it at once.
    const history = office.transport.history.bind(office.transport);
    let spoke = false;
    office.transport.history = async (chatId, since, limit) => {
      if (chatId === OFFICE.whatsappId && !spoke) {
        spoke = true;
        vi.advanceTimersByTime(1_000);
        office.transport.deliver(inOther("ফিরে আসার পরে"));
        await office.bot.settled();
      }
      return history(chatId, since, limit);
    };
    await vi.advanceTimersByTimeAsync(10_000);
    await office.settle();

    const other = office.rows().filter((row) => row.body.startsWith("অনুপস্থিতিতে"));
    expect(spoke).toBe(true);
    expect(other).toHaveLength(150);
    expect(office.rows().some((row) => row.body === "ফিরে আসার পরে")).toBe(true);
    await office.stop();
  });

  it("archives, after a restart, a message that arrived while the bot was down (received but never written)", async () => {
    const first = await liveOffice();
    first.transport.deliver(first.message(DC, "বার্তা ১"));
    await first.settle();
    await first.stop();
    // The phone keeps receiving while no bot runs.
    const whileDown = first.message(SAKHIPUR, "বার্তা ২");
    first.transport.deliver(whileDown);

    const restarted = await liveOffice({ archive: first, transport: first.transport, roster: false });
    await restarted.settle();
    expect(restarted.rows().map((row) => row.body)).toEqual(["বার্তা ১", "বার্তা ২"]);
    await restarted.stop();
  });

  it("catches a group up again when a write failed, instead of dropping the message", async () => {
    const office = await liveOffice();
    refuseWrites(office.archive, FAILING);
    office.transport.deliver(office.message(DC, "অস্থায়ী ত্রুটি"));
    await office.settle();
    expect(office.rows()).toHaveLength(0);
    expect(office.logger.lines().some((line) => line.includes("archiving failed"))).toBe(true);

    allowWrites(office.archive);
    await vi.advanceTimersByTimeAsync(30_000);
    await office.settle();
    expect(office.rows().map((row) => row.body)).toEqual(["অস্থায়ী ত্রুটি"]);
    await office.stop();
  });

  it("archives messages arriving together, and one refused write among them loses none of the others", async () => {
    const office = await liveOffice();
    refuseWrites(office.archive, FAILING);
    const before = office.rows().length;
    for (const body of ["প্রথম বার্তা", "অস্থায়ী ত্রুটি", "তৃতীয় বার্তা", "চতুর্থ বার্তা"]) office.transport.deliver(office.message(SAKHIPUR, body));
    await office.settle();
    expect(office.rows().slice(before).map((row) => row.body)).toEqual(["প্রথম বার্তা", "তৃতীয় বার্তা", "চতুর্থ বার্তা"]);
    expect(office.logger.lines().filter((line) => line.includes("archiving failed"))).toHaveLength(1);

    allowWrites(office.archive);
    await vi.advanceTimersByTimeAsync(30_000);
    await office.settle();
    expect(office.rows().slice(before).map((row) => row.body)).toEqual(["প্রথম বার্তা", "তৃতীয় বার্তা", "চতুর্থ বার্তা", "অস্থায়ী ত্রুটি"]);
    await office.stop();
  });

  it("brings back a message whose write failed even when the group said much more after it", async () => {
    const office = await liveOffice();
    refuseWrites(office.archive, FAILING);
    office.transport.deliver(office.message(DC, "অস্থায়ী ত্রুটি"));
    await office.settle();
    allowWrites(office.archive);
    for (let i = 1; i <= 120; i++) {
      vi.advanceTimersByTime(100);
      office.transport.deliver(office.message(SAKHIPUR, `পরের বার্তা ${i}`));
    }
    await office.settle();
    await vi.advanceTimersByTimeAsync(30_000);
    await office.settle();
    expect(office.rows().filter((row) => row.body === "অস্থায়ী ত্রুটি")).toHaveLength(1);
    expect(office.rows()).toHaveLength(121);
    await office.stop();
  });

  it("sees in the backfill an older message edited or deleted, and a reaction given, while it was away", async () => {
    const office = await liveOffice();
    const edited = office.message(DC, "সভা ১০টায়");
    const deleted = office.message(DC, "ভুল বার্তা");
    office.transport.deliver(edited);
    office.transport.deliver(deleted);
    vi.advanceTimersByTime(10 * MINUTE);
    office.transport.deliver(office.message(SAKHIPUR, "জি স্যার"));
    await office.settle();
    office.transport.drop();
    // While the bot is away: the older messages are edited and deleted, and someone reacts to one.
    office.transport.deliver({ kind: "reaction", chat: OFFICE, messageId: edited.id, sender: BASAIL, at: office.now() + MINUTE, emoji: "👍" });
    office.transport.deliver({ kind: "edit", chat: OFFICE, messageId: edited.id, sender: DC, at: office.now() + MINUTE, body: "সভা ১১টায়" });
    office.transport.deliver({ kind: "deletion", chat: OFFICE, messageId: deleted.id, sender: DC, at: office.now() + MINUTE });
    await vi.advanceTimersByTimeAsync(10_000);
    await office.settle();

    expect(office.events("edit").map((event) => event.body)).toEqual(["সভা ১১টায়"]);
    expect(office.events("delete")).toHaveLength(1);
    expect(office.events("reaction").map((event) => [event.body, event.actor_phone])).toEqual([["👍", BASAIL.phone]]);
    expect(office.rows().map((row) => row.body)).toEqual(["সভা ১০টায়", "ভুল বার্তা", "জি স্যার"]);
    await office.stop();
  });

  it("does not archive twice a message an export already brought, and applies its later edit to it", async () => {
    const { archive, media, folder } = await testArchive();
    const at = Date.UTC(2024, 9, 22, 4, 5);
    const exportPath = join(folder, "chat.txt");
    writeFileSync(exportPath, `22/10/2024, 10:05 - +880 1711-000001: সকল ইউএনও প্রতিবেদন পাঠাবেন।\n`);
    await importChatExport(archive, media, exportPath, { timeZone: ZONE, chatName: OFFICE.name }, () => at, memoryLogger().log);
    const office = await liveOffice({ archive: { archive, media }, start: at + 10 * MINUTE });
    const live = office.message(DC, "সকল ইউএনও প্রতিবেদন পাঠাবেন।", { at: at + 20_000 });
    office.transport.deliver(live);
    office.transport.deliver({ kind: "edit", chat: OFFICE, messageId: live.id, sender: DC, at: office.now(), body: "সকল ইউএনও আজই প্রতিবেদন পাঠাবেন।" });
    await office.settle();

    expect(office.rows()).toHaveLength(1);
    expect(office.rows()[0]!.source).toBe("import");
    expect(office.events("edit")[0]!.message_id).toBe(office.rows()[0]!.id);
    await office.stop();
  });
});

describe("the live bot keeps trying when WhatsApp Web cannot be reached", () => {
  it("says so in one line per attempt, waits longer each time up to five minutes, and connects when it can", async () => {
    const offline = await liveOffice({ offline: true });
    await vi.advanceTimersByTimeAsync(40 * MINUTE);
    const lines = offline.logger.lines().map((line) => JSON.parse(line) as { level: number; msg: string });
    const unreachable = lines.filter((line) => line.msg.startsWith("WhatsApp Web unreachable"));
    expect(unreachable[0]!.msg).toBe("WhatsApp Web unreachable: net::ERR_INTERNET_DISCONNECTED at https://web.whatsapp.com/; retrying in 5s");
    expect(unreachable.map((line) => Number(/retrying in (\d+)s/.exec(line.msg)![1])).slice(0, 9)).toEqual([5, 10, 20, 40, 80, 160, 300, 300, 300]);
    expect(lines.some((line) => line.level >= 50)).toBe(false);

    offline.transport.reachable = true;
    offline.transport.deliver(offline.message(DC, "আবার সংযোগ"));
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    await offline.settle();
    expect(offline.bot.connected).toBe(true);
    expect(offline.rows().map((row) => row.body)).toEqual(["আবার সংযোগ"]);
    await offline.stop();
  });

  it("recycles the browser on schedule and catches up after it", async () => {
    const office = await liveOffice({ settings: { recycleMs: 24 * 60 * MINUTE } });
    await vi.advanceTimersByTimeAsync(24 * 60 * MINUTE + 1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(office.transport.connects).toBe(2);
    expect(office.logger.lines().some((line) => line.includes("recycling the browser"))).toBe(true);
    await office.stop();
  });

  it("closes WhatsApp and finishes what it was archiving when stopped", async () => {
    const office = await liveOffice();
    office.transport.deliver(office.message(DC, "শেষ বার্তা"));
    await office.stop();
    expect(office.transport.connected).toBe(false);
    expect(office.rows().map((row) => row.body)).toEqual(["শেষ বার্তা"]);
  });
});


describe("files of live messages", () => {
  it("does not give up on a file whose download a dropped connection cut off, and fetches it after reconnecting", async () => {
    const office = await liveOffice();
    let online = true;
    let downloads = 0;
    const photo = office.message(SAKHIPUR, "ত্রাণ বিতরণের ছবি", {
      type: "image",
      media: {
        mimetype: "image/jpeg",
        fileName: null,
        size: 4,
        download: async () => {
          downloads++;
          if (!online) throw new Error("Protocol error: Target closed");
          return { data: Buffer.from([0xff, 0xd8, 0xff, 0xd9]), mimetype: "image/jpeg", fileName: null };
        },
      },
    });
    online = false;
    office.transport.deliver(photo);
    office.transport.drop();
    // Every try fails while the old connection is gone; the bot reconnects meanwhile.
    await vi.advanceTimersByTimeAsync(13_000);
    expect(office.events("media-failed")).toHaveLength(0);
    online = true;
    await vi.advanceTimersByTimeAsync(10_000);
    await office.settle();
    expect(office.events("media")).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(60_000);
    await office.settle();
    expect(office.events("media-failed")).toHaveLength(0);
    const [stored] = office.events("media");
    expect(JSON.parse(stored!.data)).toMatchObject({ mimetype: "image/jpeg", size: 4 });
    expect(office.media.has(JSON.parse(stored!.data).sha256)).toBe(true);
    expect(downloads).toBeGreaterThan(1);
    await office.stop();
  });
});

/** The words of the message whose write the archive refuses in the failed-write tests. */
const FAILING = "অস্থায়ী ত্রুটি";

/** A full disk or a locked file, for one message: the archive refuses to store a message with these words. */
function refuseWrites(archive: Archive, body: string): void {
  archive.sqlite.exec(`CREATE TEMP TRIGGER refuse BEFORE INSERT ON messages WHEN NEW.body = '${body}' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
}

function allowWrites(archive: Archive): void {
  archive.sqlite.exec("DROP TRIGGER refuse");
}
