import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { nameKey, parseRoster } from "../../src/domain/roster.js";
import { UserError } from "../../src/user-error.js";
import { english } from "../../src/text.js";

function rosterError(text: string): string {
  try {
    parseRoster(text, "roster.csv");
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as UserError).render(english);
  }
  throw new Error("the roster was accepted");
}

describe("the office roster", () => {
  it("reads the sample roster: every phone in E.164, roles split, designations with commas kept", () => {
    const entries = parseRoster(readFileSync("data/roster.csv", "utf8"), "data/roster.csv");
    expect(entries).toHaveLength(14);
    expect(entries[0]).toMatchObject({ phone: "+8801711000001", roles: ["superior"] });
    expect(entries[0]!.designation).toContain(",");
    expect(entries.find((entry) => entry.phone === "+8801711000013")!.roles).toEqual(["recordkeeper", "officer"]);
  });

  it("reads what Excel saves: a BOM, CRLF, semicolons, quoted commas and extra columns", () => {
    const text = '\ufeffName;Phone;Designation;Role;Remarks\r\n"হাসান, কাজী";+880 1711-000001;"জেলা প্রশাসক, টাঙ্গাইল";superior;x\r\nশাহানা পারভীন;01711000005;ইউএনও;;\r\n';
    const entries = parseRoster(text, "roster.csv");
    expect(entries).toEqual([
      { line: 2, phone: "+8801711000001", name: "হাসান, কাজী", designation: "জেলা প্রশাসক, টাঙ্গাইল", roles: ["superior"] },
      { line: 3, phone: "+8801711000005", name: "শাহানা পারভীন", designation: "ইউএনও", roles: null },
    ]);
  });

  it("accepts Bangla column names and Bangla digits", () => {
    const entries = parseRoster("ফোন,নাম,পদবি,ভূমিকা\n০১৭১১০০০০০২,আরিফুর রহমান,ইউএনও কালিহাতী,officer\n", "r.csv");
    expect(entries[0]).toMatchObject({ phone: "+8801711000002", name: "আরিফুর রহমান" });
  });

  it.each([
    ["", "has no rows"],
    ["name,designation\nX,Y\n", 'no "phone" column'],
    ["phone,name\nabc,X\n", 'line 2: "abc" is not a phone number'],
    ["phone,name,role\n01711000001,X,boss\n", 'role "boss"'],
    ["phone,name\n01711000001,X\n+8801711000001,Y\n", "line 3: +8801711000001 is already in the roster"],
    ['phone,name\n"01711000001,X\n', "cannot read the CSV"],
  ])("refuses a broken roster with one clear line: %j", (text, message) => {
    expect(rosterError(text)).toContain(message);
  });

  it("matches names without regard to case, spaces or invisible marks", () => {
    expect(nameKey(" Kazi  Mahmudul\u200e Hasan ")).toBe(nameKey("kazi mahmudul hasan"));
    expect(nameKey("শাহানা পারভীন")).toBe(nameKey("শাহানা  পারভীন"));
  });
});

describe("roster errors name the line a spreadsheet shows", () => {
  it("counts blank lines and multi-line cells", () => {
    const text = 'phone,name,role\n\n01711000001,"কাজী\nমাহমুদুল হাসান",superior\n\n01711000002,ফারহানা,boss\n';
    expect(rosterError(text)).toContain("line 6");
  });
});
