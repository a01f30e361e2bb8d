import { createHash } from "node:crypto";
import { createWriteStream, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import yazl from "yazl";
import { describe, expect, it } from "vitest";
import { importChatExport } from "../../src/chat-export/import-chat-export.js";
import { showMessage } from "../../src/store/show-message.js";
import { UserError } from "../../src/user-error.js";
import { fakeClock, memoryLogger, testArchive } from "../support.js";

const PHOTO = Buffer.from("ছবির বাইট — a photo of the relief distribution");
const REPORT = Buffer.from("%PDF-1.4 সখীপুর ত্রাণ প্রতিবেদন");

function writeZip(path: string, files: Record<string, Buffer | string>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  return new Promise((resolve, reject) => zip.outputStream.pipe(createWriteStream(path)).on("close", resolve).on("error", reject));
}

const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("importing an iPhone export zip with media", () => {
  it("takes the group's name from the zip, and stores each attached file once by its SHA-256", async () => {
    const { archive, media, folder } = await testArchive();
    const path = join(folder, "WhatsApp Chat - ডিসি অফিস টাঙ্গাইল.zip");
    await writeZip(path, {
      "_chat.txt": [
        "[22/10/24, 9:00:00\u202fAM] ডিসি অফিস টাঙ্গাইল: \u200eMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.",
        "\u200e[22/10/24, 9:20:11\u202fAM] ফারহানা আক্তার: \u200e<attached: 00000012-PHOTO-2024-10-22-09-20-11.jpg>",
        "[22/10/24, 9:20:45\u202fAM] ফারহানা আক্তার: প্রতিবেদনের ছক উপরে দেওয়া হলো।",
        "\u200e[23/10/24, 10:20:33\u202fAM] শাহানা পারভীন: সখীপুর ত্রাণ প্রতিবেদন.pdf • \u200e4 pages \u200e<attached: 00000027-সখীপুর ত্রাণ প্রতিবেদন.pdf>",
        "\u200e[23/10/24, 10:21:00\u202fAM] শাহানা পারভীন: \u200e<attached: 00000028-PHOTO-2024-10-23-10-21-00.jpg>",
      ].join("\n"),
      "00000012-PHOTO-2024-10-22-09-20-11.jpg": PHOTO,
      "00000027-সখীপুর ত্রাণ প্রতিবেদন.pdf": REPORT,
    });
    const summary = await importChatExport(archive, media, path, { timeZone: "Asia/Dhaka" }, fakeClock().now, memoryLogger().log);
    expect(summary).toMatchObject({ chat: "ডিসি অফিস টাঙ্গাইল", messagesAdded: 4, mediaStored: 2, mediaMissing: 1 });

    const photo = archive.get(archive.db.selectFrom("messages").selectAll().where("media_file_name", "=", "00000012-PHOTO-2024-10-22-09-20-11.jpg"))!;
    expect(photo).toMatchObject({ type: "image", media_sha256: sha(PHOTO), media_size: PHOTO.length, media_mimetype: "image/jpeg" });
    expect(readFileSync(media.pathOf(sha(PHOTO)))).toEqual(PHOTO);
    expect(statSync(media.pathOf(sha(PHOTO))).mode & 0o777).toBe(0o600);

    const report = archive.get(archive.db.selectFrom("messages").select("id").where("type", "=", "document"))!;
    expect(showMessage(archive, report.id)).toMatchObject({
      body: "সখীপুর ত্রাণ প্রতিবেদন.pdf",
      media: { sha256: sha(REPORT), mimetype: "application/pdf", fileName: "00000027-সখীপুর ত্রাণ প্রতিবেদন.pdf" },
    });

    // A photo the zip does not hold keeps its name, with no content address.
    const missing = archive.get(archive.db.selectFrom("messages").selectAll().where("media_file_name", "like", "00000028%"))!;
    expect(missing.media_sha256).toBeNull();

    // The exported text itself is kept as evidence, by its address.
    const imported = archive.get(archive.db.selectFrom("imports").selectAll())!;
    expect(media.has(imported.file_sha256)).toBe(true);
  });

  it("reads an Android zip's 'WhatsApp Chat with X.txt' and its IMG files", async () => {
    const { archive, media, folder } = await testArchive();
    const path = join(folder, "export.zip");
    await writeZip(path, {
      "WhatsApp Chat with ইউএনও সমন্বয়.txt": "22/10/2024, 12:10 - মাহবুব আলম: IMG-20241022-WA0011.jpg (file attached)\nমির্জাপুর বাজারে মোবাইল কোর্ট",
      "IMG-20241022-WA0011.jpg": PHOTO,
    });
    const summary = await importChatExport(archive, media, path, { timeZone: "Asia/Dhaka", chatName: "ইউএনও সমন্বয়" }, fakeClock().now, memoryLogger().log);
    expect(summary).toMatchObject({ messagesAdded: 1, mediaStored: 1 });
    const message = archive.get(archive.db.selectFrom("messages").selectAll())!;
    expect(message).toMatchObject({ body: "মির্জাপুর বাজারে মোবাইল কোর্ট", type: "image", media_sha256: sha(PHOTO) });
  });

  it("refuses a zip with no chat text in it", async () => {
    const { archive, media, folder } = await testArchive();
    const path = join(folder, "photos.zip");
    await writeZip(path, { "a.jpg": PHOTO, "b.jpg": PHOTO, "notes.txt": "x", "more.txt": "y" });
    await expect(importChatExport(archive, media, path, { timeZone: "Asia/Dhaka", chatName: "x" }, fakeClock().now, memoryLogger().log)).rejects.toThrow(UserError);
  });
});

describe("damaged zips are refused before anything is archived", () => {
  it("a media file whose bytes do not match the zip's CRC", async () => {
    const { archive, media, folder } = await testArchive();
    const path = join(folder, "WhatsApp Chat with ইউএনও সমন্বয়.zip");
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from("22/10/2024, 12:10 - মাহবুব আলম: IMG-20241022-WA0011.jpg (file attached)"), "WhatsApp Chat with ইউএনও সমন্বয়.txt");
    zip.addBuffer(PHOTO, "IMG-20241022-WA0011.jpg", { compress: false });
    zip.end();
    const bytes = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      zip.outputStream.on("data", (chunk: Buffer) => chunks.push(chunk)).on("end", () => resolve(Buffer.concat(chunks)));
    });
    // Flip one byte of the stored photo.
    const at = bytes.indexOf(PHOTO);
    bytes[at + 3] = bytes[at + 3]! ^ 0xff;
    writeFileSync(path, bytes);
    await expect(importChatExport(archive, media, path, { timeZone: "Asia/Dhaka" }, fakeClock().now, memoryLogger().log)).rejects.toThrow(/CRC/);
    expect(archive.all(archive.db.selectFrom("messages").select("id"))).toHaveLength(0);
  });

  it("a chat file too large to be a real export", async () => {
    const { archive, media, folder } = await testArchive();
    const path = join(folder, "huge.txt");
    writeFileSync(path, "22/10/2024, 12:10 - মাহবুব আলম: শুরু\n");
    truncateSync(path, 401 * 2 ** 20);
    await expect(importChatExport(archive, media, path, { timeZone: "Asia/Dhaka", chatName: "x" }, fakeClock().now, memoryLogger().log)).rejects.toThrow(/too large|large/);
  });

  it("text that is not valid UTF-8 is refused rather than stored with replacement characters", async () => {
    const { archive, media, folder } = await testArchive();
    const path = join(folder, "latin1.txt");
    writeFileSync(path, Buffer.concat([Buffer.from("22/10/2024, 12:10 - Rahim: caf"), Buffer.from([0xe9]), Buffer.from(" closed\n")]));
    await expect(importChatExport(archive, media, path, { timeZone: "Asia/Dhaka", chatName: "x" }, fakeClock().now, memoryLogger().log)).rejects.toThrow(UserError);
  });
});

