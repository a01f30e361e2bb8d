// Seeded, reproducible WhatsApp exports of a district's official groups, for `npm run bench`: a roster
// of superiors, officers and a record keeper, and groups where superiors give directives in Bangla,
// English and Banglish, officers acknowledge, report, ask and chat, and messages are edited and deleted.

/** A small seeded generator (LCG), so the same seed writes the same chats. */
export function random(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { next, pick: (items) => items[Math.floor(next() * items.length)], int: (n) => Math.floor(next() * n) };
}

const UPAZILAS = ["সখীপুর", "মধুপুর", "ঘাটাইল", "কালিহাতী", "বাসাইল", "মির্জাপুর", "নাগরপুর", "দেলদুয়ার", "ভূঞাপুর", "গোপালপুর", "ধনবাড়ী", "সদর"];
const SUBJECTS = ["ত্রাণ বিতরণের প্রতিবেদন", "ভিজিএফ উপকারভোগীর তালিকা", "ডেঙ্গু পরিস্থিতির তথ্য", "ভূমি উন্নয়ন কর আদায়ের বিবরণী", "খাস জমির হালনাগাদ তালিকা", "বাজার মনিটরিং প্রতিবেদন", "মোবাইল কোর্টের তথ্য", "আশ্রয়ণ প্রকল্পের অগ্রগতি", "বন্যা পরিস্থিতির তথ্য", "এডিপি বাস্তবায়নের অগ্রগতি"];
const EN_SUBJECTS = ["relief distribution report", "updated VGF list", "dengue situation report", "land development tax statement", "market monitoring report", "flood shelter headcount"];
// Unions and letter numbers make most searches specific, as a record keeper's are ("the memo about X").
const UNIONS = Array.from({ length: 120 }, (_, i) => `${["কাকড়াজান", "হাতীবান্ধা", "বহুরিয়া", "গজারিয়া", "যাদবপুর", "কালিয়া", "দাড়িয়াপুর", "বহেড়াতৈল", "আউশনারা", "অরণখোলা", "শোলাকুড়ি", "ফুলবাড়িয়া"][i % 12]}-${Math.floor(i / 12) + 1}`);
const memo = (r) => `স্মারক নং ০৫.৪৭.৯৩০০.০০০.${10 + r.int(90)}.${100 + r.int(900)}.২৪`;
const TIMES = ["আগামীকাল বিকাল ৩টার মধ্যে", "আজকের মধ্যে", "আগামী রবিবারের মধ্যে", "২০ নভেম্বরের মধ্যে", "৩ দিনের মধ্যে", "সন্ধ্যা ৬টার মধ্যে"];

const DIRECTIVES = [
  (r) => `সকল ইউএনওকে ${r.pick(TIMES)} ${r.pick(SUBJECTS)} পাঠাতে হবে।`,
  (r) => `${r.pick(SUBJECTS)} ${r.pick(TIMES)} নির্ধারিত ছকে প্রেরণ করবেন। সূত্র: ${memo(r)}`,
  (r) => `${r.pick(UNIONS)} ইউনিয়নে ${r.pick(SUBJECTS)} সরেজমিনে যাচাই করে ${r.pick(TIMES)} জানাবেন।`,
  (r) => `আগামীকাল সকাল ১০.০০ ঘটিকায় জেলা প্রশাসকের সম্মেলন কক্ষে মাসিক সমন্বয় সভায় উপস্থিত থাকার জন্য অনুরোধ করা হলো।`,
  (r) => `জরুরি: ${r.pick(UPAZILAS)} উপজেলায় ${r.pick(SUBJECTS)} এখনই পাঠান।`,
  (r) => `All UNOs are directed to submit the ${r.pick(EN_SUBJECTS)} by 4 PM tomorrow.`,
  (r) => `Please ensure the ${r.pick(EN_SUBJECTS)} is uploaded to e-Nothi today.`,
  (r) => `sobai ${r.pick(["report", "list", "tottho"])} ajker moddhe pathaben, joruri`,
  (r) => `সিদ্ধান্ত: ${r.pick(UPAZILAS)} উপজেলায় প্রতি সপ্তাহে বাজার মনিটরিং করতে হবে।`,
  (r) => `বাজার মনিটরিং সংক্রান্ত নির্দেশনা:\n১. সপ্তাহে ২ দিন মনিটরিং করতে হবে।\n২. মোবাইল কোর্ট পরিচালনা করুন।\n৩. তথ্য ${r.pick(TIMES)} পাঠাবেন।`,
];
const SUPERIOR_OTHER = [
  () => "আসসালামু আলাইকুম। সবাইকে শুভ সকাল।",
  () => "প্রতিবেদন কি পাঠানো হয়েছে?",
  () => "সবাইকে ধন্যবাদ।",
  () => "Good work, keep it up.",
  (r) => `আজ ${r.pick(UPAZILAS)} উপজেলা পরিদর্শন করেছি।`,
];
const ACKNOWLEDGEMENTS = ["জি স্যার", "জ্বি স্যার", "অবগত হলাম স্যার।", "Noted sir", "ok sir", "👍", "ji sir", "জি স্যার, পাঠাচ্ছি", "insha Allah kore dibo sir"];
const REPORTS = [(r) => `${r.pick(SUBJECTS)} পাঠানো হয়েছে স্যার।`, () => "done sir", () => "মেইল করা হয়েছে স্যার", (r) => `${r.pick(EN_SUBJECTS)} sent sir`];
const OFFICER_OTHER = [
  () => "শুভ সকাল স্যার",
  () => "স্যার, কোন ছকে পাঠাবো?",
  (r) => `আজ ${r.pick(UPAZILAS)} উপজেলার ${r.pick(UNIONS)} ইউনিয়নে ${100 + r.int(900)} জনকে টিকা দেওয়া হয়েছে।`,
  (r) => `${r.pick(UNIONS)} ইউনিয়নের ${r.pick(SUBJECTS)} ${memo(r)} মোতাবেক পাঠানো হয়েছে।`,
  () => "<Media omitted>",
  (r) => `${r.pick(UPAZILAS)}: ${1 + r.int(9)} shelter, ${100 + r.int(900)} jon.`,
  () => "ওয়ালাইকুম আসসালাম স্যার।",
];

