import { readFileSync } from "node:fs";
import { parseChatExport } from "../dist/chat-export/parse-chat-export.js";
const names = ["কাজী মাহমুদুল হাসান", "শাহানা পারভীন", "+880 1711-000013", "Tanvir Ahmed"];
const bodies = ["জি স্যার", "সকল ইউএনওকে আগামীকাল বিকাল ৩টার মধ্যে ত্রাণ বিতরণের প্রতিবেদন পাঠাতে হবে।", "Noted sir", "IMG-20241022-WA0003.jpg (file attached)", "line one\nline two\nline three"];
const lines = [];
let t = Date.UTC(2024, 0, 1);
for (let i = 0; i < 200000; i++) {
  t += 37000; const d = new Date(t);
  const p = (n) => String(n).padStart(2, "0");
  lines.push(`${p(d.getUTCDate())}/${p(d.getUTCMonth()+1)}/${d.getUTCFullYear()}, ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} - ${names[i%4]}: ${bodies[i%5]}`);
}
const text = lines.join("\n");
for (let r = 0; r < 4; r++) { const s = performance.now(); parseChatExport(text, { timeZone: "Asia/Dhaka" }); console.log(performance.now() - s); }
