import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importChatExport } from "../../src/chat-export/import-chat-export.js";
import { parseRoster } from "../../src/domain/roster.js";
import { applyRoster } from "../../src/store/people.js";
import { searchMessages } from "../../src/store/search-messages.js";
import { fakeClock, memoryLogger, testArchive } from "../support.js";

describe("the sender a record keeper sees on each message", () => {
  it("is who the roster says: by the archived phone, else by the person a saved name was resolved to", async () => {
    const { archive, media, folder } = await testArchive();
    const path = join(folder, "WhatsApp Chat with ডিসি অফিস.txt");
    writeFileSync(
      path,
      [
        "22/10/2024, 09:00 - কাজী মাহমুদুল হাসান: সকল ইউএনও প্রতিবেদন পাঠাবেন",
        "22/10/2024, 09:05 - +880 1711-000004: প্রতিবেদন পাঠানো হয়েছে",
        "22/10/2024, 09:06 - +880 1711-000099: প্রতিবেদন পেয়েছি",
        "22/10/2024, 09:07 - অচেনা কেউ: প্রতিবেদন কোথায়?",
      ].join("\n"),
    );
    await importChatExport(archive, media, path, { timeZone: "Asia/Dhaka" }, fakeClock().now, memoryLogger().log);
    // The roster comes later: it gives the DC, saved by name in the export, a phone.
    const roster = "phone,name,designation,role\n+8801711000001,কাজী মাহমুদুল হাসান,জেলা প্রশাসক,superior\n+8801711000004,শাহানা পারভীন,\"ইউএনও, সখীপুর\",officer\n";
    applyRoster(archive, parseRoster(roster, "roster.csv"), Date.now());
    const senders = searchMessages(archive, { query: "প্রতিবেদন", limit: 10 }).messages.map((message) => message.sender);
    expect(senders).toEqual([
      { id: null, phone: null, name: "অচেনা কেউ", designation: null, shownAs: "অচেনা কেউ" },
      { id: "8801711000099@c.us", phone: "+8801711000099", name: "+880 1711-000099", designation: null, shownAs: "+880 1711-000099" },
      { id: "8801711000004@c.us", phone: "+8801711000004", name: "শাহানা পারভীন", designation: "ইউএনও, সখীপুর", shownAs: "+880 1711-000004" },
      { id: "8801711000001@c.us", phone: "+8801711000001", name: "কাজী মাহমুদুল হাসান", designation: "জেলা প্রশাসক", shownAs: "কাজী মাহমুদুল হাসান" },
    ]);
  });
});