describe("the .txt first, the .zip later", () => {
  it("links the zip's photo to the message the .txt archived, once", async () => {
    const { archive, media, folder } = await testArchive();
    const chat = "22/10/2024, 12:10 - মাহবুব আলম: IMG-20241022-WA0011.jpg (file attached)\nমির্জাপুর বাজারে মোবাইল কোর্ট";
    const txt = join(folder, "WhatsApp Chat with ইউএনও সমন্বয়.txt");
    writeFileSync(txt, chat);
    const zipPath = join(folder, "WhatsApp Chat with ইউএনও সমন্বয়.zip");
    await writeZip(zipPath, { "WhatsApp Chat with ইউএনও সমন্বয়.txt": chat, "IMG-20241022-WA0011.jpg": PHOTO });
    const run = (path: string) => importChatExport(archive, media, path, { timeZone: "Asia/Dhaka" }, fakeClock().now, memoryLogger().log);

    expect(await run(txt)).toMatchObject({ messagesAdded: 1, mediaLinked: 0 });
    expect(await run(zipPath)).toMatchObject({ messagesAdded: 0, mediaLinked: 1 });
    expect(await run(zipPath)).toMatchObject({ messagesAdded: 0, mediaLinked: 0 });
    const message = archive.get(archive.db.selectFrom("messages").select("id"))!;
    expect(showMessage(archive, message.id).media).toMatchObject({ sha256: sha(PHOTO), fileName: "IMG-20241022-WA0011.jpg" });
  });
});
