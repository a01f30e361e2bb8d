import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findChromium } from "../../src/chromium/find-chromium.js";
import { messagesFor } from "../../src/text.js";
import type { UserError } from "../../src/user-error.js";
import { systemChromium, temporaryFolder } from "../support.js";

const BIN = join(import.meta.dirname, "../../bin/nirdesh.js");
const ROOT = join(import.meta.dirname, "../..");

/** The system's Chromium, when this machine has one (CI installs Debian's). */
const chromium = systemChromium();

function nirdesh(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, cwd: ROOT, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const STACK_TRACE = /\n\s+at .+:\d+:\d+|node:internal/;

describe("finding Chromium", () => {
  it("takes CHROMIUM_PATH when it is a program, and names it when it is not", () => {
    const folder = temporaryFolder();
    const browser = join(folder, "chrome");
    writeFileSync(browser, "#!/bin/sh\n");
    chmodSync(browser, 0o755);
    expect(findChromium(browser)).toBe(browser);
    expect(() => findChromium(join(folder, "missing"))).toThrow(/CHROMIUM_PATH/);
    expect(() => findChromium(folder)).toThrow(/CHROMIUM_PATH/);
  });

  it("looks in the usual places, and says how to install it when none has it", () => {
    const folder = temporaryFolder();
    const second = join(folder, "chromium-browser");
    writeFileSync(second, "#!/bin/sh\n");
    chmodSync(second, 0o755);
    expect(findChromium(undefined, [join(folder, "chromium"), second])).toBe(second);
    let message = "";
    try {
      findChromium(undefined, [join(folder, "chromium")]);
    } catch (error) {
      message = (error as UserError).render(messagesFor("bn"));
    }
    expect(message).toContain("sudo apt-get install chromium");
  });
});

describe("nirdesh start", () => {
  it("without a Chromium to run says so in one line and exits 2", () => {
    const folder = temporaryFolder();
    for (const command of ["start", "groups"]) {
      const result = nirdesh([command], { NIRDESH_DB: join(folder, "nirdesh.db"), NIRDESH_SESSION_DIR: join(folder, "session"), CHROMIUM_PATH: join(folder, "no-chromium") });
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toContain("CHROMIUM_PATH");
      expect(result.stderr).not.toMatch(STACK_TRACE);
    }
    // Nothing was created for a bot that could not start.
    expect(existsSync(join(folder, "nirdesh.db"))).toBe(false);
  });

  it("refuses a bad setting before starting anything", () => {
    const folder = temporaryFolder();
    const result = nirdesh(["start", "--lang", "en"], { NIRDESH_DB: join(folder, "nirdesh.db"), NIRDESH_PAIR_PHONE: "not a phone", NIRDESH_SEND_PER_MINUTE: "৫০০" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("NIRDESH_PAIR_PHONE");
    expect(result.stderr).toContain("NIRDESH_SEND_PER_MINUTE");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it.skipIf(chromium === null)(
    "with no network keeps running, says in one line per attempt that WhatsApp Web is unreachable and when it retries, and stops cleanly on SIGTERM",
    async () => {
      const folder = temporaryFolder();
      const db = join(folder, "nirdesh.db");
      const session = join(folder, "session");
      const child = spawn(process.execPath, [BIN, "start"], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NIRDESH_DB: db,
          NIRDESH_SESSION_DIR: session,
          NIRDESH_GROUPS: "120363000000000001@g.us",
          CHROMIUM_PATH: chromium!,
          // No route anywhere: the browser's every request fails, as on an office PC with the network down.
          NIRDESH_CHROMIUM_ARGS: "--proxy-server=http://127.0.0.1:9",
        },
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
      child.stdout.resume();
      const unreachable = () => stderr.split("\n").filter((line) => line.includes("WhatsApp Web unreachable"));
      const deadline = Date.now() + 50_000;
      while (unreachable().length < 2 && Date.now() < deadline && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(child.exitCode).toBeNull();
      expect(unreachable().length).toBeGreaterThanOrEqual(2);
      const [first, second] = unreachable().map((line) => JSON.parse(line) as { level: number; msg: string });
      expect(first!.msg).toMatch(/^WhatsApp Web unreachable: net::ERR_\w+ at https:\/\/web\.whatsapp\.com\/; retrying in [45]s$/);
      expect(second!.msg).toMatch(/retrying in (8|9|10)s$/);

      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(stderr).not.toMatch(STACK_TRACE);
      expect(stderr).toContain("নির্দেশ বট বন্ধ হয়েছে");
      expect(statSync(db).mode & 0o777).toBe(0o600);
      expect(statSync(session).mode & 0o777).toBe(0o700);
    },
    70_000,
  );

  it.skipIf(chromium === null)(
    "nirdesh groups with no network says in one line that WhatsApp Web could not be reached",
    () => {
      const folder = temporaryFolder();
      const result = nirdesh(["groups"], {
        NIRDESH_DB: join(folder, "nirdesh.db"),
        NIRDESH_SESSION_DIR: join(folder, "session"),
        CHROMIUM_PATH: chromium!,
        NIRDESH_CHROMIUM_ARGS: "--proxy-server=http://127.0.0.1:9",
      });
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toContain("WhatsApp Web-এ পৌঁছানো গেল না");
    },
    70_000,
  );
});

describe("the browser nirdesh start launches", () => {
  it("leaves SIGINT and SIGTERM to the bot, so the archive closes and the browser is not killed mid-write", async () => {
    const { loadWhatsAppWeb } = await import("../../src/whatsapp/load-whatsapp-web.js");
    const library = await loadWhatsAppWeb({ chromium: "/usr/bin/chromium", chromiumArgs: ["--proxy-server=http://10.0.0.1:3128"], sessionDir: temporaryFolder() });
    const client = library.newClient() as unknown as { options: { puppeteer: Record<string, unknown> } };
    expect(client.options.puppeteer).toMatchObject({ handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false, executablePath: "/usr/bin/chromium" });
    expect(client.options.puppeteer.args).toContain("--proxy-server=http://10.0.0.1:3128");
  });
});