/** The roster: superiors, officers and a record keeper, with phones +8801711xxxxxx. */
export function rosterOf(officers = 20) {
  const people = [
    { phone: "+8801711000001", name: "কাজী মাহমুদুল হাসান", designation: "জেলা প্রশাসক", role: "superior" },
    { phone: "+8801711000002", name: "ফারহানা আক্তার", designation: "অতিরিক্ত জেলা প্রশাসক (সার্বিক)", role: "superior" },
    { phone: "+8801711000003", name: "মো. রাশেদুল করিম", designation: "অতিরিক্ত জেলা প্রশাসক (রাজস্ব)", role: "superior" },
    { phone: "+8801711000004", name: "তাসলিমা খাতুন", designation: "নেজারত ডেপুটি কালেক্টর", role: "recordkeeper" },
  ];
  for (let i = 0; i < officers; i++) {
    people.push({ phone: `+88017110001${String(i).padStart(2, "0")}`, name: `কর্মকর্তা ${i + 1} ${UPAZILAS[i % UPAZILAS.length]}`, designation: `ইউএনও, ${UPAZILAS[i % UPAZILAS.length]} ${i + 1}`, role: "officer" });
  }
  return people;
}

export function rosterCsv(people) {
  return ["phone,name,designation,role", ...people.map((p) => [p.phone, p.name, `"${p.designation}"`, p.role].join(","))].join("\n");
}

/**
 * One group's export of `count` messages from `start` (UTC ms): about one in twelve
 * a directive, most officers answering it, some reporting done, the rest of the talk around it.
 */
export function exportText(seed, count, start, people) {
  const r = random(seed);
  const superiors = people.filter((p) => p.role === "superior");
  const officers = people.filter((p) => p.role === "officer");
  const lines = [];
  let at = start;
  const p2 = (n) => String(n).padStart(2, "0");
  const stamp = () => {
    const d = new Date(at + 6 * 3_600_000);
    return `${p2(d.getUTCDate())}/${p2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}, ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
  };
  const say = (person, body) => {
    lines.push(`${stamp()} - ${person.name}: ${body}`);
    // About fifty minutes apart on average: ten thousand messages are a year of a group.
    at += 60_000 * (1 + r.int(100));
  };
  while (lines.length < count) {
    const roll = r.next();
    if (roll < 0.08) {
      say(r.pick(superiors), r.pick(DIRECTIVES)(r));
      for (const officer of officers) {
        if (lines.length >= count) break;
        const answer = r.next();
        if (answer < 0.6) say(officer, r.pick(ACKNOWLEDGEMENTS));
        else if (answer < 0.75) say(officer, r.pick(REPORTS)(r));
      }
    } else if (roll < 0.15) {
      say(r.pick(superiors), r.pick(SUPERIOR_OTHER)(r));
    } else if (roll < 0.16) {
      say(r.pick(officers), "This message was deleted");
    } else if (roll < 0.17) {
      say(r.pick(officers), `${r.pick(SUBJECTS)} সংশোধন করে পাঠানো হলো <This message was edited>`);
    } else {
      say(r.pick(officers), r.pick(OFFICER_OTHER)(r));
    }
  }
  return lines.join("\n");
}
